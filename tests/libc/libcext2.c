/*
 * libcext2 - fs-ext2 (docs/ext2.md) through libc, on /dev/hd0: an image
 * tools/ext2-image made on the host.  The boots' script starts
 * devb-virtio and this program; /dev/hd1 is a read-only copy (QEMU's
 * readonly=on).  The tests run in order: mount (with
 * mount(8)), the staged files, every operation, a directory of thousands
 * of names, the workload whose result the host checks after the boot
 * (tools/ext2-image verify: e2fsck -fn and every byte), and umount(8).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include "ltest.h"
#include "ext2work.h"

static unsigned char buf[128 * 1024], want[128 * 1024];

static int file_is(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t got;

	if (fd < 0)
		return 0;
	got = read(fd, buf, sizeof(buf));
	close(fd);
	return got == (ssize_t)n && memcmp(buf, data, n) == 0;
}

static int put(const char *path, const void *data, size_t n, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, data, n);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

static int ext2_mount(void)
{
	char *bad[] = { "mount", "-t", "ext2", "/dev/null", "/mnt", NULL };
	char *vfat[] = { "mount", "-t", "vfat", "/dev/hd0", "/mnt", NULL };
	char *ok[] = { "mount", "-t", "ext2", "/dev/hd0", "/mnt", NULL };
	struct stat st, boot;
	FILE *f;
	char line[256];
	int seen = 0;

	LT_EQ(stat("/proc/boot", &boot), 0);
	LT_CHECK(run_prog(bad) != 0);		/* not an ext2 image: refused, said why */
	LT_CHECK(run_prog(vfat) != 0);
	LT_EQ(stat("/mnt", &st), 0);
	LT_EQ(st.st_dev, boot.st_dev);		/* still the image's directory */
	LT_EQ(run_prog(ok), 0);
	LT_EQ(stat("/mnt", &st), 0);
	LT_CHECK(st.st_dev != boot.st_dev);	/* the server's */
	LT_CHECK(run_prog(ok) != 0);		/* EBUSY: mounted already */
	LT_CHECK(S_ISDIR(st.st_mode));
	LT_EQ(st.st_ino, 2);
	LT_CHECK((f = fopen("/proc/mounts", "r")) != NULL);
	while (fgets(line, sizeof(line), f))
		seen |= strstr(line, "fs-ext2 /mnt fs-ext2 rw") != NULL;
	fclose(f);
	LT_CHECK(seen);
	return 0;
}

static int ext2_staged_files(void)
{
	char t[64];
	struct stat st;
	DIR *d;
	struct dirent *e;
	int n = 0;
	ssize_t len;

	LT_CHECK(file_is("/mnt/hello.txt", "hello from the host\n", 20));
	gen(999999, want, 70000);
	LT_CHECK(file_is("/mnt/data/blob", want, 70000));
	LT_EQ(stat("/mnt/data/seq", &st), 0);
	LT_EQ(st.st_size, 23893);
	LT_CHECK(file_is("/mnt/links/rel", "hello from the host\n", 20));
	LT_EQ(len = readlink("/mnt/links/rel", t, sizeof(t)), 12);
	LT_CHECK(memcmp(t, "../hello.txt", 12) == 0);
	LT_EQ(lstat("/mnt/links/rel", &st), 0);
	LT_CHECK(S_ISLNK(st.st_mode));
	LT_EQ(stat("/mnt/sparse", &st), 0);
	LT_EQ(st.st_size, (1 << 20) + 4);
	LT_CHECK(st.st_blocks <= 16);		/* a hole of 1 MiB, one block of data */
	LT_CHECK((d = opendir("/mnt/dir")) != NULL);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] == 'f' && e->d_type == DT_REG;
	closedir(d);
	LT_EQ(n, 50);
	LT_CHECK(file_is("/mnt/dir/f42", "file 42\n", 8));
	return 0;
}

static int ext2_files(void)
{
	struct stat st;
	int fd;

	LT_EQ(mkdir("/mnt/t", 0755), 0);
	LT_EQ(mkdir("/mnt/t", 0755) == -1 && errno == EEXIST, 1);
	LT_EQ(put("/mnt/t/a", "alpha\n", 6, O_TRUNC), 0);
	LT_EQ(put("/mnt/t/a", "beta\n", 5, O_APPEND), 0);
	LT_CHECK(file_is("/mnt/t/a", "alpha\nbeta\n", 11));
	LT_EQ(open("/mnt/t/a", O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST, 1);
	LT_EQ(open("/mnt/t/none", O_RDONLY) == -1 && errno == ENOENT, 1);
	LT_EQ(open("/mnt/t/a/x", O_RDONLY) == -1 && errno == ENOTDIR, 1);
	LT_CHECK((fd = open("/mnt/t/a", O_RDWR)) >= 0);
	LT_EQ(pwrite(fd, "AL", 2, 0), 2);
	LT_EQ(pread(fd, buf, 4, 1), 4);
	LT_CHECK(memcmp(buf, "Lpha", 4) == 0);
	LT_EQ(lseek(fd, 0, SEEK_END), 11);
	LT_EQ(fsync(fd), 0);
	LT_EQ(fdatasync(fd), 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, 11);
	LT_EQ(st.st_nlink, 1);
	close(fd);
	gen(7, want, sizeof(want));		/* a big file in odd pieces */
	LT_CHECK((fd = open("/mnt/t/big", O_WRONLY | O_CREAT, 0600)) >= 0);
	for (size_t at = 0; at < sizeof(want); ) {
		size_t n = sizeof(want) - at < 7777 ? sizeof(want) - at : 7777;

		LT_EQ(write(fd, want + at, n), (ssize_t)n);
		at += n;
	}
	close(fd);
	LT_CHECK(file_is("/mnt/t/big", want, sizeof(want)));
	return 0;
}

static int ext2_sparse_truncate(void)
{
	struct stat st;
	int fd;

	LT_CHECK((fd = open("/mnt/t/sp", O_RDWR | O_CREAT, 0644)) >= 0);
	LT_EQ(pwrite(fd, "end", 3, 50 << 20), 3);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, (50 << 20) + 3);
	LT_CHECK(st.st_blocks <= 64);
	LT_EQ(pread(fd, buf, 8, (50 << 20) - 5), 8);
	LT_CHECK(memcmp(buf, "\0\0\0\0\0end", 8) == 0);
	LT_EQ(lseek(fd, 0, 3 /* SEEK_DATA */), (50 << 20) & ~4095);
	LT_EQ(lseek(fd, 0, 4 /* SEEK_HOLE */), 0);
	LT_EQ(ftruncate(fd, 10), 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, 10);
	LT_EQ(st.st_blocks, 0);
	LT_EQ(ftruncate(fd, 9000), 0);
	LT_EQ(pread(fd, buf, 9000, 0), 9000);
	LT_CHECK(buf[0] == 0 && buf[8999] == 0);
	close(fd);
	LT_EQ(truncate("/mnt/t/sp", 0), 0);
	LT_EQ(stat("/mnt/t/sp", &st), 0);
	LT_EQ(st.st_size, 0);
	return 0;
}

static int ext2_dirs_links_rename(void)
{
	char t[64];
	struct stat st;

	LT_EQ(mkdir("/mnt/t/d", 0755), 0);
	LT_EQ(mkdir("/mnt/t/d/e", 0755), 0);
	LT_EQ(put("/mnt/t/d/e/f", "f", 1, 0), 0);
	LT_EQ(stat("/mnt/t/d", &st), 0);
	LT_EQ(st.st_nlink, 3);
	LT_EQ(rmdir("/mnt/t/d/e") == -1 && errno == ENOTEMPTY, 1);
	LT_EQ(unlink("/mnt/t/d/e") == -1 && errno == EISDIR, 1);
	LT_EQ(rename("/mnt/t/d/e/f", "/mnt/t/g"), 0);
	LT_EQ(rmdir("/mnt/t/d/e"), 0);
	LT_EQ(rename("/mnt/t/d", "/mnt/t/d/x") == -1 && errno == EINVAL, 1);
	LT_EQ(link("/mnt/t/g", "/mnt/t/g2"), 0);
	LT_EQ(stat("/mnt/t/g", &st), 0);
	LT_EQ(st.st_nlink, 2);
	LT_EQ(link("/proc/boot/mount", "/mnt/t/nope") == -1 && errno == EXDEV, 1);
	LT_EQ(rename("/proc/boot/mount", "/mnt/t/nope") == -1 && errno == EXDEV, 1);
	LT_EQ(symlink("g2", "/mnt/t/sl"), 0);
	LT_EQ(symlink("/proc/boot", "/mnt/t/out"), 0);
	LT_EQ(readlink("/mnt/t/sl", t, sizeof(t)), 2);
	LT_CHECK(file_is("/mnt/t/sl", "f", 1));
	LT_EQ(stat("/mnt/t/out/mount", &st), 0);	/* a link out of the file system */
	LT_EQ(rename("/mnt/t/g2", "/mnt/t/g"), 0);	/* two names of one file */
	LT_EQ(put("/mnt/t/h", "h", 1, 0), 0);
	LT_EQ(rename("/mnt/t/h", "/mnt/t/g"), 0);	/* replaces */
	LT_CHECK(file_is("/mnt/t/g", "h", 1));
	LT_EQ(access("/mnt/t/h", F_OK) == -1 && errno == ENOENT, 1);
	return 0;
}

static int ext2_attributes_permissions(void)
{
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1100000000, 5 } };
	struct statvfs sv;
	struct stat st;
	pid_t pid;
	int status, fd;

	LT_EQ(put("/mnt/t/p", "secret", 6, 0), 0);
	LT_EQ(chmod("/mnt/t/p", 0600), 0);
	LT_EQ(chown("/mnt/t/p", 70000, 70001), 0);
	LT_EQ(utimensat(AT_FDCWD, "/mnt/t/p", ts, 0), 0);
	LT_EQ(stat("/mnt/t/p", &st), 0);
	LT_EQ(st.st_mode, S_IFREG | 0600);
	LT_EQ(st.st_uid, 70000);
	LT_EQ(st.st_gid, 70001);
	LT_EQ(st.st_atim.tv_sec, 1000000000);
	LT_EQ(st.st_atim.tv_nsec, 123456789);
	LT_EQ(st.st_mtim.tv_sec, 1100000000);
	LT_EQ(chown("/mnt/t/p", 0, 0), 0);
	LT_EQ(mkdir("/mnt/t/priv", 0700), 0);
	if ((pid = fork()) == 0) {
		int bad = setuid(1000) != 0;

		bad |= open("/mnt/t/p", O_RDONLY) != -1 || errno != EACCES;
		bad |= open("/mnt/t/priv/x", O_CREAT | O_WRONLY, 0644) != -1 || errno != EACCES;
		bad |= chmod("/mnt/t/p", 0777) != -1 || errno != EPERM;
		bad |= unlink("/mnt/t/p") != -1 || errno != EACCES;
		_exit(bad);
	}
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &status, 0), pid);
	LT_EQ(status, 0);
	LT_EQ(statvfs("/mnt", &sv), 0);
	LT_CHECK(sv.f_bsize == 4096 || sv.f_bsize == 1024);
	LT_CHECK(sv.f_bfree > 0 && sv.f_bfree < sv.f_blocks && sv.f_ffree < sv.f_files);
	LT_CHECK((fd = open("/mnt/t/p", O_RDWR)) >= 0);	/* unlinked while open */
	LT_EQ(unlink("/mnt/t/p"), 0);
	LT_EQ(pwrite(fd, "X", 1, 6), 1);
	LT_EQ(pread(fd, buf, 7, 0), 7);
	LT_CHECK(memcmp(buf, "secretX", 7) == 0);
	LT_EQ(close(fd), 0);
	return 0;
}

/* /dev/hd1 is read-only media (QEMU's readonly=on): mounted read-only, every change EROFS. */
static int ext2_read_only_media(void)
{
	char *mnt[] = { "mount", "-t", "ext2", "/dev/hd1", "/ro", NULL };
	char *um[] = { "umount", "/ro", NULL };
	struct statvfs sv;
	int fd;

	LT_EQ(run_prog(mnt), 0);
	LT_CHECK(file_is("/ro/hello.txt", "hello from the host\n", 20));
	LT_EQ(open("/ro/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS, 1);
	LT_EQ(open("/ro/hello.txt", O_WRONLY) == -1 && errno == EROFS, 1);
	LT_EQ(mkdir("/ro/d", 0755) == -1 && errno == EROFS, 1);
	LT_EQ(unlink("/ro/hello.txt") == -1 && errno == EROFS, 1);
	LT_EQ(rename("/ro/hello.txt", "/ro/x") == -1 && errno == EROFS, 1);
	LT_EQ(chmod("/ro/hello.txt", 0600) == -1 && errno == EROFS, 1);
	LT_EQ(statvfs("/ro", &sv), 0);
	LT_EQ(sv.f_flag & ST_RDONLY, ST_RDONLY);
	LT_CHECK((fd = open("/ro/dir/f1", O_RDONLY)) >= 0);
	LT_EQ(read(fd, buf, 16), 7);
	close(fd);
	LT_EQ(run_prog(um), 0);
	return 0;
}

/* fcntl record locks are per file: a lock on one file does not stop one on another. */
static int ext2_record_locks(void)
{
	struct flock wl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	pid_t pid;
	int a, b, status;

	LT_EQ(put("/mnt/t/la", "aaaaaaaaaa", 10, 0), 0);
	LT_EQ(put("/mnt/t/lb", "bbbbbbbbbb", 10, 0), 0);
	LT_CHECK((a = open("/mnt/t/la", O_RDWR)) >= 0);
	LT_EQ(fcntl(a, F_SETLK, &wl), 0);
	if ((pid = fork()) == 0) {
		int fa = open("/mnt/t/la", O_RDWR), fb = open("/mnt/t/lb", O_RDWR), bad = 0;
		struct flock l = wl;

		bad |= fcntl(fa, F_SETLK, &l) != -1 || (errno != EAGAIN && errno != EACCES);
		l = wl;
		bad |= fcntl(fb, F_SETLK, &l) != 0;	/* another file: free */
		l = wl;
		bad |= fcntl(fa, F_GETLK, &l) != 0 || l.l_type != F_WRLCK || l.l_pid != getppid();
		_exit(bad);
	}
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &status, 0), pid);
	LT_EQ(status, 0);
	LT_CHECK((b = open("/mnt/t/la", O_RDONLY)) >= 0);
	LT_EQ(close(b), 0);			/* closing any fd of it drops our locks */
	if ((pid = fork()) == 0) {
		int fa = open("/mnt/t/la", O_RDWR);
		struct flock l = wl;

		_exit(fcntl(fa, F_SETLK, &l) != 0);
	}
	LT_EQ(waitpid(pid, &status, 0), pid);
	LT_EQ(status, 0);
	LT_EQ(close(a), 0);
	return 0;
}

static int rm_tree(const char *path);

/* 3000 random I/O and connect messages (in /mnt/fz only): the server answers on. */
static int ext2_malformed(void)
{
	struct _server_info si;
	uint32_t g[64];
	char b[8];
	int fd, coid;

	srand(4242);
	LT_EQ(mkdir("/mnt/fz", 0755), 0);
	LT_EQ(put("/mnt/fz/f", "fuzz", 4, 0), 0);
	LT_CHECK((fd = open("/mnt/fz/f", O_RDWR)) >= 0);
	LT_EQ(ConnectServerInfo(0, fd, &si), fd);
	coid = ConnectAttach(0, si.pid, si.chid, _NTO_SIDE_CHANNEL, 0);
	LT_CHECK(coid >= 0);
	for (int i = 0; i < 3000; i++) {
		for (int j = 0; j < 64; j++)
			g[j] = (uint32_t)rand();
		if (i % 2) {	/* an I/O message on the fd (never close, connect, dup, openfd) */
			g[0] = (g[0] & 0xffff0000) | (0x100 + (g[0] % 0x1b));
			if ((g[0] & 0xffff) == _IO_CLOSE || (g[0] & 0xffff) == _IO_CONNECT ||
			    (g[0] & 0xffff) == _IO_DUP || (g[0] & 0xffff) == _IO_OPENFD)
				g[0] = (g[0] & 0xffff0000) | _IO_STAT;
			if (i % 4 == 1)
				g[0] &= 0x0000ffff;	/* combine_len 0: reaches the handlers */
			MsgSend_r(fd, g, (size_t)(rand() % 256), b, sizeof(b));
		} else {	/* a connect with random fields, a random name under fz/ */
			struct _io_connect *c = (struct _io_connect *)g;
			char *p = (char *)g + sizeof(*c);
			int pl = rand() % 8;

			c->type = _IO_CONNECT;
			c->subtype = (uint16_t)(rand() % 12);
			c->handle = 1;
			c->path_len = (uint16_t)(pl + 4);
			memcpy(p, "fz/", 3);
			for (int k = 0; k < pl; k++)
				p[3 + k] = "ab.z"[rand() % 4];
			p[3 + pl] = '\0';
			if (rand() % 2)
				c->extra_len = (uint16_t)(rand() % 200);
			MsgSend_r(coid, g, (size_t)(rand() % 2 ? sizeof(g) : sizeof(*c) + (size_t)pl +
			    4), b, sizeof(b));
		}
	}
	ConnectDetach(coid);
	LT_EQ(pread(fd, b, 1, 0) >= 0, 1);		/* still there */
	LT_EQ(close(fd), 0);
	LT_EQ(put("/mnt/fz/ok", "ok", 2, 0), 0);
	LT_CHECK(file_is("/mnt/fz/ok", "ok", 2));
	LT_EQ(rm_tree("/mnt/fz"), 0);
	return 0;
}

/* Remove /mnt/t again: the host's verify wants only the staged and the workload's files. */
static int rm_tree(const char *path)
{
	char sub[512];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int r = 0;

	if (lstat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		r |= rm_tree(sub);
	}
	closedir(d);
	return r | rmdir(path);
}

static int ext2_remove_tree(void)
{
	LT_EQ(rm_tree("/mnt/t"), 0);
	LT_EQ(access("/mnt/t", F_OK) == -1 && errno == ENOENT, 1);
	return 0;
}

static int ext2_thousands_in_one_directory(void)
{
	char p[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	LT_EQ(mkdir("/mnt/many", 0755), 0);
	for (int i = 0; i < 3000; i++) {
		snprintf(p, sizeof(p), "/mnt/many/entry-%05d", i);
		LT_EQ(put(p, p, strlen(p), 0), 0);
	}
	LT_CHECK(file_is("/mnt/many/entry-02999", "/mnt/many/entry-02999", 21));
	LT_CHECK((d = opendir("/mnt/many")) != NULL);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, "entry-", 6) == 0;
	closedir(d);
	LT_EQ(n, 3000);
	LT_EQ(rm_tree("/mnt/many"), 0);
	return 0;
}

/* The workload the host checks (tools/ext2-image's workload_files()). */
static int ext2_workload(void)
{
	char p[64], q[64];
	int fd;

	LT_EQ(mkdir("/mnt/w", 0755), 0);
	for (int d = 0; d < WORK_DIRS; d++) {
		snprintf(p, sizeof(p), "/mnt/w/d%d", d);
		LT_EQ(mkdir(p, 0755), 0);
	}
	for (unsigned i = 0; i < WORK_FILES; i++) {	/* create */
		size_t n = (i * 37) % 3000 + 1;

		snprintf(p, sizeof(p), "/mnt/w/d%u/f%u", i % WORK_DIRS, i);
		gen(i, want, n);
		LT_EQ(put(p, want, n, O_EXCL), 0);
	}
	for (unsigned i = 0; i < WORK_FILES; i += 3) {	/* append */
		size_t n = (i * 13) % 500 + 1;

		snprintf(p, sizeof(p), "/mnt/w/d%u/f%u", i % WORK_DIRS, i);
		gen(i + 100000, want, n);
		LT_EQ(put(p, want, n, O_APPEND), 0);
	}
	for (unsigned i = 0; i < WORK_FILES; i += 5) {	/* rename */
		snprintf(p, sizeof(p), "/mnt/w/d%u/f%u", i % WORK_DIRS, i);
		snprintf(q, sizeof(q), "/mnt/w/d%u/r%u", (i + 1) % WORK_DIRS, i);
		LT_EQ(rename(p, q), 0);
	}
	for (unsigned i = 0; i < WORK_FILES; i += 7) {	/* delete */
		if (i % 5 == 0)
			snprintf(p, sizeof(p), "/mnt/w/d%u/r%u", (i + 1) % WORK_DIRS, i);
		else
			snprintf(p, sizeof(p), "/mnt/w/d%u/f%u", i % WORK_DIRS, i);
		LT_EQ(unlink(p), 0);
	}
	LT_CHECK((fd = open("/mnt/w", O_RDONLY)) >= 0);
	LT_EQ(fsync(fd), 0);
	close(fd);
	return 0;
}

static int ext2_umount(void)
{
	char *um[] = { "umount", "/mnt", NULL };
	struct stat st, boot;
	int fd;

	LT_CHECK((fd = open("/mnt/hello.txt", O_RDONLY)) >= 0);
	LT_CHECK(run_prog(um) != 0);		/* EBUSY: a file is open */
	close(fd);
	LT_EQ(run_prog(um), 0);
	LT_EQ(stat("/proc/boot", &boot), 0);
	LT_EQ(stat("/mnt", &st), 0);
	LT_EQ(st.st_dev, boot.st_dev);		/* the image's directory again */
	LT_CHECK(run_prog(um) != 0);		/* nothing mounted there now */
	return 0;
}

static const struct e2t tests[] = {
	{ "ext2.mount", ext2_mount },
	{ "ext2.staged_files", ext2_staged_files },
	{ "ext2.read_only_media", ext2_read_only_media },
	{ "ext2.files", ext2_files },
	{ "ext2.sparse_truncate", ext2_sparse_truncate },
	{ "ext2.dirs_links_rename", ext2_dirs_links_rename },
	{ "ext2.attributes_permissions", ext2_attributes_permissions },
	{ "ext2.record_locks", ext2_record_locks },
	{ "ext2.remove_tree", ext2_remove_tree },
	{ "ext2.malformed", ext2_malformed },
	{ "ext2.thousands_in_one_directory", ext2_thousands_in_one_directory },
	{ "ext2.workload", ext2_workload },
	{ "ext2.umount", ext2_umount },
};

int main(void)
{
	return run_in_order(tests, (int)(sizeof(tests) / sizeof(tests[0]))) ? 1 : 0;
}
