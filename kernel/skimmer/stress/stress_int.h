/*
 * stress/stress_int.h - the stress test's internals (kern/stress.h).
 *
 * Shape: one coordinator (the thread that called stress_run) and, on every
 * CPU, workers of the kinds in st_kinds[] (stress_workers.c): a checker, a
 * few message servers and a few clients.  Clients make the load; they also
 * create short-lived "ephemeral" client threads.  More kinds (the user-level
 * part, once processes exist) are added to st_kinds[].
 *
 * Ownership:
 *  - struct st_pcpu st_pcpu[c] is written only by CPU c, inside a critical
 *    section (threads on c and IPI/callout functions running on c).  The
 *    coordinator reads it after the load has ended, or racily for progress.
 *  - A struct st_worker belongs to its thread.  Its timers' t_state is also
 *    written by the callout function on the timer's CPU (atomic, see
 *    st_timer).  The coordinator frees persistent workers after they exit;
 *    an ephemeral worker frees its own.
 *  - struct st_watch st.g_watch[i] is written by the worker that holds slot
 *    i (relaxed atomics) and read by the coordinator's watchdog; wa_recv is
 *    incremented atomically by the servers.
 *  - A struct st_msg follows the message ownership rule of kern/msgport.h;
 *    sm_state is a relaxed atomic so that a duplicate delivery is caught.
 *  - struct st_global st: set up by the coordinator before workers start;
 *    the g_ counters marked atomic are updated by workers.
 */
#ifndef STRESS_STRESS_INT_H
#define STRESS_STRESS_INT_H

#include <kern/cpu.h>
#include <kern/kobj.h>
#include <kern/lwkt.h>
#include <kern/msgport.h>
#include <kern/stress.h>
#include <kern/thread.h>
#include <kern/timer.h>

#define ST_SERVERS_PER_CPU	2	/* server 1 of each CPU roams between CPUs */
#define ST_CLIENTS_PER_CPU	3
#define ST_EPH_PER_CPU		2	/* ephemeral threads alive at once, per CPU */
#define ST_MAX_ASYNC		8	/* a client's asynchronous messages in flight */
#define ST_TIMERS		4	/* callouts per worker */
#define ST_FRAMES		6	/* frame blocks a worker holds at most */
#define ST_OBJS			8	/* kobj objects a worker holds at most */
#define ST_PAYLOAD_MAX		96	/* message payload bytes */
#define ST_OBJ_SIZE		136	/* bytes of a test object */
#define ST_MAX_PERSIST		(CONFIG_SKIMMER_MAX_CPUS * 8)
#define ST_MAX_WATCH		(ST_MAX_PERSIST + CONFIG_SKIMMER_MAX_CPUS * ST_EPH_PER_CPU + 8)

#define ST_MSG_MAGIC		0x5354524d53470a01UL	/* "STRMSG" */
#define ST_CMD_WORK		1	/* a checksummed payload: verify and reply */
#define ST_CMD_QUIT		2	/* leave: reply, then end the thread */

/* Per-CPU operation counters (st_pcpu.pc_count). */
enum {
	SC_SYNC,	/* lwkt_domsg round trips completed */
	SC_ASYNC,	/* lwkt_sendmsg sends */
	SC_SERVED,	/* messages a server verified and replied to */
	SC_IPI_TX,	/* stress IPI calls sent from here */
	SC_IPI_RX,	/* stress IPI calls run here */
	SC_TMR_ARM,	/* callout_reset */
	SC_TMR_CANCEL,	/* callout_stop that found it pending (or a re-arm) */
	SC_TMR_FIRE,	/* stress callouts run here */
	SC_FRAMES,	/* frame_alloc successes */
	SC_KOBJS,	/* kobj_alloc successes (test objects and messages) */
	SC_THREADS,	/* lwkt_create successes */
	SC_SLEEPS,	/* timed sleeps */
	SC_PRIO,	/* lwkt_setpri_self */
	SC_POKES,	/* lwkt_schedule of another worker (a spurious wake) */
	SC_CHECKS,	/* run-queue/callout consistency checks */
	SC_ALLOCFAIL,	/* frame or kobj allocations that found no memory */
	SC_N
};

/* Per-CPU maxima, in timebase ticks (st_pcpu.pc_max). */
enum {
	SM_SLEEP_LATE,	/* a timed sleep ended this long after its deadline */
	SM_TIMER_LATE,	/* a callout ran this long after its time */
	SM_RTT,		/* a message round trip (sync, or async until collected) */
	SM_N
};

struct st_pcpu {
	uint64_t	pc_count[SC_N];		/* owner cpu, crit */
	uint64_t	pc_max[SM_N];		/* owner cpu, crit */
	uint64_t	pc_ipi_tx[CONFIG_SKIMMER_MAX_CPUS]; /* calls sent to cpu d = next seq */
	uint64_t	pc_ipi_rx[CONFIG_SKIMMER_MAX_CPUS]; /* calls run from cpu s = next seq */
	struct cpu_stats pc_stats0;		/* gd_stats when the run started */
	struct cpu_stats pc_stats;		/* gd_stats at the last probe */
	int		pc_nthreads0;		/* gd_nthreads when the run started */
	int		pc_nthreads;		/* gd_nthreads at the last probe */
	uint64_t	pc_heartbeat;		/* send time of the last heartbeat run here */
	bool		pc_runq_ok;		/* lwkt_runq_consistent() at the last probe */
} __aligned(64);

extern struct st_pcpu st_pcpu[CONFIG_SKIMMER_MAX_CPUS];

/* Timer states (st_timer.t_state). */
enum { TS_IDLE, TS_ARMED, TS_FIRED, TS_CANCELLED };

struct st_worker;

struct st_timer {
	struct callout	t_co;		/* owner: the CPU that armed it (t_cpu) */
	struct st_worker *t_w;		/* const: the worker it belongs to */
	int		t_state;	/* TS_*: the worker, or the callout on t_cpu (atomic) */
	int		t_cpu;		/* CPU it was armed on (worker) */
	uint64_t	t_when;		/* deadline (worker, before arming) */
};

/* What a worker blocks on, for the watchdog; slot i of st.g_watch. */
struct st_watch {
	int		wa_used;	/* slot taken (atomic) */
	char		wa_name[TD_NAME_MAX];	/* the worker's name (holder) */
	const char	*wa_what;	/* the blocking operation, NULL when running */
	uint64_t	wa_since;	/* when it blocked (ticks) */
	uint64_t	wa_deadline;	/* when it should be running again (ticks) */
	uint64_t	wa_seq;		/* message sequence number involved, or 0 */
	int		wa_cpu;		/* CPU it blocked on */
	uint64_t	wa_async_seq;	/* oldest outstanding asynchronous message */
	uint64_t	wa_async_sent;	/* its send time, 0 if none outstanding */
	int		wa_async_srv;	/* its target server's slot */
	uint64_t	wa_sent;	/* messages this slot sent (holder) */
	uint64_t	wa_replied;	/* replies it collected (holder) */
	uint64_t	wa_recv;	/* deliveries servers saw from it (atomic) */
};

/* A kind of worker: how many on each CPU and what they run. */
struct st_kind {
	const char	*k_name;	/* thread-name prefix */
	int		k_per_cpu;	/* 0: created on demand (ephemeral) */
	int		k_pri;		/* starting priority */
	bool		k_load;		/* makes load: quiesces at stop, quits first */
	bool		k_ephemeral;	/* ends by itself; not a poke or QUIT target */
	void		(*k_main)(struct st_worker *w);
};

/* A client's record of an asynchronous message it does not own now. */
struct st_out {
	struct st_msg	*o_msg;
	uint64_t	o_seq;
	uint64_t	o_sent;		/* send time (ticks) */
	int		o_srv;		/* server slot */
};

struct st_worker {
	const struct st_kind *w_kind;
	struct thread	*w_td;		/* set before the thread runs */
	int		w_cpu0;		/* CPU it started on */
	int		w_index;	/* index among its kind on w_cpu0 */
	int		w_id;		/* its st.g_watch slot */
	int		w_budget;	/* operations left (ephemeral), -1: until stop */
	uint64_t	w_rng;		/* xorshift64* state */
	uint64_t	w_seq;		/* last message sequence number used */
	struct st_out	w_async[ST_MAX_ASYNC];	/* outstanding asynchronous messages */
	int		w_nasync;
	struct msg	w_quit;		/* the coordinator's QUIT (owned as kern/msgport.h says) */
	bool		w_quit_done;	/* the QUIT reply came back (coordinator) */
	struct st_timer	w_timers[ST_TIMERS];
	paddr_t		w_frames[ST_FRAMES];
	int		w_forder[ST_FRAMES];
	int		w_nframes;
	void		*w_objs[ST_OBJS];
	int		w_nobjs;
};

/* Message states (st_msg.sm_state). */
enum { SMS_SENT = 1, SMS_RECEIVED, SMS_REPLIED };

/* A test message: struct msg first, then the checked payload. */
struct st_msg {
	struct msg	sm_msg;		/* ms_arg: sender slot, seq, checksum, reply value */
	uint64_t	sm_magic;	/* ST_MSG_MAGIC */
	int		sm_state;	/* SMS_* (atomic) */
	int		sm_srv;		/* slot of the server it was sent to */
	int		sm_srv_seen;	/* slot of the server that handled it */
	bool		sm_async;
	uint64_t	sm_sent;	/* send time (ticks) */
	uint32_t	sm_len;		/* payload bytes */
	uint8_t		sm_payload[ST_PAYLOAD_MAX];
};

/* Injected faults (stress_inject=<kind>, a debug boot option). */
enum { INJ_NONE, INJ_DROP, INJ_DUPREPLY, INJ_CORRUPT, INJ_LEAK, INJ_IPI, INJ_LATE };

struct st_global {
	uint64_t	g_seed;
	uint64_t	g_start;	/* ticks, when the workers were let go */
	uint64_t	g_end;		/* ticks, when the load is told to stop */
	uint64_t	g_late;		/* STRESS_LATE_MS in ticks */
	int		g_go;		/* workers may start (atomic) */
	int		g_stop;		/* load must stop (atomic) */
	int		g_inject;	/* INJ_* (set before the run) */
	int		g_injected;	/* the fault was injected (atomic, once) */
	int		g_quiesced;	/* load workers done with their load (atomic) */
	int		g_exited;	/* persistent workers ended (atomic) */
	int		g_eph_live;	/* ephemeral threads alive (atomic) */
	int		g_nload;	/* persistent load workers */
	int		g_npersist;
	struct st_worker *g_workers[ST_MAX_PERSIST];	/* persistent, by creation */
	struct st_worker *g_servers[CONFIG_SKIMMER_MAX_CPUS][ST_SERVERS_PER_CPU];
	struct st_watch	g_watch[ST_MAX_WATCH];
	uint64_t	g_hb_probe[CONFIG_SKIMMER_MAX_CPUS];	/* heartbeat awaited (coordinator) */
	struct kobj_cache g_msg_cache;
	struct kobj_cache g_obj_cache;
	struct kobj_cache g_worker_cache;
};

extern struct st_global st;
extern int st_inject_req;	/* INJ_* for the next run (stress_boot) */
extern bool st_protocol;	/* print the TEST protocol lines (stress_boot) */

/* ---- small helpers ---------------------------------------------------------- */

static inline uint64_t
st_rand(struct st_worker *w)
{
	uint64_t x = w->w_rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	w->w_rng = x;
	return x * 0x2545f4914f6cdd1dUL;
}

/* Uniform in [0, n), n < 2^32. */
static inline uint32_t
st_below(struct st_worker *w, uint32_t n)
{
	return (uint32_t)(((st_rand(w) >> 32) * n) >> 32);
}

static inline uint64_t
st_us(uint64_t us)
{
	return timer_ns_to_ticks(us * 1000);
}

static inline uint64_t
st_to_us(uint64_t ticks)
{
	return timer_ticks_to_ns(ticks) / 1000;
}

static inline bool
st_stopping(void)
{
	return __atomic_load_n(&st.g_stop, __ATOMIC_ACQUIRE) != 0;
}

/* Count one operation of kind `which` on the current CPU.  Any context. */
static inline void
st_count(int which)
{
	crit_enter();
	st_pcpu[mycpu_id()].pc_count[which]++;
	crit_exit();
}

/* Record a latency sample on the current CPU.  Any context. */
static inline void
st_max(int which, uint64_t ticks)
{
	crit_enter();
	if (ticks > st_pcpu[mycpu_id()].pc_max[which])
		st_pcpu[mycpu_id()].pc_max[which] = ticks;
	crit_exit();
}

static inline struct st_watch *
st_watch_of(struct st_worker *w)
{
	return &st.g_watch[w->w_id];
}

static inline const char *
st_name(struct st_worker *w)
{
	return st.g_watch[w->w_id].wa_name;
}

/* Sleep about `ticks` (a spurious wake may end it early).  Thread context. */
static inline void
st_nap(uint64_t ticks)
{
	crit_enter();
	lwkt_sleep(ticks);
	crit_exit();
}

/* True once per run, for the first caller when fault `kind` is injected. */
static inline bool
st_inject(int kind)
{
	return st.g_inject == kind &&
	    __atomic_exchange_n(&st.g_injected, 1, __ATOMIC_ACQ_REL) == 0;
}

/* ---- stress_check.c ------------------------------------------------------- */

/*
 * Report a violated invariant and panic (never returns).  `inv` is the
 * invariant's short name; the rest says where and what.  Any context.
 */
__noreturn void st_violation(const char *inv, const char *fmt, ...) __printflike(2, 3);

/* Mark the worker blocked in `what` until `deadline` (ticks), or running (what NULL). */
void st_block(struct st_worker *w, const char *what, uint64_t deadline, uint64_t seq);

/* Take a watch slot for a worker named name: its index, or -1 if none is free. */
int st_watch_alloc(const char *name);
/* Give slot id back (its message ledger stays for the end-of-run check). */
void st_watch_free(int id);

/*
 * The watchdog: panic if a CPU runs no IPI calls (a heartbeat) for
 * STRESS_LATE_MS, if a worker is blocked that long past its deadline, or if
 * an asynchronous message has had no reply for twice that (a stuck CPU is
 * reported first as what it is).  Coordinator.
 */
void st_watchdog(void);

/* Run fn on every CPU (in a critical section there) and wait for all. Thread. */
void st_each_cpu(void (*fn)(struct st_pcpu *pc));

/* Wait until every IPI call sent before, and what those forwarded, has run.  Thread. */
void st_flush_ipis(void);

/*
 * Check this CPU's run queue: lwkt_runq_consistent(), and every queued
 * thread is owned by this CPU and on its thread list (a thread in transit,
 * migrating or new, must not be queued before its arrival lists it).
 * Panics with the details otherwise.  Any context, on the CPU to check.
 */
void st_check_runq(const char *where);

/* td is on gd's list of threads.  Crit, on gd. */
bool st_on_thread_list(struct cpu *gd, struct thread *td);

/* The probe st_each_cpu runs: thread count, run-queue check, gd_stats snapshot. */
void st_probe(struct st_pcpu *pc);

/* The checker worker: consistency checks on its own CPU until told to quit. */
void st_checker_main(struct st_worker *w);

/*
 * Unless said otherwise, the functions below run in the thread of worker w
 * (the one that owns *w), may block and may migrate it.
 */

/* ---- stress_msg.c ----------------------------------------------------------- */

/* A server's main: verify, count and reply to messages until QUIT. */
void st_server_main(struct st_worker *w);
/* One synchronous round trip to a random server, checked. */
void st_op_sync(struct st_worker *w);
/* One asynchronous send (collecting a reply first if ST_MAX_ASYNC are out). */
void st_op_async(struct st_worker *w);
/* Collect and check replies: wait for one if block, then take what is queued. */
void st_collect_replies(struct st_worker *w, bool block);
/* Block until every asynchronous message of w is replied and collected. */
void st_collect_all(struct st_worker *w);
/* Wait for the coordinator's QUIT message and reply to it; anything else reports. */
void st_wait_quit(struct st_worker *w);

/* ---- stress_ops.c --------------------------------------------------------- */

/* IPI calls from this CPU to every CPU (1-3 each, one to itself), sequenced. */
void st_op_ipi(struct st_worker *w);
/* Arm (or re-arm) one of w's callouts on this CPU, unless it is armed elsewhere. */
void st_op_timer_arm(struct st_worker *w);
/* Stop one of w's callouts armed on this CPU, if any. */
void st_op_timer_cancel(struct st_worker *w);
/* A timed sleep of 20 us .. 2 ms, its lateness measured. */
void st_op_sleep(struct st_worker *w);
/* Allocate a tagged frame block (order 0..6) or free a held one, checking its tags. */
void st_op_frame(struct st_worker *w);
/* Allocate a tagged object from the stress cache or free a held one. */
void st_op_kobj(struct st_worker *w);
/* Move to a random CPU (maybe this one) and check where it arrived. */
void st_op_migrate(struct st_worker *w);
/* Change w's priority to 20..80. */
void st_op_setpri(struct st_worker *w);
/* lwkt_schedule() a random persistent worker: a spurious wake-up. */
void st_op_poke(struct st_worker *w);
/* stress_inject=late: once, spin in a critical section past STRESS_LATE_MS. */
void st_op_inject_late(struct st_worker *w);
/* Sleep `ticks` for real (spurious wakes resumed), measuring the lateness. */
void st_sleep_ticks(struct st_worker *w, uint64_t ticks, const char *what);
/* Give back everything w holds: replies collected, timers stopped, memory freed. */
void st_release_all(struct st_worker *w);

/* ---- stress_workers.c ------------------------------------------------------ */

extern const struct st_kind st_kinds[];	/* the persistent kinds, created on every CPU */
extern const int st_nkinds;

/* Create every persistent worker on every CPU.  0 or -ENOMEM.  Coordinator. */
int st_workers_create(void);
/* QUIT every persistent worker (load kinds first) and collect the replies. Coordinator. */
void st_workers_quit(void);
/* Free the persistent workers' structs, after they all ended.  Coordinator. */
void st_workers_free(void);
/* Create an ephemeral client on a random CPU (at most ST_EPH_PER_CPU * ncpus alive). */
void st_op_spawn(struct st_worker *w);
/* A client's main: random operations until stop (or its budget), then release. */
void st_client_main(struct st_worker *w);

/* ---- stress_report.c -------------------------------------------------------- */

/* Print the per-CPU summary tables.  Coordinator, after every worker ended. */
void st_report(void);

#endif
