/*
 * ramfs.c - the RAM file system's inodes, directories, permission checks
 * and attributes (chmod, chown, utimens), and the file system as a whole.
 * Names and paths are rfname.c's, data blocks rfdata.c's.  No QSOE calls
 * (ramfs.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "ramfs.h"
#include "rfint.h"

void rf_now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

/* ---- inodes -------------------------------------------------------------- */

struct rf_inode *rf_inode_new(struct ramfs *fs, const struct _client_info *cr, mode_t mode,
    struct rf_inode *dir, int *err)
{
	struct rf_inode *ino;

	if (fs->f_ninodes >= fs->f_maxinodes) {
		*err = ENOSPC;
		return NULL;
	}
	if ((ino = calloc(1, sizeof(*ino))) == NULL) {
		*err = ENOMEM;
		return NULL;
	}
	ino->i_ino = fs->f_nextino++;
	ino->i_mode = mode;
	ino->i_nlink = S_ISDIR(mode) ? 2 : 1;
	ino->i_uid = cr->euid;
	ino->i_gid = cr->egid;
	if (dir && (dir->i_mode & S_ISGID)) {	/* BSD group semantics on a setgid directory */
		ino->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			ino->i_mode |= S_ISGID;
	}
	ino->i_parent = S_ISDIR(mode) ? dir : NULL;
	rf_now(&ino->i_atime);
	ino->i_mtime = ino->i_ctime = ino->i_atime;
	fs->f_ninodes++;
	return ino;
}

/* ino lost a name or an open: free it once it has neither. */
void rf_inode_put(struct ramfs *fs, struct rf_inode *ino)
{
	if (ino->i_nlink || ino->i_opens)
		return;
	if (S_ISREG(ino->i_mode))
		rf_data_free(fs, ino);
	if (ino->i_target)
		fs->f_used -= strlen(ino->i_target) + 1;
	for (unsigned i = 0; i < ino->i_nslots; i++)
		free(ino->i_ents[i].de_name);
	free(ino->i_ents);
	free(ino->i_target);
	free(ino);
	fs->f_ninodes--;
}

void rf_ref(struct rf_inode *ino)
{
	ino->i_opens++;
}

void rf_close(struct ramfs *fs, struct rf_inode *ino)
{
	ino->i_opens--;
	rf_inode_put(fs, ino);
}

/* ---- directories ----------------------------------------------------------- */

/* The slot of name (n bytes) in dir, or -1. */
int rf_dir_find(const struct rf_inode *dir, const char *name, size_t n)
{
	for (unsigned i = 0; i < dir->i_nslots; i++) {
		const char *e = dir->i_ents[i].de_name;

		if (e && strncmp(e, name, n) == 0 && e[n] == '\0')
			return (int)i;
	}
	return -1;
}

void rf_dir_touch(struct rf_inode *dir)
{
	rf_now(&dir->i_mtime);
	dir->i_ctime = dir->i_mtime;
}

/* Add name (n bytes) -> ino to dir; 0 or ENOMEM.  Links are the caller's. */
int rf_dir_add(struct rf_inode *dir, const char *name, size_t n, struct rf_inode *ino)
{
	unsigned i;
	char *s = malloc(n + 1);

	if (s == NULL)
		return ENOMEM;
	for (i = 0; i < dir->i_nslots && dir->i_ents[i].de_name; i++)
		;
	if (i == dir->i_nslots) {
		unsigned nn = dir->i_nslots ? 2 * dir->i_nslots : 8;
		struct rf_dirent *ne = realloc(dir->i_ents, nn * sizeof(*ne));

		if (ne == NULL) {
			free(s);
			return ENOMEM;
		}
		memset(ne + dir->i_nslots, 0, (nn - dir->i_nslots) * sizeof(*ne));
		dir->i_ents = ne, dir->i_nslots = nn;
	}
	memcpy(s, name, n);
	s[n] = '\0';
	dir->i_ents[i] = (struct rf_dirent){ s, ino };
	dir->i_size++;
	rf_dir_touch(dir);
	return 0;
}

void rf_dir_remove(struct rf_inode *dir, int slot)
{
	free(dir->i_ents[slot].de_name);
	dir->i_ents[slot] = (struct rf_dirent){ NULL, NULL };
	dir->i_size--;
	rf_dir_touch(dir);
}

int rf_readdir(const struct rf_inode *dir, int64_t *pos, const char **name,
    const struct rf_inode **ino)
{
	if (*pos < 0)
		return 0;
	if (*pos < 2) {
		*name = *pos == 0 ? "." : "..";
		*ino = *pos == 0 ? dir : dir->i_parent;
		(*pos)++;
		return 1;
	}
	for (; *pos - 2 < (int64_t)dir->i_nslots; (*pos)++) {
		const struct rf_dirent *e = &dir->i_ents[*pos - 2];

		if (e->de_name) {
			*name = e->de_name, *ino = e->de_ino;
			(*pos)++;
			return 1;
		}
	}
	return 0;
}

/* ---- permissions ----------------------------------------------------------- */

int rf_access(const struct rf_inode *ino, const struct _client_info *cr, unsigned want)
{
	return iofunc_client_may(cr, ino->i_mode, ino->i_uid, ino->i_gid, want);
}

/* The sticky bit: in such a directory only the owners (or root) remove a name. */
int rf_sticky_ok(const struct rf_inode *dir, const struct rf_inode *ino,
    const struct _client_info *cr)
{
	return fs_sticky_ok(cr->euid, dir->i_mode, dir->i_uid, ino->i_uid);
}

static int owner_ok(const struct rf_inode *ino, const struct _client_info *cr)
{
	return cr->euid == 0 || cr->euid == ino->i_uid;
}

/* ---- attributes ------------------------------------------------------------ */

int rf_chmod(struct ramfs *fs, const struct _client_info *cr, struct rf_inode *ino, mode_t mode)
{
	(void)fs;
	if (!owner_ok(ino, cr))
		return EPERM;
	mode &= 07777;
	if (cr->euid != 0 && !iofunc_client_ingroup(cr, ino->i_gid) && !S_ISDIR(ino->i_mode))
		mode &= ~(mode_t)S_ISGID;	/* as Linux: not for a group one is not in */
	ino->i_mode = (ino->i_mode & S_IFMT) | mode;
	rf_now(&ino->i_ctime);
	return 0;
}

int rf_chown(struct ramfs *fs, const struct _client_info *cr, struct rf_inode *ino, int uid, int gid)
{
	(void)fs;
	if (cr->euid != 0) {	/* _POSIX_CHOWN_RESTRICTED */
		if (cr->euid != ino->i_uid || (uid != -1 && (uid_t)uid != ino->i_uid) ||
		    (gid != -1 && !iofunc_client_ingroup(cr, (gid_t)gid) && (gid_t)gid != ino->i_gid))
			return EPERM;
	}
	if (uid != -1)
		ino->i_uid = (uid_t)uid;
	if (gid != -1)
		ino->i_gid = (gid_t)gid;
	if ((uid != -1 || gid != -1) && !S_ISDIR(ino->i_mode))
		ino->i_mode &= ~(mode_t)(S_ISUID | (ino->i_mode & 010 ? S_ISGID : 0));
	rf_now(&ino->i_ctime);
	return 0;
}

int rf_utimens(struct ramfs *fs, const struct _client_info *cr, struct rf_inode *ino,
    const struct timespec ts[2])
{
	struct timespec now;
	int r;

	(void)fs;
	if ((r = fs_utimens_check(ts, owner_ok(ino, cr), rf_access(ino, cr, 2) == 0)) != 0)
		return r;
	rf_now(&now);
	for (int i = 0; i < 2; i++) {
		struct timespec *t = i == 0 ? &ino->i_atime : &ino->i_mtime;

		if (ts[i].tv_nsec == FS_UTIME_NOW)
			*t = now;
		else if (ts[i].tv_nsec != FS_UTIME_OMIT)
			*t = ts[i];
	}
	ino->i_ctime = now;
	return 0;
}

/* ---- the file system ------------------------------------------------------- */

int rf_init(struct ramfs *fs, const char *mount, mode_t rootmode, uint64_t limit,
    uint64_t maxinodes)
{
	static const struct _client_info root = { .euid = 0, .egid = 0 };
	size_t n = strlen(mount);
	int r;

	memset(fs, 0, sizeof(*fs));
	if (mount[0] != '/')
		return EINVAL;
	if (n >= RF_PATH_MAX)
		return ENAMETOOLONG;
	while (n > 0 && mount[n - 1] == '/')
		n--;
	memcpy(fs->f_mount, mount, n);
	fs->f_mount[n] = '\0';
	fs->f_limit = limit;
	fs->f_maxinodes = maxinodes;
	fs->f_nextino = 1;
	if ((fs->f_root = rf_inode_new(fs, &root, S_IFDIR | (rootmode & 07777), NULL, &r)) == NULL)
		return r;
	fs->f_root->i_parent = fs->f_root;
	return 0;
}

/* Free dir's subtree (every inode, whatever its counts). */
static void free_tree(struct ramfs *fs, struct rf_inode *dir)
{
	for (unsigned i = 0; i < dir->i_nslots; i++) {
		struct rf_inode *c = dir->i_ents[i].de_ino;

		if (dir->i_ents[i].de_name == NULL)
			continue;
		rf_dir_remove(dir, (int)i);
		if (S_ISDIR(c->i_mode)) {
			free_tree(fs, c);	/* frees c too */
			continue;
		}
		c->i_nlink--;
		c->i_opens = 0;
		rf_inode_put(fs, c);
	}
	dir->i_nlink = 0;
	dir->i_opens = 0;
	rf_inode_put(fs, dir);
}

void rf_destroy(struct ramfs *fs)
{
	if (fs->f_root)
		free_tree(fs, fs->f_root);
	fs->f_root = NULL;
}
