// uses: fs/ext2/e2cache.c fs/ext2/e2super.c fs/ext2/e2alloc.c fs/ext2/e2inode.c fs/ext2/e2data.c fs/ext2/e2dir.c fs/ext2/e2name.c fs/ext2/e2attr.c lib/resmgr/cred.c lib/resmgr/fsrules.c
/*
 * Host tests of fs-ext2's logic (fs/ext2/), natively under ASan/UBSan, on
 * images the host's mke2fs makes (1 KiB and 4 KiB blocks, `-t ext2`:
 * dir_index, filetype, sparse_super, large_file, resize_inode, ext_attr).
 * Each operation is checked through the logic and then by the host's own
 * tools: `e2fsck -fn` must find nothing wrong, and `debugfs` must read
 * what was written.  Then the refusals (bad superblocks, unknown
 * features, ext4 extents) and corrupted images, which must give errors
 * and never crash.
 */
#include "unit.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sanitizer/lsan_interface.h>
#include "../../fs/ext2/ext2fs.h"

#ifndef O_PATH
#define O_PATH	010000000
#endif

static const struct _client_info root = { .euid = 0 }, user = { .euid = 1000, .egid = 1000 };
static struct e2_lookup lk;
static struct e2fs fs;
static char dir[64], img[128];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* A fresh image of mib MiB with bs-byte blocks (and extra mke2fs options), from staging if given. */
static void mkimg(int bs, int mib, const char *opts, const char *staging)
{
	snprintf(dir, sizeof(dir), "/tmp/e2test.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(img, sizeof(img), "%s/img", dir);
	CHECK_EQ(sh("mke2fs -q -F -t ext2 -b %d %s %s %s %s %dM >/dev/null 2>&1", bs, opts ? opts : "",
	    staging ? "-d" : "", staging ? staging : "", img, mib), 0);
}

static int mnt(int rdonly)
{
	int fd = open(img, rdonly ? O_RDONLY : O_RDWR);

	CHECK(fd >= 0);
	return e2_mount(&fs, fd, "/mnt", rdonly);
}

/* Unmount, check with e2fsck -fn, and nothing leaked. */
static void umnt_fsck(void)
{
	int fd = fs.f_fd;

	CHECK_EQ(e2_unmount(&fs), 0);
	CHECK_EQ(fs.f_ninodes, 0);
	close(fd);
	if (sh("e2fsck -fn %s >%s/fsck.log 2>&1", img, dir) != 0) {
		sh("cat %s/fsck.log", dir);
		CHECK(!"e2fsck -fn found errors");
	}
	CHECK_EQ(__lsan_do_recoverable_leak_check(), 0);
}

static void cleanup(void)
{
	sh("rm -rf %s", dir);
}

static struct e2_inode *op(const struct _client_info *cr, const char *p, unsigned fl, int *err)
{
	struct e2_inode *ip = NULL;

	*err = e2_open(&fs, cr, p, fl, 0644, 0, &lk, &ip);
	return *err ? NULL : ip;
}

static int put(const struct _client_info *cr, const char *p, const void *s, size_t n)
{
	int err;
	size_t done;
	struct e2_inode *ip = op(cr, p, O_WRONLY | O_CREAT | O_TRUNC, &err);

	if (ip == NULL)
		return err;
	err = e2_write(&fs, ip, 0, s, n, &done);
	e2_close(&fs, ip);
	return err ? err : done == n ? 0 : EIO;
}

static ssize_t get(const char *p, char *b, size_t n)
{
	int err;
	struct e2_inode *ip = op(&root, p, O_RDONLY, &err);
	ssize_t got;

	if (ip == NULL)
		return -err;
	got = e2_read(&fs, ip, 0, b, n - 1);
	if (got >= 0)
		b[got] = '\0';
	e2_close(&fs, ip);
	return got;
}

static int exists(const char *p)
{
	return e2_walk(&fs, &root, p, 0, &lk) == 0 && lk.l_ino != 0;
}

/* debugfs's view of a file equals s. */
static void host_sees(const char *path, const char *s)
{
	char out[256], buf[4096];
	FILE *f;
	size_t n;

	snprintf(out, sizeof(out), "%s/cat.out", dir);
	CHECK_EQ(sh("debugfs -R 'dump %s %s' %s >/dev/null 2>&1", path, out, img), 0);
	CHECK((f = fopen(out, "r")) != NULL);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	CHECK_STR(buf, s);
}

static void staging(char *st)
{
	snprintf(st, 64, "/tmp/e2stage.XXXXXX");
	CHECK(mkdtemp(st) != NULL);
	CHECK_EQ(sh("mkdir -p %s/etc %s/sub/deep && echo hello >%s/etc/motd && "
	    "seq 1 20000 >%s/sub/big && ln -s ../etc/motd %s/sub/lnk && "
	    "for i in $(seq 1 300); do echo $i >%s/sub/deep/f$i; done", st, st, st, st, st, st), 0);
}

static void read_staged(void)
{
	static char b[200000];
	char name[E2_NAME_MAX + 1];
	struct e2_inode *d;
	unsigned char t;
	uint32_t ino;
	int64_t pos = 0;
	int n = 0, err;

	CHECK_EQ(get("etc/motd", b, sizeof(b)), 6);
	CHECK_STR(b, "hello\n");
	CHECK_EQ(get("sub/big", b, sizeof(b)), 108894);
	CHECK(strncmp(b, "1\n2\n3\n", 6) == 0 && strcmp(b + 108894 - 6, "20000\n") == 0);
	CHECK_EQ(get("sub/lnk", b, sizeof(b)), 6);	/* a relative link, followed */
	CHECK_EQ(get("sub/deep/f299", b, sizeof(b)), 4);
	CHECK_STR(b, "299\n");
	CHECK((d = op(&root, "sub/deep", O_RDONLY, &err)) != NULL);
	while (e2_readdir(&fs, d, &pos, name, &ino, &t) == 1)
		n++;
	CHECK_EQ(n, 302);	/* . .. and 300 files */
	e2_close(&fs, d);
}

UNIT_TEST(mount_read_1k)
{
	char st[64];

	staging(st);
	mkimg(1024, 8, NULL, st);
	CHECK_EQ(mnt(1), 0);
	CHECK_EQ(fs.f_bsize, 1024);
	read_staged();
	umnt_fsck();
	sh("rm -rf %s", st);
	cleanup();
}

UNIT_TEST(mount_read_4k)
{
	char st[64];

	staging(st);
	mkimg(4096, 16, NULL, st);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(fs.f_bsize, 4096);
	read_staged();
	umnt_fsck();
	sh("rm -rf %s", st);
	cleanup();
}

/* Files: create, append, overwrite, pread at odd places; the host reads them back. */
static void files(int bs)
{
	static char big[300000], b[300001];
	struct e2_inode *ip;
	size_t done;
	int err;

	mkimg(bs, 16, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(put(&root, "a", "alpha\n", 6), 0);
	CHECK((ip = op(&root, "a", O_WRONLY, &err)) != NULL);
	CHECK_EQ(e2_write(&fs, ip, 6, "beta\n", 5, &done), 0);
	e2_close(&fs, ip);
	CHECK_EQ(get("a", b, sizeof(b)), 11);
	CHECK_STR(b, "alpha\nbeta\n");
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i * 7 % 26);
	CHECK_EQ(put(&root, "big", big, sizeof(big)), 0);	/* single and double indirect at 1 KiB */
	CHECK_EQ(get("big", b, sizeof(b)), (ssize_t)sizeof(big));
	CHECK(memcmp(b, big, sizeof(big)) == 0);
	CHECK((ip = op(&root, "a", O_RDONLY, &err)) != NULL);
	CHECK_EQ(e2_read(&fs, ip, 3, b, 4), 4);
	CHECK(memcmp(b, "ha\nb", 4) == 0);
	CHECK_EQ(e2_read(&fs, ip, 11, b, 4), 0);
	CHECK_EQ(e2_read(&fs, ip, 1000, b, 4), 0);
	e2_close(&fs, ip);
	CHECK_EQ(op(&root, "a", O_RDONLY | O_CREAT | O_EXCL, &err) == NULL && err == EEXIST, 1);
	CHECK_EQ(op(&root, "nope", O_RDONLY, &err) == NULL && err == ENOENT, 1);
	CHECK_EQ(op(&root, "a/x", O_RDONLY, &err) == NULL && err == ENOTDIR, 1);
	umnt_fsck();
	host_sees("/a", "alpha\nbeta\n");
	cleanup();
}

UNIT_TEST(files_1k) { files(1024); }
UNIT_TEST(files_4k) { files(4096); }

/* Sparse files: holes read as zeros, st_blocks, SEEK_DATA/HOLE, truncate both ways. */
UNIT_TEST(sparse_truncate)
{
	static char b[8192];
	struct e2_inode *ip;
	size_t done;
	int err;
	int64_t far = 70LL << 20;	/* past the double-indirect reach of 1 KiB blocks: triple */

	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	CHECK((ip = op(&root, "sp", O_RDWR | O_CREAT, &err)) != NULL);
	CHECK_EQ(e2_write(&fs, ip, far, "end", 3, &done), 0);
	CHECK_EQ(e2_size(ip), far + 3);
	CHECK(e2_blocks512(ip) <= 2 * 5);	/* the data block and three indirect ones */
	CHECK_EQ(e2_read(&fs, ip, far - 10, b, 13), 13);
	CHECK(memcmp(b, "\0\0\0\0\0\0\0\0\0\0end", 13) == 0);
	CHECK_EQ(e2_seek_data(&fs, ip, 0, 0), far & ~1023LL);
	CHECK_EQ(e2_seek_data(&fs, ip, 0, 1), 0);
	CHECK_EQ(e2_seek_data(&fs, ip, far + 5, 0), -ENXIO);
	CHECK_EQ(e2_write(&fs, ip, 0, "head", 4, &done), 0);
	CHECK_EQ(e2_truncate(&fs, ip, 2), 0);	/* frees the far blocks, zeroes the tail */
	CHECK_EQ(e2_blocks512(ip), 2);
	CHECK_EQ(e2_truncate(&fs, ip, 5000), 0);
	CHECK_EQ(e2_read(&fs, ip, 0, b, 5000), 5000);
	CHECK(memcmp(b, "he\0\0\0", 5) == 0 && b[4999] == 0);
	CHECK_EQ(e2_truncate(&fs, ip, -1), EINVAL);
	CHECK_EQ(e2_truncate(&fs, ip, 1LL << 50), EFBIG);
	e2_close(&fs, ip);
	umnt_fsck();
	cleanup();
}

/* Directories: mkdir, nesting, link counts, rmdir rules, unlink. */
UNIT_TEST(directories)
{
	struct e2_inode *ip;
	int err;

	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "d", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "d", S_IFDIR | 0755, &lk), EEXIST);
	CHECK_EQ(e2_mknod(&fs, &root, "d/e", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "d/e/f", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "d/x/f", S_IFDIR | 0755, &lk), ENOENT);
	CHECK_EQ(e2_mknod(&fs, &root, "dev", S_IFCHR | 0644, &lk), EPERM);
	CHECK_EQ(e2_mknod(&fs, &root, "fifo", S_IFIFO | 0644, &lk), 0);
	CHECK_EQ(put(&root, "d/e/file", "x", 1), 0);
	CHECK((ip = op(&root, "d", O_RDONLY, &err)) != NULL);
	CHECK_EQ(ip->i_d.i_links_count, 3);
	e2_close(&fs, ip);
	CHECK_EQ(e2_unlink(&fs, &root, "d/e", 1, &lk), ENOTEMPTY);
	CHECK_EQ(e2_unlink(&fs, &root, "d/e", 0, &lk), EISDIR);
	CHECK_EQ(e2_unlink(&fs, &root, "d/e/file", 1, &lk), ENOTDIR);
	CHECK_EQ(e2_unlink(&fs, &root, "", 1, &lk), EBUSY);
	CHECK_EQ(e2_unlink(&fs, &root, "d/e/file", 0, &lk), 0);
	CHECK_EQ(e2_unlink(&fs, &root, "d/e/f", 1, &lk), 0);
	CHECK_EQ(e2_unlink(&fs, &root, "d/e/f", 1, &lk), ENOENT);
	CHECK((ip = op(&root, "d/e", O_RDONLY, &err)) != NULL);
	CHECK_EQ(ip->i_d.i_links_count, 2);
	e2_close(&fs, ip);
	CHECK_EQ(op(&root, "d", O_WRONLY, &err) == NULL && err == EISDIR, 1);
	CHECK_EQ(e2_walk(&fs, &root, "d/e/../e/./..", 1, &lk), 0);
	CHECK_EQ(lk.l_dir, 0);
	umnt_fsck();
	cleanup();
}

/* Thousands of entries in one directory, half removed, others added in the holes. */
UNIT_TEST(many_entries)
{
	char p[64], name[E2_NAME_MAX + 1];
	struct e2_inode *d;
	unsigned char t;
	uint32_t ino;
	int64_t pos = 0;
	int n = 0, err;

	mkimg(1024, 16, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "m", S_IFDIR | 0755, &lk), 0);
	for (int i = 0; i < 3000; i++) {
		snprintf(p, sizeof(p), "m/file-with-a-longish-name-%05d", i);
		CHECK_EQ(put(&root, p, p, strlen(p)), 0);
	}
	for (int i = 0; i < 3000; i += 2) {
		snprintf(p, sizeof(p), "m/file-with-a-longish-name-%05d", i);
		CHECK_EQ(e2_unlink(&fs, &root, p, 0, &lk), 0);
	}
	for (int i = 0; i < 500; i++) {
		snprintf(p, sizeof(p), "m/n%d", i);
		CHECK_EQ(put(&root, p, "", 0), 0);
	}
	CHECK((d = op(&root, "m", O_RDONLY, &err)) != NULL);
	while (e2_readdir(&fs, d, &pos, name, &ino, &t) == 1)
		n++;
	e2_close(&fs, d);
	CHECK_EQ(n, 2 + 1500 + 500);
	CHECK(exists("m/file-with-a-longish-name-02999"));
	CHECK(!exists("m/file-with-a-longish-name-02998"));
	umnt_fsck();
	host_sees("/m/file-with-a-longish-name-01001", "m/file-with-a-longish-name-01001");
	cleanup();
}

/* An htree directory (made by e2fsck -D): read, changed, the index flag cleared, e2fsck clean. */
UNIT_TEST(dir_index)
{
	char st[64];
	struct e2_inode *d;
	int err;

	snprintf(st, sizeof(st), "/tmp/e2stage.XXXXXX");
	CHECK(mkdtemp(st) != NULL);
	CHECK_EQ(sh("mkdir %s/big && for i in $(seq 1 400); do : >%s/big/entry-number-$i; done",
	    st, st), 0);
	mkimg(1024, 8, NULL, st);
	sh("e2fsck -fyD %s >/dev/null 2>&1", img);	/* mke2fs -d makes it linear: index it */
	CHECK_EQ(sh("debugfs -R 'stat /big' %s 2>/dev/null | grep -q 'Flags: 0x1000'", img), 0);
	CHECK_EQ(mnt(0), 0);
	CHECK(exists("big/entry-number-377"));
	CHECK_EQ(put(&root, "big/new", "n", 1), 0);
	CHECK_EQ(e2_unlink(&fs, &root, "big/entry-number-5", 0, &lk), 0);
	CHECK((d = op(&root, "big", O_RDONLY, &err)) != NULL);
	CHECK_EQ(d->i_d.i_flags & E2_INDEX_FL, 0);
	e2_close(&fs, d);
	umnt_fsck();
	sh("rm -rf %s", st);
	cleanup();
}

UNIT_TEST(symlinks)
{
	static char longt[300];
	char b[E2_PATH_MAX];
	int err;

	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "d", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(put(&root, "d/t", "target\n", 7), 0);
	CHECK_EQ(e2_symlink(&fs, &root, "fast", "d/t", &lk), 0);
	memset(longt, 'x', sizeof(longt) - 1);
	memcpy(longt, "d/./", 4);
	memcpy(longt + sizeof(longt) - 6, "/../t", 6);
	longt[4] = 'd', longt[5] = '/';
	CHECK_EQ(e2_symlink(&fs, &root, "slow", "/etc/elsewhere", &lk), 0);
	CHECK_EQ(e2_symlink(&fs, &root, "long", longt, &lk), 0);	/* a slow symlink */
	CHECK_EQ(e2_symlink(&fs, &root, "fast", "x", &lk), EEXIST);
	CHECK_EQ(e2_symlink(&fs, &root, "loop", "loop", &lk), 0);
	CHECK_EQ(get("fast", b, sizeof(b)), 7);
	CHECK_EQ(e2_readlink(&fs, &root, "fast", &lk, b), 0);
	CHECK_STR(b, "d/t");
	CHECK_EQ(e2_readlink(&fs, &root, "long", &lk, b), 0);
	CHECK_EQ(strlen(b), sizeof(longt) - 1);
	CHECK_EQ(e2_readlink(&fs, &root, "d", &lk, b), EINVAL);
	CHECK_EQ(e2_walk(&fs, &root, "slow", 1, &lk), E2_REDIRECT);
	CHECK_STR(lk.l_path, "/etc/elsewhere");
	CHECK_EQ(e2_walk(&fs, &root, "loop", 1, &lk), ELOOP);
	CHECK_EQ(op(&root, "fast", O_RDONLY | O_NOFOLLOW, &err) == NULL && err == ELOOP, 1);
	CHECK_EQ(e2_unlink(&fs, &root, "long", 0, &lk), 0);
	umnt_fsck();
	cleanup();
}

UNIT_TEST(hard_links_and_open_unlinked)
{
	struct e2_inode *ip, *a;
	char b[64];
	size_t done;
	int err;
	uint32_t freei;

	mkimg(4096, 8, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	freei = fs.f_sb.s_free_inodes_count;
	CHECK_EQ(put(&root, "one", "shared", 6), 0);
	CHECK((ip = op(&root, "one", O_RDWR, &err)) != NULL);
	CHECK_EQ(e2_link(&fs, &root, ip, "two", &lk), 0);
	CHECK_EQ(e2_link(&fs, &root, ip, "two", &lk), EEXIST);
	CHECK_EQ(ip->i_d.i_links_count, 2);
	CHECK_EQ(e2_unlink(&fs, &root, "one", 0, &lk), 0);
	CHECK_EQ(get("two", b, sizeof(b)), 6);
	CHECK_EQ(e2_unlink(&fs, &root, "two", 0, &lk), 0);
	CHECK_EQ(ip->i_d.i_links_count, 0);
	CHECK_EQ(e2_write(&fs, ip, 6, "!", 1, &done), 0);	/* still usable while open */
	CHECK_EQ(e2_read(&fs, ip, 0, b, 7), 7);
	CHECK_EQ(e2_link(&fs, &root, ip, "three", &lk), ENOENT);
	CHECK_EQ(fs.f_sb.s_free_inodes_count, freei - 1);
	e2_close(&fs, ip);	/* the last close frees it */
	CHECK_EQ(fs.f_sb.s_free_inodes_count, freei);
	CHECK((a = op(&root, "", O_RDONLY, &err)) != NULL);
	CHECK_EQ(e2_link(&fs, &root, a, "dirlink", &lk), EPERM);
	e2_close(&fs, a);
	umnt_fsck();
	cleanup();
}

UNIT_TEST(rename_rules)
{
	struct e2_inode *ip;
	char b[64];
	int err;

	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "a", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "a/sub", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "b", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "full", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(put(&root, "full/x", "x", 1), 0);
	CHECK_EQ(put(&root, "f", "file f", 6), 0);
	CHECK_EQ(put(&root, "g", "file g", 6), 0);
	CHECK_EQ(e2_rename(&fs, &root, "f", "a/f2", &lk), 0);
	CHECK_EQ(get("a/f2", b, sizeof(b)), 6);
	CHECK(!exists("f"));
	CHECK_EQ(e2_rename(&fs, &root, "g", "a/f2", &lk), 0);	/* replaces */
	CHECK_EQ(get("a/f2", b, sizeof(b)), 6);
	CHECK_STR(b, "file g");
	CHECK_EQ(e2_rename(&fs, &root, "a", "a/sub/x", &lk), EINVAL);
	CHECK_EQ(e2_rename(&fs, &root, "a", "full", &lk), ENOTEMPTY);
	CHECK_EQ(e2_rename(&fs, &root, "a/f2", "b", &lk), EISDIR);
	CHECK_EQ(e2_rename(&fs, &root, "b", "a/f2", &lk), ENOTDIR);
	CHECK_EQ(e2_rename(&fs, &root, "", "z", &lk), EBUSY);
	CHECK_EQ(e2_rename(&fs, &root, "nope", "z", &lk), ENOENT);
	CHECK_EQ(e2_rename(&fs, &root, "a/sub", "b/sub", &lk), 0);	/* ".." moves */
	CHECK_EQ(e2_rename(&fs, &root, "a/f2", "a/f2", &lk), 0);
	CHECK_EQ(e2_walk(&fs, &root, "b/sub/..", 0, &lk), 0);
	CHECK((ip = op(&root, "b", O_RDONLY, &err)) != NULL);
	CHECK_EQ(lk.l_ino, ip->i_ino);
	CHECK_EQ(ip->i_d.i_links_count, 3);
	e2_close(&fs, ip);
	CHECK_EQ(e2_mknod(&fs, &root, "empty", S_IFDIR | 0755, &lk), 0);
	CHECK_EQ(e2_rename(&fs, &root, "b/sub", "empty", &lk), 0);	/* onto an empty dir */
	CHECK((ip = op(&root, "b", O_RDONLY, &err)) != NULL);
	CHECK_EQ(ip->i_d.i_links_count, 2);
	e2_close(&fs, ip);
	umnt_fsck();
	cleanup();
}

UNIT_TEST(permissions_attrs)
{
	struct e2_inode *ip;
	struct timespec ts[2] = { { 1000, 5 }, { 2000, 7 } }, a, m, c;
	int err;

	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "priv", S_IFDIR | 0700, &lk), 0);
	CHECK_EQ(e2_mknod(&fs, &root, "pub", S_IFDIR | 01777, &lk), 0);
	CHECK_EQ(put(&root, "priv/s", "s", 1), 0);
	CHECK_EQ(op(&user, "priv/s", O_RDONLY, &err) == NULL && err == EACCES, 1);
	CHECK_EQ(put(&user, "priv/new", "", 0), EACCES);
	CHECK_EQ(put(&user, "pub/mine", "m", 1), 0);
	CHECK_EQ(put(&root, "pub/roots", "r", 1), 0);
	CHECK_EQ(e2_unlink(&fs, &user, "pub/roots", 0, &lk), EPERM);	/* sticky */
	CHECK((ip = op(&user, "pub/mine", O_RDWR, &err)) != NULL);
	CHECK_EQ(e2_uid(ip), 1000);
	CHECK_EQ(e2_chmod(&fs, &user, ip, 0600), 0);
	CHECK_EQ(ip->i_d.i_mode, S_IFREG | 0600);
	CHECK_EQ(e2_chown(&fs, &user, ip, 0, -1), EPERM);
	CHECK_EQ(e2_chown(&fs, &root, ip, 70000, 70001), 0);	/* the high 16 bits */
	CHECK_EQ(e2_uid(ip), 70000);
	CHECK_EQ(e2_gid(ip), 70001);
	CHECK_EQ(e2_utimens(&fs, &root, ip, ts), 0);
	e2_times(&fs, ip, &a, &m, &c);
	CHECK_EQ(a.tv_sec, 1000);
	CHECK_EQ(a.tv_nsec, 5);	/* 256-byte inodes keep nanoseconds */
	CHECK_EQ(m.tv_sec, 2000);
	CHECK_EQ(e2_chmod(&fs, &user, ip, 0777), EPERM);
	e2_close(&fs, ip);
	/* Supplementary groups count: a directory of group 50, mode 0770. */
	{
		struct _client_info member = { .euid = 1001, .egid = 1001, .ngroups = 2,
		    .groups = { 7, 50 } };

		CHECK_EQ(e2_mknod(&fs, &root, "grp", S_IFDIR | 0770, &lk), 0);
		CHECK((ip = op(&root, "grp", O_RDONLY, &err)) != NULL);
		CHECK_EQ(e2_chown(&fs, &root, ip, 0, 50), 0);
		e2_close(&fs, ip);
		CHECK_EQ(put(&user, "grp/no", "", 0), EACCES);
		CHECK_EQ(put(&member, "grp/yes", "y", 1), 0);
		CHECK((ip = op(&member, "grp/yes", O_RDWR, &err)) != NULL);
		CHECK_EQ(e2_chown(&fs, &member, ip, -1, 7), 0);		/* to a group it is in */
		CHECK_EQ(e2_gid(ip), 7);
		CHECK_EQ(e2_chown(&fs, &member, ip, -1, 8), EPERM);
		CHECK_EQ(e2_chmod(&fs, &member, ip, 02640), 0);		/* setgid kept: in group 7 */
		CHECK_EQ(ip->i_d.i_mode, S_IFREG | 02640);
		e2_close(&fs, ip);
	}
	umnt_fsck();
	CHECK_EQ(sh("debugfs -R 'stat /pub/mine' %s 2>/dev/null | grep -q 'User: 70000'", img), 0);
	cleanup();
}

/* A small cache (evictions with write-back all the time) gives the same file system. */
UNIT_TEST(small_cache)
{
	static char big[100000], b[100001];
	char p[32];

	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	fs.f_maxbufs = 8;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)i;
	for (int i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "f%d", i);
		CHECK_EQ(put(&root, p, big, sizeof(big) - (size_t)i * 1000), 0);
	}
	CHECK_EQ(get("f7", b, sizeof(b)), (ssize_t)(sizeof(big) - 7000));
	CHECK(memcmp(b, big, sizeof(big) - 7000) == 0);
	CHECK(fs.f_nbufs <= 12);
	umnt_fsck();
	cleanup();
}

/* Read-only mounts: no write reaches the image. */
UNIT_TEST(read_only)
{
	struct e2_inode *ip;
	int err;

	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(mnt(1), 0);
	CHECK_EQ(put(&root, "x", "x", 1), EROFS);
	CHECK_EQ(e2_mknod(&fs, &root, "d", S_IFDIR | 0755, &lk), EROFS);
	CHECK((ip = op(&root, "", O_RDONLY, &err)) != NULL);
	CHECK_EQ(e2_chmod(&fs, &root, ip, 0700), EROFS);
	e2_close(&fs, ip);
	umnt_fsck();
	cleanup();
}

/* Patch the superblock at byte off with n bytes of v, then try to mount. */
static int patched_mount(int off, uint32_t v, int n, int rdonly)
{
	int fd = open(img, O_RDWR), r;

	CHECK(fd >= 0);
	CHECK_EQ(pwrite(fd, &v, (size_t)n, 1024 + off), n);
	r = e2_mount(&fs, fd, "/mnt", rdonly);
	if (r == 0)
		e2_unmount(&fs);
	close(fd);
	return r;
}

UNIT_TEST(refusals)
{
	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(patched_mount(56, 0x1234, 2, 0), EINVAL);	/* magic */
	CHECK(strstr(fs.f_err, "magic") != NULL);
	CHECK_EQ(patched_mount(56, 0xef53, 2, 0), 0);
	CHECK_EQ(patched_mount(96, 0x2 | 0x8000, 4, 0), EINVAL);	/* unknown INCOMPAT */
	CHECK(strstr(fs.f_err, "INCOMPAT") != NULL);
	CHECK_EQ(patched_mount(96, 0x2 | 0x40, 4, 1), EINVAL);	/* extents */
	CHECK(strstr(fs.f_err, "extents") != NULL);
	CHECK_EQ(patched_mount(96, 0x2 | 0x4, 4, 1), EINVAL);	/* needs recovery */
	CHECK_EQ(patched_mount(96, 0x2, 4, 0), 0);
	CHECK_EQ(patched_mount(100, 0x3 | 0x400, 4, 0), EROFS);	/* unknown RO_COMPAT */
	CHECK(strstr(fs.f_err, "read-only") != NULL);
	CHECK_EQ(patched_mount(100, 0x3 | 0x400, 4, 1), 0);	/* ... allowed read-only */
	CHECK_EQ(patched_mount(100, 0x3, 4, 0), 0);
	CHECK_EQ(patched_mount(24, 7, 4, 0), EINVAL);	/* block size 128 KiB */
	CHECK_EQ(patched_mount(24, 0, 4, 0), 0);
	CHECK_EQ(patched_mount(40, 12345, 4, 0), EINVAL);	/* inodes per group */
	CHECK_EQ(patched_mount(76, 5, 4, 0), EINVAL);	/* revision */
	cleanup();
	/* A real ext4 image. */
	snprintf(dir, sizeof(dir), "/tmp/e2test.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(img, sizeof(img), "%s/img", dir);
	CHECK_EQ(sh("mke2fs -q -F -t ext4 %s 8M >/dev/null 2>&1", img), 0);
	CHECK_EQ(mnt(1), EINVAL);
	cleanup();
	CHECK_EQ(__lsan_do_recoverable_leak_check(), 0);
}

/* An inode that says "ext4 extents" in an ext2 image: EIO for it, the rest works. */
UNIT_TEST(extents_without_feature)
{
	int err;

	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(put(&root, "e", "data", 4), 0);
	CHECK_EQ(put(&root, "ok", "fine", 4), 0);
	umnt_fsck();
	CHECK_EQ(sh("debugfs -w -R 'set_inode_field /e flags 0x80000' %s >/dev/null 2>&1", img), 0);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(op(&root, "e", O_RDONLY, &err) == NULL && err == EIO, 1);
	CHECK(strstr(fs.f_err, "extents") != NULL);
	CHECK_EQ(op(&root, "ok", O_RDONLY, &err) != NULL, 0 == 0);
	e2_close(&fs, lk.l_ino ? op(&root, "ok", O_RDONLY, &err) : NULL);
	e2_unmount(&fs);
	close(fs.f_fd);
	cleanup();
}

/* A name of an inode with no links (a stale entry): EIO, and its blocks stay where they are. */
UNIT_TEST(deleted_inode_referenced)
{
	uint32_t freeb;
	int err;

	mkimg(1024, 8, NULL, NULL);
	CHECK_EQ(mnt(0), 0);
	CHECK_EQ(put(&root, "z", "zzzz", 4), 0);
	umnt_fsck();
	CHECK_EQ(sh("debugfs -w -R 'set_inode_field /z links_count 0' %s >/dev/null 2>&1", img), 0);
	CHECK_EQ(mnt(0), 0);
	freeb = fs.f_sb.s_free_blocks_count;
	CHECK_EQ(op(&root, "z", O_RDONLY, &err) == NULL && err == EIO, 1);
	CHECK(strstr(fs.f_err, "deleted inode") != NULL);
	CHECK_EQ(e2_unlink(&fs, &root, "z", 0, &lk), EIO);
	CHECK_EQ(fs.f_sb.s_free_blocks_count, freeb);	/* nothing freed twice */
	e2_unmount(&fs);
	close(fs.f_fd);
	cleanup();
}

/* Visit everything under path, reading every file; errors are fine, crashes are not. */
static void visit(const char *path, int depth)
{
	static char b[65536];
	char name[E2_NAME_MAX + 1], sub[E2_PATH_MAX];
	struct e2_inode *ip;
	unsigned char t;
	uint32_t ino;
	int64_t pos = 0;
	int err, n = 0;

	if (depth > 8 || (ip = op(&root, path, O_RDONLY, &err)) == NULL)
		return;
	if (!S_ISDIR(ip->i_d.i_mode)) {
		for (int64_t off = 0; e2_read(&fs, ip, off, b, sizeof(b)) > 0 && off < (1 << 22);)
			off += sizeof(b);
		e2_close(&fs, ip);
		return;
	}
	while (n++ < 2000 && e2_readdir(&fs, ip, &pos, name, &ino, &t) == 1) {
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "/" : "", name);
		visit(sub, depth + 1);
	}
	e2_close(&fs, ip);
}

/* Random damage to the metadata of a populated image: mount, walk, write, never crash. */
UNIT_TEST(fuzzed_images)
{
	char st[64], orig[160];
	unsigned seed = 12345;
	int mounted = 0;

	staging(st);
	mkimg(1024, 4, NULL, st);
	snprintf(orig, sizeof(orig), "%s/orig", dir);
	CHECK_EQ(sh("cp %s %s", img, orig), 0);
	for (int round = 0; round < 60; round++) {
		int fd;

		CHECK_EQ(sh("cp %s %s", orig, img), 0);
		CHECK((fd = open(img, O_RDWR)) >= 0);
		for (int k = 0; k < 40; k++) {	/* the first 300 KiB: superblock, tables, dirs */
			uint8_t v;
			off_t at;

			seed = seed * 1103515245u + 12345u;
			at = (off_t)((seed >> 8) % (round < 20 ? 2048 : 300 * 1024));
			seed = seed * 1103515245u + 12345u;
			v = (uint8_t)(seed >> 16);
			CHECK_EQ(pwrite(fd, &v, 1, at), 1);
		}
		if (e2_mount(&fs, fd, "/mnt", 0) == 0) {
			mounted++;
			visit("", 0);
			put(&root, "newfile", "x", 1);
			e2_mknod(&fs, &root, "newdir", S_IFDIR | 0755, &lk);
			e2_rename(&fs, &root, "sub", "newdir/sub", &lk);
			e2_unlink(&fs, &root, "etc/motd", 0, &lk);
			e2_unmount(&fs);
		}
		close(fd);
	}
	CHECK(mounted > 10);	/* the damage was not all in the superblock */
	sh("rm -rf %s", st);
	cleanup();
	CHECK_EQ(__lsan_do_recoverable_leak_check(), 0);
}
