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
$(KOUT)/kern/msg_fast.c.o: KFILE_CFLAGS := $(MSG_FAST_CFLAGS)

$(KOUT)/%.c.o: $(KDIR)/%.c $(CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) $(KFILE_CFLAGS) $(KINC) -MMD -MP -c $< -o $@

$(KOUT)/lib/%.c.o: lib/%.c $(CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) $(KINC) -MMD -MP -c $< -o $@

$(KOUT)/%.S.o: $(KDIR)/%.S $(CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KERNEL_ASFLAGS) $(KINC) -MMD -MP -c $< -o $@

# The object list itself is a dependency, so removing a source relinks.
$(KOUT)/objs.list: FORCE
	@mkdir -p $(dir $@)
	@echo "$(KOBJ)" > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(KERNEL_ELF): $(KOBJ) $(KOUT)/objs.list $(KDIR)/arch/riscv64/kernel.ld
	@echo "  LD      $@"
	@$(LD) -nostdlib -T $(KDIR)/arch/riscv64/kernel.ld --no-relax -o $@ $(KOBJ)

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
KREL_CFLAGS    = $(subst $(CONFIG_H),$(KREL_CONFIG_H),$(KERNEL_CFLAGS))
KREL_ASFLAGS   = $(subst $(CONFIG_H),$(KREL_CONFIG_H),$(KERNEL_ASFLAGS))

$(KREL_CONFIG_H): $(CONFIG_H)
	@mkdir -p $(dir $@)
	@grep -v '^#define CONFIG_INVARIANTS ' $< > $@.new
	@cmp -s $@.new $@ 2>/dev/null && rm -f $@.new || mv $@.new $@

$(KREL_OUT)/kern/msg_fast.c.o: KFILE_CFLAGS := $(MSG_FAST_CFLAGS)

$(KREL_OUT)/%.c.o: $(KDIR)/%.c $(KREL_CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  CC      $< (release)"
	@$(CC) $(KREL_CFLAGS) $(KFILE_CFLAGS) $(KINC) -MMD -MP -c $< -o $@

$(KREL_OUT)/lib/%.c.o: lib/%.c $(KREL_CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  CC      $< (release)"
	@$(CC) $(KREL_CFLAGS) $(KINC) -MMD -MP -c $< -o $@

$(KREL_OUT)/%.S.o: $(KDIR)/%.S $(KREL_CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  AS      $< (release)"
	@$(CC) $(KREL_ASFLAGS) $(KINC) -MMD -MP -c $< -o $@

$(KREL_OUT)/skimmer.elf: $(KREL_OBJ) $(KOUT)/objs.list $(KDIR)/arch/riscv64/kernel.ld
	@echo "  LD      $@"
	@$(LD) -nostdlib -T $(KDIR)/arch/riscv64/kernel.ld --no-relax -o $@ $(KREL_OBJ)

$(KREL_BIN): $(KREL_OUT)/skimmer.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

-include $(KOBJ:.o=.d) $(KREL_OBJ:.o=.d)
