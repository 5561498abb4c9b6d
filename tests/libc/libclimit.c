/*
 * tests/libc/libclimit.c - resource limits, sysconf of the CPUs and the
 * memory, and kill's permission check (docs/taskman.md, "Resource
 * limits" and "Signals and credentials"): getrlimit/setrlimit/prlimit
 * round trips and errors (EINVAL, EPERM as uid 1000), inheritance across
 * fork and exec, RLIMIT_NOFILE (EMFILE), RLIMIT_AS (ENOMEM from mmap and
 * malloc), RLIMIT_NPROC (EAGAIN for uid 1000, not for root), running out
 * of memory (ENOMEM, no hang), and kill between uid 0, 1000 and 2000,
 * also by group.  Runs under taskman (libclimit.script).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/procmsg.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include "ltest.h"

#define SELF	"/proc/boot/libclimit"
#define MiB	(1024UL * 1024)

extern char **environ;

/* Run fn in a forked child; its exit status, or -1 if it did not exit. */
static int
in_child(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* A child that sleeps as (ruid, euid, suid) until killed; its pid. */
static pid_t
sleeper(uid_t r, uid_t e, uid_t s)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setresuid(r, e, s) != 0)
			_exit(99);
		for (;;)
			pause();
	}
	return pid;
}

/* Wait (up to about 2 s) until taskman says pid's real uid is r; 1 if it did. */
static int
has_uid(pid_t pid, uid_t r)
{
	struct _proc_getsetid q = { .type = _PROC_GETSETID, .subtype = _PROC_ID_GETIDS,
	    .gi_pid = pid };
	struct _proc_ids ids;

	for (int i = 0; i < 200; i++) {
		if (MsgSend_r(SYSMGR_COID, &q, sizeof(q), &ids, sizeof(ids)) == 0 &&
		    ids.pi_ruid == (int32_t)r)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* Did pid end by signal sig (reaped now)?  Waits at most about 2 s. */
static int
killed_by(pid_t pid, int sig)
{
	int st;

	for (int i = 0; i < 200; i++) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			return WIFSIGNALED(st) && WTERMSIG(st) == sig;
		if (w < 0)
			return 0;
		usleep(10000);
	}
	return 0;
}

/* Is pid still running (not a zombie: waitpid WNOHANG says 0)? */
static int
running(pid_t pid)
{
	int st;

	usleep(50000);		/* time for a wrongly sent signal to land */
	return waitpid(pid, &st, WNOHANG) == 0;
}

static void
end(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

LTEST(sysconf, cpus_and_memory)
{
	long conf = sysconf(_SC_NPROCESSORS_CONF), onln = sysconf(_SC_NPROCESSORS_ONLN);
	long phys = sysconf(_SC_PHYS_PAGES), av = sysconf(_SC_AVPHYS_PAGES), av2;
	struct _sys_conf q = { .type = _SYS_CONF, .sc_name = _SYS_SC_NPROCESSORS_ONLN };
	struct _sys_conf_reply r;
	unsigned char set[8];
	struct sysinfo si;
	char *p;

	LT_CHECK(onln >= 1 && onln <= 64);
	LT_EQ(conf, onln);		/* QEMU starts every hart it has */
	LT_EQ(MsgSend_r(SYSMGR_COID, &q, sizeof(q), &r, sizeof(r)), 0);
	LT_EQ(r.cr_value, onln);	/* taskman says the same */
	q.sc_name = _SYS_SC_NPROCESSORS_CONF;
	LT_EQ(MsgSend_r(SYSMGR_COID, &q, sizeof(q), &r, sizeof(r)), 0);
	LT_EQ(r.cr_value, conf);
	q.sc_name = _SYS_SC_PHYS_PAGES;
	LT_EQ(MsgSend_r(SYSMGR_COID, &q, sizeof(q), &r, sizeof(r)), 0);
	LT_EQ(r.cr_value, phys);
	/* Some tens of MiB at least, less than 64 GiB; free is less than all. */
	LT_CHECK(phys > (long)(32 * MiB / 4096) && phys < (long)(64UL << 30) / 4096);
	LT_CHECK(av > 0 && av < phys);
	/* 8 MiB touched takes about 2048 pages away from the free count. */
	p = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	LT_CHECK(p != MAP_FAILED);
	memset(p, 1, 8 * MiB);
	av2 = sysconf(_SC_AVPHYS_PAGES);
	munmap(p, 8 * MiB);
	LT_CHECK(av2 <= av - 1900);
	LT_EQ(sysinfo(&si), 0);
	LT_EQ(si.mem_unit, 4096);
	LT_EQ((long)si.totalram, phys);
	LT_CHECK(si.freeram > 0 && si.freeram < si.totalram);
	/* sched_getaffinity: one bit a CPU; a mask too small for them is EINVAL. */
	LT_EQ(sched_getaffinity(0, sizeof(set), (cpu_set_t *)(void *)set), 0);
	LT_EQ(__builtin_popcountll(*(uint64_t *)(void *)set), onln);
	LT_EQ(syscall(SYS_sched_getaffinity, 0, 4, set), -1);
	LT_EQ(errno, EINVAL);
	/* A name taskman does not know is still EINVAL. */
	q.sc_name = 9999;
	LT_EQ(MsgSend_r(SYSMGR_COID, &q, sizeof(q), &r, sizeof(r)), -EINVAL);
	return 0;
}

LTEST(rlimit, defaults_and_round_trip)
{
	struct rlimit l, o;

	LT_EQ(getrlimit(RLIMIT_NOFILE, &l), 0);
	LT_EQ(l.rlim_cur, 256);
	LT_EQ(l.rlim_max, 256);
	LT_EQ(sysconf(_SC_OPEN_MAX), 256);	/* musl's sysconf reads the limit */
	LT_EQ(getrlimit(RLIMIT_CORE, &l), 0);
	LT_EQ(l.rlim_cur, 0);			/* no core dumps */
	LT_EQ(getrlimit(RLIMIT_STACK, &l), 0);
	LT_EQ(l.rlim_cur, 256 * 1024);
	LT_EQ(getrlimit(RLIMIT_AS, &l), 0);
	LT_EQ(l.rlim_cur, RLIM_INFINITY);
	LT_EQ(l.rlim_max, RLIM_INFINITY);
	l = (struct rlimit){ 1000, 2000 };
	LT_EQ(setrlimit(RLIMIT_CPU, &l), 0);
	LT_EQ(prlimit(0, RLIMIT_CPU, NULL, &o), 0);
	LT_EQ(o.rlim_cur, 1000);
	LT_EQ(o.rlim_max, 2000);
	l = (struct rlimit){ 5, 6 };
	LT_EQ(prlimit(getpid(), RLIMIT_CPU, &l, &o), 0);	/* the old ones come back */
	LT_EQ(o.rlim_cur, 1000);
	LT_EQ(o.rlim_max, 2000);
	l = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	LT_EQ(setrlimit(RLIMIT_CPU, &l), 0);		/* root may raise the hard one */
	/* Errors: a resource out of range, soft above hard, no such process. */
	LT_EQ(getrlimit(RLIM_NLIMITS, &l), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(getrlimit(-1, &l), -1);
	LT_EQ(errno, EINVAL);
	l = (struct rlimit){ 10, 5 };
	LT_EQ(setrlimit(RLIMIT_CPU, &l), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(prlimit(0x3ffffff0, RLIMIT_CPU, NULL, &o), -1);
	LT_EQ(errno, ESRCH);
	return 0;
}

static int
raise_hard_as_user(void)
{
	struct rlimit l = { 100, 200 };

	if (setuid(1000) != 0 || setrlimit(RLIMIT_CPU, &l) != 0)
		return 1;
	l.rlim_max = 150;			/* lowering: fine */
	if (setrlimit(RLIMIT_CPU, &l) != 0)
		return 2;
	l.rlim_max = 300;			/* raising back: EPERM */
	if (setrlimit(RLIMIT_CPU, &l) != -1 || errno != EPERM)
		return 3;
	if (prlimit(getppid(), RLIMIT_CPU, NULL, &l) != -1 || errno != EPERM)
		return 4;			/* root's limits are not uid 1000's to read */
	if (getrlimit(RLIMIT_CPU, &l) != 0 || l.rlim_max != 150)
		return 5;
	return 0;
}

LTEST(rlimit, eperm_as_user)
{
	LT_EQ(in_child(raise_hard_as_user), 0);
	return 0;
}

static int
check_inherited(void)
{
	struct rlimit l;

	return getrlimit(RLIMIT_CPU, &l) == 0 && l.rlim_cur == 77 && l.rlim_max == 88 ? 0 : 1;
}

LTEST(rlimit, inherited_by_fork_spawn_exec)
{
	struct rlimit l = { 77, 88 }, inf = { RLIM_INFINITY, RLIM_INFINITY };
	char *argv[] = { "libclimit", "check-inherited", NULL };
	char *xargv[] = { "libclimit", "exec-check", NULL };
	pid_t pid;
	int st;

	LT_EQ(setrlimit(RLIMIT_CPU, &l), 0);
	LT_EQ(in_child(check_inherited), 0);
	LT_EQ(posix_spawn(&pid, SELF, NULL, NULL, argv, environ), 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if ((pid = fork()) == 0) {
		execve(SELF, xargv, environ);
		_exit(98);
	}
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	LT_EQ(setrlimit(RLIMIT_CPU, &inf), 0);
	return 0;
}

static int
nofile(void)
{
	struct rlimit l = { 8, 8 };
	int fd, last = -1, n = 0;

	if (setuid(1000) != 0 || setrlimit(RLIMIT_NOFILE, &l) != 0)
		return 1;
	while ((fd = open(SELF, O_RDONLY)) >= 0 && n++ < 20)
		last = fd;
	if (fd >= 0 || errno != EMFILE || last != 7)
		return 2;			/* fds 0..7 and no more */
	if (dup(0) != -1 || errno != EMFILE)
		return 3;
	if (dup2(0, 8) != -1 || errno != EBADF)
		return 4;			/* beyond the limit: EBADF, as Linux */
	if (fcntl(0, F_DUPFD, 3) != -1 || errno != EMFILE)
		return 5;
	close(last);
	if ((fd = open(SELF, O_RDONLY)) != last)
		return 6;			/* room for one again */
	l = (struct rlimit){ 9, 9 };
	if (setrlimit(RLIMIT_NOFILE, &l) != -1 || errno != EPERM)
		return 7;			/* the hard one is lowered for good */
	return sysconf(_SC_OPEN_MAX) == 8 ? 0 : 8;
}

LTEST(rlimit, nofile_emfile)
{
	LT_EQ(in_child(nofile), 0);
	return 0;
}

static int
address_space(void)
{
	struct rlimit l = { 64 * MiB, RLIM_INFINITY };
	void *p;

	if (setrlimit(RLIMIT_AS, &l) != 0)
		return 1;
	p = mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED || errno != ENOMEM)
		return 2;
	if (malloc(100 * MiB) != NULL || errno != ENOMEM)
		return 3;
	p = mmap(NULL, 1 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 4;			/* small ones still fit */
	l.rlim_cur = RLIM_INFINITY;
	if (setrlimit(RLIMIT_AS, &l) != 0)
		return 5;
	p = mmap(NULL, 128 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? 6 : 0;		/* (a reservation: no frames) */
}

LTEST(rlimit, as_enomem)
{
	LT_EQ(in_child(address_space), 0);
	return 0;
}

/*
 * RLIMIT_AS at program load: a program whose image and main stack (the
 * arguments are in it) would pass the limit is not started: posix_spawn
 * and spawn() fail with ENOMEM, exec returns -1/ENOMEM and its caller goes
 * on.  A 48 MiB stack (RLIMIT_STACK) does not fit in 40 MiB; the default
 * 256 KiB one does, under the same limit.  The child's limits are the
 * spawner's; exec's are the process's own.
 */
static int
as_at_load(void)
{
	struct rlimit as = { 40 * MiB, RLIM_INFINITY }, big = { 48 * MiB, RLIM_INFINITY }, dflt;
	char *argv[] = { "libclimit", "exit", "8", NULL };
	pid_t pid;
	int st;

	if (getrlimit(RLIMIT_STACK, &dflt) != 0 || setrlimit(RLIMIT_AS, &as) != 0 ||
	    setrlimit(RLIMIT_STACK, &big) != 0)
		return 1;
	if (posix_spawn(&pid, SELF, NULL, NULL, argv, environ) != ENOMEM)
		return 2;
	if (spawn(SELF, 0, NULL, NULL, argv, environ) != -1 || errno != ENOMEM)
		return 3;
	if (execv(SELF, argv) != -1 || errno != ENOMEM)
		return 4;			/* ... and this process goes on */
	if (setrlimit(RLIMIT_STACK, &dflt) != 0)
		return 5;
	if (posix_spawn(&pid, SELF, NULL, NULL, argv, environ) != 0 ||
	    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 8)
		return 6;
	argv[2] = "7";
	execv(SELF, argv);			/* fits: exits 7 */
	return 9;
}

LTEST(rlimit, as_checked_at_load)
{
	LT_EQ(in_child(as_at_load), 7);
	return 0;
}

/* Map 64 MiB pieces until the memory runs out: ENOMEM, not a hang. */
static int
exhaust(void)
{
	for (int i = 0; i < 4096; i++) {
		void *p = mmap(NULL, 64 * MiB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return errno == ENOMEM && i > 0 ? 0 : 1;
	}
	return 2;				/* 256 GiB?  Not on this machine */
}

LTEST(rlimit, out_of_memory_enomem)
{
	long before = sysconf(_SC_AVPHYS_PAGES);

	long after = 0;

	LT_EQ(in_child(exhaust), 0);
	/* All of it comes back (another CPU may still be tearing the child down). */
	for (int i = 0; i < 300 && (after = sysconf(_SC_AVPHYS_PAGES)) <= before - 256; i++)
		usleep(10000);
	LT_CHECK(after > before - 256);
	return 0;
}

static int
nproc(void)
{
	struct rlimit l = { 1, RLIM_INFINITY };
	char *argv[] = { "libclimit", "check-nothing", NULL };
	pid_t pid;
	int st;

	if (setuid(1000) != 0 || setrlimit(RLIMIT_NPROC, &l) != 0)
		return 1;
	if (fork() != -1 || errno != EAGAIN)
		return 2;			/* this one is uid 1000's only process */
	if (posix_spawn(&pid, SELF, NULL, NULL, argv, environ) != EAGAIN)
		return 3;
	l.rlim_cur = 2;
	if (setrlimit(RLIMIT_NPROC, &l) != 0)
		return 4;
	if ((pid = fork()) == 0)
		_exit(fork() == -1 && errno == EAGAIN ? 0 : 1);	/* two now */
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 5;
	return 0;
}

LTEST(rlimit, nproc_eagain)
{
	struct rlimit l = { 0, RLIM_INFINITY }, inf = { RLIM_INFINITY, RLIM_INFINITY };
	pid_t pid;
	int st;

	LT_EQ(in_child(nproc), 0);
	LT_EQ(setrlimit(RLIMIT_NPROC, &l), 0);	/* root is not limited */
	if ((pid = fork()) == 0)
		_exit(0);
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_EQ(setrlimit(RLIMIT_NPROC, &inf), 0);
	return 0;
}

/* Use kib KiB of stack (a role of this program); 0. */
static int __attribute__((noinline))
deep(int kib)
{
	volatile char a[1024];

	a[0] = (char)kib;
	a[sizeof(a) - 1] = 1;
	return kib > 1 ? deep(kib - 1) + a[0] - (char)kib : 0;
}

/* Spawn this program to use kib KiB of stack; its wait status. */
static int
spawn_deep(const char *kib)
{
	char *argv[] = { "libclimit", "deep", (char *)kib, NULL };
	pid_t pid;
	int st = -1;

	if (posix_spawn(&pid, SELF, NULL, NULL, argv, environ) != 0 ||
	    waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

LTEST(rlimit, stack_sizes_the_main_stack)
{
	struct rlimit l = { 1024 * 1024, RLIM_INFINITY }, dflt;
	char *argv[] = { "libclimit", "deep", "700", NULL };
	pid_t pid;
	int st;

	LT_EQ(getrlimit(RLIMIT_STACK, &dflt), 0);
	st = spawn_deep("100");
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = spawn_deep("700");			/* more than 256 KiB: a fault */
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	LT_EQ(setrlimit(RLIMIT_STACK, &l), 0);
	st = spawn_deep("700");			/* within 1 MiB */
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = spawn_deep("1500");
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	LT_EQ(setrlimit(RLIMIT_STACK, &dflt), 0);
	/* exec sizes it too, from the process's own limit. */
	if ((pid = fork()) == 0) {
		if (setrlimit(RLIMIT_STACK, &l) != 0)
			_exit(90);
		execv(SELF, argv);
		_exit(91);
	}
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 0;
}

static pid_t target_root, target_1000, target_saved, target_euid;

/* As uid 1000: which of the targets kill lets it signal. */
static int
kill_as_user(void)
{
	if (setuid(1000) != 0)
		return 1;
	if (kill(target_root, 0) != -1 || errno != EPERM)
		return 2;
	if (kill(target_root, SIGTERM) != -1 || errno != EPERM)
		return 3;
	if (kill(target_euid, SIGTERM) != -1 || errno != EPERM)
		return 4;			/* its euid is 1000, but not its real or saved */
	if (kill(target_1000, SIGTERM) != 0)
		return 5;
	if (kill(target_saved, SIGTERM) != 0)
		return 6;			/* its saved uid is 1000 */
	if (kill(getppid(), SIGCONT) != 0)
		return 7;			/* SIGCONT within the session */
	if (kill(1, SIGTERM) != -1 || errno != EPERM)
		return 8;			/* taskman */
	return 0;
}

LTEST(kill, permission)
{
	target_root = sleeper(0, 0, 0);
	target_1000 = sleeper(1000, 1000, 1000);
	target_saved = sleeper(2000, 2000, 1000);
	target_euid = sleeper(2000, 1000, 2000);
	LT_CHECK(target_root > 0 && target_1000 > 0 && target_saved > 0 && target_euid > 0);
	LT_CHECK(has_uid(target_1000, 1000) && has_uid(target_saved, 2000) &&
	    has_uid(target_euid, 2000));	/* their uids are set */
	LT_EQ(in_child(kill_as_user), 0);
	LT_CHECK(killed_by(target_1000, SIGTERM));
	LT_CHECK(killed_by(target_saved, SIGTERM));
	LT_CHECK(running(target_root));
	LT_CHECK(running(target_euid));
	end(target_root);
	end(target_euid);
	return 0;
}

static pid_t group_a, group_b;

static int
killpg_as_user(void)
{
	if (setuid(1000) != 0)
		return 1;
	if (kill(-group_a, SIGTERM) != -1 || errno != EPERM)
		return 2;			/* none of them is uid 1000's */
	if (kill(-group_b, SIGTERM) != 0)
		return 3;			/* one of them is */
	return 0;
}

LTEST(kill, permission_by_group)
{
	pid_t a1 = sleeper(0, 0, 0), b1 = sleeper(0, 0, 0), b2 = sleeper(1000, 1000, 1000);

	LT_CHECK(a1 > 0 && b1 > 0 && b2 > 0);
	LT_EQ(setpgid(a1, a1), 0);
	LT_EQ(setpgid(b1, b1), 0);
	LT_EQ(setpgid(b2, b1), 0);
	group_a = a1;
	group_b = b1;
	LT_CHECK(has_uid(b2, 1000));
	LT_EQ(in_child(killpg_as_user), 0);
	LT_CHECK(killed_by(b2, SIGTERM));
	LT_CHECK(running(a1));
	LT_CHECK(running(b1));
	LT_EQ(kill(-b1, SIGKILL), 0);		/* root may */
	LT_CHECK(killed_by(b1, SIGKILL));
	end(a1);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "check-inherited") == 0)
		return check_inherited();
	if (argc > 1 && strcmp(argv[1], "exec-check") == 0)
		return check_inherited();
	if (argc > 1 && strcmp(argv[1], "check-nothing") == 0)
		return 0;
	if (argc > 2 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	if (argc > 2 && strcmp(argv[1], "deep") == 0)
		return deep(atoi(argv[2]));
	return lt_run_all() == 0 ? 0 : 1;
}
