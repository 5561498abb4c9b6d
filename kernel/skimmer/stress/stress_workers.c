/*
 * stress/stress_workers.c - the kinds of worker, their threads and their
 * life cycle, and the clients' choice of operations.
 *
 * Life cycle of a persistent worker: created on its CPU before the run,
 * it waits for st.g_go, runs its kind's main function and ends its thread.
 * A load kind's main stops making load when st.g_stop is set, gives back
 * everything it holds, counts itself in st.g_quiesced and waits for the
 * coordinator's QUIT message; the other kinds serve until their QUIT.
 * The coordinator sends QUIT to load kinds first, then to the rest, so
 * servers outlive their clients.  Persistent workers are the targets of
 * pokes (spurious wakes): none ends before every load worker quiesced and
 * every IPI sent until then has run (st_flush_ipis), so no wake can reach
 * a thread that is gone.
 *
 * Ephemeral clients are created by clients on random CPUs with an
 * operation budget, end by themselves, and free their own worker struct.
 */
#include "stress_int.h"
#include <kern/printf.h>
#include <abi/errno.h>

static void worker_entry(void *arg);

/* Add the user-level workers here (k_load = true) once processes exist. */
const struct st_kind st_kinds[] = {
	{ "chk", 1, 200, false, false, st_checker_main },
	{ "srv", ST_SERVERS_PER_CPU, 60, false, false, st_server_main },
	{ "cl", ST_CLIENTS_PER_CPU, 50, true, false, st_client_main },
};
const int st_nkinds = ARRAY_SIZE(st_kinds);

static const struct st_kind eph_kind = { "eph", 0, 0, true, true, st_client_main };
static int eph_serial;		/* names ephemeral workers (atomic) */

static uint64_t
splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* A worker struct with a watch slot, not yet running; NULL if out of either. */
static struct st_worker *
worker_new(const struct st_kind *k, int cpu, int index, uint64_t seed)
{
	struct st_worker *w = kobj_zalloc(&st.g_worker_cache);
	char name[TD_NAME_MAX];

	if (w == NULL)
		return NULL;
	st_count(SC_KOBJS);
	ksnprintf(name, sizeof(name), "%s%d.%d", k->k_name, cpu, index);
	w->w_id = st_watch_alloc(name);
	if (w->w_id < 0) {
		kobj_free(&st.g_worker_cache, w);
		return NULL;
	}
	w->w_kind = k;
	w->w_cpu0 = cpu;
	w->w_index = index;
	w->w_budget = -1;
	w->w_rng = splitmix64(seed) | 1;
	for (int i = 0; i < ST_TIMERS; i++) {
		callout_init(&w->w_timers[i].t_co);
		w->w_timers[i].t_w = w;
	}
	return w;
}

static int
worker_start(struct st_worker *w, int pri)
{
	int rc = lwkt_create(worker_entry, w, &cpus[w->w_cpu0], pri, st_name(w), &w->w_td);

	if (rc == 0)
		st_count(SC_THREADS);
	return rc;
}

static void
worker_entry(void *arg)
{
	struct st_worker *w = arg;
	int id = w->w_id;

	while (!__atomic_load_n(&st.g_go, __ATOMIC_ACQUIRE))
		st_nap(st_us(1000));
	w->w_kind->k_main(w);
	if (w->w_kind->k_ephemeral) {
		kobj_free(&st.g_worker_cache, w);
		st_watch_free(id);
		__atomic_sub_fetch(&st.g_eph_live, 1, __ATOMIC_RELEASE);
	} else {
		__atomic_add_fetch(&st.g_exited, 1, __ATOMIC_RELEASE);
	}
}

static int
create_one(const struct st_kind *k, int kind, int cpu, int i)
{
	struct st_worker *w = worker_new(k, cpu, i, st.g_seed + 0x10000UL * cpu + 0x100UL * kind + i);

	if (w == NULL || st.g_npersist == ST_MAX_PERSIST)
		return -ENOMEM;
	if (k->k_main == st_server_main)
		st.g_servers[cpu][i] = w;
	if (worker_start(w, k->k_pri) < 0) {
		st_watch_free(w->w_id);
		kobj_free(&st.g_worker_cache, w);
		return -ENOMEM;
	}
	st.g_workers[st.g_npersist++] = w;
	if (k->k_load)
		st.g_nload++;
	return 0;
}

int
st_workers_create(void)
{
	for (int c = 0; c < ncpus; c++)
		for (int k = 0; k < st_nkinds; k++)
			for (int i = 0; i < st_kinds[k].k_per_cpu; i++)
				if (create_one(&st_kinds[k], k, c, i) < 0)
					return -ENOMEM;
	return 0;
}

/* QUIT every persistent worker whose kind has k_load == load; wait for the replies. */
static void
quit_group(bool load)
{
	struct msgport *port = &curthread->td_msgport;
	int n = 0;

	for (int i = 0; i < st.g_npersist; i++) {
		struct st_worker *w = st.g_workers[i];

		if (w->w_kind->k_load != load)
			continue;
		lwkt_initmsg(&w->w_quit, port, ST_CMD_QUIT);
		lwkt_sendmsg(&w->w_td->td_msgport, &w->w_quit);
		n++;
	}
	for (; n > 0; n--) {
		struct msg *m = lwkt_waitport(port, st.g_late);

		if (m == NULL)
			break;
		container_of(m, struct st_worker, w_quit)->w_quit_done = true;
	}
	for (int i = 0; i < st.g_npersist && n > 0; i++)
		if (st.g_workers[i]->w_kind->k_load == load && !st.g_workers[i]->w_quit_done)
			st_violation("worker-hang", "%s (and %d more) did not answer QUIT in %d ms",
			    st_name(st.g_workers[i]), n - 1, STRESS_LATE_MS);
}

void
st_workers_quit(void)
{
	quit_group(true);
	quit_group(false);
}

void
st_workers_free(void)
{
	for (int i = 0; i < st.g_npersist; i++) {
		st_watch_free(st.g_workers[i]->w_id);
		kobj_free(&st.g_worker_cache, st.g_workers[i]);
	}
	st.g_npersist = 0;
}

void
st_op_spawn(struct st_worker *w)
{
	int cpu = st_below(w, ncpus), pri = 30 + st_below(w, 60), budget = 20 + st_below(w, 80);
	uint64_t seed = st_rand(w);
	struct st_worker *e;

	if (w->w_kind->k_ephemeral)
		return;
	/* Count it before checking g_stop: the coordinator waits for g_eph_live to drain. */
	if (__atomic_add_fetch(&st.g_eph_live, 1, __ATOMIC_ACQ_REL) > ST_EPH_PER_CPU * ncpus ||
	    st_stopping())
		goto out;
	e = worker_new(&eph_kind, cpu, __atomic_add_fetch(&eph_serial, 1, __ATOMIC_RELAXED), seed);
	if (e == NULL)
		goto out;
	e->w_budget = budget;
	if (worker_start(e, pri) == 0)
		return;
	st_watch_free(e->w_id);
	kobj_free(&st.g_worker_cache, e);
out:
	__atomic_sub_fetch(&st.g_eph_live, 1, __ATOMIC_RELEASE);
}

/* ---- clients ---------------------------------------------------------------------- */

static void
op_collect(struct st_worker *w)
{
	st_collect_replies(w, false);
}

static const struct {
	int	weight;		/* out of 100 */
	void	(*fn)(struct st_worker *w);
} client_ops[] = {
	{ 18, st_op_sync },
	{ 16, st_op_async },
	{ 8, op_collect },
	{ 8, st_op_ipi },
	{ 6, st_op_migrate },
	{ 8, st_op_timer_arm },
	{ 5, st_op_timer_cancel },
	{ 8, st_op_sleep },
	{ 8, st_op_frame },
	{ 8, st_op_kobj },
	{ 2, st_op_spawn },
	{ 3, st_op_setpri },
	{ 2, st_op_poke },
};

static void
client_op(struct st_worker *w)
{
	int r = st_below(w, 100);

	if (st.g_inject == INJ_LATE)
		st_op_inject_late(w);
	for (unsigned i = 0; i < ARRAY_SIZE(client_ops); i++) {
		if (r < client_ops[i].weight) {
			client_ops[i].fn(w);
			return;
		}
		r -= client_ops[i].weight;
	}
}

void
st_client_main(struct st_worker *w)
{
	while (!st_stopping() && w->w_budget != 0) {
		client_op(w);
		if (w->w_budget > 0)
			w->w_budget--;
	}
	st_release_all(w);
	if (w->w_kind->k_ephemeral)
		return;
	__atomic_add_fetch(&st.g_quiesced, 1, __ATOMIC_RELEASE);
	st_wait_quit(w);
}
