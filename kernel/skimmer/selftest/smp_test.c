/*
 * selftest/smp_test.c - IPI queues between every pair of CPUs, message
 * ports within and across CPUs, and thread migration.
 */
#include <kern/cpu.h>
#include <kern/ipiq.h>
#include <kern/ktest.h>
#include <kern/lwkt.h>
#include <kern/msgport.h>
#include "kt_util.h"

#define IPI_PER_PAIR	2000	/* more than a ring holds, to exercise the full path */

static volatile uint32_t ipi_hits[CONFIG_SKIMMER_MAX_CPUS][CONFIG_SKIMMER_MAX_CPUS];
static volatile uint32_t ipi_wrong_cpu;

struct ipi_arg {
	int		ia_src;
	int		ia_dst;
};

static struct ipi_arg ipi_args[CONFIG_SKIMMER_MAX_CPUS][CONFIG_SKIMMER_MAX_CPUS];

static void
ipi_hit(void *arg)
{
	struct ipi_arg *ia = arg;

	if (mycpu_id() != ia->ia_dst || curthread->td_critcount == 0)
		__atomic_fetch_add(&ipi_wrong_cpu, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&ipi_hits[ia->ia_src][ia->ia_dst], 1, __ATOMIC_RELAXED);
}

/* One sender per CPU, all at once: each sends IPI_PER_PAIR calls to every other CPU. */
static void
ipi_sender(void *arg)
{
	struct kt_join *j = arg;
	int me = mycpu_id();

	for (int n = 0; n < IPI_PER_PAIR; n++)
		for (int dst = 0; dst < ncpus; dst++)
			if (dst != me)
				ipiq_send(&cpus[dst], ipi_hit, &ipi_args[me][dst]);
	kt_join_done(j);
}

KTEST(ipiq, every_pair_delivers)
{
	struct kt_join j;
	uint64_t deadline;

	ipi_wrong_cpu = 0;
	for (int s = 0; s < ncpus; s++)
		for (int d = 0; d < ncpus; d++) {
			ipi_hits[s][d] = 0;
			ipi_args[s][d] = (struct ipi_arg){ s, d };
		}
	kt_join_init(&j, ncpus);
	for (int c = 0; c < ncpus; c++)
		KT_EQ(lwkt_create(ipi_sender, &j, &cpus[c], 50, "ipisend", NULL), 0);
	KT_EQ(kt_join_wait(&j, 20000), 0);
	/* Sent is not yet run: wait for the last ones to land. */
	deadline = timer_now() + timer_ns_to_ticks(5000000000ULL);
	for (int s = 0; s < ncpus; s++)
		for (int d = 0; d < ncpus; d++)
			while (s != d && ipi_hits[s][d] != IPI_PER_PAIR && timer_now() < deadline)
				kt_sleep_ms(1);
	for (int s = 0; s < ncpus; s++)
		for (int d = 0; d < ncpus; d++)
			KT_CHECK(ipi_hits[s][d] == (s == d ? 0 : IPI_PER_PAIR),
			    "cpu%d->cpu%d: %u calls arrived", s, d, ipi_hits[s][d]);
	KT_EQ(ipi_wrong_cpu, 0);
	return 0;
}

/* A call to our own CPU runs before ipiq_send returns. */
KTEST(ipiq, self_send_runs_at_once)
{
	int me = mycpu_id();

	ipi_hits[me][me] = 0;
	ipi_args[me][me] = (struct ipi_arg){ me, me };
	ipiq_send(mycpu(), ipi_hit, &ipi_args[me][me]);
	KT_EQ(ipi_hits[me][me], 1);
	return 0;
}

/* ---- message ports ----------------------------------------------------- */

#define CMD_ADD		1
#define CMD_QUIT	2

struct server {
	struct thread	*sv_td;
	struct kt_join	sv_ready;
	struct kt_join	sv_done;
	uint64_t	sv_handled;
	volatile int	sv_bad;
};

/* Replies to CMD_ADD with arg0 + arg1 in arg2; checks it runs on its own CPU. */
static void
server_main(void *arg)
{
	struct server *sv = arg;
	struct msgport *port = &curthread->td_msgport;
	struct msg *m;

	kt_join_done(&sv->sv_ready);
	for (;;) {
		m = lwkt_waitport(port, 0);
		if (m == NULL || mycpu() != curthread->td_cpu) {
			sv->sv_bad++;
			continue;
		}
		if (m->ms_cmd == CMD_QUIT) {
			lwkt_replymsg(m, 0);
			break;
		}
		m->ms_arg[2] = m->ms_arg[0] + m->ms_arg[1];
		sv->sv_handled++;
		lwkt_replymsg(m, m->ms_cmd == CMD_ADD ? 0 : -EINVAL);
	}
	kt_join_done(&sv->sv_done);
}

static int
start_server(struct server *sv, struct cpu *c)
{
	sv->sv_handled = 0;
	sv->sv_bad = 0;
	kt_join_init(&sv->sv_ready, 1);
	kt_join_init(&sv->sv_done, 1);
	if (lwkt_create(server_main, sv, c, 60, "server", &sv->sv_td) < 0)
		return -1;
	return kt_join_wait(&sv->sv_ready, 1000);
}

static int
stop_server(struct server *sv)
{
	struct msg m;

	lwkt_initmsg(&m, &curthread->td_msgport, CMD_QUIT);
	if (lwkt_domsg(&sv->sv_td->td_msgport, &m) != 0)
		return -1;
	return kt_join_wait(&sv->sv_done, 1000);
}

/* Synchronous round trips to a server on each CPU in turn (ours included). */
KTEST(msgport, sync_roundtrip_every_cpu)
{
	for (int c = 0; c < ncpus; c++) {
		struct server sv;
		struct msg m;

		KT_EQ(start_server(&sv, &cpus[c]), 0);
		for (int i = 0; i < 500; i++) {
			lwkt_initmsg(&m, &curthread->td_msgport, CMD_ADD);
			m.ms_arg[0] = i;
			m.ms_arg[1] = 1000 * c;
			KT_EQ(lwkt_domsg(&sv.sv_td->td_msgport, &m), 0);
			KT_EQ(m.ms_arg[2], i + 1000 * c);
			KT_CHECK(m.ms_flags & MSGF_DONE, "reply not marked done");
		}
		lwkt_initmsg(&m, &curthread->td_msgport, 77);
		KT_EQ(lwkt_domsg(&sv.sv_td->td_msgport, &m), -EINVAL);
		KT_EQ(stop_server(&sv), 0);
		KT_EQ(sv.sv_handled, 501);
		KT_EQ(sv.sv_bad, 0);
	}
	return 0;
}

/* Asynchronous: many messages in flight, replies collected from our port. */
KTEST(msgport, async_many_in_flight)
{
	static struct msg msgs[64];
	struct server sv;
	struct cpu *c = &cpus[ncpus - 1];
	uint64_t seen = 0;

	KT_EQ(start_server(&sv, c), 0);
	for (int i = 0; i < 64; i++) {
		lwkt_initmsg(&msgs[i], &curthread->td_msgport, CMD_ADD);
		msgs[i].ms_arg[0] = i;
		msgs[i].ms_arg[1] = 1;
		lwkt_sendmsg(&sv.sv_td->td_msgport, &msgs[i]);
	}
	for (int i = 0; i < 64; i++) {
		struct msg *m = lwkt_waitport(&curthread->td_msgport,
		    timer_ns_to_ticks(2000000000ULL));

		KT_CHECK(m != NULL, "reply %d never came", i);
		KT_CHECK(m >= msgs && m < msgs + 64, "foreign message on our port");
		KT_CHECK(m->ms_flags & MSGF_REPLY, "not a reply");
		KT_EQ(m->ms_arg[2], m->ms_arg[0] + 1);
		KT_CHECK(!(seen & (1ULL << (m - msgs))), "reply %ld twice", (long)(m - msgs));
		seen |= 1ULL << (m - msgs);
	}
	KT_EQ(seen, ~0ULL);
	KT_CHECK(lwkt_getport(&curthread->td_msgport) == NULL, "extra message queued");
	KT_EQ(stop_server(&sv), 0);
	return 0;
}

/* waitport with a time-out returns NULL when nothing comes. */
KTEST(msgport, waitport_times_out)
{
	uint64_t t0 = timer_now(), ticks = timer_ns_to_ticks(3000000);

	KT_CHECK(lwkt_waitport(&curthread->td_msgport, ticks) == NULL, "got a message");
	KT_CHECK(timer_now() - t0 >= ticks, "returned early");
	return 0;
}

/* ---- migration ----------------------------------------------------------- */

struct tour {
	struct kt_join	*t_join;
	volatile int	t_bad;
	int		t_rounds;
};

static void
tourist(void *arg)
{
	struct tour *t = arg;

	for (int r = 0; r < t->t_rounds; r++) {
		for (int c = 0; c < ncpus; c++) {
			lwkt_setcpu_self(&cpus[c]);
			if (mycpu() != &cpus[c] || curthread->td_cpu != &cpus[c])
				t->t_bad++;
		}
	}
	kt_join_done(t->t_join);
}

/* Several threads tour every CPU at once; each always finds itself where it asked. */
KTEST(migrate, tour_every_cpu)
{
	struct kt_join j;
	struct tour t[4];
	uint64_t in_before = 0, in_after = 0;

	for (int c = 0; c < ncpus; c++)
		in_before += cpus[c].gd_stats.cs_migrations_in;
	kt_join_init(&j, 4);
	for (int i = 0; i < 4; i++) {
		t[i] = (struct tour){ &j, 0, 50 };
		KT_EQ(lwkt_create(tourist, &t[i], &cpus[i % ncpus], 40 + i, "tourist", NULL), 0);
	}
	KT_EQ(kt_join_wait(&j, 30000), 0);
	for (int i = 0; i < 4; i++)
		KT_EQ(t[i].t_bad, 0);
	for (int c = 0; c < ncpus; c++)
		in_after += cpus[c].gd_stats.cs_migrations_in;
	if (ncpus > 1)
		KT_CHECK(in_after - in_before >= 4 * 50 * (uint64_t)(ncpus - 1),
		    "only %lu migrations", in_after - in_before);
	KT_CHECK(lwkt_runq_consistent(), "run queue inconsistent");
	return 0;
}

/* The test thread itself moves to the last CPU and back. */
KTEST(migrate, self_and_back)
{
	struct cpu *home = mycpu();

	lwkt_setcpu_self(&cpus[ncpus - 1]);
	KT_CHECK(mycpu() == &cpus[ncpus - 1], "did not arrive");
	lwkt_setcpu_self(home);
	KT_CHECK(mycpu() == home, "did not come back");
	return 0;
}
