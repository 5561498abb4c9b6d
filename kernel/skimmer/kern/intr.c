/*
 * kern/intr.c - device interrupt dispatch.
 */
#include <kern/cpu.h>
#include <kern/intr.h>
#include <kern/ipiq.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <abi/errno.h>
#include <arch/csr.h>

struct intr_source {
	intr_handler_t	is_handler;	/* NULL if none (owner cpu) */
	void		*is_arg;
	struct cpu	*is_cpu;	/* routed to (set with the handler) */
	uint64_t	is_count;	/* handled (owner cpu; read by tests) */
	bool		is_mask_after;	/* handler asked: mask once completed (owner cpu) */
};

static struct intr_source sources[INTR_MAX];

int
intr_init(void)
{
	return intr_init_arch();
}

void
intr_init_cpu(void)
{
	intr_init_cpu_arch();
	csr_set(sie, SIE_SEIE);
}

struct intr_req {
	int		ir_irq;
	intr_handler_t	ir_handler;	/* NULL: detach */
	void		*ir_arg;
	bool		ir_on;		/* intr_set_enabled: enable (or mask) */
};

/* Runs on the target CPU: install the handler and unmask the source. */
static void
establish_here(void *arg)
{
	struct intr_req *r = arg;
	struct intr_source *is = &sources[r->ir_irq];

	is->is_handler = r->ir_handler;
	is->is_arg = r->ir_arg;
	is->is_cpu = mycpu();
	intr_route_arch(r->ir_irq, mycpu()->gd_hartid, r->ir_handler != NULL);
}

int
intr_establish(int irq, struct cpu *c, intr_handler_t handler, void *arg)
{
	struct intr_req r = { irq, handler, arg, false };

	if (irq <= 0 || irq >= INTR_MAX || handler == NULL)
		return -EINVAL;
	if (__atomic_load_n(&sources[irq].is_handler, __ATOMIC_ACQUIRE))
		return -EBUSY;
	ipiq_call_sync(c, establish_here, &r);
	return 0;
}

void
intr_disestablish(int irq)
{
	struct intr_req r = { irq, NULL, NULL, false };

	if (irq <= 0 || irq >= INTR_MAX || sources[irq].is_cpu == NULL)
		return;
	ipiq_call_sync(sources[irq].is_cpu, establish_here, &r);
}

void
intr_process(void)
{
	int irq;

	while ((irq = intr_claim_arch()) > 0) {
		struct intr_source *is = irq < INTR_MAX ? &sources[irq] : NULL;

		mycpu()->gd_stats.cs_ext_intrs++;
		if (is && is->is_handler) {
			is->is_count++;
			is->is_handler(is->is_arg, irq);
		}
		/* Complete before masking: the PLIC ignores the completion of a
		   source that is not enabled for this hart. */
		intr_complete_arch(irq);
		if (is && is->is_mask_after) {
			is->is_mask_after = false;
			intr_route_arch(irq, mycpu()->gd_hartid, false);
		}
	}
	csr_set(sie, SIE_SEIE);
}

void
intr_external(void)
{
	struct thread *td = curthread;

	if (td->td_critcount) {
		csr_clear(sie, SIE_SEIE);
		cpu_request(mycpu(), RQF_INTR);
		return;
	}
	td->td_critcount++;
	intr_process();
	td->td_critcount--;
}

/* Runs on the source's CPU: set or clear its enable bit. */
static void
enable_here(void *arg)
{
	struct intr_req *r = arg;

	intr_route_arch(r->ir_irq, mycpu()->gd_hartid, r->ir_on);
}

void
intr_mask_after_handler(int irq)
{
	sources[irq].is_mask_after = true;
}

void
intr_set_enabled(int irq, bool on)
{
	struct cpu *c = irq > 0 && irq < INTR_MAX ? sources[irq].is_cpu : NULL;
	struct intr_req r = { irq, NULL, NULL, on };

	if (c == NULL || sources[irq].is_handler == NULL)
		return;
	ipiq_call_sync(c, enable_here, &r);	/* when an unmask returns, it is unmasked */
}

uint64_t
intr_count(int irq)
{
	return irq > 0 && irq < INTR_MAX ? __atomic_load_n(&sources[irq].is_count,
	    __ATOMIC_RELAXED) : 0;
}
