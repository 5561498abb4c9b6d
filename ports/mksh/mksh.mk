# ports/mksh/mksh.mk - the shell: mksh from Debian's source package
# (tools/setup.sh fetches it into $(O)/src with Debian's patches applied),
# cross-built with qsoe-cc by its own Build.sh, out of tree in
# $(O)/ports/mksh.  Our patches, if any, are ports/mksh/*.patch, applied to
# a staged copy so the unpacked tree stays pristine.  docs/shell.md.

MKSH_VER  := 59c
MKSH_SRC  := $(O)/src/mksh-$(MKSH_VER)
MKSH_OUT  := $(O)/ports/mksh
MKSH_BIN  := $(MKSH_OUT)/obj/mksh
MKSH_PATCHES := $(sort $(wildcard ports/mksh/*.patch))

# Debian's patches make sh.h refuse any build that does not define
# MKSH_BUILDMEAT (their debian/meat script does); Build.sh is still the
# build.
MKSH_CPPFLAGS := -DMKSH_BUILDMEAT

$(MKSH_BIN): $(LIBC_A) $(SYSROOT_ABI) $(QSOE_CC) ports/mksh/mksh.mk $(MKSH_PATCHES) | setup-quiet
	@echo "  MKSH    $@"
	@rm -rf $(MKSH_OUT) && mkdir -p $(MKSH_OUT)/obj
	@cp -r $(MKSH_SRC) $(MKSH_OUT)/src
	@for p in $(MKSH_PATCHES); do patch -s -p1 -d $(MKSH_OUT)/src < $$p || exit 1; done
	@cd $(MKSH_OUT)/obj && CC=$(abspath $(QSOE_CC)) TARGET_OS=Linux CFLAGS="-O2 -g" \
	    CPPFLAGS='$(MKSH_CPPFLAGS)' sh ../src/Build.sh -r >build.log 2>&1 || \
	    { tail -40 build.log; echo "mksh: Build.sh failed, see $(MKSH_OUT)/obj/build.log"; exit 1; }
	@test -x $@

ifeq ($(CONFIG_IMAGE_MKSH),y)
PORTS += $(MKSH_BIN)
endif
