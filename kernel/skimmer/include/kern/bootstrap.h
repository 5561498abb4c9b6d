/*
 * kern/bootstrap.h - starting the first user process (taskman).
 */
#ifndef KERN_BOOTSTRAP_H
#define KERN_BOOTSTRAP_H

#define PRI_USER_DEFAULT	10	/* QNX's default thread priority */
#define BOOT_STACK_SIZE		(256 * 1024)

/*
 * Load path from the boot image as pid 1 with the system's abilities and
 * start it.  Thread context, boot CPU.  0, or -errno with a message on
 * the console.
 */
int bootstrap_init(const char *path);

#endif
