/*
 * taskman/common/imagefs.c - the boot image as a read-only file system.
 * See imagefs.h.  The archive is parsed twice: once to count and check
 * every header (lib/newc does the byte-level checks), once to index.
 */
#include "imagefs.h"
#include "../../lib/newc/newc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMAGEFS_PATH_MAX	1024	/* longest name we accept */

/* A name is clean if it has no empty, "." or ".." component. */
static int
name_clean(const char *n)
{
	size_t len = strlen(n);

	if (len == 0 || len >= IMAGEFS_PATH_MAX)
		return 0;
	for (const char *c = n; *c;) {
		const char *e = strchr(c, '/');
		size_t cl = e ? (size_t)(e - c) : strlen(c);

		if (cl == 0 || (cl == 1 && c[0] == '.') || (cl == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += cl;
		if (*c == '/')
			c++;
		if (e && *c == '\0')
			return 0;	/* trailing '/' */
	}
	return 1;
}

static int
type_ok(uint32_t mode)
{
	uint32_t t = mode & IMAGEFS_MODE_TYPE;

	return t == IMAGEFS_MODE_DIR || t == IMAGEFS_MODE_REG || t == IMAGEFS_MODE_LNK;
}

/* Pass 1: check every header and name; the number of entries, or -1. */
static int
count_entries(struct imagefs *fs, const void *img, size_t size)
{
	struct newc_iter it;
	struct newc_entry e;
	int n = 0, rc;

	newc_iter_init(&it, img, size);
	while ((rc = newc_next(&it, &e)) == 1) {
		if (!name_clean(e.ne_name)) {
			snprintf(fs->if_err, sizeof(fs->if_err), "entry %d: bad name \"%.60s\"", n, e.ne_name);
			return -1;
		}
		if (!type_ok(e.ne_mode)) {
			snprintf(fs->if_err, sizeof(fs->if_err), "%.60s: unsupported file type %06o",
			    e.ne_name, (unsigned)e.ne_mode);
			return -1;
		}
		if ((e.ne_mode & IMAGEFS_MODE_TYPE) == IMAGEFS_MODE_DIR && e.ne_size != 0) {
			snprintf(fs->if_err, sizeof(fs->if_err), "%.60s: directory with data", e.ne_name);
			return -1;
		}
		if (n == 1 << 20) {
			snprintf(fs->if_err, sizeof(fs->if_err), "too many entries");
			return -1;
		}
		n++;
	}
	if (rc < 0) {
		snprintf(fs->if_err, sizeof(fs->if_err), "%s", it.ni_err);
		return -1;
	}
	return n;
}

/* The index of the directory that holds node i, or -1 with if_err set. */
static int
find_parent(struct imagefs *fs, int i)
{
	const char *p = fs->if_nodes[i].in_path, *slash = strrchr(p, '/');
	size_t plen = slash ? (size_t)(slash - p) : 0;

	if (slash == NULL)
		return 0;	/* the root */
	for (int j = 1; j < fs->if_count; j++) {
		const struct imagefs_node *d = &fs->if_nodes[j];

		if (strncmp(d->in_path, p, plen) == 0 && d->in_path[plen] == '\0') {
			if ((d->in_mode & IMAGEFS_MODE_TYPE) == IMAGEFS_MODE_DIR)
				return j;
			break;
		}
	}
	snprintf(fs->if_err, sizeof(fs->if_err), "%.60s: no parent directory in the image", p);
	return -1;
}

/* Pass 2: fill the nodes, then link each to its parent; 0 or -1. */
static int
index_entries(struct imagefs *fs, const void *img, size_t size)
{
	struct newc_iter it;
	struct newc_entry e;

	newc_iter_init(&it, img, size);
	for (int i = 1; i < fs->if_count && newc_next(&it, &e) == 1; i++) {
		struct imagefs_node *n = &fs->if_nodes[i];

		for (int j = 1; j < i; j++) {
			if (strcmp(fs->if_nodes[j].in_path, e.ne_name) == 0) {
				snprintf(fs->if_err, sizeof(fs->if_err), "%.60s: twice in the image", e.ne_name);
				return -1;
			}
		}
		*n = (struct imagefs_node){ .in_path = e.ne_name, .in_data = e.ne_data,
		    .in_size = e.ne_size, .in_mode = e.ne_mode, .in_uid = e.ne_uid,
		    .in_gid = e.ne_gid, .in_mtime = e.ne_mtime, .in_ino = (uint32_t)i + 1 };
	}
	for (int i = 1; i < fs->if_count; i++)
		if ((fs->if_nodes[i].in_parent = find_parent(fs, i)) < 0)
			return -1;
	return 0;
}

int
imagefs_init(struct imagefs *fs, const void *img, size_t size)
{
	int n;

	memset(fs, 0, sizeof(*fs));
	n = count_entries(fs, img, size);
	if (n < 0)
		return -1;
	fs->if_nodes = calloc((size_t)n + 1, sizeof(*fs->if_nodes));
	if (fs->if_nodes == NULL) {
		snprintf(fs->if_err, sizeof(fs->if_err), "out of memory for %d entries", n);
		return -2;
	}
	fs->if_count = n + 1;
	fs->if_nodes[0] = (struct imagefs_node){ .in_path = "", .in_data = "",
	    .in_mode = IMAGEFS_MODE_DIR | 0555, .in_ino = 1, .in_parent = -1 };
	return index_entries(fs, img, size);
}

void
imagefs_fini(struct imagefs *fs)
{
	free(fs->if_nodes);
	fs->if_nodes = NULL;
	fs->if_count = 0;
}

/* Does the node's path equal path (leading, repeated and trailing '/' ignored)? */
static int
path_equal(const char *node, const char *path)
{
	for (;;) {
		while (*path == '/')
			path++;
		if (*node == '\0')
			return *path == '\0';
		while (*node && *node != '/') {
			if (*node++ != *path++)
				return 0;
		}
		if (*path != '/' && *path != '\0')
			return 0;
		if (*node == '/')
			node++;
	}
}

const struct imagefs_node *
imagefs_lookup(const struct imagefs *fs, const char *path)
{
	for (int i = 0; i < fs->if_count; i++)
		if (path_equal(fs->if_nodes[i].in_path, path))
			return &fs->if_nodes[i];
	return NULL;
}

/* Write a link's target into buf: as it is if absolute, else after the link's directory. */
static int
link_target(const struct imagefs_node *l, char *buf, size_t size)
{
	const char *slash = strrchr(l->in_path, '/');
	size_t dir = (l->in_size > 0 && ((const char *)l->in_data)[0] == '/') ? 0 :
	    slash ? (size_t)(slash - l->in_path) + 1 : 0;

	if (dir + l->in_size + 2 > size)
		return -ENAMETOOLONG;
	buf[0] = '/';
	memcpy(buf + 1, l->in_path, dir);
	memcpy(buf + 1 + dir, l->in_data, l->in_size);
	buf[1 + dir + l->in_size] = '\0';
	return 0;
}

int
imagefs_follow(const struct imagefs *fs, const char *path, const struct imagefs_node **np)
{
	char buf[IMAGEFS_PATH_MAX + 2];	/* the nodes' strings are the archive's, not buf */
	const struct imagefs_node *n = imagefs_lookup(fs, path);
	int rc;

	for (int hops = 0; n && (n->in_mode & IMAGEFS_MODE_TYPE) == IMAGEFS_MODE_LNK; hops++) {
		if (hops == IMAGEFS_SYMLOOP_MAX)
			return -ELOOP;
		if ((rc = link_target(n, buf, sizeof(buf))) < 0)
			return rc;
		n = imagefs_lookup(fs, buf);
	}
	if (n == NULL)
		return -ENOENT;
	*np = n;
	return 0;
}

const struct imagefs_node *
imagefs_readdir(const struct imagefs *fs, const struct imagefs_node *dir, int index, int *next)
{
	int d = (int)(dir - fs->if_nodes);

	for (int i = index < 0 ? 0 : index; i < fs->if_count; i++) {
		if (fs->if_nodes[i].in_parent == d) {
			*next = i + 1;
			return &fs->if_nodes[i];
		}
	}
	*next = fs->if_count;
	return NULL;
}

const char *
imagefs_basename(const struct imagefs_node *n)
{
	const char *s = strrchr(n->in_path, '/');

	return s ? s + 1 : n->in_path;
}
