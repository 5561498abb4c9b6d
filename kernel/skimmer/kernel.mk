# kernel/skimmer/kernel.mk - building Skimmer.  Included by the top Makefile.
#
# Every .c/.S under kern/ and arch/riscv64/ is part of the kernel; the
# self-tests under selftest/ only with CONFIG_SKIMMER_SELFTEST, the stress
# test under stress/ only with CONFIG_SKIMMER_STRESS.

KDIR       := kernel/skimmer
KOUT       := $(O)/kernel
KERNEL_ELF := $(KOUT)/skimmer.elf
KERNEL_BIN := $(O)/skimmer.bin

KSRC := $(wildcard $(KDIR)/kern/*.c $(KDIR)/kern/*/*.c \
                   $(KDIR)/arch/riscv64/*.c $(KDIR)/arch/riscv64/*.S)
ifeq ($(CONFIG_SKIMMER_SELFTEST),y)
KSRC += $(wildcard $(KDIR)/selftest/*.c $(KDIR)/selftest/*.S)
endif
ifeq ($(CONFIG_SKIMMER_STRESS),y)
KSRC += $(wildcard $(KDIR)/stress/*.c)
endif
# Pure libraries shared with user space (taskman) and host tests.
KLIBSRC := lib/newc/newc.c lib/elf/elf_load.c
KOBJ := $(patsubst $(KDIR)/%,$(KOUT)/%.o,$(KSRC)) $(patsubst lib/%,$(KOUT)/lib/%.o,$(KLIBSRC))

KINC := -nostdinc -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
        -I$(KDIR)/include -I$(KDIR)/arch/riscv64/include -Iabi/include -I$(O)/include

# The IPC fast path's entry points are called only by trap.S, which keeps
# every user register in the trap frame: they need not save s1-s11
# (kern/msg_fast.c says why, and what that forbids).
MSG_FAST_CFLAGS := $(foreach r,1 2 3 4 5 6 7 8 9 10 11,-fcall-used-s$(r))

# The object list itself is a dependency, so removing a source relinks.
$(KOUT)/objs.list: FORCE
	@mkdir -p $(dir $@)
	@echo "$(KOBJ)" > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

# The rules that build a kernel from KSRC and KLIBSRC into directory $(1),
# its objects $(2), with configuration header $(3) in place of CONFIG_H;
# $(4) marks the build in the log.  Two kernels are built: the default
# one and the release one.
define kernel_build
$(1)/kern/msg_fast.c.o: KFILE_CFLAGS := $$(MSG_FAST_CFLAGS)

$(1)/%.c.o: $$(KDIR)/%.c $(3) | setup-quiet
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$<$(4)"
	@$$(CC) $$(subst $$(CONFIG_H),$(3),$$(KERNEL_CFLAGS)) $$(KFILE_CFLAGS) $$(KINC) -MMD -MP -c $$< -o $$@

$(1)/lib/%.c.o: lib/%.c $(3) | setup-quiet
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$<$(4)"
	@$$(CC) $$(subst $$(CONFIG_H),$(3),$$(KERNEL_CFLAGS)) $$(KINC) -MMD -MP -c $$< -o $$@

$(1)/%.S.o: $$(KDIR)/%.S $(3) | setup-quiet
	@mkdir -p $$(dir $$@)
	@echo "  AS      $$<$(4)"
	@$$(CC) $$(subst $$(CONFIG_H),$(3),$$(KERNEL_ASFLAGS)) $$(KINC) -MMD -MP -c $$< -o $$@

$(1)/skimmer.elf: $(2) $$(KOUT)/objs.list $$(KDIR)/arch/riscv64/kernel.ld
	@echo "  LD      $$@"
	@$$(LD) -nostdlib -T $$(KDIR)/arch/riscv64/kernel.ld --no-relax -o $$@ $(2)
endef

$(eval $(call kernel_build,$(KOUT),$(KOBJ),$(CONFIG_H),))

$(KERNEL_BIN): $(KERNEL_ELF)
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

# The release kernel: the same configuration and sources without
# CONFIG_INVARIANTS (the costly debugging checks), as a kernel would ship.
# Only `make bench` builds it, to measure both (docs/benchmarks.md); the
# image it boots is the same.
KREL_OUT      := $(O)/release
KREL_BIN      := $(KREL_OUT)/skimmer.bin
KREL_CONFIG_H := $(KREL_OUT)/include/generated/config.h
KREL_OBJ      := $(patsubst $(KOUT)/%,$(KREL_OUT)/%,$(KOBJ))

$(KREL_CONFIG_H): $(CONFIG_H)
	@mkdir -p $(dir $@)
	@grep -v '^#define CONFIG_INVARIANTS ' $< > $@.new
	@cmp -s $@.new $@ 2>/dev/null && rm -f $@.new || mv $@.new $@

$(eval $(call kernel_build,$(KREL_OUT),$(KREL_OBJ),$(KREL_CONFIG_H), (release)))

$(KREL_BIN): $(KREL_OUT)/skimmer.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

-include $(KOBJ:.o=.d) $(KREL_OBJ:.o=.d)
