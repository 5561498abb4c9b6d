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
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct iovec;

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

/* Futexes (futex.c). */
hidden long __px_futex(volatile int *addr, int op, int val, const struct timespec *ts,
    volatile int *addr2, int val3);

/* Time (clock.c, sleep.c). */
hidden long __px_clock_gettime(clockid_t clk, struct timespec *ts);
hidden long __px_clock_getres(clockid_t clk, struct timespec *ts);
hidden long __px_clock_settime(clockid_t clk, const struct timespec *ts);
hidden long __px_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
    struct timespec *rem);
hidden long __px_nanosleep(const struct timespec *req, struct timespec *rem);

/* Memory (mm.c): the memory manager is qsoe_mm.h's. */
hidden long __px_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
hidden long __px_munmap(void *addr, size_t len);
hidden long __px_mprotect(void *addr, size_t len, int prot);

/* File descriptors (fd.c): an fd is a connection id. */
hidden long __px_fd_io(int fd);

#endif
