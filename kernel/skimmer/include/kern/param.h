/*
 * kern/param.h - fixed limits of the kernel, in one place.
 */
#ifndef KERN_PARAM_H
#define KERN_PARAM_H

#define KSTACK_ORDER		2	/* kernel stacks: 2^order pages */
#define KSTACK_SIZE		(4096 << KSTACK_ORDER)	/* every kernel stack, boot ones too */

#define SMP_MAX_HARTID		64	/* hart ids the wrong-door table of head.S covers */
#define SMP_HART_PARK		1	/* in that table: this hart is not wanted */
#define MAX_PROCS		1024	/* live processes (pid table) */
#define MAX_THREADS		4096	/* live user threads (rcvid slots) */
#define PROC_MAX_CHANNELS	64	/* channels per process */
#define PROC_MAX_CONNS		256	/* ordinary connections per process */
#define PROC_MAX_SIDE_CONNS	64	/* side-channel connections per process */
#define PROC_MAX_TIMERS		32	/* TimerCreate timers per process */
#define CHANNEL_MAX_PULSES	1024	/* queued pulses per channel before EAGAIN */
#define LAZY_RESERVE_FRAMES	1024	/* lazy pages are not filled below this many free
					   frames (4 MiB): a process touching more than
					   there is gets SIGBUS while the kernel and the
					   servers keep room (kern/vm.c) */

#endif
