# tools/build.mk - compilers and flags shared by every cross-built piece.

CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
OBJDUMP := $(CROSS_COMPILE)objdump

WARNFLAGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wno-unused-parameter

# The kernel uses no floating point (lp64, no F/D), so user FPU state can be
# switched lazily: only user threads ever own the FPU registers.
KERNEL_CFLAGS := -std=gnu11 -O2 -g $(WARNFLAGS) \
    -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
    -ffreestanding -fno-builtin -nostdinc -fno-common -fno-pie -fno-pic \
    -fno-stack-protector -fno-omit-frame-pointer -fno-optimize-sibling-calls \
    -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
    -mno-relax -mstrict-align \
    -include $(CONFIG_H) -DQSOE_VERSION='"$(VERSION)"' -DQSOE_GITREV='"$(GITREV)"'

KERNEL_ASFLAGS := $(filter-out -std=gnu11,$(KERNEL_CFLAGS)) -D__ASSEMBLY__

HOST_SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS   := -std=gnu11 -O1 -g $(WARNFLAGS) $(HOST_SANFLAGS) -DHOST_TEST
