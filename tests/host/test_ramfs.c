// uses: fs/ram/ramfs.c fs/ram/rfname.c fs/ram/rfdata.c lib/resmgr/cred.c lib/resmgr/fsrules.c
/*
 * Host tests of the RAM file system's logic (fs/ram/ramfs.c, rfname.c, rfdata.c),
 * natively under ASan/UBSan: files and holes, the size and inode limits,
 * directories and link counts, names, symbolic links (inside, leaving
 * the file system, loops), hard links, every rule of rename, files open
 * after their last name went, permissions (modes, the sticky bit, chmod,
 * chown, utimens) and reading directories while they change.  Each test
 * ends by freeing everything and asking LeakSanitizer.
 */
#include "unit.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sanitizer/lsan_interface.h>
#include "../../fs/ram/ramfs.h"

#ifndef O_PATH
#define O_PATH	010000000
#endif

static const struct _client_info root = { .euid = 0 }, user = { .euid = 1000, .egid = 1000 },
    other = { .euid = 1001, .egid = 1001 },
    member = { .euid = 1001, .egid = 1001, .ngroups = 2, .groups = { 50, 1000 } };
static struct rf_lookup lk;

static struct ramfs *mkfs(uint64_t limit, uint64_t inodes)
{
	static struct ramfs fs;

	CHECK_EQ(rf_init(&fs, "/tmp", 01777, limit, inodes), 0);
	return &fs;
}

/* Everything gone: the accounting balances, and nothing leaked. */
static void endfs(struct ramfs *fs)
{
	rf_destroy(fs);
	memset(&lk, 0, sizeof(lk));	/* its pointers would hide a leak */
	CHECK_EQ(fs->f_ninodes, 0);
	CHECK_EQ(fs->f_used, 0);
	CHECK_EQ(__lsan_do_recoverable_leak_check(), 0);
}

static struct rf_inode *op(struct ramfs *fs, const struct _client_info *cr, const char *p,
    unsigned fl, int *err)
{
	struct rf_inode *ino = NULL;

	*err = rf_open(fs, cr, p, fl, 0644, 0, &lk, &ino);
	return *err ? NULL : ino;
}

/* Create (or open) p, write s, close: 0 or an errno. */
static int put(struct ramfs *fs, const struct _client_info *cr, const char *p, const char *s)
{
	int err;
	size_t done;
	struct rf_inode *ino = op(fs, cr, p, O_WRONLY | O_CREAT | O_TRUNC, &err);

	if (ino == NULL)
		return err;
	err = rf_write(fs, ino, 0, s, strlen(s), &done);
	rf_close(fs, ino);
	return err;
}

/* Read all of ino from off into b (NUL-terminated): the count. */
static size_t get(struct rf_inode *ino, int64_t off, char *b, size_t n)
{
	struct rf_seg s[8];
	size_t got = rf_read(ino, off, n - 1, s, 8), at = 0;

	for (int i = 0; at < got; i++) {
		memcpy(b + at, s[i].s_p, s[i].s_len);
		at += s[i].s_len;
	}
	b[got] = '\0';
	return got;
}

static struct rf_inode *look(struct ramfs *fs, const char *p)
{
	return rf_walk(fs, &root, p, 0, &lk) == 0 ? lk.l_ino : NULL;
}

UNIT_TEST(init)
{
	struct ramfs fs;

	CHECK_EQ(rf_init(&fs, "tmp", 0777, 1, 1), EINVAL);
	CHECK_EQ(rf_init(&fs, "/tmp/", 0777, 1 << 20, 10), 0);
	CHECK_STR(fs.f_mount, "/tmp");
	CHECK(S_ISDIR(fs.f_root->i_mode));
	CHECK_EQ(fs.f_root->i_nlink, 2);
	CHECK(fs.f_root->i_parent == fs.f_root);
	endfs(&fs);
	CHECK_EQ(rf_init(&fs, "/", 0777, 1 << 20, 10), 0);
	CHECK_STR(fs.f_mount, "");
	endfs(&fs);
}

UNIT_TEST(files_and_holes)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	struct rf_inode *f;
	char b[64];
	size_t done;
	int err;

	f = op(fs, &root, "f", O_RDWR | O_CREAT, &err);
	CHECK(f != NULL);
	CHECK_EQ(rf_write(fs, f, 0, "hello", 5, &done), 0);
	CHECK_EQ(done, 5);
	CHECK_EQ(f->i_size, 5);
	CHECK_EQ(get(f, 0, b, sizeof(b)), 5);
	CHECK_STR(b, "hello");
	CHECK_EQ(get(f, 5, b, sizeof(b)), 0);
	CHECK_EQ(get(f, -1, b, sizeof(b)), 0);
	/* a write far away leaves a hole of zeros and allocates one block */
	CHECK_EQ(rf_write(fs, f, 3 * RF_BLOCK + 10, "x", 1, &done), 0);
	CHECK_EQ(f->i_size, 3 * RF_BLOCK + 11);
	CHECK_EQ(f->i_nblocks, 2);
	CHECK_EQ(fs->f_used, 2 * RF_BLOCK);
	CHECK_EQ(get(f, 3 * RF_BLOCK + 8, b, sizeof(b)), 3);
	CHECK(b[0] == 0 && b[1] == 0 && b[2] == 'x');
	CHECK_EQ(get(f, RF_BLOCK, b, 10), 9);
	for (int i = 0; i < 9; i++)
		CHECK_EQ(b[i], 0);
	CHECK_EQ(rf_seek_data(f, 0, 0), 0);
	CHECK_EQ(rf_seek_data(f, 0, 1), RF_BLOCK);
	CHECK_EQ(rf_seek_data(f, 10, 0), 10);
	CHECK_EQ(rf_seek_data(f, RF_BLOCK, 0), 3 * RF_BLOCK);
	CHECK_EQ(rf_seek_data(f, 3 * RF_BLOCK, 1), f->i_size);
	CHECK_EQ(rf_seek_data(f, f->i_size, 0), -ENXIO);
	/* a block tree spanning the levels */
	CHECK_EQ(rf_write(fs, f, (int64_t)RF_BLOCK << 18, "deep", 4, &done), 0);
	CHECK_EQ(get(f, (int64_t)RF_BLOCK << 18, b, sizeof(b)), 4);
	CHECK_STR(b, "deep");
	CHECK_EQ(rf_write(fs, f, RF_FILE_MAX, "x", 1, &done), EFBIG);
	CHECK_EQ(rf_write(fs, f, RF_FILE_MAX - 2, "xyz", 3, &done), 0);
	CHECK_EQ(done, 2);
	/* truncate: shrinking frees and zeroes the tail, growing is a hole */
	CHECK_EQ(rf_truncate(fs, f, 3), 0);
	CHECK_EQ(f->i_nblocks, 1);
	CHECK_EQ(fs->f_used, RF_BLOCK);
	CHECK_EQ(rf_truncate(fs, f, 100), 0);
	CHECK_EQ(get(f, 0, b, sizeof(b)), 63);
	CHECK(memcmp(b, "hel\0\0", 5) == 0);
	CHECK_EQ(rf_truncate(fs, f, 0), 0);
	CHECK_EQ(f->i_nblocks, 0);
	CHECK(f->i_tree == NULL);
	/* SEEK_DATA/HOLE over a huge hole skip whole subtrees (this would take minutes otherwise) */
	CHECK_EQ(rf_truncate(fs, f, RF_FILE_MAX), 0);
	CHECK_EQ(rf_seek_data(f, 0, 0), -ENXIO);
	CHECK_EQ(rf_seek_data(f, 5, 1), 5);
	CHECK_EQ(rf_write(fs, f, RF_FILE_MAX - 1, "z", 1, &done), 0);
	CHECK_EQ(rf_seek_data(f, 0, 0), RF_FILE_MAX - RF_BLOCK);
	CHECK_EQ(rf_truncate(fs, f, 0), 0);
	CHECK_EQ(rf_truncate(fs, f, RF_FILE_MAX + 1), EFBIG);
	CHECK_EQ(rf_truncate(fs, f, -1), EINVAL);
	CHECK_EQ(rf_truncate(fs, fs->f_root, 0), EISDIR);
	CHECK_EQ(rf_write(fs, f, -1, "x", 1, &done), EINVAL);
	rf_close(fs, f);
	/* O_TRUNC empties, O_EXCL refuses, O_DIRECTORY wants a directory */
	CHECK_EQ(put(fs, &root, "g", "data"), 0);
	f = op(fs, &root, "g", O_RDWR | O_TRUNC, &err);
	CHECK(f && f->i_size == 0);
	rf_close(fs, f);
	CHECK(op(fs, &root, "g", O_RDWR | O_CREAT | O_EXCL, &err) == NULL && err == EEXIST);
	CHECK(op(fs, &root, "g", O_RDONLY | O_DIRECTORY, &err) == NULL && err == ENOTDIR);
	CHECK(op(fs, &root, "g", O_ACCMODE, &err) == NULL && err == EINVAL);
	CHECK(op(fs, &root, "none", O_RDONLY, &err) == NULL && err == ENOENT);
	CHECK_EQ(rf_open(fs, &root, "new", O_WRONLY | O_CREAT, 0644, 1, &lk, &f), EISDIR);
	CHECK_EQ(rf_open(fs, &root, "g", O_RDONLY, 0, 1, &lk, &f), ENOTDIR);
	CHECK(op(fs, &root, "", O_RDONLY | O_CREAT, &err) == NULL && err == EISDIR);
	CHECK(op(fs, &root, "", O_RDWR, &err) == NULL && err == EISDIR);
	endfs(fs);
}

UNIT_TEST(limits)
{
	static char big[5 * RF_BLOCK];
	struct ramfs *fs = mkfs(4 * RF_BLOCK, 4);
	struct rf_inode *f, *g;
	size_t done;
	int err;

	f = op(fs, &root, "f", O_RDWR | O_CREAT, &err);
	CHECK_EQ(rf_write(fs, f, 0, big, sizeof(big), &done), ENOSPC);
	CHECK_EQ(done, 4 * RF_BLOCK);
	CHECK_EQ(rf_write(fs, f, done, big, 1, &done), ENOSPC);
	CHECK_EQ(done, 0);
	CHECK_EQ(rf_write(fs, f, 10, "over", 4, &done), 0);	/* rewriting takes nothing */
	g = op(fs, &root, "g", O_RDWR | O_CREAT, &err);
	CHECK(g != NULL);
	CHECK_EQ(rf_write(fs, g, 0, "x", 1, &done), ENOSPC);
	CHECK_EQ(rf_symlink(fs, &root, "l", "target", &lk), ENOSPC);
	rf_close(fs, f);
	CHECK_EQ(rf_unlink(fs, &root, "f", 0, &lk), 0);		/* space comes back */
	CHECK_EQ(fs->f_used, 0);
	CHECK_EQ(rf_write(fs, g, 0, big, RF_BLOCK, &done), 0);
	rf_close(fs, g);
	/* inodes: the root, g, and two more */
	CHECK_EQ(rf_mknod(fs, &root, "d", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(put(fs, &root, "h", ""), 0);
	CHECK_EQ(put(fs, &root, "i", ""), ENOSPC);
	CHECK_EQ(rf_mknod(fs, &root, "e", S_IFDIR | 0755, &lk), ENOSPC);
	CHECK_EQ(fs->f_root->i_size, 3);			/* nothing half-made */
	endfs(fs);
}

UNIT_TEST(directories)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	struct rf_inode *d;

	CHECK_EQ(rf_mknod(fs, &root, "d", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(rf_mknod(fs, &root, "d", S_IFDIR | 0755, &lk), EEXIST);
	CHECK_EQ(rf_mknod(fs, &root, "d/s", S_IFDIR | 0700, &lk), 0);
	CHECK_EQ(rf_mknod(fs, &root, "d/s/t", S_IFDIR | 0700, &lk), 0);
	CHECK_EQ(rf_mknod(fs, &root, "x/y", S_IFDIR | 0700, &lk), ENOENT);
	CHECK_EQ(rf_mknod(fs, &root, "d/fifo", S_IFIFO | 0600, &lk), 0);
	CHECK_EQ(rf_mknod(fs, &root, "d/fifo", S_IFIFO | 0600, &lk), EEXIST);
	CHECK_EQ(rf_mknod(fs, &root, "d/chr", S_IFCHR | 0600, &lk), EPERM);
	CHECK_EQ(rf_mknod(fs, &root, "d/sock", S_IFSOCK | 0600, &lk), EPERM);
	CHECK_EQ(rf_unlink(fs, &root, "d/fifo", 0, &lk), 0);
	CHECK_EQ(rf_mknod(fs, &root, "", S_IFDIR | 0700, &lk), EEXIST);
	d = look(fs, "d");
	CHECK_EQ(d->i_nlink, 3);
	CHECK_EQ(fs->f_root->i_nlink, 3);
	CHECK(look(fs, "d/s")->i_parent == d);
	CHECK_EQ(put(fs, &root, "d/f", "x"), 0);
	CHECK_EQ(rf_mknod(fs, &root, "d/f/x", S_IFDIR | 0700, &lk), ENOTDIR);
	CHECK_EQ(rf_unlink(fs, &root, "d", 1, &lk), ENOTEMPTY);
	CHECK_EQ(rf_unlink(fs, &root, "d/f", 1, &lk), ENOTDIR);
	CHECK_EQ(rf_unlink(fs, &root, "d/s", 0, &lk), EISDIR);
	CHECK_EQ(rf_unlink(fs, &root, "", 1, &lk), EBUSY);
	CHECK_EQ(rf_unlink(fs, &root, "d/none", 0, &lk), ENOENT);
	CHECK_EQ(rf_unlink(fs, &root, "d/s/t", 1, &lk), 0);
	CHECK_EQ(rf_unlink(fs, &root, "d/s", 1, &lk), 0);
	CHECK_EQ(d->i_nlink, 2);
	CHECK_EQ(rf_unlink(fs, &root, "d/f", 0, &lk), 0);
	CHECK_EQ(rf_unlink(fs, &root, "d", 1, &lk), 0);
	CHECK_EQ(fs->f_root->i_nlink, 2);
	CHECK_EQ(fs->f_ninodes, 1);
	/* "." and ".." are physical, and name nothing to create or remove */
	CHECK_EQ(rf_mknod(fs, &root, "a", S_IFDIR | 0755, &lk), 0);
	CHECK(look(fs, "a/./..") == fs->f_root);
	CHECK_EQ(rf_unlink(fs, &root, "a/.", 1, &lk), EBUSY);
	endfs(fs);
}

UNIT_TEST(names)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	char n[300], p[RF_PATH_MAX + 10];

	memset(n, 'a', sizeof(n));
	n[RF_NAME_MAX] = '\0';
	CHECK_EQ(put(fs, &root, n, "x"), 0);
	n[RF_NAME_MAX] = 'a';
	n[RF_NAME_MAX + 1] = '\0';
	CHECK_EQ(put(fs, &root, n, "x"), ENAMETOOLONG);
	CHECK_EQ(rf_mknod(fs, &root, n, S_IFDIR | 0755, &lk), ENAMETOOLONG);
	memset(p, 'b', sizeof(p));
	p[sizeof(p) - 1] = '\0';
	CHECK_EQ(rf_walk(fs, &root, p, 0, &lk), ENAMETOOLONG);
	CHECK_EQ(put(fs, &root, "//x//", "y"), 0);	/* empty components are nothing */
	CHECK(look(fs, "x") != NULL);
	endfs(fs);
}

UNIT_TEST(symlinks)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	struct rf_inode *f;
	const char *t;
	int err;

	CHECK_EQ(rf_mknod(fs, &root, "d", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(put(fs, &root, "d/f", "in"), 0);
	CHECK_EQ(rf_symlink(fs, &root, "rel", "d/f", &lk), 0);
	CHECK_EQ(rf_symlink(fs, &root, "d/up", "../d", &lk), 0);
	CHECK_EQ(rf_symlink(fs, &root, "abs", "/tmp/d", &lk), 0);
	CHECK_EQ(rf_symlink(fs, &root, "out", "/proc/boot", &lk), 0);
	CHECK_EQ(rf_symlink(fs, &root, "d/outrel", "../../etc", &lk), 0);
	CHECK_EQ(rf_symlink(fs, &root, "l1", "l2", &lk), 0);
	CHECK_EQ(rf_symlink(fs, &root, "l2", "l1", &lk), 0);
	CHECK_EQ(rf_symlink(fs, &root, "dang", "nowhere", &lk), 0);
	CHECK_EQ(rf_symlink(fs, &root, "rel", "x", &lk), EEXIST);
	CHECK_EQ(rf_symlink(fs, &root, "empty", "", &lk), ENOENT);
	CHECK_EQ(fs->f_used, strlen("d/f") + strlen("../d") + strlen("/tmp/d") +
	    strlen("/proc/boot") + strlen("../../etc") + 2 + 2 + strlen("nowhere") + 8 + RF_BLOCK);
	/* followed inside */
	f = op(fs, &root, "rel", O_RDONLY, &err);
	CHECK(f && f->i_size == 2);
	rf_close(fs, f);
	CHECK_EQ(rf_walk(fs, &root, "abs/f", 0, &lk), 0);
	CHECK(lk.l_ino && S_ISREG(lk.l_ino->i_mode));
	CHECK_EQ(rf_walk(fs, &root, "d/up/up/up/f", 0, &lk), 0);
	CHECK(lk.l_ino && S_ISREG(lk.l_ino->i_mode));
	/* leaving the file system: the absolute path to try */
	CHECK_EQ(rf_walk(fs, &root, "out/motd", 0, &lk), RF_REDIRECT);
	CHECK_STR(lk.l_path, "/proc/boot/motd");
	CHECK_EQ(rf_open(fs, &root, "out", O_RDONLY, 0, 0, &lk, &f), RF_REDIRECT);
	CHECK_STR(lk.l_path, "/proc/boot");
	CHECK_EQ(rf_walk(fs, &root, "d/outrel/passwd", 0, &lk), RF_REDIRECT);
	CHECK_STR(lk.l_path, "/etc/passwd");
	/* the last one is not followed when asked not to */
	CHECK_EQ(rf_walk(fs, &root, "out", 0, &lk), 0);
	CHECK(S_ISLNK(lk.l_ino->i_mode));
	CHECK(op(fs, &root, "rel", O_RDONLY | O_NOFOLLOW, &err) == NULL && err == ELOOP);
	f = op(fs, &root, "rel", O_RDONLY | O_NOFOLLOW | O_PATH, &err);
	CHECK(f && S_ISLNK(f->i_mode));
	rf_close(fs, f);
	CHECK(op(fs, &root, "l1", O_RDONLY, &err) == NULL && err == ELOOP);
	CHECK(op(fs, &root, "dang", O_RDONLY, &err) == NULL && err == ENOENT);
	CHECK(op(fs, &root, "rel", O_RDWR | O_CREAT | O_EXCL, &err) == NULL && err == EEXIST);
	f = op(fs, &root, "dang", O_RDWR | O_CREAT, &err);	/* creates the target */
	CHECK(f != NULL);
	rf_close(fs, f);
	CHECK(look(fs, "nowhere") != NULL);
	CHECK_EQ(rf_readlink(fs, &root, "rel", &lk, &t), 0);
	CHECK_STR(t, "d/f");
	CHECK_EQ(rf_readlink(fs, &root, "d", &lk, &t), EINVAL);
	CHECK_EQ(rf_readlink(fs, &root, "none", &lk, &t), ENOENT);
	CHECK_EQ(rf_readlink(fs, &root, "abs/up", &lk, &t), 0);	/* a link in the middle */
	CHECK_STR(t, "../d");
	CHECK_EQ(rf_mknod(fs, &root, "rel", S_IFDIR | 0755, &lk), EEXIST);
	CHECK_EQ(rf_unlink(fs, &root, "abs", 0, &lk), 0);		/* the link itself */
	CHECK(look(fs, "d") != NULL);
	endfs(fs);
}

UNIT_TEST(hard_links)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	struct rf_inode *f;
	char b[16];
	int err;

	CHECK_EQ(rf_mknod(fs, &root, "d", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(put(fs, &root, "a", "shared"), 0);
	f = op(fs, &root, "a", O_RDONLY, &err);
	CHECK_EQ(rf_link(fs, &root, f, "d/b", &lk), 0);
	CHECK_EQ(f->i_nlink, 2);
	CHECK_EQ(rf_link(fs, &root, f, "d/b", &lk), EEXIST);
	CHECK_EQ(rf_link(fs, &root, look(fs, "d"), "dd", &lk), EPERM);
	CHECK_EQ(rf_link(fs, &root, f, "none/x", &lk), ENOENT);
	CHECK_EQ(rf_unlink(fs, &root, "a", 0, &lk), 0);
	CHECK_EQ(f->i_nlink, 1);
	CHECK(look(fs, "d/b") == f);
	CHECK_EQ(get(f, 0, b, sizeof(b)), 6);
	CHECK_EQ(rf_unlink(fs, &root, "d/b", 0, &lk), 0);
	CHECK_EQ(f->i_nlink, 0);
	CHECK_EQ(rf_link(fs, &root, f, "again", &lk), ENOENT);	/* no name left */
	rf_close(fs, f);
	CHECK_EQ(fs->f_ninodes, 2);
	/* EMLINK */
	CHECK_EQ(put(fs, &root, "m", ""), 0);
	f = look(fs, "m");
	f->i_nlink = RF_LINK_MAX;
	CHECK_EQ(rf_link(fs, &root, f, "m2", &lk), EMLINK);
	f->i_nlink = 1;
	endfs(fs);
}

UNIT_TEST(open_unlinked)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	struct rf_inode *f, *d;
	const struct rf_inode *e;
	const char *name;
	int64_t pos = 0;
	size_t done;
	char b[16];
	int err;

	CHECK_EQ(put(fs, &root, "f", "kept"), 0);
	f = op(fs, &root, "f", O_RDWR, &err);
	CHECK_EQ(rf_unlink(fs, &root, "f", 0, &lk), 0);
	CHECK(look(fs, "f") == NULL);
	CHECK_EQ(fs->f_ninodes, 2);
	CHECK_EQ(get(f, 0, b, sizeof(b)), 4);
	CHECK_EQ(rf_write(fs, f, 4, "!", 1, &done), 0);
	CHECK_EQ(fs->f_used, RF_BLOCK);
	rf_close(fs, f);
	CHECK_EQ(fs->f_ninodes, 1);
	CHECK_EQ(fs->f_used, 0);
	/* a directory removed while open reads as nothing and takes no names */
	CHECK_EQ(rf_mknod(fs, &root, "d", S_IFDIR | 0755, &lk), 0);
	d = op(fs, &root, "d", O_RDONLY, &err);
	CHECK_EQ(rf_unlink(fs, &root, "d", 1, &lk), 0);
	CHECK_EQ(d->i_nlink, 0);
	CHECK_EQ(rf_readdir(d, &pos, &name, &e), 1);	/* "." (the server shows nothing) */
	rf_close(fs, d);
	endfs(fs);
}

UNIT_TEST(rename)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	struct rf_inode *a, *f;

	CHECK_EQ(rf_mknod(fs, &root, "a", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(rf_mknod(fs, &root, "b", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(rf_mknod(fs, &root, "a/deep", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(put(fs, &root, "a/f", "one"), 0);
	f = look(fs, "a/f");
	CHECK_EQ(rf_rename(fs, &root, "a/f", "a/g", &lk), 0);
	CHECK(look(fs, "a/f") == NULL && look(fs, "a/g") == f);
	CHECK_EQ(rf_rename(fs, &root, "a/g", "b/h", &lk), 0);
	CHECK(look(fs, "b/h") == f);
	CHECK_EQ(put(fs, &root, "b/i", "two"), 0);
	CHECK_EQ(rf_rename(fs, &root, "b/i", "b/h", &lk), 0);	/* replaces: f is freed */
	CHECK_EQ(fs->f_ninodes, 5);
	CHECK_EQ(rf_rename(fs, &root, "b/h", "b/h", &lk), 0);
	CHECK_EQ(rf_link(fs, &root, look(fs, "b/h"), "b/h2", &lk), 0);
	CHECK_EQ(rf_rename(fs, &root, "b/h", "b/h2", &lk), 0);	/* one file: nothing */
	CHECK(look(fs, "b/h") != NULL);
	/* directories */
	a = look(fs, "a");
	CHECK_EQ(rf_rename(fs, &root, "a", "a/deep/x", &lk), EINVAL);
	CHECK_EQ(rf_rename(fs, &root, "a", "a/x", &lk), EINVAL);
	CHECK_EQ(rf_rename(fs, &root, "a", "b", &lk), ENOTEMPTY);
	CHECK_EQ(rf_rename(fs, &root, "b/h", "a", &lk), EISDIR);
	CHECK_EQ(rf_rename(fs, &root, "a", "b/h", &lk), ENOTDIR);
	CHECK_EQ(rf_rename(fs, &root, "none", "x", &lk), ENOENT);
	CHECK_EQ(rf_rename(fs, &root, "", "x", &lk), EBUSY);
	CHECK_EQ(rf_rename(fs, &root, "a", "", &lk), EBUSY);
	CHECK_EQ(rf_rename(fs, &root, "a", "none/x", &lk), ENOENT);
	CHECK_EQ(rf_rename(fs, &root, "a", "b/moved", &lk), 0);
	CHECK(a->i_parent == look(fs, "b"));
	CHECK_EQ(look(fs, "b")->i_nlink, 3);
	CHECK_EQ(fs->f_root->i_nlink, 3);
	CHECK(look(fs, "b/moved/deep") != NULL);
	CHECK_EQ(rf_mknod(fs, &root, "empty", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(rf_rename(fs, &root, "b/moved", "empty", &lk), 0);	/* onto an empty one */
	CHECK(look(fs, "empty") == a && a->i_parent == fs->f_root);
	CHECK_EQ(fs->f_root->i_nlink, 4);			/* a, b, and "empty" is a now */
	CHECK_EQ(look(fs, "b")->i_nlink, 2);
	/* the old path through a link out of the file system: another server's */
	CHECK_EQ(rf_symlink(fs, &root, "out", "/proc", &lk), 0);
	CHECK_EQ(rf_rename(fs, &root, "out/x", "y", &lk), EXDEV);
	CHECK_EQ(rf_rename(fs, &root, "b/h", "out/y", &lk), RF_REDIRECT);
	CHECK_STR(lk.l_path, "/proc/y");
	/* a link is renamed, not its target */
	CHECK_EQ(rf_rename(fs, &root, "out", "out2", &lk), 0);
	CHECK_EQ(rf_walk(fs, &root, "out2", 0, &lk), 0);
	CHECK(S_ISLNK(lk.l_ino->i_mode));
	endfs(fs);
}

UNIT_TEST(permissions)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	struct rf_inode *f;
	struct timespec ts[2] = { { 5, 0 }, { 6, 0 } }, now[2] = { { 0, (1L << 30) - 1 },
	    { 0, (1L << 30) - 1 } };
	int err;

	CHECK_EQ(rf_mknod(fs, &root, "closed", S_IFDIR | 0700, &lk), 0);
	CHECK_EQ(put(fs, &root, "closed/f", "c"), 0);
	CHECK_EQ(rf_mknod(fs, &root, "ro", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(put(fs, &root, "ro/f", "r"), 0);
	CHECK_EQ(put(fs, &root, "rootfile", "r"), 0);
	CHECK_EQ(rf_walk(fs, &user, "closed/f", 0, &lk), EACCES);	/* no search */
	CHECK(op(fs, &user, "ro/f", O_RDONLY, &err) != NULL);
	rf_close(fs, lk.l_ino);
	CHECK(op(fs, &user, "ro/f", O_WRONLY, &err) == NULL && err == EACCES);
	CHECK(op(fs, &user, "ro/f", O_RDONLY | O_TRUNC, &err) == NULL && err == EACCES);
	CHECK(op(fs, &user, "ro/new", O_RDWR | O_CREAT, &err) == NULL && err == EACCES);
	CHECK_EQ(rf_unlink(fs, &user, "ro/f", 0, &lk), EACCES);
	CHECK_EQ(rf_mknod(fs, &user, "ro/d", S_IFDIR | 0755, &lk), EACCES);
	CHECK_EQ(rf_rename(fs, &user, "ro/f", "mine", &lk), EACCES);
	/* the root directory is 1777: anyone creates, only owners remove */
	f = op(fs, &user, "mine", O_RDWR | O_CREAT, &err);
	CHECK(f && f->i_uid == 1000 && f->i_gid == 1000);
	rf_close(fs, f);
	CHECK_EQ(rf_unlink(fs, &other, "mine", 0, &lk), EPERM);
	CHECK_EQ(rf_unlink(fs, &user, "rootfile", 0, &lk), EPERM);
	CHECK_EQ(rf_rename(fs, &user, "rootfile", "stolen", &lk), EPERM);
	CHECK_EQ(rf_rename(fs, &user, "mine", "rootfile", &lk), EPERM);
	/* chmod, chown, utimens */
	f = look(fs, "mine");
	CHECK_EQ(rf_chmod(fs, &other, f, 0777), EPERM);
	CHECK_EQ(rf_chmod(fs, &user, f, 02650), 0);
	CHECK_EQ(f->i_mode, S_IFREG | 02650);
	CHECK_EQ(rf_chown(fs, &user, f, 0, -1), EPERM);
	CHECK_EQ(rf_chown(fs, &user, f, -1, 50), EPERM);
	CHECK_EQ(rf_chown(fs, &user, f, -1, 1000), 0);
	CHECK_EQ(rf_chown(fs, &root, f, 7, 8), 0);
	CHECK(f->i_uid == 7 && f->i_gid == 8 && !(f->i_mode & S_ISGID));
	CHECK_EQ(rf_utimens(fs, &user, f, ts), EPERM);
	CHECK_EQ(rf_utimens(fs, &user, f, now), EACCES);	/* not owner, cannot write */
	CHECK_EQ(rf_chmod(fs, &root, f, 0666), 0);
	CHECK_EQ(rf_utimens(fs, &user, f, now), 0);		/* may write: "now" is fine */
	CHECK_EQ(rf_utimens(fs, &root, f, ts), 0);
	CHECK(f->i_atime.tv_sec == 5 && f->i_mtime.tv_sec == 6);
	ts[0].tv_nsec = 1000000000;
	CHECK_EQ(rf_utimens(fs, &root, f, ts), EINVAL);
	/* execute: root too needs some x bit on a file */
	CHECK_EQ(rf_access(f, &root, 1), EACCES);
	CHECK_EQ(rf_access(fs->f_root, &root, 1), 0);
	endfs(fs);
}

/* Supplementary groups count like the effective group (member: 1001, groups 50 and 1000). */
UNIT_TEST(supplementary_groups)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	struct rf_inode *f;
	int err;

	CHECK_EQ(rf_mknod(fs, &user, "team", S_IFDIR | 0770, &lk), 0);	/* 1000:1000 */
	CHECK_EQ(put(fs, &user, "team/f", "t"), 0);
	CHECK_EQ(rf_chmod(fs, &user, look(fs, "team/f"), 0660), 0);
	CHECK_EQ(rf_walk(fs, &other, "team/f", 0, &lk), EACCES);	/* not a member */
	f = op(fs, &member, "team/f", O_RDWR, &err);			/* via group 1000 */
	CHECK(f != NULL);
	rf_close(fs, f);
	f = op(fs, &member, "team/new", O_RDWR | O_CREAT, &err);	/* writes the directory */
	CHECK(f != NULL && f->i_uid == 1001 && f->i_gid == 1001);
	/* its owner may give it to a group it belongs to, not to another */
	CHECK_EQ(rf_chown(fs, &member, f, -1, 50), 0);
	CHECK_EQ(f->i_gid, 50);
	CHECK_EQ(rf_chown(fs, &member, f, -1, 51), EPERM);
	/* set-group-ID survives chmod only for a member of the file's group */
	CHECK_EQ(rf_chmod(fs, &member, f, 02755), 0);
	CHECK_EQ(f->i_mode & 07777, 02755);
	CHECK_EQ(rf_chown(fs, &root, f, -1, 51), 0);
	CHECK_EQ(rf_chown(fs, &root, f, 1001, -1), 0);
	CHECK_EQ(rf_chmod(fs, &member, f, 02755), 0);
	CHECK_EQ(f->i_mode & 07777, 0755);
	rf_close(fs, f);
	endfs(fs);
}

UNIT_TEST(readdir)
{
	struct ramfs *fs = mkfs(1 << 20, 100);
	const struct rf_inode *e;
	const char *name;
	int64_t pos = 0;
	int seen = 0, n = 0;
	char p[16];

	for (int i = 0; i < 20; i++) {
		snprintf(p, sizeof(p), "f%d", i);
		CHECK_EQ(put(fs, &root, p, ""), 0);
	}
	CHECK_EQ(rf_readdir(fs->f_root, &pos, &name, &e), 1);
	CHECK_STR(name, ".");
	CHECK_EQ(rf_readdir(fs->f_root, &pos, &name, &e), 1);
	CHECK_STR(name, "..");
	/* remove each name as it is read: none is missed, none comes twice */
	while (rf_readdir(fs->f_root, &pos, &name, &e)) {
		int i = atoi(name + 1);

		CHECK(!(seen & (1 << i)));
		seen |= 1 << i;
		snprintf(p, sizeof(p), "%s", name);
		CHECK_EQ(rf_unlink(fs, &root, p, 0, &lk), 0);
		n++;
	}
	CHECK_EQ(n, 20);
	CHECK_EQ(fs->f_root->i_size, 0);
	pos = -1;
	CHECK_EQ(rf_readdir(fs->f_root, &pos, &name, &e), 0);
	endfs(fs);
}
