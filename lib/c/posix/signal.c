/*
 * Signals: Linux's rt_sig* calls, kill and friends, on the Signal*
 * kernel calls (docs/kernel-calls.md, "Signals").  Numbers, flags,
 * siginfo_t and ucontext_t are musl's on both sides, so little is
 * translated: a set crosses as one 64-bit word (the first word of musl's
 * sigset_t), and every handler returns through the kernel layer's
 * __qsoe_sigstub (musl's SA_RESTORER trampoline is not used).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/syscall.h>
#include "ksigaction.h"
#include "px.h"
#include "qsoe_kernel.h"

#define NSEC	1000000000ULL

/* Linux passes the size of a set; the kernel's is one 64-bit word. */
#define SET_SIZE_OK(sz)	((sz) == sizeof(uint64_t))

/*
 * SYS_rt_sigaction: sig's action from act, the old one into old (each
 * may be NULL).  -EINVAL for a bad number or size, SIGKILL/SIGSTOP, or a
 * flag the kernel lacks.
 */
long __px_rt_sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *old,
    size_t sz)
{
	struct __abi_sigaction a, o;
	long r;

	if (!SET_SIZE_OK(sz))
		return -EINVAL;
	if (act) {
		a.asa_handler = (uint64_t)(uintptr_t)act->handler;
		a.asa_flags = act->flags & ~(unsigned long)SA_RESTORER;
		memcpy(&a.asa_mask, act->mask, sizeof(a.asa_mask));
	}
	r = SignalAction_r(0, __qsoe_sigstub, sig, act ? &a : 0, old ? &o : 0);
	if (r == 0 && old) {
		memset(old, 0, sizeof(*old));
		old->handler = (void (*)(int))(uintptr_t)o.asa_handler;
		old->flags = o.asa_flags;
		memcpy(old->mask, &o.asa_mask, sizeof(o.asa_mask));
	}
	return r;
}

_Static_assert(sizeof(stack_t) == sizeof(struct __abi_stack), "stack_t is the kernel's");
_Static_assert(offsetof(stack_t, ss_flags) == offsetof(struct __abi_stack, ss_flags), "ss_flags");
_Static_assert(offsetof(stack_t, ss_size) == offsetof(struct __abi_stack, ss_size), "ss_size");
_Static_assert(SS_ONSTACK == __ABI_SS_ONSTACK && SS_DISABLE == __ABI_SS_DISABLE &&
    MINSIGSTKSZ == __ABI_MINSIGSTKSZ, "sigaltstack's numbers");

/* SYS_sigaltstack: the calling thread's alternate signal stack (the kernel's). */
long __px_sigaltstack(const stack_t *ss, stack_t *oss)
{
	return SignalAltstack_r((const struct __abi_stack *)ss, (struct __abi_stack *)oss);
}

/*
 * A terminal said the caller is in the background (_IO_EBACKGROUND,
 * <sys/iomsg.h>).  0 if the calling thread ignores or blocks sig: the
 * caller then fails with EIO (a read) or sends again with the background
 * flag.  -EIO if the caller's group is orphaned: no shell would continue
 * it (POSIX).  Otherwise sig goes to the caller's process group, as a
 * Unix kernel sends it, and stops the caller by default before this
 * returns; then 1: send again (also after a handler with SA_RESTART), or
 * -EINTR after a handler without SA_RESTART.
 */
long __px_job_signal(int sig)
{
	struct _proc_getsetid m = { .type = _PROC_GETSETID, .subtype = _PROC_ID_ORPHANED };
	struct __abi_sigaction o;
	uint64_t mask;

	if (SignalAction_r(0, __qsoe_sigstub, sig, 0, &o) != 0 ||
	    SignalProcmask_r(0, 0, SIG_BLOCK, 0, &mask) != 0 ||
	    o.asa_handler == (uint64_t)(uintptr_t)SIG_IGN || (mask & 1ULL << (sig - 1)))
		return 0;
	if (__px_sysmgr_send(&m, sizeof(m), 0, 0) != 0)
		return -EIO;		/* orphaned (1), or no answer */
	__px_kill(0, sig);
	if (o.asa_handler != (uint64_t)(uintptr_t)SIG_DFL && !(o.asa_flags & SA_RESTART))
		return -EINTR;
	return 1;
}

/* SYS_rt_sigprocmask: the calling thread's mask (how: SIG_BLOCK/UNBLOCK/SETMASK). */
long __px_rt_sigprocmask(int how, const sigset_t *set, sigset_t *old, size_t sz)
{
	if (!SET_SIZE_OK(sz) || (set && (how < SIG_BLOCK || how > SIG_SETMASK)))
		return -EINVAL;		/* (the kernel's how 5 is QNX's SIG_PENDING) */
	return SignalProcmask_r(0, 0, how, (const uint64_t *)set, (uint64_t *)old);
}

/* SYS_rt_sigpending: the signals pending on this thread or its process. */
long __px_rt_sigpending(sigset_t *set, size_t sz)
{
	if (!SET_SIZE_OK(sz))
		return -EINVAL;
	return SignalProcmask_r(0, 0, __ABI_SIG_PENDING, 0, (uint64_t *)set);
}

/*
 * SYS_rt_sigsuspend: wait with mask set until a handler has run; always
 * -EINTR (or a fault).  A cancellation point when cancel is not NULL.
 */
long __px_rt_sigsuspend(volatile int *cancel, const sigset_t *set, size_t sz)
{
	if (!SET_SIZE_OK(sz))
		return -EINVAL;
	return __qsoe_SignalSuspend_cp(cancel, (const uint64_t *)set);
}

/*
 * SYS_rt_sigtimedwait: take a pending signal of set, waiting at most ts
 * (relative; NULL: no limit).  The signal number, or -EAGAIN when the
 * time is up, -EINTR, -EINVAL, -EFAULT.  A cancellation point when
 * cancel is not NULL.
 */
long __px_rt_sigtimedwait(volatile int *cancel, const sigset_t *set, siginfo_t *si,
    const struct timespec *ts, size_t sz)
{
	uint64_t ns;
	long r;

	if (!SET_SIZE_OK(sz))
		return -EINVAL;
	if (ts) {
		if (ts->tv_sec < 0 || (unsigned long)ts->tv_nsec >= NSEC)
			return -EINVAL;
		ns = (uint64_t)ts->tv_sec > UINT64_MAX / NSEC - 1 ? UINT64_MAX :
		    (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
		/* Bounds exactly the next kernel call: the wait below. */
		r = TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_SIGWAITINFO, 0, &ns, 0);
		if (r < 0)
			return r;
	}
	r = __qsoe_SignalWaitinfo_cp(cancel, (const uint64_t *)set, si);
	return r == -ETIMEDOUT ? -EAGAIN : r;
}

/*
 * kill(-1, sig): every process the caller may signal but itself and
 * taskman (pid 1, which the kernel protects anyway), as Linux does.  The
 * pids come from taskman's /proc, read with getdents into a stack buffer
 * (no malloc: kill stays async-signal-safe); the kernel checks each
 * signal against the caller's ids.  0 if any was signalled, else EPERM
 * if one was refused, else ESRCH; without taskman /proc's open error.
 */
static long kill_all(int sig)
{
	char buf[1024];
	long fd = __px_openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0), n;
	int sent = 0, denied = 0, self = (int)__px_getpid();

	if (fd < 0)
		return fd;
	while ((n = __px_getdents((int)fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n; ) {
			const struct dirent *d = (const struct dirent *)(buf + off);
			long pid = 0, r;
			const char *c = d->d_name;

			off += d->d_reclen;
			if (d->d_reclen == 0)
				break;
			for (; *c >= '0' && *c <= '9' && pid < INT_MAX / 10; c++)
				pid = pid * 10 + (*c - '0');
			if (*c != '\0' || c == d->d_name || pid <= 1 || pid == self)
				continue;
			r = SignalKill_r(0, (int)pid, 0, sig, SI_USER, 0);
			if (r == 0)
				sent++;
			else if (r == -EPERM)
				denied++;
		}
	}
	__px_close((int)fd);
	return sent ? 0 : denied ? -EPERM : -ESRCH;
}

/*
 * SYS_kill: a process (pid > 0), the caller's group (0), or group -pid:
 * the kernel reaches a group's members by the ids taskman gave it
 * (ProcSetGroup); every process (-1): kill_all.
 */
long __px_kill(int pid, int sig)
{
	long pgid;

	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (pid == -1)
		return kill_all(sig);
	if (pid == INT_MIN)
		return -ESRCH;
	if (pid == 0) {		/* the caller's group: the kernel knows groups by id */
		if ((pgid = __px_getid(SYS_getpgid, 0)) < 0)
			return pgid;
		pid = -(int)pgid;
	}
	return SignalKill_r(0, pid, 0, sig, SI_USER, 0);
}

/* SYS_tkill: to thread tid of this process. */
long __px_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	return SignalKill_r(0, 0, tid, sig, SI_TKILL, 0);
}

/* SYS_tgkill: to thread tid of process tgid. */
long __px_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	return SignalKill_r(0, tgid, tid, sig, SI_TKILL, 0);
}

/*
 * SYS_rt_sigqueueinfo: sig with si's code and value to process pid (> 0).
 */
long __px_rt_sigqueueinfo(int pid, int sig, const siginfo_t *si)
{
	if (pid <= 0)
		return -ESRCH;
	/* As Linux: only negative (user) codes may be sent to another process. */
	if ((si->si_code >= 0 || si->si_code == SI_TKILL) && pid != __px_getpid())
		return -EPERM;
	if (si->si_code > 0)
		return -EINVAL;		/* the kernel takes user codes only */
	return SignalKill_r(0, pid, 0, sig, si->si_code, (intptr_t)si->si_value.sival_ptr);
}

/*
 * SYS_ppoll with no descriptors and no time-out (pause(), poll(0, 0, -1)):
 * wait for a handler with mask, or with the current mask if mask is NULL;
 * -EINTR; a cancellation point when cancel is not NULL.  Anything else
 * is poll.c's (the servers' _IO_NOTIFY).
 */
long __px_ppoll(volatile int *cancel, const void *fds, unsigned long n,
    const struct timespec *ts, const sigset_t *mask, size_t sz)
{
	uint64_t cur;
	long r;

	if (n != 0 || ts)
		return __px_poll((struct pollfd *)fds, n, ts, mask, sz);	/* poll.c */
	if (mask)
		return __px_rt_sigsuspend(cancel, mask, sz);
	r = SignalProcmask_r(0, 0, SIG_BLOCK, 0, &cur);
	if (r < 0)
		return r;
	return __qsoe_SignalSuspend_cp(cancel, &cur);
}
