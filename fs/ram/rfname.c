/*
 * rfname.c - the RAM file system's names: walking a path (with symbolic
 * links, inside the file system or out of it), and the rules of open,
 * mknod, symlink, readlink, unlink/rmdir, link and rename.  No QSOE
 * calls (ramfs.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "ramfs.h"
#include "rfint.h"

_Static_assert(RF_PATH_MAX == FS_PATH_MAX && RF_NAME_MAX == FS_NAME_MAX &&
    RF_REDIRECT == FS_REDIRECT,
    "ramfs's paths are sys/fsrules.h's");

#ifndef O_PATH
#define O_PATH	010000000
#endif

/* ---- paths ----------------------------------------------------------------- */

/*
 * A symbolic link met at name (in l_buf) with rest after it: the new
 * path replaces l_buf (inside, 0) or goes to l_path (RF_REDIRECT).
 */
static int follow_link(struct ramfs *fs, struct rf_lookup *l, const struct rf_inode *link,
    const char *name, const char *rest)
{
	return fs_follow_link(fs->f_mount, l->l_buf, (size_t)(name - l->l_buf), link->i_target,
	    rest, l->l_path);
}

int rf_walk(struct ramfs *fs, const struct _client_info *cr, const char *path, int follow,
    struct rf_lookup *l)
{
	int links = 0;

	if (strlen(path) >= RF_PATH_MAX)
		return ENAMETOOLONG;
	memmove(l->l_buf, path, strlen(path) + 1);
restart:
	{
		struct rf_inode *cur = fs->f_root;
		char *p = l->l_buf;

		l->l_dir = NULL, l->l_ino = cur, l->l_name = NULL, l->l_namelen = 0;
		for (;;) {
			char *name;
			size_t n;
			int last, slot, r, dot;
			struct rf_inode *child;

			if ((r = fs_walk_next(&p, &name, &n, &last)) != 0 || name == NULL)
				return r;
			if (!S_ISDIR(cur->i_mode))
				return ENOTDIR;
			if ((r = rf_access(cur, cr, 1)) != 0)
				return r;
			if ((dot = fs_dotname(name, n)) != 0) {
				cur = dot == 1 ? cur : cur->i_parent;
				l->l_dir = NULL, l->l_ino = cur;	/* no name to create or remove */
				continue;
			}
			slot = rf_dir_find(cur, name, n);
			child = slot < 0 ? NULL : cur->i_ents[slot].de_ino;
			if (last) {
				l->l_dir = cur, l->l_ino = child, l->l_name = name, l->l_namelen = n;
				if (child == NULL || !S_ISLNK(child->i_mode) || !follow)
					return 0;
			} else if (child == NULL) {
				return ENOENT;
			}
			if (S_ISLNK(child->i_mode)) {
				if (++links > RF_LINKS_MAX)
					return ELOOP;
				p += strspn(p, "/");
				if ((r = follow_link(fs, l, child, name, p)) != 0)
					return r;
				goto restart;
			}
			cur = child;
		}
	}
}

/* The last name of l must be creatable: a directory that is still there, w+x on it. */
static int creatable(const struct rf_lookup *l, const struct _client_info *cr)
{
	if (l->l_dir == NULL)
		return EEXIST;		/* the root, "." or ".." */
	if (l->l_dir->i_nlink == 0)
		return ENOENT;		/* removed while someone stood in it */
	return rf_access(l->l_dir, cr, 3);
}

/* Walk path to a name that does not exist yet and may be created (mknod, symlink, link). */
static int walk_new(struct ramfs *fs, const struct _client_info *cr, const char *path,
    struct rf_lookup *l)
{
	int r = rf_walk(fs, cr, path, 0, l);

	if (r != 0)
		return r;
	return l->l_ino ? EEXIST : creatable(l, cr);
}

/* Make a new inode of mode under the last name of l. */
static int create(struct ramfs *fs, const struct _client_info *cr, struct rf_lookup *l, mode_t mode,
    struct rf_inode **out)
{
	struct rf_inode *dir = l->l_dir, *ino;
	int r;

	if (S_ISDIR(mode) && dir->i_nlink >= RF_LINK_MAX)
		return EMLINK;
	if ((ino = rf_inode_new(fs, cr, mode, dir, &r)) == NULL)
		return r;
	if ((r = rf_dir_add(dir, l->l_name, l->l_namelen, ino)) != 0) {
		ino->i_nlink = 0;
		rf_inode_put(fs, ino);
		return r;
	}
	if (S_ISDIR(mode))
		dir->i_nlink++;
	*out = ino;
	return 0;
}

int rf_open(struct ramfs *fs, const struct _client_info *cr, const char *path, unsigned ioflag,
    mode_t mode, int dirflag, struct rf_lookup *l, struct rf_inode **out)
{
	unsigned acc = ioflag & RF_ACCMODE, want;
	int excl = (ioflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	int follow = !(ioflag & O_NOFOLLOW) && !excl;
	struct rf_inode *ino;
	int r;

	if (acc == RF_ACCMODE)
		return EINVAL;
	if ((r = rf_walk(fs, cr, path, follow || dirflag, l)) != 0)
		return r;
	if ((ino = l->l_ino) == NULL) {
		if (!(ioflag & O_CREAT))
			return ENOENT;
		if (dirflag || (ioflag & O_DIRECTORY))
			return EISDIR;
		if ((r = creatable(l, cr)) != 0 || (r = create(fs, cr, l, S_IFREG | (mode & 07777),
		    &ino)) != 0)
			return r;
		ino->i_opens++;	/* a new file opens whatever its mode says */
		*out = ino;
		return 0;
	}
	if (excl)
		return EEXIST;
	if ((r = fs_open_check(ino->i_mode, ioflag, dirflag, &want)) != 0)
		return r;
	if (want) {
		if ((r = rf_access(ino, cr, want)) != 0)
			return r;
		if ((ioflag & O_TRUNC) && S_ISREG(ino->i_mode) && ino->i_size &&
		    (r = rf_truncate(fs, ino, 0)) != 0)
			return r;
	}
	ino->i_opens++;
	*out = ino;
	return 0;
}

int rf_mknod(struct ramfs *fs, const struct _client_info *cr, const char *path, mode_t mode,
    struct rf_lookup *l)
{
	struct rf_inode *ino;
	int r;

	if ((r = fs_mknod_check(&mode)) != 0)
		return r;	/* devices and sockets are not served here */
	if ((r = walk_new(fs, cr, path, l)) != 0)
		return r;
	return create(fs, cr, l, (mode & S_IFMT) | (mode & 07777), &ino);
}

int rf_symlink(struct ramfs *fs, const struct _client_info *cr, const char *path,
    const char *target, struct rf_lookup *l)
{
	size_t n = strlen(target) + 1;
	struct rf_inode *ino;
	char *t;
	int r;

	if (n == 1)
		return ENOENT;
	if (n > RF_PATH_MAX)
		return ENAMETOOLONG;
	if ((r = walk_new(fs, cr, path, l)) != 0)
		return r;
	if (fs->f_used + n > fs->f_limit)
		return ENOSPC;
	if ((t = malloc(n)) == NULL)
		return ENOMEM;
	memcpy(t, target, n);
	if ((r = create(fs, cr, l, S_IFLNK | 0777, &ino)) != 0) {
		free(t);
		return r;
	}
	ino->i_target = t;
	ino->i_size = (int64_t)n - 1;
	fs->f_used += n;
	return 0;
}

int rf_readlink(struct ramfs *fs, const struct _client_info *cr, const char *path,
    struct rf_lookup *l, const char **target)
{
	int r = rf_walk(fs, cr, path, 0, l);

	if (r != 0)
		return r;
	if (l->l_ino == NULL)
		return ENOENT;
	if (!S_ISLNK(l->l_ino->i_mode))
		return EINVAL;
	rf_now(&l->l_ino->i_atime);
	*target = l->l_ino->i_target;
	return 0;
}

/* Take name slot of dir away from ino (a directory: it is gone as a whole). */
static void unname(struct ramfs *fs, struct rf_inode *dir, int slot, struct rf_inode *ino)
{
	rf_dir_remove(dir, slot);
	if (S_ISDIR(ino->i_mode)) {
		ino->i_nlink = 0;
		dir->i_nlink--;
	} else {
		ino->i_nlink--;
	}
	rf_now(&ino->i_ctime);
	rf_inode_put(fs, ino);
}

int rf_unlink(struct ramfs *fs, const struct _client_info *cr, const char *path, int isdir,
    struct rf_lookup *l)
{
	struct rf_inode *ino;
	int r = rf_walk(fs, cr, path, 0, l);

	if (r != 0)
		return r;
	if ((ino = l->l_ino) == NULL)
		return ENOENT;
	if (l->l_dir == NULL)
		return EBUSY;		/* the root (or a path ending in "." or "..") */
	if (isdir && !S_ISDIR(ino->i_mode))
		return ENOTDIR;
	if (!isdir && S_ISDIR(ino->i_mode))
		return EISDIR;
	if ((r = rf_access(l->l_dir, cr, 3)) != 0)
		return r;
	if (!rf_sticky_ok(l->l_dir, ino, cr))
		return EPERM;
	if (isdir && ino->i_size != 0)
		return ENOTEMPTY;
	unname(fs, l->l_dir, rf_dir_find(l->l_dir, l->l_name, l->l_namelen), ino);
	return 0;
}

int rf_link(struct ramfs *fs, const struct _client_info *cr, struct rf_inode *ino,
    const char *path, struct rf_lookup *l)
{
	int r;

	if (S_ISDIR(ino->i_mode))
		return EPERM;
	if ((r = walk_new(fs, cr, path, l)) != 0)
		return r;
	if (ino->i_nlink == 0)
		return ENOENT;		/* an open file that lost its last name */
	if (ino->i_nlink >= RF_LINK_MAX)
		return EMLINK;
	if ((r = rf_dir_add(l->l_dir, l->l_name, l->l_namelen, ino)) != 0)
		return r;
	ino->i_nlink++;
	rf_now(&ino->i_ctime);
	return 0;
}

/* The checks of rename that need both ends (src in sdir, dst in ddir, maybe NULL). */
static int rename_check(struct ramfs *fs, const struct _client_info *cr, struct rf_inode *sdir,
    struct rf_inode *src, struct rf_inode *ddir, struct rf_inode *dst)
{
	int r;

	if ((r = rf_access(sdir, cr, 3)) != 0 || (r = rf_access(ddir, cr, 3)) != 0)
		return r;
	if (!rf_sticky_ok(sdir, src, cr) || (dst && !rf_sticky_ok(ddir, dst, cr)))
		return EPERM;
	if (ddir->i_nlink == 0)
		return ENOENT;
	if (!S_ISDIR(src->i_mode))
		return dst && S_ISDIR(dst->i_mode) ? EISDIR : 0;
	for (struct rf_inode *d = ddir; ; d = d->i_parent) {
		if (d == src)
			return EINVAL;	/* a directory into its own subtree */
		if (d == fs->f_root)
			break;
	}
	if (dst && !S_ISDIR(dst->i_mode))
		return ENOTDIR;
	if (dst && dst->i_size != 0)
		return ENOTEMPTY;
	if (sdir != ddir && (r = rf_access(src, cr, 2)) != 0)
		return r;		/* its ".." changes */
	if (sdir != ddir && !dst && ddir->i_nlink >= RF_LINK_MAX)
		return EMLINK;
	return 0;
}

int rf_rename(struct ramfs *fs, const struct _client_info *cr, const char *oldpath,
    const char *newpath, struct rf_lookup *l)
{
	struct rf_lookup *lo = malloc(sizeof(*lo));
	struct rf_inode *sdir, *src, *ddir, *dst;
	int r, sslot, dslot;

	if (lo == NULL)
		return ENOMEM;
	if ((r = rf_walk(fs, cr, oldpath, 0, lo)) != 0) {
		r = r == RF_REDIRECT ? EXDEV : r;
		goto out;
	}
	r = lo->l_ino == NULL ? ENOENT : lo->l_dir == NULL ? EBUSY : 0;
	if (r || (r = rf_walk(fs, cr, newpath, 0, l)) != 0)
		goto out;
	sdir = lo->l_dir, src = lo->l_ino, ddir = l->l_dir, dst = l->l_ino;
	if (ddir == NULL) {
		r = EBUSY;
		goto out;
	}
	if ((r = rename_check(fs, cr, sdir, src, ddir, dst)) != 0 || dst == src)
		goto out;
	sslot = rf_dir_find(sdir, lo->l_name, lo->l_namelen);
	if (dst) {
		dslot = rf_dir_find(ddir, l->l_name, l->l_namelen);
		ddir->i_ents[dslot].de_ino = src;
		rf_dir_touch(ddir);
		if (S_ISDIR(dst->i_mode)) {
			dst->i_nlink = 0;
			ddir->i_nlink--;
		} else {
			dst->i_nlink--;
		}
		rf_now(&dst->i_ctime);
	} else if ((r = rf_dir_add(ddir, l->l_name, l->l_namelen, src)) != 0) {
		goto out;
	}
	rf_dir_remove(sdir, sslot);
	if (S_ISDIR(src->i_mode) && sdir != ddir) {
		sdir->i_nlink--;
		ddir->i_nlink++;
		src->i_parent = ddir;
	}
	rf_now(&src->i_ctime);
	if (dst)
		rf_inode_put(fs, dst);
out:
	free(lo);
	return r;
}
