/*
 * kern/kstack.h - memory for threads: struct thread objects and kernel
 * stacks.  Any CPU, any context that may allocate (no locks held); never
 * blocks.  Allocation failures return NULL.
 */
#ifndef KERN_KSTACK_H
#define KERN_KSTACK_H

struct thread;

/* Boot CPU, once, after the frame allocator is up. 0 or -ENOMEM. */
int kstack_init(void);

struct thread *thread_struct_alloc(void);
void thread_struct_free(struct thread *td);

/* A KSTACK_SIZE stack (direct-mapped frames), lowest address returned. */
void *kstack_alloc(void);
void kstack_free(void *stack);

#endif
