/*
 * taskman/common/pathtab.h - the path manager's table of attached
 * prefixes (resmgr_attach), and open()'s resolution by longest prefix.
 *
 * Generic (no kernel calls).  Owned by taskman's server thread; not
 * thread-safe.  Order for one path: longer prefixes first; on one
 * prefix (a union, as QNX's) _RESMGR_FLAG_BEFORE attachments, then
 * ordinary ones, then _RESMGR_FLAG_AFTER ones, and within each class
 * the newest first.  An _RESMGR_FLAG_OPAQUE attachment hides all
 * shorter prefixes.  A prefix without _RESMGR_FLAG_DIR matches only the
 * path itself.
 */
#ifndef TM_PATHTAB_H
#define TM_PATHTAB_H

#include <stddef.h>
#include <stdint.h>

#define PATHTAB_PREFIX_MAX	1024	/* bytes of a prefix, NUL included */

struct pt_attach {
	struct pt_attach *pa_next;	/* the table's list, newest first */
	int		pa_id;		/* > 0, unique while attached */
	int		pa_pid;		/* server process */
	int		pa_chid;	/* its channel */
	uint32_t	pa_handle;	/* for its _IO_CONNECT */
	uint32_t	pa_flags;	/* _RESMGR_FLAG_* */
	int		pa_ftype;	/* _FTYPE_* */
	uint32_t	pa_seq;		/* attach order: newer is larger */
	uint16_t	pa_len;		/* strlen(pa_prefix) */
	char		pa_prefix[];	/* "/dev/ser1", "/" */
};

struct pathtab {
	struct pt_attach *pt_list;
	int		pt_next_id;
	uint32_t	pt_seq;
	int		pt_count;
};

/* A match: an attachment and how many bytes of the path its prefix covers. */
struct pt_match {
	const struct pt_attach *pm_attach;
	uint16_t	pm_consumed;	/* the prefix's bytes ("/" covers 1) */
};

void pathtab_init(struct pathtab *pt);

/* Free every attachment. */
void pathtab_fini(struct pathtab *pt);

/*
 * Is prefix acceptable: absolute, shorter than PATHTAB_PREFIX_MAX, no
 * empty, "." or ".." component, no trailing '/' except "/" itself?
 */
int pathtab_prefix_ok(const char *prefix);

/*
 * Attach prefix for (pid, chid, handle).  Returns the id (> 0), -EINVAL
 * (bad prefix or flags), -EEXIST (this pid already has prefix on chid with
 * handle, or ftype is _FTYPE_NAME and prefix is a name already: a name
 * has one server) or -ENOMEM.
 */
int pathtab_attach(struct pathtab *pt, const char *prefix, int pid, int chid,
    uint32_t handle, uint32_t flags, int ftype);

/* Detach id, which pid must own: 0, or -ENOENT. */
int pathtab_detach(struct pathtab *pt, int id, int pid);

/* Detach everything pid attached (it died); the number detached. */
int pathtab_detach_pid(struct pathtab *pt, int pid);

/*
 * The servers that may hold path (absolute; repeated '/' allowed), in
 * the order to try them, at most max into out.  Only attachments whose
 * ftype is _FTYPE_ANY or equals ftype (when ftype is not _FTYPE_ANY)
 * count.  Returns how many (0: none), or -EINVAL for a path that is not
 * absolute or is too long.
 */
int pathtab_resolve(const struct pathtab *pt, const char *path, int ftype,
    struct pt_match *out, int max);

/*
 * The names that attached prefixes add to directory dir ("dev" for
 * "/dev/ser1"; dir is relative to "/", "" for the root, no trailing '/'):
 * the index-th distinct one (from 0) copied to name (size bytes), 1; or 0
 * past the end.  Directory listings show what is mounted in them.
 */
int pathtab_child(const struct pathtab *pt, const char *dir, int index, char *name, size_t size);

/*
 * The mount table as Linux's /proc/mounts spells it (getmntent, df): one
 * line per directory attachment (_RESMGR_FLAG_DIR), oldest first,
 * "NAME PREFIX NAME OPTS 0 0", where name(pid, arg) names the server
 * (its program) and OPTS is "ro" for pid ro_pid (taskman's image) and
 * "rw" otherwise.  Writes at most size bytes with a NUL (whole lines
 * only); returns the length the whole table needs, without the NUL.
 */
size_t pathtab_mounts(const struct pathtab *pt, char *buf, size_t size, int ro_pid,
    const char *(*name)(int pid, void *arg), void *arg);

#endif
