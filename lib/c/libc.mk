# lib/c/libc.mk - musl for QSOE: stage, configure, build, install into the
# sysroot ($(SYSROOT)/{include,lib}); the local memory manager archive; and
# the qsoe-cc wrapper ($(O)/bin/qsoe-cc).  docs/libc.md explains the layers.
#
# musl comes from Debian's source package (tools/setup.sh unpacks it into
# $(O)/src/musl-1.2.3).  tools/libc-stage builds $(LIBC_DIR)/src from it and
# our lib/c files; musl's own configure and Makefile build it out of tree in
# $(LIBC_DIR)/obj.  musl's make runs every time (it is quick when nothing
# changed) and its install touches only files that changed.

MUSL_SRC  := $(O)/src/musl-1.2.3
LIBC_DIR  := $(O)/libc
SYSROOT   := $(O)/sysroot
LIBC_A    := $(SYSROOT)/lib/libc.a
LOCALMM_A := $(SYSROOT)/lib/libqsoe_local_mm.a
QSOE_CC   := $(O)/bin/qsoe-cc
LIBC_SRCS := $(shell find lib/c -type f 2>/dev/null)
ABI_HDRS  := $(shell find abi/include -name '*.h' -o -name '*.def')

# The staged tree: musl plus our overlay, layers and patches.
$(LIBC_DIR)/stage.stamp: $(LIBC_SRCS) tools/libc-stage | setup-quiet
	@echo "  STAGE   $(LIBC_DIR)/src"
	@tools/libc-stage $(MUSL_SRC) $(LIBC_DIR) $(TOP)

$(LIBC_DIR)/obj/config.mak: lib/c/config.mak.in | $(LIBC_DIR)/stage.stamp
	@mkdir -p $(dir $@)
	@echo "  CONFIG  musl (riscv64, static)"
	@cd $(dir $@) && $(abspath $(LIBC_DIR))/src/configure --target=riscv64 \
	    --prefix=$(abspath $(SYSROOT)) --disable-shared --disable-wrapper \
	    CROSS_COMPILE=$(CROSS_COMPILE) CC=$(CROSS_COMPILE)gcc CFLAGS="-g" \
	    >$(abspath $(LIBC_DIR))/configure.log 2>&1 || \
	    { cat $(abspath $(LIBC_DIR))/configure.log; exit 1; }
	@sed 's|@TOP@|$(TOP)|g' lib/c/config.mak.in >>$@

# musl's make decides what to rebuild; its log is $(LIBC_DIR)/make.log.
$(LIBC_A): $(LIBC_DIR)/stage.stamp $(LIBC_DIR)/obj/config.mak FORCE
	@echo "  LIBC    $(LIBC_A)"
	@$(MAKE) -s -C $(LIBC_DIR)/obj install-headers install-libs >$(LIBC_DIR)/make.log 2>&1 || \
	    { tail -40 $(LIBC_DIR)/make.log; exit 1; }

# The seam's headers, so that programs can include <abi/...> (the kernel
# calls) and <sys/iomsg.h>, <sys/procmsg.h>, <sys/msghdr.h> (the messages).
SYSROOT_ABI := $(patsubst abi/include/%,$(SYSROOT)/include/%,$(ABI_HDRS))
$(SYSROOT_ABI): $(SYSROOT)/include/%: abi/include/% | $(LIBC_A)
	@mkdir -p $(dir $@)
	@cp -p $< $@

# The local memory manager (docs/libc.md): its own archive, linked whole
# by programs that manage their own address space (taskman, init tests).
LOCALMM_SRC := $(wildcard lib/c/kernel/skimmer/local/*.c)
LOCALMM_OBJ := $(patsubst lib/c/%.c,$(LIBC_DIR)/local/%.o,$(LOCALMM_SRC))
$(LIBC_DIR)/local/%.o: lib/c/%.c $(LIBC_A) $(SYSROOT_ABI) $(QSOE_CC)
	@mkdir -p $(dir $@)
	@echo "  QSOECC  $<"
	@$(QSOE_CC) $(WARNFLAGS) -O2 -g -ffunction-sections -Ilib/c/posix -Ilib/c/kernel/skimmer -c $< -o $@

$(LOCALMM_A): $(LOCALMM_OBJ)
	@echo "  AR      $@"
	@rm -f $@ && $(CROSS_COMPILE)ar rcs $@ $^

# qsoe-cc, with the sysroot's absolute path written in.
$(QSOE_CC): tools/qsoe-cc.in
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@sed -e 's|@SYSROOT@|$(abspath $(SYSROOT))|g' -e 's|@CROSS_COMPILE@|$(CROSS_COMPILE)|g' $< >$@
	@chmod +x $@

.PHONY: libc
libc: $(LIBC_A) $(SYSROOT_ABI) $(LOCALMM_A) $(QSOE_CC)

# In-system libc tests: every tests/libc/<name>.c but the runner (ltest.c)
# is one program, $(O)/ltests/<name>, built with qsoe-cc.  Most run as the
# first process and so link the local memory manager; those in
# LTESTS_TASKMAN run under taskman (a boot's script= starts them) and use
# libc's default, taskman's memory.  boot/qsoe.build lists them all.
LTEST_OUT := $(O)/ltests
LTESTS    := $(patsubst tests/libc/%.c,$(LTEST_OUT)/%,\
               $(filter-out tests/libc/ltest.c,$(wildcard tests/libc/*.c)))
LTESTS_TASKMAN := $(LTEST_OUT)/libcfile $(LTEST_OUT)/libcproc $(LTEST_OUT)/libcfork \
                  $(LTEST_OUT)/libcres $(LTEST_OUT)/shtest $(LTEST_OUT)/libctoybox \
                  $(LTEST_OUT)/libccons $(LTEST_OUT)/libcram $(LTEST_OUT)/libcsys \
                  $(LTEST_OUT)/libcdma $(LTEST_OUT)/libcblk $(LTEST_OUT)/libcfifo \
                  $(LTEST_OUT)/srvfuzz $(LTEST_OUT)/srvkill $(LTEST_OUT)/libcrng \
                  $(LTEST_OUT)/libcpool $(LTEST_OUT)/libclimit $(LTEST_OUT)/libcprocfs \
                  $(LTEST_OUT)/libclock \
                  $(LTEST_OUT)/libcexec $(LTEST_OUT)/libcmmap $(LTEST_OUT)/libcname $(LTEST_OUT)/libctm \
                  $(LTEST_OUT)/libclazy $(LTEST_OUT)/libcmapf \
                  $(LTEST_OUT)/libcext2 $(LTEST_OUT)/ext2crash $(LTEST_OUT)/ext2fuzz
# Libraries a test links beyond libc (its dependencies: the library's .mk).
LTEST_LIBS_libcrng := -lvirtio
LTEST_LIBS_libcpool := -lresmgr
LTEST_LIBS_libcname := -lresmgr

$(LTESTS): $(LTEST_OUT)/%: tests/libc/%.c tests/libc/ltest.c $(wildcard tests/libc/*.h) \
    $(LIBC_A) $(LOCALMM_A) $(SYSROOT_ABI) $(QSOE_CC)
	@mkdir -p $(dir $@)
	@echo "  QSOECC  $@"
	@$(QSOE_CC) $(if $(filter $@,$(LTESTS_TASKMAN)),,--qsoe-local-mm) $(WARNFLAGS) -O2 -g \
	    -Itests/libc -o $@ $< tests/libc/ltest.c $(LTEST_LIBS_$(notdir $@))

# QSOE's own utilities (utils/*.c): $(O)/utils/<name>, in the image at
# /proc/boot (the shell's programs, issue G).
UTILS_OUT := $(O)/utils
UTILS     := $(patsubst utils/%.c,$(UTILS_OUT)/%,$(wildcard utils/*.c))

$(UTILS): $(UTILS_OUT)/%: utils/%.c $(LIBC_A) $(SYSROOT_ABI) $(QSOE_CC)
	@mkdir -p $(dir $@)
	@echo "  QSOECC  $@"
	@$(QSOE_CC) $(WARNFLAGS) -O2 -g -o $@ $<

# The musl programs of `make bench` (tests/bench/*.c, docs/benchmarks.md):
# $(O)/benchprogs/<name>, run under taskman by /proc/boot/bench.script.
BENCH_OUT  := $(O)/benchprogs
BENCHPROGS := $(patsubst tests/bench/%.c,$(BENCH_OUT)/%,$(wildcard tests/bench/*.c))

$(BENCHPROGS): $(BENCH_OUT)/%: tests/bench/%.c tests/bench/bench.h $(LIBC_A) $(SYSROOT_ABI) $(QSOE_CC)
	@mkdir -p $(dir $@)
	@echo "  QSOECC  $@"
	@$(QSOE_CC) $(WARNFLAGS) -O2 -g -o $@ $<
