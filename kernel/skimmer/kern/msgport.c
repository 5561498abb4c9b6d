/*
 * kern/msgport.c - kernel message ports.
 *
 * Every queue operation runs on the port owner's CPU in a critical
 * section; other CPUs send the operation there.  A port's owner may
 * migrate: operations that arrive at the old CPU are forwarded.
 */
#include <kern/cpu.h>
#include <kern/ipiq.h>
#include <kern/lwkt.h>
#include <kern/msgport.h>
#include <kern/panic.h>
#include <kern/timer.h>

void
lwkt_initport(struct msgport *port, struct thread *td)
{
	TAILQ_INIT(&port->mp_msgq);
	port->mp_td = td;
	port->mp_flags = 0;
	port->mp_received = 0;
}

void
lwkt_initmsg(struct msg *msg, struct msgport *reply_port, int cmd)
{
	msg->ms_target = NULL;
	msg->ms_reply_port = reply_port;
	msg->ms_flags = MSGF_DONE;
	msg->ms_cmd = cmd;
	msg->ms_error = 0;
}

/* The CPU that owns port now. */
static inline struct cpu *
port_cpu(const struct msgport *port)
{
	return __atomic_load_n(&port->mp_td->td_cpu, __ATOMIC_ACQUIRE);
}

/* Queue msg on port and wake a waiting owner.  Owner cpu, crit. */
static void
port_enqueue(struct msgport *port, struct msg *msg)
{
	TAILQ_INSERT_TAIL(&port->mp_msgq, msg, ms_link);
	msg->ms_flags |= MSGF_QUEUED;
	port->mp_received++;
	if (port->mp_flags & MSGPORTF_WAITING)
		lwkt_schedule(port->mp_td);
}

static void putport_here(void *arg);

/* Run fn(msg) on the CPU owning port: here, or forwarded. */
static void
on_port_cpu(struct msgport *port, ipifunc_t fn, struct msg *msg)
{
	ipiq_send(port_cpu(port), fn, msg);
}

static void
putport_here(void *arg)
{
	struct msg *msg = arg;
	struct msgport *port = msg->ms_target;

	if (port_cpu(port) != mycpu()) {	/* the owner migrated meanwhile */
		on_port_cpu(port, putport_here, msg);
		return;
	}
	port_enqueue(port, msg);
}

void
lwkt_sendmsg(struct msgport *port, struct msg *msg)
{
	KASSERT(msg->ms_flags & MSGF_DONE, "sending a message we do not own (flags %x)",
	    msg->ms_flags);
	msg->ms_flags &= ~(MSGF_DONE | MSGF_REPLY | MSGF_SYNC);
	msg->ms_target = port;
	on_port_cpu(port, putport_here, msg);
}

int
lwkt_domsg(struct msgport *port, struct msg *msg)
{
	KASSERT(msg->ms_flags & MSGF_DONE, "sending a message we do not own (flags %x)",
	    msg->ms_flags);
	msg->ms_flags &= ~(MSGF_DONE | MSGF_REPLY);
	msg->ms_flags |= MSGF_SYNC;
	msg->ms_target = port;
	on_port_cpu(port, putport_here, msg);
	return lwkt_waitmsg(msg);
}

static void
reply_here(void *arg)
{
	struct msg *msg = arg;
	struct msgport *port = msg->ms_reply_port;

	if (port_cpu(port) != mycpu()) {
		on_port_cpu(port, reply_here, msg);
		return;
	}
	if (msg->ms_flags & MSGF_SYNC) {
		msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
		lwkt_schedule(port->mp_td);
	} else {
		msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
		port_enqueue(port, msg);
	}
}

void
lwkt_replymsg(struct msg *msg, int error)
{
	KASSERT(!(msg->ms_flags & (MSGF_DONE | MSGF_QUEUED)),
	    "replying to a message we do not own (flags %x)", msg->ms_flags);
	msg->ms_error = error;
	on_port_cpu(msg->ms_reply_port, reply_here, msg);
}

struct msg *
lwkt_getport(struct msgport *port)
{
	struct msg *msg;

	KASSERT(port->mp_td == curthread, "getport by a thread that does not own the port");
	crit_enter();
	msg = TAILQ_FIRST(&port->mp_msgq);
	if (msg) {
		TAILQ_REMOVE(&port->mp_msgq, msg, ms_link);
		msg->ms_flags &= ~MSGF_QUEUED;
	}
	crit_exit();
	return msg;
}

struct msg *
lwkt_waitport(struct msgport *port, uint64_t timeout)
{
	uint64_t deadline = timeout ? timer_now() + timeout : 0;
	struct msg *msg;

	KASSERT(port->mp_td == curthread, "waitport by a thread that does not own the port");
	crit_enter();
	while ((msg = lwkt_getport(port)) == NULL) {
		uint64_t now = timer_now();

		if (deadline && now >= deadline)
			break;
		port->mp_flags |= MSGPORTF_WAITING;
		lwkt_sleep(deadline ? deadline - now : 0);
		port->mp_flags &= ~MSGPORTF_WAITING;
	}
	crit_exit();
	return msg;
}

int
lwkt_waitmsg(struct msg *msg)
{
	struct msgport *port = msg->ms_reply_port;

	KASSERT(port->mp_td == curthread, "waitmsg by a thread that does not own the reply port");
	crit_enter();
	while (!(msg->ms_flags & MSGF_DONE)) {
		port->mp_flags |= MSGPORTF_WAITING;
		lwkt_sleep(0);
		port->mp_flags &= ~MSGPORTF_WAITING;
	}
	if (msg->ms_flags & MSGF_QUEUED) {
		TAILQ_REMOVE(&port->mp_msgq, msg, ms_link);
		msg->ms_flags &= ~MSGF_QUEUED;
	}
	crit_exit();
	return msg->ms_error;
}
