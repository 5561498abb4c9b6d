/*
 * kern/signal.c - generating and delivering signals (see kern/signal.h).
 */
#include <kern/bitops.h>
#include <kern/cpu.h>
#include <kern/kobj.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/string.h>
#include <kern/timer.h>
#include <abi/errno.h>
#include <abi/procmgr.h>
#include <abi/thread.h>
#include <arch/trapframe.h>

#define STOP_SIGS	(SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

bool
sig_default_ignores(int signo)
{
	return signo == SIGCHLD || signo == SIGURG || signo == SIGWINCH || signo == SIGCONT;
}

bool
sig_default_stops(int signo)
{
	return (STOP_SIGS & SIGBIT(signo)) != 0;
}

/* What delivering signo would do now (pr_lock held). */
enum sigdo { SD_IGNORE, SD_STOP, SD_KILL, SD_HANDLER };

static enum sigdo
sig_what(const struct proc *p, int signo)
{
	uint64_t h = p->pr_sig.ps_tab->pt_act[signo - 1].ka_handler;

	if (signo == SIGKILL)
		return SD_KILL;
	if (h == __ABI_SIG_IGN)
		return SD_IGNORE;
	if (h != __ABI_SIG_DFL)
		return SD_HANDLER;
	if (sig_default_ignores(signo))
		return SD_IGNORE;
	return sig_default_stops(signo) ? SD_STOP : SD_KILL;
}

/* Would td take signo (it does not block it, or waits for it in SignalWaitinfo)? */
static bool
takes(const struct thread *td, uint64_t bit)
{
	return !(td->td_sig.ts_blocked & bit) || (td->td_sigwait & bit);
}

/* Remove the bits of `bits` from every pending set of p (pr_lock held). */
static void
unpend(struct proc *p, uint64_t bits)
{
	struct thread *td;

	__atomic_and_fetch(&p->pr_sig.ps_pend, ~bits, __ATOMIC_RELAXED);
	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		__atomic_and_fetch(&td->td_sig.ts_pend, ~bits, __ATOMIC_RELAXED);
}

/* Record si as pending on td (or on p if td is NULL), unless already pending. */
static void
pend(struct proc *p, struct thread *td, const struct ksiginfo *si)
{
	uint64_t bit = SIGBIT(si->ksi_signo);
	uint64_t *set = td ? &td->td_sig.ts_pend : &p->pr_sig.ps_pend;
	struct ksiginfo *info = td ? td->td_sig.ts_info : p->pr_sig.ps_tab->pt_info;

	if (!(*set & bit)) {
		info[si->ksi_signo - 1] = *si;
		__atomic_or_fetch(set, bit, __ATOMIC_RELEASE);
	}
}

/* Does any thread of p (td alone if td) block bit? (pr_lock held) */
static bool
blocked_by_any(struct proc *p, struct thread *td, uint64_t bit)
{
	if (td)
		return (td->td_sig.ts_blocked & bit) != 0;
	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		if (td->td_sig.ts_blocked & bit)
			return true;
	return false;
}

/* A thread of p that takes bit, preferring td (pr_lock held).  NULL if none. */
static struct thread *
pick_thread(struct proc *p, struct thread *td, uint64_t bit)
{
	if (td)
		return takes(td, bit) ? td : NULL;
	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		if (takes(td, bit))
			return td;
	return NULL;
}

/* Stop p (a stop signal's default action); p's threads stop on their way to user mode. */
static void
proc_stop(struct proc *p, int signo)
{
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	bool was = p->pr_sig.ps_stopped;

	__atomic_store_n(&p->pr_sig.ps_stopped, true, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (!was) {
		proc_notify_mgr(_PULSE_CODE_PROCSTOP, p->pr_pid, WSTATUS_STOPPED(signo));
		proc_wake_threads(p);
	}
}

static struct thread *
find_thread(struct proc *p, int tid)
{
	struct thread *td;

	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		if (td->td_tid == tid)
			return td;
	return NULL;
}

/*
 * An ignored signal is discarded when sent, unless it is ignored only by
 * default and someone may still want it: a thread blocks it (it stays
 * pending, as on Linux) or waits for it in SignalWaitinfo (pr_lock held).
 */
static bool
wants_ignored(struct proc *p, struct thread *td, int signo, struct thread *taker)
{
	uint64_t bit = SIGBIT(signo);

	if (p->pr_sig.ps_tab->pt_act[signo - 1].ka_handler == __ABI_SIG_IGN)
		return false;
	return blocked_by_any(p, td, bit) || (taker && (taker->td_sigwait & bit));
}

bool
sig_is_pending(struct proc *p, int tid, int signo)
{
	uint64_t bit = SIGBIT(signo);
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	struct thread *td = tid ? find_thread(p, tid) : NULL;
	bool yes = (p->pr_sig.ps_pend & bit) || (td && (td->td_sig.ts_pend & bit));

	spin_unlock_irqrestore(&p->pr_lock, fl);
	return yes;
}

int
sig_post(struct proc *p, int tid, const struct ksiginfo *si, int flags)
{
	int signo = si->ksi_signo;
	uint64_t bit = SIGBIT(signo);
	struct thread *td = NULL, *wake = NULL;
	enum sigdo what;
	bool cont = false;
	unsigned long fl;

	if (signo == SIGKILL && !(flags & SIGPOST_DEFER)) {
		proc_kill(p, NULL, WSTATUS_SIGNALED(SIGKILL));
		return 0;
	}
	fl = spin_lock_irqsave(&p->pr_lock);
	if (p->pr_dying || (tid && (td = find_thread(p, tid)) == NULL)) {
		spin_unlock_irqrestore(&p->pr_lock, fl);
		return -ESRCH;
	}
	if (signo == SIGCONT) {
		cont = p->pr_sig.ps_stopped;
		__atomic_store_n(&p->pr_sig.ps_stopped, false, __ATOMIC_RELEASE);
		unpend(p, STOP_SIGS);
	} else if (sig_default_stops(signo)) {
		unpend(p, SIGBIT(SIGCONT));
	}
	what = sig_what(p, signo);
	wake = pick_thread(p, td, bit);
	if (what == SD_IGNORE && !wants_ignored(p, td, signo, wake)) {
		wake = NULL;			/* discarded, as POSIX says */
	} else if ((what == SD_KILL || what == SD_STOP) && wake &&
	    !(wake->td_sig.ts_blocked & bit) && !(flags & SIGPOST_DEFER)) {
		/* Fatal or stopping, and not blocked (not just waited for): act now (below). */
	} else {
		pend(p, td, si);
		what = SD_HANDLER;		/* acted on at delivery */
		if (wake)
			__atomic_fetch_add(&wake->td_holds, 1, __ATOMIC_ACQUIRE);
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);

	if (cont) {
		proc_notify_mgr(_PULSE_CODE_PROCSTOP, p->pr_pid, WSTATUS_CONTINUED);
		proc_wake_threads(p);
	}
	if (what == SD_KILL)
		proc_kill(p, NULL, WSTATUS_SIGNALED(signo));
	else if (what == SD_STOP)
		proc_stop(p, signo);
	else if (what == SD_HANDLER && wake)
		proc_nudge(wake);
	return 0;
}

int
sig_interrupted(struct thread *td)
{
	return sig_interrupted_inline(td);
}

/* Sleep while p is stopped (and td not killed). */
static void
stop_wait(struct thread *td, struct proc *p)
{
	int state = td->td_state;

	td->td_state = STATE_STOPPED;
	crit_enter();
	while (__atomic_load_n(&p->pr_sig.ps_stopped, __ATOMIC_ACQUIRE) &&
	    !__atomic_load_n(&td->td_killed, __ATOMIC_ACQUIRE))
		lwkt_sleep(0);
	crit_exit();
	td->td_state = state;
}

/*
 * Take the lowest deliverable signal, thread-directed ones first, into
 * *si (pr_lock held).  Returns its number, or 0 if none.
 */
static int
take_signal(struct thread *td, struct proc *p, uint64_t allowed, struct ksiginfo *si)
{
	struct tsig *ts = &td->td_sig;
	struct psig *ps = &p->pr_sig;
	uint64_t *set = &ts->ts_pend;
	struct ksiginfo *info = ts->ts_info;
	int signo;

	if (!(ts->ts_pend & allowed)) {
		set = &ps->ps_pend;
		info = ps->ps_tab->pt_info;
	}
	if (!(*set & allowed))
		return 0;
	signo = highbit64((*set & allowed) & -(*set & allowed)) + 1;	/* the lowest */
	*si = info[signo - 1];
	__atomic_and_fetch(set, ~SIGBIT(signo), __ATOMIC_RELEASE);
	return signo;
}

/* Restart the interrupted kernel call: run its ecall again with its first argument. */
static void
restart_call(struct trapframe *tf, struct tsig *ts)
{
	tf->tf_sepc -= 4;
	tf->tf_regs[REG_A0] = ts->ts_restart_a0;
}

/*
 * Run signo's handler: push the frame, switch the mask.  Called with
 * pr_lock held at fl; drops it.  Returns false if the frame did not fit
 * (the process is then ended with SIGSEGV).
 */
static bool
run_handler(struct trapframe *tf, struct thread *td, struct proc *p, const struct ksiginfo *si,
    unsigned long fl)
{
	struct tsig *ts = &td->td_sig;
	struct ksigact act = p->pr_sig.ps_tab->pt_act[si->ksi_signo - 1];
	uint64_t saved = ts->ts_has_saved ? ts->ts_saved : ts->ts_blocked;
	uint64_t stub = p->pr_sig.ps_stub;

	if (act.ka_flags & SA_RESETHAND)
		memset(&p->pr_sig.ps_tab->pt_act[si->ksi_signo - 1], 0, sizeof(act));
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (ts->ts_restart && (act.ka_flags & SA_RESTART))
		restart_call(tf, ts);		/* the handler returns to the ecall */
	ts->ts_restart = false;
	if (sig_frame_push_arch(tf, &act, stub, si, saved) < 0) {
		proc_kill(p, NULL, WSTATUS_SIGNALED(SIGSEGV));
		return false;
	}
	fl = spin_lock_irqsave(&p->pr_lock);
	ts->ts_has_saved = false;
	ts->ts_blocked = (ts->ts_blocked | act.ka_mask |
	    ((act.ka_flags & SA_NODEFER) ? 0 : SIGBIT(si->ksi_signo))) & ~SIG_UNCATCHABLE;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return true;
}

void
sig_user_return(struct trapframe *tf)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct tsig *ts = &td->td_sig;
	struct ksiginfo si;
	unsigned long fl;
	int signo;

	for (;;) {
		if (__atomic_load_n(&p->pr_sig.ps_stopped, __ATOMIC_ACQUIRE))
			stop_wait(td, p);
		if (__atomic_load_n(&td->td_killed, __ATOMIC_ACQUIRE))
			return;
		fl = spin_lock_irqsave(&p->pr_lock);
		signo = take_signal(td, p, ~ts->ts_blocked, &si);
		if (signo == 0)
			break;
		switch (sig_what(p, signo)) {
		case SD_HANDLER:
			run_handler(tf, td, p, &si, fl);
			return;			/* one handler per return to user mode */
		case SD_IGNORE:
			spin_unlock_irqrestore(&p->pr_lock, fl);
			continue;
		case SD_STOP:
			spin_unlock_irqrestore(&p->pr_lock, fl);
			proc_stop(p, signo);
			continue;
		case SD_KILL:
			spin_unlock_irqrestore(&p->pr_lock, fl);
			proc_kill(p, NULL, WSTATUS_SIGNALED(signo));
			return;
		}
	}
	/* No handler ran: an interrupted call restarts, a suspended mask comes back. */
	if (ts->ts_has_saved) {
		ts->ts_blocked = ts->ts_saved;
		ts->ts_has_saved = false;
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (ts->ts_restart)
		restart_call(tf, ts);
	ts->ts_restart = false;
}

bool
sig_fault(int signo, int code, uint64_t addr)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct ksiginfo si = {
		.ksi_signo = signo, .ksi_code = code, .ksi_value = (int64_t)addr,
	};
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	bool handled = sig_what(p, signo) == SD_HANDLER && !(td->td_sig.ts_blocked & SIGBIT(signo));

	if (handled) {
		/* Replace any older pending one: this fault is what happened now. */
		td->td_sig.ts_info[signo - 1] = si;
		__atomic_or_fetch(&td->td_sig.ts_pend, SIGBIT(signo), __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return handled;
}

static struct kobj_cache psigtab_cache, tsiginfo_cache;

void
sig_init(void)
{
	if (kobj_cache_init(&psigtab_cache, "psigtab", sizeof(struct psigtab), 8) < 0 ||
	    kobj_cache_init(&tsiginfo_cache, "tsiginfo", sizeof(struct ksiginfo) * NSIG_K, 8) < 0)
		panic("sig_init: no caches");
}

int
sig_proc_init(struct proc *p)
{
	p->pr_sig.ps_tab = kobj_zalloc(&psigtab_cache);
	return p->pr_sig.ps_tab ? 0 : -ENOMEM;
}

void
sig_proc_fini(struct proc *p)
{
	kobj_free(&psigtab_cache, p->pr_sig.ps_tab);
	p->pr_sig.ps_tab = NULL;
}

int
sig_thread_init(struct thread *td, const struct thread *creator)
{
	memset(&td->td_sig, 0, sizeof(td->td_sig));
	td->td_sigwait = 0;
	td->td_sig.ts_info = kobj_alloc(&tsiginfo_cache);
	if (td->td_sig.ts_info == NULL)
		return -ENOMEM;
	if (creator && creator->td_proc == td->td_proc)
		td->td_sig.ts_blocked = creator->td_sig.ts_blocked;
	else				/* a process's first thread: what the manager set */
		td->td_sig.ts_blocked = __atomic_load_n(&td->td_proc->pr_sig.ps_initmask,
		    __ATOMIC_ACQUIRE);
	return 0;
}

bool
sig_on_altstack(const struct thread *td, uint64_t sp)
{
	const struct tsig *ts = &td->td_sig;

	return ts->ts_ss_size != 0 && sp > ts->ts_ss_sp && sp - ts->ts_ss_sp <= ts->ts_ss_size;
}

uint64_t
sig_stack_pick(const struct thread *td, const struct ksigact *act, uint64_t sp,
    struct __abi_stack *uc)
{
	const struct tsig *ts = &td->td_sig;
	bool on = sig_on_altstack(td, sp);

	*uc = (struct __abi_stack){ .ss_sp = ts->ts_ss_sp, .ss_size = ts->ts_ss_size,
	    .ss_flags = ts->ts_ss_size == 0 ? __ABI_SS_DISABLE : on ? __ABI_SS_ONSTACK : 0 };
	if ((act->ka_flags & SA_ONSTACK) && ts->ts_ss_size != 0 && !on)
		return ts->ts_ss_sp + ts->ts_ss_size;
	return sp;
}

void
sig_thread_fini(struct thread *td)
{
	if (td->td_sig.ts_info)
		kobj_free(&tsiginfo_cache, td->td_sig.ts_info);
	td->td_sig.ts_info = NULL;
}

void
sig_fill_info(struct __abi_siginfo *s, const struct ksiginfo *si)
{
	memset(s, 0, sizeof(*s));
	s->asi_signo = si->ksi_signo;
	s->asi_code = si->ksi_code;
	if (si->ksi_signo == SIGSEGV || si->ksi_signo == SIGBUS || si->ksi_signo == SIGILL ||
	    si->ksi_signo == SIGTRAP || si->ksi_signo == SIGFPE) {
		if (si->ksi_code > 0) {		/* a fault, not a kill() of a fault signal */
			s->__asi_fields.asi_addr = (uint64_t)si->ksi_value;
			return;
		}
	}
	s->__asi_fields.__asi_kill.asi_pid = si->ksi_pid;
	if (si->ksi_signo == SIGCHLD)
		s->__asi_fields.__asi_chld.asi_status = si->ksi_status;
	else
		s->__asi_fields.__asi_kill.asi_value = si->ksi_value;
}

int
sig_action(struct proc *p, int signo, const struct ksigact *new, struct ksigact *old,
    uint64_t stub)
{
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);

	if (old)
		*old = p->pr_sig.ps_tab->pt_act[signo - 1];
	if (new) {
		p->pr_sig.ps_tab->pt_act[signo - 1] = *new;
		p->pr_sig.ps_tab->pt_act[signo - 1].ka_mask &= ~SIG_UNCATCHABLE;
		if (stub)
			p->pr_sig.ps_stub = stub;
		if (sig_what(p, signo) == SD_IGNORE)
			unpend(p, SIGBIT(signo));	/* POSIX: pending ones are discarded */
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return 0;
}

bool
sig_has_stub(struct proc *p)
{
	return __atomic_load_n(&p->pr_sig.ps_stub, __ATOMIC_RELAXED) != 0;
}

uint64_t
sig_setmask(struct thread *td, int how, uint64_t set)
{
	struct tsig *ts = &td->td_sig;
	unsigned long fl = spin_lock_irqsave(&td->td_proc->pr_lock);
	uint64_t old = ts->ts_blocked, new = old;

	if (how == __ABI_SIG_BLOCK)
		new = old | set;
	else if (how == __ABI_SIG_UNBLOCK)
		new = old & ~set;
	else if (how == __ABI_SIG_SETMASK)
		new = set;
	__atomic_store_n(&ts->ts_blocked, new & ~SIG_UNCATCHABLE, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&td->td_proc->pr_lock, fl);
	return old;
}

int
sig_suspend(uint64_t mask, uint64_t deadline)
{
	struct thread *td = curthread;
	struct tsig *ts = &td->td_sig;
	unsigned long fl = spin_lock_irqsave(&td->td_proc->pr_lock);
	int rc = -EINTR;

	ts->ts_saved = ts->ts_blocked;
	ts->ts_has_saved = true;
	__atomic_store_n(&ts->ts_blocked, mask & ~SIG_UNCATCHABLE, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&td->td_proc->pr_lock, fl);
	td->td_state = STATE_SIGSUSPEND;
	crit_enter();
	while (sig_interrupted(td) == 0) {
		uint64_t now = timer_now();

		if (deadline && now >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		lwkt_sleep(deadline ? deadline - now : 0);
	}
	crit_exit();
	td->td_state = STATE_RUNNING;
	if (rc == -ETIMEDOUT) {		/* no signal: the old mask now */
		fl = spin_lock_irqsave(&td->td_proc->pr_lock);
		ts->ts_blocked = ts->ts_saved;
		ts->ts_has_saved = false;
		spin_unlock_irqrestore(&td->td_proc->pr_lock, fl);
	}
	return rc;		/* -EINTR: the old mask comes back in sig_user_return */
}

int
sig_waitinfo(uint64_t set, struct ksiginfo *si, uint64_t deadline)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	unsigned long fl;
	int rc;

	set &= ~SIG_UNCATCHABLE;
	td->td_state = STATE_SIGWAITINFO;
	for (;;) {
		uint64_t now = timer_now();

		fl = spin_lock_irqsave(&p->pr_lock);
		rc = take_signal(td, p, set, si);
		td->td_sigwait = rc ? 0 : set;	/* sig_post may pick us for these */
		spin_unlock_irqrestore(&p->pr_lock, fl);
		if (rc)
			break;
		rc = sig_interrupted(td);
		if (rc == 0 && deadline && now >= deadline)
			rc = -ETIMEDOUT;
		if (rc) {
			if (rc == -ERESTART)
				rc = -EINTR;
			break;
		}
		crit_enter();
		if (!((__atomic_load_n(&td->td_sig.ts_pend, __ATOMIC_ACQUIRE) |
		    __atomic_load_n(&p->pr_sig.ps_pend, __ATOMIC_ACQUIRE)) & set))
			lwkt_sleep(deadline ? deadline - now : 0);
		crit_exit();
	}
	fl = spin_lock_irqsave(&p->pr_lock);
	td->td_sigwait = 0;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	td->td_state = STATE_RUNNING;
	return rc;
}

void
sig_proc_copy(struct proc *dst, struct proc *src)
{
	struct proc *first = dst < src ? dst : src, *second = dst < src ? src : dst;
	unsigned long fl = spin_lock_irqsave(&first->pr_lock);

	spin_lock(&second->pr_lock);
	memcpy(dst->pr_sig.ps_tab->pt_act, src->pr_sig.ps_tab->pt_act,
	    sizeof(dst->pr_sig.ps_tab->pt_act));
	dst->pr_sig.ps_stub = src->pr_sig.ps_stub;
	spin_unlock(&second->pr_lock);
	spin_unlock_irqrestore(&first->pr_lock, fl);
}

void
sig_exec_reset(struct proc *p)
{
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);

	for (int i = 0; i < NSIG_K; i++) {
		struct ksigact *a = &p->pr_sig.ps_tab->pt_act[i];

		if (a->ka_handler != __ABI_SIG_IGN)
			memset(a, 0, sizeof(*a));	/* caught: the new program has no handler */
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
}

void
sig_proc_inherit_ign(struct proc *dst, struct proc *src, uint64_t keep_dfl)
{
	struct proc *first = dst < src ? dst : src, *second = dst < src ? src : dst;
	unsigned long fl = spin_lock_irqsave(&first->pr_lock);

	if (second != first)
		spin_lock(&second->pr_lock);
	for (int i = 0; i < NSIG_K; i++) {
		const struct ksigact *a = &src->pr_sig.ps_tab->pt_act[i];

		if (a->ka_handler == __ABI_SIG_IGN && !(keep_dfl & SIGBIT(i + 1)))
			dst->pr_sig.ps_tab->pt_act[i] = *a;
	}
	if (second != first)
		spin_unlock(&second->pr_lock);
	spin_unlock_irqrestore(&first->pr_lock, fl);
}

uint64_t
sig_initmask(struct proc *p, int how, uint64_t set)
{
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	uint64_t old = p->pr_sig.ps_initmask;

	if (p->pr_nthreads > 0) {
		old = (uint64_t)-1;
	} else if (how == __ABI_SIG_BLOCK) {
		p->pr_sig.ps_initmask |= set;
	} else if (how == __ABI_SIG_UNBLOCK) {
		p->pr_sig.ps_initmask &= ~set;
	} else if (how == __ABI_SIG_SETMASK) {
		p->pr_sig.ps_initmask = set;
	}
	p->pr_sig.ps_initmask &= ~SIG_UNCATCHABLE;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return old;
}
