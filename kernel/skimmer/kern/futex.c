/*
 * kern/futex.c - futex-like wait and wake on 32-bit words in user memory.
 *
 * A waiter is keyed by the physical address of the word, so threads of
 * different processes that share the page meet, and private words work
 * the same way.  Waiters hang in one of FUTEX_BUCKETS hashed queues, each
 * with its own leaf lock (no global lock).  FutexWait compares the word
 * with the expected value under the bucket lock, so a FutexWake that
 * follows a change of the word cannot be missed.  Woken threads are held
 * (td_holds) until we are done with them, and woken after the lock is
 * dropped (no IPI under a spinlock).
 */
#include <kern/cpu.h>
#include <kern/futex.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/queue.h>
#include <kern/spinlock.h>
#include <kern/syscall.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/thread.h>
#include <arch/memlayout.h>

#define WAKE_BATCH	16

static struct futex_bucket buckets[FUTEX_BUCKETS];	/* see kern/futex.h */

void futex_init(void);

void
futex_init(void)
{
	for (int i = 0; i < FUTEX_BUCKETS; i++) {
		spin_init(&buckets[i].fb_lock, "futex");
		TAILQ_INIT(&buckets[i].fb_waiters);
	}
}

struct futex_bucket *
futex_bucket(paddr_t pa)
{
	return &buckets[(pa >> 2) % FUTEX_BUCKETS];
}

struct futex_bucket *
futex_bucket_n(int i)
{
	return &buckets[i];
}

int
futex_word_pa(uaddr_t addr, size_t align, bool write, paddr_t *pa)
{
	struct vmspace *vs = curthread->td_proc->pr_vm;
	unsigned long fl;
	unsigned prot;
	bool ok;

	if (addr & (align - 1))
		return -EINVAL;
	if (addr >= USER_TOP)
		return -EFAULT;
	fl = spin_lock_irqsave(&vs->vs_lock);
	ok = pmap_lookup_arch(&vs->vs_pmap, addr, pa, &prot) && (prot & VMP_R);
	spin_unlock_irqrestore(&vs->vs_lock, fl);
	if (ok && write && (prot & VMP_COW)) {
		/* The kernel will write it: make it the process's own first. */
		if (vm_cow_break(vs, addr) < 0)
			return -EFAULT;
		return futex_word_pa(addr, align, write, pa);
	}
	if (!ok && vm_lazy_fill(vs, addr, write ? VMP_W : VMP_R) == 0)
		return futex_word_pa(addr, align, write, pa);	/* a lazy page, filled now */
	return ok && (!write || (prot & VMP_W)) ? 0 : -EFAULT;
}

/*
 * Under the bucket lock: is the word at addr still mapped at pa, and does
 * it hold expected?  The space's lock is taken inside (order: bucket, then
 * vs_lock), so the frame cannot be unmapped and freed while we read it.
 */
static bool
word_equals(paddr_t pa, uaddr_t addr, uint32_t expected, long *rc)
{
	struct vmspace *vs = curthread->td_proc->pr_vm;
	paddr_t now;
	unsigned prot;
	bool same;

	spin_lock(&vs->vs_lock);
	same = pmap_lookup_arch(&vs->vs_pmap, addr, &now, &prot) && now == pa;
	if (same && __atomic_load_n((uint32_t *)phys_to_virt(pa), __ATOMIC_ACQUIRE) != expected) {
		same = false;
		*rc = -EAGAIN;
	} else if (!same) {
		*rc = -EFAULT;		/* unmapped since we looked */
	}
	spin_unlock(&vs->vs_lock);
	return same;
}

long
sys_FutexWait(long addr, long expected, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	struct futex_bucket *fb;
	uint64_t deadline = 0;
	unsigned long fl;
	paddr_t pa;
	long rc;

	if ((rc = futex_word_pa((uaddr_t)addr, 4, false, &pa)) < 0)
		return rc;
	deadline = thread_tmo_deadline(td, STATE_MUTEX);
	fb = futex_bucket(pa);
	fl = spin_lock_irqsave(&fb->fb_lock);
	if (!word_equals(pa, (uaddr_t)addr, (uint32_t)expected, &rc)) {
		spin_unlock_irqrestore(&fb->fb_lock, fl);
		return rc;
	}
	td->td_futex_pa = pa;
	td->td_futex_woken = 0;
	td->td_state = STATE_MUTEX;
	TAILQ_INSERT_TAIL(&fb->fb_waiters, td, td_ipclink);
	spin_unlock_irqrestore(&fb->fb_lock, fl);

	rc = proc_wait_flag(&td->td_futex_woken, deadline);
	fl = spin_lock_irqsave(&fb->fb_lock);
	if (!td->td_futex_woken)
		TAILQ_REMOVE(&fb->fb_waiters, td, td_ipclink);
	else
		rc = 0;			/* woken after all: that wins */
	td->td_state = STATE_RUNNING;
	spin_unlock_irqrestore(&fb->fb_lock, fl);
	return rc;
}

long
sys_FutexWake(long addr, long count, long a2, long a3, long a4, long a5)
{
	struct thread *batch[WAKE_BATCH], *td, *next;
	struct futex_bucket *fb;
	unsigned long fl;
	long woken = 0, rc;
	paddr_t pa;
	int n;

	if (count < 0)
		return -EINVAL;
	if ((rc = futex_word_pa((uaddr_t)addr, 4, false, &pa)) < 0)
		return rc;
	fb = futex_bucket(pa);
	do {
		n = 0;
		fl = spin_lock_irqsave(&fb->fb_lock);
		TAILQ_FOREACH_SAFE(td, &fb->fb_waiters, td_ipclink, next) {
			if (woken + n >= count || n == WAKE_BATCH)
				break;
			if (td->td_futex_pa != pa)
				continue;
			TAILQ_REMOVE(&fb->fb_waiters, td, td_ipclink);
			__atomic_fetch_add(&td->td_holds, 1, __ATOMIC_ACQUIRE);
			__atomic_store_n(&td->td_futex_woken, 1, __ATOMIC_RELEASE);
			batch[n++] = td;
		}
		spin_unlock_irqrestore(&fb->fb_lock, fl);
		for (int i = 0; i < n; i++) {
			lwkt_schedule(batch[i]);
			__atomic_fetch_sub(&batch[i]->td_holds, 1, __ATOMIC_RELEASE);
		}
		woken += n;
	} while (n == WAKE_BATCH);
	return woken;
}
