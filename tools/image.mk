# tools/image.mk - the boot image (a newc cpio archive, built by tools/mkifs).

IMAGE       := $(O)/image/qsoe.cpio
IMAGE_BUILD := boot/qsoe.build

$(IMAGE): $(IMAGE_BUILD) tools/mkifs $(AUTOCONF) $(shell find boot -type f 2>/dev/null) $(UPROGS) $(LTESTS) $(BENCHPROGS) $(UTILS) $(TM_BIN) $(SERVERS) $(PORTS) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  MKIFS   $@"
	@tools/mkifs --config $(AUTOCONF) --root $(TOP) $(IMAGE_BUILD) $@

# A copy with its last entry broken, for the boot tm-corrupt-image (tools/mkcorrupt).
CORRUPT_IMAGE := $(O)/image/qsoe-corrupt.cpio

$(CORRUPT_IMAGE): $(IMAGE) tools/mkcorrupt
	@echo "  CORRUPT $@"
	@tools/mkcorrupt $(IMAGE) $@

# The system disk (docs/ext2.md): an ext2 image of boot/disk/ with the
# utilities in /bin, made by mke2fs -d (tools/ext2-image disk).  `make run`
# attaches it as /dev/hd0 and the startup script mounts it on /mnt.  It is
# made again (losing what the guest wrote) when its inputs change.
DISK_IMG     := $(O)/disk.img
DISK_STAGING := $(O)/disk-staging
DISK_MIB     ?= 64

$(DISK_IMG): $(shell find boot/disk -type f 2>/dev/null) $(UTILS) tools/ext2-image | setup-quiet
	@echo "  MKE2FS  $@"
	@rm -rf $(DISK_STAGING) && mkdir -p $(DISK_STAGING)/bin
	@cp -R boot/disk/. $(DISK_STAGING)/
	@cp $(UTILS) $(DISK_STAGING)/bin/
	@tools/ext2-image disk $@ $(DISK_MIB) $(DISK_STAGING)
