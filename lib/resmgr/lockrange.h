/*
 * lockrange.h - the byte-range logic of POSIX record locks (fcntl
 * F_GETLK/F_SETLK/F_SETLKW), without messages or threads, so that the
 * host tests can run it (tests/host/test_lockrange.c).  lock.c serves
 * _IO_LOCK with it.
 *
 * A file's locks are one list sorted by lk_start.  Locks of different
 * owners may overlap (read locks); one owner's locks never overlap each
 * other, and two of its locks of one type never touch (lk_set merges
 * them).  The caller serialises every call on one list (the object's
 * attribute lock).
 */
#ifndef LOCKRANGE_H
#define LOCKRANGE_H

#include <stdint.h>
#include <sys/types.h>

#define LK_EOF		INT64_MAX	/* lk_end of a lock to the end of the file, however far */

struct _iofunc_lock {
	struct _iofunc_lock	*lk_next;	/* by lk_start */
	pid_t			lk_pid;		/* owner: a process */
	short			lk_type;	/* F_RDLCK, F_WRLCK */
	int64_t			lk_start;	/* first byte */
	int64_t			lk_end;		/* last byte (inclusive); LK_EOF */
};

/*
 * The bytes [*start, *end] that l_start and l_len name from base (0,
 * the file position or the file's size, as l_whence says).  l_len 0 runs
 * to LK_EOF; a negative l_len names the bytes before base + l_start.
 * 0, EINVAL (a start before byte 0) or EOVERFLOW (past INT64_MAX).
 */
int lk_range(int64_t base, int64_t l_start, int64_t l_len, int64_t *start, int64_t *end);

/* The first lock in list that keeps pid from taking type on [start, end], or NULL. */
struct _iofunc_lock *lk_conflict(struct _iofunc_lock *list, pid_t pid, int type,
    int64_t start, int64_t end);

/*
 * pid's locks on [start, end] become type (F_UNLCK: none): its locks
 * there are cut or split, and the new one merges with its neighbours
 * of the same type.  Conflicts are not checked (lk_conflict first).
 * 0, or ENOMEM with nothing changed.
 */
int lk_set(struct _iofunc_lock **list, pid_t pid, int type, int64_t start, int64_t end);

/* Remove every lock of pid (pid < 0: every lock); the number removed. */
int lk_drop(struct _iofunc_lock **list, pid_t pid);

/* How many locks list holds. */
int lk_count(const struct _iofunc_lock *list);

#endif
