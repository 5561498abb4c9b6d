/*
 * kern/ipiq.c - sending functions to other CPUs.
 */
#include <kern/cpu.h>
#include <kern/ipiq.h>
#include <kern/lwkt.h>
#include <arch/intr.h>
#include <arch/sbi.h>

/* Tell dst to look at its queues unless someone already did. */
static void
ipiq_signal(struct cpu *dst)
{
	if (!__atomic_exchange_n(&dst->gd_ipi_pending, 1, __ATOMIC_ACQ_REL))
		sbi_send_ipi(1UL, dst->gd_hartid);
}

void
ipiq_send(struct cpu *dst, ipifunc_t func, void *arg)
{
	struct cpu *gd = mycpu();
	struct ipiq *q;

	crit_enter();
	if (dst == gd) {
		func(arg);
		crit_exit();
		return;
	}
	q = &dst->gd_ipiq[gd->gd_id];
	while (!ipiq_ring_push(q, func, arg)) {
		/* Full: dst may be waiting on us; drain our own queues meanwhile. */
		ipiq_signal(dst);
		ipiq_process();
		cpu_relax_arch();
	}
	gd->gd_stats.cs_ipis_sent++;
	ipiq_signal(dst);
	crit_exit();
}

struct sync_call {
	ipifunc_t	sc_func;
	void		*sc_arg;
	struct thread	*sc_waiter;
	volatile int	sc_done;
};

static void
sync_call_here(void *arg)
{
	struct sync_call *sc = arg;
	struct thread *w = sc->sc_waiter;

	sc->sc_func(sc->sc_arg);
	__atomic_store_n(&sc->sc_done, 1, __ATOMIC_RELEASE);
	lwkt_schedule(w);
}

void
ipiq_call_sync(struct cpu *dst, ipifunc_t func, void *arg)
{
	struct sync_call sc = { func, arg, curthread, 0 };

	crit_enter();
	ipiq_send(dst, sync_call_here, &sc);
	while (!__atomic_load_n(&sc.sc_done, __ATOMIC_ACQUIRE))
		lwkt_sleep(0);
	crit_exit();
}

void
ipiq_process(void)
{
	struct cpu *gd = mycpu();
	struct ipiq_entry e;
	bool again;

	/* Clear before draining: a send after this point signals again. */
	__atomic_exchange_n(&gd->gd_ipi_pending, 0, __ATOMIC_ACQ_REL);
	do {
		again = false;
		for (int src = 0; src < ncpus; src++) {
			while (ipiq_ring_pop(&gd->gd_ipiq[src], &e)) {
				gd->gd_stats.cs_ipis_recv++;
				e.ie_func(e.ie_arg);
				again = true;
			}
		}
	} while (again);
}

void
ipiq_intr(void)
{
	struct thread *td = curthread;

	mycpu()->gd_stats.cs_ipi_intrs++;
	if (td->td_critcount) {
		cpu_request(mycpu(), RQF_IPIQ);
		return;
	}
	td->td_critcount++;
	ipiq_process();
	td->td_critcount--;
}
