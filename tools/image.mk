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
