/*
 * qsoe_kernel.h - the kernel layer's internal interface (Skimmer), used by
 * the POSIX layer.  Besides QNX's kernel-call functions (<sys/neutrino.h>)
 * the kernel layer offers the few primitives below, which must run without
 * a stack and so are written in assembly.
 */
#ifndef QSOE_KERNEL_H
#define QSOE_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <features.h>
#include <abi/kercall.h>
#include <sys/neutrino.h>

#ifndef hidden		/* musl's internal <features.h> has it; the sysroot's not */
#define hidden __attribute__((__visibility__("hidden")))
#endif

/* r is a negated errno: sets errno, returns -1 (Name() functions). */
hidden long __qsoe_kerr(long r);

/*
 * End the calling thread with status, touching no memory but the words
 * named here (its stack may be unmapped underneath it):
 *  - if ulen != 0, unmap [ubase, ubase+ulen) from the caller's process
 *    (MemUnmap: the process-manager ability), then, if ulock is not
 *    NULL, store 0 to *ulock and wake one waiter (the lock the caller
 *    held while it gave the range back);
 *  - if ctid is not NULL, store 0 to *ctid and wake one waiter (Linux's
 *    CLONE_CHILD_CLEARTID, which musl's pthread_join relies on);
 *  - ThreadDestroy(0, -1, status).  Never returns.
 */
hidden _Noreturn void __qsoe_thread_exit(volatile int *ctid, void *ubase, size_t ulen,
    volatile int *ulock, int status);

/*
 * The same for a process whose memory is a server's (taskman): send msg
 * (len bytes, typically a _MEM_CTRL_UNMAP of the caller's own stack) on
 * coid and wait for the reply, then __qsoe_thread_exit(ctid, 0, 0, 0,
 * status).  msg may lie in the range being unmapped: the kernel copies it
 * when the server receives it, and the reply carries no bytes, so nothing
 * but registers is touched after the server has the message.  The
 * caller's signals must be blocked (a handler would need the stack).  The
 * send's result is not looked at: on an error the range stays mapped.
 */
hidden _Noreturn void __qsoe_thread_exit_send(int coid, const void *msg, size_t len,
    volatile int *ctid, int status);

/*
 * The return stub of every signal handler (riscv64/sigstub.S): the
 * sigstub the POSIX layer gives SignalAction.  It calls SignalReturn(sp)
 * and never returns.  Not to be called.
 */
hidden void __qsoe_sigstub(void);

/*
 * Kernel call num(a..f) as a cancellation point (riscv64/kercall_cp.S):
 * if *cancel is set, or a cancel request interrupts the call before it
 * has done anything, musl's __cancel() runs instead (it ends the thread,
 * or returns -ECANCELED for a masked cancel).  Otherwise the raw result.
 * May block as the call does.  cancel is &self->cancel from musl's
 * __syscall_cp_asm; never NULL.
 */
hidden long __qsoe_kercall_cp(volatile int *cancel, long num, long a, long b, long c,
    long d, long e, long f);

/*
 * The blocking calls of the POSIX layer's cancellation points: with
 * cancel NULL (not called as a cancellation point) the plain Name_r(),
 * else through __qsoe_kercall_cp.
 */
static inline long __qsoe_FutexWait_cp(volatile int *cancel, volatile int *addr, int val)
{
	return cancel ? __qsoe_kercall_cp(cancel, __KER_FutexWait, (long)addr, val,
	    0, 0, 0, 0) : FutexWait_r(addr, val);
}

static inline long __qsoe_TimerTimeout_cp(volatile int *cancel, clockid_t clk, int flags,
    const uint64_t *ntime)
{
	return cancel ? __qsoe_kercall_cp(cancel, __KER_TimerTimeout, clk, flags, 0,
	    (long)ntime, 0, 0) : TimerTimeout_r(clk, flags, 0, ntime, 0);
}

static inline long __qsoe_SignalSuspend_cp(volatile int *cancel, const uint64_t *set)
{
	return cancel ? __qsoe_kercall_cp(cancel, __KER_SignalSuspend, (long)set,
	    0, 0, 0, 0, 0) : SignalSuspend_r(set);
}

static inline long __qsoe_SignalWaitinfo_cp(volatile int *cancel, const uint64_t *set,
    siginfo_t *info)
{
	return cancel ? __qsoe_kercall_cp(cancel, __KER_SignalWaitinfo, (long)set,
	    (long)info, 0, 0, 0, 0) : SignalWaitinfo_r(set, info);
}

#endif
