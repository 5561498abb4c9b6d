/*
 * arch/riscv64/sigframe.c - the signal handler frame on the user stack
 * (layout: abi/signal.h).
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <arch/fpu.h>
#include <arch/memlayout.h>
#include <arch/trapframe.h>

struct sigframe {
	struct __abi_ucontext	sf_uc;
	struct __abi_siginfo	sf_si;
};

_Static_assert(sizeof(struct sigframe) % 16 == 0, "the frame keeps sp aligned");

int
sig_frame_push_arch(struct trapframe *tf, const struct ksigact *act, uint64_t stub,
    const struct ksiginfo *si, uint64_t saved)
{
	struct thread *td = curthread;
	struct sigframe frame, *f = &frame;	/* 1 KiB: the stack is shallow here */
	struct __abi_stack uc_stack;
	uint64_t base = sig_stack_pick(td, act, tf->tf_regs[REG_SP], &uc_stack);
	uint64_t sp = (base - sizeof(*f)) & ~15UL;

	if (base > USER_TOP || base < PAGE_SIZE + sizeof(*f) || stub == 0 || stub >= USER_TOP)
		return -EFAULT;
	memset(f, 0, sizeof(*f));
	f->sf_uc.uc_stack = uc_stack;
	f->sf_uc.uc_sigmask[0] = saved;
	f->sf_uc.uc_gregs[0] = tf->tf_sepc;
	for (int i = 1; i < 32; i++)
		f->sf_uc.uc_gregs[i] = tf->tf_regs[i];
	if (td->td_flags & TDF_FPU) {
		fpu_sync_arch(td);
		memcpy(f->sf_uc.uc_fpregs, td->td_fpu.fs_f, sizeof(f->sf_uc.uc_fpregs));
		f->sf_uc.uc_fcsr = (uint32_t)td->td_fpu.fs_fcsr;
		f->sf_uc.uc_flags = __ABI_UC_FP;
	}
	sig_fill_info(&f->sf_si, si);
	if (vm_copyout(td->td_proc->pr_vm, sp, f, sizeof(*f)) < 0)
		return -EFAULT;
	tf->tf_regs[REG_SP] = sp;
	tf->tf_sepc = act->ka_handler;
	tf->tf_regs[REG_A0] = (uint64_t)si->ksi_signo;
	tf->tf_regs[REG_A0 + 1] = sp + offsetof(struct sigframe, sf_si);
	tf->tf_regs[REG_A0 + 2] = sp;
	tf->tf_regs[REG_RA] = stub;
	return 0;
}

int
sig_frame_pop_arch(struct trapframe *tf, uint64_t uc, uint64_t *mask)
{
	struct thread *td = curthread;
	struct __abi_ucontext ucs, *u = &ucs;

	if (vm_copyin(td->td_proc->pr_vm, u, uc, sizeof(*u)) < 0)
		return -EFAULT;
	/* Any values are safe: they are user registers, and sstatus is not among them. */
	tf->tf_sepc = u->uc_gregs[0];
	for (int i = 1; i < 32; i++)
		tf->tf_regs[i] = u->uc_gregs[i];
	*mask = u->uc_sigmask[0];
	if (u->uc_flags & __ABI_UC_FP)
		fpu_replace_arch(td, u->uc_fpregs, u->uc_fcsr & 0xff);	/* frm, fflags */
	return 0;
}
