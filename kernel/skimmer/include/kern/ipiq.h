/*
 * kern/ipiq.h - inter-processor function-call queues (DragonFly's ipiq).
 *
 * Each ordered pair of CPUs (src, dst) has its own single-producer,
 * single-consumer ring, stored in the destination's struct cpu as
 * gd_ipiq[src].  Only CPU src writes iq_windex and the slots; only CPU dst
 * advances iq_rindex.  No lock: the indices are published with
 * release/acquire ordering.  Producing happens inside a critical section,
 * so an interrupt handler on the same CPU can never interleave two sends
 * into one ring.
 *
 * A function sent with ipiq_send() runs on the target CPU inside a
 * critical section, from the IPI interrupt or at the end of the critical
 * section that the interrupt found.  It must not block.
 */
#ifndef KERN_IPIQ_H
#define KERN_IPIQ_H

#include <kern/types.h>

#define IPIQ_SIZE	256	/* entries per ring; a power of two */

typedef void (*ipifunc_t)(void *arg);

struct ipiq_entry {
	ipifunc_t	ie_func;
	void		*ie_arg;
};

struct ipiq {
	uint32_t	iq_windex;	/* next slot to write (src cpu only) */
	uint32_t	iq_rindex;	/* next slot to read (dst cpu only) */
	uint64_t	iq_sent;	/* entries ever pushed (src cpu only) */
	struct ipiq_entry iq_ring[IPIQ_SIZE];
};

/* Pure ring operations (host-testable).  push: producer only; pop: consumer only. */
void ipiq_ring_init(struct ipiq *q);
bool ipiq_ring_push(struct ipiq *q, ipifunc_t func, void *arg);
bool ipiq_ring_pop(struct ipiq *q, struct ipiq_entry *out);
uint32_t ipiq_ring_count(const struct ipiq *q);

#ifndef HOST_TEST
struct cpu;

/*
 * Run func(arg) on CPU dst.  Called from any context; returns once queued
 * (the function may not have run yet).  If dst is the calling CPU the
 * function runs before ipiq_send returns.  When the ring is full the
 * sender drains its own incoming queues while it waits, so two CPUs
 * sending to each other cannot deadlock.
 */
void ipiq_send(struct cpu *dst, ipifunc_t func, void *arg);

/*
 * Run func(arg) on CPU dst and wait until it has run.  Thread context (the
 * caller sleeps); func runs in a critical section on dst.
 */
void ipiq_call_sync(struct cpu *dst, ipifunc_t func, void *arg);

/* Run everything queued for this CPU.  Called in a critical section. */
void ipiq_process(void);

/* The IPI interrupt (software interrupt) handler. */
void ipiq_intr(void);
#endif

#endif
