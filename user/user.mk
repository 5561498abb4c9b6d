# user/user.mk - early user programs, built on user/rt (before libc).
#
# Every tests/system/<name>.c is one program, build/user/<name>, linked
# with the runtime at 64 KiB.  The boot image build file lists which go in.

UOUT     := $(O)/user
UCFLAGS  := -std=gnu11 -O2 -g $(WARNFLAGS) -march=rv64gc -mabi=lp64d -mcmodel=medany \
            -ffreestanding -fno-builtin -fno-pie -fno-pic -fno-stack-protector \
            -fno-omit-frame-pointer -Iabi/include -Iuser/rt
URT_SRC  := user/rt/crt0.S user/rt/rt.c user/rt/string.c user/rt/utest.c user/rt/spawn.c
URT_LIB  := lib/elf/elf_load.c lib/newc/newc.c
URT_OBJ  := $(patsubst user/rt/%,$(UOUT)/rt/%.o,$(URT_SRC)) \
            $(patsubst lib/%,$(UOUT)/lib/%.o,$(URT_LIB))
UPROGS   := $(patsubst tests/system/%.c,$(UOUT)/%,$(wildcard tests/system/*.c))

$(UOUT)/rt/%.o: user/rt/% $(CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	@$(CC) $(UCFLAGS) -MMD -MP -c $< -o $@

$(UOUT)/lib/%.o: lib/% $(CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	@$(CC) $(UCFLAGS) -MMD -MP -c $< -o $@

$(UOUT)/%.o: tests/system/%.c $(CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	@$(CC) $(UCFLAGS) -MMD -MP -c $< -o $@

$(UOUT)/%: $(UOUT)/%.o $(URT_OBJ) user/rt/user.ld
	@echo "  ULD     $@"
	@$(CC) $(UCFLAGS) -nostdlib -static -Wl,--build-id=none -T user/rt/user.ld -o $@ $(URT_OBJ) $< -lgcc

.SECONDARY: $(URT_OBJ) $(UPROGS:=.o)
-include $(URT_OBJ:.o=.d) $(UPROGS:=.d)
