# taskman/skimmer/taskman.mk - taskman for Skimmer, built with qsoe-cc on
# musl and the local memory manager (--qsoe-local-mm: taskman maps its own
# memory with MemMap(0, ...); it is the memory manager).  The generic part,
# taskman/common, is the same code the host tests build; lib/elf and
# lib/newc are built again here for musl.

TM_OUT    := $(O)/taskman
TM_SRC    := $(wildcard taskman/skimmer/*.c) $(wildcard taskman/common/*.c) \
             lib/elf/elf_load.c lib/newc/newc.c
TM_OBJ    := $(patsubst %.c,$(TM_OUT)/obj/%.o,$(TM_SRC))
TM_BIN    := $(TM_OUT)/taskman
TM_CFLAGS := -std=gnu11 -O2 -g $(WARNFLAGS) -Iabi/include

$(TM_OUT)/obj/%.o: %.c $(CONFIG_H) $(LIBC_A) $(SYSROOT_ABI) $(QSOE_CC) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  QSOECC  $<"
	@$(QSOE_CC) $(TM_CFLAGS) -MMD -MP -c $< -o $@

$(TM_BIN): $(TM_OBJ) $(LIBC_A) $(LOCALMM_A) $(QSOE_CC)
	@echo "  QSOECC  $@"
	@$(QSOE_CC) --qsoe-local-mm $(TM_CFLAGS) -o $@ $(TM_OBJ)

-include $(TM_OBJ:.o=.d)
