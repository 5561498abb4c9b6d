# taskman/skimmer/taskman.mk - taskman for Skimmer, built on the early
# runtime user/rt (until musl exists: then drop shim/ and rt_shim.c and
# link with libc instead).  The generic part, taskman/common, is the same
# code the host tests build.

TM_OUT    := $(O)/taskman
TM_SRC    := $(wildcard taskman/skimmer/*.c) $(wildcard taskman/common/*.c)
TM_OBJ    := $(patsubst %.c,$(TM_OUT)/obj/%.o,$(TM_SRC))
TM_BIN    := $(TM_OUT)/taskman
TM_CFLAGS := $(UCFLAGS) -Itaskman/skimmer/shim

$(TM_OUT)/obj/%.o: %.c $(CONFIG_H) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	@$(CC) $(TM_CFLAGS) -MMD -MP -c $< -o $@

$(TM_BIN): $(TM_OBJ) $(URT_OBJ) user/rt/user.ld
	@echo "  ULD     $@"
	@$(CC) $(TM_CFLAGS) -nostdlib -static -Wl,--build-id=none -T user/rt/user.ld -o $@ \
	    $(URT_OBJ) $(TM_OBJ) -lgcc

-include $(TM_OBJ:.o=.d)
