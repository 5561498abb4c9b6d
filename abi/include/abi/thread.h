/*
 * abi/thread.h - threads and scheduling: thread states (STATE_*),
 * struct sched_param and the SCHED_* policies, struct _thread_attr for
 * ThreadCreate(), and the ThreadCtl() commands.
 */
#ifndef ABI_THREAD_H
#define ABI_THREAD_H

#include <abi/cdefs.h>

/*
 * Thread states, QNX's numbering (pidin shows them).  A blocking kernel
 * call puts the thread in one of these; TimerTimeout() names the states
 * it applies to as bit masks (1 << STATE_x, abi/time.h).
 */
#define STATE_DEAD		0x00	/* exited, not yet joined */
#define STATE_RUNNING		0x01	/* on a CPU */
#define STATE_READY		0x02	/* runnable, waiting for a CPU */
#define STATE_STOPPED		0x03	/* held (SIGSTOP, ThreadCtl hold) */
#define STATE_SEND		0x04	/* MsgSend*: waiting for a receiver */
#define STATE_RECEIVE		0x05	/* MsgReceive*: waiting for a message or pulse */
#define STATE_REPLY		0x06	/* MsgSend*: received, waiting for the reply */
#define STATE_STACK		0x07	/* QNX: waiting for stack memory (never on Skimmer) */
#define STATE_WAITTHREAD	0x08	/* ThreadCreate: waiting for the new thread to exist */
#define STATE_WAITPAGE		0x09	/* waiting for the pager (taskman) */
#define STATE_SIGSUSPEND	0x0a	/* SignalSuspend */
#define STATE_SIGWAITINFO	0x0b	/* SignalWaitinfo */
#define STATE_NANOSLEEP		0x0c	/* TimerTimeout(_NTO_TIMEOUT_NANOSLEEP) */
#define STATE_MUTEX		0x0d	/* SyncMutexLock */
#define STATE_CONDVAR		0x0e	/* SyncCondvarWait */
#define STATE_JOIN		0x0f	/* ThreadJoin */
#define STATE_INTR		0x10	/* InterruptWait */
#define STATE_SEM		0x11	/* SyncSemWait */
#define STATE_WAITCTX		0x12	/* QNX: waiting for a register context (never) */
#define STATE_NET_SEND		0x13	/* Qnet (never) */
#define STATE_NET_REPLY		0x14	/* Qnet (never) */
#define STATE_MAX		0x18	/* states are below this */

/* The states' names, as QNX's pidin prints them (pidin, taskman's /proc/<pid>/threads). */
#define STATE_NAMES_INIT {						\
	[STATE_DEAD] = "DEAD", [STATE_RUNNING] = "RUNNING", [STATE_READY] = "READY",	\
	[STATE_STOPPED] = "STOPPED", [STATE_SEND] = "SEND", [STATE_RECEIVE] = "RECEIVE",	\
	[STATE_REPLY] = "REPLY", [STATE_STACK] = "STACK", [STATE_WAITTHREAD] = "WAITTHREAD",	\
	[STATE_WAITPAGE] = "WAITPAGE", [STATE_SIGSUSPEND] = "SIGSUSPEND",		\
	[STATE_SIGWAITINFO] = "SIGWAITINFO", [STATE_NANOSLEEP] = "NANOSLEEP",		\
	[STATE_MUTEX] = "MUTEX", [STATE_CONDVAR] = "CONDVAR", [STATE_JOIN] = "JOIN",	\
	[STATE_INTR] = "INTR", [STATE_SEM] = "SEM", [STATE_WAITCTX] = "WAITCTX",	\
	[STATE_NET_SEND] = "NET_SEND", [STATE_NET_REPLY] = "NET_REPLY",		\
}

/*
 * Does a foreign <sched.h> (glibc's, or a stock musl's, which defines
 * SCHED_OTHER) own struct sched_param?  Decided before the SCHED_* below.
 */
#if defined(_BITS_TYPES_STRUCT_SCHED_PARAM) || defined(SCHED_OTHER)
#define __ABI_FOREIGN_SCHED_PARAM 1
#else
#define __ABI_OWNS_SCHED_PARAM 1
#endif

/*
 * Scheduling policies.  The seam uses musl's (Linux's) numbers, not QNX's
 * (QNX: NOCHANGE 0, FIFO 1, RR 2, OTHER 3, SPORADIC 4).  FIFO and RR agree;
 * SCHED_OTHER is 0 here and behaves as SCHED_RR, as on QNX.  SPORADIC keeps
 * QNX's 4, which Linux leaves unused.  SCHED_NOCHANGE (SchedSet: keep the
 * policy, change the priority) cannot be QNX's 0, so it is -1.
 */
#ifndef SCHED_OTHER
#define SCHED_OTHER		0
#endif
#ifndef SCHED_FIFO
#define SCHED_FIFO		1
#endif
#ifndef SCHED_RR
#define SCHED_RR		2
#endif
#ifndef SCHED_SPORADIC
#define SCHED_SPORADIC		4	/* not supported yet: EINVAL */
#endif
#ifndef SCHED_NOCHANGE
#define SCHED_NOCHANGE		(-1)
#endif

/* ThreadCtl() commands (data is what the command reads or writes). */
#define _NTO_TCTL_IO_PRIV	1	/* QNX 6 name of _NTO_TCTL_IO: same meaning here */
#define _NTO_TCTL_THREADS_HOLD	2	/* hold every other thread of the process */
#define _NTO_TCTL_THREADS_CONT	3	/* release them */
#define _NTO_TCTL_RUNMASK	4	/* data: the new CPU mask (uintptr_t) */
#define _NTO_TCTL_ALIGN_FAULT	5	/* data: int *; misaligned access faults (>0) or not */
#define _NTO_TCTL_RUNMASK_GET_AND_SET 6	/* data: unsigned *; swap the CPU mask */
#define _NTO_TCTL_ONE_THREAD_HOLD 8	/* data: tid to hold */
#define _NTO_TCTL_ONE_THREAD_CONT 9	/* data: tid to release */
#define _NTO_TCTL_NAME		11	/* data: struct _thread_name * */
#define _NTO_TCTL_IO		14	/* device access: interrupts, device memory */
#define _NTO_TCTL_ADD_EXIT_EVENT 17	/* data: struct sigevent *; deliver at exit */
#define _NTO_TCTL_DEL_EXIT_EVENT 18	/* data: struct sigevent *; undo the above */

#define _NTO_THREAD_NAME_MAX	100	/* longest thread name, without the NUL */

/* _thread_attr.__flags bits the kernel reads (QNX's PTHREAD_* bit values). */
#define _NTO_TA_DETACHED	0x01	/* nobody will join it (PTHREAD_CREATE_DETACHED) */
#define _NTO_TA_EXPLICIT_SCHED	0x02	/* use __policy/__param, not the creator's */
#define _NTO_TA_SCOPE_PROCESS	0x04	/* process contention scope: EINVAL */
#define _NTO_TA_MULTISIG_DISALLOW 0x08	/* a killing signal ends only this thread */
#define _NTO_TA_LIBC_MASK	0x70	/* libc's own bits (cancel state): ignored */

#ifndef __ASSEMBLER__

/*
 * Scheduling parameters.  Like union sigval and struct sigevent, the name
 * is libc's too (<sched.h>), with another layout: glibc's is one int,
 * musl's is 48 bytes with reserved fields.  QSOE's libc uses this one; a
 * host test that has the host's <sched.h> sees it only as
 * struct __abi_sched_param (see abi/sigevent.h for the scheme).
 */
#ifdef __ABI_OWNS_SCHED_PARAM
#define __abi_sched_param	sched_param	/* the reserved tag names the public type */
#endif

struct __abi_sched_param {
	int32_t		sched_priority;		/* requested priority, 0..255 */
	int32_t		sched_curpriority;	/* (SchedGet) current, possibly inherited */
	union {
		int32_t	__reserved[10];
		struct {			/* SCHED_SPORADIC, when it comes */
			int32_t	__ss_low_priority;
			int32_t	__ss_max_repl;
			int64_t	__ss_repl_period[2];	/* a struct timespec */
			int64_t	__ss_init_budget[2];	/* a struct timespec */
		} __ss;
	} __ss_un;
};

__ABI_SIZE(struct __abi_sched_param, 48, 8);
__ABI_FIELD(struct __abi_sched_param, sched_priority, 0, 4);
__ABI_FIELD(struct __abi_sched_param, sched_curpriority, 4, 4);
__ABI_FIELD(struct __abi_sched_param, __ss_un.__reserved, 8, 40);
__ABI_FIELD(struct __abi_sched_param, __ss_un.__ss.__ss_low_priority, 8, 4);
__ABI_FIELD(struct __abi_sched_param, __ss_un.__ss.__ss_max_repl, 12, 4);
__ABI_FIELD(struct __abi_sched_param, __ss_un.__ss.__ss_repl_period, 16, 16);
__ABI_FIELD(struct __abi_sched_param, __ss_un.__ss.__ss_init_budget, 32, 16);

/*
 * ThreadCreate()'s attributes: QNX 7's struct _thread_attr (which is also
 * QNX's pthread_attr_t), with its padding named.  The stack is the
 * caller's to provide: Skimmer allocates no user memory (docs/kernel-calls.md).
 */
struct _thread_attr {
	int32_t		__flags;	/* _NTO_TA_* */
	int32_t		__pad0;		/* ignored */
	uint64_t	__stacksize;	/* bytes at __stackaddr */
	void		*__stackaddr;	/* lowest address of the stack */
	void		(*__exitfunc)(void *); /* where func returns to (libc's thread exit) */
	int32_t		__policy;	/* SCHED_* (with _NTO_TA_EXPLICIT_SCHED) */
	int32_t		__pad1;		/* ignored */
	struct __abi_sched_param __param; /* priority (with _NTO_TA_EXPLICIT_SCHED) */
	uint32_t	__guardsize;	/* guard below the stack: libc's, informational */
	uint32_t	__prealloc;	/* QNX lazy-stack preallocation: must be 0 */
	int32_t		__spare[2];	/* must be 0 */
};

__ABI_SIZE(struct _thread_attr, 104, 8);
__ABI_FIELD(struct _thread_attr, __flags, 0, 4);
__ABI_FIELD(struct _thread_attr, __pad0, 4, 4);
__ABI_FIELD(struct _thread_attr, __stacksize, 8, 8);
__ABI_FIELD(struct _thread_attr, __stackaddr, 16, 8);
__ABI_FIELD(struct _thread_attr, __exitfunc, 24, 8);
__ABI_FIELD(struct _thread_attr, __policy, 32, 4);
__ABI_FIELD(struct _thread_attr, __pad1, 36, 4);
__ABI_FIELD(struct _thread_attr, __param, 40, 48);
__ABI_FIELD(struct _thread_attr, __guardsize, 88, 4);
__ABI_FIELD(struct _thread_attr, __prealloc, 92, 4);
__ABI_FIELD(struct _thread_attr, __spare, 96, 8);

/*
 * ThreadCtl(_NTO_TCTL_NAME): set the caller's name from name_buf when
 * new_name_len >= 0 (a length, 0 clears it), and copy the old name into
 * name_buf when name_buf_len > 0 (QNX's convention).
 */
/*
 * ThreadInfo(pid, tid, info): what pidin shows of a thread.  The first
 * thread of process pid (0: the caller's) whose id is tid or more; the
 * call returns its id, so a loop from 1 lists them all.
 */
struct _thread_info {
	int32_t		ti_tid;
	int32_t		ti_state;	/* STATE_* (RUNNING: on a CPU now) */
	int32_t		ti_priority;	/* current, with inheritance */
	int32_t		ti_base_priority;
	int32_t		ti_policy;	/* SCHED_* */
	int32_t		ti_cpu;		/* the CPU it belongs to */
	uint64_t	ti_runtime_ns;	/* CPU time (up to its last switch-out) */
	char		ti_name[16];	/* _NTO_TCTL_NAME, NUL-terminated */
};

__ABI_SIZE(struct _thread_info, 48, 8);
__ABI_FIELD(struct _thread_info, ti_runtime_ns, 24, 8);
__ABI_FIELD(struct _thread_info, ti_name, 32, 16);

struct _thread_name {
	int32_t		new_name_len;	/* length of the new name, or -1 to only read */
	int32_t		name_buf_len;	/* room in name_buf */
	char		name_buf[];	/* in: the new name; out: the old one */
};

__ABI_SIZE(struct _thread_name, 8, 4);
__ABI_FIELD(struct _thread_name, new_name_len, 0, 4);
__ABI_FIELD(struct _thread_name, name_buf_len, 4, 4);
__ABI_ASSERT(offsetof(struct _thread_name, name_buf) == 8, "ABI: _thread_name.name_buf moved");

#endif /* !__ASSEMBLER__ */

#endif
