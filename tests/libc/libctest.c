/*
 * tests/libc/libctest.c - musl on QSOE without servers: memory, formatting
 * (the FPU in user mode), time, and the error paths of the POSIX layer.
 * Runs as the first process (init=/proc/boot/libctest) with the local
 * memory manager; threads are in libcthread.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ltest.h"

/* A byte pattern that differs per block and per offset. */
static unsigned char pat(unsigned seed, size_t i)
{
	return (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

static int filled(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != pat(seed, i))
			return 0;
	return 1;
}

LTEST(malloc, sizes)
{
	static const size_t sizes[] = { 1, 7, 16, 100, 1000, 4095, 4096, 10000,
	    65536, 131072, 200000, 1 << 20, 3 << 20 };
	unsigned char *p[sizeof(sizes) / sizeof(sizes[0])];

	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		p[k] = malloc(sizes[k]);
		LT_CHECK(p[k] != NULL);
		LT_EQ((uintptr_t)p[k] % 16, 0);
		for (size_t i = 0; i < sizes[k]; i++)
			p[k][i] = pat(k, i);
	}
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		LT_CHECK(filled(p[k], sizes[k], k));	/* no block overlapped another */
		free(p[k]);
	}
	return 0;
}

LTEST(malloc, realloc_keeps_content)
{
	size_t n = 10;
	unsigned char *p = malloc(n);

	LT_CHECK(p != NULL);
	for (size_t i = 0; i < n; i++)
		p[i] = pat(3, i);
	/* Grow through the small classes into mmap-sized chunks, and back. */
	for (size_t m = 33; m < (4 << 20); m = m * 3 + 5) {
		p = realloc(p, m);
		LT_CHECK(p != NULL);
		LT_CHECK(filled(p, n, 3));
		for (size_t i = n; i < m; i++)
			p[i] = pat(3, i);
		n = m;
	}
	p = realloc(p, 100);
	LT_CHECK(p != NULL && filled(p, 100, 3));
	free(p);
	return 0;
}

LTEST(malloc, churn)
{
	enum { SLOTS = 64, ROUNDS = 4000 };
	unsigned char *slot[SLOTS] = { 0 };
	size_t len[SLOTS] = { 0 };
	uint32_t r = 12345;

	for (int round = 0; round < ROUNDS; round++) {
		unsigned s;

		r = r * 1103515245 + 12345;
		s = (r >> 8) % SLOTS;
		if (slot[s]) {
			LT_CHECK(filled(slot[s], len[s], s));
			free(slot[s]);
		}
		len[s] = (r >> 16) % 3000 + 1;
		slot[s] = malloc(len[s]);
		LT_CHECK(slot[s] != NULL);
		for (size_t i = 0; i < len[s]; i++)
			slot[s][i] = pat(s, i);
	}
	for (unsigned s = 0; s < SLOTS; s++)
		free(slot[s]);
	return 0;
}

LTEST(malloc, calloc_zero_and_enomem)
{
	unsigned char *p = calloc(1000, 10);

	LT_CHECK(p != NULL);
	for (int i = 0; i < 10000; i++)
		LT_EQ(p[i], 0);
	free(p);
	errno = 0;
	LT_CHECK(malloc(SIZE_MAX / 2) == NULL);
	LT_EQ(errno, ENOMEM);
	errno = 0;
	/* More than the local memory manager's 1 GiB window. */
	LT_CHECK(malloc((size_t)2 << 30) == NULL);
	LT_EQ(errno, ENOMEM);
	return 0;
}

LTEST(mm, mmap_munmap)
{
	size_t len = 256 * 1024;
	unsigned char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	LT_CHECK(p != MAP_FAILED);
	LT_EQ((uintptr_t)p % 4096, 0);
	for (size_t i = 0; i < len; i++)
		LT_EQ(p[i], 0);			/* fresh anonymous memory is zeroed */
	memset(p, 0xa5, len);
	LT_EQ(munmap(p, len), 0);
	/* A reservation without access, then made accessible (thread stacks). */
	p = mmap(0, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	LT_CHECK(p != MAP_FAILED);
	LT_EQ(mprotect(p + 4096, 2 * 4096, PROT_READ | PROT_WRITE), 0);
	p[4096] = 1;
	p[3 * 4096 - 1] = 2;
	LT_EQ(p[4096] + p[3 * 4096 - 1], 3);
	/* Mapped pages change with MemProtect: a kernel write (ClockTime) then faults. */
	LT_EQ(mprotect(p + 4096, 4096, PROT_READ), 0);
	LT_EQ(ClockTime_r(CLOCK_MONOTONIC, NULL, (uint64_t *)(p + 4096)), -EFAULT);
	LT_EQ(p[4096], 1);
	LT_EQ(mprotect(p, 3 * 4096, PROT_READ | PROT_WRITE), 0);	/* reserved and mapped */
	LT_EQ(ClockTime_r(CLOCK_MONOTONIC, NULL, (uint64_t *)(p + 4096)), 0);
	p[0] = 3;
	errno = 0;
	LT_EQ(mprotect(p, 4096, PROT_NONE), -1);		/* would lose the contents */
	LT_EQ(errno, ENOTSUP);
	LT_EQ(munmap(p, 3 * 4096), 0);
	return 0;
}

LTEST(mm, errors)
{
	errno = 0;
	LT_EQ(munmap((void *)0x1001, 4096), -1);	/* not page-aligned */
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_EQ(munmap((void *)0x2000000000, 0), -1);	/* empty */
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_CHECK(mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_CHECK(mmap(0, 4096, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED);	/* a file, no fd */
	LT_EQ(errno, EBADF);
	errno = 0;
	LT_CHECK(mmap(0, 4096, PROT_READ, MAP_PRIVATE, 3, 0) == MAP_FAILED);	/* no such fd */
	LT_EQ(errno, EBADF);
	return 0;
}

LTEST(fmt, printf)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%d|%5s|%-4x|%08.3f|%.2e|%g|%lld|%p", -42, "ab", 0xbeef,
	    3.14159, 12345.678, 0.0001, -9000000000LL, (void *)0x1234);
	LT_CHECK(strcmp(buf, "-42|   ab|beef|0003.142|1.23e+04|0.0001|-9000000000|0x1234") == 0);
	snprintf(buf, sizeof(buf), "%f %f", 1.0 / 3.0, -2.5);
	LT_CHECK(strcmp(buf, "0.333333 -2.500000") == 0);
	volatile size_t four = 4;	/* (not a constant: gcc would warn) */
	LT_EQ(snprintf(buf, four, "%s", "truncated"), 9);
	LT_CHECK(strcmp(buf, "tru") == 0);
	return 0;
}

LTEST(fmt, strtol_strtod)
{
	char *end;

	LT_EQ(strtol("-123abc", &end, 10), -123);
	LT_CHECK(strcmp(end, "abc") == 0);
	LT_EQ(strtol("0x7f", 0, 0), 127);
	LT_EQ(strtoul("777", 0, 8), 511);
	errno = 0;
	LT_EQ(strtol("99999999999999999999", 0, 10), LONG_MAX);
	LT_EQ(errno, ERANGE);
	double d = strtod("2.5e3x", &end);
	LT_CHECK(d == 2500.0 && *end == 'x');
	/* The FPU in user mode: square roots, and a sum that must be exact. */
	LT_CHECK(fabs(sqrt(2.0) * sqrt(2.0) - 2.0) < 1e-12);
	double s = 0;
	for (int i = 1; i <= 1000; i++)
		s += i * 0.5;
	LT_CHECK(s == 250250.0);
	return 0;
}

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

LTEST(time, clocks)
{
	struct timespec a, b, res;

	LT_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	for (int i = 0; i < 1000; i++) {
		LT_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
		LT_CHECK(ns_of(&b) >= ns_of(&a));	/* never backwards */
		LT_CHECK(b.tv_nsec >= 0 && b.tv_nsec < 1000000000);
		a = b;
	}
	LT_EQ(clock_gettime(CLOCK_REALTIME, &a), 0);
	LT_EQ(clock_getres(CLOCK_MONOTONIC, &res), 0);
	LT_CHECK(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);
	errno = 0;
	LT_EQ(clock_gettime(12345, &a), -1);
	LT_EQ(errno, EINVAL);
	LT_CHECK(time(0) >= 0);
	return 0;
}

LTEST(time, settime)
{
	struct timespec set = { 1700000000, 500 }, now;

	/* init has the process-manager ability, so it may set the clock. */
	LT_EQ(clock_settime(CLOCK_REALTIME, &set), 0);
	LT_EQ(clock_gettime(CLOCK_REALTIME, &now), 0);
	LT_CHECK(now.tv_sec >= 1700000000 && now.tv_sec < 1700000010);
	LT_EQ(time(0) / 10, 170000000);
	errno = 0;
	LT_EQ(clock_settime(CLOCK_MONOTONIC, &set), -1);	/* never settable */
	LT_EQ(errno, EINVAL);
	set.tv_nsec = -1;
	errno = 0;
	LT_EQ(clock_settime(CLOCK_REALTIME, &set), -1);
	LT_EQ(errno, EINVAL);
	return 0;
}

LTEST(proc, getpid)
{
	LT_EQ(getpid(), 1);		/* init is pid 1 */
	LT_EQ(getpid(), 1);		/* (cached) */
	return 0;
}

LTEST(time, nanosleep)
{
	struct timespec a, b, req = { 0, 50 * 1000 * 1000 };
	long long took;

	LT_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	LT_EQ(nanosleep(&req, 0), 0);
	LT_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	took = ns_of(&b) - ns_of(&a);
	LT_CHECK(took >= 50 * 1000 * 1000);		/* never early */
	LT_CHECK(took < 2000LL * 1000 * 1000);		/* and not wildly late */
	/* Absolute: until 30 ms from now on the monotonic clock. */
	LT_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	req.tv_sec = a.tv_sec + (a.tv_nsec + 30000000) / 1000000000;
	req.tv_nsec = (a.tv_nsec + 30000000) % 1000000000;
	LT_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, 0), 0);
	LT_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	LT_CHECK(ns_of(&b) >= ns_of(&req));
	req.tv_sec = 0;
	req.tv_nsec = 1000000000;			/* out of range */
	errno = 0;
	LT_EQ(nanosleep(&req, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, 0), EINVAL);	/* returns it */
	LT_EQ(usleep(1000), 0);
	return 0;
}

LTEST(errno, fds)
{
	char c = 'x';

	errno = 0;
	LT_EQ(write(5, &c, 1), -1);		/* no such connection */
	LT_EQ(errno, EBADF);
	errno = 0;
	LT_EQ(read(0, &c, 1), -1);
	LT_EQ(errno, EBADF);
	errno = 0;
	LT_EQ(close(42), -1);
	LT_EQ(errno, EBADF);
	errno = 0;
	LT_EQ(write(-1, &c, 1), -1);
	LT_EQ(errno, EBADF);
	/* A live connection is an fd; once detached, EBADF again. */
	int chid = ChannelCreate(0);
	LT_CHECK(chid > 0);
	int coid = ConnectAttach(0, 0, chid, 3, 0);
	LT_EQ(coid, 3);
	LT_EQ(ConnectDetach(coid), 0);
	LT_EQ(ChannelDestroy(chid), 0);
	errno = 0;
	LT_EQ(write(coid, &c, 1), -1);
	LT_EQ(errno, EBADF);
	/* The first process has no taskman: path calls fail honestly. */
	errno = 0;
	LT_EQ(stat("/proc/boot/motd", &(struct stat){ 0 }), -1);
	LT_EQ(errno, ENOSYS);
	/* musl's getppid() cannot fail, so the raw -ENOSYS comes back. */
	LT_EQ(getppid(), -ENOSYS);
	errno = 0;
	LT_EQ(open("/proc/boot/motd", O_RDONLY), -1);
	LT_EQ(errno, ENOSYS);
	/* stdio on fd 1 reports the failure instead of pretending. */
	LT_CHECK(printf("nowhere to go\n") >= 0 ? fflush(stdout) == EOF : 1);
	return 0;
}

LTEST(kernel, layer_conventions)
{
	/* Name() sets errno and returns -1; Name_r() returns -errno. */
	errno = 0;
	LT_EQ(ChannelDestroy(12345), -1);
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_EQ(ChannelDestroy_r(12345), -EINVAL);
	LT_EQ(errno, 0);
	LT_EQ(Nop(), 0);
	/* The boot image, as crt1 found it. */
	LT_EQ(getauxval(AT_QSOE_BOOTIMG), 0x3ff0000000UL);
	LT_CHECK(getauxval(AT_QSOE_BOOTIMG_SIZE) > 0);
	LT_EQ(getauxval(AT_PAGESZ), 4096);
	LT_EQ(sysconf(_SC_PAGESIZE), 4096);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
