/*
 * tests/libc/libcfork.c - fork and exec through taskman's _PROC_FORK and
 * _PROC_EXEC (docs/libc.md).  Where <sys/procmsg.h> lacks them (taskman's
 * part that defines them is not merged), libc's fork and execve are ENOSYS
 * and this program checks exactly that.  Runs under taskman.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "ltest.h"
#include "lsvc.h"

#define SELF	"/proc/boot/libcfork"
#define SVC	"/libcfork-svc"
extern char **environ;

static __attribute__((unused)) int wait_for(pid_t pid)
{
	int st = -1;

	return waitpid(pid, &st, 0) == pid ? st : -1;
}

#if defined(_PROC_FORK) && defined(_PROC_EXEC)

static volatile int shared = 1;

LTEST(fork, status_ids_memory)
{
	pid_t me = getpid(), pid;
	int st;

	pid = fork();
	if (pid == 0) {
		shared = 2;		/* the parent must not see it */
		_exit(getppid() == me && getpid() != me && getpid() > 1 ? 7 : 1);
	}
	LT_CHECK(pid > 0);
	st = wait_for(pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 7);
	LT_EQ(shared, 1);
	LT_EQ(getpid(), me);
	/* A child that malloc()s and exits through exit() (atexit, stdio). */
	pid = fork();
	if (pid == 0) {
		char *p = malloc(100000);

		exit(p && memset(p, 1, 100000) == p ? 3 : 4);
	}
	st = wait_for(pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	return 0;
}

LTEST(fork, fds_shared)
{
	char *argv[] = { "libcfork", "serve", SVC, NULL };
	struct stat st;
	pid_t svc, pid;
	char b[4];
	int fd, s;

	LT_EQ(posix_spawn(&svc, SELF, NULL, NULL, argv, environ), 0);
	for (int i = 0; i < 500 && stat(SVC "/data", &st) != 0; i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	fd = open(SVC "/data", O_RDONLY);
	LT_CHECK(fd >= 0);
	LT_EQ(read(fd, b, 2), 2);
	pid = fork();
	if (pid == 0)
		_exit(read(fd, b, 2) == 2 && memcmp(b, "23", 2) == 0 ? 0 : 1);
	s = wait_for(pid);
	LT_CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 0);
	LT_EQ(lseek(fd, 0, SEEK_CUR), 4);	/* one open file, one offset */
	LT_EQ(close(fd), 0);
	LT_EQ(kill(svc, SIGKILL), 0);
	s = wait_for(svc);
	LT_CHECK(WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL);
	return 0;
}

static void *sleeper(void *arg)
{
	(void)arg;
	nanosleep(&(struct timespec){ 0, 300000000 }, NULL);
	return 0;
}

/*
 * fork with a second thread alive: musl's fork() then holds the malloc
 * lock around the fork itself, which once made libc's fork (it called
 * malloc) wait for itself forever.  Found by srvfuzz.  The child mallocs
 * too (musl resets the lock there), and the parent forks twice.
 */
LTEST(fork, with_threads)
{
	pthread_t t;
	pid_t pid;
	int st;

	LT_EQ(pthread_create(&t, NULL, sleeper, NULL), 0);
	for (int i = 0; i < 2; i++) {
		pid = fork();
		if (pid == 0) {
			char *p = malloc(5000);

			_exit(p && memset(p, 2, 5000) == p ? 5 : 6);
		}
		LT_CHECK(pid > 0);
		st = wait_for(pid);
		LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	}
	LT_EQ(pthread_join(t, NULL), 0);
	free(malloc(100));			/* the parent's lock was given back */
	return 0;
}

/*
 * Threads on several CPUs store into one page that a fork has just made
 * copy-on-write: every store faults at once, one thread breaks the page
 * and the others find it writable already.  The kernel once answered
 * those with SIGSEGV (the lost race looked like a write to a read-only
 * page).  Rounds of fork + simultaneous stores; a crash kills the test.
 */
#define COW_THREADS	4
#define COW_ROUNDS	150

static char cow_page[4096] __attribute__((aligned(4096)));
static volatile int cow_gen, cow_stop;
static int cow_done;

static void *cow_writer(void *arg)
{
	long i = (long)arg;
	int seen = 0;

	for (;;) {
		while (cow_gen == seen && !cow_stop)
			sched_yield();
		if (cow_stop)
			return NULL;
		seen = cow_gen;
		cow_page[64 * i] = (char)seen;	/* the racing store */
		__atomic_add_fetch(&cow_done, 1, __ATOMIC_SEQ_CST);
	}
}

LTEST(fork, cow_fault_race)
{
	pthread_t t[COW_THREADS];
	pid_t pid;
	int st, bad = 0;

	for (long i = 0; i < COW_THREADS; i++)
		LT_EQ(pthread_create(&t[i], NULL, cow_writer, (void *)i), 0);
	for (int r = 1; r <= COW_ROUNDS && !bad; r++) {
		if ((pid = fork()) == 0)
			_exit(cow_page[0] == (char)(r - 1) ? 0 : 1);
		LT_CHECK(pid > 0);
		__atomic_store_n(&cow_done, 0, __ATOMIC_SEQ_CST);
		cow_gen = r;			/* go: all of them store now */
		while (__atomic_load_n(&cow_done, __ATOMIC_SEQ_CST) < COW_THREADS)
			sched_yield();
		for (int i = 0; i < COW_THREADS; i++)
			bad += cow_page[64 * i] != (char)r;
		st = wait_for(pid);
		bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	cow_stop = 1;
	for (int i = 0; i < COW_THREADS; i++)
		LT_EQ(pthread_join(t[i], NULL), 0);
	LT_EQ(bad, 0);
	return 0;
}

LTEST(exec, replace_and_errors)
{
	char *argv[] = { "libcfork", "exit", "9", NULL };
	pid_t pid;
	int st;

	/* A failed exec leaves the caller running. */
	errno = 0;
	LT_EQ(execve("/proc/boot/no-such", argv, environ), -1);
	LT_EQ(errno, ENOENT);
	errno = 0;
	LT_EQ(execve("/proc/boot/motd", argv, environ), -1);
	LT_EQ(errno, EACCES);
	pid = fork();
	if (pid == 0) {
		execve(SELF, argv, environ);
		_exit(100);
	}
	st = wait_for(pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 9);
	/* execvp searches PATH; the pid stays across the exec. */
	pid = fork();
	if (pid == 0) {
		char me[16], *v[] = { "libcfork", "pid", me, NULL };

		snprintf(me, sizeof(me), "%d", getpid());
		execvp("libcfork", v);
		_exit(100);
	}
	st = wait_for(pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	return 0;
}

/* The alternate signal stack: fork keeps it, exec drops it. */
static char altstk[8192] __attribute__((aligned(16)));

LTEST(fork, altstack_fork_keeps_exec_drops)
{
	stack_t ss = { .ss_sp = altstk, .ss_size = sizeof(altstk) };
	int st;
	pid_t pid;

	LT_EQ(sigaltstack(&ss, 0), 0);
	pid = fork();
	if (pid == 0) {
		char *v[] = { "libcfork", "altstack", "-", NULL };
		stack_t o;

		if (sigaltstack(0, &o) != 0 || o.ss_sp != altstk || o.ss_size != sizeof(altstk) ||
		    o.ss_flags != 0)
			_exit(2);
		execve(SELF, v, environ);
		_exit(100);
	}
	st = wait_for(pid);
	ss.ss_flags = SS_DISABLE;
	LT_EQ(sigaltstack(&ss, 0), 0);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	return 0;
}


/* CPU-time itimers are not inherited by a fork child. */
LTEST(fork, itimers_not_inherited)
{
	struct itimerval it = { .it_value = { 10, 0 } }, cur;
	int st;
	pid_t pid;

	LT_EQ(setitimer(ITIMER_PROF, &it, 0), 0);
	pid = fork();
	if (pid == 0)
		_exit(getitimer(ITIMER_PROF, &cur) == 0 && cur.it_value.tv_sec == 0 &&
		    cur.it_value.tv_usec == 0 ? 0 : 1);
	st = wait_for(pid);
	LT_EQ(getitimer(ITIMER_PROF, &cur), 0);
	LT_CHECK(cur.it_value.tv_sec > 0);		/* ours is still armed */
	memset(&it, 0, sizeof(it));
	LT_EQ(setitimer(ITIMER_PROF, &it, 0), 0);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	return 0;
}

#else

LTEST(fork, not_in_the_protocol_yet)
{
	char *argv[] = { "libcfork", NULL };

	errno = 0;
	LT_EQ(fork(), -1);
	LT_EQ(errno, ENOSYS);
	errno = 0;
	LT_EQ(execve(SELF, argv, environ), -1);
	LT_EQ(errno, ENOSYS);
	return 0;
}

#endif

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "altstack") == 0) {
		stack_t o;

		return sigaltstack(0, &o) == 0 && o.ss_flags == SS_DISABLE ? 0 : 3;
	}
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		return lsvc_serve(argv[2]);
	if (argc == 3 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	if (argc == 3 && strcmp(argv[1], "pid") == 0)
		return atoi(argv[2]) == getpid() ? 0 : 1;
	return lt_run_all() ? 1 : 0;
}
