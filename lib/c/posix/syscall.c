/*
 * __qsoe_syscall: the seam.  musl's __syscallN (arch/riscv64/syscall_arch.h,
 * overlaid) and its cancellation points land here.  Each number musl uses
 * and QSOE implements is dispatched to its __px_* function; every other
 * number fails with ENOSYS, never with a faked success (docs/libc.md
 * lists what exists).
 */
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include "px.h"
#include "syscall.h"

/* Linux's system call n with its arguments: the result or -errno. */
long __qsoe_syscall(long n, long a, long b, long c, long d, long e, long f)
{
	switch (n) {
	case SYS_exit:			__px_exit((int)a);
	case SYS_exit_group:		__px_exit_group((int)a);
	case SYS_set_tid_address:	return __px_set_tid_address((int *)a);
	case SYS_gettid:		return __px_gettid();
	case SYS_getpid:		return __px_getpid();
	case SYS_sched_yield:		return __px_sched_yield();
	case SYS_futex: case SYS_nanosleep: case SYS_clock_nanosleep:
	case SYS_rt_sigsuspend: case SYS_rt_sigtimedwait: case SYS_ppoll:
		return __qsoe_syscall_cp(0, n, a, b, c, d, e, f);
	case SYS_clock_gettime:
		return __px_clock_gettime((clockid_t)a, (struct timespec *)b);
	case SYS_clock_settime:
		return __px_clock_settime((clockid_t)a, (const struct timespec *)b);
	case SYS_clock_getres:
		return __px_clock_getres((clockid_t)a, (struct timespec *)b);
	case SYS_mmap:
		return __px_mmap((void *)a, (size_t)b, (int)c, (int)d, (int)e, (off_t)f);
	case SYS_munmap:		return __px_munmap((void *)a, (size_t)b);
	case SYS_mprotect:		return __px_mprotect((void *)a, (size_t)b, (int)c);
	case SYS_rt_sigaction:
		return __px_rt_sigaction((int)a, (const struct k_sigaction *)b,
		    (struct k_sigaction *)c, (size_t)d);
	case SYS_rt_sigprocmask:
		return __px_rt_sigprocmask((int)a, (const sigset_t *)b, (sigset_t *)c, (size_t)d);
	case SYS_kill:			return __px_kill((int)a, (int)b);
	case SYS_tkill:			return __px_tkill((int)a, (int)b);
	case SYS_tgkill:		return __px_tgkill((int)a, (int)b, (int)c);
	case SYS_rt_sigqueueinfo:
		return __px_rt_sigqueueinfo((int)a, (int)b, (const siginfo_t *)c);
	case SYS_timer_create:
		return __px_timer_create((clockid_t)a, (const struct ksigevent *)b, (int *)c);
	case SYS_timer_settime:
		return __px_timer_settime((int)a, (int)b, (const struct itimerspec *)c,
		    (struct itimerspec *)d);
	case SYS_timer_gettime:
		return __px_timer_gettime((int)a, (struct itimerspec *)b);
	case SYS_timer_delete:		return __px_timer_delete((int)a);
	case SYS_setitimer:
		return __px_setitimer((int)a, (const struct itimerval *)b, (struct itimerval *)c);
	case SYS_getitimer:
		return __px_getitimer((int)a, (struct itimerval *)b);
	case SYS_brk:			return -ENOMEM;	/* no heap break: malloc uses mmap */
	case SYS_read: case SYS_write: case SYS_readv: case SYS_writev:
	case SYS_pread64: case SYS_pwrite64: case SYS_close: case SYS_lseek:
	case SYS_fstat: case SYS_ioctl: case SYS_fcntl: case SYS_fsync:
		return __px_fd_io((int)a);
	default:
		return -ENOSYS;
	}
}

/*
 * The calls that may block, as cancellation points (cancel =
 * &self->cancel, from musl's __syscall_cp_asm) or not (cancel NULL, from
 * __qsoe_syscall); every other call is __qsoe_syscall's.
 */
long __qsoe_syscall_cp(volatile int *cancel, long n, long a, long b, long c, long d,
    long e, long f)
{
	switch (n) {
	case SYS_futex:
		return __px_futex(cancel, (volatile int *)a, (int)b, (int)c,
		    (const struct timespec *)d, (volatile int *)e, (int)f);
	case SYS_clock_nanosleep:
		return __px_clock_nanosleep(cancel, (clockid_t)a, (int)b,
		    (const struct timespec *)c, (struct timespec *)d);
	case SYS_nanosleep:
		return __px_nanosleep(cancel, (const struct timespec *)a, (struct timespec *)b);
	case SYS_rt_sigsuspend:
		return __px_rt_sigsuspend(cancel, (const sigset_t *)a, (size_t)b);
	case SYS_rt_sigtimedwait:
		return __px_rt_sigtimedwait(cancel, (const sigset_t *)a, (siginfo_t *)b,
		    (const struct timespec *)c, (size_t)d);
	case SYS_ppoll:
		return __px_ppoll(cancel, (const void *)a, (unsigned long)b,
		    (const struct timespec *)c, (const sigset_t *)d, (size_t)e);
	default:
		return __qsoe_syscall(n, a, b, c, d, e, f);
	}
}
