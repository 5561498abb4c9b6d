/*
 * open() and every call that names a path: QNX's two steps (docs/taskman.md,
 * "The path manager").  _IO_CONNECT with the absolute path goes to taskman
 * (handle 0), whose link reply names the servers that may hold it; each is
 * tried in order with the rest of the path until one answers other than
 * ENOENT.  A link reply with a new path (a symbolic link) starts again,
 * at most PX_LINKS_MAX times.
 */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <fcntl.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>
#include "px.h"

#define PX_LINKS_MAX	32	/* ELOOP after this many redirections */

/* The reply to _IO_CONNECT: a link reply, or a server's data (readlink). */
union connect_reply {
	struct {
		struct _io_connect_link_reply	lr;
		struct _io_connect_entry	e[_IO_CONNECT_ENTRIES_MAX];
		char				path[PX_PATH_MAX];
	} l;
	char	data[1];
};

/* What follows the path (rename's old path, symlink's target, link's fd). */
struct extra {
	int		x_type;		/* _IO_CONNECT_EXTRA_* */
	const void	*x_data;
	size_t		x_len;
};

/* Send _IO_CONNECT c with path (and x) to coid; the reply into r. */
static long send_connect(int coid, struct _io_connect *c, const char *path,
    const struct extra *x, union connect_reply *r)
{
	static const char zeros[8];
	iov_t s[4];

	c->path_len = (uint16_t)(strlen(path) + 1);
	c->extra_type = (uint8_t)x->x_type;
	c->extra_len = (uint16_t)x->x_len;
	SETIOV(&s[0], c, sizeof(*c));
	SETIOV(&s[1], path, c->path_len);
	SETIOV(&s[2], zeros, _IO_CONNECT_EXTRA_OFF(c->path_len) - sizeof(*c) - c->path_len);
	SETIOV(&s[3], x->x_data, x->x_len);
	return MsgSendvs_r(coid, s, x->x_len ? 4 : 2, r, sizeof(*r));
}

/*
 * A link reply with a new path: make it the absolute path to try next
 * (relative to the directory of the old one).
 */
static long redirect(char *abs, const union connect_reply *r, int *eflag)
{
	char next[PX_PATH_MAX];
	size_t n = r->l.lr.path_len;
	const char *np = (const char *)&r->l.e[r->l.lr.nentries];
	char *slash;

	if (r->l.lr.nentries > _IO_CONNECT_ENTRIES_MAX || n == 0 || n > PX_PATH_MAX ||
	    np[n - 1] != '\0')
		return -EINVAL;		/* a malformed reply */
	if (np[0] != '/') {
		slash = strrchr(abs, '/');
		slash[1] = '\0';
		if (strlen(abs) + n > PX_PATH_MAX)
			return -ENAMETOOLONG;
		strcat(abs, np);
		np = abs;
	}
	strcpy(next, np);
	return __px_abspath(AT_FDCWD, next, abs, eflag);
}

/*
 * Try the servers of link reply lr for path abs.  The coid (subtype OPEN),
 * the status, 1 << 30 for "redirected: abs is the new path", or -errno.
 */
#define REDIRECTED	(1L << 30)
static long try_servers(struct _io_connect *c, char *abs, const struct extra *x,
    union connect_reply *r, void *rbuf, size_t rmax, int *eflag)
{
	struct _io_connect_entry e[_IO_CONNECT_ENTRIES_MAX];
	int n = r->l.lr.nentries, cof = (c->ioflag & O_CLOEXEC) ? _NTO_COF_CLOEXEC : 0;
	long err = -ENOENT;

	if (n > _IO_CONNECT_ENTRIES_MAX)
		return -EINVAL;
	memcpy(e, r->l.e, (size_t)n * sizeof(e[0]));
	for (int i = 0; i < n; i++) {
		const char *rest = abs + (e[i].prefix_len < strlen(abs) ? e[i].prefix_len :
		    strlen(abs));
		long coid = ConnectAttach_r(ND_LOCAL_NODE, e[i].pid, e[i].chid, 0, cof);
		long st;

		if (coid < 0)
			return coid == -EAGAIN ? -EMFILE : coid;
		if (coid >= __px_fd_limit()) {	/* RLIMIT_NOFILE */
			ConnectDetach_r((int)coid);
			return -EMFILE;
		}
		rest += strspn(rest, "/");
		c->handle = e[i].handle;
		st = send_connect((int)coid, c, rest, x, r);
		if (st >= 0 && st != _IO_CONNECT_RET_LINK && c->subtype == _IO_CONNECT_OPEN)
			return coid;
		ConnectDetach_r((int)coid);
		if (st == _IO_CONNECT_RET_LINK) {
			st = redirect(abs, r, eflag);
			return st < 0 ? st : REDIRECTED;
		}
		if (st >= 0) {		/* readlink: the data; others: done */
			if (rbuf)
				memcpy(rbuf, r->data, (size_t)st < rmax ? (size_t)st : rmax);
			return st;
		}
		if (st != -ENOENT)
			return st;
		err = st;
	}
	return err;
}

/*
 * _IO_CONNECT subtype for path (relative to dirfd) with open flags ioflag
 * and mode.  For _IO_CONNECT_OPEN the new fd; otherwise the server's
 * status, with up to rmax bytes of its reply data in rbuf.  Or -errno.
 */
long __px_connect(int dirfd, const char *path, int subtype, unsigned ioflag,
    unsigned mode, void *rbuf, size_t rmax)
{
	return __px_connect_x(dirfd, path, subtype, ioflag, mode, _IO_CONNECT_EXTRA_NONE, 0, 0,
	    rbuf, rmax);
}

/* __px_connect with extra data of type xtype (xlen bytes at xdata) after the path. */
long __px_connect_x(int dirfd, const char *path, int subtype, unsigned ioflag, unsigned mode,
    int xtype, const void *xdata, size_t xlen, void *rbuf, size_t rmax)
{
	const struct extra x = { xtype, xdata, xlen };
	char abs[PX_PATH_MAX];
	union connect_reply r;
	struct _io_connect c;
	int eflag;
	long st = __px_abspath(dirfd, path, abs, &eflag);

	for (int links = 0; st == 0; links++) {
		if (links > PX_LINKS_MAX)
			return -ELOOP;
		c = (struct _io_connect){ .type = _IO_CONNECT, .subtype = (uint16_t)subtype,
		    .file_type = _FTYPE_ANY, .ioflag = ioflag, .mode = mode,
		    .eflag = (uint8_t)eflag, .entry_max = _IO_CONNECT_ENTRIES_MAX,
		    .reply_max = (uint16_t)(rmax && rmax < sizeof(r) ? rmax : sizeof(r)) };
		if (c.reply_max < sizeof(r.l.lr) + sizeof(r.l.e))
			c.reply_max = sizeof(r.l.lr) + sizeof(r.l.e);
		if (__px_sysmgr < 0)
			return -ENOSYS;		/* the first process: no path manager */
		st = send_connect(__px_sysmgr, &c, abs, &x, &r);
		if (st >= 0 && st != _IO_CONNECT_RET_LINK)
			return -EINVAL;		/* taskman answers only with link replies */
		if (st < 0)
			return st;
		if (r.l.lr.nentries == 0)
			st = redirect(abs, &r, &eflag);
		else if ((st = try_servers(&c, abs, &x, &r, rbuf, rmax, &eflag)) != REDIRECTED)
			return st;
		else
			st = 0;
	}
	return st;
}
