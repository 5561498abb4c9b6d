/*
 * arch/riscv64/trap.c - trap dispatch and the exception report.
 */
#include <kern/cpu.h>
#include <kern/cputime.h>
#include <kern/intr.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/proc.h>
#include <kern/syscall.h>
#include <kern/smp.h>
#include <kern/timer.h>
#include <kern/shutdown.h>
#include <kern/signal.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/kercall.h>
#include <abi/procmgr.h>
#include <arch/csr.h>
#include <arch/fpu.h>
#include <arch/intr.h>
#include <arch/kercall.h>
#include <arch/memlayout.h>
#include <arch/trapframe.h>

void trap_handler(struct trapframe *tf);
void trap_kercall(struct trapframe *tf);
static void user_trap(struct trapframe *tf);
extern char trap_vector[];

static const char *const exc_names[] = {
	[EXC_INST_MISALIGNED] = "instruction address misaligned",
	[EXC_INST_ACCESS] = "instruction access fault",
	[EXC_ILLEGAL_INST] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store address misaligned",
	[EXC_STORE_ACCESS] = "store access fault",
	[EXC_ECALL_U] = "ecall from U-mode",
	[EXC_ECALL_S] = "ecall from S-mode",
	[EXC_INST_PAGE_FAULT] = "instruction page fault",
	[EXC_LOAD_PAGE_FAULT] = "load page fault",
	[EXC_STORE_PAGE_FAULT] = "store page fault",
};

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
	"a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
	"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

/* Install the trap vector on this hart.  Called once per CPU at start. */
void trap_init_cpu(void);

void
trap_init_cpu(void)
{
	csr_write(sscratch, 0);
	csr_write(stvec, (uintptr_t)trap_vector);
	csr_clear(sstatus, SSTATUS_FS_MASK);	/* FPU off until a thread uses it */
	csr_write(scounteren, 7);		/* user may read cycle, time, instret */
}

void
trap_report(const struct trapframe *tf)
{
	uint64_t cause = tf->tf_scause & ~SCAUSE_INTR;
	const char *name = cause < ARRAY_SIZE(exc_names) && exc_names[cause] ?
	    exc_names[cause] : "unknown";

	kprintf("trap: %s (scause %lu) in %s mode on cpu %d, thread %s\n", name, cause,
	    (tf->tf_sstatus & SSTATUS_SPP) ? "kernel" : "user", mycpu_id(),
	    mycpu()->gd_curthread ? mycpu()->gd_curthread->td_name : "?");
	kprintf("  sepc %p stval %p sstatus %p\n", (void *)tf->tf_sepc,
	    (void *)tf->tf_stval, (void *)tf->tf_sstatus);
	for (int i = 1; i < 32; i++)
		kprintf("  %-4s %p%s", reg_names[i], (void *)tf->tf_regs[i],
		    (i % 4 == 0 || i == 31) ? "\n" : "");
	if (tf->tf_sstatus & SSTATUS_SPP)
		backtrace_from_arch(tf->tf_regs[REG_S0], tf->tf_sepc);
}

static void
interrupt(uint64_t code)
{
	switch (code) {
	case IRQ_S_SOFT:
		csr_clear(sip, 1UL << IRQ_S_SOFT);
		smp_halt_if_stopping();
		ipiq_intr();
		break;
	case IRQ_S_TIMER:
		timer_intr();
		break;
	case IRQ_S_EXT:
		intr_external();
		break;
	default:
		panic("unexpected interrupt %lu", code);
	}
}

/* The signal and si_code a user-mode exception raises. */
static void
fault_signal(uint64_t cause, int *sig, int *code)
{
	switch (cause) {
	case EXC_ILLEGAL_INST:
		*sig = SIGILL, *code = __ABI_ILL_ILLOPC;
		break;
	case EXC_BREAKPOINT:
		*sig = SIGTRAP, *code = __ABI_TRAP_BRKPT;
		break;
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		*sig = SIGBUS, *code = __ABI_BUS_ADRALN;
		break;
	default:
		*sig = SIGSEGV, *code = __ABI_SEGV_MAPERR;	/* no ACCERR (taskman does not say) */
		break;
	}
}

/* A store to a copy-on-write page: give the process its own copy (kern/vm_cow.c). */
static bool
cow_fault(struct trapframe *tf)
{
	bool ok;

	intr_enable_arch();
	ok = vm_cow_break(curthread->td_proc->pr_vm, tf->tf_stval) == 0;
	intr_disable_arch();
	return ok;
}

/*
 * A page fault for the pager (kern/pager.c).  True if it was resolved;
 * otherwise *sig is the signal the pager chose, or 0 for the default.
 */
static bool
paged(struct trapframe *tf, int *sig)
{
	uint64_t c = tf->tf_scause;
	unsigned access = c == EXC_STORE_PAGE_FAULT ? PF_WRITE :
	    c == EXC_INST_PAGE_FAULT ? PF_EXEC : PF_READ;
	int rc;

	*sig = 0;
	if (c != EXC_LOAD_PAGE_FAULT && c != EXC_STORE_PAGE_FAULT && c != EXC_INST_PAGE_FAULT)
		return false;
	intr_enable_arch();
	rc = pager_fault(tf->tf_stval, access, sig);
	intr_disable_arch();
	/* Killed while it waited: "resolved" too, proc_user_return ends the thread. */
	return (rc == 0 && *sig == 0) || curthread->td_killed;
}

/* A user thread's kernel call: a7 = number, a0..a5 = arguments. */
static inline __attribute__((always_inline)) void
user_kercall(struct trapframe *tf)
{
	const long *r = (const long *)tf->tf_regs;
	long rc;

	tf->tf_sepc += 4;
	intr_enable_arch();
	rc = kercall_dispatch(tf->tf_regs[REG_A7], &r[REG_A0]);
	kercall_result_arch(curthread, tf, rc);
	intr_disable_arch();
}

/*
 * Exceptions from user mode.  A page fault the kernel cannot resolve goes
 * to the process's pager (taskman; kern/pager.c) first.  A fault that
 * stays unresolved becomes a signal: the thread's handler runs if it has
 * one (and does not block the signal), otherwise the process ends with
 * that signal.
 */
static void
user_trap(struct trapframe *tf)
{
	uint64_t cause = tf->tf_scause;
	int sig, code;

	if (cause == EXC_ECALL_U) {
		user_kercall(tf);
	} else if (cause == EXC_STORE_PAGE_FAULT && cow_fault(tf)) {
		/* A copy-on-write page, now the thread's own: run the store again. */
	} else if (paged(tf, &sig)) {
		/* The pager mapped it: run the access again. */
	} else {
		int psig = sig;

		fault_signal(cause, &sig, &code);
		if (psig == SIGBUS)
			sig = psig, code = __ABI_BUS_ADRERR;	/* the pager had no memory */
		else if (psig != 0 && psig != sig)
			sig = psig, code = __ABI_SI_KERNEL;	/* the pager's own choice */
		intr_enable_arch();
		if (!sig_fault(sig, code, tf->tf_stval)) {
			kprintf("user fault: pid %d tid %d (%s): killed with signal %d\n",
			    curthread->td_proc->pr_pid, curthread->td_tid,
			    curthread->td_proc->pr_name, sig);
			trap_report(tf);
			proc_kill_others(WSTATUS_SIGNALED(sig));	/* the whole process dies */
			proc_thread_exit(sig);
		}
		intr_disable_arch();
	}
	lwkt_preempt_check();
	proc_user_return(tf);		/* after any preemption: a kill may have come */
	fpu_fixup_frame_arch(tf);
}

/*
 * A fault in ucopy_arch (arch/riscv64/ucopy.S): resume at its fault exit,
 * which returns -EFAULT.  True if tf was such a fault.
 */
extern char ucopy_start_arch[], ucopy_end_arch[], ucopy_fault_arch[];

static bool
ucopy_fixup_arch(struct trapframe *tf, uint64_t cause)
{
	if (cause != EXC_LOAD_PAGE_FAULT && cause != EXC_STORE_PAGE_FAULT &&
	    cause != EXC_LOAD_ACCESS && cause != EXC_STORE_ACCESS &&
	    cause != EXC_LOAD_MISALIGNED && cause != EXC_STORE_MISALIGNED)
		return false;
	if (tf->tf_sepc < (uintptr_t)ucopy_start_arch || tf->tf_sepc >= (uintptr_t)ucopy_end_arch)
		return false;
	tf->tf_sepc = (uintptr_t)ucopy_fault_arch;
	return true;
}

static void
trap_dispatch(struct trapframe *tf)
{
	uint64_t cause = tf->tf_scause;

	if (cause & SCAUSE_INTR) {
		interrupt(cause & ~SCAUSE_INTR);
		lwkt_preempt_check();
		if (!(tf->tf_sstatus & SSTATUS_SPP))
			proc_user_return(tf);
		fpu_fixup_frame_arch(tf);
		return;
	}
	if (cause == EXC_ILLEGAL_INST && fpu_trap_arch(tf))
		return;
	if (!(tf->tf_sstatus & SSTATUS_SPP)) {
		user_trap(tf);
		return;
	}
	if (ucopy_fixup_arch(tf, cause))
		return;
	trap_report(tf);
	panic("unexpected kernel trap");
}

/* Every trap but a kernel call; one from user mode is user time up to here (kern/cputime.h). */
void
trap_handler(struct trapframe *tf)
{
	bool user = !(tf->tf_sstatus & SSTATUS_SPP);

	if (user)
		cputime_user_enter(curthread);
	trap_dispatch(tf);
	if (user)
		cputime_user_leave(curthread);
}

/*
 * A kernel call: trap.S calls this instead of trap_handler when scause is
 * EXC_ECALL_U (only user mode makes it).  The same steps trap_handler,
 * trap_dispatch and user_trap take for an ecall, in the same order,
 * without their tests of the cause and mode.  Interrupts off on entry
 * and on return; the call itself may block.
 */
_Static_assert(EXC_ECALL_U == 8, "trap.S tests scause against 8");
_Static_assert(__KER_MsgSend == 14 && __KER_MsgReceive == 16 && __KER_MsgReply == 19 &&
    __KER_MsgReplyReceive == 86, "trap.S sends these to the IPC fast path");

void
trap_kercall(struct trapframe *tf)
{
	struct thread *td = curthread;	/* the same after the call: this stack is td's */

	cputime_user_enter(td);
	user_kercall(tf);
	kercall_return_arch(td, tf);
}

/* trap_kercall after its first step: where the IPC fast path hands a call it does not take. */
void
trap_kercall_entered(struct trapframe *tf)
{
	struct thread *td = curthread;

	user_kercall(tf);
	kercall_return_arch(td, tf);
}
