/*
 * QSOE overlay of musl's arch/riscv64/syscall_arch.h: the seam.
 *
 * musl makes every system call through __syscallN(n, ...).  On QSOE none
 * of them traps: each one calls __qsoe_syscall(), the entry of the POSIX
 * layer (lib/c/posix), which implements the call with the kernel layer's
 * functions and messages to servers, or returns -ENOSYS.  The numbers stay
 * musl's (Linux's) SYS_* numbers, and results keep Linux's convention
 * (a negated errno on failure), so the rest of musl is unchanged.
 */
#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

hidden long __qsoe_syscall(long, long, long, long, long, long, long);

static inline long __syscall0(long n)
{
	return __qsoe_syscall(n, 0, 0, 0, 0, 0, 0);
}

static inline long __syscall1(long n, long a)
{
	return __qsoe_syscall(n, a, 0, 0, 0, 0, 0);
}

static inline long __syscall2(long n, long a, long b)
{
	return __qsoe_syscall(n, a, b, 0, 0, 0, 0);
}

static inline long __syscall3(long n, long a, long b, long c)
{
	return __qsoe_syscall(n, a, b, c, 0, 0, 0);
}

static inline long __syscall4(long n, long a, long b, long c, long d)
{
	return __qsoe_syscall(n, a, b, c, d, 0, 0);
}

static inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
	return __qsoe_syscall(n, a, b, c, d, e, 0);
}

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	return __qsoe_syscall(n, a, b, c, d, e, f);
}

/* No vDSO on QSOE: clock_gettime goes through the POSIX layer. */

#define IPC_64 0
