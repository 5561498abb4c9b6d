/*
 * tests/libc/lsvc.h - a tiny resource manager for the libc tests that run
 * under taskman (libcfile, libcproc): a process started as "<prog> serve
 * PREFIX" attaches PREFIX with _PATH_ATTACH and serves, in QNX's shape:
 *
 *	PREFIX/data	a writable file holding LSVC_DATA (16 bytes); writes
 *			are counted, not stored; _IO_DUP shares the OCB (and
 *			so the offset) after checking the original connection
 *	PREFIX/link	opening it redirects to /proc/boot/motd (a link
 *			reply with a new path); readlink gives that path
 *	PREFIX/tty	like data, but devctl answers as a terminal would
 *			(TIOCGWINSZ), so isatty() is true
 *	anything else	ENOENT
 *
 * devctl LSVC_DCMD_WRITTEN returns the bytes written through the OCB.
 * The server has nothing to do with the libc under test: it uses the
 * kernel calls and the raw messages only, so it checks what libc sends.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>

#define LSVC_DATA		"0123456789abcdef"
#define LSVC_DCMD_WRITTEN	0x1201		/* no data: ret_val = bytes written */
#define LSVC_DCMD_MODE		0x1202		/* no data: ret_val = the last create mode */

struct lsvc_file { int64_t f_off, f_written; int f_refs; };
struct lsvc_ocb { int o_scoid, o_coid, o_pid, o_tty; struct lsvc_file *o_file; };

static struct lsvc_ocb lsvc_ocbs[64];
static unsigned lsvc_mode;	/* the mode of the last mkdir or O_CREAT open of "mode" */

static struct lsvc_ocb *lsvc_find(int scoid, int coid, int pid)
{
	for (int i = 0; i < 64; i++)
		if (lsvc_ocbs[i].o_file && lsvc_ocbs[i].o_scoid == scoid &&
		    lsvc_ocbs[i].o_coid == coid && (pid == 0 || lsvc_ocbs[i].o_pid == pid))
			return &lsvc_ocbs[i];
	return 0;
}

static struct lsvc_ocb *lsvc_new(const struct _msg_info *mi, struct lsvc_file *f)
{
	for (int i = 0; i < 64; i++)
		if (!lsvc_ocbs[i].o_file) {
			lsvc_ocbs[i] = (struct lsvc_ocb){ mi->scoid, mi->coid, mi->pid, 0, f };
			f->f_refs++;
			return &lsvc_ocbs[i];
		}
	return 0;
}

static void lsvc_connect(int rcvid, const struct _io_connect *c, const struct _msg_info *mi)
{
	static const char target[] = "/proc/boot/motd";
	struct { struct _io_connect_link_reply lr; char path[32]; } lr = { { 0 }, "" };
	struct lsvc_file *f;
	struct lsvc_ocb *o;

	if (strcmp(c->path, "link") == 0 && c->subtype == _IO_CONNECT_READLINK) {
		MsgReply(rcvid, (long)strlen(target), target, strlen(target));
	} else if (strcmp(c->path, "link") == 0) {
		lr.lr.path_len = sizeof(target);
		memcpy(lr.path, target, sizeof(target));
		MsgReply(rcvid, _IO_CONNECT_RET_LINK, &lr, sizeof(lr.lr) + sizeof(target));
	} else if (strcmp(c->path, "mode") == 0 && c->subtype == _IO_CONNECT_MKNOD) {
		lsvc_mode = c->mode;	/* "made", with the mode as libc sent it */
		MsgReply(rcvid, 0, 0, 0);
	} else if ((strcmp(c->path, "data") && strcmp(c->path, "tty") && strcmp(c->path, "mode")) ||
	    c->subtype != _IO_CONNECT_OPEN) {
		MsgError(rcvid, ENOENT);
	} else if ((f = calloc(1, sizeof(*f))) == 0 || (o = lsvc_new(mi, f)) == 0) {
		MsgError(rcvid, ENOMEM);
	} else {
		o->o_tty = strcmp(c->path, "tty") == 0;
		if (strcmp(c->path, "mode") == 0 && (c->ioflag & O_CREAT))
			lsvc_mode = c->mode;
		MsgReply(rcvid, 0, 0, 0);
	}
}

/* _IO_DUP: share the OCB of the connection the message names, if it exists. */
static void lsvc_dup(int rcvid, const struct _io_dup *d, const struct _msg_info *mi)
{
	struct lsvc_ocb *old = lsvc_find(d->info.scoid, d->info.coid, d->info.pid), *o;

	if (old == 0)
		MsgError(rcvid, EBADF);
	else if ((o = lsvc_new(mi, old->o_file)) == 0)
		MsgError(rcvid, ENOMEM);
	else {
		o->o_tty = old->o_tty;
		MsgReply(rcvid, 0, 0, 0);
	}
}

static void lsvc_io(int rcvid, const void *msg, const struct _msg_info *mi)
{
	const struct _msg_hdr *h = msg;
	struct lsvc_ocb *o = lsvc_find(mi->scoid, mi->coid, mi->pid);
	struct lsvc_file *f = o ? o->o_file : 0;

	if (o == 0) {
		MsgError(rcvid, EBADF);
	} else if (h->type == _IO_READ) {
		const struct _io_read *r = msg;
		int64_t off = f->f_off < 16 ? f->f_off : 16, n = 16 - off;

		n = (uint64_t)n < r->nbytes ? n : (int64_t)r->nbytes;
		f->f_off += n;
		MsgReply(rcvid, n, LSVC_DATA + off, (size_t)n);
	} else if (h->type == _IO_WRITE) {
		f->f_written += (int64_t)((const struct _io_write *)msg)->nbytes;
		MsgReply(rcvid, (long)((const struct _io_write *)msg)->nbytes, 0, 0);
	} else if (h->type == _IO_STAT) {
		struct _io_stat_buf sb = { .sb_mode = 0100644, .sb_size = 16, .sb_ino = 7,
		    .sb_nlink = 1 };

		MsgReply(rcvid, 0, &sb, sizeof(sb));
	} else if (h->type == _IO_LSEEK) {
		const struct _io_lseek *l = msg;
		struct _io_lseek_reply lr;

		f->f_off = (l->whence == 0 ? 0 : l->whence == 1 ? f->f_off : 16) + l->offset;
		lr.lr_offset = (uint64_t)f->f_off;
		MsgReply(rcvid, 0, &lr, sizeof(lr));
	} else if (h->type == _IO_DEVCTL) {
		const struct _io_devctl *d = msg;
		struct { struct _io_devctl_reply r; struct winsize w; } rep = { { 0 }, { 0 } };

		rep.r.ret_val = (int32_t)f->f_written;
		if (d->dcmd == LSVC_DCMD_WRITTEN)
			MsgReply(rcvid, 0, &rep, sizeof(rep.r));
		else if (d->dcmd == LSVC_DCMD_MODE) {
			rep.r.ret_val = (int32_t)lsvc_mode;
			MsgReply(rcvid, 0, &rep, sizeof(rep.r));
		}
		else if ((unsigned)d->dcmd == TIOCGWINSZ && o->o_tty) {
			rep.r.ret_val = 0;
			rep.w.ws_row = 24, rep.w.ws_col = 80;
			MsgReply(rcvid, 0, &rep, sizeof(rep));
		} else
			MsgError(rcvid, ENOTTY);
	} else if (h->type == _IO_CLOSE) {
		if (--f->f_refs == 0)
			free(f);
		o->o_file = 0;
		MsgReply(rcvid, 0, 0, 0);
	} else {
		MsgError(rcvid, ENOSYS);
	}
}

/* Attach prefix and serve for ever (the test ends the server with a signal). */
static int lsvc_serve(const char *prefix)
{
	union { struct _msg_hdr h; struct _io_connect c; struct _io_dup d; char b[2048]; } m;
	struct { struct _path_attach a; char p[64]; } pa = { { .type = _PATH_ATTACH,
	    .pa_flags = _RESMGR_FLAG_DIR, .pa_handle = 9 }, "" };
	struct _msg_info mi;
	int chid = ChannelCreate(0);

	if (chid < 0 || strlen(prefix) >= sizeof(pa.p))
		return 2;
	pa.a.pa_chid = chid;
	pa.a.pa_path_len = (uint16_t)(strlen(prefix) + 1);
	strcpy(pa.p, prefix);
	if (MsgSend(SYSMGR_COID, &pa, sizeof(pa.a) + pa.a.pa_path_len, 0, 0) < 0)
		return 3;
	for (;;) {
		long rcvid = MsgReceive(chid, &m, sizeof(m) - 1, &mi);

		if (rcvid <= 0)
			continue;	/* pulses, errors */
		((char *)&m)[mi.msglen < (int64_t)sizeof(m) ? mi.msglen : (int64_t)sizeof(m) - 1] = 0;
		if (m.h.type == _IO_CONNECT)
			lsvc_connect((int)rcvid, &m.c, &mi);
		else if (m.h.type == _IO_DUP)
			lsvc_dup((int)rcvid, &m.d, &mi);
		else
			lsvc_io((int)rcvid, &m, &mi);
	}
}
