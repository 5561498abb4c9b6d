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

/* Another thread's scheduling (sched.c). */
struct sched_param;
hidden long __px_sched_setscheduler(int tid, int policy, const struct sched_param *p);
hidden long __px_sched_setparam(int tid, const struct sched_param *p);
hidden long __px_sched_getparam(int tid, struct sched_param *p);
hidden long __px_sched_getscheduler(int tid);
hidden long __px_sched_priority(int policy, int max);

/*
 * Where a thread's exit stores 0 and wakes a waiter (Linux's clear_child_tid;
 * musl's pthread_join waits on it).  musl uses one word for every thread
 * (__thread_list_lock), so the layer keeps one address per process.
 */
extern hidden volatile int *__px_ctid;

/* uname.c. */
hidden long __px_sethostname(const char *name, size_t len);

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
struct rusage;
struct tms;
hidden long __px_getrusage(int who, struct rusage *ru);
hidden long __px_times(struct tms *t);
hidden long __px_clock_getres(clockid_t clk, struct timespec *ts);
hidden long __px_clock_settime(clockid_t clk, const struct timespec *ts);
hidden long __px_clock_nanosleep(volatile int *cancel, clockid_t clk, int flags,
    const struct timespec *req, struct timespec *rem);
hidden long __px_nanosleep(volatile int *cancel, const struct timespec *req,
    struct timespec *rem);

/* Signals (signal.c). */
hidden long __px_rt_sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *old,
    size_t sz);
hidden long __px_rt_sigpending(sigset_t *set, size_t sz);
hidden long __px_sigaltstack(const stack_t *ss, stack_t *oss);
hidden long __px_rt_sigprocmask(int how, const sigset_t *set, sigset_t *old, size_t sz);
hidden long __px_rt_sigsuspend(volatile int *cancel, const sigset_t *set, size_t sz);
hidden long __px_rt_sigtimedwait(volatile int *cancel, const sigset_t *set, siginfo_t *si,
    const struct timespec *ts, size_t sz);
hidden long __px_kill(int pid, int sig);
hidden long __px_job_signal(int sig);
hidden long __px_tkill(int tid, int sig);
hidden long __px_tgkill(int tgid, int tid, int sig);
hidden long __px_rt_sigqueueinfo(int pid, int sig, const siginfo_t *si);
hidden long __px_ppoll(volatile int *cancel, const void *fds, unsigned long n,
    const struct timespec *ts, const sigset_t *mask, size_t sz);

/* poll and select through _IO_NOTIFY (poll.c). */
struct pollfd;
hidden long __px_poll(struct pollfd *fds, unsigned long n, const struct timespec *ts,
    const sigset_t *mask, size_t sz);
hidden long __px_pselect6(int n, void *rfds, void *wfds, void *efds,
    const struct timespec *ts, const long *data);

/* Timers (timer.c). */
hidden long __px_timer_create(clockid_t clk, const struct ksigevent *ksev, int *res);
hidden long __px_timer_settime(int id, int flags, const struct itimerspec *val,
    struct itimerspec *old);
hidden long __px_timer_gettime(int id, struct itimerspec *val);
hidden long __px_timer_getoverrun(int id);
hidden long __px_timer_delete(int id);
hidden long __px_setitimer(int which, const struct itimerval *val, struct itimerval *old);
hidden long __px_getitimer(int which, struct itimerval *val);

/* Memory (mm.c): the memory manager is qsoe_mm.h's. */
hidden long __px_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
hidden long __px_munmap(void *addr, size_t len);
hidden long __px_mprotect(void *addr, size_t len, int prot);
hidden long __px_msync(void *addr, size_t len, int flags);

/*
 * taskman (sysmgr.c): the connection to it, -1 in the first process
 * (which has no taskman: every message then fails with ENOSYS).
 */
extern hidden int __px_sysmgr;
hidden long __px_sysmgr_send(const void *msg, size_t len, void *reply, size_t rlen);

/*
 * MsgSend for a request the server answers at once (dup, close, stat,
 * lseek, chmod, taskman's requests).  A signal can end the send while it
 * waits for the server to receive (SEND-blocked: the server never saw
 * it), which POSIX does not allow for these calls: send again.  Once the
 * server has the message, every QSOE server's channel has
 * _NTO_CHF_UNBLOCK, so the reply comes whatever signals arrive.
 */
hidden long __px_send_quick(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes);

/*
 * File descriptors (fdtab.c, open.c, fdio.c, fdctl.c, cwd.c).  An fd is a
 * connection id below PX_FD_MAX; libc keeps what the kernel and the
 * servers do not: the open flags, FD_CLOEXEC and the absolute path it was
 * opened by (for fchdir and *at() calls).  Guarded by __px_fdlock.
 */
#define PX_FD_MAX	1024
#define PX_PATH_MAX	1024		/* _IO_CONNECT_PATH_MAX, NUL included */

struct px_fd {
	unsigned	f_oflag;	/* open() flags (O_APPEND, O_NONBLOCK settable) */
	unsigned char	f_known;	/* 1: opened here (f_oflag valid); 0: inherited */
	unsigned char	f_cloexec;	/* FD_CLOEXEC */
	char		*f_path;	/* absolute path (malloc), or NULL */
};
extern hidden struct px_fd __px_fds[PX_FD_MAX];
extern hidden volatile int __px_fdlock[1];

struct _msg_info;
hidden int __px_fd_check(int fd, struct _msg_info *info);
hidden void __px_fd_set(int fd, unsigned oflag, int cloexec, const char *path);
hidden void __px_fd_clear(int fd);
hidden long __px_abspath(int dirfd, const char *path, char *out, int *eflag);
hidden long __px_connect(int dirfd, const char *path, int subtype, unsigned ioflag,
    unsigned mode, void *rbuf, size_t rmax);
hidden long __px_connect_x(int dirfd, const char *path, int subtype, unsigned ioflag,
    unsigned mode, int xtype, const void *xdata, size_t xlen, void *rbuf, size_t rmax);
hidden long __px_openat(int dirfd, const char *path, int flags, unsigned mode);
hidden long __px_renameat(int ofd, const char *old, int nfd, const char *new_, unsigned flags);
hidden long __px_symlinkat(const char *target, int dirfd, const char *path);
hidden long __px_linkat(int ofd, const char *old, int nfd, const char *new_, int flags);
hidden long __px_fchmod(int fd, unsigned mode);
hidden long __px_fchown(int fd, int uid, int gid);
hidden long __px_ftruncate(int fd, off_t len);
hidden long __px_futimens(int fd, const struct timespec *ts);
hidden long __px_atpath(int call, int dirfd, const char *path, long a, long b, int flags);
hidden long __px_close(int fd);
hidden long __px_pipe2(int *fds, int flags);
hidden long __px_read(int fd, void *buf, size_t n);
hidden long __px_write(int fd, const void *buf, size_t n);
hidden long __px_pread(int fd, void *buf, size_t n, off_t off);
hidden long __px_pwrite(int fd, const void *buf, size_t n, off_t off);
hidden long __px_readv(int fd, const struct iovec *iov, int n);
hidden long __px_writev(int fd, const struct iovec *iov, int n);
hidden long __px_lseek(int fd, off_t off, int whence);
hidden long __px_fstat(int fd, void *st);
hidden long __px_fstatat(int dirfd, const char *path, void *st, int flags);
struct _io_stat_buf;
/* May uid/gid do amode (R_OK|W_OK|X_OK) to the object sb describes? 0 or -EACCES (pathcall.c). */
hidden long __px_may(const struct _io_stat_buf *sb, long uid, long gid, int amode);
hidden long __px_getdents(int fd, void *buf, size_t n);
hidden long __px_ioctl(int fd, unsigned long req, void *arg);
hidden long __px_fsync(int fd, int data);
hidden long __px_sync(void);
struct statfs;
hidden long __px_fstatfs(int fd, struct statfs *buf);
hidden long __px_statfs(const char *path, struct statfs *buf);
hidden long __px_dup(int fd, int min, int exact, int cloexec);
hidden long __px_dup3(int fd, int fd2, int flags);
hidden long __px_fcntl(int fd, int cmd, long arg);
hidden long __px_readlinkat(int dirfd, const char *path, char *buf, size_t n);
hidden long __px_faccessat(int dirfd, const char *path, int amode, int flags);
hidden long __px_mkdirat(int dirfd, const char *path, unsigned mode);
hidden long __px_mknodat(int dirfd, const char *path, unsigned mode, unsigned long dev);
hidden long __px_unlinkat(int dirfd, const char *path, int flags);
hidden long __px_chdir(const char *path);
hidden long __px_fchdir(int fd);
hidden long __px_getcwd(char *buf, size_t n);
hidden void __px_cwd_init(const char *dir);

/* Start-up in a program taskman spawned (sysmgr.c; crt1 calls it). */
void __qsoe_start(long *sp);
struct _proc_spawn_fd;
hidden int __px_inherit_fd(const struct _proc_spawn_fd *f, int ppid, int cof);

/* fork and exec (fork.c, spawn.c), when taskman's protocol has them. */
hidden long __px_fork(void);

/*
 * Shared mappings of regular files (mapfile.c; mm.c calls in).
 * __px_mm_send_map (mm.c): send a _MEM_MAP message of size bytes; the
 * address or -errno.  The others: mmap(MAP_SHARED) of a regular file
 * (sb its fstat); write back [a, b) for msync; write back and forget
 * what MAP_FIXED replaces; munmap and mprotect with the table kept in
 * step; write back everything (exit, exec).
 */
struct _io_stat_buf;
struct _mem_map;
hidden long __px_mm_send_map(const struct _mem_map *m, size_t size);
hidden long __px_file_shared(void *addr, size_t len, int prot, int flags, int fd, off_t off,
    const struct _io_stat_buf *sb);
hidden long __px_fmap_sync(uintptr_t a, uintptr_t b, int sync);
hidden void __px_fmap_replace(uintptr_t a, uintptr_t b);
hidden long __px_fmap_unmap(void *addr, size_t n);
hidden long __px_fmap_protect(void *addr, size_t n, int prot);
hidden void __px_fmap_sync_all(void);
hidden long __px_execve(const char *path, char *const argv[], char *const envp[]);
hidden void __px_pid_forget(void);
hidden void __px_timers_forget(void);

/* Processes (proc.c, wait.c, spawn.c): taskman's messages. */
hidden int __qsoe_posix_spawn(pid_t *res, const char *file, const void *fa,
    const void *attr, char *const argv[], char *const envp[]);
hidden long __px_getppid(void);
hidden long __px_getid(int which, int pid);
hidden long __px_getgroups(int size, unsigned *list);
hidden long __px_setgroups(size_t n, const unsigned *list);
hidden long __px_setsid(void);
hidden long __px_setpgid(int pid, int pgid);
hidden long __px_setid(int subtype, int a, int b, int c);
hidden long __px_getresid(int gid, unsigned *r, unsigned *e, unsigned *s);
hidden long __px_wait4(volatile int *cancel, int pid, int *status, int options, void *ru);
hidden long __px_waitid(volatile int *cancel, int type, int id, siginfo_t *si, int options);

/* System services (uname.c) and the umask (umask.c): taskman's. */
struct utsname;
hidden long __px_uname(struct utsname *u);
hidden long __px_umask(unsigned mask);
hidden unsigned __px_create_mode(unsigned mode);

/* Resource limits (rlimit.c): SYS_prlimit64, and RLIMIT_NOFILE for fd allocation. */
struct rlimit;
hidden long __px_prlimit(int pid, int res, const struct rlimit *new, struct rlimit *old);
hidden int __px_fd_limit(void);

/* The CPUs and memory (sysinfo.c): SYS_sched_getaffinity, SYS_sysinfo. */
struct sysinfo;
hidden long __px_sched_getaffinity(int tid, size_t size, void *set);
hidden long __px_sysinfo(struct sysinfo *si);

#endif
