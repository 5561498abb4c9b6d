/*
 * kern/lwkt.c - the per-CPU light-weight kernel thread scheduler.
 *
 * The running thread is not on the run queue.  lwkt_switch() picks the
 * highest-priority queued thread, or the CPU's idle thread, and puts the
 * current one back if it is still runnable: at the head of its level when
 * preempted (it keeps its turn), at the tail when it yields or its
 * round-robin slice ran out.
 */
#include <kern/cpu.h>
#include <kern/ipiq.h>
#include <kern/lwkt.h>
#include <kern/lwkt_switch.h>
#include <abi/thread.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/proc.h>
#include <kern/runq_inline.h>
#include <kern/string.h>
#include <kern/timer.h>
#include <kern/kstack.h>
#include <kern/intr.h>
#include <abi/errno.h>
#include <arch/fpu.h>
#include <arch/intr.h>
#include <arch/timer.h>

_Static_assert(offsetof(struct thread, td_sp) == 32, "switch.S uses this offset");
_Static_assert(offsetof(struct thread, td_oncpu) == 64, "switch.S uses this offset");

struct thread *cpu_switch_arch(struct thread *old, struct thread *new);
void cpu_switch_cont_arch(struct thread *old, struct thread *new, vaddr_t top)
    __attribute__((noreturn));
void lwkt_thread_start(struct thread *prev);
extern char thread_entry_arch[];
extern char boot_stack[];	/* head.S: KSTACK_SIZE bytes */

#define PRI_THREAD0	100	/* the boot thread (runs kmain and the self-tests) */
#define SW_PREEMPT	0	/* requeue a runnable current thread at the head */
#define SW_YIELD	1	/* ... at the tail */

static struct thread thread0;
static struct thread idle_threads[CONFIG_SKIMMER_MAX_CPUS];
static uint8_t idle0_stack[KSTACK_SIZE] __aligned(16);
static struct callout lwkt_rr_callouts[CONFIG_SKIMMER_MAX_CPUS];

static void
thread_setup(struct thread *td, struct cpu *c, int pri, const char *name)
{
	memset(td, 0, sizeof(*td));
	td->td_cpu = c;
	td->td_pri = pri;
	td->td_policy = SCHED_FIFO;
	strlcpy(td->td_name, name, sizeof(td->td_name));
	lwkt_initport(&td->td_msgport, td);
}

/* Lay out a first switch frame so cpu_switch_arch "returns" to thread_entry_arch. */
static void
thread_prepare_stack(struct thread *td)
{
	uint64_t *frame = (uint64_t *)((uint8_t *)td->td_kstack + KSTACK_SIZE -
	    KSTACK_UFRAME - 112);

	memset(frame, 0, 112);
	frame[0] = (uint64_t)thread_entry_arch;
	td->td_sp = (vaddr_t)frame;
	*(uint64_t *)td->td_kstack = KSTACK_MAGIC;
	td->td_critcount = 1;	/* released by lwkt_thread_start */
}

/* Per-CPU scheduler state; the calling context is the CPU's first thread. */
static void
cpu_sched_init(struct cpu *gd, struct thread *first)
{
	runq_init(&gd->gd_runq);
	TAILQ_INIT(&gd->gd_threads);
	gd->gd_curthread = first;
	gd->gd_kstack_top = first->td_kstack_top;
	first->td_oncpu = 1;
	TAILQ_INSERT_TAIL(&gd->gd_threads, first, td_allq);
	gd->gd_nthreads = 1;
	gd->gd_rr_callout = &lwkt_rr_callouts[gd->gd_id];
	callout_init(gd->gd_rr_callout);
}

void
lwkt_init_boot(void)
{
	struct cpu *gd = &cpus[0];
	struct thread *idle = &idle_threads[0];

	thread_setup(&thread0, gd, PRI_THREAD0, "thread0");
	thread0.td_flags = TDF_STATIC;
	thread_set_kstack(&thread0, boot_stack);
	*(uint64_t *)thread0.td_kstack = KSTACK_MAGIC;
	cpu_sched_init(gd, &thread0);

	thread_setup(idle, gd, PRI_MIN, "idle0");
	idle->td_flags = TDF_STATIC | TDF_IDLE;
	thread_set_kstack(idle, idle0_stack);
	idle->td_func = (void (*)(void *))lwkt_idle_loop;
	thread_prepare_stack(idle);
	gd->gd_idlethread = idle;
	TAILQ_INSERT_TAIL(&gd->gd_threads, idle, td_allq);
	gd->gd_nthreads++;
}

void
lwkt_init_cpu(struct cpu *gd, struct thread *unused)
{
	struct thread *idle = &idle_threads[gd->gd_id];
	char name[TD_NAME_MAX];

	(void)unused;
	ksnprintf(name, sizeof(name), "idle%d", gd->gd_id);
	thread_setup(idle, gd, PRI_MIN, name);
	idle->td_flags = TDF_STATIC | TDF_IDLE;
	thread_set_kstack(idle, (void *)(gd->gd_boot_sp - KSTACK_SIZE));
	*(uint64_t *)idle->td_kstack = KSTACK_MAGIC;
	gd->gd_idlethread = idle;
	cpu_sched_init(gd, idle);
}

/* Queue td on this CPU (its owner) if it is not running or queued.  Crit. */
static void
schedule_here(void *arg)
{
	struct thread *td = arg;
	struct cpu *gd = mycpu();

	if (td->td_cpu != gd) {			/* it migrated: follow it */
		ipiq_send(td->td_cpu, schedule_here, td);
		return;
	}
	td->td_flags &= ~TDF_SLEEPING;
	/* In transit (moving or new): its arrival queues it, once listed here. */
	if (td == gd->gd_curthread ||
	    (td->td_flags & (TDF_RUNQ | TDF_IDLE | TDF_EXITING | TDF_MIGRATING)))
		return;
	td->td_flags |= TDF_RUNQ;
	runq_insert_inline(&gd->gd_runq, td, td->td_pri, false);
	if (td->td_pri > gd->gd_curthread->td_pri)
		cpu_request(gd, RQF_RESCHED);
}

void
lwkt_schedule(struct thread *td)
{
	struct cpu *c = __atomic_load_n(&td->td_cpu, __ATOMIC_ACQUIRE);

	if (c == mycpu()) {
		/* ipiq_send's local case, without its call (every local wake-up). */
		crit_enter();
		schedule_here(td);	/* follows td if it moved meanwhile */
		crit_exit();
		return;
	}
	ipiq_send(c, schedule_here, td);
}

/* Runs on the thread's new CPU: adopt it. */
static void
create_here(void *arg)
{
	struct thread *td = arg;
	struct cpu *gd = mycpu();

	TAILQ_INSERT_TAIL(&gd->gd_threads, td, td_allq);
	gd->gd_nthreads++;
	td->td_flags &= ~TDF_MIGRATING;
	schedule_here(td);
}

int
lwkt_alloc(void (*func)(void *), void *arg, struct cpu *c, int pri,
    const char *name, struct thread **tdp)
{
	struct thread *td;

	if (pri <= PRI_MIN || pri > PRI_MAX || c == NULL || !c->gd_online)
		return -EINVAL;
	td = thread_struct_alloc();
	if (td == NULL)
		return -ENOMEM;
	thread_setup(td, c, pri, name);
	td->td_flags = TDF_MIGRATING;	/* in transit until create_here lists it on c */
	thread_set_kstack(td, kstack_alloc());
	if (td->td_kstack == NULL) {
		thread_struct_free(td);
		return -ENOMEM;
	}
	td->td_func = func;
	td->td_arg = arg;
	thread_prepare_stack(td);
	*tdp = td;
	return 0;
}

void
lwkt_free_unstarted(struct thread *td)
{
	kstack_free(td->td_kstack);
	thread_struct_free(td);
}

void
lwkt_start(struct thread *td)
{
	ipiq_send(td->td_cpu, create_here, td);
}

int
lwkt_create(void (*func)(void *), void *arg, struct cpu *c, int pri,
    const char *name, struct thread **tdp)
{
	struct thread *td;
	int rc = lwkt_alloc(func, arg, c, pri, name, &td);

	if (rc < 0)
		return rc;
	if (tdp)
		*tdp = td;
	lwkt_start(td);
	return 0;
}

/* Runs on the target CPU when a migrating thread arrives. */
static void
migrate_arrive(void *arg)
{
	struct thread *td = arg;
	struct cpu *gd = mycpu();

	gd->gd_stats.cs_migrations_in++;
	TAILQ_INSERT_TAIL(&gd->gd_threads, td, td_allq);
	gd->gd_nthreads++;
	td->td_flags &= ~TDF_MIGRATING;
	schedule_here(td);
}

static int reaps_pending;	/* atomic: exited threads not yet freed */

static void
thread_free(struct thread *td)
{
	kstack_free(td->td_kstack);
	thread_struct_free(td);
}

int
lwkt_reaps_pending(void)
{
	return __atomic_load_n(&reaps_pending, __ATOMIC_ACQUIRE);
}

/* On the home CPU, through each other CPU's ring: the last one frees. */
static void
reap_ack(void *arg)
{
	struct thread *td = arg;

	if (--td->td_reap_pending == 0) {
		thread_free(td);
		__atomic_fetch_sub(&reaps_pending, 1, __ATOMIC_RELEASE);
	}
}

/* On another CPU: answer through our ring to the home CPU, behind anything older. */
static void
reap_bounce(void *arg)
{
	struct thread *td = arg;

	ipiq_send(td->td_cpu, reap_ack, td);
}

/*
 * Free an exited thread once no IPI queued before its exit can still name
 * it: a wake-up sent to this CPU just before the thread ended sits in the
 * sender's ring and runs later.  Each other CPU bounces a message back to
 * us through its own ring; rings are FIFO, so when the last bounce
 * arrives, everything older has run (and found the thread TDF_EXITING).
 */
static void
reap(struct cpu *gd, struct thread *td)
{
	int others = 0;

	for (int c = 0; c < ncpus; c++)
		if (&cpus[c] != gd && cpus[c].gd_online)
			others++;
	if (others == 0) {
		thread_free(td);
		return;
	}
	td->td_reap_pending = others;
	__atomic_fetch_add(&reaps_pending, 1, __ATOMIC_RELAXED);
	for (int c = 0; c < ncpus; c++)
		if (&cpus[c] != gd && cpus[c].gd_online)
			ipiq_send(&cpus[c], reap_bounce, td);
}

/* lwkt_switch_tail (kern/lwkt.h) for a prev that migrates or exited. */
void
lwkt_switch_tail_slow(struct thread *prev)
{
	struct cpu *gd = mycpu();

	if (prev->td_flags & TDF_MIGRATING) {
		struct cpu *to = prev->td_migrate_to;

		TAILQ_REMOVE(&gd->gd_threads, prev, td_allq);
		gd->gd_nthreads--;
		/*
		 * TDF_MIGRATING stays set until migrate_arrive: a wake-up that
		 * reads the new td_cpu may reach `to` first, on another ring,
		 * and must not queue prev there before it is listed.  From the
		 * store on, `to` owns td_flags.
		 */
		__atomic_store_n(&prev->td_cpu, to, __ATOMIC_RELEASE);
		__atomic_store_n(&prev->td_oncpu, 0, __ATOMIC_RELEASE);
		ipiq_send(to, migrate_arrive, prev);
	} else {
		TAILQ_REMOVE(&gd->gd_threads, prev, td_allq);
		gd->gd_nthreads--;
		prev->td_oncpu = 0;
		if (!(prev->td_flags & TDF_STATIC))
			reap(gd, prev);
	}
}

static void
rr_expire(void *arg)
{
	struct thread *td = arg;

	if (curthread == td && td->td_policy == SCHED_RR) {
		td->td_flags |= TDF_PREEMPTED;
		td->td_slice_end = 0;	/* marks "slice used up" for switch_to_best */
		cpu_request(mycpu(), RQF_RESCHED);
	}
}

/* Start a new round-robin slice for td, the current thread of gd (crit). */
static void
rr_rearm(struct cpu *gd, struct thread *td)
{
	td->td_slice_end = timer_now() + timer_ns_to_ticks(LWKT_RR_SLICE_US * 1000);
	callout_reset(gd->gd_rr_callout, td->td_slice_end, rr_expire, td);
	gd->gd_rr_armed = true;
}

void
lwkt_rr_switch(struct cpu *gd, struct thread *ntd)
{
	if (ntd->td_policy == SCHED_RR)
		rr_rearm(gd, ntd);
	else if (gd->gd_rr_armed) {
		callout_stop(gd->gd_rr_callout);	/* pending: only this CPU arms it */
		gd->gd_rr_armed = false;
	}
}

/*
 * Inlined into its callers: the switch is the hot path of every wake-up.
 * cont: td keeps nothing on its kernel stack but its trap frame and
 * resumes in ipc_cont_resume (cpu_switch_cont_arch); no return then.
 */
static inline __attribute__((always_inline)) void
do_switch(struct cpu *gd, struct thread *td, struct thread *ntd, bool cont)
{
	unsigned long s;
	struct thread *prev;

	lwkt_switch_account(gd, td, ntd);
	s = intr_disable_arch();
	fpu_switch_arch(gd->gd_fpu_owner, td, ntd);
	if (cont)
		cpu_switch_cont_arch(td, ntd, td->td_kstack_top);
	prev = cpu_switch_arch(td, ntd);
	intr_restore_arch(s);
	lwkt_switch_tail(prev);
}

/* cont: the current thread blocks without a kernel stack (do_switch). */
static inline __attribute__((always_inline)) void
switch_to_best_cont(int how, bool cont)
{
	struct cpu *gd = mycpu();
	struct thread *td = gd->gd_curthread, *ntd;
	bool runnable;

	KASSERT(td->td_critcount > 0, "lwkt_switch outside a critical section");
	__atomic_fetch_and(&gd->gd_reqflags, ~RQF_RESCHED, __ATOMIC_RELAXED);
	runnable = !(td->td_flags & (TDF_IDLE | TDF_SLEEPING | TDF_EXITING | TDF_MIGRATING));
	if (runnable && td->td_policy == SCHED_RR && td->td_slice_end == 0)
		how = SW_YIELD;		/* its round-robin slice ran out */
	ntd = runq_peek_inline(&gd->gd_runq);
	if (runnable) {
		if (ntd == NULL || ntd->td_pri < td->td_pri ||
		    (ntd->td_pri == td->td_pri && how == SW_PREEMPT)) {
			if (td->td_policy == SCHED_RR && td->td_slice_end == 0)
				rr_rearm(gd, td);	/* alone at its level: a new slice */
			return;		/* nothing better: keep running */
		}
		td->td_flags |= TDF_RUNQ;
		runq_insert_inline(&gd->gd_runq, td, td->td_pri, how == SW_PREEMPT);
		if (how == SW_PREEMPT)
			gd->gd_stats.cs_preempts++;
	}
	if (ntd == NULL) {
		ntd = gd->gd_idlethread;
	} else {
		runq_remove_inline(&gd->gd_runq, ntd, ntd->td_pri);
		ntd->td_flags &= ~TDF_RUNQ;
	}
	if (ntd != td)
		do_switch(gd, td, ntd, cont);
}

static void
switch_to_best(int how)
{
	switch_to_best_cont(how, false);
}

void
lwkt_switch(void)
{
	switch_to_best(SW_PREEMPT);
}

void
lwkt_yield(void)
{
	crit_enter();
	switch_to_best(SW_YIELD);
	crit_exit();
}

static void
sleep_timeout(void *arg)
{
	struct thread *td = arg;

	if (td->td_flags & TDF_SLEEPING) {
		td->td_flags |= TDF_TIMEDOUT;
		schedule_here(td);
	}
}

int
lwkt_sleep(uint64_t timeout)
{
	struct thread *td = curthread;
	struct callout co;

	KASSERT(td->td_critcount > 0, "lwkt_sleep outside a critical section");
	lwkt_sleep_mark(td);
	if (timeout) {
		callout_init(&co);
		callout_reset(&co, timer_now() + timeout, sleep_timeout, td);
	}
	switch_to_best(SW_PREEMPT);
	td->td_flags &= ~TDF_SLEEPING;
	if (timeout)
		callout_stop(&co);
	return (td->td_flags & TDF_TIMEDOUT) ? -ETIMEDOUT : 0;
}

void
lwkt_sleep_handoff(struct thread *wake)
{
	struct thread *td = curthread;
	struct cpu *gd = mycpu();

	KASSERT(td->td_critcount > 0, "lwkt_sleep_handoff outside a critical section");
	lwkt_sleep_mark(td);
	if (wake != td && lwkt_handoff_ok(gd, wake)) {
		lwkt_handoff_take(gd, wake);
		do_switch(gd, td, wake, false);
	} else {
		lwkt_schedule(wake);
		switch_to_best(SW_PREEMPT);
	}
	td->td_flags &= ~TDF_SLEEPING;
}

void
lwkt_switch_cont(struct thread *wake)
{
	struct thread *td = curthread;
	struct cpu *gd = mycpu();

	KASSERT(td->td_critcount > 0, "lwkt_switch_cont outside a critical section");
	lwkt_sleep_mark(td);
	lwkt_handoff_take(gd, wake);
	do_switch(gd, td, wake, true);
	__builtin_unreachable();
}

void
lwkt_sleep_cont(void)
{
	struct thread *td = curthread;

	KASSERT(td->td_critcount > 0, "lwkt_sleep_cont outside a critical section");
	lwkt_sleep_mark(td);
	switch_to_best_cont(SW_PREEMPT, true);
	__builtin_unreachable();	/* td was the best: it is not, it sleeps */
}

void
lwkt_setpri_self(int pri)
{
	struct thread *td = curthread;

	KASSERT(pri > PRI_MIN && pri <= PRI_MAX, "bad priority %d", pri);
	crit_enter();
	lwkt_setpri_locked(mycpu(), td, pri);
	crit_exit();
}

void
lwkt_setpolicy_self(int policy)
{
	struct thread *td = curthread;

	crit_enter();
	td->td_policy = policy;
	if (policy == SCHED_RR)
		rr_rearm(mycpu(), td);
	crit_exit();
}

void
lwkt_setcpu_self(struct cpu *c)
{
	struct thread *td = curthread;

	if (c == td->td_cpu)
		return;
	crit_enter();
	td->td_migrate_to = c;
	td->td_flags |= TDF_MIGRATING;
	switch_to_best(SW_PREEMPT);
	crit_exit();
	KASSERT(mycpu() == c, "migrated to cpu %d, wanted %d", mycpu_id(), c->gd_id);
}

void
lwkt_exit(void)
{
	crit_enter();
	curthread->td_flags |= TDF_EXITING;
	switch_to_best(SW_PREEMPT);
	panic("exited thread %s resumed", curthread->td_name);
}

/* Run deferred requests (not RESCHED).  Crit. */
static void
process_requests(struct cpu *gd)
{
	uint32_t flags;

	while ((flags = __atomic_fetch_and(&gd->gd_reqflags, RQF_RESCHED, __ATOMIC_ACQ_REL) &
	    ~RQF_RESCHED) != 0) {
		if (flags & RQF_IPIQ)
			ipiq_process();
		if (flags & RQF_TIMER)
			callout_process();
		if (flags & RQF_INTR)
			intr_process();
	}
}

void
crit_exit_slow(void)
{
	struct thread *td = curthread;

	td->td_critcount++;
	while (mycpu()->gd_reqflags) {
		process_requests(mycpu());
		if (mycpu()->gd_reqflags & RQF_RESCHED)
			switch_to_best(SW_PREEMPT);
	}
	td->td_critcount--;
}

void
lwkt_thread_start(struct thread *prev)
{
	struct thread *td = curthread;

	lwkt_switch_tail(prev);
	intr_enable_arch();
	crit_exit();
	td->td_func(td->td_arg);
	lwkt_exit();
}

void
lwkt_idle_loop(void)
{
	struct cpu *gd = mycpu();

	for (;;) {
		crit_enter();
		unsigned long s = intr_disable_arch();
		if (gd->gd_runq.rq_count == 0 && gd->gd_reqflags == 0)
			wait_for_interrupt_arch();
		intr_restore_arch(s);
		process_requests(gd);
		if (gd->gd_runq.rq_count)
			switch_to_best(SW_PREEMPT);
		crit_exit();
	}
}

bool
lwkt_runq_consistent(void)
{
	struct cpu *gd = mycpu();
	struct thread *td;
	int n = 0;
	bool ok;

	crit_enter();
	ok = runq_consistent(&gd->gd_runq);
	TAILQ_FOREACH(td, &gd->gd_threads, td_allq) {
		if (td->td_cpu != gd)
			ok = false;
		n++;
	}
	ok = ok && n == gd->gd_nthreads && !(gd->gd_curthread->td_flags & TDF_RUNQ);
	crit_exit();
	return ok;
}

/*
 * td's priority becomes pri, on its own CPU gd (crit): requeued if it is
 * queued, and a reschedule asked for if the order of gd's threads changed.
 */
static void
set_pri_here(struct cpu *gd, struct thread *td, int pri)
{
	if (td->td_flags & TDF_RUNQ) {
		runq_remove_inline(&gd->gd_runq, td, td->td_pri);
		td->td_pri = pri;
		runq_insert_inline(&gd->gd_runq, td, pri, false);
		if (pri > gd->gd_curthread->td_pri)
			cpu_request(gd, RQF_RESCHED);
	} else {
		td->td_pri = pri;	/* running, sleeping, or arriving (it queues at td_pri) */
		if (td == gd->gd_curthread && runq_top_pri_inline(&gd->gd_runq) > pri)
			cpu_request(gd, RQF_RESCHED);
	}
}

/* Runs on td's CPU: raise its priority to td_boostpri (see lwkt_boost). */
static void
boost_here(void *arg)
{
	struct thread *td = arg;
	struct cpu *gd = mycpu();
	int pri, mpri;

	if (td->td_cpu != gd) {			/* it migrated: follow it */
		ipiq_send(td->td_cpu, boost_here, td);
		return;
	}
	pri = __atomic_exchange_n(&td->td_boostpri, 0, __ATOMIC_ACQ_REL);
	mpri = __atomic_exchange_n(&td->td_mtxboostpri, 0, __ATOMIC_ACQ_REL);
	if (mpri > td->td_mtxpri)
		td->td_mtxpri = mpri;		/* remembered for the owner's unlock */
	pri = MAX(pri, mpri);
	if (pri <= td->td_pri || (td->td_flags & TDF_EXITING))
		return;
	set_pri_here(gd, td, pri);
	/* Blocked in IPC or on a Sync mutex: it passes the boost on itself. */
	if (td->td_state == STATE_SEND || td->td_state == STATE_REPLY) {
		__atomic_store_n(&td->td_ipcprop, 1, __ATOMIC_RELEASE);
		schedule_here(td);	/* kern/ipc_prio.c */
	} else if (td->td_state == STATE_MUTEX) {
		__atomic_store_n(&td->td_syncprop, 1, __ATOMIC_RELEASE);
		schedule_here(td);	/* kern/sync.c */
	}
}

void
lwkt_boost(struct thread *td, int pri, bool mutex)
{
	int *want = mutex ? &td->td_mtxboostpri : &td->td_boostpri;
	int old = __atomic_load_n(want, __ATOMIC_RELAXED);

	KASSERT(pri > PRI_MIN && pri <= PRI_MAX, "bad priority %d", pri);
	do {
		if (old >= pri)
			return;		/* a boost at least this high is on its way */
	} while (!__atomic_compare_exchange_n(want, &old, pri, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	/* One IPI serves both kinds: send unless one is already on its way. */
	if (old == 0 && __atomic_load_n(mutex ? &td->td_boostpri : &td->td_mtxboostpri,
	    __ATOMIC_ACQUIRE) == 0)
		ipiq_send(__atomic_load_n(&td->td_cpu, __ATOMIC_ACQUIRE), boost_here, td);
}

struct setsched {
	struct thread	*ss_td;
	int		ss_pri, ss_policy;	/* policy 0: unchanged */
	bool		ss_done;
};

/* On td's CPU: its own priority pri (and policy), keeping a mutex's inheritance. */
static void
setsched_here(void *arg)
{
	struct setsched *ss = arg;
	struct thread *td = ss->ss_td;
	struct cpu *gd = mycpu();
	int pri = MAX(ss->ss_pri, td->td_mtxpri);

	if (td->td_cpu != gd)
		return;			/* it moved: the caller asks its new CPU */
	ss->ss_done = true;
	if (ss->ss_policy)
		td->td_policy = ss->ss_policy;
	td->td_basepri = ss->ss_pri;
	set_pri_here(gd, td, pri);
	if (td == gd->gd_curthread && ss->ss_policy == SCHED_RR)
		rr_rearm(gd, td);
}

void
lwkt_setsched(struct thread *td, int pri, int policy)
{
	struct setsched ss = { td, pri, policy, false };

	KASSERT(pri > PRI_MIN && pri <= PRI_MAX, "bad priority %d", pri);
	while (!ss.ss_done)
		ipiq_call_sync(__atomic_load_n(&td->td_cpu, __ATOMIC_ACQUIRE), setsched_here, &ss);
}
