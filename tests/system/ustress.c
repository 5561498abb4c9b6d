/*
 * tests/system/ustress.c - the user-level part of the embedded stress test
 * (stress.user): processes on every CPU hammer the kernel calls at once,
 * and every result is checked.
 *
 * Run as init (init=/proc/boot/ustress): the first process, the
 * coordinator, has the process-manager ability.  It spawns copies of this
 * program in roles (arg = role | serial << 8 | coordinator pid << 32):
 *
 *   server     a channel and SRV_THREADS receiving threads; verifies each
 *              request (header, checksum, MsgRead of the parts that did not
 *              fit, _msg_info lengths, inherited priority, duplicates), and
 *              replies with a transformed payload and its own checksum,
 *              built with MsgWrite(v) + MsgReply or MsgReplyv; sometimes
 *              hands the rcvid to a fresh thread; answers unblock pulses.
 *   client     CLI_THREADS workers and a thread that creates and ends
 *              short-lived workers.  Workers send checksummed requests of
 *              0 bytes to several pages (MsgSend/v/sv/vs, odd iov splits,
 *              truncated reply buffers) with TimerTimeout deadlines, send
 *              pulses, change their priority, sleep and wait on futexes with
 *              deadlines, and check every reply and every lateness.
 *   ephemeral  a client that does a small budget of work and exits.
 *   killer     (process-manager ability) ProcDestroys random servers and
 *              clients, servers with clients blocked on them included.
 *
 * The coordinator keeps the population up (respawning what was killed),
 * serves the children's requests (registration, the server directory,
 * victims, reports), learns of every death through ProcNotify pulses, and
 * after USTRESS_SECONDS stops the load in phases: killer, clients, servers.
 * Every process reports its counters and its per-peer message ledger; the
 * coordinator matches the ledgers of the survivors (each message and pulse
 * arrived exactly once), checks every exit status and that every spawned
 * process died and was reaped, prints a summary and the test protocol
 * (TEST START/PASS|FAIL/DONE stress.user) and exits 0 or 1.
 *
 * Every violation is printed at once as "ustress: VIOLATION <invariant>:
 * ..." by the process that saw it, and counted by the coordinator.
 *
 * Replay: the seed is printed at the start.  Every choice a thread makes
 * comes from its own xorshift PRNG, derived from the seed, the process's
 * serial number and the thread's slot, so a seed repeats the choices (not
 * the interleaving).  To replay one, build with -DUSTRESS_SEED=<seed>: put
 * "#define USTRESS_SEED 0x..." above the #ifndef below (or in a one-line
 * wrapper that #includes this file, as ustress_corrupt.c does), then `make`
 * and boot it with APPEND="init=/proc/boot/ustress".
 *
 * Free frames: no kernel call reports the free frame count yet, so this
 * program does not compare them itself.  The kernel does when init (this
 * program) exits: "user space ended with no frame leaked", or a LEAK line
 * and exit status 98, which fails the boot.  Here every process must die,
 * its death pulse must arrive, its pid must be gone (ProcDestroy and
 * ConnectAttach give ESRCH) and all threads it created must have ended
 * before it reported.
 */
#include <stdbool.h>
#include "rt.h"
#include <abi/neutrino.h>
#include <abi/procmgr.h>

#define KC(name, a, b, c, d, e, f)						\
	__kercall(__KER_##name, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* Injected faults (ustress_*.c wrappers), to prove the checks fire. */
enum { INJ_NONE, INJ_CORRUPT, INJ_LOSE };

#ifndef USTRESS_SECONDS
#define USTRESS_SECONDS	4		/* length of the load phase */
#endif
#ifndef USTRESS_SEED
#define USTRESS_SEED	0		/* 0: take one from the time CSR */
#endif
#ifndef USTRESS_INJECT
#define USTRESS_INJECT	INJ_NONE
#endif
#ifndef USTRESS_PATH
#define USTRESS_PATH	"/proc/boot/ustress"	/* where our copies come from */
#endif

#define N_SERVERS	3	/* server processes alive at once */
#define N_CLIENTS	3	/* persistent client processes */
#define N_EPHEMERAL	2	/* short-lived client processes alive at once */
#define SRV_THREADS	3	/* receiving threads per server */
#define CLI_THREADS	4	/* persistent workers per client */
#define EPH_THREADS	2	/* workers per ephemeral client */
#define MAX_SLOTS	8	/* thread slots (stack + two buffers) per process */
#define STACK_SIZE	16384
#define PAYLOAD_MAX	16384	/* request and reply payloads: 0 .. 4 pages */
#define LATE_NS		2000000000UL	/* woken this long after a deadline: a violation
					   (the kernel stress test's STRESS_LATE_MS) */
#define EARLY_NS	1000UL	/* a time-out this much before its deadline: a violation */
#define MAX_PAIRS	1024	/* ledger entries per process */
#define MAX_CONNS	16	/* cached connections per worker */
#define MAX_DIR		16	/* servers in the directory */
#define MAX_CHILDREN	256	/* processes one run may spawn */
#define MAX_RPAIRS	16384	/* ledger entries the coordinator keeps */
#define KILL_STATUS	75	/* ProcDestroy status of the killer's victims */
#define VIOL_STATUS	3	/* exit status of a process that saw a violation */
#define SRV_PRIO	12	/* servers' own priority */
#define CLI_PRIO_LO	9	/* clients pick priorities in [LO, HI] */
#define CLI_PRIO_HI	14
#define CO_PRIO		40	/* the coordinator's main thread */
#define KILLER_PRIO	20

#define CTL_CHID	1	/* the coordinator's request channel */
#define DEATH_CHID	2	/* the coordinator's ProcNotify channel */

enum { ROLE_TOP, ROLE_SERVER, ROLE_CLIENT, ROLE_EPHEMERAL, ROLE_KILLER, ROLE_N };
static const char *const role_names[ROLE_N] = {
	"coordinator", "server", "client", "ephemeral", "killer",
};

/* Pulse codes (user codes, 0..127). */
#define CODE_STOP	1	/* coordinator -> child: end the load */
#define CODE_DIR	2	/* coordinator -> client: the server directory changed */
#define CODE_HB		3	/* worker -> coordinator: value = operations done */
#define CODE_VIOL	4	/* child -> coordinator: value = pid << 32 | invariant */
#define CODE_DATA0	10	/* client -> server: 10..99, a function of the value */

/* ---- invariants ---------------------------------------------------------- */

enum {
	V_REPLY_CHECKSUM, V_REPLY_MISROUTED, V_REPLY_STATUS, V_REPLY_OVERFLOW,
	V_MSG_CHECKSUM, V_MSG_HEADER, V_MSG_DUP, V_MSG_COUNT, V_PULSE, V_PULSE_COUNT,
	V_DEADLINE, V_ERRNO, V_PRIO, V_HANG, V_CHILD, V_SPURIOUS_GONE, V_REAP, V_LEAK,
	V_N
};
static const char *const inv_names[V_N] = {
	[V_REPLY_CHECKSUM] = "reply-checksum",	/* reply payload or its checksum wrong */
	[V_REPLY_MISROUTED] = "reply-misrouted", /* a reply for another client/message/server */
	[V_REPLY_STATUS] = "reply-status",	/* MsgSend returned the wrong status */
	[V_REPLY_OVERFLOW] = "reply-overflow",	/* bytes written past the reply buffer */
	[V_MSG_CHECKSUM] = "message-checksum",	/* a request's payload arrived damaged */
	[V_MSG_HEADER] = "message-header",	/* header, _msg_info or MsgRead/Write counts wrong */
	[V_MSG_DUP] = "message-duplicated",	/* a request arrived twice */
	[V_MSG_COUNT] = "message-count",	/* ledgers of a client and a server disagree */
	[V_PULSE] = "pulse-corrupt",		/* a pulse's code and value do not match */
	[V_PULSE_COUNT] = "pulse-count",	/* pulses sent != pulses received */
	[V_DEADLINE] = "deadline",		/* woken grossly late, or before the deadline */
	[V_ERRNO] = "unexpected-error",		/* a call failed in a way it must not */
	[V_PRIO] = "priority",			/* inherited or set priority not as expected */
	[V_HANG] = "hang",			/* a process or thread did not finish in time */
	[V_CHILD] = "child-status",		/* a process ended with an unexpected status */
	[V_SPURIOUS_GONE] = "spurious-esrch",	/* ESRCH/EBADF from a server that lived on */
	[V_REAP] = "not-reaped",		/* a dead process still answers */
	[V_LEAK] = "thread-leak",		/* threads created != threads ended */
};

/* ---- counters: every process keeps them, the coordinator sums per role ---- */

enum {
	C_SEND, C_SEND_KB, C_REPLY_KB, C_NULL, C_RECV, C_MSGREAD, C_MSGWRITE, C_REPLYV,
	C_PULSE_TX, C_PULSE_RX, C_UNBLOCK, C_ERRREPLY, C_HANDOFF, C_DISCONNECT,
	C_THR_CREATE, C_THR_EXIT, C_PRIO_SELF, C_PRIO_OTHER, C_SLEEP, C_FUTEX_WAIT,
	C_FUTEX_WAKE, C_FUTEX_TMO, C_RECV_TMO, C_SPAWN, C_KILL, C_DEATH, C_REQUEST,
	C_PRIO_CHECK,
	C_E_TIMEDOUT, C_E_INTR, C_E_SRCH, C_E_BADF, C_E_ATTACH, C_E_AGAIN, C_GONE,
	C_UNBLOCK_LATE, C_KILL_ESRCH, C_THR_AGAIN, C_PRIO_UNSUP,
	C_N
};
static const char *const cnt_names[C_N] = {
	"send", "send-kb", "reply-kb", "null-send", "receive", "msgread", "msgwrite",
	"replyv", "pulse-tx", "pulse-rx", "unblock", "error-reply", "handoff", "disconnect",
	"thr-create", "thr-exit", "prio-self", "prio-other", "nanosleep", "futex-wait",
	"futex-wake", "futex-tmo", "recv-tmo", "spawn", "kill", "death", "ctl-request",
	"prio-checked",
	"E:timedout", "E:intr", "E:srch", "E:badf", "E:attach", "E:again", "E:xact-gone",
	"E:unblk-late", "E:kill-srch", "E:thr-again", "E:prio-unsup",
};

/* Maxima, in microseconds. */
enum { M_RTT, M_LATE_SEND, M_LATE_RECV, M_LATE_SLEEP, M_LATE_FUTEX, M_N };
static const char *const max_names[M_N] = {
	"rtt-us", "late-send-us", "late-recv-us", "late-sleep-us", "late-futex-us",
};

struct counters {
	uint64_t	k_cnt[C_N];
	uint64_t	k_max[M_N];
};

/* ---- the protocol ---------------------------------------------------------- */

#define REQ_MAGIC	0x51455255u	/* "UREQ" */
#define REP_MAGIC	0x50455255u	/* "UREP" */
#define F_WANT_ERROR	0x1	/* answer with MsgError(ENOMSG) */
#define F_PRIO_CHECK	0x2	/* nobody else changes our priority: check inheritance */

/* A request: this header, then len payload bytes. */
struct req_hdr {
	uint32_t	rq_magic;
	uint32_t	rq_flags;	/* F_* */
	int32_t		rq_cpid, rq_ctid;	/* the sender */
	int32_t		rq_spid;	/* the server it is meant for */
	int32_t		rq_prio;	/* the sender's priority when it sent */
	uint64_t	rq_seq;		/* the sender thread's sequence number */
	uint32_t	rq_len;		/* payload bytes */
	uint32_t	rq_rlen;	/* reply payload bytes wanted */
	uint32_t	rq_rcap;	/* reply payload room the client has (may be < rlen) */
	uint32_t	rq_pad;
	uint64_t	rq_nonce;	/* seeds the payload bytes */
	uint64_t	rq_csum;	/* checksum of the payload */
};

/* A reply: this header, then rp_len payload bytes (truncated to the room). */
struct rep_hdr {
	uint32_t	rp_magic;
	uint32_t	rp_len;
	int32_t		rp_cpid, rp_ctid;	/* echoed */
	int32_t		rp_spid, rp_stid;	/* who answered */
	uint64_t	rp_seq;		/* echoed */
	uint64_t	rp_csum;	/* checksum of the whole reply payload */
};

/* One line of a ledger: what passed between a client thread and a server. */
struct pair {
	int32_t		p_cpid, p_ctid, p_spid;
	uint32_t	p_msgs;		/* server: received; client: replied or EINTR (delivered) */
	uint32_t	p_maybe;	/* client: time-outs (delivered or not, without UNBLOCK) */
	uint32_t	p_gone;		/* client: ESRCH/EBADF from this server */
	uint32_t	p_pulses;	/* client: sent; server: received */
	uint32_t	p_flags;	/* client: the server's channel flags */
	uint64_t	p_maxseq;	/* server: highest sequence number seen */
	uint64_t	p_window;	/* server: bit d = p_maxseq - d seen */
};

/* Requests to the coordinator (CTL_CHID). */
enum { CT_HELLO = 1, CT_DIR, CT_VICTIM, CT_REPORT };

struct ctl_req {
	uint32_t	cq_type;	/* CT_* */
	int32_t		cq_serial, cq_role;
	int32_t		cq_chid, cq_chflags;	/* HELLO: the child's channel */
	int32_t		cq_last_pid, cq_last_rc;	/* VICTIM: the previous kill */
	uint32_t	cq_npairs;	/* REPORT: ledger lines after the report */
	uint32_t	cq_viol;	/* REPORT: violations seen */
	uint32_t	cq_complete;	/* REPORT: the ledger is complete */
	struct counters	cq_cnt;		/* REPORT */
};

struct ctl_rep {
	int32_t		cr_pid;		/* HELLO: your pid; VICTIM: the victim (0: none) */
	int32_t		cr_stop;	/* stop now */
	uint64_t	cr_seed;
	uint32_t	cr_gen;		/* directory generation */
	int32_t		cr_n;		/* servers in the directory */
	int32_t		cr_spid[MAX_DIR];
	uint32_t	cr_sflags[MAX_DIR];	/* their channel flags */
};

/* ---- small helpers ---------------------------------------------------------- */

static uint64_t
now_ns(void)
{
	uint64_t t = 0;

	KC(ClockTime, CLOCK_MONOTONIC, 0, &t, 0, 0, 0);
	return t;
}

static uint64_t
rdtime(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, time" : "=r"(v));
	return v;
}

/* splitmix64's finaliser: spreads seeds. */
static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9UL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t	r_s;
};

static uint64_t
rnd(struct rng *r)
{
	uint64_t x = r->r_s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->r_s = x;
	return x * 0x2545f4914f6cdd1dUL;
}

/* Uniform in [0, n). */
static uint32_t
below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * n) >> 32);
}

static uint32_t
range(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + below(r, hi - lo + 1);
}

static void
rng_seed(struct rng *r, uint64_t s)
{
	r->r_s = mix64(s) | 1;
}

/* The payload bytes of a request: a stream seeded by nonce. */
static void
fill(uint8_t *p, uint32_t n, uint64_t nonce)
{
	uint64_t x = nonce | 1;

	for (uint32_t i = 0; i < n; i += 8) {
		uint64_t v;

		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		v = x * 0x2545f4914f6cdd1dUL;
		for (uint32_t k = 0; k < 8 && i + k < n; k++)
			p[i + k] = (uint8_t)(v >> (8 * k));
	}
}

/* FNV-1a, 64 bits. */
static uint64_t
csum(const uint8_t *p, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325UL;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3UL;
	return h;
}

/* Reply byte i: the request echoed (cyclically) and transformed by key. */
static uint8_t
xform(const uint8_t *req, uint32_t len, uint32_t j, uint64_t key, uint32_t i)
{
	return (uint8_t)((len ? req[j] : 0x5a) ^ (uint8_t)(key >> ((i & 7) * 8)) ^ (uint8_t)(i >> 3));
}

static void
make_reply(uint8_t *out, uint32_t rlen, const uint8_t *req, uint32_t len, uint64_t key)
{
	for (uint32_t i = 0, j = 0; i < rlen; i++) {
		out[i] = xform(req, len, j, key, i);
		if (++j == len)
			j = 0;
	}
}

/* The first byte of got[0, n) that is not the reply make_reply builds, or -1. */
static long
check_reply(const uint8_t *got, uint32_t n, const uint8_t *req, uint32_t len, uint64_t key)
{
	for (uint32_t i = 0, j = 0; i < n; i++) {
		if (got[i] != xform(req, len, j, key, i))
			return i;
		if (++j == len)
			j = 0;
	}
	return -1;
}

static uint64_t
reply_key(uint64_t seq, int spid, int cpid)
{
	return mix64(seq * 31 + (uint64_t)spid * 0x10001 + (uint64_t)cpid);
}

/* The status of a reply to seq, and of a 0-byte message from (pid, tid). */
static long
reply_status(uint64_t seq)
{
	return (long)(mix64(seq) & 0x3fffffff);
}

static long
null_status(int pid, int tid)
{
	return (long)(mix64((uint64_t)pid << 32 | (uint32_t)tid) & 0x3fffffff);
}

/* A client pulse's code follows from its value, so damage shows. */
static int
pulse_code(uint64_t value)
{
	return CODE_DATA0 + (int)(mix64(value) % 90);
}

static void
cnt_add(struct counters *k, int which, uint64_t n)
{
	__atomic_fetch_add(&k->k_cnt[which], n, __ATOMIC_RELAXED);
}

static void
max_ns(struct counters *k, int which, uint64_t ns)
{
	uint64_t us = ns / 1000, old = __atomic_load_n(&k->k_max[which], __ATOMIC_RELAXED);

	while (us > old && !__atomic_compare_exchange_n(&k->k_max[which], &old, us, false,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* ---- the per-process state ------------------------------------------------ */

struct slot {
	uint8_t		s_stack[STACK_SIZE];
	uint8_t		s_a[sizeof(struct req_hdr) + PAYLOAD_MAX + 64];
	uint8_t		s_b[sizeof(struct rep_hdr) + PAYLOAD_MAX + 64];
} __attribute__((aligned(16)));		/* every stack top 16-byte aligned */

struct conn {
	int32_t		cn_spid;	/* 0: unused */
	long		cn_coid;
};

/* A thread in a slot.  Owned by that thread, except w_tid (set by its creator). */
struct worker {
	int		w_idx;		/* its slot */
	uint32_t	w_tid;		/* futex word: 0 until the creator stores the tid */
	struct rng	w_rng;
	long		w_budget;	/* operations left, -1: until stop */
	uint64_t	w_seq;		/* last request sequence number */
	uint32_t	w_pseq;		/* last pulse sequence number */
	uint32_t	w_ops;		/* operations since the last heartbeat */
	const char	*w_doing;	/* what it blocks in (for a hang report) */
	uint64_t	w_since;	/* since when (ns) */
	int		w_peer;		/* server pid it talks to */
	struct conn	w_conns[MAX_CONNS];
	/* A handed-off transaction (server helpers). */
	long		w_rcvid;
	struct _msg_info w_mi;
	uint32_t	w_rbytes;
};

static struct {
	int		role, serial, pid, coord_pid;
	long		coord_coid;	/* side connection to the coordinator */
	long		chid;		/* our channel: service (server) or control (client) */
	long		self_coid;	/* server: to our own channel */
	uint32_t	chflags;
	uint64_t	seed;
	volatile uint32_t stop;		/* the load is over */
	volatile uint32_t live;		/* worker threads alive (futex word) */
	volatile uint32_t busy[MAX_SLOTS];	/* slot taken (futex words) */
	uint32_t	nthreads;	/* threads ever created here */
	uint32_t	viol;		/* violations seen here */
	bool		prio_other;	/* SchedSet works on other threads */
	bool		injected;
	int		inject_count;
	volatile uint32_t dir_lock;
	struct ctl_rep	dir;		/* the server directory (dir_lock) */
	volatile uint32_t pair_lock;
	struct pair	pairs[MAX_PAIRS];	/* the ledger (pair_lock) */
	uint32_t	npairs;
	bool		pairs_full;
	struct counters	k;
} me;

static struct slot slots[MAX_SLOTS] __attribute__((aligned(4096)));
static struct worker workers[MAX_SLOTS];

/* ---- locks: a futex mutex (0 free, 1 taken, 2 taken with waiters) ---------- */

static void
lock(volatile uint32_t *m)
{
	uint32_t c = 0;

	if (__atomic_compare_exchange_n(m, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		cnt_add(&me.k, C_FUTEX_WAIT, 1);
		KC(FutexWait, m, 2, 0, 0, 0, 0);
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	}
}

static void
unlock(volatile uint32_t *m)
{
	if (__atomic_exchange_n(m, 0, __ATOMIC_RELEASE) == 2) {
		cnt_add(&me.k, C_FUTEX_WAKE, 1);
		KC(FutexWake, m, 1, 0, 0, 0, 0);
	}
}

/* ---- violations ------------------------------------------------------------ */

static void co_note(int inv, int pid);

static void
violation(int inv, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	rt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (__atomic_fetch_add(&me.viol, 1, __ATOMIC_RELAXED) < 10)	/* no floods */
		rt_printf("ustress: VIOLATION %s: %s %d: %s\n", inv_names[inv], role_names[me.role],
		    me.pid, msg);
	if (me.role == ROLE_TOP)
		co_note(inv, me.pid);
	if (me.role != ROLE_TOP && me.coord_coid > 0) {
		for (int i = 0; i < 100; i++) {
			long rc = KC(MsgSendPulse, me.coord_coid, 60, CODE_VIOL,
			    (uint64_t)(uint32_t)me.pid << 32 | (uint32_t)inv, 0, 0);
			uint64_t t = 1000000;

			if (rc != -EAGAIN)
				break;
			KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, &t, 0, 0);
		}
	}
}

/*
 * Arm a time-out for the next call (TimerTimeout, SIGEV_UNBLOCK); t NULL:
 * an immediate one.  Nothing may come between this and the call.
 */
static void
arm(uint32_t flags, const uint64_t *t)
{
	long rc = KC(TimerTimeout, CLOCK_MONOTONIC, flags, 0, t, 0, 0);

	if (rc < 0)
		violation(V_ERRNO, "TimerTimeout(%x) returned %ld", flags, rc);
}

/* A blocking call that was meant to end at deadline ended at t. */
static void
check_lateness(int which, const char *what, uint64_t deadline, uint64_t t)
{
	if (t + EARLY_NS < deadline) {
		violation(V_DEADLINE, "%s timed out %lu ns before its deadline", what,
		    (unsigned long)(deadline - t));
		return;
	}
	if (t <= deadline)
		return;
	max_ns(&me.k, which, t - deadline);
	if (t - deadline > LATE_NS)
		violation(V_DEADLINE, "%s ended %lu us after its deadline", what,
		    (unsigned long)((t - deadline) / 1000));
}

/* ---- threads ------------------------------------------------------------------ */

/* Claim a free slot from first on: its index, or -1. */
static int
slot_claim(int first)
{
	for (int i = first; i < MAX_SLOTS; i++) {
		uint32_t zero = 0;

		if (__atomic_compare_exchange_n(&me.busy[i], &zero, 1, false, __ATOMIC_ACQUIRE,
		    __ATOMIC_RELAXED))
			return i;
	}
	return -1;
}

/* Prepare the worker of claimed slot idx with budget (-1: until stop). */
static struct worker *
worker_init(int idx, long budget)
{
	struct worker *w = &workers[idx];

	memset(w, 0, sizeof(*w));
	w->w_idx = idx;
	w->w_budget = budget;
	rng_seed(&w->w_rng, me.seed ^ (uint64_t)me.serial << 40 ^ (uint64_t)me.nthreads << 8 ^
	    (uint64_t)idx);
	me.nthreads++;
	return w;
}

/*
 * Start fn in slot idx (worker_init done) at priority pri (0: ours).
 * Returns the tid, or a negative errno (the slot is freed).
 */
static long
thread_start(int idx, void (*fn)(void *), int pri)
{
	struct worker *w = &workers[idx];
	long tid;

	__atomic_fetch_add(&me.live, 1, __ATOMIC_ACQ_REL);
	tid = rt_thread_create(fn, w, slots[idx].s_stack, STACK_SIZE, pri);
	if (tid < 0) {
		__atomic_fetch_sub(&me.live, 1, __ATOMIC_ACQ_REL);
		__atomic_store_n(&me.busy[idx], 0, __ATOMIC_RELEASE);
		cnt_add(&me.k, C_THR_AGAIN, 1);
		return tid;
	}
	cnt_add(&me.k, C_THR_CREATE, 1);
	__atomic_store_n(&w->w_tid, (uint32_t)tid, __ATOMIC_RELEASE);
	KC(FutexWake, &w->w_tid, 1, 0, 0, 0, 0);
	return tid;
}

/* In a new thread: wait until the creator has stored our tid. */
static void
thread_begin(struct worker *w)
{
	while (__atomic_load_n(&w->w_tid, __ATOMIC_ACQUIRE) == 0)
		KC(FutexWait, &w->w_tid, 0, 0, 0, 0, 0);
}

/*
 * End the calling worker: count it, then free its slot and end the thread
 * in one stretch of code that no longer touches the stack (the slot's next
 * owner may reuse it at once): store 0, FutexWake the slot word, ThreadDestroy.
 */
static __attribute__((noreturn)) void
thread_end(struct worker *w)
{
	volatile uint32_t *word = &me.busy[w->w_idx];

	cnt_add(&me.k, C_THR_EXIT, 1);
	if (__atomic_sub_fetch(&me.live, 1, __ATOMIC_ACQ_REL) == 0)
		KC(FutexWake, &me.live, 100, 0, 0, 0, 0);
	__asm__ __volatile__(
	    "fence	rw, w\n\t"
	    "sw		zero, 0(%0)\n\t"
	    "mv		a0, %0\n\t"
	    "li		a1, 1\n\t"
	    "li		a7, %1\n\t"
	    "ecall\n\t"
	    "li		a0, 0\n\t"
	    "li		a1, -1\n\t"
	    "li		a2, 0\n\t"
	    "li		a7, %2\n\t"
	    "ecall\n"
	    "1:	j	1b"
	    : : "r"(word), "i"(__KER_FutexWake), "i"(__KER_ThreadDestroy)
	    : "a0", "a1", "a2", "a7", "memory");
	__builtin_unreachable();
}

/* Sleep ns (NANOSLEEP), checking when it ends. */
static void
nap(uint64_t ns)
{
	uint64_t t0 = now_ns();
	long rc = KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, &ns, 0, 0);

	cnt_add(&me.k, C_SLEEP, 1);
	if (rc != -ETIMEDOUT)
		violation(V_ERRNO, "NANOSLEEP returned %ld", rc);
	else
		check_lateness(M_LATE_SLEEP, "NANOSLEEP", t0 + ns, now_ns());
}

/*
 * Wait until *word != val or ns passed (FutexWait with a time-out).
 * Returns FutexWait's result.
 */
static long
futex_wait_for(volatile uint32_t *word, uint32_t val, uint64_t ns)
{
	uint64_t dl = now_ns() + ns;
	long rc;

	arm(_NTO_TIMEOUT_MUTEX | TIMER_ABSTIME, &dl);
	rc = KC(FutexWait, word, val, 0, 0, 0, 0);
	cnt_add(&me.k, C_FUTEX_WAIT, 1);
	if (rc == -ETIMEDOUT) {
		cnt_add(&me.k, C_FUTEX_TMO, 1);
		check_lateness(M_LATE_FUTEX, "FutexWait", dl, now_ns());
	} else if (rc != 0 && rc != -EAGAIN) {
		violation(V_ERRNO, "FutexWait returned %ld", rc);
	}
	return rc;
}

static void
set_doing(struct worker *w, const char *what)
{
	w->w_doing = what;
	w->w_since = what ? now_ns() : 0;
}

/* Wait until every worker ended; after limit_ns, report those still there. */
static void
wait_workers(uint64_t limit_ns)
{
	uint64_t t0 = now_ns();
	uint32_t n;

	while ((n = __atomic_load_n(&me.live, __ATOMIC_ACQUIRE)) != 0) {
		futex_wait_for(&me.live, n, 50000000);
		if (now_ns() - t0 > limit_ns) {
			for (int i = 0; i < MAX_SLOTS; i++) {
				struct worker *w = &workers[i];

				if (me.busy[i] && w->w_doing)
					violation(V_HANG, "tid %u still in %s for %lu ms (seq %lu, peer %d)",
					    w->w_tid, w->w_doing,
					    (unsigned long)((now_ns() - w->w_since) / 1000000),
					    (unsigned long)w->w_seq, w->w_peer);
			}
			violation(V_HANG, "%u threads did not end within %lu ms", n,
			    (unsigned long)(limit_ns / 1000000));
			return;
		}
	}
}

/* ---- the ledger ------------------------------------------------------------ */

/* The ledger line of (cpid, ctid, spid), made if new; NULL if full.  pair_lock held. */
static struct pair *
pair_get(int cpid, int ctid, int spid)
{
	uint32_t h = (uint32_t)mix64((uint64_t)(uint32_t)cpid << 32 ^ (uint64_t)(uint32_t)ctid << 12 ^
	    (uint32_t)spid) % MAX_PAIRS;

	for (uint32_t n = 0; n < MAX_PAIRS; n++, h = (h + 1) % MAX_PAIRS) {
		struct pair *p = &me.pairs[h];

		if (p->p_cpid == cpid && p->p_ctid == ctid && p->p_spid == spid)
			return p;
		if (p->p_cpid == 0) {
			if (me.npairs >= MAX_PAIRS * 3 / 4)
				break;
			memset(p, 0, sizeof(*p));
			p->p_cpid = cpid;
			p->p_ctid = ctid;
			p->p_spid = spid;
			me.npairs++;
			return p;
		}
	}
	me.pairs_full = true;
	return NULL;
}

/* Client: account one outcome towards server spid. */
enum { L_MSG, L_MAYBE, L_GONE, L_PULSE };

static void
ledger(struct worker *w, int spid, uint32_t sflags, int what)
{
	struct pair *p;

	lock(&me.pair_lock);
	p = pair_get(me.pid, (int)w->w_tid, spid);
	if (p) {
		p->p_flags = sflags;
		if (what == L_MSG)
			p->p_msgs++;
		else if (what == L_MAYBE)
			p->p_maybe++;
		else if (what == L_GONE)
			p->p_gone++;
		else
			p->p_pulses++;
	}
	unlock(&me.pair_lock);
}

/* ---- talking to the coordinator ------------------------------------------- */

static long
ctl_call(struct ctl_req *q, struct ctl_rep *r)
{
	long rc;

	cnt_add(&me.k, C_REQUEST, 1);
	rc = KC(MsgSend, me.coord_coid, q, sizeof(*q), r, sizeof(*r), 0);
	if (rc < 0)
		violation(V_ERRNO, "request %u to the coordinator failed: %ld", q->cq_type, rc);
	return rc;
}

/* Heartbeat: tell the coordinator how many operations a worker did. */
static void
heartbeat(struct worker *w)
{
	if (++w->w_ops < 32)
		return;
	if (KC(MsgSendPulse, me.coord_coid, -1, CODE_HB, w->w_ops, 0, 0) == 0)
		w->w_ops = 0;
}

/* Send our counters and ledger to the coordinator (the end of a child). */
static void
report(void)
{
	static struct ctl_req q;
	static struct pair out[MAX_PAIRS];
	struct ctl_rep r;
	iov_t iov[2];
	uint32_t n = 0;

	lock(&me.pair_lock);
	for (int i = 0; i < MAX_PAIRS; i++)
		if (me.pairs[i].p_cpid)
			out[n++] = me.pairs[i];
	q.cq_complete = !me.pairs_full;
	unlock(&me.pair_lock);
	q.cq_type = CT_REPORT;
	q.cq_serial = me.serial;
	q.cq_role = me.role;
	q.cq_npairs = n;
	q.cq_viol = me.viol;
	q.cq_cnt = me.k;
	SETIOV(&iov[0], &q, sizeof(q));
	SETIOV(&iov[1], out, n * sizeof(struct pair));
	cnt_add(&me.k, C_REQUEST, 1);
	if (KC(MsgSendvs, me.coord_coid, iov, 2, &r, sizeof(r), 0) < 0)
		violation(V_ERRNO, "report to the coordinator failed");
}

/* Connect to the coordinator and register; fills me.pid and the directory. */
static int
hello(void)
{
	struct ctl_req q;

	me.coord_coid = KC(ConnectAttach, 0, me.coord_pid, CTL_CHID, _NTO_SIDE_CHANNEL, 0, 0);
	if (me.coord_coid < 0) {
		rt_printf("ustress: %s: cannot reach the coordinator (%ld)\n", role_names[me.role],
		    me.coord_coid);
		return -1;
	}
	memset(&q, 0, sizeof(q));
	q.cq_type = CT_HELLO;
	q.cq_serial = me.serial;
	q.cq_role = me.role;
	q.cq_chid = (int32_t)me.chid;
	q.cq_chflags = (int32_t)me.chflags;
	if (ctl_call(&q, &me.dir) < 0)
		return -1;
	me.pid = me.dir.cr_pid;
	me.seed = me.dir.cr_seed;
	if (me.dir.cr_stop)
		me.stop = 1;
	return 0;
}

/* ---- server ------------------------------------------------------------------ */

/* Account a request from (pid, tid); with a sequence number, catch duplicates. */
static void
srv_record(const struct _msg_info *mi, bool has_seq, uint64_t seq)
{
	struct pair *p;
	bool dup = false;

	lock(&me.pair_lock);
	p = pair_get(mi->pid, mi->tid, me.pid);
	if (USTRESS_INJECT == INJ_LOSE && p && has_seq && p->p_maxseq == 0) {
		p->p_maxseq = seq;	/* "lose" each sender's first message from the ledger */
		unlock(&me.pair_lock);
		return;
	}
	if (p && has_seq) {
		if (seq > p->p_maxseq) {
			uint64_t d = seq - p->p_maxseq;

			p->p_window = d >= 64 ? 1 : (p->p_window << d) | 1;
			p->p_maxseq = seq;
		} else if (p->p_maxseq - seq < 64) {
			uint64_t bit = 1UL << (p->p_maxseq - seq);

			dup = (p->p_window & bit) != 0;
			p->p_window |= bit;
		}
	}
	if (p)
		p->p_msgs++;
	unlock(&me.pair_lock);
	if (dup)
		violation(V_MSG_DUP, "request seq %lu from pid %d tid %d arrived twice",
		    (unsigned long)seq, mi->pid, mi->tid);
}

/* A call on a transaction failed: the client left (ESRCH) or something is wrong. */
static bool
xact_gone(long rc, const char *what, long rcvid)
{
	if (rc == -ESRCH) {
		cnt_add(&me.k, C_GONE, 1);
		return true;
	}
	violation(V_ERRNO, "%s(rcvid %lx) returned %ld", what, (unsigned long)rcvid, rc);
	return true;
}

/* Check the sender's identity, the lengths and our priority against the header. */
static bool
srv_check_header(bool received_here, const struct req_hdr *h, const struct _msg_info *mi,
    uint32_t rbytes)
{
	struct sched_param sp;
	int64_t total = (int64_t)sizeof(*h) + h->rq_len;

	if (h->rq_magic != REQ_MAGIC || h->rq_cpid != mi->pid || h->rq_ctid != mi->tid ||
	    h->rq_spid != me.pid || h->rq_len > PAYLOAD_MAX || h->rq_rlen > PAYLOAD_MAX) {
		violation(V_MSG_HEADER, "request from pid %d tid %d: magic %x cpid %d ctid %d "
		    "spid %d len %u", mi->pid, mi->tid, h->rq_magic, h->rq_cpid, h->rq_ctid,
		    h->rq_spid, h->rq_len);
		return false;
	}
	if (mi->srcmsglen != total || mi->msglen != (total < rbytes ? total : rbytes) ||
	    mi->dstmsglen != (int64_t)(sizeof(struct rep_hdr) + h->rq_rcap)) {
		violation(V_MSG_HEADER, "seq %lu from pid %d: msglen %ld srcmsglen %ld dstmsglen %ld, "
		    "expected %ld/%ld/%ld", (unsigned long)h->rq_seq, mi->pid, (long)mi->msglen,
		    (long)mi->srcmsglen, (long)mi->dstmsglen, (long)(total < rbytes ? total : rbytes),
		    (long)total, (long)(sizeof(struct rep_hdr) + h->rq_rcap));
		return false;
	}
	memset(&sp, 0, sizeof(sp));
	KC(SchedGet, 0, 0, &sp, 0, 0, 0);
	if (me.chflags & _NTO_CHF_FIXED_PRIORITY) {
		if (sp.sched_curpriority != SRV_PRIO)
			violation(V_PRIO, "FIXED_PRIORITY receiver runs at %d, not %d",
			    sp.sched_curpriority, SRV_PRIO);
	} else if (received_here && sp.sched_curpriority < mi->priority) {
		/* At least the client's: more if a higher client queued meanwhile (boost). */
		violation(V_PRIO, "receiver runs at %d, below the client's priority %d",
		    sp.sched_curpriority, mi->priority);
	} else if ((h->rq_flags & F_PRIO_CHECK) && mi->priority != h->rq_prio) {
		violation(V_PRIO, "seq %lu: _msg_info priority %d, the client sent at %d",
		    (unsigned long)h->rq_seq, mi->priority, h->rq_prio);
	} else {
		cnt_add(&me.k, C_PRIO_CHECK, 1);
	}
	return true;
}

/* Read the rest of the payload (the part past rbytes) in random pieces. */
static bool
srv_read(struct worker *w, long rcvid, const struct req_hdr *h, uint8_t *pay, uint32_t got)
{
	while (got < h->rq_len) {
		uint32_t n = range(&w->w_rng, 1, 6000), want = h->rq_len - got;
		long rc;

		if (below(&w->w_rng, 4) == 0 && n > 1) {
			iov_t iov[2];

			SETIOV(&iov[0], pay + got, n / 2);
			SETIOV(&iov[1], pay + got + n / 2, n - n / 2);
			rc = KC(MsgReadv, rcvid, iov, 2, sizeof(*h) + got, 0, 0);
		} else {
			rc = KC(MsgRead, rcvid, pay + got, n, sizeof(*h) + got, 0, 0);
		}
		cnt_add(&me.k, C_MSGREAD, 1);
		if (rc < 0)
			return !xact_gone(rc, "MsgRead", rcvid);
		if ((uint32_t)rc != (n < want ? n : want)) {
			violation(V_MSG_HEADER, "MsgRead at %u of %u: %ld bytes, expected %u",
			    got, h->rq_len, rc, n < want ? n : want);
			return false;
		}
		got += (uint32_t)rc;
	}
	if (below(&w->w_rng, 8) == 0) {		/* read the header again */
		struct req_hdr again;
		long rc = KC(MsgRead, rcvid, &again, sizeof(again), 0, 0, 0);

		cnt_add(&me.k, C_MSGREAD, 1);
		if (rc < 0)
			return !xact_gone(rc, "MsgRead", rcvid);
		if (rc != sizeof(again) || memcmp(&again, h, sizeof(again)) != 0) {
			violation(V_MSG_HEADER, "MsgRead of the header again: %ld bytes, %s", rc,
			    rc == sizeof(again) ? "different" : "short");
			return false;
		}
	}
	return true;
}

/* MsgWrite out[0, len) at offset off of the reply, in pieces; false if the client left. */
static bool
srv_write(struct worker *w, long rcvid, const uint8_t *out, uint32_t len, uint32_t off,
    int64_t room)
{
	for (uint32_t done = 0; done < len; ) {
		uint32_t n = range(&w->w_rng, 1, 7000);
		int64_t at = (int64_t)off + done, want;
		long rc;

		if (n > len - done)
			n = len - done;
		want = at >= room ? 0 : (room - at < n ? room - at : n);
		if (below(&w->w_rng, 4) == 0 && n > 1) {
			iov_t iov[2];

			SETIOV(&iov[0], out + done, n / 3);
			SETIOV(&iov[1], out + done + n / 3, n - n / 3);
			rc = KC(MsgWritev, rcvid, iov, 2, at, 0, 0);
		} else {
			rc = KC(MsgWrite, rcvid, out + done, n, at, 0, 0);
		}
		cnt_add(&me.k, C_MSGWRITE, 1);
		if (rc < 0)
			return !xact_gone(rc, "MsgWrite", rcvid);
		if (rc != want) {
			violation(V_MSG_HEADER, "MsgWrite of %u at %ld (room %ld): %ld bytes", n,
			    (long)at, (long)room, rc);
			return false;
		}
		done += n;
	}
	return true;
}

/* Build and send the reply to a verified request. */
static void
srv_reply(struct worker *w, long rcvid, const struct req_hdr *h, const uint8_t *pay,
    uint8_t *out, int64_t room)
{
	struct rep_hdr rh;
	long status = reply_status(h->rq_seq), rc;
	iov_t iov[2];

	make_reply(out, h->rq_rlen, pay, h->rq_len, reply_key(h->rq_seq, me.pid, h->rq_cpid));
	memset(&rh, 0, sizeof(rh));
	rh.rp_magic = REP_MAGIC;
	rh.rp_len = h->rq_rlen;
	rh.rp_cpid = h->rq_cpid;
	rh.rp_ctid = h->rq_ctid;
	rh.rp_spid = me.pid;
	rh.rp_stid = (int32_t)w->w_tid;
	rh.rp_seq = h->rq_seq;
	rh.rp_csum = csum(out, h->rq_rlen);
	if (USTRESS_INJECT == INJ_CORRUPT && h->rq_rlen > 0 && h->rq_rcap >= h->rq_rlen &&
	    me.inject_count < 3) {
		out[h->rq_rlen / 2] ^= 0x10;	/* after the checksum: the client must notice */
		me.inject_count++;
	}
	switch (below(&w->w_rng, 3)) {
	case 0:
		SETIOV(&iov[0], &rh, sizeof(rh));
		SETIOV(&iov[1], out, h->rq_rlen);
		rc = KC(MsgReplyv, rcvid, status, iov, 2, 0, 0);
		cnt_add(&me.k, C_REPLYV, 1);
		break;
	case 1:
		if (!srv_write(w, rcvid, out, h->rq_rlen, sizeof(rh), room))
			return;
		rc = KC(MsgReply, rcvid, status, &rh, sizeof(rh), 0, 0);
		break;
	default:
		if (!srv_write(w, rcvid, (const uint8_t *)&rh, sizeof(rh), 0, room) ||
		    !srv_write(w, rcvid, out, h->rq_rlen, sizeof(rh), room))
			return;
		rc = KC(MsgReply, rcvid, status, 0, 0, 0, 0);
		break;
	}
	if (rc != 0)
		xact_gone(rc, "MsgReply", rcvid);
}

/*
 * Serve one request: rbuf holds the first rbytes-or-fewer bytes received,
 * mi its _msg_info.  The slot's second buffer takes the payload, then rbuf
 * takes the reply.
 */
static void
serve(struct worker *w, long rcvid, const struct _msg_info *mi, uint8_t *rbuf, uint32_t rbytes,
    uint8_t *pay)
{
	struct req_hdr h;
	uint32_t inl;
	long rc;

	cnt_add(&me.k, C_RECV, 1);
	if (mi->srcmsglen == 0) {		/* a 0-byte message: no header, no payload */
		if (mi->msglen != 0)
			violation(V_MSG_HEADER, "0-byte message from pid %d: msglen %ld", mi->pid,
			    (long)mi->msglen);
		srv_record(mi, false, 0);
		cnt_add(&me.k, C_NULL, 1);
		rc = KC(MsgReply, rcvid, null_status(mi->pid, mi->tid), 0, 0, 0, 0);
		if (rc != 0)
			xact_gone(rc, "MsgReply", rcvid);
		return;
	}
	if (mi->msglen < (int64_t)sizeof(h)) {
		violation(V_MSG_HEADER, "message of %ld bytes from pid %d tid %d has no header",
		    (long)mi->srcmsglen, mi->pid, mi->tid);
		KC(MsgError, rcvid, EINVAL, 0, 0, 0, 0);
		return;
	}
	memcpy(&h, rbuf, sizeof(h));
	if (!srv_check_header(w->w_rcvid == 0, &h, mi, rbytes)) {
		KC(MsgError, rcvid, EINVAL, 0, 0, 0, 0);
		return;
	}
	srv_record(mi, true, h.rq_seq);
	inl = (uint32_t)mi->msglen - sizeof(h);
	memcpy(pay, rbuf + sizeof(h), inl);
	if (!srv_read(w, rcvid, &h, pay, inl))
		return;
	if (csum(pay, h.rq_len) != h.rq_csum) {
		violation(V_MSG_CHECKSUM, "seq %lu from pid %d tid %d: %u bytes, checksum %lx, "
		    "header says %lx", (unsigned long)h.rq_seq, mi->pid, mi->tid, h.rq_len,
		    (unsigned long)csum(pay, h.rq_len), (unsigned long)h.rq_csum);
		KC(MsgError, rcvid, EINVAL, 0, 0, 0, 0);
		return;
	}
	if (h.rq_flags & F_WANT_ERROR) {
		cnt_add(&me.k, C_ERRREPLY, 1);
		rc = KC(MsgError, rcvid, ENOMSG, 0, 0, 0, 0);
		if (rc != 0)
			xact_gone(rc, "MsgError", rcvid);
		return;
	}
	srv_reply(w, rcvid, &h, pay, rbuf, mi->dstmsglen);
}

/* A pulse arrived on the service channel. */
static void
srv_pulse(const struct _pulse *p)
{
	uint64_t v = (uint64_t)(uintptr_t)p->value.sival_ptr;
	struct _msg_info mi;
	long rc;

	switch (p->code) {
	case CODE_STOP:
		if (!me.stop) {
			me.stop = 1;
			/* Wake the receivers that wait without a time-out. */
			for (int i = 0; i < SRV_THREADS; i++)
				KC(MsgSendPulse, me.self_coid, 60, CODE_STOP, 0, 0, 0);
		}
		return;
	case _PULSE_CODE_UNBLOCK:
		cnt_add(&me.k, C_UNBLOCK, 1);
		rc = KC(MsgError, p->value.sival_int, EINTR, 0, 0, 0, 0);
		if (rc == -ESRCH)
			cnt_add(&me.k, C_UNBLOCK_LATE, 1);	/* answered meanwhile */
		else if (rc != 0)
			violation(V_ERRNO, "MsgError(EINTR) after an unblock pulse: %ld", rc);
		return;
	case _PULSE_CODE_DISCONNECT:
		cnt_add(&me.k, C_DISCONNECT, 1);
		return;
	}
	if (p->code < CODE_DATA0 || p->code != pulse_code(v)) {
		violation(V_PULSE, "pulse code %d value %lx (scoid %d)", p->code, (unsigned long)v,
		    p->scoid);
		return;
	}
	cnt_add(&me.k, C_PULSE_RX, 1);
	memset(&mi, 0, sizeof(mi));
	lock(&me.pair_lock);
	{
		struct pair *pp = pair_get((int)(v >> 32), (int)((v >> 16) & 0xffff), me.pid);

		if (pp)
			pp->p_pulses++;
	}
	unlock(&me.pair_lock);
}

/* A helper thread: serve one handed-off transaction, then end. */
static void
srv_helper(void *arg)
{
	struct worker *w = arg;
	struct slot *sl = &slots[w->w_idx];

	thread_begin(w);
	cnt_add(&me.k, C_HANDOFF, 1);
	serve(w, w->w_rcvid, &w->w_mi, sl->s_a, w->w_rbytes, sl->s_b);
	thread_end(w);
}

/* Hand the received transaction to a new thread; false if there is no slot. */
static bool
srv_handoff(long rcvid, const struct _msg_info *mi, const uint8_t *rbuf, uint32_t rbytes)
{
	int idx = slot_claim(SRV_THREADS);
	struct worker *hw;

	if (idx < 0)
		return false;
	hw = worker_init(idx, 1);
	hw->w_rcvid = rcvid;
	hw->w_mi = *mi;
	hw->w_rbytes = rbytes;
	memcpy(slots[idx].s_a, rbuf, mi->msglen > 0 ? (size_t)mi->msglen : 0);
	return thread_start(idx, srv_helper, 0) > 0;	/* it inherits our (the client's) priority */
}

static void
srv_receiver(void *arg)
{
	struct worker *w = arg;
	struct slot *sl = &slots[w->w_idx];

	thread_begin(w);
	while (!me.stop) {
		uint32_t rbytes = sizeof(struct req_hdr) + below(&w->w_rng, 1025);
		struct _msg_info mi;
		uint64_t tmo = 0, t0 = 0;
		long rcvid;

		set_doing(w, "MsgReceive");		/* before TimerTimeout: it makes a call */
		if (below(&w->w_rng, 5) != 0) {
			tmo = range(&w->w_rng, 1000, 40000) * 1000UL;
			t0 = now_ns();
			arm(_NTO_TIMEOUT_RECEIVE, &tmo);
		}
		rcvid = KC(MsgReceive, me.chid, sl->s_a, rbytes, &mi, 0, 0);
		set_doing(w, NULL);
		if (rcvid == -ETIMEDOUT && tmo) {
			cnt_add(&me.k, C_RECV_TMO, 1);
			check_lateness(M_LATE_RECV, "MsgReceive", t0 + tmo, now_ns());
			continue;
		}
		if (rcvid < 0) {
			violation(V_ERRNO, "MsgReceive returned %ld", rcvid);
			nap(1000000);
			continue;
		}
		if (rcvid == 0) {
			srv_pulse((const struct _pulse *)sl->s_a);
			continue;
		}
		if (below(&w->w_rng, 10) == 0 && srv_handoff(rcvid, &mi, sl->s_a, rbytes))
			continue;
		set_doing(w, "serve");
		serve(w, rcvid, &mi, sl->s_a, rbytes, sl->s_b);
		set_doing(w, NULL);
	}
	thread_end(w);
}

static int
server_main(void)
{
	uint64_t f = mix64((uint64_t)me.serial * 0x9e3779b97f4a7c15UL);
	struct _pulse p;

	/* The channel's flags vary with the serial number (the seed comes later). */
	me.chflags = _NTO_CHF_SENDER_LEN | _NTO_CHF_REPLY_LEN |
	    ((f & 1) ? _NTO_CHF_UNBLOCK : 0) | ((f & 6) == 2 ? _NTO_CHF_FIXED_PRIORITY : 0) |
	    ((f & 8) ? _NTO_CHF_DISCONNECT : 0);
	me.chid = KC(ChannelCreate, me.chflags, 0, 0, 0, 0, 0);
	me.self_coid = KC(ConnectAttach, 0, 0, me.chid, _NTO_SIDE_CHANNEL, 0, 0);
	if (me.chid != 1 || me.self_coid < 0 || hello() < 0) {
		rt_printf("ustress: server: cannot set up (chid %ld, coid %ld)\n", me.chid, me.self_coid);
		return 2;
	}
	for (int i = 0; i < SRV_THREADS; i++) {
		if (slot_claim(i) != i)
			return 2;
		worker_init(i, -1);
		if (thread_start(i, srv_receiver, SRV_PRIO) < 0)
			violation(V_ERRNO, "cannot start receiver %d", i);
	}
	while (!me.stop)
		futex_wait_for(&me.stop, 0, 100000000);
	wait_workers(5000000000UL);
	for (;;) {				/* the pulses still queued */
		arm(_NTO_TIMEOUT_RECEIVE, NULL);
		if (KC(MsgReceivePulse, me.chid, &p, sizeof(p), 0, 0, 0) != 0)
			break;
		srv_pulse(&p);
	}
	report();
	return me.viol ? VIOL_STATUS : 0;
}

/* ---- client ----------------------------------------------------------------- */

static volatile uint32_t go;	/* workers may start (futex word) */

/* A random server from the directory: its pid (0: none) and channel flags. */
static int
pick_server(struct worker *w, uint32_t *flags)
{
	int pid = 0;

	lock(&me.dir_lock);
	if (me.dir.cr_n > 0) {
		int i = (int)below(&w->w_rng, (uint32_t)me.dir.cr_n);

		pid = me.dir.cr_spid[i];
		*flags = me.dir.cr_sflags[i];
	}
	unlock(&me.dir_lock);
	return pid;
}

static void
refresh_dir(void)
{
	struct ctl_req q;
	struct ctl_rep r;

	memset(&q, 0, sizeof(q));
	q.cq_type = CT_DIR;
	if (ctl_call(&q, &r) < 0)
		return;
	lock(&me.dir_lock);
	if (r.cr_gen >= me.dir.cr_gen)
		me.dir = r;
	unlock(&me.dir_lock);
}

static void
conn_drop(struct worker *w, int spid)
{
	for (int i = 0; i < MAX_CONNS; i++) {
		if (w->w_conns[i].cn_spid != spid)
			continue;
		if (KC(ConnectDetach, w->w_conns[i].cn_coid, 0, 0, 0, 0, 0) != 0)
			violation(V_ERRNO, "ConnectDetach(%ld) failed", w->w_conns[i].cn_coid);
		memmove(&w->w_conns[i], &w->w_conns[i + 1], sizeof(struct conn) * (MAX_CONNS - 1 - i));
		w->w_conns[MAX_CONNS - 1].cn_spid = 0;
		return;
	}
}

/* Our connection to server spid (made if needed), or a negative errno. */
static long
conn_get(struct worker *w, int spid)
{
	struct conn *c;
	long coid;

	for (int i = 0; i < MAX_CONNS; i++)
		if (w->w_conns[i].cn_spid == spid)
			return w->w_conns[i].cn_coid;
	coid = KC(ConnectAttach, 0, spid, 1, 0, 0, 0);
	if (coid < 0)
		return coid;
	if (w->w_conns[MAX_CONNS - 1].cn_spid)		/* full: forget the oldest */
		conn_drop(w, w->w_conns[0].cn_spid);
	for (c = w->w_conns; c->cn_spid; c++)
		;
	c->cn_spid = spid;
	c->cn_coid = coid;
	return coid;
}

/* Payload sizes: mostly small, often a page or more, up to PAYLOAD_MAX. */
static uint32_t
pick_len(struct worker *w)
{
	switch (below(&w->w_rng, 10)) {
	case 0: case 1: case 2: case 3:
		return below(&w->w_rng, 257);
	case 4: case 5: case 6:
		return range(&w->w_rng, 257, 4096);
	default:
		return range(&w->w_rng, 4097, PAYLOAD_MAX);
	}
}

/* Send with one of the four MsgSend forms, splitting the buffers at random. */
static long
send_any(struct worker *w, long coid, uint8_t *sb, uint32_t slen, uint8_t *rb, uint32_t rlen)
{
	iov_t s[3], r[3];
	uint32_t sk = slen > sizeof(struct req_hdr) ? range(&w->w_rng, sizeof(struct req_hdr), slen) : slen;
	uint32_t rk = rlen > sizeof(struct rep_hdr) ? range(&w->w_rng, sizeof(struct rep_hdr), rlen) : rlen;

	SETIOV(&s[0], sb, sizeof(struct req_hdr) < slen ? sizeof(struct req_hdr) : slen);
	SETIOV(&s[1], sb + s[0].iov_len, sk - s[0].iov_len);
	SETIOV(&s[2], sb + sk, slen - sk);
	SETIOV(&r[0], rb, sizeof(struct rep_hdr) < rlen ? sizeof(struct rep_hdr) : rlen);
	SETIOV(&r[1], rb + r[0].iov_len, rk - r[0].iov_len);
	SETIOV(&r[2], rb + rk, rlen - rk);
	switch (below(&w->w_rng, 4)) {
	case 0:
		return KC(MsgSend, coid, sb, slen, rb, rlen, 0);
	case 1:
		return KC(MsgSendv, coid, s, 3, r, 3, 0);
	case 2:
		return KC(MsgSendsv, coid, sb, slen, r, 3, 0);
	default:
		return KC(MsgSendvs, coid, s, 3, rb, rlen, 0);
	}
}

/* Check a reply to the request in the slot's first buffer; true if it is right. */
static bool
cli_check(struct worker *w, long rc, const struct req_hdr *h, int spid)
{
	struct slot *sl = &slots[w->w_idx];
	const struct rep_hdr *rh = (const struct rep_hdr *)sl->s_b;
	const uint8_t *rpay = sl->s_b + sizeof(*rh), *pay = sl->s_a + sizeof(*h);
	uint32_t got = h->rq_rlen < h->rq_rcap ? h->rq_rlen : h->rq_rcap;
	long bad;

	if (rc != reply_status(h->rq_seq)) {
		violation(V_REPLY_STATUS, "seq %lu to pid %d: status %ld, expected %ld",
		    (unsigned long)h->rq_seq, spid, rc, reply_status(h->rq_seq));
		return false;
	}
	if (rh->rp_magic != REP_MAGIC || rh->rp_cpid != me.pid || rh->rp_ctid != (int)w->w_tid ||
	    rh->rp_seq != h->rq_seq || rh->rp_spid != spid || rh->rp_len != h->rq_rlen) {
		violation(V_REPLY_MISROUTED, "tid %u seq %lu to pid %d: reply magic %x for pid %d "
		    "tid %d seq %lu from pid %d, %u bytes", w->w_tid, (unsigned long)h->rq_seq, spid,
		    rh->rp_magic, rh->rp_cpid, rh->rp_ctid, (unsigned long)rh->rp_seq, rh->rp_spid,
		    rh->rp_len);
		return false;
	}
	if (h->rq_rcap >= h->rq_rlen && csum(rpay, h->rq_rlen) != rh->rp_csum) {
		violation(V_REPLY_CHECKSUM, "tid %u seq %lu from pid %d tid %d: %u bytes, payload "
		    "checksum %lx, header says %lx", w->w_tid, (unsigned long)h->rq_seq, spid,
		    rh->rp_stid, h->rq_rlen, (unsigned long)csum(rpay, h->rq_rlen),
		    (unsigned long)rh->rp_csum);
		return false;
	}
	bad = check_reply(rpay, got, pay, h->rq_len, reply_key(h->rq_seq, spid, me.pid));
	if (bad >= 0) {
		violation(V_REPLY_CHECKSUM, "tid %u seq %lu from pid %d: reply byte %ld of %u wrong",
		    w->w_tid, (unsigned long)h->rq_seq, spid, bad, got);
		return false;
	}
	for (int i = 0; i < 16; i++) {
		if (rpay[h->rq_rcap + i] != 0xa5) {
			violation(V_REPLY_OVERFLOW, "tid %u seq %lu: byte %d past the %u-byte reply "
			    "buffer was written", w->w_tid, (unsigned long)h->rq_seq, i,
			    (unsigned)(sizeof(*rh) + h->rq_rcap));
			return false;
		}
	}
	cnt_add(&me.k, C_REPLY_KB, got);
	return true;
}

/* The outcome of a send that failed with rc (< 0). */
static void
cli_failed(struct worker *w, long rc, int spid, uint32_t sflags, bool want_error, uint64_t tmo,
    uint64_t deadline, uint64_t t1, uint64_t seq)
{
	switch (-rc) {
	case ENOMSG:
		if (!want_error)
			violation(V_REPLY_STATUS, "seq %lu to pid %d: ENOMSG unasked", (unsigned long)seq,
			    spid);
		ledger(w, spid, sflags, L_MSG);
		return;
	case ETIMEDOUT:
		if (!tmo) {
			violation(V_ERRNO, "seq %lu to pid %d: ETIMEDOUT without a time-out",
			    (unsigned long)seq, spid);
			return;
		}
		cnt_add(&me.k, C_E_TIMEDOUT, 1);
		check_lateness(M_LATE_SEND, "MsgSend", deadline, t1);
		ledger(w, spid, sflags, L_MAYBE);
		return;
	case EINTR:
		if (!tmo || !(sflags & _NTO_CHF_UNBLOCK)) {
			violation(V_ERRNO, "seq %lu to pid %d: EINTR (time-out %lu ns, flags %x)",
			    (unsigned long)seq, spid, (unsigned long)tmo, sflags);
			return;
		}
		cnt_add(&me.k, C_E_INTR, 1);
		check_lateness(M_LATE_SEND, "MsgSend (unblocked)", deadline, t1);
		ledger(w, spid, sflags, L_MSG);
		return;
	case ESRCH:
	case EBADF:
		cnt_add(&me.k, rc == -ESRCH ? C_E_SRCH : C_E_BADF, 1);
		ledger(w, spid, sflags, L_GONE);
		conn_drop(w, spid);
		return;
	}
	violation(V_ERRNO, "seq %lu to pid %d: MsgSend returned %ld", (unsigned long)seq, spid, rc);
}

/* A 0-byte message: no header, nothing back but the status. */
static void
op_null(struct worker *w, long coid, int spid, uint32_t sflags)
{
	uint8_t *rb = slots[w->w_idx].s_b;
	long rc;

	memset(rb, 0xa5, 16);
	set_doing(w, "MsgSend(0 bytes)");
	rc = KC(MsgSend, coid, 0, 0, rb, 16, 0);
	set_doing(w, NULL);
	cnt_add(&me.k, C_NULL, 1);
	if (rc < 0) {
		cli_failed(w, rc, spid, sflags, false, 0, 0, 0, 0);
		return;
	}
	if (rc != null_status(me.pid, (int)w->w_tid))
		violation(V_REPLY_STATUS, "0-byte message to pid %d: status %ld, expected %ld", spid,
		    rc, null_status(me.pid, (int)w->w_tid));
	for (int i = 0; i < 16; i++)
		if (rb[i] != 0xa5) {
			violation(V_REPLY_OVERFLOW, "a 0-byte reply wrote byte %d", i);
			break;
		}
	ledger(w, spid, sflags, L_MSG);
}

static void
op_send(struct worker *w)
{
	struct slot *sl = &slots[w->w_idx];
	struct req_hdr *h = (struct req_hdr *)sl->s_a;
	struct sched_param sp;
	uint32_t sflags = 0, pick;
	int spid = pick_server(w, &sflags);
	uint64_t tmo = 0, t0, t1, deadline = 0;
	long coid, rc;

	if (spid == 0) {
		nap(1000000);
		return;
	}
	w->w_peer = spid;
	if ((coid = conn_get(w, spid)) < 0) {
		cnt_add(&me.k, C_E_ATTACH, 1);		/* it died: the directory will say so */
		nap(200000);
		return;
	}
	if (below(&w->w_rng, 50) == 0) {
		op_null(w, coid, spid, sflags);
		return;
	}
	memset(h, 0, sizeof(*h));
	memset(&sp, 0, sizeof(sp));
	KC(SchedGet, 0, 0, &sp, 0, 0, 0);
	h->rq_magic = REQ_MAGIC;
	h->rq_flags = (me.prio_other ? 0 : F_PRIO_CHECK) |
	    (below(&w->w_rng, 30) == 0 ? F_WANT_ERROR : 0);
	h->rq_cpid = me.pid;
	h->rq_ctid = (int32_t)w->w_tid;
	h->rq_spid = spid;
	h->rq_prio = sp.sched_curpriority;
	h->rq_seq = ++w->w_seq;
	h->rq_len = pick_len(w);
	h->rq_rlen = pick_len(w);
	h->rq_rcap = below(&w->w_rng, 7) == 0 ? below(&w->w_rng, h->rq_rlen + 1) : h->rq_rlen;
	h->rq_nonce = rnd(&w->w_rng);
	fill(sl->s_a + sizeof(*h), h->rq_len, h->rq_nonce);
	h->rq_csum = csum(sl->s_a + sizeof(*h), h->rq_len);
	memset(sl->s_b, 0xa5, sizeof(struct rep_hdr) + h->rq_rcap + 16);
	pick = below(&w->w_rng, 20);
	if (pick < 4)
		tmo = 0;				/* wait as long as it takes */
	else if (pick < 9)
		tmo = range(&w->w_rng, 20, 2000) * 1000UL;
	else if (pick < 14)
		tmo = range(&w->w_rng, 2000, 30000) * 1000UL;
	else
		tmo = 200000000UL;
	set_doing(w, "MsgSend");	/* nothing may come between TimerTimeout and the send */
	t0 = now_ns();
	if (tmo) {
		deadline = t0 + tmo;
		if (below(&w->w_rng, 2))
			arm(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY | TIMER_ABSTIME, &deadline);
		else
			arm(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, &tmo);
	}
	rc = send_any(w, coid, sl->s_a, sizeof(*h) + h->rq_len, sl->s_b,
	    sizeof(struct rep_hdr) + h->rq_rcap);
	set_doing(w, NULL);
	t1 = now_ns();
	cnt_add(&me.k, C_SEND, 1);
	cnt_add(&me.k, C_SEND_KB, h->rq_len);
	if (rc < 0) {
		cli_failed(w, rc, spid, sflags, (h->rq_flags & F_WANT_ERROR) != 0, tmo, deadline, t1,
		    h->rq_seq);
		return;
	}
	max_ns(&me.k, M_RTT, t1 - t0);
	if (h->rq_flags & F_WANT_ERROR)
		violation(V_REPLY_STATUS, "seq %lu to pid %d: status %ld instead of ENOMSG",
		    (unsigned long)h->rq_seq, spid, rc);
	else
		cli_check(w, rc, h, spid);
	ledger(w, spid, sflags, L_MSG);
	if (below(&w->w_rng, 20) == 0)
		conn_drop(w, spid);			/* connection churn */
}

static void
op_pulses(struct worker *w)
{
	uint32_t sflags = 0;
	int spid = pick_server(w, &sflags), n;
	long coid;

	if (spid == 0 || (coid = conn_get(w, spid)) < 0)
		return;
	n = (int)range(&w->w_rng, 1, 4);
	for (int i = 0; i < n; i++) {
		uint64_t v = (uint64_t)(uint32_t)me.pid << 32 | (uint64_t)(w->w_tid & 0xffff) << 16 |
		    (++w->w_pseq & 0xffff);
		long rc = KC(MsgSendPulse, coid, range(&w->w_rng, 8, 20), pulse_code(v), v, 0, 0);

		if (rc == 0) {
			cnt_add(&me.k, C_PULSE_TX, 1);
			ledger(w, spid, sflags, L_PULSE);
		} else if (rc == -EAGAIN) {
			cnt_add(&me.k, C_E_AGAIN, 1);
		} else if (rc == -ESRCH || rc == -EBADF) {
			cnt_add(&me.k, rc == -ESRCH ? C_E_SRCH : C_E_BADF, 1);
			ledger(w, spid, sflags, L_GONE);
			conn_drop(w, spid);
			return;
		} else {
			violation(V_ERRNO, "MsgSendPulse to pid %d returned %ld", spid, rc);
			return;
		}
	}
}

/* Set priority pri on thread tid (0: ourselves) and check it took. */
static void
op_prio(struct worker *w, int tid)
{
	struct sched_param sp;
	int pri = (int)range(&w->w_rng, CLI_PRIO_LO, CLI_PRIO_HI);
	long rc;

	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = pri;
	rc = KC(SchedSet, 0, tid, SCHED_NOCHANGE, &sp, 0, 0);
	cnt_add(&me.k, tid ? C_PRIO_OTHER : C_PRIO_SELF, 1);
	if (rc == -ESRCH && tid)
		return;					/* it ended meanwhile */
	if (rc != 0) {
		violation(V_ERRNO, "SchedSet(tid %d, %d) returned %ld", tid, pri, rc);
		return;
	}
	memset(&sp, 0, sizeof(sp));
	rc = KC(SchedGet, 0, tid, &sp, 0, 0, 0);
	if (rc == -ESRCH && tid)
		return;					/* it ended since */
	/*
	 * Other workers set priorities too (me.prio_other), so a thread's may
	 * have changed again meanwhile: then it must at least be one that a
	 * worker chose.  Without them, exactly ours.
	 */
	if (rc < 0 || (me.prio_other ?
	    (sp.sched_priority < CLI_PRIO_LO || sp.sched_priority > CLI_PRIO_HI) :
	    (sp.sched_priority != pri || (tid == 0 && sp.sched_curpriority != pri))))
		violation(V_PRIO, "SchedGet(tid %d) after SchedSet(%d): rc %ld, priority %d/%d", tid,
		    pri, rc, sp.sched_priority, sp.sched_curpriority);
}

static void
cli_worker(void *arg)
{
	struct worker *w = arg;
	volatile uint32_t never = 0;		/* a futex word nobody wakes */

	thread_begin(w);
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		KC(FutexWait, &go, 0, 0, 0, 0, 0);
	while (!me.stop && w->w_budget != 0) {
		uint32_t r = below(&w->w_rng, 100);

		if (w->w_budget > 0)
			w->w_budget--;
		if (r < 65) {
			op_send(w);
		} else if (r < 77) {
			op_pulses(w);
		} else if (r < 85) {
			int other = (int)workers[below(&w->w_rng, CLI_THREADS)].w_tid;

			op_prio(w, me.prio_other && r >= 82 && me.role == ROLE_CLIENT ? other : 0);
		} else if (r < 92) {
			set_doing(w, "NANOSLEEP");
			nap(range(&w->w_rng, 20, 2000) * 1000UL);
		} else if (r < 97) {
			set_doing(w, "FutexWait");
			if (futex_wait_for(&never, 0, range(&w->w_rng, 50, 3000) * 1000UL) != -ETIMEDOUT)
				violation(V_ERRNO, "FutexWait on a word nobody wakes did not time out");
		} else {
			KC(SchedYield, 0, 0, 0, 0, 0, 0);
		}
		set_doing(w, NULL);
		heartbeat(w);
	}
	while (w->w_conns[0].cn_spid)
		conn_drop(w, w->w_conns[0].cn_spid);
	thread_end(w);
}

/* Thread churn: short-lived workers come and go in the spare slots. */
static void
cli_churn(void *arg)
{
	struct worker *w = arg;

	thread_begin(w);
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		KC(FutexWait, &go, 0, 0, 0, 0, 0);
	while (!me.stop) {
		int idx = slot_claim(CLI_THREADS + 1);

		if (idx < 0) {
			futex_wait_for(&me.busy[MAX_SLOTS - 1], 1, 5000000);
			continue;
		}
		worker_init(idx, range(&w->w_rng, 3, 40));
		thread_start(idx, cli_worker, (int)range(&w->w_rng, CLI_PRIO_LO, CLI_PRIO_HI));
		nap(range(&w->w_rng, 200, 5000) * 1000UL);
	}
	thread_end(w);
}

static int
client_main(bool ephemeral)
{
	int n = ephemeral ? EPH_THREADS : CLI_THREADS;
	struct sched_param sp;
	struct _pulse p;
	long rc;

	me.chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	if (me.chid != 1 || hello() < 0)
		return 2;
	for (int i = 0; i < n; i++) {
		struct worker *w;

		if (slot_claim(i) != i)
			return 2;
		w = worker_init(i, ephemeral ? 0 : -1);
		if (ephemeral)
			w->w_budget = range(&w->w_rng, 20, 150);
		thread_start(i, cli_worker, (int)range(&w->w_rng, CLI_PRIO_LO, CLI_PRIO_HI));
	}
	if (!ephemeral && slot_claim(CLI_THREADS) == CLI_THREADS) {
		worker_init(CLI_THREADS, -1);
		thread_start(CLI_THREADS, cli_churn, 0);
	}
	/* Can we change another thread's priority (one waiting for go)? */
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = CLI_PRIO_LO;
	rc = workers[0].w_tid ? KC(SchedSet, 0, workers[0].w_tid, SCHED_NOCHANGE, &sp, 0, 0) : -ESRCH;
	me.prio_other = rc == 0;
	if (rc != 0)
		cnt_add(&me.k, C_PRIO_UNSUP, 1);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	KC(FutexWake, &go, 100, 0, 0, 0, 0);
	while (!me.stop && __atomic_load_n(&me.live, __ATOMIC_ACQUIRE) > 0) {
		uint64_t tmo = 100000000, t0 = now_ns();

		arm(_NTO_TIMEOUT_RECEIVE, &tmo);
		rc = KC(MsgReceivePulse, me.chid, &p, sizeof(p), 0, 0, 0);
		if (rc == -ETIMEDOUT) {
			check_lateness(M_LATE_RECV, "MsgReceivePulse", t0 + tmo, now_ns());
			refresh_dir();
		} else if (rc != 0) {
			violation(V_ERRNO, "MsgReceivePulse on the control channel returned %ld", rc);
			nap(10000000);
		} else if (p.code == CODE_STOP) {
			me.stop = 1;
		} else if (p.code == CODE_DIR) {
			refresh_dir();
		}
	}
	me.stop = 1;
	wait_workers(8000000000UL);
	report();
	return me.viol ? VIOL_STATUS : 0;
}

/* ---- killer --------------------------------------------------------------------- */

static int
killer_main(void)
{
	struct ctl_req q;
	struct ctl_rep r;
	struct worker *w = &workers[0];
	struct sched_param sp;

	if (hello() < 0)
		return 2;
	rng_seed(&w->w_rng, me.seed ^ (uint64_t)me.serial << 40);
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = KILLER_PRIO;
	KC(SchedSet, 0, 0, SCHED_NOCHANGE, &sp, 0, 0);
	memset(&q, 0, sizeof(q));
	while (!me.stop) {
		nap(range(&w->w_rng, 80, 300) * 1000000UL);
		q.cq_type = CT_VICTIM;
		if (ctl_call(&q, &r) < 0 || r.cr_stop)
			break;
		q.cq_last_pid = r.cr_pid;
		q.cq_last_rc = 0;
		if (r.cr_pid <= 0)
			continue;
		q.cq_last_rc = (int32_t)KC(ProcDestroy, r.cr_pid, KILL_STATUS, 0, 0, 0, 0);
		if (q.cq_last_rc == 0)
			cnt_add(&me.k, C_KILL, 1);
		else if (q.cq_last_rc == -ESRCH)
			cnt_add(&me.k, C_KILL_ESRCH, 1);
		else
			violation(V_ERRNO, "ProcDestroy(%d) returned %d", r.cr_pid, q.cq_last_rc);
	}
	report();
	return me.viol ? VIOL_STATUS : 0;
}

/* ---- coordinator ------------------------------------------------------------------ */

enum { CS_FREE, CS_SPAWNING, CS_ALIVE, CS_DEAD };

struct child {
	int32_t		c_pid;		/* 0 until spawned (or its HELLO) */
	uint8_t		c_role;
	uint8_t		c_state;	/* CS_* */
	bool		c_registered;	/* said HELLO */
	bool		c_kill_pending;	/* handed to the killer */
	bool		c_reported;	/* its REPORT arrived whole */
	bool		c_complete;	/* ... with a complete ledger */
	int32_t		c_chid;
	uint32_t	c_chflags;
	long		c_coid;		/* our side connection to its channel, 0: none */
	int32_t		c_status;	/* exit status (CS_DEAD) */
	uint32_t	c_pair0, c_npairs;	/* its ledger in co->pairs */
	uint32_t	c_viol;
	struct counters	c_cnt;
};

/*
 * The coordinator's state, in memory it maps for itself (so the children,
 * which share the program's bss, do not carry it).  lock protects the
 * children, the directory and the stop flags; the counters marked atomic
 * are updated without it.
 */
struct coord {
	volatile uint32_t lock;
	const void	*img;
	uint64_t	imgsize;
	uint64_t	t_start;
	int		nch;
	struct child	ch[MAX_CHILDREN];
	uint32_t	gen;		/* directory generation */
	bool		stop_killer, stop_clients, stop_servers;
	volatile uint32_t done;		/* control threads: leave */
	struct rng	rng;
	uint32_t	viol;		/* atomic: ours and the children's */
	int		first_inv, first_pid;
	uint64_t	hb_ops;		/* atomic: operations reported by heartbeats */
	uint32_t	unknown_deaths;
	uint32_t	npairs;
	bool		pairs_overflow;
	struct pair	pairs[MAX_RPAIRS];
};

#define CO_VA		0x2000000000UL
#define CO_SIZE		((sizeof(struct coord) + 4095) & ~4095UL)

static struct coord *co;

static void
co_note(int inv, int pid)
{
	if (__atomic_fetch_add(&co->viol, 1, __ATOMIC_ACQ_REL) == 0) {
		co->first_inv = inv;
		co->first_pid = pid;
	}
}

static struct child *
child_by_pid(int pid)
{
	for (int i = 0; i < co->nch; i++)
		if (co->ch[i].c_pid == pid && co->ch[i].c_state != CS_FREE)
			return &co->ch[i];
	return NULL;
}

static bool
is_client(const struct child *c)
{
	return c->c_role == ROLE_CLIENT || c->c_role == ROLE_EPHEMERAL;
}

/* Fill the directory part of a reply.  co->lock held. */
static void
co_fill_dir(struct ctl_rep *r)
{
	r->cr_gen = co->gen;
	r->cr_n = 0;
	for (int i = 0; i < co->nch && r->cr_n < MAX_DIR; i++) {
		struct child *c = &co->ch[i];

		if (c->c_role == ROLE_SERVER && c->c_state == CS_ALIVE && c->c_registered) {
			r->cr_spid[r->cr_n] = c->c_pid;
			r->cr_sflags[r->cr_n++] = c->c_chflags;
		}
	}
}

/* Pulse every registered child of the roles in mask.  co->lock held. */
static void
co_pulse(unsigned mask, int code, long value)
{
	for (int i = 0; i < co->nch; i++) {
		struct child *c = &co->ch[i];

		if ((mask & (1u << c->c_role)) && c->c_state == CS_ALIVE && c->c_coid > 0)
			KC(MsgSendPulse, c->c_coid, 30, code, value, 0, 0);	/* it may be dying */
	}
}

#define CLIENTS	((1u << ROLE_CLIENT) | (1u << ROLE_EPHEMERAL))

static bool
co_stopped(int role)
{
	return role == ROLE_KILLER ? co->stop_killer :
	    role == ROLE_SERVER ? co->stop_servers : co->stop_clients;
}

static void
co_hello(long rcvid, const struct ctl_req *q, const struct _msg_info *mi, struct ctl_rep *r)
{
	struct child *c;

	lock(&co->lock);
	c = q->cq_serial >= 1 && q->cq_serial <= co->nch ? &co->ch[q->cq_serial - 1] : NULL;
	if (c == NULL || c->c_role != q->cq_role || (c->c_pid && c->c_pid != mi->pid)) {
		unlock(&co->lock);
		violation(V_MSG_HEADER, "HELLO from pid %d as serial %d role %d", mi->pid,
		    q->cq_serial, q->cq_role);
		KC(MsgError, rcvid, EINVAL, 0, 0, 0, 0);
		return;
	}
	c->c_pid = mi->pid;
	c->c_registered = true;
	c->c_chid = q->cq_chid;
	c->c_chflags = (uint32_t)q->cq_chflags;
	if (q->cq_chid > 0) {
		long coid = KC(ConnectAttach, 0, mi->pid, q->cq_chid, _NTO_SIDE_CHANNEL, 0, 0);

		c->c_coid = coid > 0 ? coid : 0;
	}
	if (c->c_role == ROLE_SERVER) {
		co->gen++;
		co_pulse(CLIENTS, CODE_DIR, co->gen);
	}
	r->cr_pid = mi->pid;
	r->cr_stop = co_stopped(c->c_role);
	r->cr_seed = me.seed;
	co_fill_dir(r);
	unlock(&co->lock);
	KC(MsgReply, rcvid, 0, r, sizeof(*r), 0, 0);
}

/* The killer asks for a victim: a live server (if two are left) or client. */
static void
co_victim(long rcvid, struct ctl_rep *r)
{
	struct child *cand[MAX_CHILDREN];
	int n = 0, servers = 0;

	lock(&co->lock);
	for (int i = 0; i < co->nch; i++) {
		struct child *c = &co->ch[i];

		if (c->c_role == ROLE_SERVER && c->c_state == CS_ALIVE && !c->c_kill_pending)
			servers++;
	}
	for (int i = 0; i < co->nch; i++) {
		struct child *c = &co->ch[i];

		if (c->c_state != CS_ALIVE || !c->c_registered || c->c_kill_pending ||
		    c->c_role == ROLE_KILLER || (c->c_role == ROLE_SERVER && servers < 2))
			continue;
		cand[n++] = c;
	}
	r->cr_stop = co->stop_killer;
	if (n > 0 && !r->cr_stop) {
		struct child *c = cand[below(&co->rng, (uint32_t)n)];

		c->c_kill_pending = true;
		r->cr_pid = c->c_pid;
	}
	unlock(&co->lock);
	KC(MsgReply, rcvid, 0, r, sizeof(*r), 0, 0);
}

static void
co_report(long rcvid, const struct ctl_req *q, const struct _msg_info *mi, struct ctl_rep *r)
{
	struct child *c;
	uint32_t base = 0, n = q->cq_npairs;
	bool keep;
	long rc = 0;

	lock(&co->lock);
	c = child_by_pid(mi->pid);
	keep = n <= MAX_RPAIRS - co->npairs;
	if (keep) {
		base = co->npairs;
		co->npairs += n;
	} else {
		co->pairs_overflow = true;
	}
	unlock(&co->lock);
	if (c == NULL || mi->srcmsglen != (int64_t)(sizeof(*q) + n * sizeof(struct pair))) {
		violation(V_MSG_HEADER, "REPORT from pid %d: %ld bytes for %u ledger lines", mi->pid,
		    (long)mi->srcmsglen, n);
		KC(MsgError, rcvid, EINVAL, 0, 0, 0, 0);
		return;
	}
	for (uint32_t off = 0; keep && off < n * sizeof(struct pair); ) {
		uint32_t chunk = n * (uint32_t)sizeof(struct pair) - off;

		if (chunk > 8192)
			chunk = 8192;
		rc = KC(MsgRead, rcvid, (uint8_t *)&co->pairs[base] + off, chunk, sizeof(*q) + off, 0, 0);
		if (rc != chunk)
			break;
		off += chunk;
	}
	if (rc < 0) {
		if (rc != -ESRCH)
			violation(V_ERRNO, "MsgRead of pid %d's report: %ld", mi->pid, rc);
		return;				/* it was killed while reporting */
	}
	lock(&co->lock);
	c->c_pair0 = base;
	c->c_npairs = keep ? n : 0;
	c->c_complete = keep && q->cq_complete;
	c->c_cnt = q->cq_cnt;
	c->c_viol = q->cq_viol;
	c->c_reported = true;
	unlock(&co->lock);
	KC(MsgReply, rcvid, 0, r, sizeof(*r), 0, 0);
}

/* A control thread: serve the children's requests and pulses. */
static void
co_server(void *arg)
{
	struct worker *w = arg;
	uint8_t *buf = slots[w->w_idx].s_a;

	thread_begin(w);
	while (!co->done) {
		const struct ctl_req *q = (const struct ctl_req *)buf;
		const struct _pulse *p = (const struct _pulse *)buf;
		uint64_t tmo = 50000000, v;
		struct _msg_info mi;
		struct ctl_rep r;
		long rcvid;

		arm(_NTO_TIMEOUT_RECEIVE, &tmo);
		rcvid = KC(MsgReceive, CTL_CHID, buf, sizeof(struct ctl_req), &mi, 0, 0);
		if (rcvid == -ETIMEDOUT)
			continue;
		if (rcvid < 0) {
			violation(V_ERRNO, "MsgReceive on the control channel: %ld", rcvid);
			nap(10000000);
			continue;
		}
		if (rcvid == 0) {
			v = (uint64_t)(uintptr_t)p->value.sival_ptr;
			if (p->code == CODE_HB)
				__atomic_fetch_add(&co->hb_ops, v, __ATOMIC_RELAXED);
			else if (p->code == CODE_VIOL && (v & 0xffffffff) < V_N)
				co_note((int)(v & 0xffffffff), (int)(v >> 32));
			continue;
		}
		memset(&r, 0, sizeof(r));
		if (mi.msglen != sizeof(struct ctl_req)) {
			KC(MsgError, rcvid, EINVAL, 0, 0, 0, 0);
			continue;
		}
		switch (q->cq_type) {
		case CT_HELLO:
			co_hello(rcvid, q, &mi, &r);
			break;
		case CT_DIR:
			lock(&co->lock);
			co_fill_dir(&r);
			unlock(&co->lock);
			KC(MsgReply, rcvid, 0, &r, sizeof(r), 0, 0);
			break;
		case CT_VICTIM:
			co_victim(rcvid, &r);
			break;
		case CT_REPORT:
			co_report(rcvid, q, &mi, &r);
			break;
		default:
			KC(MsgError, rcvid, EINVAL, 0, 0, 0, 0);
		}
	}
	thread_end(w);
}

static void
co_spawn(int role)
{
	struct child *c;
	uint64_t arg;
	long pid;
	int serial;

	lock(&co->lock);
	if (co->nch >= MAX_CHILDREN) {
		unlock(&co->lock);
		return;
	}
	serial = ++co->nch;
	c = &co->ch[serial - 1];
	memset(c, 0, sizeof(*c));
	c->c_role = (uint8_t)role;
	c->c_state = CS_SPAWNING;
	unlock(&co->lock);
	arg = (uint64_t)role | (uint64_t)serial << 8 | (uint64_t)(uint32_t)me.pid << 32;
	pid = rt_spawn(co->img, co->imgsize, USTRESS_PATH, arg,
	    role == ROLE_KILLER ? PROC_ABILITY_PROCMGR : 0);
	lock(&co->lock);
	if (pid < 0) {
		c->c_state = CS_DEAD;
		unlock(&co->lock);
		violation(V_ERRNO, "spawning a %s failed: %ld", role_names[role], pid);
		return;
	}
	cnt_add(&me.k, C_SPAWN, 1);
	if (c->c_pid && c->c_pid != pid)
		violation(V_MSG_HEADER, "serial %d: HELLO from pid %d, spawned pid %ld", serial,
		    c->c_pid, pid);
	c->c_pid = (int32_t)pid;
	c->c_state = CS_ALIVE;
	unlock(&co->lock);
}

/* Keep the population up: servers, clients, ephemeral clients, one killer. */
static void
co_populate(void)
{
	int want[ROLE_N] = { 0, N_SERVERS, N_CLIENTS, N_EPHEMERAL, 1 }, have[ROLE_N] = { 0 };
	bool killer_ever = false;

	lock(&co->lock);
	for (int i = 0; i < co->nch; i++) {
		if (co->ch[i].c_state == CS_SPAWNING || co->ch[i].c_state == CS_ALIVE)
			have[co->ch[i].c_role]++;
		killer_ever |= co->ch[i].c_role == ROLE_KILLER;
	}
	unlock(&co->lock);
	for (int role = ROLE_SERVER; role < ROLE_N; role++)
		for (int n = have[role]; n < want[role]; n++)
			if (role != ROLE_KILLER || !killer_ever)
				co_spawn(role);
}

static void
co_death(int pid, int status)
{
	struct child *c;

	cnt_add(&me.k, C_DEATH, 1);
	lock(&co->lock);
	c = child_by_pid(pid);
	if (c == NULL || c->c_state == CS_DEAD) {
		co->unknown_deaths++;		/* e.g. a spawn that failed half-way */
		unlock(&co->lock);
		return;
	}
	c->c_state = CS_DEAD;
	c->c_status = status;
	if (c->c_coid > 0)
		KC(ConnectDetach, c->c_coid, 0, 0, 0, 0, 0);
	c->c_coid = 0;
	if (c->c_role == ROLE_SERVER && c->c_registered) {
		co->gen++;
		co_pulse(CLIENTS, CODE_DIR, co->gen);
	}
	unlock(&co->lock);
	if (status == KILL_STATUS && !c->c_kill_pending)
		violation(V_CHILD, "%s pid %d was killed, but not by the killer", role_names[c->c_role],
		    pid);
	else if (status == 0 && !c->c_reported)
		violation(V_CHILD, "%s pid %d exited without a report", role_names[c->c_role], pid);
	else if (status != 0 && status != KILL_STATUS && status != (VIOL_STATUS << 8))
		violation(V_CHILD, "%s pid %d ended with status %d", role_names[c->c_role], pid, status);
}

/* Take death pulses for up to ns. */
static void
co_wait_deaths(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	for (;;) {
		struct _pulse p;
		uint64_t v;
		long rc;

		arm(_NTO_TIMEOUT_RECEIVE | TIMER_ABSTIME, &end);
		rc = KC(MsgReceivePulse, DEATH_CHID, &p, sizeof(p), 0, 0, 0);
		if (rc == -ETIMEDOUT) {
			check_lateness(M_LATE_RECV, "MsgReceivePulse(deaths)", end, now_ns());
			return;
		}
		if (rc != 0 || p.code != _PULSE_CODE_PROCDEATH) {
			violation(V_ERRNO, "death channel: rc %ld code %d", rc, p.code);
			return;
		}
		v = (uint64_t)(uintptr_t)p.value.sival_ptr;
		co_death((int)(v >> 32), (int32_t)(v & 0xffffffff));
	}
}

/* How many children of the roles in mask are not dead yet. */
static int
co_alive(unsigned mask)
{
	int n = 0;

	lock(&co->lock);
	for (int i = 0; i < co->nch; i++)
		if ((mask & (1u << co->ch[i].c_role)) &&
		    (co->ch[i].c_state == CS_ALIVE || co->ch[i].c_state == CS_SPAWNING))
			n++;
	unlock(&co->lock);
	return n;
}

/*
 * End the children of the roles in mask: they are told (STOP pulses, and
 * the stop flag that every reply carries), report and exit.  After limit
 * seconds the stragglers are a violation, and they are killed.
 */
static void
co_stop(unsigned mask, const char *what, unsigned limit)
{
	uint64_t t0 = now_ns(), sec = 1000000000UL;
	bool killed = false;

	lock(&co->lock);
	if (mask & (1u << ROLE_KILLER))
		co->stop_killer = true;
	if (mask & CLIENTS)
		co->stop_clients = true;
	if (mask & (1u << ROLE_SERVER))
		co->stop_servers = true;
	co_pulse(mask, CODE_STOP, 0);
	unlock(&co->lock);
	while (co_alive(mask) > 0) {
		co_wait_deaths(20000000);
		if (now_ns() - t0 > (limit + 5) * sec) {
			violation(V_HANG, "%d processes do not die (%s)", co_alive(mask), what);
			return;
		}
		if (killed || now_ns() - t0 < limit * sec)
			continue;
		killed = true;
		lock(&co->lock);
		for (int i = 0; i < co->nch; i++) {
			struct child *c = &co->ch[i];

			if (!(mask & (1u << c->c_role)) || c->c_state != CS_ALIVE)
				continue;
			violation(V_HANG, "%s pid %d did not end within %u s of the stop (%s)",
			    role_names[c->c_role], c->c_pid, limit, what);
			c->c_kill_pending = true;
			KC(ProcDestroy, c->c_pid, KILL_STATUS, 0, 0, 0, 0);
		}
		unlock(&co->lock);
	}
}

/* ---- the end-of-run checks and the summary ------------------------------------ */

static const struct pair *
find_pair(const struct child *c, int cpid, int ctid, int spid)
{
	for (uint32_t i = 0; i < c->c_npairs; i++) {
		const struct pair *p = &co->pairs[c->c_pair0 + i];

		if (p->p_cpid == cpid && p->p_ctid == ctid && p->p_spid == spid)
			return p;
	}
	return NULL;
}

static bool
ledger_usable(const struct child *c)
{
	return c && c->c_reported && c->c_complete;
}

/*
 * Match the ledgers of every client and server that reported: each request
 * a client knows was delivered (a reply or EINTR) was received once by
 * that server, and with _NTO_CHF_UNBLOCK a time-out means it was not
 * delivered at all; each pulse sent arrived.  Returns the lines matched.
 */
static uint32_t
co_check_ledgers(void)
{
	uint32_t lines = 0;

	for (int i = 0; i < co->nch; i++) {
		const struct child *cl = &co->ch[i];

		if (!is_client(cl) || !ledger_usable(cl))
			continue;
		for (uint32_t k = 0; k < cl->c_npairs; k++) {
			const struct pair *e = &co->pairs[cl->c_pair0 + k], *f;
			const struct child *s = child_by_pid(e->p_spid);
			uint32_t msgs, pulses;

			if (s == NULL || s->c_role != ROLE_SERVER || !ledger_usable(s))
				continue;	/* killed: its ledger is gone */
			lines++;
			f = find_pair(s, e->p_cpid, e->p_ctid, s->c_pid);
			msgs = f ? f->p_msgs : 0;
			pulses = f ? f->p_pulses : 0;
			if (e->p_gone)
				violation(V_SPURIOUS_GONE, "pid %d tid %d got ESRCH/EBADF %u times from "
				    "server %d, which lived to the end", e->p_cpid, e->p_ctid, e->p_gone,
				    s->c_pid);
			if ((e->p_flags & _NTO_CHF_UNBLOCK) ? msgs != e->p_msgs :
			    msgs < e->p_msgs || msgs > e->p_msgs + e->p_maybe)
				violation(V_MSG_COUNT, "pid %d tid %d -> server %d%s: %u delivered, %u timed "
				    "out; the server received %u", e->p_cpid, e->p_ctid, s->c_pid,
				    (e->p_flags & _NTO_CHF_UNBLOCK) ? " (UNBLOCK)" : "", e->p_msgs,
				    e->p_maybe, msgs);
			if (pulses != e->p_pulses)
				violation(V_PULSE_COUNT, "pid %d tid %d -> server %d: %u pulses sent, %u "
				    "received", e->p_cpid, e->p_ctid, s->c_pid, e->p_pulses, pulses);
		}
	}
	for (int i = 0; i < co->nch; i++) {
		const struct child *s = &co->ch[i];

		if (s->c_role != ROLE_SERVER || !ledger_usable(s))
			continue;
		for (uint32_t k = 0; k < s->c_npairs; k++) {
			const struct pair *f = &co->pairs[s->c_pair0 + k];
			const struct child *cl = child_by_pid(f->p_cpid);

			if (cl && is_client(cl) && ledger_usable(cl) &&
			    !find_pair(cl, f->p_cpid, f->p_ctid, s->c_pid) && (f->p_msgs || f->p_pulses))
				violation(V_MSG_COUNT, "server %d received %u messages and %u pulses from "
				    "pid %d tid %d, which sent it none", s->c_pid, f->p_msgs, f->p_pulses,
				    f->p_cpid, f->p_ctid);
		}
	}
	return lines;
}

/* Every child is dead and gone; each that reported ended all its threads. */
static void
co_check_processes(void)
{
	for (int i = 0; i < co->nch; i++) {
		const struct child *c = &co->ch[i];
		long rc;

		if (c->c_state != CS_DEAD) {
			violation(V_HANG, "%s pid %d never died", role_names[c->c_role], c->c_pid);
			continue;
		}
		if (c->c_pid <= 0)
			continue;
		if ((rc = KC(ProcDestroy, c->c_pid, 0, 0, 0, 0, 0)) != -ESRCH)
			violation(V_REAP, "ProcDestroy(%d) after its death: %ld", c->c_pid, rc);
		if ((rc = KC(ConnectAttach, 0, c->c_pid, 1, _NTO_SIDE_CHANNEL, 0, 0)) != -ESRCH) {
			violation(V_REAP, "ConnectAttach to pid %d after its death: %ld", c->c_pid, rc);
			if (rc >= 0)
				KC(ConnectDetach, rc, 0, 0, 0, 0, 0);
		}
		if (c->c_reported && c->c_cnt.k_cnt[C_THR_CREATE] != c->c_cnt.k_cnt[C_THR_EXIT])
			violation(V_LEAK, "%s pid %d created %lu threads, %lu ended", role_names[c->c_role],
			    c->c_pid, (unsigned long)c->c_cnt.k_cnt[C_THR_CREATE],
			    (unsigned long)c->c_cnt.k_cnt[C_THR_EXIT]);
	}
}

static void
add_counters(struct counters *to, const struct counters *k)
{
	for (int i = 0; i < C_N; i++)
		to->k_cnt[i] += k->k_cnt[i];
	for (int i = 0; i < M_N; i++)
		if (k->k_max[i] > to->k_max[i])
			to->k_max[i] = k->k_max[i];
}

/* s padded with blanks to w columns (rt_printf has no %-Ns). */
static const char *
padr(char *buf, size_t size, const char *s, size_t w)
{
	size_t n = strlen(s);

	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	while (n < w && n < size - 1)
		buf[n++] = ' ';
	buf[n] = '\0';
	return buf;
}

/* The table: a row per counter, a column per kind of process, and all. */
static void
co_summary(void)
{
	static struct counters g[4];	/* servers, clients, others, all */
	int spawned = 0, killed = 0, reported = 0;
	char name[20];

	add_counters(&g[2], &me.k);
	for (int i = 0; i < co->nch; i++) {
		const struct child *c = &co->ch[i];

		spawned += c->c_pid > 0;
		killed += c->c_status == KILL_STATUS;
		reported += c->c_reported;
		if (c->c_reported)
			add_counters(&g[c->c_role == ROLE_SERVER ? 0 : is_client(c) ? 1 : 2], &c->c_cnt);
	}
	for (int i = 0; i < 3; i++)
		add_counters(&g[3], &g[i]);
	rt_printf("ustress: %d processes spawned, %d killed, %d reported (the killed take their "
	    "counters with them); E: = outcomes and errors\n", spawned, killed, reported);
	rt_printf("ustress: %s    servers    clients     others        all\n",
	    padr(name, sizeof(name), "counter", 14));
	for (int i = 0; i < C_N; i++) {
		unsigned long v[4];

		for (int k = 0; k < 4; k++)
			v[k] = g[k].k_cnt[i] / (i == C_SEND_KB || i == C_REPLY_KB ? 1024 : 1);
		rt_printf("ustress: %s %10lu %10lu %10lu %10lu\n", padr(name, sizeof(name),
		    cnt_names[i], 14), v[0], v[1], v[2], v[3]);
	}
	for (int i = 0; i < M_N; i++)
		rt_printf("ustress: %s %10lu %10lu %10lu %10lu (max)\n", padr(name, sizeof(name),
		    max_names[i], 14), (unsigned long)g[0].k_max[i], (unsigned long)g[1].k_max[i],
		    (unsigned long)g[2].k_max[i], (unsigned long)g[3].k_max[i]);
}

/* ---- the coordinator's main ------------------------------------------------------ */

/* Did any client manage to change another thread's priority? */
static bool
co_prio_other(void)
{
	for (int i = 0; i < co->nch; i++)
		if (co->ch[i].c_reported && co->ch[i].c_cnt.k_cnt[C_PRIO_OTHER] > 0)
			return true;
	return false;
}

static int
co_setup(const void *img, uint64_t imgsize)
{
	struct _server_info si;
	long coid;

	if (KC(MemMap, 0, CO_VA, CO_SIZE, MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON, 0) != 0)
		return -1;
	co = (struct coord *)CO_VA;
	co->img = img;
	co->imgsize = imgsize;
	rng_seed(&co->rng, me.seed);
	if (KC(ChannelCreate, _NTO_CHF_SENDER_LEN, 0, 0, 0, 0, 0) != CTL_CHID ||
	    KC(ChannelCreate, 0, 0, 0, 0, 0, 0) != DEATH_CHID ||
	    KC(ProcNotify, DEATH_CHID, 0, 0, 0, 0, 0) != 0)
		return -1;
	/* Our own pid, for the children: the server side of a connection to ourselves. */
	coid = KC(ConnectAttach, 0, 0, CTL_CHID, _NTO_SIDE_CHANNEL, 0, 0);
	if (coid < 0 || KC(ConnectServerInfo, 0, coid, &si, 0, 0, 0) != coid)
		return -1;
	me.pid = si.pid;
	KC(ConnectDetach, coid, 0, 0, 0, 0, 0);
	return 0;
}

static void
co_progress(void)
{
	int alive = 0, killed = 0;

	lock(&co->lock);
	for (int i = 0; i < co->nch; i++) {
		alive += co->ch[i].c_state == CS_ALIVE;
		killed += co->ch[i].c_status == KILL_STATUS;
	}
	unlock(&co->lock);
	rt_printf("ustress: %lu of %u s: %d processes alive, %d spawned, %d killed, %lu operations\n",
	    (unsigned long)((now_ns() - co->t_start) / 1000000000UL), USTRESS_SECONDS, alive, co->nch,
	    killed, (unsigned long)__atomic_load_n(&co->hb_ops, __ATOMIC_RELAXED));
}

static int
coordinator(const void *img, uint64_t imgsize)
{
	uint64_t t_end, next, sec = 1000000000UL;
	struct sched_param sp;
	uint32_t lines;
	bool fail;

	me.role = ROLE_TOP;
	me.seed = USTRESS_SEED ? (uint64_t)USTRESS_SEED : mix64(rdtime()) | 1;
	if (co_setup(img, imgsize) < 0) {
		rt_printf("ustress: cannot set up the coordinator\nTEST START stress.user\n"
		    "TEST FAIL stress.user: setup\nTEST DONE 0 passed, 1 failed\n");
		return 1;
	}
	rt_printf("ustress: seed 0x%lx, %u s: %d servers x %d threads, %d clients x %d threads "
	    "(+ churn), %d ephemeral clients, a killer%s\n", (unsigned long)me.seed, USTRESS_SECONDS,
	    N_SERVERS, SRV_THREADS, N_CLIENTS, CLI_THREADS, N_EPHEMERAL,
	    USTRESS_INJECT ? " (with an injected fault)" : "");
	rt_printf("ustress: to replay the choices: #define USTRESS_SEED 0x%lx in tests/system/ustress.c\n",
	    (unsigned long)me.seed);
	rt_printf("TEST START stress.user\n");
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = CO_PRIO;
	KC(SchedSet, 0, 0, SCHED_NOCHANGE, &sp, 0, 0);
	for (int i = 0; i < 2; i++) {
		slot_claim(i);
		worker_init(i, -1);
		thread_start(i, co_server, CO_PRIO);
	}
	co->t_start = now_ns();
	t_end = co->t_start + USTRESS_SECONDS * sec;
	next = co->t_start + sec;
	while (now_ns() < t_end) {
		co_populate();
		co_wait_deaths(20000000);
		if (now_ns() >= next) {
			co_progress();
			next += sec;
		}
	}
	co_stop(1u << ROLE_KILLER, "killer", 5);
	co_stop(CLIENTS, "clients", 10);
	co_stop(1u << ROLE_SERVER, "servers", 8);
	co->done = 1;
	wait_workers(3 * sec);
	co_check_processes();
	if (me.k.k_cnt[C_THR_CREATE] != me.k.k_cnt[C_THR_EXIT])
		violation(V_LEAK, "the coordinator's threads did not all end");
	lines = co_check_ledgers();
	co_summary();
	rt_printf("ustress: ledgers: %u client/server lines matched%s; %u deaths of unknown pids\n",
	    lines, co->pairs_overflow ? " (the store overflowed: some skipped)" : "",
	    co->unknown_deaths);
	rt_printf("ustress: SchedSet of another thread: %s\n", co_prio_other() ? "exercised" :
	    "not supported yet (ESRCH): threads change only their own priority");
	rt_printf("ustress: free frames: no kernel call reports them; the kernel checks them when "
	    "init (this program) exits\n");
	fail = __atomic_load_n(&co->viol, __ATOMIC_ACQUIRE) != 0;
	rt_printf("ustress: %s, seed 0x%lx\n", fail ? "FAIL" : "PASS", (unsigned long)me.seed);
	if (fail)
		rt_printf("TEST FAIL stress.user: %s (%u violations, the first seen by pid %d)\n",
		    inv_names[co->first_inv], co->viol, co->first_pid);
	else
		rt_printf("TEST PASS stress.user\n");
	rt_printf("TEST DONE %d passed, %d failed\n", !fail, fail);
	return fail ? 1 : 0;
}

int
umain(uint64_t arg)
{
	me.role = (int)(arg & 0xff);
	if (me.role == ROLE_TOP)
		return coordinator((const void *)(uintptr_t)arg, rt_arg2);
	me.serial = (int)((arg >> 8) & 0xffff);
	me.coord_pid = (int)(arg >> 32);
	switch (me.role) {
	case ROLE_SERVER:
		return server_main();
	case ROLE_CLIENT:
		return client_main(false);
	case ROLE_EPHEMERAL:
		return client_main(true);
	case ROLE_KILLER:
		return killer_main();
	}
	return 2;
}
