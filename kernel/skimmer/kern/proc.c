/*
 * kern/proc.c - process and user-thread lifetime.
 */
#include <kern/cpu.h>
#include <kern/ipiq.h>
#include <kern/intr.h>
#include <arch/intr.h>
#include <kern/ipc.h>
#include <kern/kobj.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/proc.h>
#include <kern/shutdown.h>
#include <kern/signal.h>
#include <kern/string.h>
#include <kern/timer.h>
#include <abi/thread.h>
#include <abi/procmgr.h>
#include <kern/runq.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <arch/trapframe.h>
#include <arch/csr.h>
#include <arch/memlayout.h>

__noreturn void user_enter_arch(struct trapframe *tf);

static struct kobj_cache proc_cache;
static struct kobj_cache uregs_cache;	/* a new thread's first registers */
static struct kobj_cache zombie_cache;	/* exit records of joinable threads */

/*
 * pid_lock protects pidtab and next_pid: a leaf lock, taken with
 * interrupts off when a process is created, destroyed or looked up by pid
 * (ConnectAttach).  Lock order: pid_lock, then pr_lock.
 */
static struct spinlock pid_lock = SPINLOCK_INIT("pid");
static struct proc *pidtab[MAX_PROCS];	/* index pid % MAX_PROCS */
static int next_pid = 1;

/* Give p a pid: the next number whose slot is free.  0 or -EAGAIN. */
static int
pid_assign(struct proc *p)
{
	unsigned long fl = spin_lock_irqsave(&pid_lock);
	int rc = -EAGAIN;

	for (int tries = 0; tries < MAX_PROCS; tries++) {
		int pid = next_pid;

		next_pid = next_pid >= 0x3fffffff ? 1 : next_pid + 1;
		if (pidtab[pid % MAX_PROCS] == NULL) {
			p->pr_pid = pid;
			pidtab[pid % MAX_PROCS] = p;
			rc = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&pid_lock, fl);
	return rc;
}

struct proc *
proc_lookup_lock(int pid, unsigned long *flags)
{
	unsigned long fl = spin_lock_irqsave(&pid_lock);
	struct proc *p = pid > 0 ? pidtab[pid % MAX_PROCS] : NULL;

	if (p && p->pr_pid == pid) {
		spin_lock(&p->pr_lock);
		spin_unlock(&pid_lock);
		*flags = fl;
		return p;
	}
	spin_unlock_irqrestore(&pid_lock, fl);
	return NULL;
}

void
proc_init(void)
{
	if (kobj_cache_init(&proc_cache, "proc", sizeof(struct proc), 64) < 0 ||
	    kobj_cache_init(&uregs_cache, "uregs", sizeof(struct uregs), 8) < 0 ||
	    kobj_cache_init(&zombie_cache, "tzombie", sizeof(struct tzombie), 8) < 0)
		panic("proc_init: no proc cache");
	sig_init();
}

struct proc *
proc_create(const char *name, uint32_t abilities)
{
	struct proc *p = kobj_zalloc(&proc_cache);

	if (p == NULL)
		return NULL;
	p->pr_vm = vm_create();
	if (p->pr_vm == NULL) {
		kobj_free(&proc_cache, p);
		return NULL;
	}
	if (sig_proc_init(p) < 0 || pid_assign(p) < 0) {
		if (p->pr_sig.ps_tab)
			sig_proc_fini(p);
		vm_release(p->pr_vm);
		kobj_free(&proc_cache, p);
		return NULL;
	}
	strlcpy(p->pr_name, name, sizeof(p->pr_name));
	p->pr_abilities = abilities;
	spin_init(&p->pr_lock, "proc");
	p->pr_refs = 1;		/* alive; dropped by proc_die */
	TAILQ_INIT(&p->pr_threads);
	p->pr_next_tid = 1;
	return p;
}

struct proc *
proc_hold(int pid)
{
	unsigned long fl = spin_lock_irqsave(&pid_lock);
	struct proc *p = pid > 0 ? pidtab[pid % MAX_PROCS] : NULL;

	if (p && p->pr_pid == pid)
		__atomic_fetch_add(&p->pr_refs, 1, __ATOMIC_RELAXED);
	else
		p = NULL;
	spin_unlock_irqrestore(&pid_lock, fl);
	return p;
}

int
proc_hold_group(int pgid, struct proc **ps, int max)
{
	unsigned long fl = spin_lock_irqsave(&pid_lock);
	int n = 0;

	for (int i = 0; i < MAX_PROCS && n < max; i++) {
		struct proc *p = pidtab[i];

		if (p && __atomic_load_n(&p->pr_pgid, __ATOMIC_ACQUIRE) == pgid) {
			__atomic_fetch_add(&p->pr_refs, 1, __ATOMIC_RELAXED);
			ps[n++] = p;
		}
	}
	spin_unlock_irqrestore(&pid_lock, fl);
	return n;
}

void
proc_release(struct proc *p)
{
	if (__atomic_sub_fetch(&p->pr_refs, 1, __ATOMIC_ACQ_REL) == 0) {
		sig_proc_fini(p);
		vm_release(p->pr_vm);
		kobj_free(&proc_cache, p);
	}
}

/*
 * notify_lock protects notify_chan: a leaf lock taken only to swap or read
 * the pointer (with a reference).
 */
static struct spinlock notify_lock = SPINLOCK_INIT("proc-notify");
static struct channel *notify_chan;
static unsigned notify_flags;	/* PROCNOTIFY_*, with notify_chan */

int
proc_set_notify(struct channel *ch, unsigned flags)
{
	unsigned long fl = spin_lock_irqsave(&notify_lock);
	struct channel *old = notify_chan;

	notify_chan = ch;		/* the caller's reference moves here */
	notify_flags = flags;
	spin_unlock_irqrestore(&notify_lock, fl);
	if (old)
		ipc_chan_release(old);
	return 0;
}

static volatile int init_ended, init_status;
static struct thread *init_waiter;

int
proc_wait_init(void)
{
	init_waiter = curthread;
	crit_enter();
	while (!__atomic_load_n(&init_ended, __ATOMIC_ACQUIRE))
		lwkt_sleep(0);
	crit_exit();
	return init_status;
}

/* The process manager is ending: drop its registration (and channel reference). */
static void
notify_forget(struct proc *p)
{
	unsigned long fl = spin_lock_irqsave(&notify_lock);
	struct channel *ch = notify_chan;

	if (ch && ipc_chan_owner(ch) == p)
		notify_chan = NULL;
	else
		ch = NULL;
	spin_unlock_irqrestore(&notify_lock, fl);
	if (ch)
		ipc_chan_release(ch);
}

void
proc_notify_mgr(int code, int pid, int status)
{
	unsigned long fl = spin_lock_irqsave(&notify_lock);
	struct channel *ch = notify_chan;

	if (ch)
		ipc_chan_hold(ch);
	spin_unlock_irqrestore(&notify_lock, fl);
	if (ch) {
		ipc_pulse(ch, code,
		    (int64_t)((uint64_t)pid << 32 | (uint32_t)status), PRI_MAX);
		ipc_chan_release(ch);
	}
}

/* Tear p down once its threads are gone: IPC, pid, the alive reference. */
static void
proc_die(struct proc *p)
{
	int pid = p->pr_pid, status = p->pr_status;
	unsigned long fl;
	uint64_t ms;

	while (p->pr_zombies) {			/* nobody can join any more */
		struct tzombie *z = p->pr_zombies;

		p->pr_zombies = z->tz_next;
		kobj_free(&zombie_cache, z);
	}
	uintr_proc_exit(p);
	ktimer_proc_exit(p);
	if (p->pr_pager) {
		ipc_chan_release(p->pr_pager);
		p->pr_pager = NULL;
	}
	notify_forget(p);
	ipc_proc_exit(p);
	fl = spin_lock_irqsave(&pid_lock);
	pidtab[pid % MAX_PROCS] = NULL;
	spin_unlock_irqrestore(&pid_lock, fl);
	proc_release(p);
	if (pid == 1) {
		kprintf("skimmer: init (pid 1) exited with wait status 0x%x\n", status);
		__atomic_store_n(&init_status, status, __ATOMIC_RELEASE);
		__atomic_store_n(&init_ended, 1, __ATOMIC_RELEASE);
		if (init_waiter)
			lwkt_schedule(init_waiter);
	}
	/* Its CPU time first (same channel, same priority: it arrives first). */
	ms = timer_ticks_to_ns(p->pr_runtime) / 1000000;
	if (__atomic_load_n(&notify_flags, __ATOMIC_RELAXED) & PROCNOTIFY_TIMES)
		proc_notify_mgr(_PULSE_CODE_PROCTIMES, pid, (int)(ms > UINT32_MAX ? UINT32_MAX : ms));
	proc_notify_mgr(_PULSE_CODE_PROCDEATH, pid, status);
}

uint64_t
thread_cputime_self(void)
{
	uint64_t t;

	crit_enter();
	t = curthread->td_runtime + (timer_now() - mycpu()->gd_switch_at);
	crit_exit();
	return t;
}

uint64_t
proc_cputime(struct proc *p)
{
	struct thread *td;
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	uint64_t t = p->pr_runtime;

	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		t += td == curthread ? thread_cputime_self() :
		    __atomic_load_n(&td->td_runtime, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return t;
}

void
proc_switch_vm(struct thread *td)
{
	if (td->td_proc)
		vm_activate(td->td_proc->pr_vm);
}

/* First run of a user thread: build its frame and drop to user mode. */
static void
user_thread_main(void *arg)
{
	struct thread *td = curthread;
	struct trapframe *tf = (struct trapframe *)(td->td_kstack_top - sizeof(*tf));

	_Static_assert(sizeof(*tf) <= KSTACK_UFRAME, "trap frame does not fit");

	(void)arg;
	struct uregs r = *td->td_uregs;

	kobj_free(&uregs_cache, td->td_uregs);
	td->td_uregs = NULL;
	if (r.ur_policy == SCHED_RR)
		lwkt_setpolicy_self(SCHED_RR);
	memset(tf, 0, sizeof(*tf));
	tf->tf_sepc = r.ur_pc;
	if (r.ur_full) {
		memcpy(tf->tf_regs, r.ur_regs, sizeof(tf->tf_regs));
		tf->tf_regs[0] = 0;
		td->td_sig.ts_blocked = r.ur_sigmask & ~SIG_UNCATCHABLE;
		td->td_sig.ts_ss_sp = r.ur_ss_sp;
		td->td_sig.ts_ss_size = r.ur_ss_size;
		if (r.ur_has_fpu)
			fpu_replace_arch(td, r.ur_fpu.fs_f, r.ur_fpu.fs_fcsr);
	} else {
		tf->tf_regs[REG_SP] = r.ur_sp;
		tf->tf_regs[REG_A0] = r.ur_a0;
		tf->tf_regs[REG_A0 + 1] = r.ur_a1;
		tf->tf_regs[REG_RA] = r.ur_ra;
		tf->tf_regs[REG_GP] = r.ur_gp;
	}
	tf->tf_sstatus = SSTATUS_SPIE | SSTATUS_FS_OFF;	/* SPP = user */
	proc_switch_vm(td);
	cputime_user_leave(curthread);
	user_enter_arch(tf);
}

struct cpu *
proc_pick_cpu(void)
{
	struct cpu *best = mycpu();

	for (int i = 0; i < ncpus; i++)
		if (cpus[i].gd_nthreads < best->gd_nthreads)
			best = &cpus[i];
	return best;
}

int
proc_thread_create(struct proc *p, const struct uregs *r, int pri, struct cpu *c)
{
	struct thread *td;
	unsigned long fl;
	int rc;

	if (r->ur_pc >= USER_TOP || r->ur_sp > USER_TOP || (r->ur_sp & 15))
		return -EINVAL;
	rc = lwkt_alloc(user_thread_main, NULL, c, pri, p->pr_name, &td);
	if (rc < 0)
		return rc;
	td->td_proc = p;
	td->td_basepri = pri;
	rc = sig_thread_init(td, curthread);
	if (rc == 0)
		rc = ipc_thread_init(td);
	if (rc < 0) {
		sig_thread_fini(td);
		lwkt_free_unstarted(td);
		return rc;
	}
	td->td_uregs = kobj_alloc(&uregs_cache);
	if (td->td_uregs == NULL) {
		ipc_thread_fini(td);
		sig_thread_fini(td);
		lwkt_free_unstarted(td);
		return -ENOMEM;
	}
	*td->td_uregs = *r;
	td->td_detached = r->ur_detached;
	td->td_zombie = r->ur_detached ? NULL : kobj_alloc(&zombie_cache);
	if (!r->ur_detached && td->td_zombie == NULL) {
		kobj_free(&uregs_cache, td->td_uregs);
		ipc_thread_fini(td);
		sig_thread_fini(td);
		lwkt_free_unstarted(td);
		return -ENOMEM;
	}
	fl = spin_lock_irqsave(&p->pr_lock);
	if (p->pr_dying) {
		spin_unlock_irqrestore(&p->pr_lock, fl);
		kobj_free(&uregs_cache, td->td_uregs);
		if (td->td_zombie)
			kobj_free(&zombie_cache, td->td_zombie);
		ipc_thread_fini(td);
		sig_thread_fini(td);
		lwkt_free_unstarted(td);
		return -EAGAIN;
	}
	td->td_tid = p->pr_next_tid++;
	TAILQ_INSERT_TAIL(&p->pr_threads, td, td_plink);
	p->pr_nthreads++;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	rc = td->td_tid;	/* before it starts: it may be gone at once */
	lwkt_start(td);
	return rc;
}

void
proc_thread_exit(int status)
{
	struct thread *td = curthread, *joiner;
	struct proc *p = td->td_proc;
	struct tzombie *zombie = NULL;
	unsigned long fl;
	bool last;

	KASSERT(p != NULL, "kernel thread %s in proc_thread_exit", td->td_name);
	ipc_cancel_self(-EINTR);
	ipc_worker_leave(td);
	uintr_thread_exit(td);
	ipc_thread_fini(td);
	fl = spin_lock_irqsave(&p->pr_lock);
	TAILQ_REMOVE(&p->pr_threads, td, td_plink);
	p->pr_runtime += thread_cputime_self();
	p->pr_utime += td->td_utime;
	last = --p->pr_nthreads == 0;
	joiner = td->td_joiner;
	if (joiner) {				/* hand the status straight over */
		joiner->td_join_status = status;
		__atomic_store_n(&joiner->td_join_done, 1, __ATOMIC_RELEASE);
		__atomic_fetch_add(&joiner->td_holds, 1, __ATOMIC_ACQUIRE);
	} else if (td->td_zombie && !td->td_detached) {	/* keep it for a later ThreadJoin */
		td->td_zombie->tz_tid = td->td_tid;
		td->td_zombie->tz_status = status;
		td->td_zombie->tz_next = p->pr_zombies;
		p->pr_zombies = td->td_zombie;
		zombie = td->td_zombie;
	}
	if (last) {
		if (!p->pr_dying)
			p->pr_status = WSTATUS_EXITED(status);
		p->pr_dying = true;
		p->pr_dead = true;
	}
	/* Our own reference: p and its vmspace outlive us even if the last thread goes first. */
	__atomic_fetch_add(&p->pr_refs, 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	/*
	 * A killer (proc_kill, proc_thread_kill) or a waker (FutexWake, an
	 * interrupt) may still hold us: let it finish before we are freed.
	 * Not under pr_lock: the holder may be on this CPU, below us, and take
	 * pr_lock next.  Off pr_threads, we get no new holds from the killers.
	 */
	while (__atomic_load_n(&td->td_holds, __ATOMIC_ACQUIRE)) {
		crit_enter();
		lwkt_sleep(1000);
		crit_exit();
	}
	if (joiner) {
		lwkt_schedule(joiner);
		__atomic_fetch_sub(&joiner->td_holds, 1, __ATOMIC_RELEASE);
	}
	if (!zombie && td->td_zombie)
		kobj_free(&zombie_cache, td->td_zombie);	/* joined, or not recorded */
	sig_thread_fini(td);		/* off pr_threads: no sender finds us now */
	td->td_zombie = NULL;
	td->td_proc = NULL;		/* a kernel thread from here on */
	if (last)
		proc_die(p);
	proc_release(p);
	lwkt_exit();
}

static void
nudge(void *arg)
{
	(void)arg;	/* the IPI itself makes the target pass through trap return */
}

void
proc_nudge(struct thread *td)
{
	struct cpu *c = __atomic_load_n(&td->td_cpu, __ATOMIC_ACQUIRE);

	lwkt_schedule(td);		/* out of any sleep */
	ipiq_send(c, nudge, NULL);	/* out of user mode */
	__atomic_fetch_sub(&td->td_holds, 1, __ATOMIC_RELEASE);
}

static void kill_threads(struct proc *p, struct thread *except, int status, bool whole);

void
proc_kill(struct proc *p, struct thread *except, int status)
{
	kill_threads(p, except, status, true);
}

void
proc_kill_threads(struct proc *p, struct thread *except)
{
	kill_threads(p, except, 0, false);
}

/*
 * Wake every thread of p that pick(td, arg) selects, out of any sleep and
 * out of user mode.  pick runs under pr_lock and marks what it selects, so
 * a thread is picked once.  A batch is held (td_holds) under pr_lock and
 * nudged without it: no IPI is sent under a spinlock, and a held thread is
 * not freed (proc_thread_exit waits).  Batches until none is picked.
 */
static void
nudge_picked(struct proc *p, bool (*pick)(struct thread *, void *), void *arg)
{
	struct thread *td, *batch[16];
	unsigned long fl;
	int n;

	do {
		n = 0;
		fl = spin_lock_irqsave(&p->pr_lock);
		TAILQ_FOREACH(td, &p->pr_threads, td_plink) {
			if (!pick(td, arg))
				continue;
			__atomic_fetch_add(&td->td_holds, 1, __ATOMIC_ACQUIRE);
			batch[n++] = td;
			if (n == (int)ARRAY_SIZE(batch))
				break;
		}
		spin_unlock_irqrestore(&p->pr_lock, fl);
		for (int i = 0; i < n; i++)
			proc_nudge(batch[i]);
	} while (n > 0);
}

/* nudge_picked: every thread but arg that is not killed yet, now killed. */
static bool
pick_to_kill(struct thread *td, void *except)
{
	if (td == except || td->td_killed)
		return false;
	__atomic_store_n(&td->td_killed, 1, __ATOMIC_RELEASE);
	return true;
}

/* nudge_picked: every thread not yet woken in wake round *gen. */
static bool
pick_to_wake(struct thread *td, void *gen)
{
	if (td->td_wakegen == *(uint32_t *)gen)
		return false;
	td->td_wakegen = *(uint32_t *)gen;
	return true;
}

static void
kill_threads(struct proc *p, struct thread *except, int status, bool whole)
{
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	bool die = false;

	if (whole && !p->pr_dying) {
		p->pr_dying = true;
		p->pr_status = status;
	}
	/* A process that never had a thread ends here; otherwise its last thread ends it. */
	if (whole && p->pr_nthreads == 0 && !p->pr_dead)
		die = p->pr_dead = true;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	nudge_picked(p, pick_to_kill, except);
	if (die)
		proc_die(p);
}

void
proc_kill_others(int status)
{
	proc_kill(curthread->td_proc, curthread, status);
}

static void
exit_if_killed(struct thread *td)
{
	if (__atomic_load_n(&td->td_killed, __ATOMIC_ACQUIRE)) {
		intr_enable_arch();
		proc_thread_exit(td->td_proc->pr_dying ? td->td_proc->pr_status : td->td_exit_status);
	}
}

void
proc_user_return_slow(struct trapframe *tf)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	const struct tsig *ts = &td->td_sig;

	if (p == NULL)
		return;
	exit_if_killed(td);
	if (ts->ts_restart || ts->ts_has_saved ||
	    __atomic_load_n(&p->pr_sig.ps_stopped, __ATOMIC_ACQUIRE) ||
	    ((__atomic_load_n(&ts->ts_pend, __ATOMIC_ACQUIRE) |
	      __atomic_load_n(&p->pr_sig.ps_pend, __ATOMIC_ACQUIRE)) & ~ts->ts_blocked)) {
		intr_enable_arch();
		sig_user_return(tf);
		intr_disable_arch();
		exit_if_killed(td);
	}
}


void
proc_wake_threads(struct proc *p)
{
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	uint32_t gen = ++p->pr_wakegen;

	spin_unlock_irqrestore(&p->pr_lock, fl);
	nudge_picked(p, pick_to_wake, &gen);
}

/* Take the exit record of ended thread tid off p's list (pr_lock held); NULL if none. */
static struct tzombie *
zombie_take(struct proc *p, int tid)
{
	struct tzombie **zp, *z;

	for (zp = &p->pr_zombies; (z = *zp) != NULL; zp = &z->tz_next) {
		if (z->tz_tid == tid) {
			*zp = z->tz_next;
			return z;
		}
	}
	return NULL;
}

int
proc_thread_join(int tid, int *status)
{
	struct thread *me = curthread, *td;
	struct proc *p = me->td_proc;
	struct tzombie *z;
	uint64_t deadline = 0;
	unsigned long fl;
	int rc = 0;

	if (tid == me->td_tid)
		return -EDEADLK;
	deadline = thread_tmo_deadline(me, STATE_JOIN);
	fl = spin_lock_irqsave(&p->pr_lock);
	z = zombie_take(p, tid);
	if (z) {
		spin_unlock_irqrestore(&p->pr_lock, fl);
		*status = z->tz_status;
		kobj_free(&zombie_cache, z);
		return 0;
	}
	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		if (td->td_tid == tid)
			break;
	if (td == NULL)
		rc = -ESRCH;
	else if (td->td_detached)
		rc = -EINVAL;
	else if (td->td_joiner)
		rc = -EBUSY;
	if (rc) {
		spin_unlock_irqrestore(&p->pr_lock, fl);
		return rc;
	}
	td->td_joiner = me;
	me->td_join_done = 0;
	me->td_state = STATE_JOIN;
	spin_unlock_irqrestore(&p->pr_lock, fl);

	rc = proc_wait_flag(&me->td_join_done, deadline);
	me->td_state = STATE_RUNNING;
	if (rc) {
		/* Give up, unless the target ended meanwhile. */
		fl = spin_lock_irqsave(&p->pr_lock);
		if (me->td_join_done)
			rc = 0;
		else
			td->td_joiner = NULL;	/* still listed: td is alive */
		spin_unlock_irqrestore(&p->pr_lock, fl);
		if (rc)
			return rc;
	}
	*status = me->td_join_status;
	return 0;
}

int
proc_thread_kill(int tid, int status)
{
	struct thread *me = curthread, *td;
	struct proc *p = me->td_proc;
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);

	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		if (td->td_tid == tid && td != me)
			break;
	if (td) {
		td->td_exit_status = status;
		__atomic_store_n(&td->td_killed, 1, __ATOMIC_RELEASE);
		__atomic_fetch_add(&td->td_holds, 1, __ATOMIC_ACQUIRE);
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (td == NULL)
		return -ESRCH;
	proc_nudge(td);
	return 0;
}

int
proc_wait_flag(volatile int *flag, uint64_t deadline)
{
	struct thread *td = curthread;
	int rc = 0;

	crit_enter();
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		uint64_t now = timer_now();

		rc = sig_interrupted(td);
		if (rc == 0 && deadline && now >= deadline)
			rc = -ETIMEDOUT;
		if (rc)
			break;
		lwkt_sleep(deadline ? deadline - now : 0);
	}
	crit_exit();
	return rc;
}

int
proc_thread_detach(int tid)
{
	struct proc *p = curthread->td_proc;
	struct tzombie *z;
	struct thread *td;
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	int rc = -ESRCH;

	z = zombie_take(p, tid);	/* ended already: forget its status */
	if (z) {
		rc = 0;
	} else {
		TAILQ_FOREACH(td, &p->pr_threads, td_plink)
			if (td->td_tid == tid)
				break;
		if (td && (td->td_detached || td->td_joiner))
			rc = -EINVAL;		/* detached already, or being joined */
		else if (td) {
			td->td_detached = true;	/* its exit record is freed, not kept */
			rc = 0;
		}
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (z)
		kobj_free(&zombie_cache, z);
	return rc;
}

struct thread *
proc_thread_hold(struct proc *p, int tid)
{
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	struct thread *td;

	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		if (td->td_tid == tid)
			break;
	if (td)
		__atomic_fetch_add(&td->td_holds, 1, __ATOMIC_ACQUIRE);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return td;
}
