/*
 * taskman/skimmer/shmfs.c - shared-memory objects: /dev/shmem, served by
 * taskman itself (as QNX's procnto serves it), for shm_open, shm_unlink,
 * ftruncate, fstat, mmap, read and write, and listing /dev/shmem.
 *
 * An object's frames are shared memory (MemMap MEM_ANON | MEM_SHARED)
 * mapped in taskman's own address space, in a window of its own
 * (SHM_LO..SHM_HI).  mmap(MAP_SHARED) of the object maps the same frames
 * into the client with MemShare, so every mapping is one more holder of
 * each frame: the kernel frees a frame when its last mapping goes, in any
 * order.  taskman's own mapping lives while the object has its name or an
 * open file; after shm_unlink and the last close the object and taskman's
 * mapping go, and the clients' mappings keep the frames until they unmap
 * or die.  MAP_PRIVATE gives a copy.  Growing an object maps fresh zeroed
 * frames after the old ones (MemShare moves the old ones to a larger
 * range); shrinking unmaps the tail from taskman (mappings that still
 * hold it keep their frames; POSIX would give SIGBUS past the end).
 *
 * Open files are OCBs bound to client connections by (scoid, coid), as in
 * bootfs.c; _IO_DUP shares one (dup, spawn's and fork's fds).
 */
#include "tm.h"
#include <abi/time.h>

#define SHM_LO		0x0000003000000000UL	/* taskman's window for objects' frames */
#define SHM_HI		0x0000003e00000000UL
#define SHM_MAX		(1UL << 30)		/* one object: at most 1 GiB (a MemShare) */
#define NAME_MAX_	255
#define O_ACCMODE_	3
#define O_WRONLY_	1
#define O_RDWR_		2
#define O_CREAT_	0100
#define O_EXCL_		0200
#define O_TRUNC_	01000
#define S_IFREG_	0100000
#define S_IFDIR_	0040000

struct shm_obj {
	struct shm_obj	*so_next;
	char		so_name[NAME_MAX_ + 1];
	uint32_t	so_mode;	/* permission bits */
	int		so_uid, so_gid;
	uint64_t	so_size;	/* bytes (ftruncate) */
	uint64_t	so_va;		/* its frames in taskman (0: none yet) */
	uint64_t	so_mapped;	/* bytes of them: so_size rounded up to pages */
	int		so_refs;	/* open OCBs */
	int		so_linked;	/* still has its name */
	uint32_t	so_ino;
	int64_t		so_time;	/* last change, seconds */
	/* A file object (_MAP_FILEOBJ): no name, never open; lives while mapped. */
	int		so_file;
	int		so_fserver;	/* its server's pid (-1: that server is gone) */
	int		so_fuid;	/* the effective uid of its mappers (below) */
	uint64_t	so_fdev, so_fino;	/* the file's identity, as that server gave it */
	uint64_t	so_fsize;	/* its size as the last mapper said */
	int32_t		*so_valid;	/* per page: FILLED, 0 (not yet), or the pid filling it */
	uint64_t	so_nvalid;	/* entries of so_valid */
};

struct shm_ocb {
	struct shm_obj	*oc_obj;	/* NULL: the directory /dev/shmem itself */
	uint32_t	oc_flags;	/* open flags: the access mode */
	int		oc_refs;	/* binds */
	int64_t		oc_off;		/* an object's position; the directory's next entry index */
};

struct shm_bind {
	struct shm_bind	*sb_next;
	int		sb_scoid, sb_coid, sb_pid;
	struct shm_ocb	*sb_ocb;
};

static struct shm_obj *objs;
static int nfileobjs;			/* file objects in objs */
static struct shm_bind *sbinds;
static struct vmmap shm_vm;		/* taskman's window */
static uint32_t next_ino = 1;

static int64_t
now_sec(void)
{
	uint64_t t = 0;

	__kc_ClockTime(CLOCK_REALTIME, 0, (long)&t, 0, 0, 0);
	return (int64_t)(t / 1000000000ULL);
}

void
shmfs_init(void)
{
	vmmap_init(&shm_vm, SHM_LO, SHM_HI);
}

static void
unmap_self(void *arg, uint64_t start, uint64_t len)
{
	(void)arg;
	__kc_MemUnmap(0, (long)start, (long)len, 0, 0, 0);
}

/* Give back an object that has neither a name nor an open file. */
static void
obj_maybe_free(struct shm_obj *o)
{
	if (o->so_linked || o->so_refs)
		return;
	if (o->so_mapped)
		vmmap_remove(&shm_vm, o->so_va, o->so_mapped, unmap_self, NULL);
	for (struct shm_obj **pp = &objs; *pp; pp = &(*pp)->so_next)
		if (*pp == o) {
			*pp = o->so_next;
			break;
		}
	free(o);
}

/* Grow o's frames to want bytes (page multiple): fresh zeroed ones after the old. */
static long
obj_grow(struct shm_obj *o, uint64_t want)
{
	uint64_t va;
	long rc;

	if (vmmap_find(&shm_vm, SHM_LO, want, &va) < 0 || vmmap_insert(&shm_vm, va, want, 3) < 0)
		return -ENOSPC;
	rc = __kc_MemMap(0, (long)(va + o->so_mapped), (long)(want - o->so_mapped),
	    MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON | MEM_SHARED, 0);
	if (rc == 0 && o->so_mapped)
		rc = __kc_MemShare(0, (long)va, 0, (long)o->so_va, (long)o->so_mapped,
		    MEM_PROT_READ | MEM_PROT_WRITE);
	if (rc < 0) {
		vmmap_remove(&shm_vm, va, want, unmap_self, NULL);
		return rc == -ENOMEM ? -ENOSPC : rc;
	}
	if (o->so_mapped)
		vmmap_remove(&shm_vm, o->so_va, o->so_mapped, unmap_self, NULL);
	o->so_va = va;
	o->so_mapped = want;
	return 0;
}

/* ftruncate: the object's size becomes size; 0 or -errno. */
static long
obj_resize(struct shm_obj *o, uint64_t size)
{
	uint64_t want = (size + TM_PAGE - 1) & ~(TM_PAGE - 1);
	long rc = 0;

	if (size > SHM_MAX)
		return -EFBIG;
	if (want > o->so_mapped)
		rc = obj_grow(o, want);
	else if (want < o->so_mapped)
		vmmap_remove(&shm_vm, o->so_va + want, o->so_mapped - want, unmap_self, NULL);
	if (rc < 0)
		return rc;
	if (want < o->so_mapped)
		o->so_mapped = want;
	if (o->so_mapped == 0)
		o->so_va = 0;
	if (size < o->so_size && size < want)	/* what grows back later reads as zeros */
		memset((void *)(o->so_va + size), 0, want - size);
	o->so_size = size;
	o->so_time = now_sec();
	return 0;
}

static struct shm_obj *
obj_find(const char *name)
{
	for (struct shm_obj *o = objs; o; o = o->so_next)
		if (o->so_linked && !o->so_file && strcmp(o->so_name, name) == 0)
			return o;
	return NULL;
}

/* May the sender (its effective ids) have access want (4 read, 2 write) to o? */
static int
may(const struct pt_proc *p, const struct shm_obj *o, unsigned want)
{
	unsigned bits = o->so_mode & 7;

	if (p->pp_uid[1] == 0)
		return 1;
	if (p->pp_uid[1] == o->so_uid)
		bits = (o->so_mode >> 6) & 7;
	else if (p->pp_gid[1] == o->so_gid)
		bits = (o->so_mode >> 3) & 7;
	else
		for (int i = 0; i < p->pp_ngroups; i++)
			if (p->pp_groups[i] == o->so_gid)
				bits = (o->so_mode >> 3) & 7;
	return (bits & want) == want;
}

static struct shm_bind *
sbind_find(int scoid, int coid)
{
	for (struct shm_bind *b = sbinds; b; b = b->sb_next)
		if (b->sb_scoid == scoid && b->sb_coid == coid)
			return b;
	return NULL;
}

static int
sbind_new(const struct tm_msg *m, struct shm_ocb *oc)
{
	struct shm_bind *b = malloc(sizeof(*b));

	if (b == NULL)
		return -ENOMEM;
	*b = (struct shm_bind){ sbinds, m->m_info.scoid, m->m_info.coid, m->m_info.pid, oc };
	sbinds = b;
	oc->oc_refs++;
	return 0;
}

static void
sbind_free_if(int (*match)(const struct shm_bind *, long), long x)
{
	for (struct shm_bind **pp = &sbinds; *pp;) {
		struct shm_bind *b = *pp;

		if (!match(b, x)) {
			pp = &b->sb_next;
			continue;
		}
		*pp = b->sb_next;
		if (--b->sb_ocb->oc_refs == 0) {
			struct shm_obj *o = b->sb_ocb->oc_obj;

			free(b->sb_ocb);
			if (o && --o->so_refs == 0)
				obj_maybe_free(o);
		}
		free(b);
	}
}

static int is_scoid(const struct shm_bind *b, long s) { return b->sb_scoid == s; }
static int is_pid(const struct shm_bind *b, long p) { return b->sb_pid == p; }
static int is_bind(const struct shm_bind *b, long p) { return (long)(uintptr_t)b == p; }

void shmfs_disconnect(int scoid) { sbind_free_if(is_scoid, scoid); }

void
shmfs_proc_gone(int pid)
{
	sbind_free_if(is_pid, pid);
	shmfs_grant_drop(pid);
}

/* A name under /dev/shmem: one component, not "." or "..", at most NAME_MAX bytes. */
static long
name_check(const char *name)
{
	if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	return strlen(name) > NAME_MAX_ ? -ENAMETOOLONG : 0;
}

/* Open (or create) the object; its OCB, or -errno. */
static long
open_obj(const struct tm_msg *m, const struct _io_connect *c, const struct pt_proc *p,
    struct shm_obj **op)
{
	struct shm_obj *o = obj_find(c->path);
	unsigned acc = c->ioflag & O_ACCMODE_;
	unsigned want = acc == O_RDWR_ ? 6 : acc == O_WRONLY_ ? 2 : 4;

	(void)m;
	if (o && (c->ioflag & O_CREAT_) && (c->ioflag & O_EXCL_))
		return -EEXIST;
	if (o == NULL && !(c->ioflag & O_CREAT_))
		return -ENOENT;
	if (o && !may(p, o, want))
		return -EACCES;
	if (o == NULL) {
		if ((o = calloc(1, sizeof(*o))) == NULL)
			return -ENOMEM;
		snprintf(o->so_name, sizeof(o->so_name), "%s", c->path);
		o->so_mode = c->mode & 0777;
		o->so_uid = p->pp_uid[1];
		o->so_gid = p->pp_gid[1];
		o->so_linked = 1;
		o->so_ino = next_ino++;
		o->so_time = now_sec();
		o->so_next = objs;
		objs = o;
	}
	if ((c->ioflag & O_TRUNC_) && acc != 0)
		obj_resize(o, 0);
	*op = o;
	return 0;
}

void
shmfs_connect(struct tm_msg *m, const struct _io_connect *c)
{
	const struct pt_proc *p = proctab_find(&tm.t_procs, m->m_info.pid);
	struct shm_obj *o = NULL, *u;
	struct shm_ocb *oc;
	long rc = p ? 0 : -EPERM;

	if (rc == 0 && c->path[0] != '\0')
		rc = name_check(c->path);
	if (rc == 0 && c->subtype == _IO_CONNECT_UNLINK) {
		if ((u = obj_find(c->path)) == NULL)
			rc = c->path[0] ? -ENOENT : -EBUSY;
		else if (p->pp_uid[1] != 0 && p->pp_uid[1] != u->so_uid)
			rc = -EPERM;		/* /dev/shmem is sticky: owners only */
		else {
			u->so_linked = 0;
			obj_maybe_free(u);
		}
		if (rc < 0)
			tm_error(m->m_rcvid, (int)-rc);
		else
			tm_reply(m->m_rcvid, 0, NULL, 0);
		return;
	}
	if (rc == 0 && c->subtype != _IO_CONNECT_OPEN)
		rc = -ENOSYS;		/* links, mknod, readlink...: not for objects */
	if (rc == 0 && c->path[0] != '\0')
		rc = open_obj(m, c, p, &o);
	else if (rc == 0 && (c->ioflag & (O_ACCMODE_ | O_CREAT_)))
		rc = -EISDIR;		/* the directory: read-only, and exists */
	if (rc == 0 && (sbind_find(m->m_info.scoid, m->m_info.coid) || bootfs_bound(m)))
		rc = -EBUSY;
	if (rc == 0 && (oc = calloc(1, sizeof(*oc))) == NULL)
		rc = -ENOMEM;
	if (rc == 0) {
		*oc = (struct shm_ocb){ o, c->ioflag, 0, 0 };
		if (o)
			o->so_refs++;
		if (sbind_new(m, oc) < 0) {
			if (o)
				o->so_refs--;
			free(oc);
			rc = -ENOMEM;
		}
	}
	if (o && rc < 0)
		obj_maybe_free(o);	/* a created one that could not be opened */
	if (rc < 0)
		tm_error(m->m_rcvid, (int)-rc);
	else
		tm_reply(m->m_rcvid, 0, NULL, 0);
}

static void
io_stat(struct tm_msg *m, const struct shm_ocb *oc)
{
	const struct shm_obj *o = oc->oc_obj;
	struct _io_stat_buf sb = { .sb_dev = 2, .sb_ino = o ? o->so_ino : 0,
	    .sb_mode = o ? S_IFREG_ | o->so_mode : S_IFDIR_ | 01777, .sb_nlink = o ? 1 : 2,
	    .sb_uid = o ? (uint32_t)o->so_uid : 0, .sb_gid = o ? (uint32_t)o->so_gid : 0,
	    .sb_size = o ? (int64_t)o->so_size : 0, .sb_blksize = 4096,
	    .sb_blocks = o ? (int64_t)(o->so_mapped / 512) : 0,
	    .sb_atime_sec = o ? o->so_time : 0, .sb_mtime_sec = o ? o->so_time : 0,
	    .sb_ctime_sec = o ? o->so_time : 0 };

	if (m->m_len != sizeof(struct _io_stat))
		tm_error(m->m_rcvid, EINVAL);
	else
		tm_reply(m->m_rcvid, 0, &sb, sizeof(sb));
}

/* ftruncate (libc's _IO_SPACE: FREESP to the end, ALLOCSP to grow). */
static void
io_space(struct tm_msg *m, struct shm_ocb *oc)
{
	const struct _io_space *s = m->m_buf;
	struct shm_obj *o = oc->oc_obj;
	struct _io_lseek_reply r;
	int64_t end;
	long rc = 0;

	if (m->m_len != sizeof(*s) || s->whence != 0 || s->start < 0 || s->len < 0 ||
	    __builtin_add_overflow(s->start, s->len, &end))
		rc = -EINVAL;
	else if (o == NULL)
		rc = -EISDIR;
	else if ((oc->oc_flags & O_ACCMODE_) == 0)
		rc = -EINVAL;		/* not open for writing (POSIX: EBADF or EINVAL) */
	else if (s->subtype == _IO_SPACE_FREESP && s->len == 0)
		rc = obj_resize(o, (uint64_t)s->start);
	else if (s->subtype == _IO_SPACE_ALLOCSP)
		rc = (uint64_t)end > o->so_size ? obj_resize(o, (uint64_t)end) : 0;
	else
		rc = -EINVAL;
	if (rc < 0) {
		tm_error(m->m_rcvid, (int)-rc);
		return;
	}
	r.lr_offset = o->so_size;
	tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}

/* The position an _IO_READ/_IO_WRITE of hdr bytes names: oc_off, or pread's offset; -1 if bad. */
static int64_t
io_pos(const struct tm_msg *m, uint32_t xtype, size_t hdr, const struct shm_ocb *oc)
{
	int64_t off = oc->oc_off;

	if ((xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET) {
		if (m->m_len < hdr + sizeof(off))
			return -1;
		memcpy(&off, (const uint8_t *)m->m_buf + hdr, sizeof(off));
	} else if ((xtype & _IO_XTYPE_MASK) != _IO_XTYPE_NONE) {
		return -1;
	}
	return off;
}

/* read of an object: its bytes from the position, up to its size. */
static void
io_read_obj(struct tm_msg *m, struct shm_ocb *oc)
{
	const struct _io_read *r = m->m_buf;
	const struct shm_obj *o = oc->oc_obj;
	int64_t off = io_pos(m, r->xtype, sizeof(*r), oc);
	uint64_t n;

	if (off < 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if ((oc->oc_flags & O_ACCMODE_) == O_WRONLY_) {
		tm_error(m->m_rcvid, EBADF);
		return;
	}
	n = (uint64_t)off >= o->so_size ? 0 : o->so_size - (uint64_t)off;
	if (n > r->nbytes)
		n = r->nbytes;
	if ((r->xtype & _IO_XTYPE_MASK) == _IO_XTYPE_NONE)
		oc->oc_off += (int64_t)n;
	tm_reply(m->m_rcvid, (long)n, n ? (const void *)(o->so_va + (uint64_t)off) : NULL, n);
}

/* write to an object: grows it as a file grows; the data is read from the client straight in. */
static void
io_write_obj(struct tm_msg *m, struct shm_ocb *oc)
{
	const struct _io_write *w = m->m_buf;
	struct shm_obj *o = oc->oc_obj;
	int64_t off = m->m_len < sizeof(*w) ? -1 : io_pos(m, w->xtype, sizeof(*w), oc), end;
	size_t hdr = sizeof(*w) + ((w->xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET ? 8 : 0);
	long rc = 0;

	if (off < 0 || w->combine_len != 0 || w->nbytes > SHM_MAX ||
	    __builtin_add_overflow(off, (int64_t)w->nbytes, &end))
		rc = -EINVAL;
	else if ((oc->oc_flags & O_ACCMODE_) == 0)
		rc = -EBADF;		/* not open for writing */
	else if ((uint64_t)end > o->so_size)
		rc = obj_resize(o, (uint64_t)end);
	if (rc == 0 && w->nbytes && __kc_MsgRead(m->m_rcvid, (long)(o->so_va + (uint64_t)off),
	    (long)w->nbytes, (long)hdr, 0, 0) != (long)w->nbytes)
		rc = -EFAULT;		/* the client sent less than it said */
	if (rc < 0) {
		tm_error(m->m_rcvid, (int)-rc);
		return;
	}
	if ((w->xtype & _IO_XTYPE_MASK) == _IO_XTYPE_NONE)
		oc->oc_off = end;
	o->so_time = now_sec();
	tm_reply(m->m_rcvid, (long)w->nbytes, NULL, 0);
}

/* The directory's entries (the objects with names), from oc_off on, as many as fit. */
static void
io_readdir(struct tm_msg *m, struct shm_ocb *oc)
{
	static uint64_t buf[4096 / 8];
	const struct _io_read *r = m->m_buf;
	uint64_t max = r->nbytes < sizeof(buf) ? r->nbytes : sizeof(buf);
	uint8_t *b = (uint8_t *)buf;
	size_t used = 0;
	int64_t i = 0;

	if (m->m_len >= sizeof(*r) && r->combine_len == 0 && oc->oc_obj) {
		io_read_obj(m, oc);
		return;
	}
	if (m->m_len < sizeof(*r) || r->combine_len != 0 || (r->xtype & _IO_XTYPE_MASK) != _IO_XTYPE_NONE) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	for (struct shm_obj *o = objs; o; o = o->so_next) {
		size_t reclen = (_IO_DIRENT_NAME_OFF + strlen(o->so_name) + 1 + 7) & ~(size_t)7;
		struct _io_dirent *d = (struct _io_dirent *)(b + used);

		if (!o->so_linked || i++ < oc->oc_off)
			continue;
		if (used + reclen > max) {
			if (used == 0) {
				tm_error(m->m_rcvid, EINVAL);	/* not even one fits */
				return;
			}
			break;
		}
		memset(d, 0, reclen);
		d->d_ino = o->so_ino;
		d->d_off = i;
		d->d_reclen = (uint16_t)reclen;
		d->d_type = 8;		/* DT_REG */
		memcpy(d->d_name, o->so_name, strlen(o->so_name) + 1);
		used += reclen;
		oc->oc_off = i;
	}
	tm_reply(m->m_rcvid, (long)used, buf, used);
}

/* lseek: an object's byte position, or the directory's entry index (SEEK_SET only). */
static void
io_lseek(struct tm_msg *m, struct shm_ocb *oc)
{
	const struct _io_lseek *l = m->m_buf;
	struct _io_lseek_reply r;
	int64_t base, to;

	if (m->m_len != sizeof(*l) || l->whence < 0 || l->whence > 2 ||
	    (oc->oc_obj == NULL && l->whence != 0)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	base = l->whence == 0 ? 0 : l->whence == 1 ? oc->oc_off : (int64_t)oc->oc_obj->so_size;
	if (__builtin_add_overflow(base, l->offset, &to) || to < 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	oc->oc_off = to;
	r.lr_offset = (uint64_t)to;
	tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}

static void
io_dup(struct tm_msg *m, struct shm_bind *old)
{
	if (sbind_find(m->m_info.scoid, m->m_info.coid) || bootfs_bound(m))
		tm_error(m->m_rcvid, EBUSY);
	else if (sbind_new(m, old->sb_ocb) < 0)
		tm_error(m->m_rcvid, ENOMEM);
	else
		tm_reply(m->m_rcvid, 0, NULL, 0);
}

int
shmfs_io(struct tm_msg *m)
{
	const struct _msg_hdr *h = m->m_buf;
	const struct _io_dup *d = m->m_buf;
	struct shm_bind *b;

	if (h->type == _IO_DUP) {
		if (m->m_len != sizeof(*d) || (b = sbind_find(d->info.scoid, d->info.coid)) == NULL ||
		    b->sb_pid != d->info.pid)
			return 0;	/* not one of ours: bootfs answers */
		io_dup(m, b);
		return 1;
	}
	if ((b = sbind_find(m->m_info.scoid, m->m_info.coid)) == NULL)
		return 0;
	if (h->subtype & _IO_COMBINE_FLAG) {
		tm_error(m->m_rcvid, ENOSYS);
		return 1;
	}
	switch (h->type) {
	case _IO_STAT:	io_stat(m, b->sb_ocb); break;
	case _IO_SPACE:	io_space(m, b->sb_ocb); break;
	case _IO_READ:	io_readdir(m, b->sb_ocb); break;
	case _IO_LSEEK:	io_lseek(m, b->sb_ocb); break;
	case _IO_WRITE:
		if (b->sb_ocb->oc_obj)
			io_write_obj(m, b->sb_ocb);
		else
			tm_error(m->m_rcvid, EISDIR);
		break;
	case _IO_CLOSE:
		sbind_free_if(is_bind, (long)(uintptr_t)b);
		tm_reply(m->m_rcvid, 0, NULL, 0);
		break;
	default:	tm_error(m->m_rcvid, ENOSYS); break;
	}
	return 1;
}

long
shmfs_map(long pid, const struct _mem_map *mm, uint64_t addr, uint64_t len)
{
	struct _server_info si;
	struct shm_bind *b;
	struct shm_obj *o;
	unsigned acc;
	long kp = (long)((mm->mm_prot & 7) | ((mm->mm_prot & _PROT_WRITE) ? _PROT_READ : 0));

	if (__kc_ConnectServerInfo(pid, mm->mm_fd, (long)&si, 0, 0, 0) != mm->mm_fd)
		return -EBADF;
	if (si.pid != SYSMGR_PID || (b = sbind_find(si.scoid, mm->mm_fd)) == NULL ||
	    (o = b->sb_ocb->oc_obj) == NULL)
		return -ENODEV;		/* not an object (files: libc reads them) */
	acc = b->sb_ocb->oc_flags & O_ACCMODE_;
	if (acc == O_WRONLY_ || ((mm->mm_flags & _MAP_SHARED) && (mm->mm_prot & _PROT_WRITE) &&
	    acc != O_RDWR_))
		return -EACCES;
	if ((uint64_t)mm->mm_offset > o->so_mapped || len > o->so_mapped - (uint64_t)mm->mm_offset)
		return -ENXIO;		/* past the object's pages */
	if ((mm->mm_prot & 7) == _PROT_NONE)
		return 0;		/* a reservation */
	if (mm->mm_flags & _MAP_SHARED)
		return __kc_MemShare(pid, (long)addr, 0, (long)(o->so_va + (uint64_t)mm->mm_offset),
		    (long)len, kp);
	long rc = __kc_MemMap(pid, (long)addr, (long)len, kp, MEM_ANON, 0);

	if (rc == 0 && (rc = __kc_MemWrite(pid, (long)addr, (long)(o->so_va + (uint64_t)mm->mm_offset),
	    (long)len, 0, 0)) >= 0)
		rc = 0;
	return rc;
}

/*
 * File objects: an unnamed object per regular file that some process
 * maps MAP_SHARED, keyed by the file's identity as the mapper's libc gave
 * it (st_dev, st_ino).  Its frames are shared by every such mapping, so
 * stores are seen by every mapper at once.  taskman never reads the file:
 * so_valid says which pages a mapper has filled from it already
 * (_MEM_CTRL_FILEFILL hands each unfilled page to exactly one mapper, and
 * has the others wait until it is filled).
 * The object lives while a region of some process is tagged with it
 * (vmmap_tag; fork's copy keeps the tags), then its frames go.
 */
static struct shm_obj *
fobj_find(int server, uint64_t dev, uint64_t ino, int uid)
{
	for (struct shm_obj *o = objs; o; o = o->so_next)
		if (o->so_file && o->so_fserver == server && o->so_fdev == dev && o->so_fino == ino &&
		    o->so_fuid == uid)
			return o;
	return NULL;
}

/*
 * Grants (_MEM_CTRL_FILEGRANT): a file system answering _IO_MMAP says
 * that process g_pid may map its file (dev, ino) with g_prot.  taskman
 * cannot check the identity itself (it never asks a file system), so
 * the grant is keyed by its sender: a grant only opens the objects keyed
 * by that sender, and a process that is no file system can only grant
 * objects of its own.  A grant lasts until the client execs or the
 * client or the server dies; then the server's objects lose their key
 * (a pid used again must not find them).
 */
struct grant {
	int		g_pid, g_server;	/* the client, the granting server */
	uint32_t	g_prot;
	uint64_t	g_dev, g_ino;
};
static struct grant *grants;
static int ngrants, grants_cap;

static struct grant *
grant_find(int pid, int server, uint64_t dev, uint64_t ino)
{
	for (int i = 0; i < ngrants; i++)
		if (grants[i].g_pid == pid && grants[i].g_server == server &&
		    grants[i].g_dev == dev && grants[i].g_ino == ino)
			return &grants[i];
	return NULL;
}

long
shmfs_grant(int server, const struct _mem_file_grant *mg)
{
	const struct pt_proc *p = proctab_find(&tm.t_procs, mg->mg_pid);
	struct grant *g;
	int mine = 0;

	if (mg->mg_zero != 0 || mg->mg_pid <= 0 || !(mg->mg_prot & _PROT_READ) ||
	    (mg->mg_prot & ~7u))
		return -EINVAL;
	if (p == NULL || p->pp_priv == NULL)
		return -ESRCH;
	if ((g = grant_find(mg->mg_pid, server, mg->mg_dev, mg->mg_ino)) != NULL) {
		g->g_prot |= mg->mg_prot;
		return 0;
	}
	for (int i = 0; i < ngrants; i++)
		mine += grants[i].g_pid == mg->mg_pid;
	if (ngrants >= _MEM_GRANT_MAX || mine >= _MEM_GRANT_PROC_MAX)
		return -ENOMEM;		/* (one process cannot take the whole table) */
	if (ngrants == grants_cap) {
		int cap = grants_cap ? grants_cap * 2 : 64;
		struct grant *n = realloc(grants, (size_t)cap * sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		grants = n;
		grants_cap = cap;
	}
	grants[ngrants++] = (struct grant){ mg->mg_pid, server, mg->mg_prot, mg->mg_dev,
	    mg->mg_ino };
	return 0;
}

/* pid execs or dies: its grants go, and those it gave; its objects lose their key. */
void
shmfs_grant_drop(int pid)
{
	for (int i = 0; i < ngrants; )
		if (grants[i].g_pid == pid || grants[i].g_server == pid)
			grants[i] = grants[--ngrants];
		else
			i++;
	for (struct shm_obj *o = objs; o; o = o->so_next)
		if (o->so_file && o->so_fserver == pid)
			o->so_fserver = -1;
}

/* May pid map (or make writable) object obj with prot?  (read: any mapping) */
int
shmfs_file_granted(int pid, uint64_t obj, uint32_t prot)
{
	const struct grant *g;
	struct shm_obj *o;

	for (o = objs; o && (uint64_t)(uintptr_t)o != obj; o = o->so_next)
		;
	if (o == NULL || !o->so_file)
		return 0;
	g = grant_find(pid, o->so_fserver, o->so_fdev, o->so_fino);
	return g && (g->g_prot & (prot | _PROT_READ)) == (prot | _PROT_READ);
}

static void
fobj_free(struct shm_obj *o)
{
	for (struct shm_obj **pp = &objs; *pp; pp = &(*pp)->so_next)
		if (*pp == o) {
			*pp = o->so_next;
			break;
		}
	if (o->so_mapped)
		vmmap_remove(&shm_vm, o->so_va, o->so_mapped, unmap_self, NULL);
	free(o->so_valid);
	free(o);
	nfileobjs--;
}

/* The sender's grant for mf: read, and write for PROT_WRITE; 0 or -errno. */
long
shmfs_file_may_map(long pid, const struct _mem_map_file *mf)
{
	uint32_t need = _PROT_READ | (mf->mf_map.mm_prot & _PROT_WRITE);
	const struct grant *g = grant_find((int)pid, mf->mf_server, mf->mf_dev, mf->mf_ino);

	if (mf->mf_zero != 0)
		return -EINVAL;
	if (mf->mf_server <= 0 || g == NULL || (g->g_prot & need) != need)
		return -EACCES;		/* its file system did not vouch for this */
	return 0;
}

long
shmfs_file_map(long pid, const struct _mem_map_file *mf, uint64_t addr, uint64_t len,
    uint64_t *obj)
{
	const struct _mem_map *mm = &mf->mf_map;
	uint64_t off = (uint64_t)mm->mm_offset, want = off + len, pages = want / TM_PAGE;
	long kp = (long)((mm->mm_prot & 7) | ((mm->mm_prot & _PROT_WRITE) ? _PROT_READ : 0));
	/*
	 * One object per file and effective uid: taskman cannot check that
	 * the bytes a mapper fills are the file's, so a process that may only
	 * read a file must not fill the pages another user's processes see
	 * (and a writer of that user would write back into the file).  Mappers
	 * of one uid share one object; different users' mappings of a file
	 * are coherent only through the file (msync, then a new mapping).
	 */
	const struct pt_proc *mp = proctab_find(&tm.t_procs, (int)pid);
	int uid = mp ? mp->pp_uid[1] : -1;
	struct shm_obj *o = fobj_find(mf->mf_server, mf->mf_dev, mf->mf_ino, uid);
	long rc = shmfs_file_may_map(pid, mf);

	if (rc < 0)
		return rc;
	if (off > SHM_MAX || len > SHM_MAX - off)
		return -ENOMEM;		/* one object: 1 GiB at most */
	if (o == NULL) {
		if ((o = calloc(1, sizeof(*o))) == NULL)
			return -ENOMEM;
		o->so_file = 1;
		o->so_fserver = mf->mf_server;
		o->so_fuid = uid;
		o->so_fdev = mf->mf_dev;
		o->so_fino = mf->mf_ino;
		o->so_ino = next_ino++;
		o->so_next = objs;
		objs = o;
		nfileobjs++;
	}
	o->so_fsize = mf->mf_size > 0 ? (uint64_t)mf->mf_size : 0;
	if (pages > o->so_nvalid) {
		int32_t *v = realloc(o->so_valid, pages * sizeof(*v));

		if (v == NULL)
			rc = -ENOMEM;
		else {
			memset(v + o->so_nvalid, 0, (pages - o->so_nvalid) * sizeof(*v));
			o->so_valid = v;
			o->so_nvalid = pages;
		}
	}
	if (rc == 0 && want > o->so_mapped)
		rc = obj_grow(o, want);
	if (rc == 0 && (mm->mm_prot & 7) != _PROT_NONE)
		rc = __kc_MemShare(pid, (long)addr, 0, (long)(o->so_va + off), (long)len, kp);
	if (rc < 0)
		return rc == -ENOSPC ? -ENOMEM : rc;	/* a new object: the caller's gc frees it */
	*obj = (uint64_t)(uintptr_t)o;
	return 0;
}

#define FILLED		(-1)

/* Is page i being filled by a process that still lives?  (Else it is not filled.) */
static int
filling(struct shm_obj *o, uint64_t i)
{
	const struct pt_proc *p;

	if (o->so_valid[i] <= 0)
		return 0;
	p = proctab_find(&tm.t_procs, o->so_valid[i]);
	if (p && p->pp_priv)
		return 1;
	o->so_valid[i] = 0;		/* it died filling: the page is anybody's */
	return 0;
}

long
shmfs_file_fill(const struct vmmap *vm, int pid, uint64_t addr, uint64_t len, uint32_t how,
    long rcvid, struct _mem_fill_reply *r)
{
	const struct vm_region *reg = vmmap_lookup(vm, addr);
	struct shm_obj *o;
	uint64_t lo, hi, fpages, i, n;
	int busy = 0;

	if (reg == NULL)
		return -ENOMEM;
	for (o = objs; o && (uint64_t)(uintptr_t)o != reg->vr_obj; o = o->so_next)
		;
	if (reg->vr_obj == 0 || o == NULL || !o->so_file || len > reg->vr_end - addr ||
	    how > _MEM_FILL_DONE)
		return -EINVAL;		/* not one file mapping */
	lo = (addr - reg->vr_base) / TM_PAGE;
	hi = lo + len / TM_PAGE;
	fpages = (o->so_fsize + TM_PAGE - 1) / TM_PAGE;
	if (hi > fpages)
		hi = fpages;		/* pages past the end of the file stay zeros */
	if (hi > o->so_nvalid)
		hi = o->so_nvalid;
	r->mf_addr = addr;
	r->mf_len = 0;
	if (how == _MEM_FILL_DONE) {	/* the data of pages it was given: copied in */
		hi = lo + len / TM_PAGE;
		if (hi > o->so_nvalid || hi * TM_PAGE > o->so_mapped)
			return -EINVAL;
		for (i = lo; i < hi; i++)
			if (o->so_valid[i] != pid)
				return -EINVAL;	/* not its to fill (now): nothing copied */
		if (__kc_MsgRead(rcvid, (long)(o->so_va + lo * TM_PAGE), (long)len,
		    (long)sizeof(struct _mem_ctrl), 0, 0) != (long)len)
			return -EFAULT;	/* (still its claims: it may answer UNDO) */
		for (i = lo; i < hi; i++)
			o->so_valid[i] = FILLED;
		return 0;
	}
	if (how != _MEM_FILL_ASK) {	/* the sender's own claims: given up */
		for (i = lo; i < hi; i++)
			if (o->so_valid[i] == pid)
				o->so_valid[i] = 0;
		return 0;
	}
	for (i = lo; i < hi && (o->so_valid[i] == FILLED || filling(o, i)); i++)
		busy |= o->so_valid[i] != FILLED;
	for (n = 0; i + n < hi && o->so_valid[i + n] != FILLED && !filling(o, i + n); n++)
		o->so_valid[i + n] = pid;	/* the asker fills them */
	if (n) {
		r->mf_addr = reg->vr_base + i * TM_PAGE;
		r->mf_len = n * TM_PAGE;
		return 0;
	}
	return busy;			/* 1: others are filling pages of the range */
}

void
shmfs_file_gc(void)
{
	for (struct shm_obj *o = objs, *next; o && nfileobjs; o = next) {
		int mapped = 0;

		next = o->so_next;
		if (!o->so_file)
			continue;
		for (const struct pt_proc *p = tm.t_procs.pt_procs; p && !mapped; p = p->pp_next) {
			const struct tm_proc *tp = p->pp_priv;

			mapped = tp && vmmap_maps(&tp->tp_vm, (uint64_t)(uintptr_t)o);
		}
		if (!mapped)
			fobj_free(o);
	}
}
