/*
 * stress/stress_ops.c - the operations a client picks from, other than
 * messages: IPI calls, callouts, sleeps, frames, kobj objects, migration,
 * priorities and spurious wake-ups.
 */
#include "stress_int.h"
#include <kern/frame.h>
#include <kern/ipiq.h>
#include <arch/memlayout.h>

/* ---- IPI calls: one sequence per CPU pair, checked in order ------------------ */

#define IPI_SEQ_BITS	48
#define IPI_SEQ_MASK	((1UL << IPI_SEQ_BITS) - 1)

/* Runs on the destination in a critical section; st_pcpu[me] is ours. */
static void
ipi_call(void *arg)
{
	uintptr_t v = (uintptr_t)arg;
	int src = (int)(v >> IPI_SEQ_BITS), me = mycpu_id();
	struct st_pcpu *pc = &st_pcpu[me];
	uint64_t seq = v & IPI_SEQ_MASK;

	if (seq != (pc->pc_ipi_rx[src] & IPI_SEQ_MASK))
		st_violation("ipi-order", "cpu %d: call seq %lu from cpu %d arrived, expected %lu",
		    me, seq, src, pc->pc_ipi_rx[src]);
	pc->pc_ipi_rx[src]++;
	/* Every 64th call also checks the run queue at an arbitrary IPI point. */
	if ((++pc->pc_count[SC_IPI_RX] & 63) == 0) {
		st_check_runq("in an IPI call");
		pc->pc_count[SC_CHECKS]++;
	}
}

void
st_op_ipi(struct st_worker *w)
{
	int n[CONFIG_SKIMMER_MAX_CPUS];

	for (int d = 0; d < ncpus; d++)
		n[d] = 1 + st_below(w, 3);
	crit_enter();	/* we stay on this CPU and own its counters */
	int me = mycpu_id();
	struct st_pcpu *pc = &st_pcpu[me];

	for (int d = 0; d < ncpus; d++) {
		for (int i = 0; i < (d == me ? 1 : n[d]); i++) {
			uint64_t seq = pc->pc_ipi_tx[d]++;

			if (d != me && st_inject(INJ_IPI))
				seq = pc->pc_ipi_tx[d]++;	/* a call goes missing */
			pc->pc_count[SC_IPI_TX]++;
			ipiq_send(&cpus[d], ipi_call,
			    (void *)(((uintptr_t)me << IPI_SEQ_BITS) | (seq & IPI_SEQ_MASK)));
		}
	}
	crit_exit();
}

/* ---- callouts ------------------------------------------------------------------ */

/* The callout function: on the arming CPU, in a critical section. */
static void
timer_fire(void *arg)
{
	struct st_timer *t = arg;
	int me = mycpu_id(), state = __atomic_load_n(&t->t_state, __ATOMIC_ACQUIRE);
	uint64_t late = timer_now() - t->t_when;

	if (state != TS_ARMED || t->t_cpu != me)
		st_violation("timer-state", "%s timer %ld ran on cpu %d in state %d (armed on cpu %d)",
		    st_name(t->t_w), (long)(t - t->t_w->w_timers), me, state, t->t_cpu);
	if (late > st.g_late)
		st_violation("deadline", "cpu %d: callout of %s ran %lu ms late (limit %d ms)",
		    me, st_name(t->t_w), st_to_us(late) / 1000, STRESS_LATE_MS);
	st_pcpu[me].pc_count[SC_TMR_FIRE]++;
	if (late > st_pcpu[me].pc_max[SM_TIMER_LATE])
		st_pcpu[me].pc_max[SM_TIMER_LATE] = late;
	/* Last touch: after this the worker may re-arm or free t. */
	__atomic_store_n(&t->t_state, TS_FIRED, __ATOMIC_RELEASE);
}

/* Arm (or re-arm) timer t on this CPU.  Crit; t is not armed elsewhere. */
static void
timer_arm(struct st_timer *t, uint64_t delay)
{
	struct st_pcpu *pc = &st_pcpu[mycpu_id()];

	if (__atomic_load_n(&t->t_state, __ATOMIC_ACQUIRE) == TS_ARMED)
		pc->pc_count[SC_TMR_CANCEL]++;	/* the re-arm cancels the pending one */
	t->t_cpu = mycpu_id();
	t->t_when = timer_now() + delay;
	__atomic_store_n(&t->t_state, TS_ARMED, __ATOMIC_RELAXED);
	callout_reset(&t->t_co, t->t_when, timer_fire, t);
	pc->pc_count[SC_TMR_ARM]++;
}

void
st_op_timer_arm(struct st_worker *w)
{
	struct st_timer *t = &w->w_timers[st_below(w, ST_TIMERS)];
	uint64_t delay = st_us(50 + st_below(w, 3000));

	crit_enter();
	/* A callout may be reset only on its own CPU: leave one armed elsewhere. */
	if (__atomic_load_n(&t->t_state, __ATOMIC_ACQUIRE) != TS_ARMED || t->t_cpu == mycpu_id())
		timer_arm(t, delay);
	crit_exit();
}

/* Stop t, armed on this CPU.  Crit. */
static void
timer_stop(struct st_timer *t)
{
	if (__atomic_load_n(&t->t_state, __ATOMIC_ACQUIRE) != TS_ARMED)
		return;		/* it fired meanwhile */
	if (!callout_stop(&t->t_co))
		st_violation("timer-state", "%s timer %ld: armed on cpu %d and not run, but "
		    "callout_stop found it idle", st_name(t->t_w), (long)(t - t->t_w->w_timers),
		    t->t_cpu);
	__atomic_store_n(&t->t_state, TS_CANCELLED, __ATOMIC_RELAXED);
	st_pcpu[mycpu_id()].pc_count[SC_TMR_CANCEL]++;
}

void
st_op_timer_cancel(struct st_worker *w)
{
	int first = st_below(w, ST_TIMERS);

	crit_enter();
	for (int i = 0; i < ST_TIMERS; i++) {
		struct st_timer *t = &w->w_timers[(first + i) % ST_TIMERS];

		if (__atomic_load_n(&t->t_state, __ATOMIC_ACQUIRE) == TS_ARMED &&
		    t->t_cpu == mycpu_id()) {
			timer_stop(t);
			break;
		}
	}
	crit_exit();
}

/* Stop every armed timer of w, going to each one's CPU to do it. */
static void
timers_release(struct st_worker *w)
{
	for (int i = 0; i < ST_TIMERS; i++) {
		struct st_timer *t = &w->w_timers[i];

		if (__atomic_load_n(&t->t_state, __ATOMIC_ACQUIRE) != TS_ARMED)
			continue;
		lwkt_setcpu_self(&cpus[t->t_cpu]);
		crit_enter();
		timer_stop(t);
		crit_exit();
	}
}

/* ---- sleeping ------------------------------------------------------------------ */

void
st_sleep_ticks(struct st_worker *w, uint64_t ticks, const char *what)
{
	uint64_t deadline = timer_now() + ticks, now, late;

	st_block(w, what, deadline, 0);
	crit_enter();
	while ((now = timer_now()) < deadline)
		lwkt_sleep(deadline - now);	/* a spurious wake (a poke) sleeps again */
	crit_exit();
	st_block(w, NULL, 0, 0);
	late = now - deadline;
	st_max(SM_SLEEP_LATE, late);
	st_count(SC_SLEEPS);
	if (late > st.g_late)
		st_violation("deadline", "%s: %s of %lu us woke %lu ms after its deadline (limit %d ms)",
		    st_name(w), what, st_to_us(ticks), st_to_us(late) / 1000, STRESS_LATE_MS);
}

void
st_op_sleep(struct st_worker *w)
{
	st_sleep_ticks(w, st_us(20 + st_below(w, 2000)), "sleep");
}

/* ---- frames and objects: tagged, so a block given to two owners shows --------- */

static uint64_t
tag_of(struct st_worker *w, uint64_t addr)
{
	return addr ^ ST_MSG_MAGIC ^ ((uint64_t)w->w_id << 40);
}

static int
pick_order(struct st_worker *w)
{
	uint32_t r = st_below(w, 100);

	return r < 50 ? 0 : r < 75 ? 1 : r < 90 ? 2 : r < 97 ? 3 : 4 + (int)st_below(w, 3);
}

static void
stress_frame_put(struct st_worker *w, int i)
{
	paddr_t pa = w->w_frames[i];
	int order = w->w_forder[i];
	uint64_t *first = phys_to_virt(pa), *last = phys_to_virt(pa + (PAGE_SIZE << order) - 8);

	if (*first != tag_of(w, pa) || *last != tag_of(w, pa))
		st_violation("frame-corrupt", "%s: block 0x%lx order %d holds tags 0x%lx 0x%lx, "
		    "expected 0x%lx (given to two owners?)", st_name(w), pa, order, *first, *last,
		    tag_of(w, pa));
	frame_free(pa, order);
	w->w_nframes--;
	w->w_frames[i] = w->w_frames[w->w_nframes];
	w->w_forder[i] = w->w_forder[w->w_nframes];
}

static void
frame_get(struct st_worker *w)
{
	int order = pick_order(w), zero = st_below(w, 4) == 0;
	paddr_t pa = frame_alloc(order, zero ? FRAME_ZERO : 0);
	uint64_t *first, *last;

	if (pa == 0) {
		st_count(SC_ALLOCFAIL);
		return;
	}
	st_count(SC_FRAMES);
	if (st_inject(INJ_LEAK))
		(void)frame_alloc(0, 0);	/* forgotten: the end-of-run count must notice */
	if (pa & ((PAGE_SIZE << order) - 1))
		st_violation("frame-align", "%s: order-%d block at 0x%lx", st_name(w), order, pa);
	first = phys_to_virt(pa);
	last = phys_to_virt(pa + (PAGE_SIZE << order) - 8);
	if (zero && (*first != 0 || *last != 0))
		st_violation("frame-zero", "%s: FRAME_ZERO block 0x%lx order %d holds 0x%lx 0x%lx",
		    st_name(w), pa, order, *first, *last);
	*first = *last = tag_of(w, pa);
	w->w_frames[w->w_nframes] = pa;
	w->w_forder[w->w_nframes++] = order;
}

void
st_op_frame(struct st_worker *w)
{
	if (w->w_nframes == ST_FRAMES || (w->w_nframes > 0 && st_below(w, 2)))
		stress_frame_put(w, st_below(w, w->w_nframes));
	else
		frame_get(w);
}

static void
obj_put(struct st_worker *w, int i)
{
	uint64_t *p = w->w_objs[i], *end = (uint64_t *)((char *)p + ST_OBJ_SIZE) - 1;

	if (*p != tag_of(w, (uintptr_t)p) || *end != tag_of(w, (uintptr_t)p))
		st_violation("kobj-corrupt", "%s: object %p holds tags 0x%lx 0x%lx, expected 0x%lx",
		    st_name(w), p, *p, *end, tag_of(w, (uintptr_t)p));
	kobj_free(&st.g_obj_cache, p);
	w->w_objs[i] = w->w_objs[--w->w_nobjs];
}

void
st_op_kobj(struct st_worker *w)
{
	uint64_t *p;

	if (w->w_nobjs == ST_OBJS || (w->w_nobjs > 0 && st_below(w, 2))) {
		obj_put(w, st_below(w, w->w_nobjs));
		return;
	}
	p = kobj_alloc(&st.g_obj_cache);
	if (p == NULL) {
		st_count(SC_ALLOCFAIL);
		return;
	}
	st_count(SC_KOBJS);
	p[0] = tag_of(w, (uintptr_t)p);
	((uint64_t *)((char *)p + ST_OBJ_SIZE))[-1] = tag_of(w, (uintptr_t)p);
	w->w_objs[w->w_nobjs++] = p;
}

/* ---- the scheduler ------------------------------------------------------------- */

void
st_op_migrate(struct st_worker *w)
{
	int to = st_below(w, ncpus);

	lwkt_setcpu_self(&cpus[to]);
	crit_enter();
	if (mycpu_id() != to || curthread->td_cpu != &cpus[to])
		st_violation("migrate", "%s asked for cpu %d, runs on cpu %d (td_cpu %d)",
		    st_name(w), to, mycpu_id(), curthread->td_cpu->gd_id);
	/* Running here before migrate_arrive listed us: a wake-up overtook the move. */
	if (!st_on_thread_list(mycpu(), curthread))
		st_violation("migrate", "%s runs on cpu %d but is not on its thread list "
		    "(made runnable there before migrate_arrive)", st_name(w), to);
	crit_exit();
}

void
st_op_setpri(struct st_worker *w)
{
	lwkt_setpri_self(20 + st_below(w, 61));
	st_count(SC_PRIO);
}

/* Wake a random persistent worker for nothing: every wait must cope. */
void
st_op_poke(struct st_worker *w)
{
	struct st_worker *t = st.g_workers[st_below(w, st.g_npersist)];

	if (t != w) {
		lwkt_schedule(t->w_td);
		st_count(SC_POKES);
	}
}

/* stress_inject=late: hold this CPU in a critical section past the limit. */
void
st_op_inject_late(struct st_worker *w)
{
	uint64_t end;

	(void)w;
	if (timer_now() < st.g_start + st_us(200000) || !st_inject(INJ_LATE))
		return;
	end = timer_now() + st.g_late + st_us(500000);
	crit_enter();
	while (timer_now() < end)
		;
	crit_exit();
}

void
st_release_all(struct st_worker *w)
{
	st_collect_all(w);
	timers_release(w);
	while (w->w_nframes > 0)
		stress_frame_put(w, w->w_nframes - 1);
	while (w->w_nobjs > 0)
		obj_put(w, w->w_nobjs - 1);
}
