/*
 * taskman/skimmer/bootfs.c - the boot image as a read-only resource
 * manager inside taskman, attached at "/" (so /proc/boot/x, and the image's
 * other directories, /proc, /tmp, /dev, and "/" itself): _IO_CONNECT open
 * (handle TM_BOOTFS_HANDLE), then _IO_READ (files, and directories as
 * dirent records), _IO_STAT, _IO_LSEEK, _IO_CLOSE, _IO_DUP.  Every longer
 * prefix that a server attaches is tried before "/".  A directory's
 * listing adds the names that attached prefixes put in it (ls /dev shows
 * null, ser1).  An open file is an OCB (the node and the offset); each
 * client connection bound to it is a bind keyed by (scoid, coid).  _IO_DUP
 * binds a new connection to the OCB of another (dup, spawn's fd
 * inheritance), so they share the offset.  A close, a disconnect or the
 * client's death frees the bind, and the last bind frees the OCB.
 * /proc/mounts is made at open from the path table (a snapshot, like a
 * file), and every open file answers DCMD_FSYS_STATVFS for the image.
 * /proc/<pid> and /proc/self are procfs.c's: made at open the same way.
 */
#include "tm.h"
#include "procfs.h"

#define O_ACCMODE_	3		/* musl's O_ACCMODE */
#define O_CREAT_	0100
#define O_TRUNC_	01000
#define O_NOFOLLOW_	0400000
#define DT_UNKNOWN_	0
#define NAME_MAX_	255
#define DT_DIR_		4
#define DT_REG_		8
#define DT_LNK_		10
#define DIR_READ_MAX	4096		/* bytes of dirents one read returns */
#define DIR_VIRT_OFF	(1 << 20)	/* directory offsets from here: pathtab_child's */

#define IMAGEFS_MAGIC	0x71736f65	/* "qsoe": statfs's f_type for the boot image */
#define MOUNTS_PATH	"proc/mounts"	/* made by taskman (relative to "/") */
#define ST_RDONLY_	1

struct ocb {
	const struct imagefs_node *o_node;
	int64_t		o_off;		/* bytes, or for a directory the next entry index */
	int		o_refs;		/* binds to it */
	struct imagefs_node o_gen;	/* a made file's node (/proc/mounts): o_node = &o_gen */
	char		*o_buf;		/* its contents, or NULL */
	char		o_path[32];	/* a made node's path (/proc/<pid>/...) */
};

static struct procfs_ref pref;		/* procfs_resolve's answer (one thread: one at a time) */

struct bind {
	struct bind	*b_next;
	int		b_scoid, b_coid, b_pid;	/* the client's connection */
	struct ocb	*b_ocb;
};

static struct bind *binds;

static struct bind *
bind_find(int scoid, int coid)
{
	for (struct bind *b = binds; b; b = b->b_next)
		if (b->b_scoid == scoid && b->b_coid == coid)
			return b;
	return NULL;
}

/* Bind the sender's connection to o: 0, or -ENOMEM. */
static int
bind_new(const struct tm_msg *m, struct ocb *o)
{
	struct bind *b = malloc(sizeof(*b));

	if (b == NULL)
		return -ENOMEM;
	*b = (struct bind){ binds, m->m_info.scoid, m->m_info.coid, m->m_info.pid, o };
	binds = b;
	o->o_refs++;
	return 0;
}

static void
bind_free_if(int (*match)(const struct bind *, int), int x)
{
	for (struct bind **pp = &binds; *pp;) {
		struct bind *b = *pp;

		if (match(b, x)) {
			*pp = b->b_next;
			if (--b->b_ocb->o_refs == 0) {
				free(b->b_ocb->o_buf);
				free(b->b_ocb);
			}
			free(b);
		} else {
			pp = &b->b_next;
		}
	}
}

static int is_scoid(const struct bind *b, int s) { return b->b_scoid == s; }
static int is_pid(const struct bind *b, int p) { return b->b_pid == p; }
static const struct bind *closing;
static int is_closing(const struct bind *b, int unused) { (void)unused; return b == closing; }

int bootfs_bound(const struct tm_msg *m) { return bind_find(m->m_info.scoid, m->m_info.coid) != NULL; }
void bootfs_disconnect(int scoid) { bind_free_if(is_scoid, scoid); }
void bootfs_proc_gone(int pid) { bind_free_if(is_pid, pid); }

static int
is_dir(const struct imagefs_node *n)
{
	return (n->in_mode & IMAGEFS_MODE_TYPE) == IMAGEFS_MODE_DIR;
}

/* The node of a path relative to "/", or NULL. */
static const struct imagefs_node *
boot_node(const char *rel)
{
	return imagefs_lookup(&tm.t_fs, rel);
}

static void redirect(struct tm_msg *m, const struct _io_connect *c, const char *path);

/*
 * _IO_CONNECT_READLINK: the target of a symbolic link (EINVAL for
 * anything else); procfs's links too (/proc/self, /proc/<pid>/cwd).
 */
static void
readlink(struct tm_msg *m, const struct _io_connect *c)
{
	const struct imagefs_node *n = boot_node(c->path);
	int pr = procfs_resolve(c->path, m->m_info.pid, &pref);
	size_t len;

	if (pr != PROCFS_NOT_OURS) {
		free(pref.pr_buf);
		pref.pr_buf = NULL;
		if (pr == PROCFS_LINK && !pref.pr_last)
			redirect(m, c, pref.pr_newpath);	/* a link before the last component */
		else if (pr == PROCFS_LINK)
			tm_reply(m->m_rcvid, (long)strnlen(pref.pr_target, c->reply_max),
			    pref.pr_target, strnlen(pref.pr_target, c->reply_max));
		else
			tm_error(m->m_rcvid, pr < 0 ? -pr : EINVAL);
		return;
	}

	if (n == NULL) {
		tm_error(m->m_rcvid, ENOENT);
		return;
	}
	if ((n->in_mode & IMAGEFS_MODE_TYPE) != IMAGEFS_MODE_LNK) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	len = n->in_size < c->reply_max ? n->in_size : c->reply_max;
	tm_reply(m->m_rcvid, (long)len, n->in_data, len);
}

/*
 * Opening a symbolic link: a link reply with no entries and the target as
 * the new path (a relative target is relative to the link's directory),
 * which the client resolves from the start.  O_NOFOLLOW gives ELOOP.
 */
static void
follow_link(struct tm_msg *m, const struct _io_connect *c, const struct imagefs_node *n)
{
	struct {
		struct _io_connect_link_reply	lr;
		char				path[_IO_CONNECT_PATH_MAX];
	} r;
	const char *slash = strrchr(n->in_path, '/');
	char dir[_IO_CONNECT_PATH_MAX];
	size_t len;

	if (n->in_size && ((const char *)n->in_data)[0] == '/')
		dir[0] = '\0';
	else
		snprintf(dir, sizeof(dir), "/%.*s%s", slash ? (int)(slash - n->in_path) : 0,
		    n->in_path, slash ? "/" : "");
	len = strlen(dir) + n->in_size;

	if (c->ioflag & O_NOFOLLOW_) {
		tm_error(m->m_rcvid, ELOOP);
		return;
	}
	if (n->in_size == 0 || len >= sizeof(r.path)) {
		tm_error(m->m_rcvid, n->in_size ? ENAMETOOLONG : ENOENT);
		return;
	}
	memcpy(r.path, dir, strlen(dir));
	memcpy(r.path + strlen(dir), n->in_data, n->in_size);
	r.path[len] = '\0';
	redirect(m, c, r.path);
}

/* A link reply without entries: the client resolves path (absolute) from the start. */
static void
redirect(struct tm_msg *m, const struct _io_connect *c, const char *path)
{
	struct {
		struct _io_connect_link_reply	lr;
		char				path[_IO_CONNECT_PATH_MAX];
	} r;
	size_t len = strlen(path);

	if (len >= sizeof(r.path)) {
		tm_error(m->m_rcvid, ENAMETOOLONG);
		return;
	}
	memset(&r.lr, 0, sizeof(r.lr));
	memcpy(r.path, path, len + 1);
	r.lr.eflag = c->eflag;
	r.lr.path_len = (uint16_t)(len + 1);
	tm_reply(m->m_rcvid, _IO_CONNECT_RET_LINK, &r, sizeof(r.lr) + len + 1);
}

static const char *
server_name(int pid, void *unused)
{
	const struct pt_proc *p = proctab_find(&tm.t_procs, pid);

	(void)unused;
	return p ? p->pp_name : NULL;
}

/* /proc/mounts now, into o's own node (0, or -ENOMEM). */
static int
make_mounts(struct ocb *o)
{
	size_t need = pathtab_mounts(&tm.t_paths, NULL, 0, SYSMGR_PID, server_name, NULL);

	if ((o->o_buf = malloc(need + 1)) == NULL)
		return -ENOMEM;
	need = pathtab_mounts(&tm.t_paths, o->o_buf, need + 1, SYSMGR_PID, server_name, NULL);
	o->o_gen = (struct imagefs_node){ .in_path = MOUNTS_PATH, .in_data = o->o_buf,
	    .in_size = strlen(o->o_buf), .in_mode = IMAGEFS_MODE_REG | 0444,
	    .in_ino = (uint32_t)tm.t_fs.if_count + 1, .in_parent = -1 };
	o->o_node = &o->o_gen;
	return 0;
}

/*
 * Open n (NULL: /proc/mounts; procfs: procfs's node and text in pref,
 * which the OCB then owns) read-only for the sender's connection.  0, or
 * -EROFS/-EISDIR (a write), -EBUSY (a file open on it already), -ENOMEM.
 */
static int
open_ocb(const struct tm_msg *m, const struct _io_connect *c, const struct imagefs_node *n,
    int procfs)
{
	struct ocb *o;

	if ((c->ioflag & O_ACCMODE_) != 0 || (c->ioflag & O_TRUNC_))
		return n && is_dir(n) ? -EISDIR : -EROFS;
	if (bind_find(m->m_info.scoid, m->m_info.coid))
		return -EBUSY;		/* one open file per connection */
	if ((o = malloc(sizeof(*o))) == NULL)
		return -ENOMEM;
	*o = (struct ocb){ n, 0, 0, { 0 }, NULL, { 0 } };
	if (procfs) {
		o->o_gen = *n;
		snprintf(o->o_path, sizeof(o->o_path), "%s", n->in_path);
		o->o_gen.in_path = o->o_path;
		o->o_node = &o->o_gen;
		o->o_buf = pref.pr_buf;
		pref.pr_buf = NULL;
	}
	if ((n == NULL && make_mounts(o) < 0) || bind_new(m, o) < 0) {
		free(o->o_buf);
		free(o);
		return -ENOMEM;
	}
	return 0;
}

void
bootfs_connect(struct tm_msg *m, const struct _io_connect *c)
{
	const struct imagefs_node *n;
	int pr, rc;

	if (c->subtype == _IO_CONNECT_READLINK) {
		readlink(m, c);
		return;
	}
	if (c->subtype != _IO_CONNECT_OPEN && c->subtype != _IO_CONNECT_COMBINE &&
	    c->subtype != _IO_CONNECT_COMBINE_CLOSE) {
		tm_error(m->m_rcvid, EROFS);
		return;
	}
	if (c->subtype != _IO_CONNECT_OPEN) {
		tm_error(m->m_rcvid, ENOSYS);	/* combine messages: not yet */
		return;
	}
	pr = procfs_resolve(c->path, m->m_info.pid, &pref);
	if (pr == PROCFS_LINK) {
		if (pref.pr_last && (c->ioflag & O_NOFOLLOW_))
			tm_error(m->m_rcvid, ELOOP);
		else
			redirect(m, c, pref.pr_newpath);
		return;
	}
	if (pr < 0) {
		tm_error(m->m_rcvid, pr == -ENOENT && (c->ioflag & O_CREAT_) ? EROFS : -pr);
		return;
	}
	n = pr == 0 ? &pref.pr_node : boot_node(c->path);
	if (pr != 0 && n == NULL && strcmp(c->path, MOUNTS_PATH) != 0) {
		tm_error(m->m_rcvid, (c->ioflag & O_CREAT_) ? EROFS : ENOENT);
		return;
	}
	if (n && (n->in_mode & IMAGEFS_MODE_TYPE) == IMAGEFS_MODE_LNK) {
		follow_link(m, c, n);
		return;
	}
	rc = open_ocb(m, c, n, pr == 0);
	if (pr == 0)
		free(pref.pr_buf);	/* (NULL if the OCB took it) */
	if (rc < 0)
		tm_error(m->m_rcvid, -rc);
	else
		tm_reply(m->m_rcvid, 0, NULL, 0);
}

/*
 * The index-th name a directory gets besides the image's: attached
 * prefixes, then /proc/mounts, then procfs's (self and the pids in /proc,
 * a process's files in /proc/<pid>).
 */
static int
virt_child(const char *dir, int index, char *name, size_t size)
{
	int i = 0;

	if (pathtab_child(&tm.t_paths, dir, index, name, size))
		return 1;
	while (pathtab_child(&tm.t_paths, dir, i, name, size))	/* the prefixes' count */
		i++;
	index -= i;
	if (strcmp(dir, "proc") == 0 && index-- == 0) {
		snprintf(name, size, "%s", MOUNTS_PATH + strlen("proc/"));
		return 1;
	}
	return procfs_dir_entry(dir, index, name, size);
}

/*
 * After the image's entries: the names attached prefixes add to the
 * directory (those the image lacks), from o_off - DIR_VIRT_OFF on, into
 * b[used..max).  The new used; *full is set non-NULL if one did not fit.
 */
static size_t
virt_entries(struct ocb *o, uint8_t *b, size_t used, uint64_t max,
    const struct imagefs_node **full)
{
	char name[NAME_MAX_ + 1], path[_IO_CONNECT_PATH_MAX + NAME_MAX_ + 2];

	while (virt_child(o->o_node->in_path, (int)(o->o_off - DIR_VIRT_OFF), name, sizeof(name))) {
		size_t reclen = (_IO_DIRENT_NAME_OFF + strlen(name) + 1 + 7) & ~(size_t)7;
		struct _io_dirent *d = (struct _io_dirent *)(b + used);

		snprintf(path, sizeof(path), "%s/%s", o->o_node->in_path, name);
		if (imagefs_lookup(&tm.t_fs, path) == NULL) {	/* else listed already */
			if (used + reclen > max) {
				*full = o->o_node;
				break;
			}
			memset(d, 0, reclen);
			d->d_ino = (uint64_t)o->o_off;	/* unique within the listing */
			d->d_off = o->o_off + 1;
			d->d_reclen = (uint16_t)reclen;
			d->d_type = DT_UNKNOWN_;
			memcpy(d->d_name, name, strlen(name) + 1);
			used += reclen;
		}
		o->o_off++;
	}
	return used;
}

/* Directory entries from o_off on, as many as fit in max bytes. */
static void
read_dir(struct tm_msg *m, struct ocb *o, uint64_t max)
{
	static uint64_t buf[DIR_READ_MAX / 8];
	uint8_t *b = (uint8_t *)buf;
	size_t used = 0;
	const struct imagefs_node *n = NULL;
	int next;

	if (max > sizeof(buf))
		max = sizeof(buf);
	if (o->o_node == &o->o_gen && o->o_off < DIR_VIRT_OFF)
		o->o_off = DIR_VIRT_OFF;	/* a made directory (/proc/<pid>): no image entries */
	while (o->o_off < DIR_VIRT_OFF &&
	    (n = imagefs_readdir(&tm.t_fs, o->o_node, (int)o->o_off, &next)) != NULL) {
		const char *name = imagefs_basename(n);
		size_t reclen = (_IO_DIRENT_NAME_OFF + strlen(name) + 1 + 7) & ~(size_t)7;
		struct _io_dirent *d = (struct _io_dirent *)(b + used);
		uint32_t t = n->in_mode & IMAGEFS_MODE_TYPE;

		if (used + reclen > max)
			break;
		memset(d, 0, reclen);
		d->d_ino = n->in_ino;
		d->d_off = next;
		d->d_reclen = (uint16_t)reclen;
		d->d_type = t == IMAGEFS_MODE_DIR ? DT_DIR_ : t == IMAGEFS_MODE_LNK ? DT_LNK_ : DT_REG_;
		memcpy(d->d_name, name, strlen(name) + 1);
		used += reclen;
		o->o_off = next;
	}
	if (n == NULL && o->o_off < DIR_VIRT_OFF)
		o->o_off = DIR_VIRT_OFF;	/* the image's entries are done */
	if (o->o_off >= DIR_VIRT_OFF && n == NULL)
		used = virt_entries(o, b, used, max, &n);
	if (used == 0 && n != NULL)
		tm_error(m->m_rcvid, EINVAL);	/* not even one entry fits */
	else
		tm_reply(m->m_rcvid, (long)used, buf, used);
}

static void
io_read(struct tm_msg *m, struct ocb *o)
{
	const struct _io_read *r = m->m_buf;
	uint32_t xt = r->xtype & _IO_XTYPE_MASK;
	int64_t off = o->o_off;
	uint64_t n;

	if (m->m_len < sizeof(*r) || r->combine_len != 0 ||
	    (xt != _IO_XTYPE_NONE && xt != _IO_XTYPE_OFFSET) ||
	    (xt == _IO_XTYPE_OFFSET && m->m_len < sizeof(*r) + sizeof(struct _xtype_offset))) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (is_dir(o->o_node)) {
		read_dir(m, o, r->nbytes);
		return;
	}
	if (xt == _IO_XTYPE_OFFSET)
		memcpy(&off, (const uint8_t *)m->m_buf + sizeof(*r), sizeof(off));
	if (off < 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	n = (uint64_t)off >= o->o_node->in_size ? 0 : o->o_node->in_size - (uint64_t)off;
	if (n > r->nbytes)
		n = r->nbytes;
	if (xt == _IO_XTYPE_NONE)
		o->o_off += (int64_t)n;
	tm_reply(m->m_rcvid, (long)n, (const uint8_t *)o->o_node->in_data + (n ? off : 0), n);
}

static void
io_stat(struct tm_msg *m, struct ocb *o)
{
	const struct imagefs_node *n = o->o_node;
	struct _io_stat_buf sb = { .sb_dev = 1, .sb_ino = n->in_ino, .sb_mode = n->in_mode,
	    .sb_nlink = is_dir(n) ? 2 : 1, .sb_uid = n->in_uid, .sb_gid = n->in_gid,
	    .sb_size = (int64_t)n->in_size, .sb_blksize = 4096,
	    .sb_blocks = (int64_t)((n->in_size + 511) / 512), .sb_atime_sec = n->in_mtime,
	    .sb_mtime_sec = n->in_mtime, .sb_ctime_sec = n->in_mtime };

	if (m->m_len != sizeof(struct _io_stat))
		tm_error(m->m_rcvid, EINVAL);
	else
		tm_reply(m->m_rcvid, 0, &sb, sizeof(sb));
}

static void
io_lseek(struct tm_msg *m, struct ocb *o)
{
	const struct _io_lseek *l = m->m_buf;
	int64_t base, to;
	struct _io_lseek_reply r;

	if (m->m_len != sizeof(*l) || l->whence < 0 || l->whence > 2) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	base = l->whence == 0 ? 0 : l->whence == 1 ? o->o_off : (int64_t)o->o_node->in_size;
	if (__builtin_add_overflow(base, l->offset, &to) || to < 0 ||
	    (is_dir(o->o_node) && l->whence != 0)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	o->o_off = to;
	r.lr_offset = (uint64_t)to;
	tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}

/*
 * _IO_DUP on a new connection: bind it to the OCB of the connection the
 * message names, which must exist and belong to the process it names.
 */
static void
io_dup(struct tm_msg *m)
{
	const struct _io_dup *d = m->m_buf;
	struct bind *old;

	if (m->m_len != sizeof(*d)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	old = bind_find(d->info.scoid, d->info.coid);
	if (old == NULL || old->b_pid != d->info.pid) {
		tm_error(m->m_rcvid, EBADF);
		return;
	}
	if (bind_find(m->m_info.scoid, m->m_info.coid)) {
		tm_error(m->m_rcvid, EBUSY);
		return;
	}
	if (bind_new(m, old->b_ocb) < 0)
		tm_error(m->m_rcvid, ENOMEM);
	else
		tm_reply(m->m_rcvid, 0, NULL, 0);
}

/* DCMD_FSYS_STATVFS (statfs, df) for the image, read-only and full; ENOTTY for the rest. */
static void
io_devctl(struct tm_msg *m)
{
	const struct _io_devctl *d = m->m_buf;
	struct {
		struct _io_devctl_reply	r;
		struct _io_statvfs	sv;
	} rep = { { 0 }, { 0 } };
	uint64_t bytes = 0;

	if (m->m_len < sizeof(*d) || d->dcmd != DCMD_FSYS_STATVFS) {
		tm_error(m->m_rcvid, m->m_len < sizeof(*d) ? EINVAL : ENOTTY);
		return;
	}
	if (d->nbytes < sizeof(rep.sv)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	for (int i = 0; i < tm.t_fs.if_count; i++)
		bytes += (tm.t_fs.if_nodes[i].in_size + 4095) & ~(uint64_t)4095;
	rep.r.nbytes = sizeof(rep.sv);
	rep.sv = (struct _io_statvfs){ .sv_type = IMAGEFS_MAGIC, .sv_bsize = 4096,
	    .sv_blocks = bytes / 4096, .sv_files = (uint64_t)tm.t_fs.if_count, .sv_fsid = 1,
	    .sv_namemax = NAME_MAX_, .sv_flag = ST_RDONLY_ };
	tm_reply(m->m_rcvid, 0, &rep, sizeof(rep));
}

void
bootfs_io(struct tm_msg *m)
{
	const struct _msg_hdr *h = m->m_buf;
	struct bind *b;
	struct ocb *o;

	if (h->subtype & _IO_COMBINE_FLAG) {
		tm_error(m->m_rcvid, ENOSYS);	/* combine messages: not yet */
		return;
	}
	if (h->type == _IO_DUP) {
		io_dup(m);
		return;
	}
	if ((b = bind_find(m->m_info.scoid, m->m_info.coid)) == NULL) {
		tm_error(m->m_rcvid, EBADF);	/* no file open on this connection */
		return;
	}
	o = b->b_ocb;
	switch (h->type) {
	case _IO_READ:	io_read(m, o); break;
	case _IO_STAT:	io_stat(m, o); break;
	case _IO_LSEEK:	io_lseek(m, o); break;
	case _IO_CLOSE:
		closing = b;
		bind_free_if(is_closing, 0);
		tm_reply(m->m_rcvid, 0, NULL, 0);
		break;
	case _IO_WRITE:	tm_error(m->m_rcvid, EBADF); break;	/* opened for reading */
	case _IO_CHMOD: case _IO_CHOWN: case _IO_UTIME: case _IO_SPACE:
		tm_error(m->m_rcvid, EROFS);
		break;
	case _IO_DEVCTL: io_devctl(m); break;
	default:	tm_error(m->m_rcvid, ENOSYS); break;
	}
}
