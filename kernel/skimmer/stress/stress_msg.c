/*
 * stress/stress_msg.c - checksummed messages between clients and servers.
 *
 * A client builds a struct st_msg in a kobj object: sender slot and
 * sequence number in ms_arg[0..1], a checksum of them and the payload in
 * ms_arg[2].  The server checks the checksum, marks the message received
 * (a second delivery finds it marked), counts the delivery in the sender's
 * ledger and replies with ms_arg[3] = a value derived from the checksum
 * and its own slot.  The client checks that the reply is its own, is
 * outstanding exactly once, comes from the server it chose and carries the
 * right value, and measures the round trip.  Server 1 of each CPU roams,
 * so sends and replies also chase port owners that migrate.
 */
#include "stress_int.h"
#include <kern/string.h>

static uint64_t
msg_csum(const struct st_msg *m)
{
	uint64_t h = 0xcbf29ce484222325UL ^ (m->sm_msg.ms_arg[0] * 0x9e3779b97f4a7c15UL);

	h ^= m->sm_msg.ms_arg[1];
	for (uint32_t i = 0; i < m->sm_len && i < ST_PAYLOAD_MAX; i++) {
		h ^= m->sm_payload[i];
		h *= 0x100000001b3UL;
	}
	return h;
}

static uint64_t
reply_value(uint64_t csum, int srv)
{
	return csum * 0x9e3779b97f4a7c15UL + (uint64_t)srv + 1;
}

static struct st_worker *
pick_server(struct st_worker *w)
{
	return st.g_servers[st_below(w, ncpus)][st_below(w, ST_SERVERS_PER_CPU)];
}

static void
fill_payload(struct st_worker *w, struct st_msg *m)
{
	m->sm_len = 1 + st_below(w, ST_PAYLOAD_MAX);
	for (uint32_t i = 0; i < m->sm_len; i += 8) {
		uint64_t r = st_rand(w);

		memcpy(&m->sm_payload[i], &r, MIN(8u, m->sm_len - i));
	}
}

/* A new message from w to server srv, checksummed; NULL if no memory. */
static struct st_msg *
msg_build(struct st_worker *w, struct st_worker *srv, bool async)
{
	struct st_msg *m = kobj_alloc(&st.g_msg_cache);

	if (m == NULL) {
		st_count(SC_ALLOCFAIL);
		return NULL;
	}
	st_count(SC_KOBJS);
	lwkt_initmsg(&m->sm_msg, &curthread->td_msgport, ST_CMD_WORK);
	m->sm_msg.ms_arg[0] = (uint64_t)w->w_id;
	m->sm_msg.ms_arg[1] = ++w->w_seq;
	m->sm_magic = ST_MSG_MAGIC;
	m->sm_srv = srv->w_id;
	m->sm_srv_seen = -1;
	m->sm_async = async;
	fill_payload(w, m);
	m->sm_msg.ms_arg[2] = msg_csum(m);
	m->sm_msg.ms_arg[3] = 0;
	if (st_inject(INJ_CORRUPT))
		m->sm_payload[0] ^= 0x40;	/* after the checksum: the server must notice */
	__atomic_store_n(&m->sm_state, SMS_SENT, __ATOMIC_RELAXED);
	st_watch_of(w)->wa_sent++;
	m->sm_sent = timer_now();
	return m;
}

/* Check a reply w got back for m (w owns m again). */
static void
verify_reply(struct st_worker *w, struct st_msg *m)
{
	uint64_t seq = m->sm_msg.ms_arg[1], rtt = timer_now() - m->sm_sent;
	int state = __atomic_load_n(&m->sm_state, __ATOMIC_RELAXED);

	if (state != SMS_REPLIED || !(m->sm_msg.ms_flags & MSGF_REPLY) ||
	    !(m->sm_msg.ms_flags & MSGF_DONE) || m->sm_msg.ms_error != 0)
		st_violation("reply-state", "%s: reply to seq %lu: state %d, flags %x, error %d",
		    st_name(w), seq, state, m->sm_msg.ms_flags, m->sm_msg.ms_error);
	if (m->sm_srv_seen != m->sm_srv)
		st_violation("reply-misrouted", "%s: seq %lu was sent to %s but handled by slot %d",
		    st_name(w), seq, st.g_watch[m->sm_srv].wa_name, m->sm_srv_seen);
	if (msg_csum(m) != m->sm_msg.ms_arg[2])
		st_violation("message-checksum", "%s: reply to seq %lu came back with checksum "
		    "0x%lx, sent 0x%lx", st_name(w), seq, msg_csum(m), m->sm_msg.ms_arg[2]);
	if (m->sm_msg.ms_arg[3] != reply_value(m->sm_msg.ms_arg[2], m->sm_srv))
		st_violation("reply-value", "%s: reply to seq %lu from %s carries 0x%lx, expected 0x%lx",
		    st_name(w), seq, st.g_watch[m->sm_srv].wa_name, m->sm_msg.ms_arg[3],
		    reply_value(m->sm_msg.ms_arg[2], m->sm_srv));
	st_max(SM_RTT, rtt);
	if (rtt > st.g_late)
		st_violation("deadline", "%s: reply to seq %lu from %s took %lu ms (limit %d ms)",
		    st_name(w), seq, st.g_watch[m->sm_srv].wa_name, st_to_us(rtt) / 1000,
		    STRESS_LATE_MS);
	st_watch_of(w)->wa_replied++;
}

void
st_op_sync(struct st_worker *w)
{
	struct st_worker *srv = pick_server(w);
	struct st_msg *m = msg_build(w, srv, false);

	if (m == NULL)
		return;
	st_block(w, "domsg", m->sm_sent, m->sm_msg.ms_arg[1]);
	lwkt_domsg(&srv->w_td->td_msgport, &m->sm_msg);
	st_block(w, NULL, 0, 0);
	if (m->sm_msg.ms_arg[0] != (uint64_t)w->w_id || m->sm_magic != ST_MSG_MAGIC)
		st_violation("reply-misrouted", "%s: domsg returned a message of slot %lu",
		    st_name(w), m->sm_msg.ms_arg[0]);
	verify_reply(w, m);
	kobj_free(&st.g_msg_cache, m);
	st_count(SC_SYNC);
}

/* Publish the oldest outstanding asynchronous message for the watchdog. */
static void
publish_oldest(struct st_worker *w)
{
	struct st_watch *wa = st_watch_of(w);
	struct st_out *old = NULL;

	for (int i = 0; i < w->w_nasync; i++)
		if (old == NULL || w->w_async[i].o_sent < old->o_sent)
			old = &w->w_async[i];
	if (old == NULL) {
		__atomic_store_n(&wa->wa_async_sent, 0, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&wa->wa_async_seq, old->o_seq, __ATOMIC_RELAXED);
	__atomic_store_n(&wa->wa_async_srv, old->o_srv, __ATOMIC_RELAXED);
	__atomic_store_n(&wa->wa_async_sent, old->o_sent, __ATOMIC_RELEASE);
}

void
st_op_async(struct st_worker *w)
{
	struct st_worker *srv;
	struct st_msg *m;

	if (w->w_nasync == ST_MAX_ASYNC)
		st_collect_replies(w, true);
	srv = pick_server(w);
	m = msg_build(w, srv, true);
	if (m == NULL)
		return;
	w->w_async[w->w_nasync++] = (struct st_out){ m, m->sm_msg.ms_arg[1], m->sm_sent, srv->w_id };
	publish_oldest(w);
	lwkt_sendmsg(&srv->w_td->td_msgport, &m->sm_msg);
	st_count(SC_ASYNC);
}

/* A message arrived on w's port: it must be the reply to one outstanding message. */
static void
collect_one(struct st_worker *w, struct msg *msg)
{
	struct st_msg *m = container_of(msg, struct st_msg, sm_msg);
	uint64_t seq = msg->ms_arg[1];
	int i;

	if (msg->ms_cmd != ST_CMD_WORK || m->sm_magic != ST_MSG_MAGIC)
		st_violation("unexpected-message", "%s: command %d, flags %x on its port",
		    st_name(w), msg->ms_cmd, msg->ms_flags);
	if (msg->ms_arg[0] != (uint64_t)w->w_id)
		st_violation("reply-misrouted", "%s got the reply to seq %lu of slot %lu (%s)",
		    st_name(w), seq, msg->ms_arg[0],
		    msg->ms_arg[0] < ST_MAX_WATCH ? st.g_watch[msg->ms_arg[0]].wa_name : "?");
	for (i = 0; i < w->w_nasync; i++)
		if (w->w_async[i].o_seq == seq)
			break;
	if (i == w->w_nasync)
		st_violation("reply-duplicated", "%s: a reply to seq %lu arrived, but seq %lu is "
		    "not outstanding (its reply was collected already)", st_name(w), seq, seq);
	if (w->w_async[i].o_msg != m)
		st_violation("reply-duplicated", "%s: seq %lu came back in message %p, but was "
		    "sent in %p", st_name(w), seq, m, w->w_async[i].o_msg);
	verify_reply(w, m);
	w->w_async[i] = w->w_async[--w->w_nasync];
	publish_oldest(w);
	kobj_free(&st.g_msg_cache, m);
}

void
st_collect_replies(struct st_worker *w, bool block)
{
	struct msgport *port = &curthread->td_msgport;
	struct msg *msg;

	if (block && w->w_nasync > 0) {
		/* Its deadline is the oldest reply's: the watchdog calls that one lost. */
		st_block(w, "waitport (replies)", st_watch_of(w)->wa_async_sent + st.g_late,
		    st_watch_of(w)->wa_async_seq);
		msg = lwkt_waitport(port, 0);
		st_block(w, NULL, 0, 0);
		collect_one(w, msg);
	}
	while ((msg = lwkt_getport(port)) != NULL)
		collect_one(w, msg);
}

void
st_collect_all(struct st_worker *w)
{
	while (w->w_nasync > 0)
		st_collect_replies(w, true);
}

void
st_wait_quit(struct st_worker *w)
{
	struct msg *msg;

	while ((msg = lwkt_waitport(&curthread->td_msgport, 0)) != NULL) {
		if (msg->ms_cmd == ST_CMD_QUIT) {
			lwkt_replymsg(msg, 0);
			return;
		}
		collect_one(w, msg);	/* nothing is outstanding: it reports */
	}
}

/* ---- servers ---------------------------------------------------------------- */

/* stress_inject=dupreply: a second, forged reply to the sender's port. */
static void
forge_reply(struct st_worker *w, struct st_msg *m)
{
	struct st_msg *f = kobj_alloc(&st.g_msg_cache);

	if (f == NULL)
		return;
	*f = *m;
	lwkt_initmsg(&f->sm_msg, NULL, ST_CMD_WORK);
	memcpy(f->sm_msg.ms_arg, m->sm_msg.ms_arg, sizeof(f->sm_msg.ms_arg));
	f->sm_msg.ms_arg[3] = reply_value(m->sm_msg.ms_arg[2], w->w_id);
	f->sm_state = SMS_REPLIED;
	lwkt_sendmsg(m->sm_msg.ms_reply_port, &f->sm_msg);
}

static void
serve(struct st_worker *w, struct msg *msg)
{
	struct st_msg *m = container_of(msg, struct st_msg, sm_msg);
	uint64_t from = msg->ms_arg[0], seq = msg->ms_arg[1];
	int prev;

	if (msg->ms_cmd != ST_CMD_WORK || m->sm_magic != ST_MSG_MAGIC || from >= ST_MAX_WATCH)
		st_violation("message-corrupt", "%s: command %d, magic 0x%lx, sender slot %lu",
		    st_name(w), msg->ms_cmd, m->sm_magic, from);
	prev = __atomic_exchange_n(&m->sm_state, SMS_RECEIVED, __ATOMIC_RELAXED);
	if (prev != SMS_SENT)
		st_violation("message-duplicated", "%s: %s seq %lu delivered again (state %d)",
		    st_name(w), st.g_watch[from].wa_name, seq, prev);
	if (msg_csum(m) != msg->ms_arg[2])
		st_violation("message-checksum", "%s: %s seq %lu: payload checksum 0x%lx, message "
		    "says 0x%lx (%u bytes)", st_name(w), st.g_watch[from].wa_name, seq,
		    msg_csum(m), msg->ms_arg[2], m->sm_len);
	__atomic_fetch_add(&st.g_watch[from].wa_recv, 1, __ATOMIC_RELAXED);
	m->sm_srv_seen = w->w_id;
	if (st_below(w, 8) == 0)
		st_sleep_ticks(w, st_us(50 + st_below(w, 500)), "sleep (serving)");
	if (m->sm_async && st_inject(INJ_DROP))
		return;		/* never replied: the sender's watchdog entry must fire */
	if (m->sm_async && st_inject(INJ_DUPREPLY))
		forge_reply(w, m);
	msg->ms_arg[3] = reply_value(msg->ms_arg[2], w->w_id);
	__atomic_store_n(&m->sm_state, SMS_REPLIED, __ATOMIC_RELAXED);
	lwkt_replymsg(msg, 0);
	st_count(SC_SERVED);
}

/* Server 1 of each CPU roams; every server changes priority now and then. */
static void
server_wander(struct st_worker *w)
{
	uint32_t r = st_below(w, 64);

	if (w->w_index == 1 && r < 2)
		st_op_migrate(w);
	else if (r == 2)
		st_op_setpri(w);
}

void
st_server_main(struct st_worker *w)
{
	struct msg *msg;

	while ((msg = lwkt_waitport(&curthread->td_msgport, 0)) != NULL) {
		if (msg->ms_cmd == ST_CMD_QUIT) {
			lwkt_replymsg(msg, 0);
			return;
		}
		serve(w, msg);
		server_wander(w);
	}
}
