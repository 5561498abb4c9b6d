/*
 * sys/fsrules.h - the POSIX rules that every file system's logic shares
 * (docs/resmgr.md, "File systems"): normalising a path, following a
 * symbolic link inside the file system or out of it, what open() asks of
 * an existing object, mknod's types, the sticky bit and utimens's
 * checks.  No QSOE call and no other libresmgr header: the logic the
 * host tests compile natively (fs/ram, fs/ext2) calls them as the
 * servers do.  The functions are in lib/resmgr/fsrules.c.  Errors are
 * positive errno values.
 */
#ifndef _SYS_FSRULES_H
#define _SYS_FSRULES_H

#include <sys/types.h>
#include <time.h>

#define FS_PATH_MAX	1024		/* a path, NUL included */
#define FS_NAME_MAX	255		/* bytes of one name: ENAMETOOLONG beyond */
#define FS_REDIRECT	(-1)		/* "try the redirect path instead": not an errno */
#define FS_UTIME_NOW	((1L << 30) - 1)	/* musl's and Linux's UTIME_NOW */
#define FS_UTIME_OMIT	((1L << 30) - 2)

/* Lexically normalise absolute path in (".", "..", "//") into out (FS_PATH_MAX); 0, ENAMETOOLONG. */
int fs_normpath(const char *in, char *out);

/*
 * The next name of a walk at *p (in a path being walked): on 0, *name
 * is it (NULL at the end of the path), *n its length, *last whether
 * nothing but '/'s follows it, and *p points just past it.  ENAMETOOLONG
 * for a name longer than FS_NAME_MAX.
 */
int fs_walk_next(char **p, char **name, size_t *n, int *last);

/* 1 for ".", 2 for "..", else 0. */
int fs_dotname(const char *name, size_t n);

/*
 * A walk of buf (relative to mount, "" for "/"; FS_PATH_MAX bytes) met
 * the symbolic link to target as the name at byte namepos, with rest
 * (inside buf) after it.  If the new path stays under mount it replaces
 * buf (relative again) and 0 is returned; else the absolute path is put
 * in redirect (FS_PATH_MAX) and FS_REDIRECT returned.  ENAMETOOLONG.
 */
int fs_follow_link(const char *mount, char *buf, size_t namepos, const char *target,
    const char *rest, char *redirect);

/*
 * open() of an existing object of mode with ioflag (dirflag: the path
 * ended in '/'): ELOOP for a link (unless O_PATH|O_NOFOLLOW), ENOTDIR,
 * EISDIR; on 0, *want is the access to check (4 read, 2 write: O_TRUNC
 * writes), 0 for O_PATH.
 */
int fs_open_check(mode_t mode, unsigned ioflag, int dirflag, unsigned *want);

/* mknod's mode: no type is a regular file; devices and sockets are EPERM.  0 or EPERM. */
int fs_mknod_check(mode_t *mode);

/* May euid remove the name of an object owned by uid from a directory of dirmode and diruid? */
int fs_sticky_ok(uid_t euid, mode_t dirmode, uid_t diruid, uid_t uid);

/*
 * utimens: EINVAL for a bad tv_nsec; setting times needs owner (the
 * caller owns it or is root: else EPERM), setting them to now owner or
 * writable (may write it: else EACCES).  0 or the errno.
 */
int fs_utimens_check(const struct timespec ts[2], int owner, int writable);

#endif
