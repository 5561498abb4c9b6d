/*
 * px.h - the POSIX layer's internal interface.
 *
 * The POSIX layer is shared by every kernel: it implements musl's system
 * calls (Linux numbers and conventions: a result >= 0, or a negated
 * errno) on top of the kernel layer (<sys/neutrino.h>, qsoe_kernel.h) and,
 * later, messages to servers.  It never traps into a kernel itself.
 * __qsoe_syscall (syscall.c) dispatches on the number to the __px_*
 * functions below; anything else is -ENOSYS.
 */
#ifndef PX_H
#define PX_H

#include <features.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct iovec;
struct k_sigaction;
struct ksigevent;
struct itimerspec;
struct itimerval;

/* Threads and exit (exit.c, clone.c, thread.c). */
hidden _Noreturn void __px_exit(int status);
hidden _Noreturn void __px_exit_group(int status);
hidden int __px_clone(int (*func)(void *), void *stack, int flags, void *arg,
    int *ptid, void *tls, int *ctid);
hidden _Noreturn void __px_unmapself(void *base, size_t size);
hidden long __px_set_tid_address(int *addr);
hidden long __px_gettid(void);
hidden long __px_sched_yield(void);

/*
 * Where a thread's exit stores 0 and wakes a waiter (Linux's clear_child_tid;
 * musl's pthread_join waits on it).  musl uses one word for every thread
 * (__thread_list_lock), so the layer keeps one address per process.
 */
extern hidden volatile int *__px_ctid;

/* The calling process (proc.c). */
hidden long __px_getpid(void);

/*
 * Cancellation points.  musl's __syscall_cp_asm (overlaid) calls
 * __qsoe_syscall_cp(&self->cancel, n, ...); the calls below that may
 * block take that pointer as `cancel' (NULL when not called as a
 * cancellation point) and make their blocking kernel call through the
 * kernel layer's __qsoe_kercall_cp (qsoe_kernel.h).
 */
hidden long __qsoe_syscall_cp(volatile int *cancel, long n, long a, long b, long c,
    long d, long e, long f);

/* Futexes (futex.c). */
hidden long __px_futex(volatile int *cancel, volatile int *addr, int op, int val,
    const struct timespec *ts, volatile int *addr2, int val3);

/* Time (clock.c, sleep.c). */
hidden long __px_clock_gettime(clockid_t clk, struct timespec *ts);
hidden long __px_clock_getres(clockid_t clk, struct timespec *ts);
hidden long __px_clock_settime(clockid_t clk, const struct timespec *ts);
hidden long __px_clock_nanosleep(volatile int *cancel, clockid_t clk, int flags,
    const struct timespec *req, struct timespec *rem);
hidden long __px_nanosleep(volatile int *cancel, const struct timespec *req,
    struct timespec *rem);

/* Signals (signal.c). */
hidden long __px_rt_sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *old,
    size_t sz);
hidden long __px_rt_sigprocmask(int how, const sigset_t *set, sigset_t *old, size_t sz);
hidden long __px_rt_sigsuspend(volatile int *cancel, const sigset_t *set, size_t sz);
hidden long __px_rt_sigtimedwait(volatile int *cancel, const sigset_t *set, siginfo_t *si,
    const struct timespec *ts, size_t sz);
hidden long __px_kill(int pid, int sig);
hidden long __px_tkill(int tid, int sig);
hidden long __px_tgkill(int tgid, int tid, int sig);
hidden long __px_rt_sigqueueinfo(int pid, int sig, const siginfo_t *si);
hidden long __px_ppoll(volatile int *cancel, const void *fds, unsigned long n,
    const struct timespec *ts, const sigset_t *mask, size_t sz);

/* Timers (timer.c). */
hidden long __px_timer_create(clockid_t clk, const struct ksigevent *ksev, int *res);
hidden long __px_timer_settime(int id, int flags, const struct itimerspec *val,
    struct itimerspec *old);
hidden long __px_timer_gettime(int id, struct itimerspec *val);
hidden long __px_timer_delete(int id);
hidden long __px_setitimer(int which, const struct itimerval *val, struct itimerval *old);
hidden long __px_getitimer(int which, struct itimerval *val);

/* Memory (mm.c): the memory manager is qsoe_mm.h's. */
hidden long __px_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
hidden long __px_munmap(void *addr, size_t len);
hidden long __px_mprotect(void *addr, size_t len, int prot);

/* File descriptors (fd.c): an fd is a connection id. */
hidden long __px_fd_io(int fd);

#endif
