/*
 * arch/riscv64/fpu.c - lazy FPU ownership (see arch/fpu.h).
 */
#include <kern/cpu.h>
#include <kern/ipiq.h>
#include <kern/lwkt.h>
#include <kern/string.h>
#include <arch/csr.h>
#include <arch/fpu.h>
#include <arch/trapframe.h>

static void
set_fs(unsigned long fs)
{
	csr_clear(sstatus, SSTATUS_FS_MASK);
	csr_set(sstatus, fs);
}

/* Save the owner's registers if it changed them.  FPU must be on. */
static void
save_owner(struct cpu *gd)
{
	struct thread *owner = gd->gd_fpu_owner;

	if (owner && owner->td_fpu_dirty) {
		fpu_save_arch(&owner->td_fpu);
		owner->td_fpu_dirty = 0;
		gd->gd_stats.cs_fpu_saves++;
	}
}

bool
fpu_trap_arch(struct trapframe *tf)
{
	struct cpu *gd = mycpu();
	struct thread *td = gd->gd_curthread;
	static const struct fpu_state zero;

	if ((tf->tf_sstatus & SSTATUS_FS_MASK) != SSTATUS_FS_OFF)
		return false;
	gd->gd_stats.cs_fpu_traps++;
	set_fs(SSTATUS_FS_CLEAN);
	if (gd->gd_fpu_owner != td) {
		save_owner(gd);
		fpu_restore_arch((td->td_flags & TDF_FPU) ? &td->td_fpu : &zero);
		gd->gd_fpu_owner = td;
		td->td_flags |= TDF_FPU;
	}
	tf->tf_sstatus = (tf->tf_sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_CLEAN;
	return true;
}

void
fpu_switch_owned_arch(struct thread *td, struct thread *ntd)
{
	struct cpu *gd = mycpu();

	if (gd->gd_fpu_owner == td) {
		if ((csr_read(sstatus) & SSTATUS_FS_MASK) == SSTATUS_FS_DIRTY)
			td->td_fpu_dirty = 1;
		if (td->td_flags & TDF_EXITING) {
			gd->gd_fpu_owner = NULL;
		} else if (td->td_flags & TDF_MIGRATING) {
			/* Its state must travel with it: save now, while it is here. */
			set_fs(SSTATUS_FS_CLEAN);
			save_owner(gd);
			gd->gd_fpu_owner = NULL;
		}
	}
	set_fs(gd->gd_fpu_owner == ntd ? SSTATUS_FS_CLEAN : SSTATUS_FS_OFF);
}

void
fpu_sync_arch(struct thread *td)
{
	struct cpu *gd;

	crit_enter();
	gd = mycpu();
	if (gd->gd_fpu_owner == td) {
		if ((csr_read(sstatus) & SSTATUS_FS_MASK) == SSTATUS_FS_DIRTY)
			td->td_fpu_dirty = 1;
		save_owner(gd);
		set_fs(SSTATUS_FS_CLEAN);
	}
	crit_exit();
}

void
fpu_replace_arch(struct thread *td, const uint64_t *f, uint64_t fcsr)
{
	struct cpu *gd;

	crit_enter();
	gd = mycpu();
	if (gd->gd_fpu_owner == td) {
		gd->gd_fpu_owner = NULL;
		set_fs(SSTATUS_FS_OFF);
	}
	td->td_fpu_dirty = 0;
	memcpy(td->td_fpu.fs_f, f, sizeof(td->td_fpu.fs_f));
	td->td_fpu.fs_fcsr = fcsr;
	td->td_flags |= TDF_FPU;
	crit_exit();
}

/*
 * On td's CPU: save its FP registers if they live there.  Always, not only
 * when td_fpu_dirty says so: td may still be this CPU's current thread,
 * on its way to sleep, and then only sstatus knows they changed.
 */
static void
flush_here(void *arg)
{
	struct thread *td = arg;
	struct cpu *gd = mycpu();
	unsigned long fs = csr_read(sstatus) & SSTATUS_FS_MASK;

	if (gd->gd_fpu_owner != td)
		return;
	set_fs(SSTATUS_FS_CLEAN);
	fpu_save_arch(&td->td_fpu);
	td->td_fpu_dirty = 0;
	set_fs(fs);
}

void
fpu_flush_remote_arch(struct thread *td)
{
	ipiq_call_sync(__atomic_load_n(&td->td_cpu, __ATOMIC_ACQUIRE), flush_here, td);
}

/* On td's CPU: forget td's FP state (exec). */
static void
drop_here(void *arg)
{
	struct thread *td = arg;
	struct cpu *gd = mycpu();

	if (gd->gd_fpu_owner == td) {
		gd->gd_fpu_owner = NULL;
		if (gd->gd_curthread == td)
			set_fs(SSTATUS_FS_OFF);
	}
	td->td_flags &= ~TDF_FPU;
	td->td_fpu_dirty = 0;
	memset(&td->td_fpu, 0, sizeof(td->td_fpu));
}

void
fpu_drop_remote_arch(struct thread *td)
{
	ipiq_call_sync(__atomic_load_n(&td->td_cpu, __ATOMIC_ACQUIRE), drop_here, td);
}
