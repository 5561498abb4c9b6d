/*
 * taskman/common/pathtab.c - attached prefixes and their resolution.
 * See pathtab.h.  A list is enough: attachments are few (one or two per
 * server), and resolution walks them all once.
 */
#include "pathtab.h"
#include <sys/iomsg.h>
#include <sys/procmsg.h>

#include <abi/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
pathtab_init(struct pathtab *pt)
{
	memset(pt, 0, sizeof(*pt));
	pt->pt_next_id = 1;
}

void
pathtab_fini(struct pathtab *pt)
{
	while (pt->pt_list) {
		struct pt_attach *a = pt->pt_list;

		pt->pt_list = a->pa_next;
		free(a);
	}
	pt->pt_count = 0;
}

int
pathtab_prefix_ok(const char *p)
{
	size_t len = strlen(p);

	if (p[0] != '/' || len >= PATHTAB_PREFIX_MAX)
		return 0;
	if (len == 1)
		return 1;
	for (const char *c = p + 1;;) {
		size_t cl = strcspn(c, "/");

		if (cl == 0 || (cl == 1 && c[0] == '.') || (cl == 2 && c[0] == '.' && c[1] == '.'))
			return 0;	/* also catches "//" and a trailing '/' */
		if (c[cl] == '\0')
			return 1;
		c += cl + 1;
	}
}

/* A fresh id that no attachment has (ids wrap after 2^31). */
static int
new_id(struct pathtab *pt)
{
	for (;;) {
		int id = pt->pt_next_id;
		const struct pt_attach *a;

		pt->pt_next_id = id == 0x7fffffff ? 1 : id + 1;
		for (a = pt->pt_list; a && a->pa_id != id; a = a->pa_next)
			;
		if (a == NULL)
			return id;
	}
}

int
pathtab_attach(struct pathtab *pt, const char *prefix, int pid, int chid,
    uint32_t handle, uint32_t flags, int ftype)
{
	size_t len;
	struct pt_attach *a;

	if (!pathtab_prefix_ok(prefix) || (flags & ~(uint32_t)_RESMGR_FLAGS_ALL) ||
	    (flags & _RESMGR_FLAG_BEFORE && flags & _RESMGR_FLAG_AFTER) || pid <= 0 || chid <= 0)
		return -EINVAL;
	for (a = pt->pt_list; a; a = a->pa_next)
		if (strcmp(a->pa_prefix, prefix) == 0 && ((a->pa_pid == pid &&
		    a->pa_chid == chid && a->pa_handle == handle) ||
		    (a->pa_ftype == _FTYPE_NAME && ftype == _FTYPE_NAME)))
			return -EEXIST;
	len = strlen(prefix);
	a = malloc(sizeof(*a) + len + 1);
	if (a == NULL)
		return -ENOMEM;
	*a = (struct pt_attach){ .pa_next = pt->pt_list, .pa_id = new_id(pt), .pa_pid = pid,
	    .pa_chid = chid, .pa_handle = handle, .pa_flags = flags, .pa_ftype = ftype,
	    .pa_seq = ++pt->pt_seq, .pa_len = (uint16_t)len };
	memcpy(a->pa_prefix, prefix, len + 1);
	pt->pt_list = a;
	pt->pt_count++;
	return a->pa_id;
}

/* Unlink and free every attachment for which match() holds; how many. */
static int
detach_if(struct pathtab *pt, int (*match)(const struct pt_attach *, int, int), int x, int y)
{
	struct pt_attach **pp = &pt->pt_list;
	int n = 0;

	while (*pp) {
		struct pt_attach *a = *pp;

		if (match(a, x, y)) {
			*pp = a->pa_next;
			free(a);
			n++;
		} else {
			pp = &a->pa_next;
		}
	}
	pt->pt_count -= n;
	return n;
}

static int
is_id_of(const struct pt_attach *a, int id, int pid)
{
	return a->pa_id == id && a->pa_pid == pid;
}

static int
is_of_pid(const struct pt_attach *a, int pid, int unused)
{
	(void)unused;
	return a->pa_pid == pid;
}

int
pathtab_detach(struct pathtab *pt, int id, int pid)
{
	return detach_if(pt, is_id_of, id, pid) ? 0 : -ENOENT;
}

int
pathtab_detach_pid(struct pathtab *pt, int pid)
{
	return detach_if(pt, is_of_pid, pid, 0);
}

/*
 * Does prefix cover path?  Returns the bytes of path it covers, or -1.
 * Repeated '/' in path count as one.
 */
static int
match(const struct pt_attach *a, const char *path)
{
	const char *p = path, *q = a->pa_prefix;

	if (a->pa_len == 1)		/* "/" covers every absolute path */
		return (a->pa_flags & _RESMGR_FLAG_DIR) || path[strspn(path, "/")] == '\0' ? 1 : -1;
	while (*q) {
		if (*q == '/') {
			if (*p != '/')
				return -1;
			p += strspn(p, "/");
			q++;
		} else if (*p++ != *q++) {
			return -1;
		}
	}
	if (*p != '\0' && *p != '/')
		return -1;		/* "/dev/ser" does not cover "/dev/ser1" */
	if (!(a->pa_flags & _RESMGR_FLAG_DIR) && p[strspn(p, "/")] != '\0')
		return -1;		/* a single name covers only itself */
	return (int)(p - path);
}

static int
rank_class(const struct pt_attach *a)
{
	return (a->pa_flags & _RESMGR_FLAG_BEFORE) ? 0 : (a->pa_flags & _RESMGR_FLAG_AFTER) ? 2 : 1;
}

/* Should x be tried before y? */
static int
better(const struct pt_attach *x, const struct pt_attach *y)
{
	if (x->pa_len != y->pa_len)
		return x->pa_len > y->pa_len;
	if (rank_class(x) != rank_class(y))
		return rank_class(x) < rank_class(y);
	return x->pa_seq > y->pa_seq;
}

/* Insert m into the sorted out[0..n) of capacity max; the new count. */
static int
insert_sorted(struct pt_match *out, int n, int max, struct pt_match m)
{
	int i = n < max ? n : max - 1;

	if (n == max && !better(m.pm_attach, out[max - 1].pm_attach))
		return n;
	while (i > 0 && better(m.pm_attach, out[i - 1].pm_attach)) {
		out[i] = out[i - 1];
		i--;
	}
	out[i] = m;
	return n < max ? n + 1 : n;
}

/* The component of a's prefix right below dir, or NULL; its length in *len. */
static const char *
child_of(const struct pt_attach *a, const char *dir, size_t *len)
{
	size_t dl = strlen(dir);
	const char *p = a->pa_prefix + 1;

	if (dl > 0) {
		if (strncmp(p, dir, dl) != 0 || p[dl] != '/')
			return NULL;
		p += dl + 1;
	}
	*len = strcspn(p, "/");
	return *len ? p : NULL;
}

int
pathtab_child(const struct pathtab *pt, const char *dir, int index, char *name, size_t size)
{
	for (const struct pt_attach *a = pt->pt_list; a; a = a->pa_next) {
		const struct pt_attach *b;
		const char *c, *d;
		size_t len, blen;

		if ((c = child_of(a, dir, &len)) == NULL || len >= size)
			continue;
		for (b = pt->pt_list; b != a; b = b->pa_next)	/* first of its name? */
			if ((d = child_of(b, dir, &blen)) != NULL && blen == len &&
			    memcmp(c, d, len) == 0)
				break;
		if (b != a || index-- > 0)
			continue;
		memcpy(name, c, len);
		name[len] = '\0';
		return 1;
	}
	return 0;
}

int
pathtab_resolve(const struct pathtab *pt, const char *path, int ftype,
    struct pt_match *out, int max)
{
	int n = 0;

	if (path[0] != '/' || strlen(path) >= PATHTAB_PREFIX_MAX)
		return -EINVAL;
	if (max <= 0)
		return 0;
	for (const struct pt_attach *a = pt->pt_list; a; a = a->pa_next) {
		int c = match(a, path);

		if (c < 0 || (ftype != _FTYPE_ANY && a->pa_ftype != _FTYPE_ANY && a->pa_ftype != ftype))
			continue;
		n = insert_sorted(out, n, max, (struct pt_match){ a, (uint16_t)c });
	}
	/* The best opaque attachment hides every shorter prefix. */
	for (int i = 0; i < n; i++) {
		if (out[i].pm_attach->pa_flags & _RESMGR_FLAG_OPAQUE) {
			int keep = i + 1;

			while (keep < n && out[keep].pm_attach->pa_len == out[i].pm_attach->pa_len)
				keep++;
			return keep;
		}
	}
	return n;
}

size_t
pathtab_mounts(const struct pathtab *pt, char *buf, size_t size, int ro_pid,
    const char *(*name)(int pid, void *arg), void *arg)
{
	size_t need = 0, fit = 0;
	uint32_t last = 0;

	if (size)
		buf[0] = '\0';
	for (;;) {		/* oldest first: the smallest pa_seq above last */
		const struct pt_attach *next = NULL;
		const char *n;
		char line[PATHTAB_PREFIX_MAX + 128];
		int len;

		for (const struct pt_attach *a = pt->pt_list; a; a = a->pa_next)
			if ((a->pa_flags & _RESMGR_FLAG_DIR) && a->pa_seq > last &&
			    (next == NULL || a->pa_seq < next->pa_seq))
				next = a;
		if (next == NULL)
			return need;
		last = next->pa_seq;
		n = name(next->pa_pid, arg);
		if (n == NULL || n[0] == '\0' || strpbrk(n, " \t\n"))
			n = "none";
		len = snprintf(line, sizeof(line), "%s %s %s %s 0 0\n", n, next->pa_prefix, n,
		    next->pa_pid == ro_pid ? "ro" : "rw");
		if (len < 0 || (size_t)len >= sizeof(line))
			continue;
		need += (size_t)len;
		if (fit == need - (size_t)len && need < size) {	/* whole lines only */
			memcpy(buf + fit, line, (size_t)len + 1);
			fit = need;
		}
	}
}
