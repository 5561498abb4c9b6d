/*
 * kern/sync.c - QNX's Sync* objects: mutexes with priority inheritance,
 * condition variables and semaphores (abi/sync.h).
 *
 * The objects live in user memory (sync_t, 8 bytes, 8-aligned).  libc
 * takes a free mutex by itself (compare-and-swap of __owner from 0 to its
 * tid) and enters the kernel only under contention; the kernel then sets
 * _NTO_SYNC_WAITING so the owner's unlock comes here too.  Waiters are
 * kept in the futex buckets (kern/futex.h), keyed by the physical address
 * of the sync_t, in priority order; the kernel reads and writes the
 * object through the direct map under the bucket lock and the space's
 * vs_lock, so the frame cannot go away meanwhile.
 *
 * Mutexes are private to a process: __owner holds a tid of the caller's
 * process (_NTO_SYNC_SHARED mutexes: not yet).  Unlock hands the mutex
 * straight to the highest-priority waiter (no thundering herd, no
 * barging past a higher waiter).
 *
 * Priority inheritance.  A waiter raises the owner to its priority
 * (lwkt_boost, mutex kind: td_mtxpri remembers it).  If the owner is
 * itself blocked on a mutex, it is woken to pass the boost on (a chain,
 * one hop per wake-up, in the blocked thread's own context); if it is
 * blocked in MsgSend, kern/ipc_prio.c takes over.  At unlock the owner
 * drops to the highest of its own priority and the waiters of the mutexes
 * it still holds.
 */
#include <kern/cpu.h>
#include <kern/futex.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/syscall.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/sync.h>
#include <abi/thread.h>
#include <arch/memlayout.h>

/* A sync_t locked for the kernel: its bucket and its space held. */
struct sref {
	uaddr_t		sr_addr;
	paddr_t		sr_pa;
	struct futex_bucket *sr_fb;
	struct vmspace	*sr_vs;
	unsigned long	sr_fl;
	int32_t		*sr_count;	/* direct-map pointers to the two words */
	uint32_t	*sr_owner;
};

/*
 * Lock the sync_t at addr: bucket lock, then vs_lock, and check it is
 * still mapped writable where we looked.  0, -EINVAL or -EFAULT.
 */
static int
sref_lock(uaddr_t addr, struct sref *sr)
{
	paddr_t now;
	unsigned prot;
	int rc;

	if ((rc = futex_word_pa(addr, 8, true, &sr->sr_pa)) < 0)
		return rc;
	sr->sr_addr = addr;
	sr->sr_vs = curthread->td_proc->pr_vm;
	sr->sr_fb = futex_bucket(sr->sr_pa);
	sr->sr_fl = spin_lock_irqsave(&sr->sr_fb->fb_lock);
	spin_lock(&sr->sr_vs->vs_lock);
	if (!pmap_lookup_arch(&sr->sr_vs->vs_pmap, addr, &now, &prot) || now != sr->sr_pa ||
	    !(prot & VMP_W)) {
		spin_unlock(&sr->sr_vs->vs_lock);
		spin_unlock_irqrestore(&sr->sr_fb->fb_lock, sr->sr_fl);
		return -EFAULT;		/* unmapped since we looked */
	}
	sr->sr_count = (int32_t *)phys_to_virt(sr->sr_pa);
	sr->sr_owner = (uint32_t *)phys_to_virt(sr->sr_pa + 4);
	return 0;
}

static void
sref_unlock(struct sref *sr)
{
	spin_unlock(&sr->sr_vs->vs_lock);
	spin_unlock_irqrestore(&sr->sr_fb->fb_lock, sr->sr_fl);
}

/*
 * sref_lock for an object that must be a kind (_NTO_SYNC_SEM or
 * _NTO_SYNC_COND; a condition variable may still be statically
 * initialised).  Another kind is -EINVAL, and nothing is left locked.
 */
static int
sref_lock_kind(uaddr_t addr, uint32_t kind, struct sref *sr)
{
	uint32_t owner;
	int rc;

	if ((rc = sref_lock(addr, sr)) < 0)
		return rc;
	owner = __atomic_load_n(sr->sr_owner, __ATOMIC_ACQUIRE);
	if (owner == kind || (kind == _NTO_SYNC_COND && owner == _NTO_SYNC_INITIALIZER))
		return 0;
	sref_unlock(sr);
	return -EINVAL;
}

/* Queue the caller on sr by priority (FIFO within one) in state. */
static void
enqueue(struct sref *sr, int state)
{
	struct thread *td = curthread, *it;

	td->td_futex_pa = sr->sr_pa;
	td->td_futex_woken = 0;
	td->td_state = state;
	TAILQ_FOREACH(it, &sr->sr_fb->fb_waiters, td_ipclink)
		if (it->td_futex_pa == sr->sr_pa && it->td_pri < td->td_pri)
			break;
	if (it)
		TAILQ_INSERT_BEFORE(it, td, td_ipclink);
	else
		TAILQ_INSERT_TAIL(&sr->sr_fb->fb_waiters, td, td_ipclink);
}

/* The first (highest-priority) waiter on sr, removed and held; NULL if none. */
static struct thread *
dequeue(struct sref *sr)
{
	struct thread *td;

	TAILQ_FOREACH(td, &sr->sr_fb->fb_waiters, td_ipclink)
		if (td->td_futex_pa == sr->sr_pa)
			break;
	if (td) {
		TAILQ_REMOVE(&sr->sr_fb->fb_waiters, td, td_ipclink);
		__atomic_fetch_add(&td->td_holds, 1, __ATOMIC_ACQUIRE);
		__atomic_store_n(&td->td_futex_woken, 1, __ATOMIC_RELEASE);
	}
	return td;
}

static bool
has_waiters(struct sref *sr)
{
	struct thread *td;

	TAILQ_FOREACH(td, &sr->sr_fb->fb_waiters, td_ipclink)
		if (td->td_futex_pa == sr->sr_pa)
			return true;
	return false;
}

static void
wake(struct thread *td)
{
	lwkt_schedule(td);
	__atomic_fetch_sub(&td->td_holds, 1, __ATOMIC_RELEASE);
}

/* Leave the queue if still on it (a time-out or signal).  Returns true if we were woken. */
static bool
dequeue_self(struct thread *td)
{
	struct futex_bucket *fb = futex_bucket(td->td_futex_pa);
	unsigned long fl = spin_lock_irqsave(&fb->fb_lock);
	bool woken = td->td_futex_woken;

	if (!woken)
		TAILQ_REMOVE(&fb->fb_waiters, td, td_ipclink);
	td->td_state = STATE_RUNNING;
	spin_unlock_irqrestore(&fb->fb_lock, fl);
	return woken;
}

/* Raise the owner tid of a mutex we wait on to our priority (if it is lower). */
static void
boost_owner(uint32_t owner)
{
	struct thread *td = proc_thread_hold(curthread->td_proc,
	    (int)(owner & _NTO_SYNC_OWNER_MASK));

	if (td == NULL)
		return;
	if (td->td_pri < curthread->td_pri)
		lwkt_boost(td, curthread->td_pri, true);
	__atomic_fetch_sub(&td->td_holds, 1, __ATOMIC_RELEASE);
}

/*
 * Wait on the queue we joined until woken (0), a time-out (-ETIMEDOUT), a
 * kill (-EINTR) or, if sigs, a signal (-ERESTART, see kern/signal.h).
 * Returns 0 whenever we were woken, whatever else happened.  A mutex waiter re-boosts
 * its owner when it is boosted itself (td_syncprop).
 */
static int
wait_woken(struct thread *td, uint64_t deadline, bool sigs)
{
	int rc = 0;

	crit_enter();
	while (!__atomic_load_n(&td->td_futex_woken, __ATOMIC_ACQUIRE)) {
		uint64_t now = timer_now();

		if (__atomic_exchange_n(&td->td_syncprop, 0, __ATOMIC_ACQ_REL)) {
			crit_exit();
			boost_owner(__atomic_load_n(&td->td_sync_owner, __ATOMIC_RELAXED));
			crit_enter();
			continue;
		}
		rc = sig_interrupted(td);
		if (rc == -ERESTART && !sigs)
			rc = 0;			/* only a kill ends this wait */
		if (rc == 0 && deadline && now >= deadline)
			rc = -ETIMEDOUT;
		if (rc)
			break;
		lwkt_sleep(deadline ? deadline - now : 0);
	}
	crit_exit();
	return dequeue_self(td) ? 0 : rc;
}


/*
 * Take the mutex at addr for the caller, waiting if needed.  The caller's
 * own tid must not own it.  0, -EDEADLK, -EINVAL, -EFAULT, -ETIMEDOUT, -EINTR
 * (killed) or, if sigs, a signal's -ERESTART.
 */
static int
mutex_lock(uaddr_t addr, uint64_t deadline, bool sigs)
{
	struct thread *td = curthread;
	uint32_t me = (uint32_t)td->td_tid, owner;
	struct sref sr;
	int rc;

	if ((rc = sref_lock(addr, &sr)) < 0)
		return rc;
	owner = __atomic_load_n(sr.sr_owner, __ATOMIC_ACQUIRE);
	if (owner == _NTO_SYNC_MUTEX_FREE || owner == _NTO_SYNC_INITIALIZER) {
		__atomic_store_n(sr.sr_owner, me | (has_waiters(&sr) ? _NTO_SYNC_WAITING : 0),
		    __ATOMIC_RELEASE);
		sref_unlock(&sr);
		return 0;
	}
	if (owner >= _NTO_SYNC_COND || (owner & _NTO_SYNC_OWNER_MASK) == 0) {
		sref_unlock(&sr);
		return -EINVAL;		/* a semaphore, condvar, destroyed or garbage */
	}
	if ((owner & _NTO_SYNC_OWNER_MASK) == me) {
		sref_unlock(&sr);
		return -EDEADLK;
	}
	__atomic_store_n(sr.sr_owner, owner | _NTO_SYNC_WAITING, __ATOMIC_RELEASE);
	td->td_sync_owner = owner;
	enqueue(&sr, STATE_MUTEX);
	sref_unlock(&sr);
	boost_owner(owner);
	/* The unlocker hands the mutex over: woken means we own it. */
	return wait_woken(td, deadline, sigs);
}

/* The highest priority among the waiters for mutexes the caller owns. */
static int
inherited_pri(void)
{
	struct thread *td = curthread, *w;
	uint32_t me = (uint32_t)td->td_tid;
	int best = 0;

	for (int i = 0; i < FUTEX_BUCKETS; i++) {
		struct futex_bucket *fb = futex_bucket_n(i);
		unsigned long fl = spin_lock_irqsave(&fb->fb_lock);

		TAILQ_FOREACH(w, &fb->fb_waiters, td_ipclink)
			if (w->td_state == STATE_MUTEX && w->td_proc == td->td_proc &&
			    (w->td_sync_owner & _NTO_SYNC_OWNER_MASK) == me && w->td_pri > best)
				best = w->td_pri;
		spin_unlock_irqrestore(&fb->fb_lock, fl);
	}
	return best;
}

/*
 * The priority the caller has without mutex inheritance: its client's
 * while it works on a message (kern/msg.c), its own otherwise.  (A busy
 * server's IPC boost does not survive an unlock: see docs/kernel-calls.md.)
 */
static int
own_pri(struct thread *td)
{
	if (td->td_workchan && td->td_msginfo.priority > 0)
		return td->td_msginfo.priority;
	return td->td_basepri;
}

/*
 * Release the caller's mutex at addr: hand it to the best waiter, which
 * inherits from the waiters that remain.  0, -EPERM, -EINVAL, -EFAULT.
 */
static int
mutex_unlock(uaddr_t addr)
{
	struct thread *td = curthread, *next, *w;
	uint32_t me = (uint32_t)td->td_tid, owner;
	struct sref sr;
	int rc, top = 0;

	if ((rc = sref_lock(addr, &sr)) < 0)
		return rc;
	owner = __atomic_load_n(sr.sr_owner, __ATOMIC_ACQUIRE);
	if (owner >= _NTO_SYNC_COND || (owner & _NTO_SYNC_OWNER_MASK) != me) {
		sref_unlock(&sr);
		return owner >= _NTO_SYNC_COND ? -EINVAL : -EPERM;
	}
	next = dequeue(&sr);
	if (next) {
		next->td_sync_owner = 0;
		TAILQ_FOREACH(w, &sr.sr_fb->fb_waiters, td_ipclink) {
			if (w->td_futex_pa != sr.sr_pa)
				continue;
			w->td_sync_owner = (uint32_t)next->td_tid;
			top = MAX(top, w->td_pri);
		}
		__atomic_store_n(sr.sr_owner, (uint32_t)next->td_tid |
		    (top ? _NTO_SYNC_WAITING : 0), __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(sr.sr_owner, _NTO_SYNC_MUTEX_FREE, __ATOMIC_RELEASE);
	}
	sref_unlock(&sr);
	if (next) {
		if (top > next->td_pri)
			lwkt_boost(next, top, true);
		wake(next);
	}
	if (td->td_mtxpri) {			/* unwind our inheritance */
		td->td_mtxpri = inherited_pri();
		lwkt_setpri_self(MAX(own_pri(td), td->td_mtxpri));
	}
	return 0;
}

/* ---- the kernel calls ---- */

/*
 * SyncTypeCreate(type, sync, attr): make sync a mutex (_NTO_SYNC_MUTEX_FREE),
 * a semaphore (_NTO_SYNC_SEM, value attr->__count) or a condition
 * variable (_NTO_SYNC_COND).  Mutex flags come from attr->__flags
 * (_NTO_SYNC_NONRECURSIVE etc.; _NTO_SYNC_SHARED: not yet).
 */
long
sys_SyncTypeCreate(long type, long sync, long attrp, long a3, long a4, long a5)
{
	struct _sync_attr attr = { 0 };
	struct sref sr;
	int rc;

	if (attrp && vm_copyin(curthread->td_proc->pr_vm, &attr, (uaddr_t)attrp, sizeof(attr)) < 0)
		return -EFAULT;
	if (type != (long)_NTO_SYNC_MUTEX_FREE && type != (long)_NTO_SYNC_SEM &&
	    type != (long)_NTO_SYNC_COND)
		return -EINVAL;
	if ((attr.__flags & _NTO_SYNC_SHARED) || attr.__count < 0 ||
	    (attr.__flags & ~(int32_t)(_NTO_SYNC_NONRECURSIVE | _NTO_SYNC_NOERRORCHECK |
	    _NTO_SYNC_PRIONONE)))
		return -EINVAL;
	if ((rc = sref_lock((uaddr_t)sync, &sr)) < 0)
		return rc;
	if (has_waiters(&sr)) {
		sref_unlock(&sr);
		return -EBUSY;
	}
	*sr.sr_count = type == (long)_NTO_SYNC_SEM ? attr.__count :
	    type == (long)_NTO_SYNC_COND ? attr.__clockid : attr.__flags;
	__atomic_store_n(sr.sr_owner, (uint32_t)type, __ATOMIC_RELEASE);
	sref_unlock(&sr);
	return 0;
}

/* SyncDestroy(sync): EBUSY while a mutex is owned or anyone waits. */
long
sys_SyncDestroy(long sync, long a1, long a2, long a3, long a4, long a5)
{
	struct sref sr;
	uint32_t owner;
	int rc;

	if ((rc = sref_lock((uaddr_t)sync, &sr)) < 0)
		return rc;
	owner = __atomic_load_n(sr.sr_owner, __ATOMIC_ACQUIRE);
	if (owner == _NTO_SYNC_DESTROYED)
		rc = -EINVAL;
	else if (has_waiters(&sr) || (owner & _NTO_SYNC_OWNER_MASK && owner < _NTO_SYNC_COND))
		rc = -EBUSY;
	else
		__atomic_store_n(sr.sr_owner, _NTO_SYNC_DESTROYED, __ATOMIC_RELEASE);
	sref_unlock(&sr);
	return rc;
}

/* SyncMutexLock(sync): TimerTimeout(_NTO_TIMEOUT_MUTEX) bounds it. */
long
sys_SyncMutexLock(long sync, long a1, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	int rc = mutex_lock((uaddr_t)sync, thread_tmo_deadline(td, STATE_MUTEX), true);

	td->td_sync_owner = 0;
	return rc;
}

/* SyncMutexUnlock(sync) */
long
sys_SyncMutexUnlock(long sync, long a1, long a2, long a3, long a4, long a5)
{
	return mutex_unlock((uaddr_t)sync);
}

/*
 * SyncCondvarWait(cond, mutex): release mutex, wait for a signal on cond,
 * take mutex again.  A signal handler or time-out ends the wait (the
 * mutex is retaken first): a caught signal returns 0, a spurious wake-up
 * as POSIX allows; a time-out (TimerTimeout _NTO_TIMEOUT_CONDVAR)
 * returns -ETIMEDOUT.
 */
long
sys_SyncCondvarWait(long cond, long mutex, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	uint64_t deadline = thread_tmo_deadline(td, STATE_CONDVAR);
	struct sref sr;
	int rc, rc2;

	if ((rc = sref_lock_kind((uaddr_t)cond, _NTO_SYNC_COND, &sr)) < 0)
		return rc;
	__atomic_store_n(sr.sr_owner, _NTO_SYNC_COND, __ATOMIC_RELEASE);
	enqueue(&sr, STATE_CONDVAR);	/* before the unlock: no signal can be missed */
	sref_unlock(&sr);
	rc = mutex_unlock((uaddr_t)mutex);
	if (rc < 0) {
		dequeue_self(td);
		return rc;		/* not the caller's mutex (EPERM) */
	}
	rc = wait_woken(td, deadline, true);
	if (__atomic_load_n(&td->td_killed, __ATOMIC_ACQUIRE))
		return -EINTR;			/* it is going away: never mind the mutex */
	rc2 = mutex_lock((uaddr_t)mutex, 0, false);	/* the mutex comes back first */
	td->td_sync_owner = 0;
	if (rc2 < 0)
		return rc2;
	return rc == -ETIMEDOUT ? rc : 0;
}

/* SyncCondvarSignal(cond, all): wake one (the highest-priority) or all waiters. */
long
sys_SyncCondvarSignal(long cond, long all, long a2, long a3, long a4, long a5)
{
	struct thread *batch[16];
	struct sref sr;
	int rc, n;

	do {
		n = 0;
		if ((rc = sref_lock_kind((uaddr_t)cond, _NTO_SYNC_COND, &sr)) < 0)
			return rc;
		while (n < (int)ARRAY_SIZE(batch) && (batch[n] = dequeue(&sr)) != NULL) {
			n++;
			if (!all)
				break;
		}
		sref_unlock(&sr);
		for (int i = 0; i < n; i++)
			wake(batch[i]);
	} while (all && n == (int)ARRAY_SIZE(batch));
	return 0;
}

/* SyncSemPost(sem): add one to the value, or hand it to the best waiter. */
long
sys_SyncSemPost(long sem, long a1, long a2, long a3, long a4, long a5)
{
	struct thread *td = NULL;
	struct sref sr;
	int rc;

	if ((rc = sref_lock_kind((uaddr_t)sem, _NTO_SYNC_SEM, &sr)) < 0)
		return rc;
	if (*sr.sr_count == INT32_MAX)
		rc = -EOVERFLOW;
	else if ((td = dequeue(&sr)) == NULL)
		__atomic_fetch_add(sr.sr_count, 1, __ATOMIC_RELEASE);
	sref_unlock(&sr);
	if (td)
		wake(td);	/* the post went straight to it */
	return rc;
}

/*
 * SyncSemWait(sem, try): take one from the value; if it is 0, fail with
 * EAGAIN (try) or wait (STATE_SEM; a signal gives EINTR; TimerTimeout
 * _NTO_TIMEOUT_SEM gives ETIMEDOUT).
 */
long
sys_SyncSemWait(long sem, long try, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	struct sref sr;
	int rc;

	if ((rc = sref_lock_kind((uaddr_t)sem, _NTO_SYNC_SEM, &sr)) < 0)
		return rc;
	if (*sr.sr_count > 0) {
		__atomic_fetch_sub(sr.sr_count, 1, __ATOMIC_ACQ_REL);
		sref_unlock(&sr);
		return 0;
	}
	if (try) {
		sref_unlock(&sr);
		return -EAGAIN;
	}
	enqueue(&sr, STATE_SEM);
	sref_unlock(&sr);
	rc = wait_woken(td, thread_tmo_deadline(td, STATE_SEM), true);
	return rc == -ERESTART ? -EINTR : rc;	/* sem_wait: EINTR, as POSIX says */
}
