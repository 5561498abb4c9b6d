/*
 * kern/ipiq_ring.c - the lock-free single-producer/single-consumer ring
 * under the IPI queues.  Pure code: it builds on the host for the tests.
 */
#include <kern/ipiq.h>

void
ipiq_ring_init(struct ipiq *q)
{
	q->iq_windex = 0;
	q->iq_rindex = 0;
	q->iq_sent = 0;
}

bool
ipiq_ring_push(struct ipiq *q, ipifunc_t func, void *arg)
{
	uint32_t w = q->iq_windex;	/* only we write it */
	uint32_t r = __atomic_load_n(&q->iq_rindex, __ATOMIC_ACQUIRE);

	if (w - r >= IPIQ_SIZE)
		return false;
	q->iq_ring[w & (IPIQ_SIZE - 1)].ie_func = func;
	q->iq_ring[w & (IPIQ_SIZE - 1)].ie_arg = arg;
	/* The slot must be visible before the index that publishes it. */
	__atomic_store_n(&q->iq_windex, w + 1, __ATOMIC_RELEASE);
	q->iq_sent++;
	return true;
}

bool
ipiq_ring_pop(struct ipiq *q, struct ipiq_entry *out)
{
	uint32_t r = q->iq_rindex;	/* only we write it */
	uint32_t w = __atomic_load_n(&q->iq_windex, __ATOMIC_ACQUIRE);

	if (r == w)
		return false;
	*out = q->iq_ring[r & (IPIQ_SIZE - 1)];
	/* Done reading the slot before the producer may reuse it. */
	__atomic_store_n(&q->iq_rindex, r + 1, __ATOMIC_RELEASE);
	return true;
}

uint32_t
ipiq_ring_count(const struct ipiq *q)
{
	return __atomic_load_n(&q->iq_windex, __ATOMIC_ACQUIRE) -
	    __atomic_load_n(&q->iq_rindex, __ATOMIC_ACQUIRE);
}
