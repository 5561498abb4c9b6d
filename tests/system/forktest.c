/*
 * tests/system/forktest.c - the kernel's fork mechanism (kern/vm_cow.c,
 * MemClone and ThreadClone): a server thread plays taskman and forks the
 * test thread that asks it to, the way taskman will.  Checks copy-on-write
 * isolation both ways (user stores and kernel writes), that the child
 * resumes with the parent's registers, FP state and signal mask, that
 * frames come back when both are gone (the kernel's leak check at the
 * end), and the calls' errors.  Runs as init (init=/proc/boot/forktest).
 */
#include "utest.h"
#include <abi/neutrino.h>
#include <abi/procmgr.h>
#include <abi/signal.h>
#include <abi/vmlayout.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)
#define STACK		16384

static uint8_t fstack[STACK] __attribute__((aligned(16)));
static long fork_chid, fork_co, deaths_chid;
static volatile long shared_word = 1;
static uint8_t big[64 * 1024];

/*
 * exec's "new program": it starts with only pc and sp set (and a0 from the
 * reply), so it sets gp before any C code runs.
 */
static uint8_t exec_stack[8192] __attribute__((aligned(16)));
void exec_entry(void);
int exec_main(long a0, long s5, long tp);

__asm__(
"	.text\n"
"	.globl	exec_entry\n"
"exec_entry:\n"
"	mv	a1, s5\n"
"	mv	a2, tp\n"
"	.option	push\n"
"	.option	norelax\n"
"	la	gp, __global_pointer$\n"
"	.option	pop\n"
"	call	exec_main\n"
"	unimp\n");

int
exec_main(long a0, long s5, long tp)
{
	struct __abi_sigaction old = { 1, 1, 1 };
	uint64_t mask = 0;
	double f;
	int bad = 0;

	KC(SignalAction, 0, 0, SIGUSR1, 0, (long)&old, 0);
	KC(SignalProcmask, 0, 0, __ABI_SIG_BLOCK, 0, (long)&mask, 0);
	__asm__ __volatile__("fmv.d %0, fs0" : "=f"(f));
	bad |= a0 != 77;				/* the reply's status */
	bad |= (s5 != 0 || tp != 0) << 1;		/* fresh registers */
	bad |= (old.asa_handler != __ABI_SIG_DFL) << 2;	/* the handler is gone */
	bad |= (mask != 1ULL << (SIGUSR2 - 1)) << 3;	/* the mask stays */
	bad |= (f != 0.0) << 4;				/* fresh FP state */
	rt_exit(bad ? bad : 47);
}

/* The forker: one request is one fork (or exec) of the requesting thread. */
static void
forker(void *arg)
{
	struct _msg_info mi;
	char req;

	(void)arg;
	for (;;) {
		long rcvid = KC(MsgReceive, fork_chid, (long)&req, 1, (long)&mi, 0, 0);
		long child, rc;

		if (rcvid <= 0)
			continue;
		if (req == 'e') {		/* exec: the "new program" is exec_entry below */
			rc = KC(ThreadExec, mi.pid, mi.tid, (long)exec_entry,
			    (long)(exec_stack + sizeof(exec_stack)), (long)"execd", 0);
			if (rc == 0)
				KC(MsgReply, rcvid, 77, 0, 0, 0, 0);	/* a0 of the new program */
			else
				KC(MsgError, rcvid, -rc, 0, 0, 0, 0);
			continue;
		}
		child = KC(ProcCreate, (long)"forkchild", 0, 0, 0, 0, 0);
		rc = child;
		if (child > 0)
			rc = KC(MemClone, child, mi.pid, 0, (long)USER_SPACE_TOP, 0, 0);
		if (rc >= 0)
			rc = KC(ThreadClone, child, mi.pid, mi.tid, 0, 0, 0);
		KC(MsgReply, rcvid, rc < 0 ? rc : child, 0, 0, 0, 0);
	}
}

/* fork(): 0 in the child, the child's pid in the parent. */
static long
fork(void)
{
	char req = 'f';

	return KC(MsgSend, fork_co, (long)&req, 1, 0, 0, 0);
}

static int
wait_death(long pid)
{
	struct _pulse p;
	uint64_t v;

	if (KC(MsgReceive, deaths_chid, (long)&p, sizeof(p), 0, 0, 0) != 0)
		return -1000;
	v = (uint64_t)(uintptr_t)p.value.sival_ptr;
	if (p.code != _PULSE_CODE_PROCDEATH || (long)(v >> 32) != pid)
		return -2000;
	return (int32_t)(v & 0xffffffff);
}

static uint32_t
sum(const uint8_t *b, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i++)
		s = s * 31 + b[i];
	return s;
}

UTEST(fork, child_gets_a_private_copy)
{
	uint32_t before;
	long pid;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	before = sum(big, sizeof(big));
	shared_word = 1;
	pid = fork();
	if (pid == 0) {
		/* The child: the parent's memory as it was, then our own. */
		int ok = shared_word == 1 && sum(big, sizeof(big)) == before;

		shared_word = 99;
		memset(big, 0x5a, sizeof(big));
		ok = ok && big[1000] == 0x5a;
		rt_exit(ok ? 42 : 1);
	}
	UT_CHECK(pid > 1);
	shared_word = 2;			/* not seen by the child */
	UT_EQ(wait_death(pid), 42 << 8);
	UT_EQ(shared_word, 2);			/* the child's stores stayed its own */
	UT_EQ(sum(big, sizeof(big)), before);
	return 0;
}

UTEST(fork, kernel_writes_break_copy_on_write)
{
	static volatile uint64_t t_parent = 7;
	long pid = fork();

	if (pid == 0) {
		uint64_t *t = (uint64_t *)&t_parent;

		/* ClockTime writes through the kernel into a shared page. */
		if (KC(ClockTime, CLOCK_MONOTONIC, 0, (long)t, 0, 0, 0) != 0 || *t == 7)
			rt_exit(2);
		rt_exit(43);
	}
	UT_CHECK(pid > 1);
	UT_EQ(wait_death(pid), 43 << 8);
	UT_EQ(t_parent, 7);			/* the kernel wrote the child's copy */
	return 0;
}

/*
 * MemProtect on pages fork shares: taking write access away and giving it
 * back must leave them copy-on-write (not writable in place); shared
 * memory (MEM_SHARED) is shared writable by fork, not copied.
 */
#define PROT_PAGE	0x7400000UL
#define SHARED_PAGE	0x7500000UL
UTEST(fork, memprotect_keeps_copy_on_write_and_shared_stays_shared)
{
	volatile uint64_t *p = (volatile uint64_t *)PROT_PAGE, *s = (volatile uint64_t *)SHARED_PAGE;
	long pid;

	UT_EQ(KC(MemMap, 0, PROT_PAGE, 4096, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON, 0), 0);
	UT_EQ(KC(MemMap, 0, SHARED_PAGE, 4096, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON | MEM_SHARED, 0), 0);
	*p = 5;
	*s = 5;
	pid = fork();
	if (pid == 0) {
		uint64_t t = 0;

		while (*s == 5)			/* the parent writes 6 when it is done */
			KC(TimerTimeout, CLOCK_MONOTONIC, 1 << 12, 0, (long)&(uint64_t){ 1000000 }, 0, 0);
		t = *p;
		*s = 7;				/* the parent sees this */
		rt_exit(t == 5 ? 45 : 3);
	}
	UT_CHECK(pid > 1);
	UT_EQ(KC(MemProtect, 0, PROT_PAGE, 4096, MEM_PROT_READ, 0, 0), 0);
	UT_EQ(KC(MemProtect, 0, PROT_PAGE, 4096, MEM_PROT_READ | MEM_PROT_WRITE, 0, 0), 0);
	*p = 9;					/* copies: the child keeps 5 */
	*s = 6;
	UT_EQ(wait_death(pid), 45 << 8);
	UT_EQ(*s, 7);
	UT_EQ(*p, 9);
	UT_EQ(KC(MemUnmap, 0, PROT_PAGE, 4096, 0, 0, 0), 0);
	UT_EQ(KC(MemUnmap, 0, SHARED_PAGE, 4096, 0, 0, 0), 0);
	return 0;
}

UTEST(fork, registers_fp_and_mask_carry_over)
{
	register double f0 __asm__("fs0") = 1.25;
	register long s5 __asm__("s5") = 0x1234;
	uint64_t set = 1ULL << (SIGUSR1 - 1), mask = 0;
	long pid;

	UT_EQ(KC(SignalProcmask, 0, 0, __ABI_SIG_BLOCK, (long)&set, 0, 0), 0);
	__asm__ __volatile__("" : "+f"(f0), "+r"(s5));
	pid = fork();
	__asm__ __volatile__("" : "+f"(f0), "+r"(s5));
	if (pid == 0) {
		KC(SignalProcmask, 0, 0, __ABI_SIG_BLOCK, 0, (long)&mask, 0);
		/* 44 if all came over; otherwise a bit per thing that did not. */
		rt_exit(f0 == 1.25 && s5 == 0x1234 && mask == set ? 44 :
		    (f0 != 1.25) | (s5 != 0x1234) << 1 | (mask != set) << 2);
	}
	UT_CHECK(pid > 1);
	UT_EQ(wait_death(pid), 44 << 8);
	set = 0;
	UT_EQ(KC(SignalProcmask, 0, 0, __ABI_SIG_SETMASK, (long)&set, 0, 0), 0);
	return 0;
}

UTEST(fork, three_holders_of_one_frame)
{
	long a, b;

	shared_word = 5;
	a = fork();
	if (a == 0)
		rt_exit(shared_word == 5 ? 45 : 5);
	b = fork();
	if (b == 0) {
		shared_word = 8;		/* a private copy while a may still share */
		rt_exit(46);
	}
	UT_CHECK(a > 1 && b > 1);
	shared_word = 6;
	for (int i = 0; i < 2; i++) {
		struct _pulse p;
		uint64_t v;

		UT_EQ(KC(MsgReceive, deaths_chid, (long)&p, sizeof(p), 0, 0, 0), 0);
		v = (uint64_t)(uintptr_t)p.value.sival_ptr;
		if ((long)(v >> 32) == a)
			UT_EQ((int32_t)v, 45 << 8);
		else
			UT_EQ((int32_t)v, 46 << 8);
	}
	UT_EQ(shared_word, 6);
	return 0;
}

static void
on_usr1(int signo)
{
	(void)signo;
}

UTEST(fork, exec_replaces_the_program)
{
	long pid = fork();

	if (pid == 0) {
		struct __abi_sigaction act = { (uint64_t)(uintptr_t)on_usr1, 0, 0 };
		uint64_t set = 1ULL << (SIGUSR2 - 1);
		register double f0 __asm__("fs0") = 3.5;
		register long s5 __asm__("s5") = 0x55;
		long co = KC(ConnectAttach, 0, 1, fork_chid, _NTO_SIDE_CHANNEL, 0, 0);
		char req = 'e';

		KC(SignalAction, 0, (long)__rt_sigstub, SIGUSR1, (long)&act, 0, 0);
		KC(SignalProcmask, 0, 0, __ABI_SIG_BLOCK, (long)&set, 0, 0);
		__asm__ __volatile__("" : "+f"(f0), "+r"(s5));
		KC(MsgSend, co, (long)&req, 1, 0, 0, 0);	/* does not come back */
		rt_exit(9);
	}
	UT_CHECK(pid > 1);
	UT_EQ(wait_death(pid), 47 << 8);
	UT_EQ(KC(ThreadExec, 1, 1, 0x1000, 0x2000, 0, 0), -EINVAL);	/* ourselves */
	UT_EQ(KC(ThreadExec, 999999, 1, 0x1000, 0x2000, 0, 0), -ESRCH);
	UT_EQ(KC(ThreadExec, 2, 1, 0x1000, 0x2001, 0, 0), -EINVAL);	/* sp */
	return 0;
}

/*
 * Short messages between two processes (kern/ipcbuf.c's direct copy,
 * which switches to the other space's page table for its half).  After
 * the fork xbuf is copy-on-write in both processes, so the direct stores
 * into it fault and the general copy breaks the copy-on-write: each side
 * gets its bytes, and the other process's copy stays as it was.  Bad
 * buffers give the general copy's errors, to the same parties.
 */
static const uint64_t xmsg[2] = { 0x1111111111111111ULL, 0x2222222222222222ULL };
static uint64_t xbuf[2] = { 7, 7 };	/* we receive here; the child's replies land in its copy */
static struct _msg_info xinfo;		/* and our _msg_info (copy-on-write too) */

UTEST(fork, short_messages_between_processes)
{
	static const uint64_t rep[2] = { 0x3333333333333333ULL, 0x4444444444444444ULL };
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0), pid, rcvid;
	struct _msg_info mi;

	UT_CHECK(chid > 0);
	xbuf[0] = xbuf[1] = 7;
	xinfo.pid = 12345;
	pid = fork();
	if (pid == 0) {
		long co = KC(ConnectAttach, 0, 1, chid, 0, 0, 0);	/* we run as init: pid 1 */
		int bad = 0;

		if (co < 0)
			rt_exit(2);
		/* 1: the parent's first receive buffer is bad: we wait on, then get through. */
		bad |= (KC(MsgSend, co, (long)xmsg, 16, (long)xbuf, 16, 0) != 9) << 0;
		bad |= (xbuf[0] != rep[0] || xbuf[1] != rep[1]) << 1;
		/* 2: our reply buffer is bad: the reply fails for both of us. */
		bad |= (KC(MsgSend, co, (long)xmsg, 16, 0x3000000000L, 16, 0) != -EFAULT) << 2;
		/* 3: our message is bad: it fails at once, the parent never sees it. */
		bad |= (KC(MsgSend, co, 0x3000000000L, 16, (long)xbuf, 16, 0) != -EFAULT) << 3;
		/* 4: 8 bytes each way. */
		bad |= (KC(MsgSend, co, (long)&xmsg[1], 8, (long)&xbuf[1], 8, 0) != 10) << 4;
		bad |= (xbuf[0] != rep[0] || xbuf[1] != rep[0]) << 5;
		bad |= (xinfo.pid != 12345) << 6;	/* the parent's _msg_info went to its copy */
		rt_exit(bad ? 100 + bad : 48);
	}
	UT_CHECK(pid > 1);
	UT_EQ(KC(MsgReceive, chid, 0x3000000000L, 16, (long)&mi, 0, 0), -EFAULT);
	rcvid = KC(MsgReceive, chid, (long)xbuf, 16, (long)&xinfo, 0, 0);
	UT_CHECK(rcvid > 0);
	UT_EQ(xinfo.msglen, 16);
	UT_EQ(xinfo.pid, pid);
	UT_CHECK(xbuf[0] == xmsg[0] && xbuf[1] == xmsg[1]);
	UT_EQ(KC(MsgReply, rcvid, 9, (long)rep, 16, 0, 0), 0);
	rcvid = KC(MsgReceive, chid, (long)xbuf, 16, (long)&mi, 0, 0);
	UT_CHECK(rcvid > 0);
	UT_EQ(KC(MsgReply, rcvid, 0, (long)rep, 16, 0, 0), -EFAULT);
	xbuf[0] = 0;
	rcvid = KC(MsgReceive, chid, (long)xbuf, 8, (long)&mi, 0, 0);	/* the fourth */
	UT_CHECK(rcvid > 0);
	UT_EQ(mi.msglen, 8);
	UT_EQ(KC(MsgReply, rcvid, 10, (long)rep, 8, 0, 0), 0);
	UT_EQ(wait_death(pid), 48 << 8);
	/* Ours holds the messages; the child's replies went to its own copy. */
	UT_CHECK(xbuf[0] == xmsg[1] && xbuf[1] == xmsg[1]);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	return 0;
}

/*
 * A server loop on MsgReplyReceive with its client in another process:
 * at -smp 1 each reply hands the CPU straight to the client across
 * address spaces.  Short and general copies both ways, a reply the
 * client's buffer cannot take (EFAULT to both), a time-out on the last
 * receive.
 */
UTEST(fork, replyrecv_between_processes)
{
	static const uint64_t rep[2] = { 0x5555555555555555ULL, 0x6666666666666666ULL };
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0), pid, rcvid, rerr = 1;
	struct _msg_info mi;
	uint64_t t = 20000000;

	UT_CHECK(chid > 0);
	memset(big, 0, 4096);
	pid = fork();
	if (pid == 0) {
		long co = KC(ConnectAttach, 0, 1, chid, 0, 0, 0);
		int bad = 0;

		if (co < 0)
			rt_exit(2);
		for (int i = 0; i < 300; i++)
			big[i] = (uint8_t)(i * 3);
		for (int k = 0; k < 20; k++) {
			xbuf[0] = xbuf[1] = 0;
			bad |= (KC(MsgSend, co, (long)xmsg, 16, (long)xbuf, 16, 0) != 1) << 0;
			bad |= (xbuf[0] != rep[0] || xbuf[1] != rep[1]) << 1;
			memset(big + 1000, 0, 300);
			bad |= (KC(MsgSend, co, (long)big, 300, (long)(big + 1000), 300, 0) != 2) << 2;
			for (int i = 0; i < 300; i++)
				bad |= (big[1000 + i] != (uint8_t)((i * 3) ^ 0x5a)) << 3;
		}
		bad |= (KC(MsgSend, co, (long)xmsg, 16, 0x3000000000L, 16, 0) != -EFAULT) << 4;
		bad |= (KC(MsgSend, co, 0, 0, 0, 0, 0) != 4) << 5;
		rt_exit(bad ? 100 + bad : 49);
	}
	UT_CHECK(pid > 1);
	rcvid = KC(MsgReceive, chid, (long)xbuf, 16, (long)&mi, 0, 0);
	for (int k = 0; k < 20; k++) {
		UT_CHECK(rcvid > 0);
		UT_EQ(mi.msglen, 16);
		UT_CHECK(xbuf[0] == xmsg[0] && xbuf[1] == xmsg[1]);
		rcvid = __kc_MsgReplyReceive7(rcvid, 1, (long)rep, 16, chid, (long)big, 300, (long)&mi,
		    &rerr);
		UT_EQ(rerr, 0);
		UT_CHECK(rcvid > 0);
		UT_EQ(mi.msglen, 300);
		UT_EQ(mi.pid, pid);
		for (int i = 0; i < 300; i++)
			big[i] ^= 0x5a;
		rcvid = __kc_MsgReplyReceive7(rcvid, 2, (long)big, 300, chid, (long)xbuf, 16, (long)&mi,
		    &rerr);
		UT_EQ(rerr, 0);
	}
	UT_CHECK(rcvid > 0);		/* the message with a bad reply buffer */
	rcvid = __kc_MsgReplyReceive7(rcvid, 3, (long)rep, 16, chid, (long)xbuf, 16, (long)&mi, &rerr);
	UT_EQ(rerr, -EFAULT);
	UT_CHECK(rcvid > 0);
	UT_EQ(mi.msglen, 0);
	UT_CHECK(KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, 0, (long)&t, 0, 0) >= 0);
	UT_EQ(__kc_MsgReplyReceive7(rcvid, 4, 0, 0, chid, (long)xbuf, 16, 0, &rerr), -ETIMEDOUT);
	UT_EQ(rerr, 0);
	UT_EQ(wait_death(pid), 49 << 8);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	return 0;
}

UTEST(fork, errors)
{
	long child = KC(ProcCreate, (long)"x", 0, 0, 0, 0, 0);

	UT_CHECK(child > 1);
	UT_EQ(KC(MemClone, 1, 1, 0, 4096, 0, 0), -EINVAL);		/* same space */
	UT_EQ(KC(MemClone, child, 1, 1, 4096, 0, 0), -EINVAL);		/* unaligned */
	UT_EQ(KC(MemClone, child, 1, 0, (long)USER_SPACE_TOP + 4096, 0, 0), -EINVAL);
	UT_EQ(KC(MemClone, 999999, 1, 0, 4096, 0, 0), -ESRCH);
	UT_EQ(KC(MemMap, child, 0x10000, 4096, MEM_PROT_READ, MEM_ANON, 0), 0);
	UT_EQ(KC(MemClone, child, 1, 0, (long)USER_SPACE_TOP, 0, 0), -EEXIST);
	UT_EQ(KC(ThreadClone, child, 1, 1, 0, 0, 0), -EINVAL);	/* we are running, not blocked */
	UT_EQ(KC(ThreadClone, child, 1, 999, 0, 0, 0), -ESRCH);
	UT_EQ(KC(ThreadClone, 999999, 1, 1, 0, 0, 0), -ESRCH);
	UT_EQ(KC(ProcDestroy, child, 0, 0, 0, 0, 0), 0);
	UT_EQ(wait_death(child), 0);
	return 0;
}

int
umain(uint64_t arg)
{
	(void)arg;
	fork_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	fork_co = KC(ConnectAttach, 0, 0, fork_chid, _NTO_SIDE_CHANNEL, 0, 0);
	deaths_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	if (fork_co <= 0 || deaths_chid <= 0 || KC(ProcNotify, deaths_chid, 0, 0, 0, 0, 0) != 0 ||
	    rt_thread_create(forker, NULL, fstack, STACK, 10) <= 0) {
		rt_printf("forktest: cannot set up\n");
		return 1;
	}
	return utest_run_all() ? 1 : 0;
}
