/*
 * selftest/fpu_test.c - lazy FPU switching: values survive switches,
 * preemption and migration; a thread that keeps the FPU takes no trap.
 */
#include <kern/cpu.h>
#include <kern/ktest.h>
#include <kern/lwkt.h>
#include "kt_util.h"

void fpu_test_fill(uint64_t seed);
int fpu_test_check(uint64_t seed);

struct fpu_arg {
	struct kt_join	*fa_join;
	uint64_t	fa_seed;
	volatile int	fa_bad;		/* 0, or 1 + the register that was wrong */
	int		fa_rounds;
	struct cpu	*fa_migrate;	/* migrate here mid-way, if set */
};

/* Fill, let others run (sleep or migrate), check; several rounds. */
static void
fpu_worker(void *arg)
{
	struct fpu_arg *fa = arg;

	for (int r = 0; r < fa->fa_rounds && !fa->fa_bad; r++) {
		fpu_test_fill(fa->fa_seed + 8 * r);
		if (fa->fa_migrate)
			lwkt_setcpu_self(r & 1 ? fa->fa_migrate : &cpus[0]);
		else
			kt_sleep_ms(1);
		fa->fa_bad = fpu_test_check(fa->fa_seed + 8 * r);
	}
	kt_join_done(fa->fa_join);
}

/* Three FP threads on one CPU interleave; each keeps its own registers. */
KTEST(fpu, threads_keep_their_values)
{
	struct kt_join j;
	struct fpu_arg a[3];
	uint64_t saves = mycpu()->gd_stats.cs_fpu_saves;

	kt_join_init(&j, 3);
	for (int i = 0; i < 3; i++) {
		a[i] = (struct fpu_arg){ &j, 0x1111111111111110ULL * (i + 1) + 1, 0, 20, NULL };
		KT_EQ(lwkt_create(fpu_worker, &a[i], mycpu(), 50, "fpu", NULL), 0);
	}
	KT_EQ(kt_join_wait(&j, 5000), 0);
	for (int i = 0; i < 3; i++)
		KT_CHECK(a[i].fa_bad == 0, "thread %d: register %d wrong", i, a[i].fa_bad - 1);
	KT_CHECK(mycpu()->gd_stats.cs_fpu_saves > saves, "no lazy save happened");
	return 0;
}

static void
fpu_alone(void *arg)
{
	struct fpu_arg *fa = arg;
	uint64_t traps;

	fpu_test_fill(fa->fa_seed);
	traps = mycpu()->gd_stats.cs_fpu_traps;
	kt_sleep_ms(2);			/* only non-FP threads run meanwhile */
	fa->fa_bad = fpu_test_check(fa->fa_seed);
	if (mycpu()->gd_stats.cs_fpu_traps != traps)
		fa->fa_bad = 100;	/* it should still own the FPU: no trap */
	kt_join_done(fa->fa_join);
}

KTEST(fpu, owner_takes_no_trap)
{
	struct kt_join j;
	struct fpu_arg a = { &j, 0x0123456789abcde1ULL, 0, 1, NULL };

	kt_join_init(&j, 1);
	KT_EQ(lwkt_create(fpu_alone, &a, mycpu(), 50, "fpu", NULL), 0);
	KT_EQ(kt_join_wait(&j, 2000), 0);
	KT_EQ(a.fa_bad, 0);
	return 0;
}

/* FP threads hopping between CPUs take their registers along. */
KTEST(fpu, migration_keeps_values)
{
	struct kt_join j;
	struct fpu_arg a[2];

	kt_join_init(&j, 2);
	for (int i = 0; i < 2; i++) {
		a[i] = (struct fpu_arg){ &j, 0x2222222222222220ULL * (i + 1) + 2, 0, 30,
		    &cpus[ncpus - 1] };
		KT_EQ(lwkt_create(fpu_worker, &a[i], &cpus[i % ncpus], 50, "fpumig", NULL), 0);
	}
	KT_EQ(kt_join_wait(&j, 10000), 0);
	for (int i = 0; i < 2; i++)
		KT_CHECK(a[i].fa_bad == 0, "thread %d: register %d wrong", i, a[i].fa_bad - 1);
	return 0;
}

static volatile int spin_done;

static void
fpu_spinner(void *arg)
{
	struct fpu_arg *fa = arg;

	fpu_test_fill(fa->fa_seed);
	while (!spin_done && !fa->fa_bad)
		fa->fa_bad = fpu_test_check(fa->fa_seed);
	kt_join_done(fa->fa_join);
}

static void
fpu_intruder(void *arg)
{
	struct fpu_arg *fa = arg;

	for (int r = 0; r < fa->fa_rounds; r++) {
		kt_sleep_ms(1);		/* wakes from the timer: preempts the spinner */
		fpu_test_fill(fa->fa_seed + r * 8);
		if (fpu_test_check(fa->fa_seed + r * 8))
			fa->fa_bad = 1;
	}
	spin_done = 1;
	kt_join_done(fa->fa_join);
}

/* Preemption by an interrupt in the middle of FP work. */
KTEST(fpu, preempted_in_interrupt)
{
	struct kt_join j;
	struct fpu_arg s = { &j, 0x3333333333333330ULL + 3, 0, 0, NULL };
	struct fpu_arg x = { &j, 0x4444444444444440ULL + 4, 0, 20, NULL };

	spin_done = 0;
	kt_join_init(&j, 2);
	KT_EQ(lwkt_create(fpu_spinner, &s, mycpu(), 20, "fpuspin", NULL), 0);
	KT_EQ(lwkt_create(fpu_intruder, &x, mycpu(), 60, "fpuint", NULL), 0);
	KT_EQ(kt_join_wait(&j, 5000), 0);
	KT_CHECK(s.fa_bad == 0, "spinner: register %d wrong", s.fa_bad - 1);
	KT_EQ(x.fa_bad, 0);
	return 0;
}
