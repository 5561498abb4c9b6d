/*
 * tests/libc/libclazy.c - lazy anonymous memory, taskman as the pager
 * (docs/taskman.md "Paging"): a 1 GiB mapping on a 256 MiB machine
 * touched at scattered pages; untouched buffers handed to the kernel's
 * copies (write() and read() on a pipe, a file, a /proc/boot file that
 * taskman itself serves, MsgSend and MsgReply); bad buffers still EFAULT;
 * faults outside any region and writes to read-only pages are SIGSEGV
 * (a handler, or the death of a child); fork with lazy regions; mprotect
 * of lazy pages; munmap gives the frames back; touching more than the
 * machine has is SIGBUS.  The boot's power-off check finds any frame
 * left behind.  Copies of itself play the children ("libclazy ROLE").
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/wait.h>
#include "ltest.h"

#define PAGE	4096UL
#define GIB	(1UL << 30)

static long free_pages(void)
{
	return sysconf(_SC_AVPHYS_PAGES);
}

static char *lazy(size_t len, int prot)
{
	void *p = mmap(0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LAZY, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* How a fork child running fn(p) ended: its exit status, 128 + its signal, or -1. */
static int in_child(void (*fn)(volatile char *), volatile char *p)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		fn(p);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void store(volatile char *p)
{
	p[0] = 1;
}

static void load(volatile char *p)
{
	_exit(p[0] == 0 ? 0 : 1);
}

/*
 * 1 GiB reserved costs page tables only; 64 pages 16 MiB apart each get
 * a frame at their first touch, keep what was written and read zero
 * next to it; munmap gives the frames back.
 */
LTEST(lazy, sparse_gib)
{
	long f0 = free_pages(), f1, f2, f3;
	volatile char *p = (volatile char *)lazy(GIB, PROT_READ | PROT_WRITE);

	LT_CHECK(p != NULL);
	f1 = free_pages();
	lt_printf("1 GiB reserved: %ld frames (page tables)\n", f0 - f1);
	LT_CHECK(f0 - f1 < 1024);
	for (int i = 0; i < 64; i++)
		p[(size_t)i * (16UL << 20) + 123] = (char)(i + 1);
	for (int i = 0; i < 64; i++) {
		LT_EQ(p[(size_t)i * (16UL << 20) + 123], i + 1);
		LT_EQ(p[(size_t)i * (16UL << 20) + 5 * PAGE], 0);	/* never written */
	}
	f2 = free_pages();
	lt_printf("64 scattered pages touched: %ld frames\n", f1 - f2);
	LT_CHECK(f1 - f2 >= 64);
	LT_CHECK(f1 - f2 < 64 * 32);		/* a cluster, not the region */
	LT_EQ(munmap((void *)p, GIB), 0);
	f3 = free_pages();
	lt_printf("munmap: %ld frames back\n", f3 - f2);
	LT_CHECK(f3 - f2 >= (f1 - f2) - 16);
	return 0;
}

/* An untouched buffer written to a pipe and a file is zeros; read() fills untouched ones. */
LTEST(lazy, write_and_read_untouched)
{
	size_t n = 16 * PAGE;
	char *zero = lazy(n, PROT_READ | PROT_WRITE), *in = lazy(n, PROT_READ | PROT_WRITE);
	char *pat = malloc(n);
	int fds[2], fd;

	LT_CHECK(zero && in && pat);
	for (size_t i = 0; i < n; i++)
		pat[i] = (char)(i * 7 + 3);
	LT_EQ(pipe(fds), 0);
	LT_EQ(write(fds[1], zero, 4000), 4000);	/* the copy out of zero fills it */
	LT_EQ(read(fds[0], in, 4000), 4000);	/* ... and into in */
	for (size_t i = 0; i < 4000; i++)
		LT_EQ(in[i], 0);
	LT_EQ(write(fds[1], pat, 3000), 3000);
	LT_EQ(read(fds[0], in + 9 * PAGE - 100, 3000), 3000);	/* across two untouched pages */
	LT_EQ(memcmp(in + 9 * PAGE - 100, pat, 3000), 0);
	close(fds[0]);
	close(fds[1]);
	fd = open("/tmp/lazyfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, zero + 4 * PAGE, 2 * PAGE), (ssize_t)(2 * PAGE));
	LT_EQ(write(fd, pat, n), (ssize_t)n);
	LT_EQ(lseek(fd, 0, SEEK_SET), 0);
	LT_EQ(read(fd, in + 12 * PAGE, 2 * PAGE), (ssize_t)(2 * PAGE));
	for (size_t i = 0; i < 2 * PAGE; i++)
		LT_EQ(in[12 * PAGE + i], 0);
	LT_EQ(munmap(in, n), 0);
	in = lazy(n, PROT_READ | PROT_WRITE);
	LT_CHECK(in != NULL);
	LT_EQ(read(fd, in, n), (ssize_t)n);
	LT_EQ(memcmp(in, pat, n), 0);
	close(fd);
	unlink("/tmp/lazyfile");
	free(pat);
	LT_EQ(munmap(zero, n), 0);
	LT_EQ(munmap(in, n), 0);
	return 0;
}

/* taskman serves /proc/boot: its MsgReply into an untouched buffer cannot wait for itself. */
LTEST(lazy, taskman_replies_into_untouched)
{
	size_t n = 8 * PAGE;
	char *in = lazy(n, PROT_READ | PROT_WRITE);
	int fd = open("/proc/boot/libclazy", O_RDONLY);

	LT_CHECK(in != NULL);
	LT_CHECK(fd >= 0);
	LT_EQ(read(fd, in + 100, n - 100), (ssize_t)(n - 100));
	LT_EQ(memcmp(in + 100, "\177ELF", 4), 0);
	LT_EQ(in[0], 0);
	close(fd);
	LT_EQ(munmap(in, n), 0);
	return 0;
}

struct srv {
	int	chid;
	char	*rx;		/* untouched until MsgReceive copies into it */
};

static void *serve_one(void *arg)
{
	struct srv *s = arg;
	struct _msg_info info;
	int rcvid = MsgReceive(s->chid, s->rx, 3 * PAGE, &info);
	char reply[64];

	if (rcvid <= 0)
		return NULL;
	snprintf(reply, sizeof(reply), "got %d: %d %d", (int)info.msglen, s->rx[0],
	    s->rx[2 * PAGE + 5]);
	MsgReply(rcvid, 7, reply, sizeof(reply));
	return NULL;
}

/* MsgSend from an untouched send buffer into an untouched receive buffer, reply into one too. */
LTEST(lazy, msgsend_untouched)
{
	struct srv s;
	pthread_t t;
	char *snd = lazy(3 * PAGE, PROT_READ | PROT_WRITE), *rep = lazy(PAGE, PROT_READ | PROT_WRITE);
	int coid;

	LT_CHECK(snd && rep);
	s.rx = lazy(3 * PAGE, PROT_READ | PROT_WRITE);
	LT_CHECK(s.rx != NULL);
	s.chid = ChannelCreate(0);
	LT_CHECK(s.chid > 0);
	coid = ConnectAttach(0, 0, s.chid, _NTO_SIDE_CHANNEL, 0);
	LT_CHECK(coid >= 0);
	LT_EQ(pthread_create(&t, NULL, serve_one, &s), 0);
	LT_EQ(MsgSend(coid, snd, 3 * PAGE, rep + 10, 64), 7);
	LT_EQ(strcmp(rep + 10, "got 12288: 0 0"), 0);
	LT_EQ(pthread_join(t, NULL), 0);
	ConnectDetach(coid);
	ChannelDestroy(s.chid);
	LT_EQ(munmap(snd, 3 * PAGE), 0);
	LT_EQ(munmap(rep, PAGE), 0);
	LT_EQ(munmap(s.rx, 3 * PAGE), 0);
	return 0;
}

/* A buffer in no region, or lazy but read-only, still gives EFAULT (no hang, no signal). */
LTEST(lazy, bad_buffers_efault)
{
	char *ro = lazy(2 * PAGE, PROT_READ), *gone = lazy(PAGE, PROT_READ | PROT_WRITE);
	int fds[2];

	LT_CHECK(ro && gone);
	LT_EQ(munmap(gone, PAGE), 0);
	LT_EQ(pipe(fds), 0);
	LT_EQ(write(fds[1], "abcdef", 6), 6);
	errno = 0;
	LT_EQ(read(fds[0], gone, 3), -1);
	LT_EQ(errno, EFAULT);
	errno = 0;
	LT_EQ(read(fds[0], ro, 3), -1);		/* lazy, but the page may not be written */
	LT_EQ(errno, EFAULT);
	errno = 0;
	LT_EQ(write(fds[1], gone, 3), -1);
	LT_EQ(errno, EFAULT);
	LT_EQ(write(fds[1], ro + PAGE, 3), 3);	/* read-only is readable: zeros */
	close(fds[0]);
	close(fds[1]);
	LT_EQ(ro[0], 0);
	LT_EQ(munmap(ro, 2 * PAGE), 0);
	return 0;
}

static sigjmp_buf segv_jmp;
static volatile void *segv_addr;
static volatile int segv_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	segv_addr = si->si_addr;
	segv_code = si->si_code;
	siglongjmp(segv_jmp, 1);
}

/* A fault outside any region: the handler runs; without one the child dies by SIGSEGV. */
LTEST(lazy, segv_outside_regions)
{
	struct sigaction sa, old;
	volatile char *gone = (volatile char *)lazy(4 * PAGE, PROT_READ | PROT_WRITE);

	LT_CHECK(gone != NULL);
	LT_EQ(munmap((void *)gone, 4 * PAGE), 0);
	LT_EQ(in_child(store, gone + PAGE), 128 + SIGSEGV);
	LT_EQ(in_child(load, gone + 2 * PAGE), 128 + SIGSEGV);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	LT_EQ(sigaction(SIGSEGV, &sa, &old), 0);
	if (sigsetjmp(segv_jmp, 1) == 0) {
		gone[3 * PAGE + 8] = 1;
		sigaction(SIGSEGV, &old, NULL);
		LT_CHECK(!"the store went through");
	}
	LT_EQ(sigaction(SIGSEGV, &old, NULL), 0);
	LT_EQ((uintptr_t)segv_addr, (uintptr_t)(gone + 3 * PAGE + 8));
	LT_EQ(segv_code, SEGV_MAPERR);
	return 0;
}

/* A write to a read-only lazy page is SIGSEGV; reading it gives zeros. */
LTEST(lazy, write_to_readonly)
{
	volatile char *ro = (volatile char *)lazy(4 * PAGE, PROT_READ);

	LT_CHECK(ro != NULL);
	LT_EQ(in_child(store, ro + PAGE), 128 + SIGSEGV);
	LT_EQ(in_child(load, ro + 2 * PAGE), 0);
	LT_EQ(ro[3 * PAGE], 0);
	LT_EQ(in_child(store, ro + 3 * PAGE), 128 + SIGSEGV);	/* touched: still read-only */
	LT_EQ(munmap((void *)ro, 4 * PAGE), 0);
	return 0;
}

/* Parent and child each touch lazy pages after fork; neither sees the other's. */
LTEST(lazy, fork_independent)
{
	volatile char *p = (volatile char *)lazy(32 * PAGE, PROT_READ | PROT_WRITE);
	pid_t pid;
	int st;

	LT_CHECK(p != NULL);
	p[0] = 'P';
	pid = fork();
	if (pid == 0) {
		int bad = p[0] != 'P' || p[5 * PAGE] != 0 || p[20 * PAGE] != 0;

		p[0] = 'C';
		p[5 * PAGE] = 'C';
		p[31 * PAGE] = 'C';
		_exit(bad || p[0] != 'C' || p[5 * PAGE] != 'C' || p[31 * PAGE] != 'C' ? 1 : 0);
	}
	LT_CHECK(pid > 0);
	p[20 * PAGE] = 'Q';
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	LT_EQ(p[0], 'P');
	LT_EQ(p[5 * PAGE], 0);
	LT_EQ(p[31 * PAGE], 0);
	LT_EQ(p[20 * PAGE], 'Q');
	LT_EQ(munmap((void *)p, 32 * PAGE), 0);
	return 0;
}

/* mprotect changes touched and untouched lazy pages alike; PROT_NONE reservations open lazily. */
LTEST(lazy, mprotect)
{
	volatile char *p = (volatile char *)lazy(8 * PAGE, PROT_READ | PROT_WRITE);
	volatile char *r = (volatile char *)lazy(64 * PAGE, PROT_NONE);
	long f0, f1;

	LT_CHECK(p && r);
	p[0] = 5;
	LT_EQ(mprotect((void *)p, 8 * PAGE, PROT_READ), 0);
	LT_EQ(in_child(store, p), 128 + SIGSEGV);
	LT_EQ(in_child(store, p + 3 * PAGE), 128 + SIGSEGV);
	LT_EQ(p[3 * PAGE], 0);
	LT_EQ(mprotect((void *)(p + 2 * PAGE), 4 * PAGE, PROT_READ | PROT_WRITE), 0);
	p[3 * PAGE] = 7;
	p[5 * PAGE] = 8;
	LT_EQ(in_child(store, p + 6 * PAGE), 128 + SIGSEGV);
	LT_EQ(p[0], 5);
	LT_EQ(in_child(load, r + PAGE), 128 + SIGSEGV);
	f0 = free_pages();
	LT_EQ(mprotect((void *)r, 64 * PAGE, PROT_READ | PROT_WRITE), 0);
	f1 = free_pages();
	LT_CHECK(f0 - f1 < 32);		/* opened, not filled */
	r[40 * PAGE] = 9;
	LT_EQ(r[40 * PAGE], 9);
	LT_EQ(munmap((void *)p, 8 * PAGE), 0);
	LT_EQ(munmap((void *)r, 64 * PAGE), 0);
	return 0;
}

/* Touch every page of 1 GiB on a 256 MiB machine: SIGBUS for the toucher, memory back after. */
static void touch_all(volatile char *unused)
{
	volatile char *p = (volatile char *)lazy(GIB, PROT_READ | PROT_WRITE);

	(void)unused;
	if (p == NULL)
		_exit(2);
	for (size_t off = 0; off < GIB; off += PAGE)
		p[off] = 1;
	_exit(3);
}

/*
 * Without MAP_LAZY (QNX's default) and with MAP_POPULATE, every page at
 * mmap, so ENOMEM, not SIGBUS, when short.
 */
LTEST(lazy, populate_is_eager)
{
	long before = free_pages(), after;
	size_t len = 4UL << 20;
	char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
	    -1, 0);

	LT_CHECK(p != MAP_FAILED);
	after = free_pages();
	LT_CHECK(before - after >= (long)(len / PAGE));	/* taken before any touch */
	for (size_t o = 0; o < len; o += PAGE)
		LT_EQ(p[o], 0);
	p[len - 1] = 7;
	LT_CHECK(free_pages() >= after - 64);	/* the touches took nothing (lazy: 1,024 pages) */
	LT_EQ(munmap(p, len), 0);
	/* More than the machine has: refused at once. */
	errno = 0;
	LT_CHECK(mmap(0, 512UL << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0) == MAP_FAILED);
	LT_EQ(errno, ENOMEM);
	/* The default is the same, and so is malloc's. */
	before = free_pages();
	p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	LT_CHECK(p != MAP_FAILED);
	LT_CHECK(before - free_pages() >= (long)(len / PAGE));
	LT_EQ(munmap(p, len), 0);
	errno = 0;
	LT_CHECK(mmap(0, 512UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0) == MAP_FAILED);
	LT_EQ(errno, ENOMEM);
	errno = 0;
	LT_CHECK(malloc(512UL << 20) == NULL);
	LT_EQ(errno, ENOMEM);
	/* MAP_NORESERVE is lazy: 512 MiB reserved on a 256 MiB machine. */
	p = mmap(0, 512UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_NORESERVE, -1, 0);
	LT_CHECK(p != MAP_FAILED);
	p[0] = 1;
	LT_EQ(munmap(p, 512UL << 20), 0);
	return 0;
}

LTEST(lazy, more_than_memory_is_sigbus)
{
	long f0 = free_pages(), f1;

	LT_EQ(in_child(touch_all, NULL), 128 + SIGBUS);
	for (int i = 0; i < 300 && (f1 = free_pages()) < f0 - 64; i++)
		usleep(10000);		/* its space may still be going away on another CPU */
	lt_printf("free frames %ld before, %ld after the SIGBUS\n", f0, f1);
	LT_CHECK(f1 >= f0 - 64);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
