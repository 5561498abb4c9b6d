/*
 * tests/system/proctest.c - processes and message passing between them,
 * run as init (init=/proc/boot/proctest), which has the process-manager
 * ability.  It starts copies of itself in other roles (arg = role | data
 * << 8) and learns of their deaths through ProcNotify pulses.
 */
#include "utest.h"
#include <abi/neutrino.h>
#include <abi/procmgr.h>
#include <abi/signal.h>
#include <abi/sysinfo.h>
#include <abi/time.h>
#include <abi/vmlayout.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)

enum { ROLE_TESTS, ROLE_SERVER, ROLE_CLIENT, ROLE_FAULT, ROLE_EXIT7, ROLE_UNPRIV, ROLE_BURN };

/* In the parent (pid 1): chid 1 gets "ready/held" pulses, chid 2 deaths. */
#define PARENT_PID	1
#define PARENT_EVENTS	1
#define CODE_READY	4
#define CODE_HELD	3

static long events_chid, deaths_chid;
static volatile uintptr_t bad_addr = 16;	/* volatile: the compiler must not see it */
static const void *img;
static uint64_t imgsize;

static long
spawn(int role, long data, long abilities)
{
	return rt_spawn(img, imgsize, "/proc/boot/proctest", (uint64_t)role | (uint64_t)data << 8,
	    abilities);
}

/* Wait for the death pulse of pid; returns its status, or -1000 on a mix-up. */
static long
wait_death(long pid)
{
	struct _pulse p;
	long rc = KC(MsgReceive, deaths_chid, (long)&p, sizeof(p), 0, 0, 0);
	uint64_t v = (uint64_t)(uintptr_t)p.value.sival_ptr;

	if (rc != 0 || p.code != _PULSE_CODE_PROCDEATH || (long)(v >> 32) != pid) {
		rt_printf("proctest: expected the death of %ld, got rc %ld code %d value %lx\n",
		    pid, rc, p.code, (unsigned long)v);
		return -1000;
	}
	return (int32_t)(v & 0xffffffff);
}

static int
wait_event(int code)
{
	struct _pulse p;
	long rc = KC(MsgReceive, events_chid, (long)&p, sizeof(p), 0, 0, 0);

	return rc == 0 && p.code == code ? 0 : -1;
}

UTEST(proc, spawn_and_exit_status)
{
	long pid = spawn(ROLE_EXIT7, 0, 0);

	UT_CHECK(pid > 1);
	UT_EQ(wait_death(pid), 7 << 8);	/* a wait status: WEXITSTATUS 7 */
	return 0;
}

UTEST(proc, child_fault_is_contained)
{
	long pid = spawn(ROLE_FAULT, 0, 0);

	UT_CHECK(pid > 1);
	UT_EQ(wait_death(pid), 11);	/* SIGSEGV */
	return 0;
}

UTEST(proc, unprivileged_child_gets_eperm)
{
	long pid = spawn(ROLE_UNPRIV, 0, 0);

	UT_CHECK(pid > 1);
	UT_EQ(wait_death(pid), 0);	/* it exits 0 only if every call got EPERM */
	return 0;
}

static uint64_t
clock_ns(int id)
{
	uint64_t t = 0;

	return KC(ClockTime, id, 0, (long)&t, 0, 0, 0) == 0 ? t : 0;
}

/* Spin for ms of CPU time by the thread's own CPU clock; 0 if it moves right. */
static int
child_burn(long ms)
{
	uint64_t m0 = clock_ns(CLOCK_MONOTONIC), t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID), t1, m1;

	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0 < (uint64_t)ms * 1000000)
		;
	t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	m1 = clock_ns(CLOCK_MONOTONIC);
	/* Not more CPU time than time went by; the process counts as much. */
	if (t1 - t0 > m1 - m0 + 1000)
		return 1;
	if (clock_ns(CLOCK_PROCESS_CPUTIME_ID) < (uint64_t)ms * 1000000)
		return 2;
	return 0;
}

/*
 * CPU-time clocks, and with PROCNOTIFY_TIMES the time pulse that comes
 * before each death pulse.
 */
UTEST(proc, cpu_time_clocks_and_death_report)
{
	uint64_t t = 1, v;
	struct _pulse p;
	long pid;

	UT_EQ(KC(ClockTime, CLOCK_THREAD_CPUTIME_ID, (long)&t, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(ClockTime, CLOCK_PROCESS_CPUTIME_ID, (long)&t, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(ClockTime, CLOCK_PROCESS_CPUTIME_ID, 0, 8, 0, 0, 0), -EFAULT);
	UT_CHECK(clock_ns(CLOCK_PROCESS_CPUTIME_ID) >= clock_ns(CLOCK_THREAD_CPUTIME_ID));
	UT_EQ(KC(ProcNotify, deaths_chid, 0x100, 0, 0, 0, 0), -EINVAL);	/* unknown flag */
	UT_EQ(KC(ProcNotify, deaths_chid, PROCNOTIFY_TIMES, 0, 0, 0, 0), 0);
	pid = spawn(ROLE_BURN, 30, 0);
	UT_CHECK(pid > 1);
	UT_EQ(KC(MsgReceive, deaths_chid, (long)&p, sizeof(p), 0, 0, 0), 0);
	v = (uint64_t)(uintptr_t)p.value.sival_ptr;
	UT_EQ(KC(ProcNotify, deaths_chid, 0, 0, 0, 0, 0), 0);
	UT_EQ(p.code, _PULSE_CODE_PROCTIMES);
	UT_EQ((long)(v >> 32), pid);
	UT_CHECK((uint32_t)v >= 30 && (uint32_t)v < 30000);	/* ms */
	UT_EQ(wait_death(pid), 0);
	return 0;
}

UTEST(proc, procmgr_bad_arguments)
{
	static const char name[] = "x";
	char buf[8];
	long pid;

	UT_EQ(KC(ProcCreate, (long)name, 0x100, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(ProcCreate, 8, 0, 0, 0, 0, 0), -EFAULT);
	pid = KC(ProcCreate, (long)name, 0, 0, 0, 0, 0);
	UT_CHECK(pid > 1);
	UT_EQ(KC(MemMap, pid, 0x10001, 4096, MEM_PROT_READ, MEM_ANON, 0), -EINVAL);	/* unaligned */
	UT_EQ(KC(MemMap, pid, 0x10000, 0, MEM_PROT_READ, MEM_ANON, 0), -EINVAL);
	UT_EQ(KC(MemMap, pid, (long)USER_SPACE_TOP, 4096, MEM_PROT_READ, MEM_ANON, 0), -EINVAL);
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, 0, MEM_ANON, 0), -EINVAL);		/* no access */
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, 0x41, 0), -EINVAL);
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, MEM_LAZY, 0), -EINVAL);	/* not alone */
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, MEM_ANON | MEM_LAZY | MEM_FILL, 0), -EINVAL);
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, MEM_ANON | MEM_LAZY, 4096), -EINVAL);
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, MEM_ANON | MEM_FILL, 4096), -EINVAL);
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, MEM_SHARED | MEM_CONTIG | MEM_ANON, 0), -EINVAL);
	UT_EQ(KC(MemMap, 999999, 0x10000, 4096, MEM_PROT_READ, MEM_ANON, 0), -ESRCH);
	UT_EQ(KC(MemMap, pid, 0x10000, 8192, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON, 0), 0);
	UT_EQ(KC(MemMap, pid, 0x11000, 4096, MEM_PROT_READ, MEM_ANON, 0), -EEXIST);
	UT_EQ(KC(MemWrite, pid, 0x10000, (long)name, 2, 0, 0), 2);
	UT_EQ(KC(MemWrite, pid, 0x10000, 8, 2, 0, 0), -EFAULT);		/* bad source */
	UT_EQ(KC(MemWrite, pid, 0x20000, (long)name, 2, 0, 0), -EFAULT);	/* unmapped target */
	UT_EQ(KC(MemUnmap, pid, 0x10000, 8192, 0, 0, 0), 0);
	UT_EQ(KC(MemWrite, pid, 0x10000, (long)name, 2, 0, 0), -EFAULT);
	/* Lazy pages: marked, filled by a copy, by MEM_FILL, or replaced by a mapping. */
	UT_EQ(KC(MemMap, pid, 0x10000, 4 * 4096, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON | MEM_LAZY, 0), 0);
	UT_EQ(KC(MemWrite, pid, 0x10000, (long)name, 2, 0, 0), 2);	/* the copy fills it */
	UT_EQ(KC(MemMap, pid, 0x10000, 4 * 4096, MEM_PROT_READ, MEM_ANON | MEM_LAZY, 0), 0);	/* mapped: kept */
	UT_EQ(KC(MemMap, pid, 0x10000, 2 * 4096, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON | MEM_FILL, 0), 0);
	UT_EQ(KC(MemMap, pid, 0x11000, 4096, MEM_PROT_READ, MEM_ANON, 0), -EEXIST);	/* filled */
	UT_EQ(KC(MemMap, pid, 0x12000, 4096, MEM_PROT_READ, MEM_ANON, 0), 0);	/* a mark gives way */
	UT_EQ(KC(MemProtect, pid, 0x10000, 4 * 4096, MEM_PROT_READ, 0, 0), 0);	/* marks count as mapped */
	UT_EQ(KC(MemUnmap, pid, 0x10000, 4 * 4096, 0, 0, 0), 0);
	UT_EQ(KC(MemProtect, pid, 0x10000, 4096, MEM_PROT_READ, 0, 0), -ENOMEM);	/* marks gone too */
	/* DMA memory (MEM_CONTIG) and MemOffset: decode errors, and EPERM for a target without IO. */
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, MEM_CONTIG, 0), -EINVAL);	/* not alone */
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, MEM_PHYS | MEM_CONTIG, 0), -EINVAL);
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, MEM_ANON | MEM_CONTIG, 4096), -EINVAL);
	UT_EQ(KC(MemMap, pid, 0x10000, 4096, MEM_PROT_READ, MEM_ANON | MEM_CONTIG, 0), -EPERM);
	UT_EQ(KC(MemMap, 0, 0x7000000, 8UL << 20, MEM_PROT_READ, MEM_ANON | MEM_CONTIG, 0), -ENOMEM);
	UT_EQ(KC(MemMap, 0, 0x7000000, 3 * 4096, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON | MEM_CONTIG, 0), 0);
	{
		struct _mem_phys mp, mp2;

		UT_EQ(KC(MemOffset, 0, 0x7000010, 3 * 4096, (long)&mp, 0, 0), 0);
		UT_EQ(mp.mp_contig, 3 * 4096 - 0x10);
		UT_EQ(mp.mp_paddr & 0xfff, 0x10);
		UT_EQ(KC(MemOffset, 0, 0x7002000, 4096, (long)&mp2, 0, 0), 0);
		UT_EQ(mp2.mp_paddr, mp.mp_paddr - 0x10 + 0x2000);
		UT_EQ(KC(MemOffset, 0, 0x7000000, 4096, 8, 0, 0), -EFAULT);
		UT_EQ(KC(MemOffset, 0, 0x7000000, 0, (long)&mp, 0, 0), -EINVAL);
		UT_EQ(KC(MemOffset, 0, (long)USER_SPACE_TOP, 4096, (long)&mp, 0, 0), -EINVAL);
		UT_EQ(KC(MemOffset, 0, 0x7003000, 4096, (long)&mp, 0, 0), -EACCES);
		UT_EQ(KC(MemOffset, 999999, 0x7000000, 4096, (long)&mp, 0, 0), -ESRCH);
	}
	UT_EQ(KC(MemUnmap, 0, 0x7000000, 3 * 4096, 0, 0, 0), 0);
	/* ProcSetCred: ids within 0..INT32_MAX, a session within 0..2^30-1, a live pid. */
	UT_EQ(KC(ProcSetCred, pid, -1, 0, 0, 1, 0), -EINVAL);
	UT_EQ(KC(ProcSetCred, pid, 0, 0x80000000L, 0, 1, 0), -EINVAL);
	UT_EQ(KC(ProcSetCred, pid, 0, 0, -5, 1, 0), -EINVAL);
	UT_EQ(KC(ProcSetCred, pid, 0, 0, 0, 0x40000000, 0), -EINVAL);
	UT_EQ(KC(ProcSetCred, 999999, 0, 0, 0, 1, 0), -ESRCH);
	UT_EQ(KC(ProcSetCred, pid, 1000, 1000, 1000, 1, 0), 0);
	UT_EQ(KC(ProcDestroy, 1, 0, 0, 0, 0, 0), -EINVAL);			/* ourselves */
	UT_EQ(KC(ProcDestroy, 999999, 0, 0, 0, 0, 0), -ESRCH);
	UT_EQ(KC(ProcDestroy, pid, 3, 0, 0, 0, 0), 0);			/* never had a thread */
	UT_EQ(wait_death(pid), 3);
	UT_EQ(KC(ProcDestroy, pid, 3, 0, 0, 0, 0), -ESRCH);			/* gone */
	(void)buf;
	return 0;
}

/* The action of signo in pid (SignalAction read by the process manager): its handler. */
static long
handler_of(long pid, int signo)
{
	struct __abi_sigaction a;
	long rc = KC(SignalAction, pid, 0, signo, 0, (long)&a, 0);

	return rc < 0 ? rc : (long)a.asa_handler;
}

/*
 * ProcCreate(name, abilities, ign_pid, keep_dfl): the new process ignores
 * what ign_pid ignores but for keep_dfl (spawn's SIG_IGN inheritance);
 * only SIG_IGN is copied, never another action.
 */
UTEST(proc, create_inherits_ignored)
{
	struct __abi_sigaction ign = { __ABI_SIG_IGN, SA_NOCLDSTOP, 0 }, dfl = { 0, 0, 0 };
	long a, b;

	UT_EQ(KC(ProcCreate, (long)"x", 0, -1, 0, 0, 0), -EINVAL);
	UT_EQ(KC(ProcCreate, (long)"x", 0, 0, 1UL << 9, 0, 0), -EINVAL);	/* keep_dfl alone */
	UT_EQ(KC(ProcCreate, (long)"x", 0, 999999, 0, 0, 0), -ESRCH);
	UT_EQ(KC(SignalAction, 0, 0, SIGUSR1, (long)&ign, 0, 0), 0);
	UT_EQ(KC(SignalAction, 0, 0, SIGTERM, (long)&ign, 0, 0), 0);
	a = KC(ProcCreate, (long)"ign", 0, 1, 0, 0, 0);
	b = KC(ProcCreate, (long)"ign", 0, 1, 1UL << (SIGTERM - 1), 0, 0);
	UT_EQ(KC(SignalAction, 0, 0, SIGUSR1, (long)&dfl, 0, 0), 0);
	UT_EQ(KC(SignalAction, 0, 0, SIGTERM, (long)&dfl, 0, 0), 0);
	UT_CHECK(a > 1 && b > 1);
	UT_EQ(handler_of(a, SIGUSR1), __ABI_SIG_IGN);
	UT_EQ(handler_of(a, SIGTERM), __ABI_SIG_IGN);
	UT_EQ(handler_of(a, SIGUSR2), __ABI_SIG_DFL);
	UT_EQ(handler_of(b, SIGUSR1), __ABI_SIG_IGN);
	UT_EQ(handler_of(b, SIGTERM), __ABI_SIG_DFL);	/* keep_dfl */
	{
		struct __abi_sigaction got;

		UT_EQ(KC(SignalAction, a, 0, SIGUSR1, 0, (long)&got, 0), 0);
		UT_EQ(got.asa_flags, SA_NOCLDSTOP);	/* the whole action */
	}
	UT_EQ(KC(ProcDestroy, a, 0, 0, 0, 0, 0), 0);
	UT_EQ(wait_death(a), 0);
	UT_EQ(KC(ProcDestroy, b, 0, 0, 0, 0, 0), 0);
	UT_EQ(wait_death(b), 0);
	/* Nothing ignored now: a new one has defaults with or without ign_pid. */
	a = KC(ProcCreate, (long)"ign", 0, 1, 0, 0, 0);
	UT_CHECK(a > 1);
	UT_EQ(handler_of(a, SIGUSR1), __ABI_SIG_DFL);
	UT_EQ(KC(ProcDestroy, a, 0, 0, 0, 0, 0), 0);
	UT_EQ(wait_death(a), 0);
	return 0;
}

UTEST(proc, sysinfo)
{
	struct _sys_info si;

	UT_EQ(KC(SysInfo, (long)&si, 0, 0, 0, 0, 0), 0);
	UT_CHECK(si.si_ncpus_onln >= 1 && si.si_ncpus_onln <= si.si_ncpus_conf);
	UT_EQ(si.si_pagesize, 4096);
	UT_CHECK(si.si_free_pages > 0 && si.si_free_pages < si.si_total_pages);
	UT_EQ(si.si_zero, 0);
	/*
	 * Idle time grows while we sleep (nothing else runs here), and by no
	 * more than the time that went by on every CPU.
	 */
	uint64_t idle0 = si.si_idle_ns, m0 = clock_ns(CLOCK_MONOTONIC), ns = 20000000, m1;

	UT_EQ(KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, (long)&ns, 0, 0),
	    -ETIMEDOUT);
	UT_EQ(KC(SysInfo, (long)&si, 0, 0, 0, 0, 0), 0);
	m1 = clock_ns(CLOCK_MONOTONIC);
	UT_CHECK(si.si_idle_ns >= idle0 + 15000000);
	UT_CHECK(si.si_idle_ns - idle0 <= (m1 - m0) * (uint64_t)si.si_ncpus_onln + 1000000);
	UT_EQ(KC(SysInfo, 8, 0, 0, 0, 0, 0), -EFAULT);
	UT_EQ(KC(SysInfo, (long)USER_SPACE_TOP, 0, 0, 0, 0, 0), -EFAULT);
	/* SysShutdownMode: power off (what it is already) or reboot; nothing else. */
	UT_EQ(KC(SysShutdownMode, SYS_SHUTDOWN_MODE_POWEROFF, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(SysShutdownMode, 7, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(SysShutdownMode, -1, 0, 0, 0, 0, 0), -EINVAL);
	return 0;
}

/* MemMap(MEM_SHARED), MemShare and MemProtect (kern/vm_share.c): taskman's shared memory and mprotect. */
#define SHM_A	0x7100000UL
#define SHM_B	0x7200000UL
#define PLAIN	0x7300000UL
UTEST(proc, memshare_and_memprotect)
{
	volatile uint64_t *a = (volatile uint64_t *)SHM_A, *b = (volatile uint64_t *)SHM_B;
	struct _mem_phys pa, pb;
	uint64_t t;
	long child = KC(ProcCreate, (long)"shm", 0, 0, 0, 0, 0);

	UT_CHECK(child > 1);
	UT_EQ(KC(MemMap, 0, SHM_A, 2 * 4096, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON | MEM_SHARED, 0), 0);
	UT_EQ(KC(MemMap, 0, PLAIN, 4096, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON, 0), 0);
	UT_EQ(KC(MemMap, 0, SHM_B, 4096, MEM_PROT_READ, MEM_SHARED, 0), -EINVAL);	/* not alone */
	a[0] = 0x1234;
	a[512] = 0x5678;					/* the second page */
	UT_EQ(KC(MemShare, 0, SHM_B, 0, SHM_A, 2 * 4096, MEM_PROT_READ), 0);
	UT_EQ(b[0], 0x1234);
	UT_EQ(b[512], 0x5678);
	a[0] = 0xabcd;
	UT_EQ(b[0], 0xabcd);					/* the same frames */
	UT_EQ(KC(MemShare, child, 0x10000, 0, SHM_A + 4096, 4096, MEM_PROT_READ | MEM_PROT_WRITE), 0);
	UT_EQ(KC(MemOffset, 0, SHM_A + 4096, 4096, (long)&pa, 0, 0), 0);
	UT_EQ(KC(MemOffset, child, 0x10000, 4096, (long)&pb, 0, 0), 0);
	UT_EQ(pa.mp_paddr, pb.mp_paddr);
	/* Decode errors: nothing changes. */
	UT_EQ(KC(MemShare, 0, SHM_B, 0, SHM_A, 4096, MEM_PROT_READ), -EEXIST);
	UT_EQ(KC(MemShare, 0, SHM_B + 0x100000, 0, PLAIN, 4096, MEM_PROT_READ), -EINVAL);	/* not shared */
	UT_EQ(KC(MemShare, 0, SHM_B + 0x100000, 0, SHM_A, 3 * 4096, MEM_PROT_READ), -EINVAL);	/* a hole */
	UT_EQ(KC(MemShare, 0, SHM_A + 4096, 0, SHM_A, 2 * 4096, MEM_PROT_READ), -EINVAL);	/* overlap */
	UT_EQ(KC(MemShare, 0, SHM_B + 1, 0, SHM_A, 4096, MEM_PROT_READ), -EINVAL);
	UT_EQ(KC(MemShare, 0, SHM_B + 0x100000, 0, SHM_A, 0, MEM_PROT_READ), -EINVAL);
	UT_EQ(KC(MemShare, 0, SHM_B + 0x100000, 0, SHM_A, 4096, 0), -EINVAL);
	UT_EQ(KC(MemShare, 0, SHM_B + 0x100000, 0, SHM_A, 4096, 8 | MEM_PROT_READ), -EINVAL);
	UT_EQ(KC(MemShare, 0, (long)USER_SPACE_TOP, 0, SHM_A, 4096, MEM_PROT_READ), -EINVAL);
	UT_EQ(KC(MemShare, 999999, 0x10000, 0, SHM_A, 4096, MEM_PROT_READ), -ESRCH);
	UT_EQ(KC(MemShare, 0, SHM_B + 0x100000, 999999, SHM_A, 4096, MEM_PROT_READ), -ESRCH);
	/* MemProtect: a kernel write into the page (ClockTime) follows the protection. */
	UT_EQ(KC(MemProtect, 0, PLAIN, 4096, MEM_PROT_READ, 0, 0), 0);
	UT_EQ(KC(ClockTime, CLOCK_MONOTONIC, 0, PLAIN, 0, 0, 0), -EFAULT);
	UT_EQ(KC(MemProtect, 0, PLAIN, 4096, MEM_PROT_READ | MEM_PROT_WRITE, 0, 0), 0);
	UT_EQ(KC(ClockTime, CLOCK_MONOTONIC, 0, PLAIN, 0, 0, 0), 0);
	UT_CHECK(*(volatile uint64_t *)PLAIN != 0);
	UT_EQ(KC(MemProtect, 0, SHM_B, 4096, MEM_PROT_READ | MEM_PROT_WRITE, 0, 0), 0);
	b[1] = 77;						/* now writable here too */
	UT_EQ(a[1], 77);
	UT_EQ(KC(MemProtect, 0, PLAIN, 2 * 4096, MEM_PROT_READ, 0, 0), -ENOMEM);	/* a hole */
	UT_EQ(KC(ClockTime, CLOCK_MONOTONIC, 0, PLAIN, 0, 0, 0), 0);	/* ... and nothing changed */
	UT_EQ(KC(MemProtect, 0, PLAIN, 4096, 0, 0, 0), -EINVAL);
	UT_EQ(KC(MemProtect, 0, PLAIN, 4096, MEM_PROT_WRITE, 0, 0), -EINVAL);
	UT_EQ(KC(MemProtect, 0, PLAIN + 1, 4096, MEM_PROT_READ, 0, 0), -EINVAL);
	UT_EQ(KC(MemProtect, 0, PLAIN, 0, MEM_PROT_READ, 0, 0), -EINVAL);
	UT_EQ(KC(MemProtect, 999999, PLAIN, 4096, MEM_PROT_READ, 0, 0), -ESRCH);
	(void)t;
	/* The frames live while any mapping holds them (the leak check at the end counts). */
	UT_EQ(KC(MemUnmap, 0, SHM_A, 2 * 4096, 0, 0, 0), 0);
	UT_EQ(b[0], 0xabcd);
	UT_EQ(KC(MemUnmap, 0, SHM_B, 2 * 4096, 0, 0, 0), 0);
	UT_EQ(KC(MemUnmap, 0, PLAIN, 4096, 0, 0, 0), 0);
	UT_EQ(KC(ProcDestroy, child, 3, 0, 0, 0, 0), 0);
	UT_EQ(wait_death(child), 3);
	return 0;
}

UTEST(proc, spawn_errors)
{
	UT_EQ(rt_spawn(img, imgsize, "/proc/boot/nosuch", 0, 0), -ENOENT);
	UT_EQ(rt_spawn(img, imgsize, "/proc/boot/motd", 0, 0), -ENOEXEC);	/* not an ELF */
	return 0;
}

/* A server process that dies while our client is REPLY-blocked on it. */
static volatile long send_result;
static uint8_t stack[16384] __attribute__((aligned(16)));
static long server_pid;

static void
client_thread(void *arg)
{
	long co = KC(ConnectAttach, 0, server_pid, 1, 0, 0, 0);
	char b[8] = "request";

	(void)arg;
	send_result = co < 0 ? co : KC(MsgSend, co, (long)b, 8, (long)b, 8, 0);
	KC(ConnectDetach, co, 0, 0, 0, 0, 0);
	KC(ThreadDestroy, 0, -1, 0, 0, 0, 0);
}

UTEST(ipc, server_dies_while_client_reply_blocked)
{
	server_pid = spawn(ROLE_SERVER, 0, 0);
	UT_CHECK(server_pid > 1);
	UT_EQ(wait_event(CODE_READY), 0);
	send_result = 1;
	UT_CHECK(rt_thread_create(client_thread, NULL, stack, sizeof(stack), 0) > 0);
	UT_EQ(wait_event(CODE_HELD), 0);	/* the server holds our message and exits */
	UT_EQ(wait_death(server_pid), 0);
	while (send_result == 1) {		/* the client must come back: with ESRCH */
		uint64_t t = 1000000;
		KC(TimerTimeout, 1, 1 << 12, 0, (long)&t, 0, 0);	/* NANOSLEEP 1 ms */
	}
	UT_EQ(send_result, -ESRCH);
	/* Connecting to the dead server fails too. */
	UT_EQ(KC(ConnectAttach, 0, server_pid, 1, 0, 0, 0), -ESRCH);
	return 0;
}

/* A client process that dies while REPLY-blocked on us: the reply finds nobody. */
UTEST(ipc, client_dies_while_reply_blocked)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0), pid, rcvid;
	struct _msg_info mi;
	char b[16];

	UT_CHECK(chid > 0);
	pid = spawn(ROLE_CLIENT, chid, 0);
	UT_CHECK(pid > 1);
	rcvid = KC(MsgReceive, chid, (long)b, sizeof(b), (long)&mi, 0, 0);
	UT_CHECK(rcvid > 0);
	UT_EQ(mi.pid, pid);
	UT_EQ(KC(ProcDestroy, pid, 9, 0, 0, 0, 0), 0);
	UT_EQ(wait_death(pid), 9);
	UT_EQ(KC(MsgReply, rcvid, 0, (long)b, 4, 0, 0), -ESRCH);
	UT_EQ(KC(MsgRead, rcvid, (long)b, 4, 0, 0, 0), -ESRCH);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	return 0;
}

/* ---- interrupts for user drivers (QEMU virt's UART: 0x10000000, source 10) ---- */

#define UART_PA		0x10000000L
#define UART_IRQ	10
#define UART_VA		0x2000000000L

UTEST(intr, uart_event_mask_unmask)
{
	volatile uint8_t *uart = (volatile uint8_t *)UART_VA;
	struct sigevent ev;
	struct _pulse p;
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	long co = KC(ConnectAttach, 0, 0, chid, 0, 0, 0);

	UT_EQ(KC(MemMap, 0, UART_VA, 4096, MEM_PROT_READ | MEM_PROT_WRITE, MEM_PHYS, UART_PA), 0);
	SIGEV_INTR_INIT(&ev);
	UT_EQ(KC(InterruptAttachEvent, 0, (long)&ev, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(InterruptAttachEvent, 100000, (long)&ev, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(InterruptAttachEvent, UART_IRQ, 8, 0, 0, 0, 0), -EFAULT);
	UT_EQ(KC(InterruptAttachEvent, UART_IRQ, (long)&ev, 0, 0, 0, 0), UART_IRQ);
	UT_EQ(KC(InterruptAttachEvent, UART_IRQ, (long)&ev, 0, 0, 0, 0), -EBUSY);
	/* Nothing pending yet: a polling wait times out. */
	UT_CHECK(KC(TimerTimeout, 1, 1 << 16, 0, 0, 0, 0) >= 0);	/* _NTO_TIMEOUT_INTR, now */
	UT_EQ(KC(InterruptWait, 0, 0, 0, 0, 0, 0), -ETIMEDOUT);
	for (int round = 0; round < 3; round++) {
		uart[1] = 0x02;				/* THR empty interrupt: fires at once */
		UT_EQ(KC(InterruptWait, 0, 0, 0, 0, 0, 0), 0);
		uart[1] = 0;				/* service the device ... */
		UT_EQ(KC(InterruptUnmask, UART_IRQ, UART_IRQ, 0, 0, 0, 0), 0);	/* ... then unmask */
	}
	UT_EQ(KC(InterruptUnmask, UART_IRQ, UART_IRQ, 0, 0, 0, 0), 0);	/* not masked: stays 0 */
	UT_EQ(KC(InterruptMask, UART_IRQ, UART_IRQ, 0, 0, 0, 0), 1);
	UT_EQ(KC(InterruptUnmask, UART_IRQ, UART_IRQ, 0, 0, 0, 0), 0);
	UT_EQ(KC(InterruptDetach, 11, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(InterruptDetach, UART_IRQ, 0, 0, 0, 0, 0), 0);
	/* The same with a pulse. */
	SIGEV_PULSE_INIT(&ev, co, 20, 5, 77);
	UT_EQ(KC(InterruptAttachEvent, UART_IRQ, (long)&ev, 0, 0, 0, 0), UART_IRQ);
	uart[1] = 0x02;
	UT_EQ(KC(MsgReceive, chid, (long)&p, sizeof(p), 0, 0, 0), 0);
	UT_EQ(p.code, 5);
	UT_EQ(p.value.sival_int, 77);
	uart[1] = 0;
	UT_EQ(KC(InterruptUnmask, UART_IRQ, UART_IRQ, 0, 0, 0, 0), 0);
	UT_EQ(KC(InterruptDetach, UART_IRQ, 0, 0, 0, 0, 0), 0);
	SIGEV_SIGNAL_INIT(&ev, 10);
	UT_EQ(KC(InterruptAttachEvent, UART_IRQ, (long)&ev, 0, 0, 0, 0), -EINVAL);	/* pulses, SIGEV_INTR */
	UT_EQ(KC(MemUnmap, 0, UART_VA, 4096, 0, 0, 0), 0);
	KC(ConnectDetach, co, 0, 0, 0, 0, 0);
	KC(ChannelDestroy, chid, 0, 0, 0, 0, 0);
	return 0;
}

/* ---- the children ------------------------------------------------------------ */

static int
child_server(void)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);	/* chid 1: the parent knows */
	long co = KC(ConnectAttach, 0, PARENT_PID, PARENT_EVENTS, 0, 0, 0);
	char b[16];

	if (chid != 1 || co < 0)
		return 2;
	KC(MsgSendPulse, co, -1, CODE_READY, 0, 0, 0);
	if (KC(MsgReceive, chid, (long)b, sizeof(b), 0, 0, 0) <= 0)
		return 3;
	KC(MsgSendPulse, co, -1, CODE_HELD, 0, 0, 0);
	return 0;		/* exit with the message held */
}

static int
child_client(long chid)
{
	long co = KC(ConnectAttach, 0, PARENT_PID, chid, 0, 0, 0);
	char b[8] = "client";

	KC(MsgSend, co, (long)b, 8, (long)b, 8, 0);	/* killed while REPLY-blocked */
	return 4;
}

static int
child_unpriv(void)
{
	static const char name[] = "y";
	int bad = 0;

	bad += KC(ProcCreate, (long)name, 0, 0, 0, 0, 0) != -EPERM;
	bad += KC(MemMap, 1, 0x10000, 4096, MEM_PROT_READ, MEM_ANON, 0) != -EPERM;
	bad += KC(MemWrite, 1, 0x10000, (long)name, 1, 0, 0) != -EPERM;
	bad += KC(MemOffset, 1, 0x10000, 4096, (long)name, 0, 0) != -EPERM;
	bad += KC(ProcDestroy, 1, 0, 0, 0, 0, 0) != -EPERM;
	bad += KC(ProcNotify, 1, 0, 0, 0, 0, 0) != -EPERM;
	bad += KC(InterruptAttachEvent, 10, (long)name, 0, 0, 0, 0) != -EPERM;
	{
		struct sched_param sp = { .sched_priority = 10 };

		bad += KC(SchedGet, 1, 1, (long)&sp, 0, 0, 0) != -EPERM;	/* another process */
		bad += KC(SchedSet, 1, 1, SCHED_NOCHANGE, (long)&sp, 0, 0) != -EPERM;
		bad += KC(MemClone, 1, 2, 0, 4096, 0, 0) != -EPERM;
		bad += KC(ThreadClone, 1, 2, 1, 0, 0, 0) != -EPERM;
		bad += KC(ThreadExec, 1, 1, 0x1000, 0x2000, 0, 0) != -EPERM;
		bad += KC(ProcPager, 1, 1, 0, 0, 0, 0) != -EPERM;
		bad += KC(PageResume, 1, 1, 0, 0, 0, 0) != -EPERM;
		bad += KC(ProcSetGroup, 1, 5, 0, 0, 0, 0) != -EPERM;
		bad += KC(ProcSetCred, 1, 0, 0, 0, 1, 0) != -EPERM;
		bad += KC(SysShutdownMode, SYS_SHUTDOWN_MODE_REBOOT, 0, 0, 0, 0, 0) != -EPERM;
		bad += KC(MemShare, 1, 0x10000, 1, 0x20000, 4096, MEM_PROT_READ) != -EPERM;
		bad += KC(MemProtect, 1, 0x10000, 4096, MEM_PROT_READ, 0, 0) != -EPERM;
		/* init's side connection leads to init's channel, not ours. */
		static struct _server_info si;

		bad += KC(ConnectServerInfo, 1, _NTO_SIDE_CHANNEL, (long)&si, 0, 0, 0) != -EPERM;
	}
	return bad;
}

int
umain(uint64_t arg)
{
	switch (arg & 0xff) {
	case ROLE_SERVER:
		return child_server();
	case ROLE_CLIENT:
		return child_client((long)(arg >> 8));
	case ROLE_FAULT:
		*(volatile int *)bad_addr = 1;
		return 1;
	case ROLE_EXIT7:
		return 7;
	case ROLE_UNPRIV:
		return child_unpriv();
	case ROLE_BURN:
		return child_burn((long)(arg >> 8));
	}
	img = (const void *)arg;
	imgsize = rt_arg2;
	events_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	deaths_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	if (KC(ConnectAttach, 0, 0, events_chid, _NTO_SIDE_CHANNEL, 0, 0) != _NTO_SIDE_CHANNEL ||
	    events_chid != PARENT_EVENTS || deaths_chid <= 0 ||
	    KC(ProcNotify, deaths_chid, 0, 0, 0, 0, 0) != 0) {
		rt_printf("proctest: cannot set up (%ld %ld)\n", events_chid, deaths_chid);
		return 1;
	}
	return utest_run_all() ? 1 : 0;
}
