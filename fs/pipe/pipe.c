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
 * Named FIFOs: the name lives in a file system (fs-ram keeps an S_IFIFO
 * inode), which answers an open of it with a redirect to NODE/fifo/PATH
 * (the name's own path).  The manager attaches NODE as a directory, so
 * those names come here; it stats PATH, checks the client against the
 * name's mode and owner, and keys the pipe by the name's st_dev and
 * st_ino: the first open of one makes its pipe, later ones
 * share it, and the last close frees it (and its data).  Opening blocks
 * until the other side is there: a reader waits for a writer and a writer
 * for a reader (the open stays REPLY-blocked, its OCB already counted, so
 * two opens waiting for each other both go on); O_NONBLOCK: a reader goes
 * on at once, a writer without a reader gets ENXIO.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/iofunc.h>
#include <sys/dispatch.h>

#define PIPE_SIZE	16384		/* bytes a pipe holds (> PIPE_BUF) */

struct pipe {
	iofunc_attr_t	p_attr;		/* first: OCBs point here */
	char		p_buf[PIPE_SIZE];
	size_t		p_head, p_len;	/* ring: first byte, bytes held */
	resmgr_waiter_t	*p_readers, *p_writers;	/* FIFO queues */
	iofunc_notify_t	p_notify[3];	/* select/poll: input, output */
	resmgr_waiter_t	*p_openers;	/* FIFO opens waiting for the other side */
	struct pipe	*p_next;	/* named FIFOs: the list fifos */
	char		p_name[48];	/* named FIFOs: the name's "DEV.INO"; "" for pipe() */
	uint64_t	p_dev;		/* named FIFOs: the name's st_dev */
};

static struct pipe *fifos;		/* the named FIFOs that are open */
static const char *pipe_node = "/dev/pipe";	/* NODE: where we are attached */

static resmgr_io_funcs_t pipe_io;

/* Reply to the first reader with what the pipe holds (or EOF). */
static void serve_reader(struct pipe *p)
{
	resmgr_waiter_t *w = resmgr_waitq_take(&p->p_readers);
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
	resmgr_waiter_t *w = p->p_writers;
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
	resmgr_waitq_take(&p->p_writers);
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
		resmgr_waiter_t *w = resmgr_waitq_take(&p->p_writers);

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

static int pipe_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = (struct pipe *)ocb->attr;
	resmgr_waiter_t *w;
	int nonblock, r;

	if ((r = iofunc_read_verify(ctp, msg, ocb, &nonblock)) != EOK)
		return r;
	if ((msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET)
		return ESPIPE;
	if (msg->i.nbytes == 0)
		return EOK;
	if (p->p_len == 0 && p->p_attr.wcount && nonblock)
		return EAGAIN;
	if ((w = resmgr_waiter_new(ctp, ocb, msg->i.nbytes, 0)) == NULL)
		return ENOMEM;
	resmgr_waitq_add(&p->p_readers, w);
	kick(p);
	return _RESMGR_NOREPLY;
}

static int pipe_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = (struct pipe *)ocb->attr;
	resmgr_waiter_t *w;
	int nonblock, r;

	if ((r = iofunc_write_verify(ctp, msg, ocb, &nonblock)) != EOK)
		return r;
	if ((msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET)
		return ESPIPE;
	if (msg->i.nbytes == 0)
		return EOK;
	if ((w = resmgr_waiter_new(ctp, ocb, msg->i.nbytes, sizeof(msg->i))) == NULL)
		return ENOMEM;
	resmgr_waitq_add(&p->p_writers, w);
	kick(p);
	if (nonblock)		/* still queued: it would block */
		resmgr_waitq_cancel(&p->p_writers, w);
	return _RESMGR_NOREPLY;
}

/* Take p off the list of named FIFOs (if it is one). */
static void fifo_forget(struct pipe *p)
{
	for (struct pipe **l = &fifos; *l; l = &(*l)->p_next)
		if (*l == p) {
			*l = p->p_next;
			return;
		}
}

/* Take rcvid's reader or writer off its queue; NULL if it is not waiting. */
static resmgr_waiter_t *unqueue(struct pipe *p, int rcvid)
{
	resmgr_waiter_t *w = resmgr_waitq_remove(&p->p_readers, rcvid);

	return w ? w : resmgr_waitq_remove(&p->p_writers, rcvid);
}

/* A signal or time-out: EINTR, or the bytes a writer already wrote. */
static int pipe_unblock(resmgr_context_t *ctp, io_pulse_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = (struct pipe *)ocb->attr;
	resmgr_waiter_t *w = unqueue(p, ctp->rcvid);
	size_t done = w ? w->w_done : 0;

	(void)msg;
	if (w == NULL && (w = resmgr_waitq_remove(&p->p_openers, ctp->rcvid)) != NULL) {
		free(w);		/* an open: it fails, and its OCB goes */
		resmgr_unbind(ctp);
		return EINTR;
	}
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

	(void)reserved;
	resmgr_waitq_fail_ocb(&p->p_readers, ocb, EBADF);
	resmgr_waitq_fail_ocb(&p->p_writers, ocb, EBADF);
	resmgr_waitq_fail_ocb(&p->p_openers, ocb, EBADF);
	iofunc_close_ocb_default(ctp, NULL, ocb);
	if (p->p_attr.count == 0) {
		iofunc_notify_remove(NULL, p->p_notify);
		fifo_forget(p);
		free(p);
	}
	else
		kick(p);
	return EOK;
}

/* fstat: S_IFIFO and the bytes held; a named FIFO's dev and ino are its name's. */
static int pipe_stat(resmgr_context_t *ctp, io_stat_t *msg, iofunc_ocb_t *ocb)
{
	struct pipe *p = (struct pipe *)ocb->attr;
	int r;

	p->p_attr.nbytes = (int64_t)p->p_len;
	r = iofunc_stat_default(ctp, msg, ocb);
	if (p->p_name[0] && r == _RESMGR_NPARTS(1))
		((struct _io_stat_buf *)GETIOVBASE(&ctp->iov[0]))->sb_dev = p->p_dev;
	return r;
}

/* Whether the waiting open w may go on: its other side is there. */
static int open_ready(const struct pipe *p, const resmgr_waiter_t *w)
{
	unsigned acc = w->w_ocb->ioflag & 3;

	return acc == O_RDONLY ? p->p_attr.wcount > 0 : p->p_attr.rcount > 0;
}

/* After an open: answer each waiting open whose other side is there now. */
static void kick_opens(struct pipe *p)
{
	resmgr_waiter_t *w;

	for (resmgr_waiter_t **q = &p->p_openers; *q; )
		if (open_ready(p, *q))
			w = *q, *q = w->w_next, MsgReply(w->w_rcvid, EOK, NULL, 0), free(w);
		else
			q = &(*q)->w_next;
}

/*
 * May the client look up names in every directory above path?  The file
 * system checked nothing for us (it redirected the open here), so walk
 * the directories as the client would: search (x) permission by uid and
 * gid, root passes.  0 or an errno (EACCES, or the stat's).
 */
static int may_search(const char *path, const struct _client_info *ci)
{
	char dir[PATH_MAX];
	struct stat st;

	if (ci->euid == 0)
		return EOK;
	for (const char *s = strchr(path + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		size_t n = (size_t)(s - path);

		memcpy(dir, path, n);
		dir[n] = '\0';
		if (stat(dir, &st) != 0)
			return errno;
		if (!(iofunc_client_perms(ci, st.st_mode, st.st_uid, st.st_gid) & 1))
			return EACCES;
	}
	return EOK;
}

/*
 * The named FIFO "fifo/PATH" (what a file system sends a FIFO's open to:
 * PATH is the name's absolute path without its first '/'), found or made,
 * after the client's access check against the name's mode and owner as
 * they are now, and against the directories above it (may_search).  We stat PATH ourselves, so a name typed by hand gets the
 * same check, and key the pipe by the name's st_dev and st_ino (a rename
 * or a second link meets the same pipe).  NULL: errno in *r.
 */
static struct pipe *fifo_get(resmgr_context_t *ctp, const char *name, int ioflag,
    struct _client_info *ci, int *r)
{
	char path[PATH_MAX], key[sizeof(((struct pipe *)0)->p_name)];
	struct stat st;
	struct pipe *p;
	iofunc_attr_t check;

	*r = ENOENT;
	if (strncmp(name, "fifo/", 5) != 0 ||
	    (size_t)snprintf(path, sizeof(path), "/%s", name + 5) >= sizeof(path))
		return NULL;
	if (strncmp(path, pipe_node, strlen(pipe_node)) == 0 &&
	    (path[strlen(pipe_node)] == '/' || path[strlen(pipe_node)] == '\0'))
		return NULL;		/* our own names: a stat would ask ourselves */
	if (stat(path, &st) != 0) {
		*r = errno;
		return NULL;
	}
	if (!S_ISFIFO(st.st_mode))
		return NULL;
	if ((*r = may_search(path, ci)) != EOK)
		return NULL;
	iofunc_attr_init(&check, st.st_mode, NULL, NULL);
	check.uid = st.st_uid;
	check.gid = st.st_gid;
	if ((*r = iofunc_check_access(ctp, &check, ioflag, ci)) != EOK)
		return NULL;
	snprintf(key, sizeof(key), "%llu.%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	for (p = fifos; p; p = p->p_next)
		if (strcmp(p->p_name, key) == 0)
			break;
	if (p == NULL) {
		if ((p = calloc(1, sizeof(*p))) == NULL) {
			*r = ENOMEM;
			return NULL;
		}
		iofunc_attr_init(&p->p_attr, S_IFIFO | 0600, NULL, ci);
		p->p_attr.inode = st.st_ino;
		p->p_dev = st.st_dev;
		strcpy(p->p_name, key);
		p->p_next = fifos;
		fifos = p;
	}
	p->p_attr.mode = S_IFIFO | (st.st_mode & 07777);	/* fstat shows the name's */
	p->p_attr.uid = st.st_uid;
	p->p_attr.gid = st.st_gid;
	return p;
}

/* Open the named FIFO name: wait for the other side unless O_NONBLOCK. */
static int fifo_open(resmgr_context_t *ctp, io_open_t *msg, struct _client_info *ci)
{
	unsigned acc = msg->i.ioflag & 3;
	int nonblock = msg->i.ioflag & O_NONBLOCK, r;
	resmgr_waiter_t *w = NULL;
	struct pipe *p;
	iofunc_ocb_t *ocb;

	if ((p = fifo_get(ctp, msg->i.path, msg->i.ioflag, ci, &r)) == NULL)
		return r;
	if (acc == O_WRONLY && nonblock && p->p_attr.rcount == 0)
		r = ENXIO;		/* POSIX: no reader, and the writer may not wait */
	else if (!nonblock && acc != O_RDWR && (w = calloc(1, sizeof(*w))) == NULL)
		r = ENOMEM;
	else
		r = iofunc_ocb_attach(ctp, msg->i.ioflag, &p->p_attr, &pipe_io);
	if (r != EOK) {
		free(w);
		if (p->p_attr.count == 0) {	/* made for nothing */
			fifo_forget(p);
			free(p);
		}
		return r;
	}
	ocb = resmgr_ocb_lookup(ctp->dpp, ctp->info.pid, ctp->info.coid, ctp->info.scoid);
	kick_opens(p);
	kick(p);		/* a new writer or reader changes what poll sees */
	if (w == NULL)
		return EOK;
	*w = (resmgr_waiter_t){ NULL, ctp->rcvid, ocb, ctp->info.pid, ctp->info.tid, 0, 0, 0 };
	if (open_ready(p, w)) {
		free(w);
		return EOK;
	}
	resmgr_waitq_add(&p->p_openers, w);
	return _RESMGR_NOREPLY;
}

/* Opening NODE makes a new pipe; NODE/fifo/PATH is a named FIFO. */
static int pipe_open(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *handle, void *extra)
{
	struct _client_info ci;
	struct pipe *p;
	int r;

	(void)handle, (void)extra;
	if ((msg->i.ioflag & 3) == 3)
		return EINVAL;
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	if (msg->i.path[0] != '\0')
		return fifo_open(ctp, msg, &ci);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return ENOMEM;
	iofunc_attr_init(&p->p_attr, S_IFIFO | 0600, NULL, &ci);
	if ((r = iofunc_ocb_attach(ctp, msg->i.ioflag, &p->p_attr, &pipe_io)) != EOK)
		free(p);
	return r;
}

/*
 * pipe [NODE]: NODE (default /dev/pipe) is the hidden node to attach, as
 * a directory: the names under it are named FIFOs (above).
 */
int main(int argc, char **argv)
{
	static resmgr_connect_funcs_t cf;
	static iofunc_attr_t node;
	const char *path = argc > 1 ? argv[1] : pipe_node;
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
	pipe_node = path;
	if (resmgr_attach(dpp, NULL, path, _FTYPE_ANY, _RESMGR_FLAG_DIR, &cf, &pipe_io,
	    &node) < 0)
		return 2;
	dispatch_replyrecv(ctp, 1);	/* each reply goes with the next receive */
	for (;;)
		if (dispatch_block(ctp) != NULL)
			dispatch_handler(ctp);
}
