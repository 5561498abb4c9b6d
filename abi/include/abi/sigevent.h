/*
 * abi/sigevent.h - union sigval, struct sigevent and SIGEV_*, in QNX
 * Neutrino's layout.
 *
 * A sigevent crosses the kernel boundary (TimerCreate, TimerTimeout,
 * InterruptAttachEvent, MsgDeliverEvent) and the kernel reads QNX's layout:
 *
 *	 0  sigev_notify		SIGEV_* type | SIGEV_FLAG_* bits
 *	 4  (padding)
 *	 8  sigev_signo | sigev_coid | sigev_id | sigev_notify_function
 *	16  sigev_value			union sigval
 *	24  sigev_code, sigev_priority (int16 each) | sigev_notify_attributes
 *
 * The kernel reads only the union members that the type selects, so the
 * rest of each union (and the padding) may hold anything.
 *
 * Who owns the names.  musl's and glibc's <signal.h> define union sigval
 * and struct sigevent too, with Linux's layout (64 bytes, sigev_value
 * first) and Linux's numbers (SIGEV_SIGNAL 0, SIGEV_NONE 1, SIGEV_THREAD 2).
 * QSOE's libc keeps musl's <signal.h> as it is: a program that includes
 * it has Linux's struct sigevent for POSIX calls (timer_create converts
 * it, lib/c/posix/timer.c), and QNX's calls (<sys/neutrino.h>) take the
 * reserved struct __abi_sigevent.  Only code that includes this header
 * without a libc <signal.h> (the kernel, taskman) has the public names
 * in QNX's layout.  Therefore:
 *  - the layout and values always exist under reserved names that clash
 *    with nothing: union __abi_sigval, struct __abi_sigevent, __ABI_SIGEV_*;
 *  - the public names (union sigval, struct sigevent, the sigev_* members,
 *    SIGEV_*, SIGEV_*_INIT) are added unless a foreign <signal.h> got there
 *    first: glibc's (its __sigevent_t_defined / ____sigval_t_defined guards)
 *    or a stock musl's (SIGEV_SIGNAL defined as 0).  Host unit tests, which
 *    include the host's <signal.h> through unit.h, see only the reserved
 *    names.  Where this header owns the public names, the reserved tags
 *    are macros for them, so both spellings name one type; kernel headers
 *    that host tests include should use the reserved spelling.
 *  - A foreign <signal.h> included *after* this header fails with a
 *    redefinition: include libc headers first.
 * __ABI_OWNS_SIGEVENT is defined when this header provides the public names.
 */
#ifndef ABI_SIGEVENT_H
#define ABI_SIGEVENT_H

#include <abi/cdefs.h>

/* sigev_notify types (the low byte, SIGEV_TYPE_MASK). */
#define __ABI_SIGEV_NONE		0	/* deliver nothing */
#define __ABI_SIGEV_SIGNAL		1	/* signo, value */
#define __ABI_SIGEV_SIGNAL_CODE		2	/* signo, value, code */
#define __ABI_SIGEV_SIGNAL_THREAD	3	/* signo, value, code; to one thread */
#define __ABI_SIGEV_PULSE		4	/* coid, priority, code, value */
#define __ABI_SIGEV_UNBLOCK		5	/* make the blocked call fail (TimerTimeout) */
#define __ABI_SIGEV_INTR		6	/* wake InterruptWait() */
#define __ABI_SIGEV_THREAD		7	/* start notify_function (libc, not the kernel) */
					/* 8 is QNX's SIGEV_MEMORY: not provided */

#define __ABI_SIGEV_TYPE_MASK		0x000000ff
#define __ABI_SIGEV_FLAG_UPDATEABLE	0x00000400	/* the server may change sigev_value before delivery */
#define __ABI_SIGEV_FLAG_SIVAL_INT	0x00000800	/* sigev_value holds an int, not a pointer */
#define __ABI_SIGEV_PULSE_PRIO_INHERIT	(-1)	/* sigev_priority: leave the receiver's priority alone */

#if defined(__sigevent_t_defined) || defined(____sigval_t_defined) || \
    (defined(SIGEV_SIGNAL) && SIGEV_SIGNAL != __ABI_SIGEV_SIGNAL)
#define __ABI_FOREIGN_SIGEVENT 1	/* a Linux-layout <signal.h> owns the names */
#else
#define __ABI_OWNS_SIGEVENT 1
#endif

#ifndef __ASSEMBLER__

#ifdef __ABI_OWNS_SIGEVENT
/* The reserved tags name the public types themselves. */
#define __abi_sigval	sigval
#define __abi_sigevent	sigevent
#endif

union __abi_sigval {
	int		sival_int;
	void		*sival_ptr;
};

struct __abi_sigevent {
	int		sigev_notify;		/* SIGEV_* | SIGEV_FLAG_* */
	int32_t		__sigev_pad;		/* explicit padding; ignored */
	union {
		int	__sigev_signo;		/* SIGEV_SIGNAL*: signal number */
		int	__sigev_coid;		/* SIGEV_PULSE: connection to send on */
		int	__sigev_id;		/* reserved */
		void	(*__sigev_notify_function)(union __abi_sigval); /* SIGEV_THREAD */
	} __sigev_un1;
	union __abi_sigval sigev_value;		/* passed along with the event */
	union {
		struct {
			int16_t	__sigev_code;	/* SIGEV_SIGNAL_CODE/_THREAD, SIGEV_PULSE */
			int16_t	__sigev_priority; /* SIGEV_PULSE: priority of the pulse */
		} __st;
		void	*__sigev_notify_attributes; /* SIGEV_THREAD: pthread_attr_t * */
	} __sigev_un2;
};

__ABI_SIZE(union __abi_sigval, 8, 8);
__ABI_FIELD(union __abi_sigval, sival_int, 0, 4);
__ABI_FIELD(union __abi_sigval, sival_ptr, 0, 8);

__ABI_SIZE(struct __abi_sigevent, 32, 8);
__ABI_FIELD(struct __abi_sigevent, sigev_notify, 0, 4);
__ABI_FIELD(struct __abi_sigevent, __sigev_pad, 4, 4);
__ABI_FIELD(struct __abi_sigevent, __sigev_un1.__sigev_signo, 8, 4);
__ABI_FIELD(struct __abi_sigevent, __sigev_un1.__sigev_coid, 8, 4);
__ABI_FIELD(struct __abi_sigevent, __sigev_un1.__sigev_id, 8, 4);
__ABI_FIELD(struct __abi_sigevent, __sigev_un1.__sigev_notify_function, 8, 8);
__ABI_FIELD(struct __abi_sigevent, sigev_value, 16, 8);
__ABI_FIELD(struct __abi_sigevent, __sigev_un2.__st.__sigev_code, 24, 2);
__ABI_FIELD(struct __abi_sigevent, __sigev_un2.__st.__sigev_priority, 26, 2);
__ABI_FIELD(struct __abi_sigevent, __sigev_un2.__sigev_notify_attributes, 24, 8);

/*
 * The type of an event ignores the flag bits above the low byte; set and
 * test it only through these.
 */
#define __ABI_SIGEV_GET_TYPE(e)						\
	((int)((unsigned)(e)->sigev_notify & __ABI_SIGEV_TYPE_MASK))
#define __ABI_SIGEV_SET_TYPE(e, t)					\
	((e)->sigev_notify = (int)(((unsigned)(e)->sigev_notify &	\
	    ~(unsigned)__ABI_SIGEV_TYPE_MASK) | (unsigned)(t)))

/*
 * Initialisers (public names below).  A value may be an int or a pointer:
 * it is stored through sival_ptr, so on these little-endian LP64 targets
 * sival_int reads the int back.  Fields a type does not use are left alone.
 */
#define __ABI_SIGVAL_OF(v)	((void *)(uintptr_t)(v))
#define __ABI_SIGEV_SIG(e, type, signo, v, c)				\
	((e)->sigev_notify = (type), (e)->__sigev_un1.__sigev_signo = (signo), \
	 (e)->sigev_value.sival_ptr = __ABI_SIGVAL_OF(v),		\
	 (e)->__sigev_un2.__st.__sigev_code = (int16_t)(c))

#define __ABI_SIGEV_NONE_INIT(e)	((e)->sigev_notify = __ABI_SIGEV_NONE)
#define __ABI_SIGEV_UNBLOCK_INIT(e)	((e)->sigev_notify = __ABI_SIGEV_UNBLOCK)
#define __ABI_SIGEV_INTR_INIT(e)	((e)->sigev_notify = __ABI_SIGEV_INTR)
#define __ABI_SIGEV_SIGNAL_INIT(e, signo)				\
	((e)->sigev_notify = __ABI_SIGEV_SIGNAL, (e)->__sigev_un1.__sigev_signo = (signo))
#define __ABI_SIGEV_SIGNAL_VALUE_INIT(e, signo, v)			\
	(__ABI_SIGEV_SIGNAL_INIT(e, signo), (e)->sigev_value.sival_ptr = __ABI_SIGVAL_OF(v))
#define __ABI_SIGEV_SIGNAL_CODE_INIT(e, signo, v, c)			\
	__ABI_SIGEV_SIG(e, __ABI_SIGEV_SIGNAL_CODE, signo, v, c)
#define __ABI_SIGEV_SIGNAL_THREAD_INIT(e, signo, v, c)			\
	__ABI_SIGEV_SIG(e, __ABI_SIGEV_SIGNAL_THREAD, signo, v, c)
#define __ABI_SIGEV_PULSE_INIT(e, coid, prio, c, v)			\
	((e)->sigev_notify = __ABI_SIGEV_PULSE, (e)->__sigev_un1.__sigev_coid = (coid), \
	 (e)->__sigev_un2.__st.__sigev_priority = (int16_t)(prio),	\
	 (e)->__sigev_un2.__st.__sigev_code = (int16_t)(c),		\
	 (e)->sigev_value.sival_ptr = __ABI_SIGVAL_OF(v))
#define __ABI_SIGEV_THREAD_INIT(e, fn, v, attr)				\
	((e)->sigev_notify = __ABI_SIGEV_THREAD,			\
	 (e)->__sigev_un1.__sigev_notify_function = (fn),		\
	 (e)->sigev_value.sival_ptr = __ABI_SIGVAL_OF(v),		\
	 (e)->__sigev_un2.__sigev_notify_attributes = (attr))

#endif /* !__ASSEMBLER__ */

#ifdef __ABI_OWNS_SIGEVENT

#define SIGEV_NONE		__ABI_SIGEV_NONE
#define SIGEV_SIGNAL		__ABI_SIGEV_SIGNAL
#define SIGEV_SIGNAL_CODE	__ABI_SIGEV_SIGNAL_CODE
#define SIGEV_SIGNAL_THREAD	__ABI_SIGEV_SIGNAL_THREAD
#define SIGEV_PULSE		__ABI_SIGEV_PULSE
#define SIGEV_UNBLOCK		__ABI_SIGEV_UNBLOCK
#define SIGEV_INTR		__ABI_SIGEV_INTR
#define SIGEV_THREAD		__ABI_SIGEV_THREAD
#define SIGEV_TYPE_MASK		__ABI_SIGEV_TYPE_MASK
#define SIGEV_FLAG_UPDATEABLE	__ABI_SIGEV_FLAG_UPDATEABLE
#define SIGEV_FLAG_SIVAL_INT	__ABI_SIGEV_FLAG_SIVAL_INT
#define SIGEV_PULSE_PRIO_INHERIT __ABI_SIGEV_PULSE_PRIO_INHERIT

/* Member names: QNX keeps the unions named and reaches in with macros. */
#define sigev_signo		__sigev_un1.__sigev_signo
#define sigev_coid		__sigev_un1.__sigev_coid
#define sigev_id		__sigev_un1.__sigev_id
#define sigev_notify_function	__sigev_un1.__sigev_notify_function
#define sigev_code		__sigev_un2.__st.__sigev_code
#define sigev_priority		__sigev_un2.__st.__sigev_priority
#define sigev_notify_attributes	__sigev_un2.__sigev_notify_attributes

#define SIGEV_GET_TYPE		__ABI_SIGEV_GET_TYPE
#define SIGEV_SET_TYPE		__ABI_SIGEV_SET_TYPE
#define SIGEV_NONE_INIT		__ABI_SIGEV_NONE_INIT
#define SIGEV_UNBLOCK_INIT	__ABI_SIGEV_UNBLOCK_INIT
#define SIGEV_INTR_INIT		__ABI_SIGEV_INTR_INIT
#define SIGEV_SIGNAL_INIT	__ABI_SIGEV_SIGNAL_INIT
#define SIGEV_SIGNAL_VALUE_INIT	__ABI_SIGEV_SIGNAL_VALUE_INIT
#define SIGEV_SIGNAL_CODE_INIT	__ABI_SIGEV_SIGNAL_CODE_INIT
#define SIGEV_SIGNAL_THREAD_INIT __ABI_SIGEV_SIGNAL_THREAD_INIT
#define SIGEV_PULSE_INIT	__ABI_SIGEV_PULSE_INIT
#define SIGEV_THREAD_INIT	__ABI_SIGEV_THREAD_INIT

#endif /* __ABI_OWNS_SIGEVENT */

#endif
