/*
 * stress/stress_check.c - checks while the load runs: the violation report,
 * the watchdog over blocked workers, work broadcast to every CPU, IPI
 * flushes, and the per-CPU checker workers.
 */
#include "stress_int.h"
#include <kern/ipiq.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/string.h>

static int violated;		/* a violation is being reported (atomic) */

void
st_violation(const char *inv, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Only the first reporter prints the protocol lines; panic() picks one report. */
	if (__atomic_exchange_n(&violated, 1, __ATOMIC_ACQ_REL) == 0 && st_protocol)
		kprintf("TEST FAIL stress.kernel: %s\nTEST DONE 0 passed, 1 failed\n", inv);
	panic("stress: VIOLATION %s: %s [cpu %d, thread %s, seed 0x%lx]", inv, buf,
	    mycpu_id(), curthread->td_name, st.g_seed);
}

/* ---- the watchdog ----------------------------------------------------------- */

void
st_block(struct st_worker *w, const char *what, uint64_t deadline, uint64_t seq)
{
	struct st_watch *wa = st_watch_of(w);

	if (what == NULL) {
		__atomic_store_n(&wa->wa_what, NULL, __ATOMIC_RELEASE);
		return;
	}
	/* A reader that sees `what` sees a deadline no earlier than this one's. */
	__atomic_store_n(&wa->wa_deadline, deadline, __ATOMIC_RELAXED);
	__atomic_store_n(&wa->wa_since, timer_now(), __ATOMIC_RELAXED);
	__atomic_store_n(&wa->wa_seq, seq, __ATOMIC_RELAXED);
	__atomic_store_n(&wa->wa_cpu, mycpu_id(), __ATOMIC_RELAXED);
	__atomic_store_n(&wa->wa_what, what, __ATOMIC_RELEASE);
}

int
st_watch_alloc(const char *name)
{
	for (int i = 0; i < ST_MAX_WATCH; i++) {
		struct st_watch *wa = &st.g_watch[i];
		int expect = 0;

		if (!__atomic_compare_exchange_n(&wa->wa_used, &expect, 1, false,
		    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		/* The message ledger (wa_sent...) is kept across holders: checked at the end. */
		strlcpy(wa->wa_name, name, sizeof(wa->wa_name));
		wa->wa_what = NULL;
		wa->wa_async_sent = 0;
		return i;
	}
	return -1;
}

void
st_watch_free(int id)
{
	__atomic_store_n(&st.g_watch[id].wa_used, 0, __ATOMIC_RELEASE);
}

static void
watch_check_blocked(struct st_watch *wa, uint64_t now)
{
	const char *what = __atomic_load_n(&wa->wa_what, __ATOMIC_ACQUIRE);
	uint64_t deadline = __atomic_load_n(&wa->wa_deadline, __ATOMIC_RELAXED);

	if (what == NULL || now <= deadline + st.g_late)
		return;
	st_violation("deadline", "%s blocked in %s on cpu %d for %lu ms (seq %lu), "
	    "%lu ms past its deadline (limit %d ms)", wa->wa_name, what,
	    __atomic_load_n(&wa->wa_cpu, __ATOMIC_RELAXED),
	    st_to_us(now - __atomic_load_n(&wa->wa_since, __ATOMIC_RELAXED)) / 1000,
	    __atomic_load_n(&wa->wa_seq, __ATOMIC_RELAXED),
	    st_to_us(now - deadline) / 1000, STRESS_LATE_MS);
}

static void
watch_check_async(struct st_watch *wa, uint64_t now)
{
	uint64_t sent = __atomic_load_n(&wa->wa_async_sent, __ATOMIC_ACQUIRE);
	int srv;

	if (sent == 0 || now <= sent + 2 * st.g_late)
		return;
	srv = __atomic_load_n(&wa->wa_async_srv, __ATOMIC_RELAXED);
	st_violation("message-lost", "%s: asynchronous message seq %lu to %s got no reply "
	    "in %lu ms (limit %d ms)", wa->wa_name,
	    __atomic_load_n(&wa->wa_async_seq, __ATOMIC_RELAXED),
	    srv >= 0 && srv < ST_MAX_WATCH ? st.g_watch[srv].wa_name : "?",
	    st_to_us(now - sent) / 1000, 2 * STRESS_LATE_MS);
}

/* Runs on the probed CPU: it is alive and runs IPI calls. */
static void
heartbeat(void *arg)
{
	__atomic_store_n(&st_pcpu[mycpu_id()].pc_heartbeat, (uint64_t)(uintptr_t)arg,
	    __ATOMIC_RELEASE);
}

/* One heartbeat in flight per CPU; a new one once the last was run. */
static void
check_heartbeats(uint64_t now)
{
	for (int c = 0; c < ncpus; c++) {
		uint64_t seen = __atomic_load_n(&st_pcpu[c].pc_heartbeat, __ATOMIC_ACQUIRE);

		if (st.g_hb_probe[c] == 0 || seen >= st.g_hb_probe[c]) {
			st.g_hb_probe[c] = now;
			ipiq_send(&cpus[c], heartbeat, (void *)(uintptr_t)now);
		} else if (now - st.g_hb_probe[c] > st.g_late) {
			st_violation("deadline", "cpu %d ran no IPI call for %lu ms (limit %d ms): "
			    "stuck in a critical section?", c,
			    st_to_us(now - st.g_hb_probe[c]) / 1000, STRESS_LATE_MS);
		}
	}
}

void
st_watchdog(void)
{
	uint64_t now = timer_now();

	check_heartbeats(now);
	for (int i = 0; i < ST_MAX_WATCH; i++) {
		struct st_watch *wa = &st.g_watch[i];

		if (!__atomic_load_n(&wa->wa_used, __ATOMIC_ACQUIRE))
			continue;
		/* A lost reply also blocks its sender: name the message first. */
		watch_check_async(wa, now);
		watch_check_blocked(wa, now);
	}
}

/* ---- running things on every CPU --------------------------------------------- */

struct st_bcast {
	void		(*b_fn)(struct st_pcpu *pc);
	int		b_left;		/* CPUs still to run it (atomic) */
};

static void
bcast_run(void *arg)
{
	struct st_bcast *b = arg;

	b->b_fn(&st_pcpu[mycpu_id()]);
	/* The last access to *b: the caller may return as soon as it sees 0. */
	__atomic_sub_fetch(&b->b_left, 1, __ATOMIC_RELEASE);
}

/* Poll *left down to zero (no wake-ups: nothing can point at a gone thread). */
static void
wait_zero(int *left, int total, const char *what)
{
	uint64_t t0 = timer_now();
	int n;

	while ((n = __atomic_load_n(left, __ATOMIC_ACQUIRE)) > 0) {
		if (timer_now() - t0 > st.g_late)
			st_violation("ipi-lost", "%d of %d %s never ran (waited %d ms)", n, total,
			    what, STRESS_LATE_MS);
		st_nap(st_us(1000));
	}
}

void
st_each_cpu(void (*fn)(struct st_pcpu *pc))
{
	struct st_bcast b = { fn, ncpus };

	for (int c = 0; c < ncpus; c++)
		ipiq_send(&cpus[c], bcast_run, &b);
	wait_zero(&b.b_left, ncpus, "broadcast calls");
}

static int flush_left;		/* markers still travelling (atomic) */

static void
flush_hit(void *arg)
{
	(void)arg;
	__atomic_sub_fetch(&flush_left, 1, __ATOMIC_RELEASE);
}

static void
flush_fanout(struct st_pcpu *pc)
{
	int me = mycpu_id();

	(void)pc;
	for (int d = 0; d < ncpus; d++)
		if (d != me)
			ipiq_send(&cpus[d], flush_hit, NULL);
}

/*
 * Round one: each ring's marker runs after everything sent on that ring
 * before it.  Round two covers what round one's calls forwarded.
 */
void
st_flush_ipis(void)
{
	for (int round = 0; round < 2; round++) {
		__atomic_store_n(&flush_left, ncpus * (ncpus - 1), __ATOMIC_RELEASE);
		st_each_cpu(flush_fanout);
		wait_zero(&flush_left, ncpus * (ncpus - 1), "flush markers");
	}
}

void
st_probe(struct st_pcpu *pc)
{
	struct cpu *gd = mycpu();

	pc->pc_nthreads = gd->gd_nthreads;
	pc->pc_runq_ok = lwkt_runq_consistent();
	pc->pc_stats = gd->gd_stats;
}

/* ---- run-queue checks ---------------------------------------------------------- */

bool
st_on_thread_list(struct cpu *gd, struct thread *td)
{
	struct thread *it;
	int n = 0;

	TAILQ_FOREACH(it, &gd->gd_threads, td_allq)
		if (it == td || ++n > 100000)
			return it == td;
	return false;
}

/* A thread on this CPU's run queue that is not, by the thread list, ours. Crit. */
static struct thread *
queued_stranger(struct cpu *gd)
{
	for (int p = 0; p < NPRI; p++) {
		struct thread *td;

		TAILQ_FOREACH(td, &gd->gd_runq.rq_queues[p], td_runq)
			if (td->td_cpu != gd || !st_on_thread_list(gd, td))
				return td;
	}
	return NULL;
}

/* A thread on this CPU's list that belongs elsewhere, and the list's length. Crit. */
static struct thread *
listed_stranger(struct cpu *gd, int *n)
{
	struct thread *td, *bad = NULL;

	*n = 0;
	TAILQ_FOREACH(td, &gd->gd_threads, td_allq) {
		if (td->td_cpu != gd && bad == NULL)
			bad = td;
		if (++*n > 100000)
			break;
	}
	return bad;
}

void
st_check_runq(const char *where)
{
	struct cpu *gd = mycpu();
	struct thread *q, *l;
	int n;

	crit_enter();
	q = queued_stranger(gd);
	if (lwkt_runq_consistent() && q == NULL) {
		crit_exit();
		return;
	}
	l = listed_stranger(gd, &n);
	st_violation("runq", "cpu %d (%s): run queue %s, %d queued; %d threads listed, "
	    "gd_nthreads %d; curthread %s%s; queued but not ours: %s (td_cpu %d, flags %x); "
	    "listed but not ours: %s (td_cpu %d, flags %x)", gd->gd_id, where,
	    runq_consistent(&gd->gd_runq) ? "well-formed" : "MALFORMED", gd->gd_runq.rq_count,
	    n, gd->gd_nthreads, gd->gd_curthread->td_name,
	    gd->gd_curthread->td_flags & TDF_RUNQ ? " (marked TDF_RUNQ)" : "",
	    q ? q->td_name : "none", q ? q->td_cpu->gd_id : -1, q ? q->td_flags : 0,
	    l ? l->td_name : "none", l ? l->td_cpu->gd_id : -1, l ? l->td_flags : 0);
}

/* ---- the checker worker ------------------------------------------------------- */

/* This CPU's callout list: sorted by deadline, all pending and ours.  Crit. */
static void
check_callouts(struct cpu *gd)
{
	struct callout *c;
	uint64_t prev = 0;
	int n = 0;

	TAILQ_FOREACH(c, &gd->gd_callouts, c_link) {
		if (c->c_cpu != gd || !(c->c_flags & CALLOUT_PENDING) || c->c_when < prev)
			st_violation("callout-list", "cpu %d: callout %d (%p) owner cpu %d, flags %x, "
			    "when %lu after %lu", gd->gd_id, n, c, c->c_cpu ? c->c_cpu->gd_id : -1,
			    c->c_flags, c->c_when, prev);
		prev = c->c_when;
		if (++n > 100000)
			st_violation("callout-list", "cpu %d: callout list loops", gd->gd_id);
	}
}

static void
check_cpu(int home)
{
	struct cpu *gd = mycpu();

	crit_enter();
	if (gd->gd_id != home || curthread->td_cpu != gd)
		st_violation("checker-moved", "checker of cpu %d runs on cpu %d (td_cpu %d)",
		    home, gd->gd_id, curthread->td_cpu->gd_id);
	st_check_runq("checker");
	check_callouts(gd);
	st_pcpu[home].pc_count[SC_CHECKS]++;
	crit_exit();
}

void
st_checker_main(struct st_worker *w)
{
	struct msgport *port = &curthread->td_msgport;
	int home = mycpu_id();

	for (;;) {
		uint64_t timeout = st_us(5000 + st_below(w, 20000));
		struct msg *m;

		st_block(w, "waitport (checker)", timer_now() + timeout, 0);
		m = lwkt_waitport(port, timeout);
		st_block(w, NULL, 0, 0);
		if (m != NULL && m->ms_cmd == ST_CMD_QUIT) {
			lwkt_replymsg(m, 0);
			return;
		}
		if (m != NULL)
			st_violation("unexpected-message", "checker of cpu %d got command %d",
			    home, m->ms_cmd);
		check_cpu(home);
	}
}
