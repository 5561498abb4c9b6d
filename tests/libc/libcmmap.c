/*
 * tests/libc/libcmmap.c - mmap beyond anonymous private memory
 * (docs/taskman.md, _MEM_MAP): private copies of regular files on fs-ram
 * (offset, zeros past the end of the file, protection, the file left
 * alone) and their errors (EACCES, ENODEV, EBADF, EINVAL; MAP_SHARED of
 * files: libcmapf.c);
 * MAP_SHARED | MAP_ANONYMOUS between a parent and its fork child; the
 * shared-memory objects of /dev/shmem (shm_open, ftruncate, fstat, mmap
 * in several processes, O_EXCL, ENOENT, bad names, permissions, unlink
 * while mapped, growing and shrinking); mprotect; msync; the stacks of
 * detached threads, which each gives back as it ends.  Copies of
 * itself play the children: "libcmmap ROLE ARGS...".  The boot's
 * power-off check finds any frame left behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <dirent.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "ltest.h"

#define SELF	"/proc/boot/libcmmap"
#define PAGE	4096
extern char **environ;

/* The exit status of "libcmmap role a", or -1. */
static int run_role(const char *role, const char *a)
{
	char *argv[] = { "libcmmap", (char *)role, (char *)a, NULL };
	pid_t pid;
	int st;

	if (posix_spawn(&pid, SELF, NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Does a store to p in a fork child die by SIGSEGV? */
static int store_faults(volatile void *v)
{
	volatile char *p = v;
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		p[0] = 1;
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

static int make_file(const char *path, size_t n)
{
	static char b[3 * PAGE];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (char)(i * 13 + 1);
	if (fd < 0 || write(fd, b, n) != (ssize_t)n)
		return -1;
	return fd;
}

LTEST(mmap, private_file)
{
	int fd = make_file("/tmp/mf", 5000);
	volatile char *p, *q;
	char c;

	LT_CHECK(fd >= 0);
	p = mmap(0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	LT_CHECK(p != MAP_FAILED);
	for (int i = 0; i < 5000; i++)
		LT_EQ(p[i], (char)(i * 13 + 1));
	for (int i = 5000; i < 2 * PAGE; i++)
		LT_EQ(p[i], 0);				/* past the end of the file */
	LT_CHECK(store_faults(p));			/* PROT_READ */
	q = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE);	/* an offset */
	LT_CHECK(q != MAP_FAILED);
	LT_EQ(q[0], (char)(PAGE * 13 + 1));
	q[0] = 'x';					/* a private copy ... */
	LT_EQ(pread(fd, &c, 1, PAGE), 1);
	LT_EQ(c, (char)(PAGE * 13 + 1));		/* ... the file is left alone */
	LT_EQ(mprotect((void *)q, PAGE, PROT_READ), 0);
	LT_CHECK(store_faults(q));
	LT_EQ(msync((void *)q, PAGE, MS_SYNC), 0);
	LT_EQ(msync((void *)q + 1, PAGE, MS_SYNC), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(munmap((void *)p, 2 * PAGE), 0);
	LT_EQ(munmap((void *)q, PAGE), 0);
	/* A program's image file through taskman: a copy as well. */
	int bfd = open(SELF, O_RDONLY);

	LT_CHECK(bfd >= 0);
	p = mmap(0, PAGE, PROT_READ, MAP_PRIVATE, bfd, 0);
	LT_CHECK(p != MAP_FAILED);
	LT_CHECK(p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F');
	LT_EQ(munmap((void *)p, PAGE), 0);
	close(bfd);
	close(fd);
	return 0;
}

LTEST(mmap, file_errors)
{
	int fd = make_file("/tmp/mf2", 100), wfd = open("/tmp/mf2", O_WRONLY), pfd[2];
	int nfd = open("/dev/null", O_RDONLY);

	LT_CHECK(fd >= 0 && wfd >= 0 && nfd >= 0);
	LT_EQ(pipe(pfd), 0);
	errno = 0;
	LT_CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, wfd, 0) == MAP_FAILED && errno == EACCES);
	LT_CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, pfd[0], 0) == MAP_FAILED && errno == ENODEV);
	LT_CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, nfd, 0) == MAP_FAILED && errno == ENODEV);
	LT_CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED && errno == EBADF);
	LT_CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && errno == EBADF);
	LT_CHECK(mmap(0, PAGE, PROT_READ, MAP_SHARED, wfd, 0) == MAP_FAILED && errno == EACCES);
	LT_CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL);
	close(fd);
	close(wfd);
	close(nfd);
	close(pfd[0]);
	close(pfd[1]);
	return 0;
}

LTEST(mmap, shared_anonymous_across_fork)
{
	volatile int *s = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *p = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	LT_CHECK(s != MAP_FAILED && p != MAP_FAILED);
	s[0] = 1;
	s[PAGE / sizeof(int)] = 2;
	p[0] = 1;
	if ((pid = fork()) == 0) {
		while (s[0] != 5)		/* the parent's write reaches us */
			usleep(1000);
		s[PAGE / sizeof(int)] = 6;
		_exit(p[0] == 1 ? 0 : 1);	/* private: still the old value */
	}
	LT_CHECK(pid > 0);
	p[0] = 9;
	s[0] = 5;
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_EQ(st, 0);
	LT_EQ(s[PAGE / sizeof(int)], 6);	/* the child's write reached us */
	LT_EQ(munmap((void *)s, 2 * PAGE), 0);
	LT_EQ(munmap((void *)p, PAGE), 0);
	return 0;
}

LTEST(shm, objects_between_processes)
{
	int fd = shm_open("/lm1", O_RDWR | O_CREAT | O_EXCL, 0600);
	volatile int *m;
	struct stat st;
	pid_t pid;
	int s;

	LT_CHECK(fd >= 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, 0);
	LT_CHECK(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600);
	LT_EQ(ftruncate(fd, 10000), 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, 10000);
	/* The name is listed in /dev/shmem. */
	DIR *d = opendir("/dev/shmem");
	struct dirent *e;
	int seen = 0;

	LT_CHECK(d != NULL);
	while ((e = readdir(d)) != NULL)
		seen += strcmp(e->d_name, "lm1") == 0;
	rewinddir(d);
	while ((e = readdir(d)) != NULL)
		seen += strcmp(e->d_name, "lm1") == 0;
	closedir(d);
	LT_EQ(seen, 2);
	LT_EQ(stat("/dev/shmem", &st), 0);
	LT_CHECK(S_ISDIR(st.st_mode));
	m = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	LT_CHECK(m != MAP_FAILED);
	LT_EQ(m[0] | m[3 * PAGE / sizeof(int) - 1], 0);	/* zeroed */
	m[0] = 1234;
	LT_EQ(run_role("shm", "/lm1"), 0);		/* opens, maps, checks, writes */
	LT_EQ(m[1], 5678);
	if ((pid = fork()) == 0) {			/* fork shares the mapping */
		m[2] = 42;
		_exit(0);
	}
	LT_EQ(waitpid(pid, &s, 0), pid);
	LT_EQ(m[2], 42);
	/* A second mapping of the same object, at an offset, sees the same memory. */
	volatile int *m2 = mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);

	LT_CHECK(m2 != MAP_FAILED);
	m[PAGE / sizeof(int)] = 77;
	LT_EQ(m2[0], 77);
	LT_CHECK(store_faults(m2));			/* PROT_READ */
	/* A private mapping is a copy. */
	volatile int *c = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	LT_CHECK(c != MAP_FAILED);
	LT_EQ(c[0], 1234);
	c[0] = 1;
	LT_EQ(m[0], 1234);
	LT_EQ(msync((void *)m, PAGE, MS_SYNC), 0);
	LT_EQ(munmap((void *)c, PAGE), 0);
	LT_EQ(munmap((void *)m2, PAGE), 0);
	LT_EQ(munmap((void *)m, 3 * PAGE), 0);
	close(fd);
	LT_EQ(shm_unlink("/lm1"), 0);
	return 0;
}

LTEST(shm, errors)
{
	int fd = shm_open("/lm2", O_RDWR | O_CREAT | O_EXCL, 0640), rfd;
	char longname[300];
	pid_t pid;
	int s;

	LT_CHECK(fd >= 0);
	LT_EQ(ftruncate(fd, PAGE), 0);
	LT_CHECK(shm_open("/lm2", O_RDWR | O_CREAT | O_EXCL, 0600) < 0 && errno == EEXIST);
	LT_CHECK(shm_open("/none", O_RDWR, 0) < 0 && errno == ENOENT);
	LT_CHECK(shm_open("/a/b", O_RDWR | O_CREAT, 0600) < 0 && errno == EINVAL);
	LT_CHECK(shm_open("/", O_RDWR | O_CREAT, 0600) < 0 && errno == EINVAL);
	LT_CHECK(shm_open("/..", O_RDWR | O_CREAT, 0600) < 0 && errno == EINVAL);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = 0;
	LT_CHECK(shm_open(longname, O_RDWR | O_CREAT, 0600) < 0 && errno == ENAMETOOLONG);
	rfd = shm_open("/lm2", O_RDONLY, 0);
	LT_CHECK(rfd >= 0);
	LT_CHECK(mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0) == MAP_FAILED &&
	    errno == EACCES);				/* shared writes need O_RDWR */
	void *c = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rfd, 0);	/* a copy may */

	LT_CHECK(c != MAP_FAILED);
	LT_EQ(munmap(c, PAGE), 0);
	LT_CHECK(mmap(0, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENXIO);
	LT_CHECK(mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, PAGE) == MAP_FAILED && errno == ENXIO);
	LT_CHECK(ftruncate(rfd, 2 * PAGE) < 0 && errno == EINVAL);	/* not open for writing */
	LT_CHECK(ftruncate(fd, 2L << 30) < 0 && errno == EFBIG);
	/* Another user: group read only (0640), no write, no unlink. */
	if ((pid = fork()) == 0) {
		int bad = 0, f;

		if (setgid(1000) != 0 || setuid(1000) != 0)
			_exit(1);
		bad |= (shm_open("/lm2", O_RDONLY, 0) >= 0 || errno != EACCES) << 1;
		bad |= (shm_unlink("/lm2") == 0 || errno != EPERM) << 2;
		f = shm_open("/lm3", O_RDWR | O_CREAT, 0600);	/* its own */
		bad |= (f < 0) << 3;
		bad |= (shm_unlink("/lm3") != 0) << 4;
		_exit(bad);
	}
	LT_EQ(waitpid(pid, &s, 0), pid);
	LT_EQ(s, 0);
	close(rfd);
	close(fd);
	LT_EQ(shm_unlink("/lm2"), 0);
	LT_CHECK(shm_unlink("/lm2") < 0 && errno == ENOENT);
	return 0;
}

LTEST(shm, unlink_while_mapped)
{
	int fd = shm_open("/lm4", O_RDWR | O_CREAT | O_EXCL, 0600);
	volatile int *m;

	LT_CHECK(fd >= 0);
	LT_EQ(ftruncate(fd, 2 * PAGE), 0);
	m = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	LT_CHECK(m != MAP_FAILED);
	m[0] = 11;
	close(fd);
	LT_EQ(shm_unlink("/lm4"), 0);
	LT_CHECK(shm_open("/lm4", O_RDWR, 0) < 0 && errno == ENOENT);
	m[1] = 12;					/* the memory lives on */
	LT_EQ(m[0] + m[1], 23);
	fd = shm_open("/lm4", O_RDWR | O_CREAT | O_EXCL, 0600);	/* a new object */
	LT_CHECK(fd >= 0);
	LT_EQ(ftruncate(fd, PAGE), 0);
	volatile int *n = mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 0);

	LT_CHECK(n != MAP_FAILED);
	LT_EQ(n[0], 0);
	LT_EQ(munmap((void *)n, PAGE), 0);
	LT_EQ(munmap((void *)m, 2 * PAGE), 0);		/* the last holder: frames go */
	close(fd);
	LT_EQ(shm_unlink("/lm4"), 0);
	return 0;
}

LTEST(shm, grow_and_shrink)
{
	int fd = shm_open("/lm5", O_RDWR | O_CREAT | O_TRUNC, 0600);
	volatile char *a, *b;

	LT_CHECK(fd >= 0);
	LT_EQ(ftruncate(fd, PAGE), 0);
	a = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	LT_CHECK(a != MAP_FAILED);
	memset((void *)a, 'a', PAGE);
	LT_EQ(ftruncate(fd, 3 * PAGE), 0);		/* the old frames move along */
	b = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	LT_CHECK(b != MAP_FAILED);
	LT_EQ(b[0], 'a');
	LT_EQ(b[PAGE - 1], 'a');
	LT_EQ(b[PAGE] | b[3 * PAGE - 1], 0);
	b[1] = 'b';
	LT_EQ(a[1], 'b');				/* one object */
	LT_EQ(ftruncate(fd, 100), 0);			/* the rest of the page reads as zeros */
	LT_EQ(a[99], 'a');
	LT_EQ(a[100], 0);
	LT_EQ(munmap((void *)a, PAGE), 0);
	LT_EQ(munmap((void *)b, 3 * PAGE), 0);
	close(fd);
	LT_EQ(shm_unlink("/lm5"), 0);
	return 0;
}

LTEST(shm, read_and_write)
{
	int fd = shm_open("/lm6", O_RDWR | O_CREAT | O_EXCL, 0600), rfd;
	static char b[6000], g[6000];
	volatile char *m;
	struct stat st;

	LT_CHECK(fd >= 0);
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (char)(i * 7 + 3);
	LT_EQ(write(fd, b, sizeof(b)), (long)sizeof(b));	/* grows it */
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, (long)sizeof(b));
	m = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	LT_CHECK(m != MAP_FAILED);
	LT_EQ(m[0], b[0]);
	LT_EQ(m[5999], b[5999]);
	LT_EQ(m[6000], 0);
	LT_EQ(pread(fd, g, 100, PAGE), 100);
	LT_CHECK(memcmp(g, b + PAGE, 100) == 0);
	m[1] = 'm';					/* the mapping and read() see one object */
	LT_EQ(lseek(fd, 0, SEEK_SET), 0);
	LT_EQ(read(fd, g, sizeof(g)), (long)sizeof(g));
	LT_EQ(g[1], 'm');
	LT_EQ(read(fd, g, 10), 0);			/* at the end */
	LT_EQ(pwrite(fd, "xy", 2, 10), 2);
	LT_EQ(m[10] + m[11], 'x' + 'y');
	rfd = shm_open("/lm6", O_RDONLY, 0);
	LT_CHECK(rfd >= 0);
	LT_CHECK(write(rfd, "z", 1) < 0 && errno == EBADF);
	LT_EQ(munmap((void *)m, 2 * PAGE), 0);
	close(rfd);
	close(fd);
	LT_EQ(shm_unlink("/lm6"), 0);
	return 0;
}

/* A field of /proc/<our pid>/status ("VmSize", "Threads"), or -1. */
static long status_field(const char *name)
{
	char path[48], buf[1024], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (p = buf; (p = strstr(p, name)) != NULL; p++)
		if ((p == buf || p[-1] == '\n') && p[strlen(name)] == ':')
			return atol(p + strlen(name) + 1);
	return -1;
}

/* Wait (up to 5 s) until we are one thread again; that count. */
static long settle(void)
{
	long n;

	for (int i = 0; (n = status_field("Threads")) != 1 && i < 500; i++)
		usleep(10000);
	return n;
}

static sem_t stack_done;

static void *ends_detached(void *arg)
{
	sem_post(&stack_done);
	return arg;
}

/* Start n detached threads, 25 at a time, and wait until each has posted. */
static int run_detached(pthread_attr_t *a, int n)
{
	pthread_t t;

	for (int i = 0; i < n; i += 25) {
		for (int j = 0; j < 25; j++)
			if (pthread_create(&t, a, ends_detached, 0) != 0)
				return -1;
		for (int j = 0; j < 25; j++)
			while (sem_wait(&stack_done) != 0)
				;
	}
	return 0;
}

/*
 * 500 detached threads end: each gives back its stack and guard page
 * (musl's __unmapself, a _MEM_CTRL sent from the stack itself), so the
 * process's mapped memory (taskman's VmSize) is where it was.  A leak
 * would be 500 stacks of 20 KiB or more.
 */
LTEST(mmap, detached_thread_stacks)
{
	pthread_attr_t a;
	long before, after;

	LT_EQ(sem_init(&stack_done, 0, 0), 0);
	LT_EQ(pthread_attr_init(&a), 0);
	LT_EQ(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED), 0);
	LT_EQ(pthread_attr_setstacksize(&a, 16384), 0);
	LT_EQ(run_detached(&a, 25), 0);		/* libc's first-thread set-up */
	LT_EQ(settle(), 1);
	before = status_field("VmSize");
	LT_CHECK(before > 0);
	LT_EQ(run_detached(&a, 500), 0);
	LT_EQ(settle(), 1);
	after = status_field("VmSize");
	lt_printf("VmSize %ld kB before, %ld kB after 500 detached threads\n", before, after);
	LT_CHECK(after <= before + 64);
	LT_EQ(pthread_attr_destroy(&a), 0);
	LT_EQ(sem_destroy(&stack_done), 0);
	return 0;
}

static int child(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "shm") == 0) {
		int fd = shm_open(argv[2], O_RDWR, 0);
		volatile int *m;

		if (fd < 0)
			return 2;
		m = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			return 3;
		if (m[0] != 1234)
			return 4;
		m[1] = 5678;
		return 0;
	}
	return 99;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return child(argc, argv);
	return lt_run_all() ? 1 : 0;
}
