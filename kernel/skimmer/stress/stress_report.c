/*
 * stress/stress_report.c - the per-CPU summary printed after a run.
 *
 * IPI entries, migrations and context switches come from struct cpu's
 * gd_stats (the difference between the probes before and after the run:
 * they count all traffic, the test's own and the scheduler's); the rest
 * from the test's own per-CPU counters.  Called by the coordinator after
 * every worker ended, so nothing changes the counters any more.
 */
#include "stress_int.h"
#include <kern/printf.h>

#define NCOL	11

static void
print_row(const char *label, const uint64_t *v, int n)
{
	char line[160];
	int len = ksnprintf(line, sizeof(line), "stress: %4s", label);

	for (int i = 0; i < n && len < (int)sizeof(line); i++)
		len += ksnprintf(line + len, sizeof(line) - len, " %9lu", v[i]);
	kprintf("%s\n", line);
}

/* Columns of the operations table for CPU c. */
static void
ops_row(int c, uint64_t *v)
{
	const struct st_pcpu *pc = &st_pcpu[c];

	v[0] = pc->pc_count[SC_SYNC];
	v[1] = pc->pc_count[SC_ASYNC];
	v[2] = pc->pc_count[SC_SERVED];
	v[3] = pc->pc_count[SC_IPI_TX];
	v[4] = pc->pc_count[SC_IPI_RX];
	v[5] = pc->pc_stats.cs_ipis_sent - pc->pc_stats0.cs_ipis_sent;
	v[6] = pc->pc_stats.cs_ipis_recv - pc->pc_stats0.cs_ipis_recv;
	v[7] = pc->pc_stats.cs_migrations_in - pc->pc_stats0.cs_migrations_in;
	v[8] = pc->pc_count[SC_THREADS];
	v[9] = pc->pc_count[SC_PRIO];
	v[10] = pc->pc_count[SC_POKES];
}

/* Columns of the timers/memory/latency table for CPU c (latencies in us). */
static void
misc_row(int c, uint64_t *v)
{
	const struct st_pcpu *pc = &st_pcpu[c];

	v[0] = pc->pc_count[SC_TMR_ARM];
	v[1] = pc->pc_count[SC_TMR_CANCEL];
	v[2] = pc->pc_count[SC_TMR_FIRE];
	v[3] = pc->pc_count[SC_SLEEPS];
	v[4] = pc->pc_count[SC_FRAMES];
	v[5] = pc->pc_count[SC_KOBJS];
	v[6] = pc->pc_count[SC_CHECKS];
	v[7] = pc->pc_stats.cs_switches - pc->pc_stats0.cs_switches;
	v[8] = st_to_us(pc->pc_max[SM_SLEEP_LATE]);
	v[9] = st_to_us(pc->pc_max[SM_TIMER_LATE]);
	v[10] = st_to_us(pc->pc_max[SM_RTT]);
}

/* Print one table: a row per CPU, then totals (maxima for the max columns). */
static void
print_table(const char *head, void (*row)(int c, uint64_t *v), int first_max)
{
	uint64_t v[NCOL], all[NCOL] = { 0 };
	char label[8];

	kprintf("stress:  cpu%s\n", head);
	for (int c = 0; c < ncpus; c++) {
		row(c, v);
		for (int i = 0; i < NCOL; i++)
			all[i] = i >= first_max ? MAX(all[i], v[i]) : all[i] + v[i];
		ksnprintf(label, sizeof(label), "%d", c);
		print_row(label, v, NCOL);
	}
	print_row("all", all, NCOL);
}

void
st_report(void)
{
	uint64_t sent = 0;

	for (int i = 0; i < ST_MAX_WATCH; i++)
		sent += st.g_watch[i].wa_sent;
	print_table("      sync     async    served  calls-tx  calls-rx    ipi-tx"
	    "    ipi-rx   migr-in   threads      prio     pokes", ops_row, NCOL);
	print_table("   tmr-arm   tmr-can  tmr-fire    sleeps    frames     kobjs"
	    "    checks  switches  sleep-us  timer-us    rtt-us", misc_row, 8);
	kprintf("stress: (ipi-tx/rx, migr-in, switches: gd_stats, all traffic; calls: the test's "
	    "IPI calls; *-us: maximum sleep and callout lateness, message round trip)\n");
	kprintf("stress: %lu messages checked, seed 0x%lx\n", sent, st.g_seed);
}
