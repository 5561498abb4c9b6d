/*
 * kern/proc.c - process and user-thread lifetime.
 */
#include <kern/cpu.h>
#include <kern/kobj.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/proc.h>
#include <kern/shutdown.h>
#include <kern/string.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <arch/trapframe.h>
#include <arch/csr.h>
#include <arch/memlayout.h>

__noreturn void user_enter_arch(struct trapframe *tf);

static struct kobj_cache proc_cache;
static int next_pid = 1;	/* atomic */

void
proc_init(void)
{
	if (kobj_cache_init(&proc_cache, "proc", sizeof(struct proc), 64) < 0)
		panic("proc_init: no proc cache");
}

struct proc *
proc_create(const char *name, uint32_t abilities)
{
	struct proc *p = kobj_zalloc(&proc_cache);

	if (p == NULL)
		return NULL;
	p->pr_vm = vm_create();
	if (p->pr_vm == NULL) {
		kobj_free(&proc_cache, p);
		return NULL;
	}
	p->pr_pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
	strlcpy(p->pr_name, name, sizeof(p->pr_name));
	p->pr_abilities = abilities;
	spin_init(&p->pr_lock, "proc");
	TAILQ_INIT(&p->pr_threads);
	p->pr_next_tid = 1;
	return p;
}

static void
proc_destroy(struct proc *p)
{
	vm_destroy(p->pr_vm);
	kobj_free(&proc_cache, p);
}

void
proc_switch_vm(struct thread *td)
{
	if (td->td_proc)
		vm_activate(td->td_proc->pr_vm);
}

/* First run of a user thread: build its frame and drop to user mode. */
static void
user_thread_main(void *arg)
{
	struct thread *td = curthread;
	struct trapframe *tf = (struct trapframe *)((uint8_t *)td->td_kstack +
	    KSTACK_SIZE - sizeof(*tf));

	_Static_assert(sizeof(*tf) <= KSTACK_UFRAME, "trap frame does not fit");

	(void)arg;
	memset(tf, 0, sizeof(*tf));
	tf->tf_sepc = td->td_uentry;
	tf->tf_regs[REG_SP] = td->td_usp;
	tf->tf_regs[REG_A0] = td->td_uarg;
	tf->tf_sstatus = SSTATUS_SPIE | SSTATUS_FS_OFF;	/* SPP = user */
	proc_switch_vm(td);
	user_enter_arch(tf);
}

int
proc_thread_create(struct proc *p, uint64_t entry, uint64_t sp, uint64_t arg,
    int pri, struct cpu *c, struct thread **tdp)
{
	struct thread *td;
	unsigned long fl;
	int rc;

	if (entry >= USER_TOP || sp > USER_TOP || (sp & 15))
		return -EINVAL;
	rc = lwkt_alloc(user_thread_main, NULL, c, pri, p->pr_name, &td);
	if (rc < 0)
		return rc;
	td->td_proc = p;
	td->td_uentry = entry;
	td->td_usp = sp;
	td->td_uarg = arg;
	fl = spin_lock_irqsave(&p->pr_lock);
	td->td_tid = p->pr_next_tid++;
	TAILQ_INSERT_TAIL(&p->pr_threads, td, td_plink);
	p->pr_nthreads++;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (tdp)
		*tdp = td;
	lwkt_start(td);
	return 0;
}

void
proc_thread_exit(int status)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	unsigned long fl;
	bool last;

	KASSERT(p != NULL, "kernel thread %s in proc_thread_exit", td->td_name);
	fl = spin_lock_irqsave(&p->pr_lock);
	TAILQ_REMOVE(&p->pr_threads, td, td_plink);
	last = --p->pr_nthreads == 0;
	if (last)
		p->pr_status = status;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	td->td_proc = NULL;		/* a kernel thread from here on */
	if (last) {
		int pid = p->pr_pid;

		proc_destroy(p);
		if (pid == 1) {
			kprintf("skimmer: init (pid 1) exited with status %d\n", status);
			kernel_poweroff(status);
		}
	}
	lwkt_exit();
}
