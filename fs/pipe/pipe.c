/*
 * pipe - the pipe manager on libresmgr (docs/resmgr.md).  It attaches
 * the hidden node /dev/pipe: each open of it makes a new pipe, and libc's
 * pipe() opens the read end that way and the write end with _IO_OPENFD
 * on the same pipe.  POSIX semantics:
 *
 *  - a write of at most PIPE_BUF bytes goes in whole or not at all, so
 *    writers never interleave inside one (a longer write may);
 *  - a read with no data blocks while a writer is left, then gives EOF;
 *  - a write with no reader left gives EPIPE and SIGPIPE to the writing
 *    thread (SignalKill of the pid/tid the message info names);
 *  - blocking means the client stays REPLY-blocked while the server goes
 *    on serving others; O_NONBLOCK gives EAGAIN (or a partial count);
 *  - a blocked client that is signalled gets EINTR (or the bytes it
 *    already wrote), through the library's unblock pulse.
 *
 * Named FIFOs (mkfifo) are not served yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/iofunc.h>
#include <sys/dispatch.h>

#define PIPE_SIZE	16384		/* bytes a pipe holds (> PIPE_BUF) */

/* A client waiting in read or write (REPLY-blocked on us). */
struct waiter {
	struct waiter	*w_next;
	int		w_rcvid;
	iofunc_ocb_t	*w_ocb;
	int		w_pid, w_tid;	/* for SIGPIPE */
	size_t		w_nbytes;	/* asked for */
	size_t		w_done;		/* written so far (writers) */
	size_t		w_hdr;		/* where a writer's data starts in its message */
};

struct pipe {
	iofunc_attr_t	p_attr;		/* first: OCBs point here */
	char		p_buf[PIPE_SIZE];
	size_t		p_head, p_len;	/* ring: first byte, bytes held */
	struct waiter	*p_readers, *p_writers;	/* FIFO queues */
	iofunc_notify_t	p_notify[3];	/* select/poll: input, output */
};

static resmgr_io_funcs_t pipe_io;

static void enqueue(struct waiter **q, struct waiter *w)
{
	while (*q)
		q = &(*q)->w_next;
	w->w_next = NULL;
	*q = w;
}

static struct waiter *dequeue(struct waiter **q)
{
	struct waiter *w = *q;

	*q = w->w_next;
	return w;
}

/* Reply to the first reader with what the pipe holds (or EOF). */
static void serve_reader(struct pipe *p)
{
	struct waiter *w = dequeue(&p->p_readers);
	size_t n = w->w_nbytes < p->p_len ? w->w_nbytes : p->p_len;
	size_t first = PIPE_SIZE - p->p_head < n ? PIPE_SIZE - p->p_head : n;
	iov_t iov[2];

	SETIOV(&iov[0], p->p_buf + p->p_head, first);
	SETIOV(&iov[1], p->p_buf, n - first);
	MsgReplyv(w->w_rcvid, (long)n, iov, 2);
	p->p_head = (p->p_head + n) % PIPE_SIZE;
	p->p_len -= n;
	free(w);
}

/* Copy what fits of the first writer's data; 1 if it made progress. */
static int serve_writer(struct pipe *p)
{
	struct waiter *w = p->p_writers;
	size_t room = PIPE_SIZE - p->p_len, left = w->w_nbytes - w->w_done, n, tail;
	ssize_t r = 0;

	if (room == 0 || (w->w_nbytes <= PIPE_BUF && room < left))
		return 0;	/* a small write goes whole: wait for room */
	n = left < room ? left : room;
	tail = (p->p_head + p->p_len) % PIPE_SIZE;
	if (tail + n > PIPE_SIZE) {
		r = MsgRead(w->w_rcvid, p->p_buf + tail, PIPE_SIZE - tail, w->w_hdr + w->w_done);
		if (r == (ssize_t)(PIPE_SIZE - tail))
			r += MsgRead(w->w_rcvid, p->p_buf, n - (size_t)r, w->w_hdr + w->w_done + (size_t)r);
	} else {
		r = MsgRead(w->w_rcvid, p->p_buf + tail, n, w->w_hdr + w->w_done);
	}
	dequeue(&p->p_writers);
	if (r != (ssize_t)n) {		/* the client went away or lied */
		MsgError(w->w_rcvid, EFAULT);
		free(w);
		return 1;
	}
	p->p_len += n;
	w->w_done += n;
	if (w->w_done == w->w_nbytes) {
		MsgReply(w->w_rcvid, (long)w->w_done, NULL, 0);
		free(w);
	} else {
		w->w_next = p->p_writers;	/* stays first */
		p->p_writers = w;
	}
	return 1;
}

/* No reader left: every waiting writer gets SIGPIPE and EPIPE. */
static void broken(struct pipe *p)
{
	while (p->p_writers) {
		struct waiter *w = dequeue(&p->p_writers);

		SignalKill(0, w->w_pid, w->w_tid, SIGPIPE, 0, 0);
		MsgError(w->w_rcvid, EPIPE);
		free(w);
	}
}

/* After any change: serve every waiter that can go on. */
/* What select/poll sees: input (data, or EOF), output (PIPE_BUF of room, or no reader: EPIPE). */
static int conds(const struct pipe *p)
{
	return (p->p_len || p->p_attr.wcount == 0 ? _NOTIFY_COND_INPUT : 0) |
	    (PIPE_SIZE - p->p_len >= PIPE_BUF || p->p_attr.rcount == 0 ? _NOTIFY_COND_OUTPUT : 0);
}

static void kick(struct pipe *p)
{
	int progress = 1, c;

	while (progress) {
		progress = 0;
		while (p->p_readers && (p->p_len || p->p_attr.wcount == 0))
			serve_reader(p), progress = 1;
		if (p->p_attr.rcount == 0)
			broken(p);
		while (p->p_writers && serve_writer(p))
			progress = 1;
	}
	c = conds(p);
	if ((c & _NOTIFY_COND_INPUT) && p->p_notify[IOFUNC_NOTIFY_INPUT].list)
		iofunc_notify_trigger(p->p_notify, 1, IOFUNC_NOTIFY_INPUT);
	if ((c & _NOTIFY_COND_OUTPUT) && p->p_notify[IOFUNC_NOTIFY_OUTPUT].list)
		iofunc_notify_trigger(p->p_notify, 1, IOFUNC_NOTIFY_OUTPUT);
}

static int pipe_notify(resmgr_context_t *ctp, io_notify_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = (struct pipe *)ocb->attr;

	return iofunc_notify(ctp, msg, p->p_notify, conds(p), NULL, NULL);
}

static struct waiter *new_waiter(resmgr_context_t *ctp, iofunc_ocb_t *ocb, size_t n, size_t hdr)
{
	struct waiter *w = calloc(1, sizeof(*w));

	if (w)
		*w = (struct waiter){ NULL, ctp->rcvid, ocb, ctp->info.pid, ctp->info.tid,
		    n, 0, hdr };
	return w;
}

static int pipe_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = (struct pipe *)ocb->attr;
	struct waiter *w;
	int nonblock, r;

	if ((r = iofunc_read_verify(ctp, msg, ocb, &nonblock)) != EOK)
		return r;
	if ((msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET)
		return ESPIPE;
	if (msg->i.nbytes == 0)
		return EOK;
	if (p->p_len == 0 && p->p_attr.wcount && nonblock)
		return EAGAIN;
	if ((w = new_waiter(ctp, ocb, msg->i.nbytes, 0)) == NULL)
		return ENOMEM;
	enqueue(&p->p_readers, w);
	kick(p);
	return _RESMGR_NOREPLY;
}

static int pipe_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = (struct pipe *)ocb->attr;
	struct waiter *w;
	int nonblock, r;

	if ((r = iofunc_write_verify(ctp, msg, ocb, &nonblock)) != EOK)
		return r;
	if ((msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET)
		return ESPIPE;
	if (msg->i.nbytes == 0)
		return EOK;
	if ((w = new_waiter(ctp, ocb, msg->i.nbytes, sizeof(msg->i))) == NULL)
		return ENOMEM;
	enqueue(&p->p_writers, w);
	kick(p);
	if (nonblock) {		/* still queued: it would block */
		for (struct waiter **q = &p->p_writers; *q; q = &(*q)->w_next)
			if (*q == w) {
				*q = w->w_next;
				if (w->w_done)
					MsgReply(w->w_rcvid, (long)w->w_done, NULL, 0);
				else
					MsgError(w->w_rcvid, EAGAIN);
				free(w);
				break;
			}
	}
	return _RESMGR_NOREPLY;
}

/* Take rcvid's waiter off either queue; NULL if it is not waiting. */
static struct waiter *unqueue(struct pipe *p, int rcvid)
{
	struct waiter **qs[2] = { &p->p_readers, &p->p_writers };

	for (int i = 0; i < 2; i++)
		for (struct waiter **q = qs[i]; *q; q = &(*q)->w_next)
			if ((*q)->w_rcvid == rcvid) {
				struct waiter *w = *q;
				*q = w->w_next;
				return w;
			}
	return NULL;
}

/* A signal or time-out: EINTR, or the bytes a writer already wrote. */
static int pipe_unblock(resmgr_context_t *ctp, io_pulse_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = (struct pipe *)ocb->attr;
	struct waiter *w = unqueue(p, ctp->rcvid);
	size_t done = w ? w->w_done : 0;

	(void)msg;
	free(w);
	if (done == 0)
		return EINTR;
	_RESMGR_STATUS(ctp, (long)done);
	return _RESMGR_NPARTS(0);
}

/* The OCB's last connection went (close, disconnect, death). */
static int pipe_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb)
{
	struct pipe *p = (struct pipe *)ocb->attr;
	struct waiter *w;

	(void)reserved;
	for (struct waiter **q = &p->p_readers; *q; )
		if ((*q)->w_ocb == ocb)
			w = *q, *q = w->w_next, MsgError(w->w_rcvid, EBADF), free(w);
		else
			q = &(*q)->w_next;
	for (struct waiter **q = &p->p_writers; *q; )
		if ((*q)->w_ocb == ocb)
			w = *q, *q = w->w_next, MsgError(w->w_rcvid, EBADF), free(w);
		else
			q = &(*q)->w_next;
	iofunc_close_ocb_default(ctp, NULL, ocb);
	if (p->p_attr.count == 0) {
		iofunc_notify_remove(NULL, p->p_notify);
		free(p);
	}
	else
		kick(p);
	return EOK;
}

static int pipe_stat(resmgr_context_t *ctp, io_stat_t *msg, iofunc_ocb_t *ocb)
{
	ocb->attr->nbytes = (int64_t)((struct pipe *)ocb->attr)->p_len;
	return iofunc_stat_default(ctp, msg, ocb);
}

/* Opening /dev/pipe makes a new pipe. */
static int pipe_open(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *handle, void *extra)
{
	struct _client_info ci;
	struct pipe *p;
	int r;

	(void)handle, (void)extra;
	if (msg->i.path[0] != '\0')
		return ENOENT;
	if ((msg->i.ioflag & 3) == 3)
		return EINVAL;
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return ENOMEM;
	iofunc_attr_init(&p->p_attr, S_IFIFO | 0600, NULL, &ci);
	if ((r = iofunc_ocb_attach(ctp, msg->i.ioflag, &p->p_attr, &pipe_io)) != EOK)
		free(p);
	return r;
}

/* pipe [NODE]: NODE (default /dev/pipe) is the hidden node to attach. */
int main(int argc, char **argv)
{
	static resmgr_connect_funcs_t cf;
	static iofunc_attr_t node;
	const char *path = argc > 1 ? argv[1] : "/dev/pipe";
	dispatch_t *dpp = dispatch_create();
	dispatch_context_t *ctp;

	if (dpp == NULL || (ctp = dispatch_context_alloc(dpp)) == NULL)
		return 1;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &pipe_io);
	cf.open = pipe_open;
	pipe_io.read = pipe_read;
	pipe_io.write = pipe_write;
	pipe_io.unblock = pipe_unblock;
	pipe_io.close_ocb = pipe_close_ocb;
	pipe_io.stat = pipe_stat;
	pipe_io.notify = pipe_notify;
	iofunc_attr_init(&node, S_IFCHR | 0666, NULL, NULL);
	if (resmgr_attach(dpp, NULL, path, _FTYPE_ANY, 0, &cf, &pipe_io, &node) < 0)
		return 2;
	for (;;)
		if (dispatch_block(ctp) != NULL)
			dispatch_handler(ctp);
}
