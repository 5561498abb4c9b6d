/*
 * stress/stress.c - stress_run(): the coordinator.
 *
 * The calling thread coordinates: it takes the baselines, creates the
 * workers, lets them go, watches them until the time is up, stops the load
 * in phases (stress_workers.c explains why in this order), waits until every
 * thread it created is gone, and then checks the end-of-run invariants and
 * prints the summary.  It never relies on being woken by a worker: it polls
 * every few milliseconds, which also runs the watchdog.
 */
#include "stress_int.h"
#include <kern/frame.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/string.h>
#include <abi/errno.h>

#define ST_KOBJ_MAX	32	/* caches the baseline remembers */

struct st_global st;
struct st_pcpu st_pcpu[CONFIG_SKIMMER_MAX_CPUS];
int st_inject_req;
bool st_protocol;

static int st_running;		/* a run is going on (atomic) */

/* Baselines, taken by the coordinator before any worker exists. */
static size_t base_frames;
static struct kobj_stats base_kobj[ST_KOBJ_MAX];
static int base_nkobj;

uint64_t
stress_default_seed(void)
{
	uint64_t x = timer_now() * 0x9e3779b97f4a7c15UL;

	return x ^ (x >> 29);
}

static void
setup(uint64_t seed)
{
	memset(&st, 0, sizeof(st));
	memset(st_pcpu, 0, sizeof(st_pcpu));
	st.g_seed = seed;
	st.g_late = st_us(STRESS_LATE_MS * 1000UL);
	st.g_inject = st_inject_req;
	if (kobj_cache_init(&st.g_msg_cache, "stress-msg", sizeof(struct st_msg), 0) < 0 ||
	    kobj_cache_init(&st.g_obj_cache, "stress-obj", ST_OBJ_SIZE, 0) < 0 ||
	    kobj_cache_init(&st.g_worker_cache, "stress-worker", sizeof(struct st_worker), 64) < 0)
		panic("stress: cannot set up its kobj caches");
}

static void
take_baseline(struct st_pcpu *pc)
{
	st_probe(pc);
	pc->pc_nthreads0 = pc->pc_nthreads;
	pc->pc_stats0 = pc->pc_stats;
}

/* Let exited threads be freed (they go after an IPI round trip). */
static void
settle_reaps(void)
{
	for (int i = 0; i < 1000 && lwkt_reaps_pending(); i++) {
		crit_enter();
		lwkt_sleep(timer_ns_to_ticks(1000000));
		crit_exit();
	}
}

static void
baseline(void)
{
	settle_reaps();
	st_each_cpu(take_baseline);
	kobj_drain_kept();
	frame_drain_all_caches();
	base_frames = frame_free_count();
	base_nkobj = kobj_cache_list(base_kobj, ST_KOBJ_MAX);
}

/* Racy sum of every CPU's operation counters, for the progress line only. */
static uint64_t
ops_so_far(void)
{
	uint64_t n = 0;

	for (int c = 0; c < ncpus; c++)
		for (int k = 0; k < SC_N; k++)
			n += __atomic_load_n(&st_pcpu[c].pc_count[k], __ATOMIC_RELAXED);
	return n;
}

/* Watch the load until the end time, with a progress line every 5 s. */
static void
run_load(unsigned seconds)
{
	uint64_t tb5 = st_us(5000000), next = st.g_start + tb5;

	while (timer_now() < st.g_end) {
		st_nap(st_us(20000));
		st_watchdog();
		if (timer_now() >= next && timer_now() < st.g_end) {
			kprintf("stress: %lu of %u s, %lu operations\n",
			    st_to_us(timer_now() - st.g_start) / 1000000, seconds, ops_so_far());
			next += tb5;
		}
	}
}

static bool
load_drained(void)
{
	return __atomic_load_n(&st.g_quiesced, __ATOMIC_ACQUIRE) == st.g_nload &&
	    __atomic_load_n(&st.g_eph_live, __ATOMIC_ACQUIRE) == 0;
}

static bool st_live;	/* a run with user space going on (SysStress) */

static bool
threads_back(void)
{
	if (st_live)
		return true;	/* others create threads too: workers ending must do */
	st_each_cpu(st_probe);
	for (int c = 0; c < ncpus; c++)
		if (st_pcpu[c].pc_nthreads != st_pcpu[c].pc_nthreads0)
			return false;
	return true;
}

/* Poll cond every ms, running the watchdog; a violation after limit ticks. */
static void
wait_for(bool (*cond)(void), uint64_t limit, const char *inv, const char *what)
{
	uint64_t t0 = timer_now();

	while (!cond()) {
		st_watchdog();
		if (timer_now() - t0 > limit)
			st_violation(inv, "%s: not within %lu ms (load workers quiesced %d of %d, "
			    "ephemeral alive %d, exited %d of %d)", what, st_to_us(limit) / 1000,
			    st.g_quiesced, st.g_nload, st.g_eph_live, st.g_exited, st.g_npersist);
		st_nap(st_us(1000));
	}
}

static bool
all_exited(void)
{
	return __atomic_load_n(&st.g_exited, __ATOMIC_ACQUIRE) == st.g_npersist;
}

/* Stop the load, end every worker, wait until their threads are freed. */
static void
stop_load(void)
{
	__atomic_store_n(&st.g_stop, 1, __ATOMIC_RELEASE);
	wait_for(load_drained, 3 * st.g_late, "worker-hang", "load workers finishing");
	st_flush_ipis();
	st_workers_quit();
	wait_for(all_exited, st.g_late, "worker-hang", "workers ending");
	wait_for(threads_back, st.g_late, "thread-leak", "threads back to the baseline");
	st_workers_free();
}

/* ---- end-of-run invariants: the first failure is kept for after the summary ------ */

static char fail_inv[32];
static char fail_msg[200];

static void __printflike(2, 3)
fail(const char *inv, const char *fmt, ...)
{
	va_list ap;

	if (fail_inv[0])
		return;
	strlcpy(fail_inv, inv, sizeof(fail_inv));
	va_start(ap, fmt);
	kvsnprintf(fail_msg, sizeof(fail_msg), fmt, ap);
	va_end(ap);
}

static void
check_counts(void)
{
	uint64_t arm = 0, done = 0;

	for (int s = 0; s < ncpus; s++) {
		if (!st_pcpu[s].pc_runq_ok)
			fail("runq", "cpu %d: lwkt_runq_consistent() failed after the run", s);
		for (int d = 0; d < ncpus; d++)
			if (st_pcpu[s].pc_ipi_tx[d] != st_pcpu[d].pc_ipi_rx[s])
				fail("ipi-count", "cpu %d sent %lu calls to cpu %d, which ran %lu",
				    s, st_pcpu[s].pc_ipi_tx[d], d, st_pcpu[d].pc_ipi_rx[s]);
		arm += st_pcpu[s].pc_count[SC_TMR_ARM];
		done += st_pcpu[s].pc_count[SC_TMR_CANCEL] + st_pcpu[s].pc_count[SC_TMR_FIRE];
	}
	if (arm != done)
		fail("timer-count", "%lu callouts armed, %lu fired or cancelled", arm, done);
	for (int i = 0; i < ST_MAX_WATCH; i++) {
		struct st_watch *wa = &st.g_watch[i];

		if (wa->wa_sent != wa->wa_recv || wa->wa_sent != wa->wa_replied)
			fail("message-count", "slot %d (last %s): %lu sent, %lu delivered, %lu replies",
			    i, wa->wa_name, wa->wa_sent, wa->wa_recv, wa->wa_replied);
	}
}

static void
check_memory(bool live)
{
	struct kobj_stats now[ST_KOBJ_MAX];
	int n;

	settle_reaps();
	if (live)
		goto own;		/* others allocate too: only our own caches can be checked */
	n = kobj_cache_list(now, ST_KOBJ_MAX);
	size_t frames;

	if (n != base_nkobj)
		fail("kobj-leak", "%d kobj caches, %d before", n, base_nkobj);
	for (int i = 0; i < n && i < base_nkobj && i < ST_KOBJ_MAX; i++)
		if (now[i].kst_inuse != base_kobj[i].kst_inuse ||
		    now[i].kst_nslabs != base_kobj[i].kst_nslabs)
			fail("kobj-leak", "cache %s: %lu objects in %lu slabs, %lu in %lu before",
			    now[i].kst_name, now[i].kst_inuse, now[i].kst_nslabs,
			    base_kobj[i].kst_inuse, base_kobj[i].kst_nslabs);
	kobj_drain_kept();
	frame_drain_all_caches();
	frames = frame_free_count();
	if (frames != base_frames)
		fail("frame-leak", "%lu frames free after the run, %lu before (%ld missing)",
		    frames, base_frames, (long)(base_frames - frames));
own:
	if (kobj_cache_fini(&st.g_msg_cache) < 0 || kobj_cache_fini(&st.g_obj_cache) < 0 ||
	    kobj_cache_fini(&st.g_worker_cache) < 0)
		fail("kobj-leak", "a stress cache still has objects in use");
}

static int
run(unsigned seconds, uint64_t seed, bool live)
{
	int rc;

	setup(seed);
	kprintf("stress: %d CPUs, %u s, seed 0x%lx%s\n", ncpus, seconds, seed,
	    st.g_inject ? " (with an injected fault)" : "");
	baseline();
	rc = st_workers_create();
	if (rc < 0)
		__atomic_store_n(&st.g_stop, 1, __ATOMIC_RELEASE);
	st.g_start = timer_now();
	st.g_end = st.g_start + st_us(seconds * 1000000UL);
	__atomic_store_n(&st.g_go, 1, __ATOMIC_RELEASE);
	if (rc == 0)
		run_load(seconds);
	stop_load();
	fail_inv[0] = '\0';
	check_counts();
	check_memory(live);
	if (rc < 0) {
		kprintf("stress: could not create the workers (%d)\n", rc);
		return rc;
	}
	st_report();
	if (fail_inv[0])
		st_violation(fail_inv, "%s", fail_msg);
	kprintf("stress: PASS\n");
	return 0;
}

int
stress_run(unsigned seconds, uint64_t seed, bool live)
{
	int rc;

	if (seconds == 0 || seconds > 86400)
		return -EINVAL;
	if (__atomic_exchange_n(&st_running, 1, __ATOMIC_ACQ_REL))
		return -EBUSY;
	st_live = live;
	rc = run(seconds, seed, live);
	__atomic_store_n(&st_running, 0, __ATOMIC_RELEASE);
	return rc;
}
