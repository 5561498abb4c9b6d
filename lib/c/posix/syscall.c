/*
 * __qsoe_syscall: the seam.  musl's __syscallN (arch/riscv64/syscall_arch.h,
 * overlaid) and its cancellation points land here.  Each number musl uses
 * and QSOE implements is dispatched to its __px_* function; every other
 * number fails with ENOSYS, never with a faked success (docs/libc.md
 * lists what exists).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/procmsg.h>
#include "px.h"
#include "syscall.h"

/* Process ids and credentials, uname, umask: taskman's (proc.c, wait.c, uname.c, umask.c). */
static long procs(long n, long a, long b, long c, long d, long e)
{
	switch (n) {
	case SYS_getppid:	return __px_getppid();
	case SYS_getpgid: case SYS_getsid:
		return __px_getid((int)n, (int)a);
	case SYS_getuid: case SYS_geteuid: case SYS_getgid: case SYS_getegid:
		return __px_getid((int)n, 0);
	case SYS_getresuid:
		return __px_getresid(0, (unsigned *)a, (unsigned *)b, (unsigned *)c);
	case SYS_getresgid:
		return __px_getresid(1, (unsigned *)a, (unsigned *)b, (unsigned *)c);
	case SYS_socket: case SYS_socketpair:
		return -EAFNOSUPPORT;	/* none yet; musl's nscd lookups then use the files */
	case SYS_getgroups:	return __px_getgroups((int)a, (unsigned *)b);
	case SYS_setgroups:	return __px_setgroups((size_t)a, (const unsigned *)b);
	case SYS_setsid:	return __px_setsid();
	case SYS_setpgid:	return __px_setpgid((int)a, (int)b);
	case SYS_setuid:	return __px_setid(_PROC_ID_SETUID, (int)a, 0, 0);
	case SYS_setgid:	return __px_setid(_PROC_ID_SETGID, (int)a, 0, 0);
	case SYS_setreuid:	return __px_setid(_PROC_ID_SETREUID, (int)a, (int)b, 0);
	case SYS_setregid:	return __px_setid(_PROC_ID_SETREGID, (int)a, (int)b, 0);
	case SYS_setresuid:	return __px_setid(_PROC_ID_SETRESUID, (int)a, (int)b, (int)c);
	case SYS_setresgid:	return __px_setid(_PROC_ID_SETRESGID, (int)a, (int)b, (int)c);
	case SYS_wait4: case SYS_waitid:
		return __qsoe_syscall_cp(0, n, a, b, c, d, e, 0);
	case SYS_clone:		/* threads come through __px_clone; this is _Fork */
		return a == SIGCHLD && b == 0 ? __px_fork() : -ENOSYS;
	case SYS_execve:
		return __px_execve((const char *)a, (char *const *)b, (char *const *)c);
	case SYS_uname:		return __px_uname((struct utsname *)a);
	case SYS_sethostname:	return __px_sethostname((const char *)a, (size_t)b);
	case SYS_umask:		return __px_umask((unsigned)a);
	case SYS_prlimit64:
		return __px_prlimit((int)a, (int)b, (const struct rlimit *)c, (struct rlimit *)d);
	case SYS_sched_getaffinity:
		return __px_sched_getaffinity((int)a, (size_t)b, (void *)c);
	case SYS_sysinfo:	return __px_sysinfo((struct sysinfo *)a);
	default:		return -ENOSYS;
	}
}

/* Files and fds (open.c, fdio.c, fdctl.c, pathcall.c, path.c). */
static long files(long n, long a, long b, long c, long d, long e)
{
	switch (n) {
	case SYS_openat:	return __px_openat((int)a, (const char *)b, (int)c, (unsigned)d);
	case SYS_close:		return __px_close((int)a);
	case SYS_read:		return __px_read((int)a, (void *)b, (size_t)c);
	case SYS_write:		return __px_write((int)a, (const void *)b, (size_t)c);
	case SYS_pread64:	return __px_pread((int)a, (void *)b, (size_t)c, (off_t)d);
	case SYS_pwrite64:	return __px_pwrite((int)a, (const void *)b, (size_t)c, (off_t)d);
	case SYS_readv:		return __px_readv((int)a, (const struct iovec *)b, (int)c);
	case SYS_writev:	return __px_writev((int)a, (const struct iovec *)b, (int)c);
	case SYS_lseek:		return __px_lseek((int)a, (off_t)b, (int)c);
	case SYS_fstat:		return __px_fstat((int)a, (void *)b);
	case SYS_newfstatat:
		return __px_fstatat((int)a, (const char *)b, (void *)c, (int)d);
	case SYS_getdents64:	return __px_getdents((int)a, (void *)b, (size_t)c);
	case SYS_ioctl:		return __px_ioctl((int)a, (unsigned long)b, (void *)c);
	case SYS_fsync:		return __px_fsync((int)a, 0);
	case SYS_fdatasync:	return __px_fsync((int)a, 1);
	case SYS_sync:		return __px_sync();
	case SYS_fstatfs:	return __px_fstatfs((int)a, (struct statfs *)b);
	case SYS_statfs:		return __px_statfs((const char *)a, (struct statfs *)b);
	case SYS_dup:		return __px_dup((int)a, 0, 0, 0);
	case SYS_pipe2:		return __px_pipe2((int *)a, (int)b);
	case SYS_dup3:		return __px_dup3((int)a, (int)b, (int)c);
	case SYS_fcntl:		return __px_fcntl((int)a, (int)b, c);
	case SYS_readlinkat:
		return __px_readlinkat((int)a, (const char *)b, (char *)c, (size_t)d);
	case SYS_faccessat:	return __px_faccessat((int)a, (const char *)b, (int)c, 0);
	case SYS_faccessat2:	return __px_faccessat((int)a, (const char *)b, (int)c, (int)d);
	case SYS_mkdirat:	return __px_mkdirat((int)a, (const char *)b, (unsigned)c);
	case SYS_mknodat:
		return __px_mknodat((int)a, (const char *)b, (unsigned)c, (unsigned long)d);
	case SYS_unlinkat:	return __px_unlinkat((int)a, (const char *)b, (int)c);
	case SYS_renameat2:
		return __px_renameat((int)a, (const char *)b, (int)c, (const char *)d, (unsigned)e);
	case SYS_symlinkat:	return __px_symlinkat((const char *)a, (int)b, (const char *)c);
	case SYS_linkat:
		return __px_linkat((int)a, (const char *)b, (int)c, (const char *)d, (int)e);
	case SYS_fchmod:	return __px_fchmod((int)a, (unsigned)b);
	case SYS_fchown:	return __px_fchown((int)a, (int)b, (int)c);
	case SYS_ftruncate:	return __px_ftruncate((int)a, (off_t)b);
	case SYS_fchmodat:	return __px_atpath((int)n, (int)a, (const char *)b, c, 0, 0);
	case SYS_fchownat:	return __px_atpath((int)n, (int)a, (const char *)b, c, d, (int)e);
	case SYS_truncate:	return __px_atpath((int)n, AT_FDCWD, (const char *)a, b, 0, 0);
	case SYS_utimensat:	return __px_atpath((int)n, (int)a, (const char *)b, c, 0, (int)d);
	case SYS_chdir:		return __px_chdir((const char *)a);
	case SYS_fchdir:	return __px_fchdir((int)a);
	case SYS_getcwd:	return __px_getcwd((char *)a, (size_t)b);
	default:		return procs(n, a, b, c, d, e);
	}
}

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
	case SYS_sched_setscheduler:
		return __px_sched_setscheduler((int)a, (int)b, (const struct sched_param *)c);
	case SYS_sched_setparam:	return __px_sched_setparam((int)a, (const struct sched_param *)b);
	case SYS_sched_getparam:	return __px_sched_getparam((int)a, (struct sched_param *)b);
	case SYS_sched_getscheduler:	return __px_sched_getscheduler((int)a);
	case SYS_sched_get_priority_max: return __px_sched_priority((int)a, 1);
	case SYS_sched_get_priority_min: return __px_sched_priority((int)a, 0);
	case SYS_futex: case SYS_nanosleep: case SYS_clock_nanosleep:
	case SYS_rt_sigsuspend: case SYS_rt_sigtimedwait: case SYS_ppoll:
	case SYS_pselect6:
		return __qsoe_syscall_cp(0, n, a, b, c, d, e, f);
	case SYS_clock_gettime:
		return __px_clock_gettime((clockid_t)a, (struct timespec *)b);
	case SYS_getrusage:		return __px_getrusage((int)a, (struct rusage *)b);
	case SYS_times:			return __px_times((struct tms *)a);
	case SYS_clock_settime:
		return __px_clock_settime((clockid_t)a, (const struct timespec *)b);
	case SYS_clock_getres:
		return __px_clock_getres((clockid_t)a, (struct timespec *)b);
	case SYS_mmap:
		return __px_mmap((void *)a, (size_t)b, (int)c, (int)d, (int)e, (off_t)f);
	case SYS_munmap:		return __px_munmap((void *)a, (size_t)b);
	case SYS_mprotect:		return __px_mprotect((void *)a, (size_t)b, (int)c);
	case SYS_msync:			return __px_msync((void *)a, (size_t)b, (int)c);
	case SYS_rt_sigaction:
		return __px_rt_sigaction((int)a, (const struct k_sigaction *)b,
		    (struct k_sigaction *)c, (size_t)d);
	case SYS_rt_sigpending:		return __px_rt_sigpending((sigset_t *)a, (size_t)b);
	case SYS_sigaltstack:		return __px_sigaltstack((const stack_t *)a, (stack_t *)b);
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
	case SYS_timer_getoverrun:	return __px_timer_getoverrun((int)a);
	case SYS_setitimer:
		return __px_setitimer((int)a, (const struct itimerval *)b, (struct itimerval *)c);
	case SYS_getitimer:
		return __px_getitimer((int)a, (struct itimerval *)b);
	case SYS_brk:			return -ENOMEM;	/* no heap break: malloc uses mmap */
	default:
		return files(n, a, b, c, d, e);
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
	case SYS_wait4:
		return __px_wait4(cancel, (int)a, (int *)b, (int)c, (void *)d);
	case SYS_waitid:
		return __px_waitid(cancel, (int)a, (int)b, (siginfo_t *)c, (int)d);
	case SYS_ppoll:
		return __px_ppoll(cancel, (const void *)a, (unsigned long)b,
		    (const struct timespec *)c, (const sigset_t *)d, (size_t)e);
	case SYS_pselect6:
		return __px_pselect6((int)a, (void *)b, (void *)c, (void *)d,
		    (const struct timespec *)e, (const long *)f);
	default:
		return __qsoe_syscall(n, a, b, c, d, e, f);
	}
}
