# QSOE umbrella Makefile.
#
#   make                 build the kernel and the boot image (defconfig if no .config)
#   make run             boot QSOE/N in QEMU (SMP=n MEM=mb ICOUNT=1 GDB=1 APPEND=... DISK=a.img[:ro],...;
#                        DISK defaults to build/disk.img, the system disk)
#   make test            host unit tests + in-system tests; ends with "N passed, N failed"
#   make menuconfig | defconfig | olddefconfig | savedefconfig
#   make clean | distclean
#
# Everything is built under $(O).  `make run` and `make test` first run
# tools/setup.sh, which installs what a fresh Debian 12 machine lacks.

TOP        := $(CURDIR)
O          ?= build
export KCONFIG_CONFIG ?= .config
DEFCONFIG  ?= configs/qemu_virt_defconfig

AUTOCONF   := $(O)/include/config/auto.conf
CONFIG_H   := $(O)/include/generated/config.h
SETUP      := tools/setup.sh

CROSS_COMPILE ?= riscv64-linux-gnu-
HOSTCC     ?= gcc

VERSION    := 0.1.0
GITREV     := $(shell git -C $(TOP) describe --always --dirty 2>/dev/null || echo unknown)

.DEFAULT_GOAL := all
.PHONY: all setup run test test-host test-system clean distclean \
        menuconfig defconfig olddefconfig savedefconfig FORCE

# ---- configuration -----------------------------------------------------------
# kconfig-frontends resolves `source` lines against $srctree and writes its
# auto.conf / header where the KCONFIG_AUTO* variables say.
KCONF_ENV := srctree=$(TOP) KCONFIG_CONFIG=$(abspath $(KCONFIG_CONFIG)) KCONFIG_AUTOCONFIG=$(abspath $(AUTOCONF)) \
             KCONFIG_AUTOHEADER=$(abspath $(CONFIG_H)).new \
             KCONFIG_TRISTATE=$(abspath $(O))/include/config/tristate.conf

# Targets that must not read (and so create) the configuration first.
NOCONFIG_GOALS := setup clean distclean menuconfig defconfig olddefconfig savedefconfig

defconfig:
	@$(SETUP) -q --no-sources
	kconfig-conf --defconfig=$(DEFCONFIG) Kconfig

olddefconfig:
	@$(SETUP) -q --no-sources
	kconfig-conf --olddefconfig Kconfig

menuconfig:
	@$(SETUP) -q --no-sources
	kconfig-mconf Kconfig

savedefconfig: $(KCONFIG_CONFIG)
	kconfig-conf --savedefconfig=defconfig Kconfig
	@echo "wrote ./defconfig (copy it over $(DEFCONFIG) to make it the default)"

# A build without .config uses the defconfig, as Linux does.
$(KCONFIG_CONFIG):
	@$(SETUP) -q --no-sources
	@echo "  CONFIG  no $(KCONFIG_CONFIG): using $(DEFCONFIG)"
	@kconfig-conf --defconfig=$(DEFCONFIG) Kconfig >/dev/null

# config.h is replaced only when its contents change, so touching a Kconfig
# file rebuilds nothing.  A .config older than a Kconfig file may lack new options: they take their
# defaults (as `make olddefconfig` would), and we say so.
KCONFIG_FILES := $(shell find $(TOP) -name Kconfig -not -path '$(TOP)/$(O)/*')
$(AUTOCONF) $(CONFIG_H): $(KCONFIG_CONFIG) $(KCONFIG_FILES)
	@mkdir -p $(O)/include/config $(O)/include/generated
	@if [ -n "$$(srctree=$(TOP) kconfig-conf --listnewconfig Kconfig 2>/dev/null)" ]; then \
	    echo "  CONFIG  $(KCONFIG_CONFIG) lacks new options: they take their defaults (make menuconfig to change)"; \
	    srctree=$(TOP) kconfig-conf --olddefconfig Kconfig >/dev/null; fi
	@cd $(O) && $(KCONF_ENV) kconfig-conf --silentoldconfig $(TOP)/Kconfig </dev/null >$(abspath $(O))/kconfig.log 2>&1 || \
	    { cat $(abspath $(O))/kconfig.log; echo "configuration failed: try 'make olddefconfig' or 'make menuconfig'" >&2; exit 1; }
	@cmp -s $(CONFIG_H).new $(CONFIG_H) || cp $(CONFIG_H).new $(CONFIG_H)
	@touch $(AUTOCONF)

ifeq ($(filter $(NOCONFIG_GOALS),$(MAKECMDGOALS)),)
-include $(AUTOCONF)
endif

# ---- the pieces --------------------------------------------------------------
include tools/build.mk
include kernel/skimmer/kernel.mk
include user/user.mk
include lib/c/libc.mk
include lib/resmgr/resmgr.mk
include lib/virtio/virtio.mk
include taskman/skimmer/taskman.mk
include ports/mksh/mksh.mk
include ports/toybox/toybox.mk
include tools/image.mk
include tests/tests.mk

ifeq ($(CONFIG_KERNEL_SEL4),y)
all:
	@echo "QSOE/L (seL4) is not yet available: run 'make menuconfig' and choose Skimmer." >&2
	@exit 1
else
all: $(KERNEL_BIN) $(IMAGE) libc resmgr virtio $(if $(filter y,$(CONFIG_IMAGE_EXT2)),$(DISK_IMG))
endif

setup:
	@$(SETUP) $(O)

# ---- running -----------------------------------------------------------------
# The QEMU command line lives in tools/qemu-run alone.  DISK defaults to the
# system disk (docs/ext2.md); `make run DISK=` runs without one.
DISK ?= $(if $(filter y,$(CONFIG_IMAGE_EXT2)),$(DISK_IMG))
QEMU_ENV = KERNEL=$(KERNEL_BIN) INITRD=$(IMAGE) \
           SMP=$${SMP:-$(CONFIG_QEMU_SMP)} MEM=$${MEM:-$(CONFIG_QEMU_MEM_MB)} \
           DISK=$${DISK:-$(DISK)}

run: all
	@$(QEMU_ENV) REBOOT=$${REBOOT:-1} tools/qemu-run

# Every build step that needs a tool orders itself after this; it is quick
# when the machine is already set up.
.PHONY: setup-quiet
setup-quiet:
	@$(SETUP) -q $(O)

clean:
	rm -rf $(O)/kernel $(O)/release $(O)/image $(O)/tests $(O)/host $(O)/include $(KERNEL_BIN) \
	    $(O)/libc $(O)/sysroot $(O)/ltests $(O)/benchprogs $(O)/bin $(O)/bench $(O)/resmgr $(O)/virtio $(O)/servers $(O)/utils $(O)/disk.img $(O)/disk-staging \
	    $(O)/ports

distclean:
	rm -rf $(O) $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old defconfig
