/*
 * kern/sys_intr.c - interrupts for user-space drivers: InterruptAttachEvent,
 * InterruptDetach, InterruptWait, InterruptMask, InterruptUnmask.
 *
 * As with QNX's InterruptAttachEvent, the kernel's handler masks the source
 * and delivers the event; the driver services the device and unmasks.
 * One process may attach a source at a time (EBUSY otherwise); the id is
 * the source number.  Only processes with the I/O ability may attach.
 *
 * uintr_lock (a leaf lock, taken with interrupts off, also from the
 * handler) protects the attachment table.
 */
#include <kern/signal.h>
#include <kern/cpu.h>
#include <kern/event.h>
#include <kern/intr.h>
#include <kern/kobj.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <kern/spinlock.h>
#include <kern/syscall.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/thread.h>

struct uintr {
	struct proc	*ui_proc;	/* owner, with a reference */
	struct thread	*ui_thread;	/* SIGEV_INTR goes to it; NULL once it exits */
	struct sigevent	ui_ev;
	int		ui_mask;	/* InterruptMask count plus the handler's */
};

static struct spinlock uintr_lock = SPINLOCK_INIT("uintr");
static struct uintr *uintrs[INTR_MAX];
static struct kobj_cache uintr_cache;

void
uintr_init(void)
{
	if (kobj_cache_init(&uintr_cache, "uintr", sizeof(struct uintr), 8) < 0)
		panic("uintr_init: no cache");
}

static void
uintr_handler(void *arg, int irq)
{
	struct uintr *ui = arg;
	struct thread *td;
	unsigned long fl;

	intr_mask_after_handler(irq);		/* masked until the driver unmasks */
	fl = spin_lock_irqsave(&uintr_lock);
	ui->ui_mask++;
	td = ui->ui_thread;
	if (td)
		__atomic_fetch_add(&td->td_holds, 1, __ATOMIC_ACQUIRE);
	spin_unlock_irqrestore(&uintr_lock, fl);
	event_deliver(ui->ui_proc, &ui->ui_ev, td, 0, __ABI_SI_KERNEL, 0);
	if (td)
		__atomic_fetch_sub(&td->td_holds, 1, __ATOMIC_RELEASE);
}

long
sys_InterruptAttachEvent(long irq, long event, long flags, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct uintr *ui;
	unsigned long fl;
	int rc;

	if (!(p->pr_abilities & PRA_IO))
		return -EPERM;
	if (irq <= 0 || irq >= INTR_MAX || flags != 0)
		return -EINVAL;
	ui = kobj_zalloc(&uintr_cache);
	if (ui == NULL)
		return -ENOMEM;
	if (vm_copyin(p->pr_vm, &ui->ui_ev, (uaddr_t)event, sizeof(ui->ui_ev)) < 0)
		rc = -EFAULT;
	else
		rc = event_check(&ui->ui_ev, EVF_PULSE | EVF_INTR);
	if (rc < 0) {
		kobj_free(&uintr_cache, ui);
		return rc;
	}
	ui->ui_proc = p;
	ui->ui_thread = td;
	fl = spin_lock_irqsave(&uintr_lock);
	if (uintrs[irq])
		rc = -EBUSY;
	else
		uintrs[irq] = ui;
	spin_unlock_irqrestore(&uintr_lock, fl);
	if (rc < 0) {
		kobj_free(&uintr_cache, ui);
		return rc;
	}
	__atomic_fetch_add(&p->pr_refs, 1, __ATOMIC_RELAXED);
	rc = intr_establish((int)irq, proc_pick_cpu(), uintr_handler, ui);
	if (rc < 0) {			/* the kernel itself uses this source */
		fl = spin_lock_irqsave(&uintr_lock);
		uintrs[irq] = NULL;
		spin_unlock_irqrestore(&uintr_lock, fl);
		proc_release(p);
		kobj_free(&uintr_cache, ui);
		return rc;
	}
	return irq;
}

/* Our attachment of irq, or NULL. */
static struct uintr *
mine(long irq)
{
	struct uintr *ui = NULL;
	unsigned long fl;

	if (irq <= 0 || irq >= INTR_MAX)
		return NULL;
	fl = spin_lock_irqsave(&uintr_lock);
	if (uintrs[irq] && uintrs[irq]->ui_proc == curthread->td_proc)
		ui = uintrs[irq];
	spin_unlock_irqrestore(&uintr_lock, fl);
	return ui;
}

static void
detach(int irq, struct uintr *ui)
{
	unsigned long fl;

	intr_disestablish(irq);
	fl = spin_lock_irqsave(&uintr_lock);
	uintrs[irq] = NULL;
	spin_unlock_irqrestore(&uintr_lock, fl);
	proc_release(ui->ui_proc);
	kobj_free(&uintr_cache, ui);
}

long
sys_InterruptDetach(long id, long a1, long a2, long a3, long a4, long a5)
{
	struct uintr *ui = mine(id);

	if (ui == NULL)
		return -EINVAL;
	detach((int)id, ui);
	return 0;
}

/* Change the mask count by delta and (un)mask the source when it crosses 0. */
static long
set_mask(long irq, long id, int delta)
{
	struct uintr *ui = mine(id);
	unsigned long fl;
	int count;

	if (ui == NULL || irq != id)
		return -EINVAL;
	fl = spin_lock_irqsave(&uintr_lock);
	if (delta < 0 && ui->ui_mask == 0) {
		spin_unlock_irqrestore(&uintr_lock, fl);
		return 0;		/* not masked: nothing to undo */
	}
	ui->ui_mask += delta;
	count = ui->ui_mask;
	spin_unlock_irqrestore(&uintr_lock, fl);
	if ((delta > 0 && count == 1) || (delta < 0 && count == 0))
		intr_set_enabled((int)irq, count == 0);
	return count;
}

long
sys_InterruptMask(long irq, long id, long a2, long a3, long a4, long a5)
{
	return set_mask(irq, id, 1);
}

long
sys_InterruptUnmask(long irq, long id, long a2, long a3, long a4, long a5)
{
	return set_mask(irq, id, -1);
}

long
sys_InterruptWait(long flags, long timeout, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	uint64_t deadline = 0;
	long rc = 0;

	if (flags != 0 || timeout != 0)
		return -EINVAL;		/* use TimerTimeout(_NTO_TIMEOUT_INTR) */
	deadline = thread_tmo_deadline(td, STATE_INTR);
	td->td_state = STATE_INTR;
	crit_enter();
	for (;;) {
		int n = __atomic_load_n(&td->td_intr_pending, __ATOMIC_ACQUIRE);
		uint64_t now = timer_now();

		if (n > 0 && __atomic_compare_exchange_n(&td->td_intr_pending, &n, n - 1, false,
		    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			break;
		if (n > 0)
			continue;
		if (sig_interrupted(td)) {
			rc = -EINTR;
			break;
		}
		if (deadline && now >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		lwkt_sleep(deadline ? deadline - now : 0);
	}
	crit_exit();
	td->td_state = STATE_RUNNING;
	return rc;
}

void
uintr_thread_exit(struct thread *td)
{
	unsigned long fl = spin_lock_irqsave(&uintr_lock);

	for (int i = 1; i < INTR_MAX; i++)
		if (uintrs[i] && uintrs[i]->ui_thread == td)
			uintrs[i]->ui_thread = NULL;
	spin_unlock_irqrestore(&uintr_lock, fl);
}

void
uintr_proc_exit(struct proc *p)
{
	for (int i = 1; i < INTR_MAX; i++) {
		struct uintr *ui = NULL;
		unsigned long fl = spin_lock_irqsave(&uintr_lock);

		if (uintrs[i] && uintrs[i]->ui_proc == p)
			ui = uintrs[i];
		spin_unlock_irqrestore(&uintr_lock, fl);
		if (ui)
			detach(i, ui);
	}
}
