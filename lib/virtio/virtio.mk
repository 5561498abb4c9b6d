# lib/virtio/virtio.mk - libvirtio (docs/storage.md), the virtio-mmio
# transport and split virtqueues, built with qsoe-cc into the sysroot:
# $(SYSROOT)/lib/libvirtio.a and <hw/virtio.h>.  Shared by the drivers of
# virtio devices (devb-virtio, devnull's virtio-rng); they link -lvirtio.

VIRTIO_A    := $(SYSROOT)/lib/libvirtio.a
VIRTIO_SRC  := $(wildcard lib/virtio/*.c)
VIRTIO_OBJ  := $(patsubst lib/virtio/%.c,$(O)/virtio/%.o,$(VIRTIO_SRC))
VIRTIO_HDRS := $(patsubst lib/virtio/include/%,$(SYSROOT)/include/%,\
                 $(wildcard lib/virtio/include/hw/*.h))

$(VIRTIO_HDRS): $(SYSROOT)/include/%: lib/virtio/include/% | $(LIBC_A)
	@mkdir -p $(dir $@)
	@cp -p $< $@

$(O)/virtio/%.o: lib/virtio/%.c $(VIRTIO_HDRS) $(LIBC_A) $(SYSROOT_ABI) $(QSOE_CC)
	@mkdir -p $(dir $@)
	@echo "  QSOECC  $<"
	@$(QSOE_CC) $(WARNFLAGS) -O2 -g -ffunction-sections -c $< -o $@

$(VIRTIO_A): $(VIRTIO_OBJ)
	@echo "  AR      $@"
	@rm -f $@ && $(CROSS_COMPILE)ar rcs $@ $^

.PHONY: virtio
virtio: $(VIRTIO_A) $(VIRTIO_HDRS)

# The test that probes for devices itself (tests/libc/libcrng.c).
$(LTEST_OUT)/libcrng: $(VIRTIO_A) $(VIRTIO_HDRS)
