/*
 * tests/system/pagertest.c - page faults delivered to a pager
 * (kern/pager.c): this program (init, the process manager) pages its
 * children.  A child touches an address nobody mapped; the pager learns
 * of it by a pulse, maps a page with data, and resumes it; or answers with
 * a signal; or the child is killed while it waits.  Runs as init
 * (init=/proc/boot/pagertest).
 */
#include "utest.h"
#include <abi/neutrino.h>
#include <abi/procmgr.h>
#include <abi/signal.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)
#define HOLE		0x40000000UL	/* nothing is mapped here */

enum { ROLE_TESTS, ROLE_READ, ROLE_WRITE };

static const void *img;
static uint64_t imgsize;
static long pager_chid, deaths_chid;

/* A child in role, paged by us from the start (it waits a moment before it faults). */
static long
spawn_paged(int role)
{
	long pid = rt_spawn(img, imgsize, "/proc/boot/pagertest", (uint64_t)role, 0);

	if (pid > 0 && KC(ProcPager, pid, pager_chid, 0, 0, 0, 0) != 0)
		return -1;
	return pid;
}

/* The next fault: its pid, tid and details.  0 or -1. */
static int
next_fault(long *pid, long *tid, struct _page_fault *pf)
{
	struct _pulse p;
	uint64_t v;

	if (KC(MsgReceive, pager_chid, (long)&p, sizeof(p), 0, 0, 0) != 0 ||
	    p.code != _PULSE_CODE_PAGEFAULT)
		return -1;
	v = (uint64_t)(uintptr_t)p.value.sival_ptr;
	*pid = (long)(v >> 32);
	*tid = (long)(uint32_t)v;
	return KC(PageFaultInfo, *pid, *tid, (long)pf, 0, 0, 0) == 0 ? 0 : -1;
}

static int
wait_death(long pid)
{
	struct _pulse p;
	uint64_t v;

	if (KC(MsgReceive, deaths_chid, (long)&p, sizeof(p), 0, 0, 0) != 0)
		return -1000;
	v = (uint64_t)(uintptr_t)p.value.sival_ptr;
	return (long)(v >> 32) == pid ? (int32_t)v : -2000;
}

UTEST(pager, fault_is_mapped_and_resumed)
{
	static const uint32_t magic = 0x600dc0de;
	struct _page_fault pf;
	long pid = spawn_paged(ROLE_READ), fpid, tid;

	UT_CHECK(pid > 1);
	UT_EQ(next_fault(&fpid, &tid, &pf), 0);
	UT_EQ(fpid, pid);
	UT_EQ(tid, 1);
	UT_EQ(pf.pf_vaddr, HOLE + 8);
	UT_EQ(pf.pf_access, PF_READ);
	UT_EQ(KC(PageFaultInfo, pid, 2, (long)&pf, 0, 0, 0), -ESRCH);	/* no such waiter */
	UT_EQ(KC(PageFaultInfo, pid, tid, 8, 0, 0, 0), -EFAULT);
	UT_EQ(KC(MemMap, pid, HOLE, 4096, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON, 0), 0);
	UT_EQ(KC(MemWrite, pid, HOLE + 8, (long)&magic, 4, 0, 0), 4);
	UT_EQ(KC(PageResume, pid, tid, 0, 0, 0, 0), 0);
	UT_EQ(KC(PageResume, pid, tid, 0, 0, 0, 0), -ESRCH);		/* answered already */
	UT_EQ(wait_death(pid), 0x5a << 8);	/* it read the magic */
	return 0;
}

UTEST(pager, answer_with_a_signal)
{
	struct _page_fault pf;
	long pid = spawn_paged(ROLE_WRITE), fpid, tid;

	UT_CHECK(pid > 1);
	UT_EQ(next_fault(&fpid, &tid, &pf), 0);
	UT_EQ(pf.pf_access, PF_WRITE);
	UT_EQ(KC(PageResume, pid, tid, 99, 0, 0, 0), -EINVAL);
	UT_EQ(KC(PageResume, pid, tid, SIGBUS, 0, 0, 0), 0);
	UT_EQ(wait_death(pid), SIGBUS);
	return 0;
}

UTEST(pager, killed_while_waiting)
{
	struct _page_fault pf;
	long pid = spawn_paged(ROLE_READ), fpid, tid;

	UT_CHECK(pid > 1);
	UT_EQ(next_fault(&fpid, &tid, &pf), 0);
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGKILL, 0, 0), 0);	/* never answered */
	UT_EQ(wait_death(pid), SIGKILL);
	return 0;
}

UTEST(pager, errors)
{
	long pid = KC(ProcCreate, (long)"x", 0, 0, 0, 0, 0);

	UT_CHECK(pid > 1);
	UT_EQ(KC(ProcPager, pid, 77, 0, 0, 0, 0), -EINVAL);		/* not our channel */
	UT_EQ(KC(ProcPager, 999999, pager_chid, 0, 0, 0, 0), -ESRCH);
	UT_EQ(KC(ProcPager, pid, pager_chid, 0, 0, 0, 0), 0);
	UT_EQ(KC(ProcPager, pid, 0, 0, 0, 0, 0), 0);			/* no pager again */
	UT_EQ(KC(PageResume, pid, 1, 0, 0, 0, 0), -ESRCH);
	UT_EQ(KC(ProcDestroy, pid, 0, 0, 0, 0, 0), 0);
	UT_EQ(wait_death(pid), 0);
	return 0;
}

int
umain(uint64_t arg)
{
	switch (arg & 0xff) {
	case ROLE_READ:
		rt_sleep_ms(30);		/* let the parent name its pager first */
		return *(volatile uint32_t *)(HOLE + 8) == 0x600dc0de ? 0x5a : 1;
	case ROLE_WRITE:
		rt_sleep_ms(30);
		*(volatile uint32_t *)(HOLE + 16) = 1;
		return 2;
	}
	img = (const void *)arg;
	imgsize = rt_arg2;
	pager_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	deaths_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	if (pager_chid <= 0 || deaths_chid <= 0 ||
	    KC(ProcNotify, deaths_chid, 0, 0, 0, 0, 0) != 0) {
		rt_printf("pagertest: cannot set up\n");
		return 1;
	}
	return utest_run_all() ? 1 : 0;
}
