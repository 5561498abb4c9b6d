/*
 * abi/signal.h - signals: numbers, the SignalAction record, and the frame
 * the kernel builds on the user stack to run a handler.
 *
 * Numbers and SA_* flags are Linux's (musl's), so libc passes them through
 * unchanged.  The names are defined only if nobody defined them first; the
 * values are identical to musl's and glibc's, so either order is fine.
 *
 * A signal set crossing the kernel boundary is one 64-bit word: bit
 * (signo - 1) stands for signo, as in the first word of musl's sigset_t.
 *
 * The handler frame (pushed below the interrupted sp, 16-byte aligned):
 *
 *	sp ->	struct __abi_ucontext	(musl's riscv64 ucontext_t layout)
 *		struct __abi_siginfo	(musl's siginfo_t layout, 128 bytes)
 *
 * The thread enters the handler with pc = handler, a0 = signo,
 * a1 = &siginfo, a2 = &ucontext, ra = the sigstub the process gave
 * SignalAction, and the signal mask extended by sa_mask (and signo unless
 * SA_NODEFER).  When the handler returns, the stub calls SignalReturn(sp),
 * which restores every register, the FP state and the mask from the
 * ucontext (a handler may edit it, as with swapcontext).
 */
#ifndef ABI_SIGNAL_H
#define ABI_SIGNAL_H

#include <abi/cdefs.h>

#ifndef SIGHUP
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#endif
#define __ABI_SIGRTMIN	32	/* musl reserves 32..34 for itself */
#define __ABI_NSIG	64	/* signals are 1..64 */

#ifndef SA_NOCLDSTOP
#define SA_NOCLDSTOP	0x00000001	/* no SIGCHLD when a child stops */
#define SA_NOCLDWAIT	0x00000002	/* children are not kept as zombies (taskman) */
#define SA_SIGINFO	0x00000004	/* handler(signo, info, context) */
#define SA_ONSTACK	0x08000000	/* run the handler on the thread's alternate stack */
#define SA_RESTART	0x10000000	/* restart an interrupted restartable call */
#define SA_NODEFER	0x40000000	/* do not block signo in its handler */
#define SA_RESETHAND	0x80000000	/* back to SIG_DFL once delivered */
#endif
/* The flags SignalAction accepts; others give EINVAL. */
#define __ABI_SA_KNOWN	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_RESTART | \
			 SA_NODEFER | SA_RESETHAND | SA_ONSTACK)

/* sa_handler values that are not addresses. */
#define __ABI_SIG_DFL	0UL
#define __ABI_SIG_IGN	1UL

/* SignalProcmask how (musl's values). */
#define __ABI_SIG_BLOCK		0
#define __ABI_SIG_UNBLOCK	1
#define __ABI_SIG_SETMASK	2
#define __ABI_SIG_PENDING	5	/* QNX's: oldset gets the pending signals (set ignored) */

/* asi_code values (Linux's). */
#define __ABI_SI_USER		0	/* SignalKill with code 0 (kill) */
#define __ABI_SI_KERNEL		0x80	/* the kernel (faults without detail) */
#define __ABI_SI_QUEUE		(-1)	/* sigqueue */
#define __ABI_SI_TIMER		(-2)	/* a timer's SIGEV_SIGNAL */
#define __ABI_SI_MESGQ		(-3)
#define __ABI_SI_ASYNCIO	(-4)
#define __ABI_SI_TKILL		(-6)	/* pthread_kill */
#define __ABI_SEGV_MAPERR	1	/* SIGSEGV: no mapping */
#define __ABI_SEGV_ACCERR	2	/* SIGSEGV: mapped without the access */
#define __ABI_ILL_ILLOPC	1	/* SIGILL: illegal opcode */
#define __ABI_BUS_ADRALN	1	/* SIGBUS: misaligned */
#define __ABI_BUS_ADRERR	2	/* SIGBUS: no memory for the address (a lazy page) */
#define __ABI_TRAP_BRKPT	1	/* SIGTRAP: ebreak */

#ifndef __ASSEMBLER__

/* SignalAction's act and oact. */
struct __abi_sigaction {
	uint64_t	asa_handler;	/* SIG_DFL, SIG_IGN or the handler's address */
	uint64_t	asa_flags;	/* SA_* */
	uint64_t	asa_mask;	/* blocked while the handler runs */
};

/* siginfo_t as musl lays it out on 64-bit Linux. */
struct __abi_siginfo {
	int32_t		asi_signo;
	int32_t		asi_errno;
	int32_t		asi_code;
	int32_t		__asi_pad;
	union {
		struct {
			int32_t	asi_pid;		/* sender (SI_USER, SI_QUEUE, SIGCHLD) */
			uint32_t asi_uid;
			int64_t	asi_value;	/* union sigval (SI_QUEUE, SI_TIMER) */
		} __asi_kill;
		struct {
			int32_t	asi_pid;
			uint32_t asi_uid;
			int32_t	asi_status;	/* SIGCHLD: exit code or signal */
		} __asi_chld;
		uint64_t	asi_addr;	/* faults: the address */
		uint8_t		__asi_bytes[112];
	} __asi_fields;
};

/*
 * stack_t: SignalAltstack's alternate stack and uc_stack.  ss_flags
 * (musl's values): __ABI_SS_ONSTACK (reported: the thread runs on it),
 * __ABI_SS_DISABLE (none).  An enabled stack has at least
 * __ABI_MINSIGSTKSZ bytes (musl's riscv64 MINSIGSTKSZ).
 */
#define __ABI_SS_ONSTACK	1
#define __ABI_SS_DISABLE	2
#define __ABI_MINSIGSTKSZ	2048

struct __abi_stack {
	uint64_t	ss_sp;
	int32_t		ss_flags;
	int32_t		__ss_pad;
	uint64_t	ss_size;
};

/* ucontext_t on riscv64 (musl's arch/riscv64/bits/signal.h). */
struct __abi_ucontext {
	uint64_t	uc_flags;	/* __ABI_UC_* */
	uint64_t	uc_link;
	struct __abi_stack uc_stack;
	uint64_t	uc_sigmask[16];	/* sigset_t; the kernel uses word 0 */
	uint64_t	__uc_pad;	/* mcontext is 16-byte aligned */
	uint64_t	uc_gregs[32];	/* [0] = pc, [n] = xn */
	uint64_t	uc_fpregs[32];	/* f0..f31 (musl's "d" view of the union) */
	uint32_t	uc_fcsr;
	uint32_t	__uc_fpreserved[67];	/* the rest of the 528-byte union */
};

/* uc_flags: the FP registers in the context are valid (the thread used the FPU). */
#define __ABI_UC_FP	0x1

_Static_assert(sizeof(struct __abi_sigaction) == 24, "sigaction ABI");
_Static_assert(sizeof(struct __abi_siginfo) == 128, "siginfo_t is 128 bytes");
_Static_assert(__builtin_offsetof(struct __abi_siginfo, __asi_fields) == 16, "siginfo union");
_Static_assert(__builtin_offsetof(struct __abi_siginfo, __asi_fields.__asi_kill.asi_value) == 24,
    "asi_value");
_Static_assert(sizeof(struct __abi_stack) == 24, "stack_t");
_Static_assert(__builtin_offsetof(struct __abi_ucontext, uc_sigmask) == 40, "uc_sigmask");
_Static_assert(__builtin_offsetof(struct __abi_ucontext, uc_gregs) == 176, "uc_mcontext");
_Static_assert(__builtin_offsetof(struct __abi_ucontext, uc_fpregs) == 432, "fpregs");
_Static_assert(__builtin_offsetof(struct __abi_ucontext, uc_fcsr) == 688, "fcsr");
_Static_assert(sizeof(struct __abi_ucontext) == 960, "ucontext_t");

#endif /* !__ASSEMBLER__ */
#endif
