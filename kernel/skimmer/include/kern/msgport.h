/*
 * kern/msgport.h - kernel message ports (DragonFly's lwkt_msgport contract).
 *
 * A message port belongs to one thread, mp_td, and so to that thread's CPU.
 * Its queue is touched only on that CPU inside a critical section; a
 * message put to a port owned by a thread on another CPU is carried there
 * through the IPI queues.  No locks.
 *
 * Ownership of a message: a message may only be manipulated by whoever
 * currently owns it.  The originator owns it until it sends it; then the
 * target port's thread owns it until it replies; the reply hands it back
 * (MSGF_DONE is set on the CPU of the reply port's owner, after which the originator
 * may reuse or free it).  Only the owner may read or write ms_ fields other
 * than through these functions.
 *
 * Synchronous use: lwkt_domsg() sends and sleeps until the reply.
 * Asynchronous use: lwkt_sendmsg() returns at once; the reply is queued on
 * ms_reply_port, whose owner collects it with lwkt_getport()/lwkt_waitport()
 * or waits for that message with lwkt_waitmsg().
 */
#ifndef KERN_MSGPORT_H
#define KERN_MSGPORT_H

#include <kern/types.h>
#include <kern/queue.h>

struct thread;
struct msgport;

struct msg {
	TAILQ_ENTRY(msg) ms_link;	/* on a port's queue (port's cpu, crit) */
	struct msgport	*ms_target;	/* port it was sent to (owner: sender) */
	struct msgport	*ms_reply_port;	/* where the reply goes (owner: sender) */
	uint32_t	ms_flags;	/* MSGF_* (see the ownership rule above) */
	int		ms_cmd;		/* what the receiver should do */
	int		ms_error;	/* result, set by lwkt_replymsg */
	uint64_t	ms_arg[4];	/* small payload; larger messages embed struct msg */
};

/* ms_flags */
#define MSGF_DONE	0x0001	/* owned by the originator: replied or never sent */
#define MSGF_REPLY	0x0002	/* the reply happened */
#define MSGF_QUEUED	0x0004	/* on some port's queue */
#define MSGF_SYNC	0x0008	/* originator sleeps in lwkt_domsg/lwkt_waitmsg */

TAILQ_HEAD(msgq, msg);

struct msgport {
	struct msgq	mp_msgq;	/* queued messages (owner cpu, crit) */
	struct thread	*mp_td;		/* owner: the only thread that receives */
	uint32_t	mp_flags;	/* MSGPORTF_* (owner cpu, crit) */
	uint64_t	mp_received;	/* messages and replies queued here (statistics) */
};

#define MSGPORTF_WAITING 0x0001	/* the owner sleeps in lwkt_waitport */

/* Initialise port for owner td.  Before any use; any CPU. */
void lwkt_initport(struct msgport *port, struct thread *td);

/* Prepare a message: reply port, command; marks it MSGF_DONE (owned). */
void lwkt_initmsg(struct msg *msg, struct msgport *reply_port, int cmd);

/* Asynchronous send: queue msg on port; returns at once.  Any context. */
void lwkt_sendmsg(struct msgport *port, struct msg *msg);

/* Synchronous send: returns the receiver's ms_error.  Thread context; blocks. */
int lwkt_domsg(struct msgport *port, struct msg *msg);

/* The receiver hands msg back with result error.  Any context, any CPU. */
void lwkt_replymsg(struct msg *msg, int error);

/* Dequeue the next message of port (the owner thread only), or NULL. */
struct msg *lwkt_getport(struct msgport *port);

/*
 * Wait for the next message on port (owner only), at most timeout
 * timebase ticks (0: forever).  NULL on time-out.  Blocks.
 */
struct msg *lwkt_waitport(struct msgport *port, uint64_t timeout);

/* Wait until msg is done (replied); dequeues it from its reply port. Blocks. */
int lwkt_waitmsg(struct msg *msg);

#endif
