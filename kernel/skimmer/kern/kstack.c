/*
 * kern/kstack.c - thread objects from a kobj cache, stacks from frames.
 */
#include <kern/frame.h>
#include <kern/kobj.h>
#include <kern/kstack.h>
#include <kern/thread.h>
#include <arch/memlayout.h>

static struct kobj_cache thread_cache;

int
kstack_init(void)
{
	return kobj_cache_init(&thread_cache, "thread", sizeof(struct thread), 64);
}

struct thread *
thread_struct_alloc(void)
{
	return kobj_alloc(&thread_cache);
}

void
thread_struct_free(struct thread *td)
{
	kobj_free(&thread_cache, td);
}

void *
kstack_alloc(void)
{
	paddr_t pa = frame_alloc(KSTACK_ORDER, 0);

	return pa ? phys_to_virt(pa) : NULL;
}

void
kstack_free(void *stack)
{
	frame_free(virt_to_phys(stack), KSTACK_ORDER);
}
