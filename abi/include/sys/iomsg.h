/*
 * sys/iomsg.h - the I/O messages (_IO_*) between libc and resource
 * managers, in QNX Neutrino's shape: the same message names, numbers,
 * field names and flow, with 64-bit-clean layouts.  docs/taskman.md
 * ("The _IO_* messages") describes the flow; this header is the one
 * definition (libc, libresmgr and taskman include it).
 *
 * Conventions:
 *  - Every message starts with uint16_t type; _IO_CONNECT has a subtype
 *    next, the others combine_len, which must be 0 on QSOE (combine
 *    messages are not supported yet: a server answers ENOSYS to a
 *    message with _IO_COMBINE_FLAG set).
 *  - Field names are QNX's (no struct prefixes), so QNX-style resource
 *    manager code reads the same; our own structs (stat buffer, replies
 *    QNX does not have) use prefixes.
 *  - Values that POSIX names (open flags, S_IF* mode bits, whence, errno)
 *    are musl's (Linux generic) numbers, not QNX's: nothing is translated.
 *    In particular ioflag is the open() flags as given (O_RDONLY is 0);
 *    QNX's "+1" encoding is not used.
 *  - A reply's status is >= 0; errors come back through MsgError.
 *  - Nothing that follows a header is trusted by the receiver: every
 *    length is checked against the bytes actually received.
 */
#ifndef _SYS_IOMSG_H
#define _SYS_IOMSG_H

#include <abi/cdefs.h>
#include <abi/msg.h>
#include <abi/sigevent.h>
#include <sys/msghdr.h>

/* Message types (QNX's numbers). */
#define _IO_BASE		0x100
#define _IO_CONNECT		0x100	/* open, unlink, rename, ... by path */
#define _IO_READ		0x101	/* read; on a directory: dirent records */
#define _IO_WRITE		0x102
#define _IO_RSVD_CLOSE_OCB	0x103	/* reserved (QNX: internal) */
#define _IO_STAT		0x104	/* fstat */
#define _IO_NOTIFY		0x105	/* select/poll arming */
#define _IO_DEVCTL		0x106	/* ioctl, termios, ... */
#define _IO_RSVD_UNBLOCK	0x107	/* reserved */
#define _IO_PATHCONF		0x108	/* fpathconf */
#define _IO_LSEEK		0x109
#define _IO_CHMOD		0x10a	/* fchmod */
#define _IO_CHOWN		0x10b	/* fchown */
#define _IO_UTIME		0x10c	/* futimens */
#define _IO_OPENFD		0x10d	/* open another OCB on the same file */
#define _IO_FDINFO		0x10e	/* what an fd refers to (path, offset) */
#define _IO_LOCK		0x10f	/* fcntl record locks */
#define _IO_SPACE		0x110	/* ftruncate, posix_fallocate */
#define _IO_SHUTDOWN		0x111	/* reserved */
#define _IO_MMAP		0x112	/* mmap(MAP_SHARED) of a file: the server's grant */
#define _IO_MSG			0x113	/* a server's own message on an fd */
#define _IO_RSVD		0x114	/* reserved */
#define _IO_DUP			0x115	/* share an OCB with a new connection */
#define _IO_CLOSE		0x116	/* close (the OCB's last reference) */
#define _IO_RSVD_LOCK_OCB	0x117	/* reserved */
#define _IO_RSVD_UNLOCK_OCB	0x118	/* reserved */
#define _IO_SYNC		0x119	/* fsync, fdatasync */
#define _IO_POWER		0x11a	/* reserved */
#define _IO_MAX			0x1ff

#define _IO_COMBINE_FLAG	0x8000	/* in combine_len: not supported yet */

/* ---------------------------------------------------------------------- */
/* _IO_CONNECT: everything that names a path. */

/* _io_connect.subtype */
#define _IO_CONNECT_COMBINE		0	/* open + one I/O message: not yet */
#define _IO_CONNECT_COMBINE_CLOSE	1	/* ... then close: not yet */
#define _IO_CONNECT_OPEN		2	/* open(), opendir(), ... */
#define _IO_CONNECT_UNLINK		3	/* unlink(), rmdir() */
#define _IO_CONNECT_RENAME		4	/* extra: the old path */
#define _IO_CONNECT_MKNOD		5	/* mkdir(), mkfifo(), mknod() */
#define _IO_CONNECT_READLINK		6
#define _IO_CONNECT_LINK		7	/* link(), symlink(): extra says */
#define _IO_CONNECT_RSVD_UNBLOCK	8	/* reserved */
#define _IO_CONNECT_MOUNT		9	/* extra: struct _io_connect_mount */

/* _io_connect.file_type and _io_connect_entry.file_type (QNX's _FTYPE_*) */
#define _FTYPE_MATCHED		(-1)	/* entry: what the client asked for */
#define _FTYPE_ANY		0	/* any server, any kind of object */
#define _FTYPE_FILE		1
#define _FTYPE_LINK		2
#define _FTYPE_SYMLINK		3
#define _FTYPE_PIPE		4
#define _FTYPE_SHMEM		5
#define _FTYPE_MQUEUE		6
#define _FTYPE_SOCKET		7
#define _FTYPE_SEM		8
#define _FTYPE_MOUNT		11
#define _FTYPE_NAME		12	/* name_attach() names */

/*
 * name_attach()/name_open() names live under these prefixes (QNX's
 * /dev/name).  Global names would be QNX's gns across nodes; with one
 * node they are a second local table.  The flags' public names are in
 * <sys/dispatch.h> (NAME_FLAG_*).
 */
#define _NAME_DIR_LOCAL		"/dev/name/local"
#define _NAME_DIR_GLOBAL	"/dev/name/global"
#define _NAME_FLAG_DETACH_SAVEDPP	0x00000001	/* name_detach: keep the dispatch */
#define _NAME_FLAG_ATTACH_GLOBAL	0x00000002	/* name_attach/name_open: global */

/* _io_connect.eflag */
#define _IO_CONNECT_EFLAG_DIR		0x01	/* the path ended in '/' */
#define _IO_CONNECT_EFLAG_DOT		0x02	/* the path ended in "/." */
#define _IO_CONNECT_EFLAG_DOTDOT	0x04	/* the path ended in "/.." */

/* _io_connect.extra_type: what follows the path (extra_len bytes). */
#define _IO_CONNECT_EXTRA_NONE		0
#define _IO_CONNECT_EXTRA_LINK		1	/* link(): struct _io_connect_extra_link */
#define _IO_CONNECT_EXTRA_SYMLINK	2	/* symlink(): the target, NUL-terminated */
#define _IO_CONNECT_EXTRA_RENAME	9	/* rename(): the old path, NUL-terminated */
#define _IO_CONNECT_EXTRA_MOUNT		10	/* mount(): struct _io_connect_mount */

/*
 * The request.  The path (path_len bytes, NUL included) follows the
 * header at offset 40, then extra_len bytes of extra data, 8-aligned
 * from the start of the message (_IO_CONNECT_EXTRA_OFF).  To taskman
 * (the path manager) the path is absolute; to a resource manager it is
 * the part after the prefix that taskman matched (no leading '/', "" for
 * the prefix itself), and handle is the entry's handle.
 */
struct _io_connect {
	uint16_t	type;		/* _IO_CONNECT */
	uint16_t	subtype;	/* _IO_CONNECT_* */
	uint32_t	file_type;	/* _FTYPE_*: which servers may answer */
	uint16_t	reply_max;	/* bytes the client can take in the reply */
	uint16_t	entry_max;	/* link reply: most entries it can take */
	uint32_t	key;		/* reserved, 0 */
	uint32_t	handle;		/* server's attach handle (0 to taskman) */
	uint32_t	ioflag;		/* open() flags (musl's O_* values) */
	uint32_t	mode;		/* open(O_CREAT)/mknod mode: type and permissions */
	uint16_t	sflag;		/* sharing flags (SH_*), 0 = SH_DENYNO */
	uint16_t	access;		/* reserved, 0 */
	uint16_t	zero;		/* 0 */
	uint16_t	path_len;	/* bytes of path, NUL included */
	uint8_t		eflag;		/* _IO_CONNECT_EFLAG_* */
	uint8_t		extra_type;	/* _IO_CONNECT_EXTRA_* */
	uint16_t	extra_len;	/* bytes of extra data */
	char		path[];		/* path_len bytes */
};

__ABI_SIZE(struct _io_connect, 40, 4);
__ABI_FIELD(struct _io_connect, type, 0, 2);
__ABI_FIELD(struct _io_connect, subtype, 2, 2);
__ABI_FIELD(struct _io_connect, file_type, 4, 4);
__ABI_FIELD(struct _io_connect, reply_max, 8, 2);
__ABI_FIELD(struct _io_connect, entry_max, 10, 2);
__ABI_FIELD(struct _io_connect, key, 12, 4);
__ABI_FIELD(struct _io_connect, handle, 16, 4);
__ABI_FIELD(struct _io_connect, ioflag, 20, 4);
__ABI_FIELD(struct _io_connect, mode, 24, 4);
__ABI_FIELD(struct _io_connect, sflag, 28, 2);
__ABI_FIELD(struct _io_connect, access, 30, 2);
__ABI_FIELD(struct _io_connect, zero, 32, 2);
__ABI_FIELD(struct _io_connect, path_len, 34, 2);
__ABI_FIELD(struct _io_connect, eflag, 36, 1);
__ABI_FIELD(struct _io_connect, extra_type, 37, 1);
__ABI_FIELD(struct _io_connect, extra_len, 38, 2);
__ABI_ASSERT(offsetof(struct _io_connect, path) == 40, "ABI: _io_connect.path moved");

#define _IO_CONNECT_PATH_MAX	1024	/* PATH_MAX: path_len may not exceed it */
#define _IO_CONNECT_EXTRA_OFF(path_len) \
	((sizeof(struct _io_connect) + (size_t)(path_len) + 7) & ~(size_t)7)

/* link() extra: the existing file, as an fd the server must know. */
struct _io_connect_extra_link {
	int32_t		el_pid;		/* client pid */
	int32_t		el_coid;	/* its connection to the existing file */
};
__ABI_SIZE(struct _io_connect_extra_link, 8, 4);

/* mount() extra; the two strings follow it (special\0 type\0 data). */
struct _io_connect_mount {
	uint32_t	cm_flags;	/* MS_* */
	uint16_t	cm_special_len;	/* bytes incl. NUL */
	uint16_t	cm_type_len;	/* bytes incl. NUL */
	uint32_t	cm_data_len;	/* bytes of file-system data */
	uint32_t	cm_zero;
};
__ABI_SIZE(struct _io_connect_mount, 16, 4);

/*
 * Replies of a resource manager to _IO_CONNECT:
 *	OPEN		status 0: this connection now refers to the object (an
 *			OCB); the client keeps it as the fd
 *	READLINK	status = the target's length; the reply data is the
 *			target (not NUL-terminated), at most reply_max bytes
 *	UNLINK, RENAME, MKNOD, LINK, MOUNT
 *			status 0: done; the connection refers to nothing (the
 *			client detaches it)
 *	any		_IO_CONNECT_RET_LINK: a link reply (below), try elsewhere
 * Statuses other than 0 are positive, so they never read as errors
 * (MsgReply refuses -4095..-1).
 */
#define _IO_CONNECT_RET_LINK	0x00010000	/* redirect: link reply follows */

/*
 * The link reply (QNX's "_IO_CONNECT_RET_LINK").  The path manager
 * answers _IO_CONNECT with it: the servers that may hold the path, best
 * first.  For each entry in order, the client ConnectAttach()es to
 * (pid, chid), sends the same _IO_CONNECT with handle = entry.handle and
 * the path with its first prefix_len bytes (the matched prefix) and any
 * '/' after them removed, and stops at the first server that does not
 * answer ENOENT.  (Several entries with one prefix_len form a union, as
 * QNX's.)  If path_len is not 0 the reply ends with a new path (a
 * symbolic link was met: start again with it, at most 32 times, else
 * ELOOP).  A resource manager may send a link reply too.
 */
struct _io_connect_link_reply {
	uint32_t	reserved1;	/* 0 */
	uint32_t	file_type;	/* _FTYPE_* of the object, if known */
	uint8_t		eflag;		/* echo of _io_connect.eflag */
	uint8_t		reserved2;	/* 0 */
	uint16_t	chroot_len;	/* reserved, 0 */
	uint32_t	umask;		/* reserved, 0 */
	uint16_t	nentries;	/* entries that follow */
	uint16_t	path_len;	/* bytes of new path after them (0: none) */
};

__ABI_SIZE(struct _io_connect_link_reply, 20, 4);
__ABI_FIELD(struct _io_connect_link_reply, file_type, 4, 4);
__ABI_FIELD(struct _io_connect_link_reply, eflag, 8, 1);
__ABI_FIELD(struct _io_connect_link_reply, nentries, 16, 2);
__ABI_FIELD(struct _io_connect_link_reply, path_len, 18, 2);

struct _io_connect_entry {
	uint32_t	nd;		/* node: always ND_LOCAL_NODE */
	int32_t		pid;		/* server process */
	int32_t		chid;		/* its channel */
	uint32_t	handle;		/* put this in _io_connect.handle */
	uint32_t	key;		/* reserved, 0 */
	int32_t		file_type;	/* _FTYPE_* the server attached with */
	uint16_t	prefix_len;	/* bytes of the path its prefix matched */
	uint16_t	zero;		/* 0 */
};

__ABI_SIZE(struct _io_connect_entry, 28, 4);
__ABI_FIELD(struct _io_connect_entry, nd, 0, 4);
__ABI_FIELD(struct _io_connect_entry, pid, 4, 4);
__ABI_FIELD(struct _io_connect_entry, chid, 8, 4);
__ABI_FIELD(struct _io_connect_entry, handle, 12, 4);
__ABI_FIELD(struct _io_connect_entry, key, 16, 4);
__ABI_FIELD(struct _io_connect_entry, file_type, 20, 4);
__ABI_FIELD(struct _io_connect_entry, prefix_len, 24, 2);
__ABI_FIELD(struct _io_connect_entry, zero, 26, 2);

#define _IO_CONNECT_ENTRIES_MAX	16	/* most entries taskman returns */

/* ---------------------------------------------------------------------- */
/* I/O messages on an open connection (an fd). */

/* _io_read.xtype / _io_write.xtype */
#define _IO_XTYPE_NONE		0x00000000
#define _IO_XTYPE_OFFSET	0x00000004	/* pread/pwrite: struct _xtype_offset follows */
#define _IO_XTYPE_MASK		0x000000ff
#define _IO_XFLAG_NONBLOCK	0x00004000	/* O_NONBLOCK for this one call */
#define _IO_XFLAG_BACKGROUND	0x00008000	/* job control: SIGTTOU is ignored or blocked (below) */

/*
 * Job control.  A terminal's server answers a process of the terminal's
 * session that is not in its foreground process group with the status
 * _IO_EBACKGROUND (never an errno a program sees; the Hurd's term server
 * has the same answer, EBACKGROUND) for
 *   - an _IO_READ,
 *   - an _IO_WRITE while TOSTOP is set, unless _IO_XFLAG_BACKGROUND,
 *   - an _IO_DEVCTL that changes the terminal (tcsetattr, tcsetpgrp,
 *     tcflush, tcflow), unless _io_devctl.zero is _IO_DEVCTL_BACKGROUND.
 * libc then does what a Unix kernel does: if the caller ignores or blocks
 * the signal (SIGTTIN for a read, SIGTTOU otherwise), a read fails with
 * EIO and a write or change is sent again with the flag, which the server
 * carries out; otherwise libc sends the signal to its process group,
 * which stops it by default, and sends the message again once it runs
 * (continued, or after a handler with SA_RESTART; EINTR after a handler
 * without).  Only the server knows the terminal's groups, only the
 * caller its signal actions.
 */
#define _IO_EBACKGROUND		1024
#define _IO_DEVCTL_BACKGROUND	1

struct _xtype_offset {
	int64_t		offset;		/* file position, not changed by the call */
};
__ABI_SIZE(struct _xtype_offset, 8, 8);

/*
 * _IO_READ: the reply's status is the byte count and the data is the
 * reply.  On a directory, the data is whole dirent records (below), as
 * many as fit in nbytes; 0 means the end.
 */
struct _io_read {
	uint16_t	type;		/* _IO_READ */
	uint16_t	combine_len;	/* 0 */
	uint32_t	xtype;		/* _IO_XTYPE_* | _IO_XFLAG_* */
	uint64_t	nbytes;		/* most bytes wanted */
};
__ABI_SIZE(struct _io_read, 16, 8);
__ABI_FIELD(struct _io_read, xtype, 4, 4);
__ABI_FIELD(struct _io_read, nbytes, 8, 8);

/* _IO_WRITE: nbytes of data follow the header (and the xtype struct). */
struct _io_write {
	uint16_t	type;		/* _IO_WRITE */
	uint16_t	combine_len;	/* 0 */
	uint32_t	xtype;		/* _IO_XTYPE_* | _IO_XFLAG_* */
	uint64_t	nbytes;		/* bytes that follow */
};
__ABI_SIZE(struct _io_write, 16, 8);
__ABI_FIELD(struct _io_write, xtype, 4, 4);
__ABI_FIELD(struct _io_write, nbytes, 8, 8);

/*
 * A directory entry as _IO_READ on a directory returns it: the layout of
 * Linux's struct linux_dirent64 (and so of musl's struct dirent), so
 * musl's getdents()/readdir() use the data as it is.  d_reclen is a
 * multiple of 8; d_off is the position after this entry (give it to
 * _IO_LSEEK to come back).  d_type is musl's DT_* value.
 */
struct _io_dirent {
	uint64_t	d_ino;
	int64_t		d_off;
	uint16_t	d_reclen;	/* the whole record, 8-aligned */
	uint8_t		d_type;		/* DT_* */
	char		d_name[];	/* NUL-terminated */
};
__ABI_FIELD(struct _io_dirent, d_ino, 0, 8);
__ABI_FIELD(struct _io_dirent, d_off, 8, 8);
__ABI_FIELD(struct _io_dirent, d_reclen, 16, 2);
__ABI_FIELD(struct _io_dirent, d_type, 18, 1);
__ABI_ASSERT(offsetof(struct _io_dirent, d_name) == 19, "ABI: _io_dirent.d_name moved");
#define _IO_DIRENT_NAME_OFF	19

/* _IO_CLOSE: the client drops the fd; the status is 0. */
struct _io_close {
	uint16_t	type;		/* _IO_CLOSE */
	uint16_t	combine_len;	/* 0 */
	uint32_t	zero;		/* 0 */
};
__ABI_SIZE(struct _io_close, 8, 4);

/*
 * The stat buffer that _IO_STAT replies with.  It is QSOE's own fixed
 * layout, which happens to equal musl's struct stat for riscv64 (the
 * generic Linux one), so libc copies it.  Field prefix sb_, because
 * libc headers define st_atime and friends as macros.
 */
struct _io_stat_buf {
	uint64_t	sb_dev;		/* device (server-chosen) */
	uint64_t	sb_ino;		/* file serial number */
	uint32_t	sb_mode;	/* S_IF* type and permission bits */
	uint32_t	sb_nlink;
	uint32_t	sb_uid;
	uint32_t	sb_gid;
	uint64_t	sb_rdev;	/* device it is, for special files */
	uint64_t	sb_pad1;	/* 0 */
	int64_t		sb_size;	/* bytes */
	int32_t		sb_blksize;	/* preferred I/O size */
	int32_t		sb_pad2;	/* 0 */
	int64_t		sb_blocks;	/* 512-byte blocks */
	int64_t		sb_atime_sec, sb_atime_nsec;
	int64_t		sb_mtime_sec, sb_mtime_nsec;
	int64_t		sb_ctime_sec, sb_ctime_nsec;
	uint32_t	sb_unused[2];	/* 0 */
};
__ABI_SIZE(struct _io_stat_buf, 128, 8);
__ABI_FIELD(struct _io_stat_buf, sb_dev, 0, 8);
__ABI_FIELD(struct _io_stat_buf, sb_ino, 8, 8);
__ABI_FIELD(struct _io_stat_buf, sb_mode, 16, 4);
__ABI_FIELD(struct _io_stat_buf, sb_nlink, 20, 4);
__ABI_FIELD(struct _io_stat_buf, sb_uid, 24, 4);
__ABI_FIELD(struct _io_stat_buf, sb_gid, 28, 4);
__ABI_FIELD(struct _io_stat_buf, sb_rdev, 32, 8);
__ABI_FIELD(struct _io_stat_buf, sb_size, 48, 8);
__ABI_FIELD(struct _io_stat_buf, sb_blksize, 56, 4);
__ABI_FIELD(struct _io_stat_buf, sb_blocks, 64, 8);
__ABI_FIELD(struct _io_stat_buf, sb_atime_sec, 72, 8);
__ABI_FIELD(struct _io_stat_buf, sb_mtime_sec, 88, 8);
__ABI_FIELD(struct _io_stat_buf, sb_ctime_sec, 104, 8);
__ABI_FIELD(struct _io_stat_buf, sb_unused, 120, 8);

/* _IO_STAT: the reply is one struct _io_stat_buf, status 0. */
struct _io_stat {
	uint16_t	type;		/* _IO_STAT */
	uint16_t	combine_len;	/* 0 */
	uint32_t	zero;		/* 0 */
};
__ABI_SIZE(struct _io_stat, 8, 4);

/* _IO_LSEEK: the reply is the new offset (struct _io_lseek_reply), status 0. */
struct _io_lseek {
	uint16_t	type;		/* _IO_LSEEK */
	uint16_t	combine_len;	/* 0 */
	int16_t		whence;		/* SEEK_SET 0, SEEK_CUR 1, SEEK_END 2 */
	uint16_t	zero;		/* 0 */
	int64_t		offset;
};
__ABI_SIZE(struct _io_lseek, 16, 8);
__ABI_FIELD(struct _io_lseek, whence, 4, 2);
__ABI_FIELD(struct _io_lseek, offset, 8, 8);

struct _io_lseek_reply {
	uint64_t	lr_offset;	/* the new position */
};
__ABI_SIZE(struct _io_lseek_reply, 8, 8);

/*
 * _IO_DEVCTL: nbytes of data follow; the reply is struct
 * _io_devctl_reply followed by up to nbytes of data out.  dcmd encodes
 * the direction and size as QNX's __DIOF/__DIOT/__DIOTF macros do.
 */
#define _DEVCTL_DATA_TO		0x40000000u	/* data to the server (__DIOT) */
#define _DEVCTL_DATA_FROM	0x80000000u	/* data from the server (__DIOF) */
#define _DEVCTL_SIZE(dcmd)	(((uint32_t)(dcmd) >> 16) & 0x3fffu)
#define _DEVCTL_CLASS(dcmd)	(((uint32_t)(dcmd) >> 8) & 0xffu)
#define _DEVCTL_CODE(dcmd)	((uint32_t)(dcmd) & 0xffu)

struct _io_devctl {
	uint16_t	type;		/* _IO_DEVCTL */
	uint16_t	combine_len;	/* 0 */
	int32_t		dcmd;		/* the command */
	uint32_t	nbytes;		/* bytes of data that follow / room for the reply */
	int32_t		zero;		/* 0, or _IO_DEVCTL_BACKGROUND (job control, above) */
};
__ABI_SIZE(struct _io_devctl, 16, 4);
__ABI_FIELD(struct _io_devctl, dcmd, 4, 4);
__ABI_FIELD(struct _io_devctl, nbytes, 8, 4);

struct _io_devctl_reply {
	uint32_t	zero;		/* 0 */
	int32_t		ret_val;	/* devctl()'s *dev_info_ptr */
	uint32_t	nbytes;		/* bytes of data that follow */
	int32_t		zero2;		/* 0 */
};
__ABI_SIZE(struct _io_devctl_reply, 16, 4);

/*
 * devctl commands a file system answers (QNX's _DCMD_FSYS class).
 * DCMD_FSYS_STATVFS: statfs()/statvfs(); no data in, struct
 * _io_statvfs out.  A server without it answers ENOTTY, which libc turns
 * into ENOSYS.
 */
#define _DCMD_FSYS		0x04
#define _DCMD_FSYS_STATVFS_CODE	13

struct _io_statvfs {
	uint64_t	sv_type;	/* Linux's f_type magic (fs-ram: TMPFS_MAGIC 0x01021994) */
	uint64_t	sv_bsize;	/* block size */
	uint64_t	sv_blocks;	/* blocks in all */
	uint64_t	sv_bfree;	/* blocks free */
	uint64_t	sv_bavail;	/* ... to an unprivileged user */
	uint64_t	sv_files;	/* inodes in all */
	uint64_t	sv_ffree;	/* inodes free */
	uint64_t	sv_fsid;	/* file-system id (st_dev) */
	uint64_t	sv_namemax;	/* longest name */
	uint64_t	sv_flag;	/* ST_RDONLY, ST_NOSUID, ... (musl's values) */
};
__ABI_SIZE(struct _io_statvfs, 80, 8);

#define DCMD_FSYS_STATVFS	((int32_t)(_DEVCTL_DATA_FROM | \
	((uint32_t)sizeof(struct _io_statvfs) << 16) | (_DCMD_FSYS << 8) | _DCMD_FSYS_STATVFS_CODE))

/*
 * DCMD_FSYS_UMOUNT: umount(8) asks the server of a mount point (on an fd
 * of its root) to end: a uint32_t of flags in (_DCMD_FSYS_UMOUNT_FORCE:
 * even while other files are open).  The server writes everything back,
 * marks its file system clean, answers 0, detaches and exits.  EBUSY
 * while other opens remain, EPERM for a caller that is not root; EIO if
 * the disk could not be written (the server ends all the same: check the
 * file system).  fs-ext2 serves it (docs/ext2.md).
 */
#define _DCMD_FSYS_UMOUNT_CODE	14
#define _DCMD_FSYS_UMOUNT_FORCE	0x1u
#define DCMD_FSYS_UMOUNT	((int32_t)(_DEVCTL_DATA_TO | \
	((uint32_t)sizeof(uint32_t) << 16) | (_DCMD_FSYS << 8) | _DCMD_FSYS_UMOUNT_CODE))

/*
 * _IO_NOTIFY: arm (or poll) readiness for select()/poll(), as in QNX.
 * The server answers with the conditions already true in flags and, if
 * none and action is _NOTIFY_ACTION_POLLARM/TRANARM, delivers event
 * later (MsgDeliverEvent).
 */
#define _NOTIFY_ACTION_POLL	0	/* just report */
#define _NOTIFY_ACTION_POLLARM	1	/* report, arm if none true */
#define _NOTIFY_ACTION_TRANARM	2	/* arm for the next transition */
#define _NOTIFY_COND_INPUT	0x10000000	/* readable */
#define _NOTIFY_COND_OUTPUT	0x20000000	/* writable */
#define _NOTIFY_COND_OBAND	0x40000000	/* out-of-band data */
#define _NOTIFY_COND_HANGUP	0x08000000	/* peer gone (POLLHUP) */
#define _NOTIFY_COND_ERROR	0x04000000	/* error (POLLERR) */

struct _io_notify {
	uint16_t	type;		/* _IO_NOTIFY */
	uint16_t	combine_len;	/* 0 */
	int32_t		action;		/* _NOTIFY_ACTION_* */
	int32_t		flags;		/* _NOTIFY_COND_* wanted */
	uint32_t	zero;		/* 0 */
	struct __abi_sigevent event;	/* delivered when armed and true */
};
__ABI_SIZE(struct _io_notify, 48, 8);
__ABI_FIELD(struct _io_notify, action, 4, 4);
__ABI_FIELD(struct _io_notify, flags, 8, 4);
__ABI_FIELD(struct _io_notify, event, 16, 32);

struct _io_notify_reply {
	uint32_t	zero;		/* 0 */
	uint32_t	flags;		/* _NOTIFY_COND_* true now */
};
__ABI_SIZE(struct _io_notify_reply, 8, 4);

/* _IO_CHMOD: status 0. */
struct _io_chmod {
	uint16_t	type;		/* _IO_CHMOD */
	uint16_t	combine_len;	/* 0 */
	uint32_t	mode;		/* permission bits (07777) */
};
__ABI_SIZE(struct _io_chmod, 8, 4);

/* _IO_CHOWN: status 0; -1 leaves an id unchanged. */
struct _io_chown {
	uint16_t	type;		/* _IO_CHOWN */
	uint16_t	combine_len;	/* 0 */
	int32_t		uid;
	int32_t		gid;
	int32_t		zero;		/* 0 */
};
__ABI_SIZE(struct _io_chown, 16, 4);

/*
 * _IO_UTIME: futimens() times (nanoseconds, unlike QNX's utimbuf); a
 * nsec of UTIME_NOW or UTIME_OMIT (musl's values) means what POSIX says.
 */
#define _IO_UTIME_NOW		((1L << 30) - 1)	/* musl's UTIME_NOW */
#define _IO_UTIME_OMIT		((1L << 30) - 2)	/* musl's UTIME_OMIT */

struct _io_utime {
	uint16_t	type;		/* _IO_UTIME */
	uint16_t	combine_len;	/* 0 */
	uint32_t	zero;		/* 0 */
	int64_t		atime_sec, atime_nsec;
	int64_t		mtime_sec, mtime_nsec;
};
__ABI_SIZE(struct _io_utime, 40, 8);
__ABI_FIELD(struct _io_utime, atime_sec, 8, 8);
__ABI_FIELD(struct _io_utime, mtime_nsec, 32, 8);

/*
 * _IO_SPACE: ftruncate(fd, n) is F_FREESP from n to the end (len 0) when
 * shrinking and F_ALLOCSP when growing, as QNX's libc does.  The reply
 * is the new size (struct _io_lseek_reply).
 */
#define _IO_SPACE_ALLOCSP	1	/* F_ALLOCSP64 */
#define _IO_SPACE_FREESP	2	/* F_FREESP64 */

struct _io_space {
	uint16_t	type;		/* _IO_SPACE */
	uint16_t	combine_len;	/* 0 */
	uint16_t	subtype;	/* _IO_SPACE_* */
	int16_t		whence;		/* of start: SEEK_* */
	int64_t		start;
	int64_t		len;		/* 0: to the end */
};
__ABI_SIZE(struct _io_space, 24, 8);
__ABI_FIELD(struct _io_space, subtype, 4, 2);
__ABI_FIELD(struct _io_space, start, 8, 8);
__ABI_FIELD(struct _io_space, len, 16, 8);

/* _IO_PATHCONF: status is the value (name is musl's _PC_* number). */
struct _io_pathconf {
	uint16_t	type;		/* _IO_PATHCONF */
	uint16_t	combine_len;	/* 0 */
	int16_t		name;		/* _PC_* */
	uint16_t	zero;		/* 0 */
};
__ABI_SIZE(struct _io_pathconf, 8, 2);

/* _IO_SYNC: fsync (flag 0) or fdatasync (_IO_SYNC_DATA); status 0. */
#define _IO_SYNC_DATA		0x1
struct _io_sync {
	uint16_t	type;		/* _IO_SYNC */
	uint16_t	combine_len;	/* 0 */
	uint32_t	flag;
};
__ABI_SIZE(struct _io_sync, 8, 4);

/*
 * _IO_MMAP: the client asks to map the open file MAP_SHARED with prot
 * (PROT_*).  A file system that can vouch for it (a regular file, the OCB
 * open for reading, and for writing if prot has PROT_WRITE: else EACCES)
 * sends taskman a grant (_MEM_CTRL_FILEGRANT, sys/procmsg.h) for the
 * client's pid and the file's (dev, ino), then replies struct
 * _io_mmap_reply: the protection granted and the identity the client names
 * in _MAP_FILEOBJ.  Others: ENODEV (libresmgr's default).
 */
struct _io_mmap {
	uint16_t	type;		/* _IO_MMAP */
	uint16_t	combine_len;	/* 0 */
	uint32_t	prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	uint64_t	zero[2];	/* 0 */
};
__ABI_SIZE(struct _io_mmap, 24, 8);
__ABI_FIELD(struct _io_mmap, prot, 4, 4);

struct _io_mmap_reply {
	uint32_t	allowed_prot;	/* PROT_* the grant covers */
	uint32_t	zero;
	uint64_t	dev;		/* st_dev */
	uint64_t	ino;		/* st_ino */
};
__ABI_SIZE(struct _io_mmap_reply, 24, 8);
__ABI_FIELD(struct _io_mmap_reply, dev, 8, 8);
__ABI_FIELD(struct _io_mmap_reply, ino, 16, 8);

/*
 * _IO_DUP: a process got a new connection to this server (spawn fd
 * inheritance, dup across processes) and asks it to share the OCB of the
 * connection described by info (the old client pid, coid and scoid).
 * The server checks that such a connection really exists.  Status 0.
 */
struct _io_dup {
	uint16_t	type;		/* _IO_DUP */
	uint16_t	combine_len;	/* 0 */
	uint32_t	reserved;	/* 0 */
	struct _msg_info info;	/* the original connection */
	uint32_t	key;		/* reserved, 0 */
	uint32_t	zero;		/* 0 */
};
__ABI_SIZE(struct _io_dup, 80, 8);
__ABI_FIELD(struct _io_dup, info, 8, 64);
__ABI_FIELD(struct _io_dup, key, 72, 4);

/*
 * _IO_OPENFD: open a new, independent OCB on the file this connection
 * refers to (openfd()); the new connection is the one sending it.
 */
struct _io_openfd {
	uint16_t	type;		/* _IO_OPENFD */
	uint16_t	combine_len;	/* 0 */
	uint32_t	ioflag;		/* open() flags */
	uint16_t	sflag;		/* SH_* */
	uint16_t	reserved1;	/* 0 */
	uint32_t	xtype;		/* reserved, 0 */
	struct _msg_info info;	/* the connection that refers to the file */
	uint32_t	key;		/* reserved, 0 */
	uint32_t	zero;		/* 0 */
};
__ABI_SIZE(struct _io_openfd, 88, 8);
__ABI_FIELD(struct _io_openfd, info, 16, 64);

/*
 * _IO_FDINFO: what an fd refers to; the reply is struct
 * _io_fdinfo_reply followed by the path (NUL-terminated, at most
 * path_len bytes) relative to the server's prefix.
 */
struct _io_fdinfo {
	uint16_t	type;		/* _IO_FDINFO */
	uint16_t	combine_len;	/* 0 */
	uint32_t	flags;		/* 0 */
	int32_t		path_len;	/* room for the path in the reply */
	uint32_t	reserved;	/* 0 */
};
__ABI_SIZE(struct _io_fdinfo, 16, 4);

struct _io_fdinfo_reply {
	uint32_t	fr_mode;	/* S_IF* of the object */
	uint32_t	fr_ioflag;	/* open() flags of the OCB */
	uint64_t	fr_offset;	/* current position */
	uint64_t	fr_size;	/* object's size */
	uint16_t	fr_sflag;	/* SH_* */
	uint16_t	fr_count;	/* OCB references */
	uint32_t	fr_zero;	/* 0 */
};
__ABI_SIZE(struct _io_fdinfo_reply, 32, 8);

/*
 * _IO_LOCK: fcntl() record locks (QNX's shape): subtype is the fcntl
 * command (musl's F_GETLK 5, F_SETLK 6, F_SETLKW 7) and nbytes the size
 * of the struct _io_flock that follows the header.  The reply is struct
 * _io_lock_reply followed, for F_GETLK, by the struct _io_flock that
 * answers it (l_type F_UNLCK if nothing is in the way, else the first
 * lock in the way, with l_whence SEEK_SET and its owner's l_pid).  A
 * server may leave an F_SETLKW unanswered until the lock can be taken.
 * (QNX's reply header is 12 bytes; ours is 16, so the flock stays
 * 8-aligned.)
 */
struct _io_lock {
	uint16_t	type;		/* _IO_LOCK */
	uint16_t	combine_len;	/* 0 */
	uint32_t	subtype;	/* F_GETLK, F_SETLK, F_SETLKW */
	int32_t		nbytes;		/* sizeof(struct _io_flock) */
	uint32_t	zero;		/* 0 */
};
__ABI_SIZE(struct _io_lock, 16, 4);
__ABI_FIELD(struct _io_lock, subtype, 4, 4);
__ABI_FIELD(struct _io_lock, nbytes, 8, 4);

struct _io_lock_reply {
	uint32_t	zero[4];	/* 0 */
};
__ABI_SIZE(struct _io_lock_reply, 16, 4);

/*
 * The lock: the layout of musl's riscv64 struct flock, so libc sends the
 * caller's struct as it is.  Values are musl's: l_type F_RDLCK 0,
 * F_WRLCK 1, F_UNLCK 2; l_whence SEEK_*; l_len 0 means to the end of the
 * file however far it grows, a negative l_len the bytes before l_start.
 */
struct _io_flock {
	int16_t		l_type;
	int16_t		l_whence;
	uint32_t	l_zero1;	/* padding */
	int64_t		l_start;
	int64_t		l_len;
	int32_t		l_pid;		/* F_GETLK's answer: the owner */
	uint32_t	l_zero2;	/* padding */
};
__ABI_SIZE(struct _io_flock, 32, 8);
__ABI_FIELD(struct _io_flock, l_type, 0, 2);
__ABI_FIELD(struct _io_flock, l_whence, 2, 2);
__ABI_FIELD(struct _io_flock, l_start, 8, 8);
__ABI_FIELD(struct _io_flock, l_len, 16, 8);
__ABI_FIELD(struct _io_flock, l_pid, 24, 4);

/* _IO_MSG: a server's own protocol over an fd (mgrid names the protocol). */
struct _io_msg {
	uint16_t	type;		/* _IO_MSG */
	uint16_t	combine_len;	/* 0 */
	uint16_t	mgrid;		/* protocol id, _IOMGR_* */
	uint16_t	subtype;	/* message within it */
};
__ABI_SIZE(struct _io_msg, 8, 2);

/* mgrid values. */
#define _IOMGR_PRIVATE_BASE	0xf000	/* servers' own from here */

#endif
