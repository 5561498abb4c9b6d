/*
 * abi/vmlayout.h - fixed points of a user address space (Sv39: user space
 * is [0, 0x4000000000)).  Everything else is taskman's to place.
 */
#ifndef ABI_VMLAYOUT_H
#define ABI_VMLAYOUT_H

#define USER_SPACE_TOP	0x0000004000000000UL	/* first address past user space */
#define USER_STACK_TOP	0x0000003ff0000000UL	/* the first thread's stack grows down from here */
#define BOOTIMG_VA	0x0000003ff0000000UL	/* taskman: the boot image, read-only */
#define BOOTIMG_MAX	0x000000000f000000UL	/* at most 240 MiB of boot image */

/*
 * The first process finds the kernel command line (NUL-terminated) at
 * INIT_ARGS_VA, the top INIT_ARGS_MAX bytes of its stack; its sp starts
 * below it.  taskman reads its options (script=) there.
 */
#define INIT_ARGS_MAX	512UL
#define INIT_ARGS_VA	(USER_STACK_TOP - INIT_ARGS_MAX)

#endif
