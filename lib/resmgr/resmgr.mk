# lib/resmgr/resmgr.mk - libresmgr (docs/resmgr.md), built with qsoe-cc
# into the sysroot: $(SYSROOT)/lib/libresmgr.a and the headers
# <sys/dispatch.h>, <sys/resmgr.h>, <sys/iofunc.h>.  Shared by every
# kernel: it uses only libc and the kernel calls of <sys/neutrino.h>.

RESMGR_A    := $(SYSROOT)/lib/libresmgr.a
RESMGR_SRC  := $(wildcard lib/resmgr/*.c)
RESMGR_OBJ  := $(patsubst lib/resmgr/%.c,$(O)/resmgr/%.o,$(RESMGR_SRC))
RESMGR_HDRS := $(patsubst lib/resmgr/include/%,$(SYSROOT)/include/%,\
                 $(wildcard lib/resmgr/include/sys/*.h))

$(RESMGR_HDRS): $(SYSROOT)/include/%: lib/resmgr/include/% | $(LIBC_A)
	@mkdir -p $(dir $@)
	@cp -p $< $@

$(O)/resmgr/%.o: lib/resmgr/%.c lib/resmgr/rm.h lib/resmgr/lockrange.h lib/resmgr/fsint.h $(RESMGR_HDRS) $(LIBC_A) $(SYSROOT_ABI) $(QSOE_CC)
	@mkdir -p $(dir $@)
	@echo "  QSOECC  $<"
	@$(QSOE_CC) $(WARNFLAGS) -O2 -g -ffunction-sections -c $< -o $@

$(RESMGR_A): $(RESMGR_OBJ)
	@echo "  AR      $@"
	@rm -f $@ && $(CROSS_COMPILE)ar rcs $@ $^

.PHONY: resmgr
resmgr: $(RESMGR_A) $(RESMGR_HDRS)

# The tests that are servers themselves (tests/libc/libcpool.c, libcname.c).
$(LTEST_OUT)/libcpool $(LTEST_OUT)/libcname: $(RESMGR_A) $(RESMGR_HDRS)

# The resource managers (drivers/, fs/): one program per directory, from
# every .c file in it, linked with libresmgr and libvirtio (lib/virtio;
# a static archive, so only the drivers of virtio devices take anything).  An entry is dir:name (the
# program's name; without it the directory's).
SERVER_DIRS := drivers/devnull fs/pipe fs/ram:fs-ram fs/ext2:fs-ext2 drivers/devc-ns16550 drivers/devb-virtio
server_dir   = $(firstword $(subst :, ,$(1)))
server_name  = $(or $(word 2,$(subst :, ,$(1))),$(notdir $(1)))
SERVERS     := $(foreach d,$(SERVER_DIRS),$(O)/servers/$(call server_name,$(d)))

define server_rule
$(O)/servers/$(2): $(wildcard $(1)/*.c) $(wildcard $(1)/*.h) $(RESMGR_A) $(RESMGR_HDRS) \
    $(VIRTIO_A) $(VIRTIO_HDRS) $(QSOE_CC)
	@mkdir -p $$(dir $$@)
	@echo "  QSOECC  $$@"
	@$(QSOE_CC) $(WARNFLAGS) -O2 -g -o $$@ $(wildcard $(1)/*.c) -lresmgr -lvirtio
endef
$(foreach d,$(SERVER_DIRS),$(eval $(call server_rule,$(call server_dir,$(d)),$(call server_name,$(d)))))
