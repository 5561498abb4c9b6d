/*
 * e2name.c - fs-ext2's names: walking a path (with symbolic links, inside
 * the file system or out of it) and the rules of open, mknod, symlink,
 * readlink, unlink/rmdir, link and rename (the same as fs-ram's,
 * docs/ramfs.md), on disk directories.  No QSOE calls (ext2fs.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "e2int.h"

#ifndef O_PATH
#define O_PATH	010000000
#endif
_Static_assert(E2_PATH_MAX == FS_PATH_MAX && E2_NAME_MAX == FS_NAME_MAX &&
    E2_REDIRECT == FS_REDIRECT,
    "ext2's paths are sys/fsrules.h's");

#define DEPTH_MAX	4096	/* ".." steps up from a directory before we call it a loop */

/* The target of symbolic link ip into buf (E2_PATH_MAX). */
static int link_target(struct e2fs *fs, struct e2_inode *ip, char *buf)
{
	int64_t n = e2_size(ip);
	ssize_t got;

	if (n <= 0 || n >= E2_PATH_MAX)
		return e2_corrupt(fs, "symbolic link %u of %lld bytes", ip->i_ino, (long long)n);
	if (e2_fast_symlink(fs, ip)) {
		memcpy(buf, ip->i_d.i_block, (size_t)n);
	} else if ((got = e2_read(fs, ip, 0, buf, (size_t)n)) != n) {
		return got < 0 ? (int)-got : EIO;
	}
	buf[n] = '\0';
	return 0;
}

/* A symbolic link to t met at name: the new path in l_buf (inside, 0) or l_path (E2_REDIRECT). */
static int follow_link(struct e2fs *fs, struct e2_lookup *l, const char *t, const char *name,
    const char *rest)
{
	return fs_follow_link(fs->f_mount, l->l_buf, (size_t)(name - l->l_buf), t, rest,
	    l->l_path);
}

/* One step: name (n bytes) in directory cur, searched by cr.  *child 0 if missing. */
static int step(struct e2fs *fs, const struct _client_info *cr, uint32_t cur, const char *name,
    size_t n, uint32_t *child)
{
	struct e2_inode *dp;
	int r;

	if ((r = e2_iget(fs, cur, &dp)) != 0)
		return r;
	if (!S_ISDIR(dp->i_d.i_mode))
		r = ENOTDIR;
	else if ((r = e2_access(dp, cr, 1)) == 0)
		*child = e2_dir_find(fs, dp, name, n, &r);
	e2_iput(fs, dp);
	return r;
}

int e2_walk(struct e2fs *fs, const struct _client_info *cr, const char *path, int follow,
    struct e2_lookup *l)
{
	char target[E2_PATH_MAX];
	int links = 0;

	if (strlen(path) >= E2_PATH_MAX)
		return ENAMETOOLONG;
	memmove(l->l_buf, path, strlen(path) + 1);
restart:
	{
		uint32_t cur = E2_ROOT_INO;
		char *p = l->l_buf;

		l->l_dir = 0, l->l_ino = cur, l->l_name = NULL, l->l_namelen = 0;
		for (;;) {
			char *name;
			size_t n;
			int last, r, dot;
			uint32_t child = 0;
			struct e2_inode *cp;

			if ((r = fs_walk_next(&p, &name, &n, &last)) != 0 || name == NULL)
				return r;
			dot = fs_dotname(name, n) != 0;
			if ((r = step(fs, cr, cur, dot && n == 1 ? "." : name, n, &child)) != 0)
				return r;
			if (dot) {
				if (child == 0)
					return e2_corrupt(fs, "directory %u has no %.*s", cur, (int)n, name);
				cur = child;
				l->l_dir = 0, l->l_ino = cur;	/* no name to create or remove */
				continue;
			}
			if (last) {
				l->l_dir = cur, l->l_ino = child, l->l_name = name, l->l_namelen = n;
				if (child == 0 || !follow)
					return 0;
			} else if (child == 0) {
				return ENOENT;
			}
			if ((r = e2_iget(fs, child, &cp)) != 0)
				return r;
			if (!S_ISLNK(cp->i_d.i_mode)) {
				e2_iput(fs, cp);
				if (last)
					return 0;
				cur = child;
				continue;
			}
			r = ++links > E2_LINKS_MAX ? ELOOP : link_target(fs, cp, target);
			e2_iput(fs, cp);
			if (r != 0)
				return r;
			p += strspn(p, "/");
			if ((r = follow_link(fs, l, target, name, p)) != 0)
				return r;
			goto restart;
		}
	}
}

/* The directory of the last name of l, held, if a name may be created there by cr. */
static int creatable(struct e2fs *fs, const struct e2_lookup *l, const struct _client_info *cr,
    struct e2_inode **dirp)
{
	int r;

	if (l->l_dir == 0)
		return EEXIST;		/* the root, "." or ".." */
	if ((r = E2_WRITABLE(fs)) != 0 || (r = e2_iget(fs, l->l_dir, dirp)) != 0)
		return r;
	if ((*dirp)->i_d.i_links_count == 0)
		r = ENOENT;		/* removed while someone stood in it */
	else
		r = e2_access(*dirp, cr, 3);
	if (r) {
		e2_iput(fs, *dirp);
		*dirp = NULL;
	}
	return r;
}

/* Walk path to a name that does not exist yet and may be created: its directory, held. */
static int walk_new(struct e2fs *fs, const struct _client_info *cr, const char *path,
    struct e2_lookup *l, struct e2_inode **dirp)
{
	int r = e2_walk(fs, cr, path, 0, l);

	if (r != 0)
		return r;
	return l->l_ino ? EEXIST : creatable(fs, l, cr, dirp);
}

/* A new inode of mode under the last name of l (in dir): held in *out. */
static int create(struct e2fs *fs, const struct _client_info *cr, const struct e2_lookup *l,
    struct e2_inode *dir, mode_t mode, struct e2_inode **out)
{
	struct e2_inode *ip;
	int r;

	if (S_ISDIR(mode) && dir->i_d.i_links_count >= E2_LINK_MAX)
		return EMLINK;
	if ((r = e2_inew(fs, dir->i_ino, mode, cr, e2_gid(dir), dir->i_d.i_mode & S_ISGID,
	    &ip)) != 0)
		return r;
	if (S_ISDIR(mode)) {
		ip->i_d.i_links_count = 2;
		r = e2_dir_init(fs, ip, dir->i_ino);
	}
	if (r == 0)
		r = e2_dir_add(fs, dir, l->l_name, l->l_namelen, ip->i_ino, mode);
	if (r != 0) {
		ip->i_d.i_links_count = 0;
		e2_iput(fs, ip);
		return r;
	}
	if (S_ISDIR(mode)) {
		dir->i_d.i_links_count++;
		e2_iwrite(fs, dir);
	}
	*out = ip;
	return 0;
}

int e2_open(struct e2fs *fs, const struct _client_info *cr, const char *path, unsigned ioflag,
    mode_t mode, int dirflag, struct e2_lookup *l, struct e2_inode **out)
{
	unsigned acc = ioflag & E2_ACCMODE, want;
	int excl = (ioflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	int follow = !(ioflag & O_NOFOLLOW) && !excl;
	struct e2_inode *ip, *dir;
	mode_t m;
	int r;

	if (acc == E2_ACCMODE)
		return EINVAL;
	if ((r = e2_walk(fs, cr, path, follow || dirflag, l)) != 0)
		return r;
	if (l->l_ino == 0) {
		if (!(ioflag & O_CREAT))
			return ENOENT;
		if (dirflag || (ioflag & O_DIRECTORY))
			return EISDIR;
		if ((r = creatable(fs, l, cr, &dir)) != 0)
			return r;
		r = create(fs, cr, l, dir, S_IFREG | (mode & 07777), &ip);
		e2_iput(fs, dir);
		if (r != 0)
			return r;
		ip->i_opens++;	/* a new file opens whatever its mode says */
		*out = ip;
		return 0;
	}
	if (excl)
		return EEXIST;
	if ((r = e2_iget(fs, l->l_ino, &ip)) != 0)
		return r;
	m = ip->i_d.i_mode;
	if ((r = fs_open_check(m, ioflag, dirflag, &want)) == 0 && want) {
		if ((r = e2_access(ip, cr, want)) == 0 && (want & 2) && fs->f_rdonly)
			r = EROFS;
		if (r == 0 && (ioflag & O_TRUNC) && S_ISREG(m) && e2_size(ip))
			r = e2_truncate(fs, ip, 0);
	}
	if (r != 0) {
		e2_iput(fs, ip);
		return r;
	}
	ip->i_opens++;
	*out = ip;
	return 0;
}

int e2_mknod(struct e2fs *fs, const struct _client_info *cr, const char *path, mode_t mode,
    struct e2_lookup *l)
{
	struct e2_inode *dir, *ip;
	int r;

	if ((r = fs_mknod_check(&mode)) != 0)
		return r;	/* devices and sockets are not served here */
	if ((r = walk_new(fs, cr, path, l, &dir)) != 0)
		return r;
	if ((r = create(fs, cr, l, dir, (mode & S_IFMT) | (mode & 07777), &ip)) == 0)
		e2_iput(fs, ip);
	e2_iput(fs, dir);
	return r;
}

int e2_symlink(struct e2fs *fs, const struct _client_info *cr, const char *path,
    const char *target, struct e2_lookup *l)
{
	size_t n = strlen(target), done;
	struct e2_inode *dir, *ip;
	int r;

	if (n == 0)
		return ENOENT;
	if (n >= E2_PATH_MAX)
		return ENAMETOOLONG;
	if ((r = walk_new(fs, cr, path, l, &dir)) != 0)
		return r;
	if ((r = create(fs, cr, l, dir, S_IFLNK | 0777, &ip)) == 0) {
		if (n < sizeof(ip->i_d.i_block)) {
			memcpy(ip->i_d.i_block, target, n);
			e2_set_size(ip, (int64_t)n);
			r = e2_iwrite(fs, ip);
		} else if ((r = e2_write(fs, ip, 0, target, n, &done)) != 0) {
			e2_dir_remove(fs, dir, l->l_name, l->l_namelen);
			ip->i_d.i_links_count = 0;
		}
		e2_iput(fs, ip);
	}
	e2_iput(fs, dir);
	return r;
}

int e2_readlink(struct e2fs *fs, const struct _client_info *cr, const char *path,
    struct e2_lookup *l, char *buf)
{
	struct e2_inode *ip;
	int r = e2_walk(fs, cr, path, 0, l);

	if (r != 0)
		return r;
	if (l->l_ino == 0)
		return ENOENT;
	if ((r = e2_iget(fs, l->l_ino, &ip)) != 0)
		return r;
	r = S_ISLNK(ip->i_d.i_mode) ? link_target(fs, ip, buf) : EINVAL;
	e2_iput(fs, ip);
	return r;
}

/* dir loses the name of ip (removed by the caller): the link counts and times. */
static void unnamed(struct e2fs *fs, struct e2_inode *dir, struct e2_inode *ip)
{
	if (S_ISDIR(ip->i_d.i_mode)) {
		ip->i_d.i_links_count = 0;
		if (dir->i_d.i_links_count > 1)
			dir->i_d.i_links_count--;
		e2_iwrite(fs, dir);
	} else if (ip->i_d.i_links_count) {
		ip->i_d.i_links_count--;
	}
	e2_touch(fs, ip, 4, NULL);
	e2_iwrite(fs, ip);
}

int e2_unlink(struct e2fs *fs, const struct _client_info *cr, const char *path, int isdir,
    struct e2_lookup *l)
{
	struct e2_inode *dir = NULL, *ip = NULL;
	int r = e2_walk(fs, cr, path, 0, l);

	if (r != 0)
		return r;
	if (l->l_ino == 0)
		return ENOENT;
	if (l->l_dir == 0)
		return EBUSY;		/* the root (or a path ending in "." or "..") */
	if ((r = e2_iget(fs, l->l_dir, &dir)) != 0 || (r = e2_iget(fs, l->l_ino, &ip)) != 0)
		goto out;
	if (isdir && !S_ISDIR(ip->i_d.i_mode))
		r = ENOTDIR;
	else if (!isdir && S_ISDIR(ip->i_d.i_mode))
		r = EISDIR;
	else if ((r = e2_access(dir, cr, 3)) != 0)
		;
	else if (!e2_sticky_ok(dir, ip, cr))
		r = EPERM;
	else if ((r = E2_WRITABLE(fs)) != 0)
		;
	else if (isdir && (r = e2_dir_empty(fs, ip)) != 1)
		r = r == 0 ? ENOTEMPTY : r;
	else if ((r = e2_dir_remove(fs, dir, l->l_name, l->l_namelen)) == 0)
		unnamed(fs, dir, ip);
out:
	e2_iput(fs, ip);
	e2_iput(fs, dir);
	return r;
}

int e2_link(struct e2fs *fs, const struct _client_info *cr, struct e2_inode *ip,
    const char *path, struct e2_lookup *l)
{
	struct e2_inode *dir;
	int r;

	if (S_ISDIR(ip->i_d.i_mode))
		return EPERM;
	if ((r = walk_new(fs, cr, path, l, &dir)) != 0)
		return r;
	if (ip->i_d.i_links_count == 0)
		r = ENOENT;		/* an open file that lost its last name */
	else if (ip->i_d.i_links_count >= E2_LINK_MAX)
		r = EMLINK;
	else if ((r = e2_dir_add(fs, dir, l->l_name, l->l_namelen, ip->i_ino,
	    ip->i_d.i_mode)) == 0) {
		ip->i_d.i_links_count++;
		e2_touch(fs, ip, 4, NULL);
		r = e2_iwrite(fs, ip);
	}
	e2_iput(fs, dir);
	return r;
}

/* Is directory src ddir or above it?  1, 0 or -errno. */
static int is_ancestor(struct e2fs *fs, uint32_t src, uint32_t ddir)
{
	uint32_t d = ddir;

	for (int k = 0; k < DEPTH_MAX; k++) {
		struct e2_inode *dp;
		uint32_t up;
		int r;

		if (d == src)
			return 1;
		if (d == E2_ROOT_INO)
			return 0;
		if ((r = e2_iget(fs, d, &dp)) != 0)
			return -r;
		up = e2_dir_find(fs, dp, "..", 2, &r);
		e2_iput(fs, dp);
		if (r != 0 || up == 0)
			return -(r ? r : e2_corrupt(fs, "directory %u has no ..", d));
		d = up;
	}
	return -e2_corrupt(fs, "directory %u: a loop of ..", ddir);
}

/* The checks of rename that need both ends (src in sdir, dst in ddir, maybe NULL). */
static int rename_check(struct e2fs *fs, const struct _client_info *cr, struct e2_inode *sdir,
    struct e2_inode *src, struct e2_inode *ddir, struct e2_inode *dst)
{
	int r;

	if ((r = e2_access(sdir, cr, 3)) != 0 || (r = e2_access(ddir, cr, 3)) != 0)
		return r;
	if (!e2_sticky_ok(sdir, src, cr) || (dst && !e2_sticky_ok(ddir, dst, cr)))
		return EPERM;
	if ((r = E2_WRITABLE(fs)) != 0)
		return r;
	if (ddir->i_d.i_links_count == 0)
		return ENOENT;
	if (!S_ISDIR(src->i_d.i_mode))
		return dst && S_ISDIR(dst->i_d.i_mode) ? EISDIR : 0;
	if ((r = is_ancestor(fs, src->i_ino, ddir->i_ino)) != 0)
		return r > 0 ? EINVAL : -r;	/* a directory into its own subtree */
	if (dst && !S_ISDIR(dst->i_d.i_mode))
		return ENOTDIR;
	if (dst && dst != src && (r = e2_dir_empty(fs, dst)) != 1)
		return r == 0 ? ENOTEMPTY : r;
	if (sdir != ddir && (r = e2_access(src, cr, 2)) != 0)
		return r;		/* its ".." changes */
	if (sdir != ddir && !dst && ddir->i_d.i_links_count >= E2_LINK_MAX)
		return EMLINK;
	return 0;
}

/* Move the name (checks done). */
static int rename_do(struct e2fs *fs, struct e2_lookup *lo, struct e2_lookup *l,
    struct e2_inode *sdir, struct e2_inode *src, struct e2_inode *ddir, struct e2_inode *dst)
{
	int isdir = S_ISDIR(src->i_d.i_mode), r;

	if (dst)
		r = e2_dir_retarget(fs, ddir, l->l_name, l->l_namelen, src->i_ino, src->i_d.i_mode);
	else
		r = e2_dir_add(fs, ddir, l->l_name, l->l_namelen, src->i_ino, src->i_d.i_mode);
	if (r != 0)
		return r;
	if (dst)
		unnamed(fs, ddir, dst);
	if ((r = e2_dir_remove(fs, sdir, lo->l_name, lo->l_namelen)) != 0)
		return r;
	if (isdir && sdir != ddir) {
		if ((r = e2_dir_retarget(fs, src, "..", 2, ddir->i_ino, S_IFDIR)) != 0)
			return r;
		sdir->i_d.i_links_count--;
		ddir->i_d.i_links_count++;	/* src's ".." (a replaced dst's went in unnamed) */
		e2_iwrite(fs, sdir);
		e2_iwrite(fs, ddir);
	}
	e2_touch(fs, src, 4, NULL);
	return e2_iwrite(fs, src);
}

int e2_rename(struct e2fs *fs, const struct _client_info *cr, const char *oldpath,
    const char *newpath, struct e2_lookup *l)
{
	struct e2_lookup *lo = malloc(sizeof(*lo));
	struct e2_inode *sdir = NULL, *src = NULL, *ddir = NULL, *dst = NULL;
	int r;

	if (lo == NULL)
		return ENOMEM;
	if ((r = e2_walk(fs, cr, oldpath, 0, lo)) != 0) {
		r = r == E2_REDIRECT ? EXDEV : r;
		goto out;
	}
	r = lo->l_ino == 0 ? ENOENT : lo->l_dir == 0 ? EBUSY : 0;
	if (r || (r = e2_walk(fs, cr, newpath, 0, l)) != 0)
		goto out;
	if (l->l_dir == 0) {
		r = EBUSY;
		goto out;
	}
	if ((r = e2_iget(fs, lo->l_dir, &sdir)) != 0 || (r = e2_iget(fs, lo->l_ino, &src)) != 0 ||
	    (r = e2_iget(fs, l->l_dir, &ddir)) != 0 ||
	    (l->l_ino && (r = e2_iget(fs, l->l_ino, &dst)) != 0))
		goto out;
	if ((r = rename_check(fs, cr, sdir, src, ddir, dst)) != 0 || dst == src)
		goto out;
	r = rename_do(fs, lo, l, sdir, src, ddir, dst);
out:
	e2_iput(fs, dst);
	e2_iput(fs, ddir);
	e2_iput(fs, src);
	e2_iput(fs, sdir);
	free(lo);
	return r;
}
