/*
 * libcram - the RAM file system (fs-ram, docs/ramfs.md) through libc:
 * files, directories, symbolic and hard links, rename, permissions,
 * timestamps, truncate, sparse files, ENOSPC, unlinked open files, two
 * processes at once, and malformed messages.  Runs under taskman; its
 * script starts fs-ram on /tmp and a small one (64 KiB) on /rsmall.
 * Each test works in its own directory under /tmp.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <sys/iomsg.h>
#include "ltest.h"

#ifndef SEEK_DATA		/* Linux's numbers; musl 1.2.3 does not name them */
#define SEEK_DATA	3
#define SEEK_HOLE	4
#endif

/* Write a file whole: 0 or -1. */
static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n = (ssize_t)strlen(s);

	if (fd < 0)
		return -1;
	if (write(fd, s, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Read a file into b (NUL-terminated): its length or -1. */
static ssize_t get(const char *path, char *b, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, b, n - 1);
	close(fd);
	if (r >= 0)
		b[r] = '\0';
	return r;
}

LTEST(ram, file_basic)
{
	char b[64];
	struct stat st;
	int fd;

	LT_EQ(mkdir("/tmp/fb", 0755), 0);
	fd = open("/tmp/fb/a", O_RDWR | O_CREAT | O_EXCL, 0640);
	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, "hello, world", 12), 12);
	LT_EQ(lseek(fd, 0, SEEK_CUR), 12);
	LT_EQ(lseek(fd, 7, SEEK_SET), 7);
	LT_EQ(read(fd, b, sizeof(b)), 5);
	LT_CHECK(memcmp(b, "world", 5) == 0);
	LT_EQ(read(fd, b, sizeof(b)), 0);			/* EOF */
	LT_EQ(pwrite(fd, "W", 1, 7), 1);
	LT_EQ(pread(fd, b, 5, 7), 5);
	LT_CHECK(memcmp(b, "World", 5) == 0);
	LT_EQ(lseek(fd, 0, SEEK_CUR), 12);			/* pread/pwrite keep it */
	LT_EQ(lseek(fd, -2, SEEK_END), 10);
	LT_EQ(lseek(fd, -20, SEEK_END), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(fstat(fd, &st), 0);
	LT_CHECK(S_ISREG(st.st_mode));
	LT_EQ(st.st_mode & 07777, 0640);
	LT_EQ(st.st_size, 12);
	LT_EQ(st.st_nlink, 1);
	LT_EQ(fsync(fd), 0);
	LT_EQ(fdatasync(fd), 0);
	LT_EQ(close(fd), 0);
	LT_EQ(open("/tmp/fb/a", O_RDWR | O_CREAT | O_EXCL, 0640), -1);
	LT_EQ(errno, EEXIST);
	LT_EQ(open("/tmp/fb/nothing", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(open("/tmp/fb/nodir/x", O_RDWR | O_CREAT, 0644), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(open("/tmp/fb/a/x", O_RDONLY), -1);
	LT_EQ(errno, ENOTDIR);
	/* O_APPEND writes at the end whatever the offset. */
	fd = open("/tmp/fb/a", O_WRONLY | O_APPEND);
	LT_CHECK(fd >= 0);
	LT_EQ(lseek(fd, 0, SEEK_SET), 0);
	LT_EQ(write(fd, "!", 1), 1);
	LT_EQ(close(fd), 0);
	LT_EQ(get("/tmp/fb/a", b, sizeof(b)), 13);
	LT_CHECK(strcmp(b, "hello, World!") == 0);
	/* O_TRUNC empties it. */
	fd = open("/tmp/fb/a", O_WRONLY | O_TRUNC);
	LT_CHECK(fd >= 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, 0);
	close(fd);
	LT_EQ(access("/tmp/fb/a", R_OK | W_OK), 0);
	LT_EQ(access("/tmp/fb/a", X_OK), -1);
	LT_EQ(errno, EACCES);
	return 0;
}

/* A large file written in odd pieces and read back in others (several messages each). */
LTEST(ram, big_file)
{
	static unsigned char w[200000], r[200000];
	int fd;

	for (size_t i = 0; i < sizeof(w); i++)
		w[i] = (unsigned char)(i * 31 + (i >> 9));
	fd = open("/tmp/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, w, 70001), 70001);
	LT_EQ(write(fd, w + 70001, sizeof(w) - 70001), sizeof(w) - 70001);
	LT_EQ(lseek(fd, 0, SEEK_SET), 0);
	LT_EQ(read(fd, r, 12345), 12345);
	LT_EQ(read(fd, r + 12345, sizeof(r)), sizeof(r) - 12345);
	LT_CHECK(memcmp(w, r, sizeof(w)) == 0);
	LT_EQ(close(fd), 0);
	LT_EQ(unlink("/tmp/big"), 0);
	return 0;
}

LTEST(ram, sparse)
{
	static char b[8192];
	struct stat st;
	int fd = open("/tmp/sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);

	LT_CHECK(fd >= 0);
	LT_EQ(pwrite(fd, "end", 3, 1 << 20), 3);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, (1 << 20) + 3);
	LT_CHECK(st.st_blocks <= 8);			/* one block, not 257 */
	memset(b, 'x', sizeof(b));
	LT_EQ(pread(fd, b, sizeof(b), 500000), sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		LT_EQ(b[i], 0);
	LT_EQ(pread(fd, b, 10, (1 << 20) - 2), 5);
	LT_CHECK(memcmp(b, "\0\0end", 5) == 0);
	LT_EQ(lseek(fd, 0, SEEK_DATA), 1 << 20);
	LT_EQ(lseek(fd, 0, SEEK_HOLE), 0);
	LT_EQ(lseek(fd, (1 << 20) + 1, SEEK_HOLE), (1 << 20) + 3);
	LT_EQ(lseek(fd, (1 << 20) + 5, SEEK_DATA), -1);
	LT_EQ(errno, ENXIO);
	/* ftruncate: shrink, then grow: the new part reads as zeros. */
	LT_EQ(ftruncate(fd, 10), 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, 10);
	LT_EQ(st.st_blocks, 0);
	LT_EQ(pwrite(fd, "abcdefghij", 10, 0), 10);
	LT_EQ(ftruncate(fd, 4), 0);
	LT_EQ(ftruncate(fd, 100), 0);
	memset(b, 'x', 100);
	LT_EQ(pread(fd, b, 100, 0), 100);
	LT_CHECK(memcmp(b, "abcd\0\0", 6) == 0 && b[99] == 0);
	LT_EQ(close(fd), 0);
	LT_EQ(truncate("/tmp/sparse", 2), 0);
	LT_EQ(stat("/tmp/sparse", &st), 0);
	LT_EQ(st.st_size, 2);
	fd = open("/tmp/sparse", O_RDONLY);
	LT_EQ(ftruncate(fd, 0), -1);			/* not open for writing */
	LT_EQ(errno, EINVAL);
	close(fd);
	LT_EQ(truncate("/tmp", 0), -1);
	LT_EQ(errno, EISDIR);
	LT_EQ(unlink("/tmp/sparse"), 0);
	return 0;
}

LTEST(ram, directories)
{
	char long_name[7 + 256 + 1] = "/tmp/d/", name255[7 + 255 + 1] = "/tmp/d/";
	struct stat st;
	int fd;

	memset(long_name + 7, 'a', 256);
	long_name[7 + 256] = '\0';
	memset(name255 + 7, 'b', 255);
	name255[7 + 255] = '\0';
	LT_EQ(mkdir("/tmp/d", 0755), 0);
	LT_EQ(mkdir("/tmp/d", 0755), -1);
	LT_EQ(errno, EEXIST);
	LT_EQ(mkdir("/tmp/d/sub", 0700), 0);
	LT_EQ(stat("/tmp/d", &st), 0);
	LT_CHECK(S_ISDIR(st.st_mode));
	LT_EQ(st.st_nlink, 3);				/* ".", its name, sub's ".." */
	LT_EQ(put("/tmp/d/f", "x"), 0);
	LT_EQ(rmdir("/tmp/d"), -1);
	LT_EQ(errno, ENOTEMPTY);
	LT_EQ(rmdir("/tmp/d/f"), -1);
	LT_EQ(errno, ENOTDIR);
	LT_EQ(unlink("/tmp/d/sub"), -1);
	LT_EQ(errno, EISDIR);
	LT_EQ(open("/tmp/d/f", O_RDONLY | O_DIRECTORY), -1);
	LT_EQ(errno, ENOTDIR);
	LT_EQ(open("/tmp/d", O_WRONLY), -1);
	LT_EQ(errno, EISDIR);
	LT_EQ(mkdir("/tmp/d/f/x", 0755), -1);
	LT_EQ(errno, ENOTDIR);
	LT_EQ(open(long_name, O_RDWR | O_CREAT, 0644), -1);
	LT_EQ(errno, ENAMETOOLONG);
	LT_EQ(mkdir(long_name, 0755), -1);
	LT_EQ(errno, ENAMETOOLONG);
	/* a 255-byte name is fine */
	fd = open(name255, O_RDWR | O_CREAT | O_EXCL, 0644);
	LT_CHECK(fd >= 0);
	close(fd);
	LT_EQ(unlink(name255), 0);
	LT_EQ(rmdir("/tmp"), -1);
	LT_EQ(errno, EBUSY);
	/* chdir and relative names */
	LT_EQ(chdir("/tmp/d/sub"), 0);
	LT_EQ(put("rel", "r"), 0);
	LT_EQ(stat("/tmp/d/sub/rel", &st), 0);
	LT_EQ(unlink("../sub/rel"), 0);
	LT_EQ(chdir("/tmp"), 0);
	LT_EQ(rmdir("/tmp/d/sub"), 0);
	LT_EQ(unlink("/tmp/d/f"), 0);
	LT_EQ(stat("/tmp/d", &st), 0);
	LT_EQ(st.st_nlink, 2);
	LT_EQ(rmdir("/tmp/d"), 0);
	LT_EQ(stat("/tmp/d", &st), -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

/* opendir/readdir list every name once, with ".", ".." and d_type. */
LTEST(ram, readdir)
{
	int seen[40] = { 0 }, dots = 0, n = 0;
	struct dirent *e;
	char p[64];
	DIR *d;

	LT_EQ(mkdir("/tmp/rd", 0755), 0);
	for (int i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "/tmp/rd/name-%02d-%s", i, i % 3 ? "file" : "long-ish-name");
		if (i == 39)
			LT_EQ(mkdir(p, 0755), 0);
		else
			LT_EQ(put(p, "x"), 0);
	}
	LT_EQ(unlink("/tmp/rd/name-05-file"), 0);
	seen[5] = 1;
	d = opendir("/tmp/rd");
	LT_CHECK(d != NULL);
	while ((e = readdir(d)) != NULL) {
		int i;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
			LT_EQ(e->d_type, DT_DIR);
			dots++;
			continue;
		}
		LT_CHECK(sscanf(e->d_name, "name-%d-", &i) == 1 && i >= 0 && i < 40);
		LT_EQ(seen[i], 0);
		seen[i] = 1;
		LT_EQ(e->d_type, i == 39 ? DT_DIR : DT_REG);
		n++;
	}
	LT_EQ(dots, 2);
	LT_EQ(n, 39);
	rewinddir(d);
	n = 0;
	while (readdir(d) != NULL)
		n++;
	LT_EQ(n, 41);
	LT_EQ(closedir(d), 0);
	LT_CHECK(opendir("/tmp/rd/name-01-file") == NULL);
	LT_EQ(errno, ENOTDIR);
	/* removing every entry while reading (rm -r's pattern) misses none */
	d = opendir("/tmp/rd");
	LT_CHECK(d != NULL);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/tmp/rd/%.40s", e->d_name);
		LT_EQ(e->d_type == DT_DIR ? rmdir(p) : unlink(p), 0);
	}
	closedir(d);
	LT_EQ(rmdir("/tmp/rd"), 0);
	return 0;
}

LTEST(ram, symlinks)
{
	char b[128];
	struct stat st;
	int fd;

	LT_EQ(mkdir("/tmp/sl", 0755), 0);
	LT_EQ(mkdir("/tmp/sl/dir", 0755), 0);
	LT_EQ(put("/tmp/sl/dir/f", "in dir"), 0);
	LT_EQ(symlink("dir/f", "/tmp/sl/rel"), 0);		/* relative */
	LT_EQ(symlink("/tmp/sl/dir", "/tmp/sl/abs"), 0);	/* absolute, a directory */
	LT_EQ(symlink("/proc/boot/motd", "/tmp/sl/out"), 0);	/* out of the file system */
	LT_EQ(symlink("nowhere", "/tmp/sl/dangling"), 0);
	LT_EQ(symlink("loop2", "/tmp/sl/loop1"), 0);
	LT_EQ(symlink("loop1", "/tmp/sl/loop2"), 0);
	LT_EQ(symlink("x", "/tmp/sl/rel"), -1);
	LT_EQ(errno, EEXIST);
	LT_EQ(get("/tmp/sl/rel", b, sizeof(b)), 6);
	LT_CHECK(strcmp(b, "in dir") == 0);
	LT_EQ(get("/tmp/sl/abs/f", b, sizeof(b)), 6);		/* a link in the middle */
	LT_CHECK(get("/tmp/sl/out", b, sizeof(b)) > 0);		/* followed by libc to taskman */
	LT_EQ(readlink("/tmp/sl/rel", b, sizeof(b)), 5);
	LT_CHECK(memcmp(b, "dir/f", 5) == 0);
	LT_EQ(readlink("/tmp/sl/abs", b, 4), 4);		/* truncated */
	LT_EQ(readlink("/tmp/sl/dir", b, sizeof(b)), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(lstat("/tmp/sl/rel", &st), 0);
	LT_CHECK(S_ISLNK(st.st_mode));
	LT_EQ(st.st_size, 5);
	LT_CHECK(st.st_ino != 0 && st.st_nlink == 1);	/* the link's own inode */
	LT_EQ(stat("/tmp/sl/rel", &st), 0);
	LT_CHECK(S_ISREG(st.st_mode));
	LT_EQ(stat("/tmp/sl/abs", &st), 0);
	LT_CHECK(S_ISDIR(st.st_mode));
	LT_EQ(open("/tmp/sl/rel", O_RDONLY | O_NOFOLLOW), -1);
	LT_EQ(errno, ELOOP);
	LT_EQ(open("/tmp/sl/loop1", O_RDONLY), -1);
	LT_EQ(errno, ELOOP);
	LT_EQ(open("/tmp/sl/dangling", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	fd = open("/tmp/sl/dangling", O_WRONLY | O_CREAT, 0644);	/* creates the target */
	LT_CHECK(fd >= 0);
	close(fd);
	LT_EQ(stat("/tmp/sl/nowhere", &st), 0);
	LT_EQ(open("/tmp/sl/rel", O_WRONLY | O_CREAT | O_EXCL, 0644), -1);
	LT_EQ(errno, EEXIST);
	LT_EQ(unlink("/tmp/sl/abs"), 0);			/* the link, not the directory */
	LT_EQ(stat("/tmp/sl/dir", &st), 0);
	LT_EQ(unlink("/tmp/sl/rel"), 0);
	LT_EQ(stat("/tmp/sl/dir/f", &st), 0);
	return 0;
}

LTEST(ram, hard_links)
{
	char b[32];
	struct stat st, st2;

	LT_EQ(mkdir("/tmp/hl", 0755), 0);
	LT_EQ(mkdir("/tmp/hl/other", 0755), 0);
	LT_EQ(put("/tmp/hl/a", "shared"), 0);
	LT_EQ(link("/tmp/hl/a", "/tmp/hl/other/b"), 0);
	LT_EQ(stat("/tmp/hl/a", &st), 0);
	LT_EQ(stat("/tmp/hl/other/b", &st2), 0);
	LT_EQ(st.st_nlink, 2);
	LT_EQ(st.st_ino, st2.st_ino);
	LT_EQ(link("/tmp/hl/a", "/tmp/hl/other/b"), -1);
	LT_EQ(errno, EEXIST);
	LT_EQ(link("/tmp/hl/other", "/tmp/hl/dirlink"), -1);
	LT_EQ(errno, EPERM);
	LT_EQ(link("/proc/boot/motd", "/tmp/hl/motd"), -1);	/* another server */
	LT_EQ(errno, EXDEV);
	LT_EQ(put("/rsmall/x", "x"), 0);
	LT_EQ(link("/rsmall/x", "/tmp/hl/x"), -1);		/* another fs-ram */
	LT_EQ(errno, EXDEV);
	LT_EQ(unlink("/rsmall/x"), 0);
	LT_EQ(link("/tmp/hl/none", "/tmp/hl/c"), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(unlink("/tmp/hl/a"), 0);
	LT_EQ(get("/tmp/hl/other/b", b, sizeof(b)), 6);		/* survives */
	LT_CHECK(strcmp(b, "shared") == 0);
	LT_EQ(stat("/tmp/hl/other/b", &st), 0);
	LT_EQ(st.st_nlink, 1);
	return 0;
}

LTEST(ram, rename)
{
	char b[32];
	struct stat st;

	LT_EQ(mkdir("/tmp/rn", 0755), 0);
	LT_EQ(mkdir("/tmp/rn/a", 0755), 0);
	LT_EQ(mkdir("/tmp/rn/b", 0755), 0);
	LT_EQ(put("/tmp/rn/a/f", "one"), 0);
	LT_EQ(rename("/tmp/rn/a/f", "/tmp/rn/a/g"), 0);		/* in one directory */
	LT_EQ(rename("/tmp/rn/a/g", "/tmp/rn/b/h"), 0);		/* across directories */
	LT_EQ(stat("/tmp/rn/a/g", &st), -1);
	LT_EQ(get("/tmp/rn/b/h", b, sizeof(b)), 3);
	LT_EQ(put("/tmp/rn/b/i", "two"), 0);
	LT_EQ(rename("/tmp/rn/b/i", "/tmp/rn/b/h"), 0);		/* replaces */
	LT_EQ(get("/tmp/rn/b/h", b, sizeof(b)), 3);
	LT_CHECK(strcmp(b, "two") == 0);
	LT_EQ(rename("/tmp/rn/b/h", "/tmp/rn/b/h"), 0);		/* itself: nothing */
	/* directories */
	LT_EQ(mkdir("/tmp/rn/a/deep", 0755), 0);
	LT_EQ(rename("/tmp/rn/a", "/tmp/rn/a/deep/x"), -1);
	LT_EQ(errno, EINVAL);					/* into its own subtree */
	LT_EQ(rename("/tmp/rn/a", "/tmp/rn/b"), -1);
	LT_EQ(errno, ENOTEMPTY);
	LT_EQ(rename("/tmp/rn/b/h", "/tmp/rn/a"), -1);
	LT_EQ(errno, EISDIR);
	LT_EQ(rename("/tmp/rn/a", "/tmp/rn/b/h"), -1);
	LT_EQ(errno, ENOTDIR);
	LT_EQ(rename("/tmp/rn/nothing", "/tmp/rn/x"), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(rename("/tmp/rn/a", "/tmp/rn/b/moved"), 0);	/* a directory moves */
	LT_EQ(stat("/tmp/rn/b/moved/deep", &st), 0);
	LT_EQ(stat("/tmp/rn/b", &st), 0);
	LT_EQ(st.st_nlink, 3);
	LT_EQ(mkdir("/tmp/rn/empty", 0755), 0);
	LT_EQ(rename("/tmp/rn/b/moved", "/tmp/rn/empty"), 0);	/* onto an empty directory */
	LT_EQ(stat("/tmp/rn/empty/deep", &st), 0);
	/* across servers */
	LT_EQ(rename("/proc/boot/motd", "/tmp/rn/motd"), -1);
	LT_EQ(errno, EXDEV);
	LT_EQ(rename("/tmp/rn/b/h", "/rsmall/h"), -1);
	LT_EQ(errno, EXDEV);
	return 0;
}

/* An open file that loses its last name stays readable until it is closed. */
LTEST(ram, open_unlinked)
{
	char b[16];
	struct stat st;
	int fd;

	LT_EQ(put("/tmp/ul", "still here"), 0);
	fd = open("/tmp/ul", O_RDWR);
	LT_CHECK(fd >= 0);
	LT_EQ(unlink("/tmp/ul"), 0);
	LT_EQ(open("/tmp/ul", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_nlink, 0);
	LT_EQ(pread(fd, b, sizeof(b), 0), 10);
	LT_CHECK(memcmp(b, "still here", 10) == 0);
	LT_EQ(pwrite(fd, "S", 1, 0), 1);
	LT_EQ(pread(fd, b, 1, 0), 1);
	LT_EQ(b[0], 'S');
	LT_EQ(close(fd), 0);
	LT_EQ(put("/tmp/ul", "new"), 0);			/* the name is free */
	LT_EQ(unlink("/tmp/ul"), 0);
	return 0;
}

LTEST(ram, timestamps)
{
	time_t t0 = time(NULL);
	struct timespec ts[2] = { { t0 + 100000, 5 }, { t0 + 200000, 7 } };
	struct stat st;
	int fd;

	LT_EQ(put("/tmp/ts", "a"), 0);
	LT_EQ(utimensat(AT_FDCWD, "/tmp/ts", ts, 0), 0);
	LT_EQ(stat("/tmp/ts", &st), 0);
	LT_EQ(st.st_atim.tv_sec, t0 + 100000);
	LT_EQ(st.st_mtim.tv_sec, t0 + 200000);
	LT_EQ(st.st_mtim.tv_nsec, 7);
	LT_CHECK(st.st_ctime >= t0 && st.st_ctime < t0 + 100);
	fd = open("/tmp/ts", O_WRONLY | O_APPEND);
	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, "b", 1), 1);				/* write moves mtime to now */
	LT_EQ(fstat(fd, &st), 0);
	LT_CHECK(st.st_mtime >= t0 && st.st_mtime < t0 + 100);
	LT_EQ(st.st_atime, t0 + 100000);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1] = (struct timespec){ 3000, 0 };
	LT_EQ(futimens(fd, ts), 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_atime, t0 + 100000);
	LT_EQ(st.st_mtime, 3000);
	ts[1].tv_nsec = 2000000000;
	LT_EQ(futimens(fd, ts), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(futimens(fd, NULL), 0);				/* now */
	LT_EQ(fstat(fd, &st), 0);
	LT_CHECK(st.st_mtime >= t0 && st.st_mtime < t0 + 100);
	LT_CHECK(st.st_atime >= t0 && st.st_atime < t0 + 100);
	close(fd);
	LT_EQ(unlink("/tmp/ts"), 0);
	return 0;
}

LTEST(ram, attributes)
{
	struct stat st;

	LT_EQ(put("/tmp/at", "a"), 0);
	LT_EQ(chmod("/tmp/at", 0604), 0);
	LT_EQ(stat("/tmp/at", &st), 0);
	LT_EQ(st.st_mode & 07777, 0604);
	LT_EQ(chown("/tmp/at", 42, 43), 0);
	LT_EQ(stat("/tmp/at", &st), 0);
	LT_EQ(st.st_uid, 42);
	LT_EQ(st.st_gid, 43);
	LT_EQ(chown("/tmp/at", -1, 44), 0);
	LT_EQ(stat("/tmp/at", &st), 0);
	LT_EQ(st.st_uid, 42);
	LT_EQ(st.st_gid, 44);
	LT_EQ(unlink("/tmp/at"), 0);
	return 0;
}

/* A child that drops root: the mode bits and the sticky bit hold (its status: the first check that failed). */
LTEST(ram, permissions)
{
	int st = -1;
	pid_t pid;

	LT_EQ(mkdir("/tmp/perm", 0755), 0);
	LT_EQ(put("/tmp/perm/secret", "s"), 0);
	LT_EQ(chmod("/tmp/perm/secret", 0600), 0);
	LT_EQ(put("/tmp/perm/public", "p"), 0);
	LT_EQ(put("/tmp/rootfile", "r"), 0);
	LT_EQ(mkdir("/tmp/perm/closed", 0700), 0);
	LT_EQ(put("/tmp/perm/closed/f", "c"), 0);
	pid = fork();
	if (pid == 0) {
		struct stat s;
		int fd;

		if (setgid(1000) != 0 || setuid(1000) != 0)
			_exit(100);
		if (open("/tmp/perm/secret", O_RDONLY) != -1 || errno != EACCES)
			_exit(1);
		if (open("/tmp/perm/public", O_WRONLY) != -1 || errno != EACCES)
			_exit(2);
		if (open("/tmp/perm/public", O_RDONLY) < 0)
			_exit(3);
		if (open("/tmp/perm/new", O_WRONLY | O_CREAT, 0644) != -1 || errno != EACCES)
			_exit(4);				/* no write on the directory */
		if (unlink("/tmp/perm/public") != -1 || errno != EACCES)
			_exit(5);
		if (chmod("/tmp/perm/public", 0666) != -1 || errno != EPERM)
			_exit(6);
		if (stat("/tmp/perm/closed/f", &s) != -1 || errno != EACCES)
			_exit(7);			/* no search on closed */
		if (stat("/tmp/perm/secret", &s) != 0)	/* stat needs no read permission */
			_exit(8);
		if (access("/tmp/perm/public", W_OK) != -1 || errno != EACCES)
			_exit(9);
		if (access("/tmp/perm/public", R_OK) != 0)
			_exit(10);
		fd = open("/tmp/mine", O_RDWR | O_CREAT, 0600);	/* /tmp is 1777 */
		if (fd < 0 || fstat(fd, &s) != 0 || s.st_uid != 1000 || s.st_gid != 1000)
			_exit(11);
		close(fd);
		if (unlink("/tmp/rootfile") != -1 || errno != EPERM)
			_exit(12);			/* the sticky bit */
		if (rename("/tmp/rootfile", "/tmp/stolen") != -1 || errno != EPERM)
			_exit(13);
		if (chown("/tmp/mine", 0, -1) != -1 || errno != EPERM)
			_exit(14);
		if (unlink("/tmp/mine") != 0)
			_exit(15);
		_exit(0);
	}
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	LT_EQ(unlink("/tmp/rootfile"), 0);
	return 0;
}

/*
 * A supplementary group opens what its members may use: the server learns
 * the client's groups from taskman with its ids.  One child is in group
 * 2000 (setgroups before setuid), one is not.
 */
static int team_child(int member)
{
	gid_t g = 2000;
	struct stat s;
	int fd;

	if (setgroups(member ? 1 : 0, &g) != 0 || setgid(1000) != 0 || setuid(1000) != 0)
		return 100;
	fd = open("/tmp/team/f", O_RDWR);
	if (!member)
		return fd == -1 && errno == EACCES &&
		    stat("/tmp/team/f", &s) == -1 && errno == EACCES ? 0 : 1;
	if (fd < 0)
		return 2;
	close(fd);
	if ((fd = open("/tmp/team/new", O_RDWR | O_CREAT, 0600)) < 0)
		return 3;				/* the directory is group-writable */
	if (fstat(fd, &s) != 0 || s.st_uid != 1000 || s.st_gid != 1000)
		return 4;
	close(fd);
	if (chown("/tmp/team/new", -1, 2000) != 0)	/* to a group of its own */
		return 5;
	if (chown("/tmp/team/new", -1, 2001) != -1 || errno != EPERM)
		return 6;
	if (stat("/tmp/team/new", &s) != 0 || s.st_gid != 2000)
		return 7;
	return unlink("/tmp/team/new") == 0 ? 0 : 8;
}

LTEST(ram, supplementary_groups)
{
	int st = -1;
	pid_t pid;

	LT_EQ(mkdir("/tmp/team", 0770), 0);
	LT_EQ(chmod("/tmp/team", 0770), 0);		/* past the umask */
	LT_EQ(chown("/tmp/team", 0, 2000), 0);
	LT_EQ(put("/tmp/team/f", "t"), 0);
	LT_EQ(chmod("/tmp/team/f", 0660), 0);
	LT_EQ(chown("/tmp/team/f", 0, 2000), 0);
	for (int member = 0; member < 2; member++) {
		if ((pid = fork()) == 0)
			_exit(team_child(member));
		LT_CHECK(pid > 0);
		LT_EQ(waitpid(pid, &st, 0), pid);
		LT_CHECK(WIFEXITED(st));
		LT_EQ(WEXITSTATUS(st), 0);
	}
	LT_EQ(unlink("/tmp/team/f"), 0);
	LT_EQ(rmdir("/tmp/team"), 0);
	return 0;
}

/* /rsmall holds 64 KiB: writing more gives a short count, then ENOSPC; unlink frees it. */
LTEST(ram, enospc)
{
	static char b[40000];
	int fd, fd2;

	memset(b, 'z', sizeof(b));
	fd = open("/rsmall/one", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, b, sizeof(b)), sizeof(b));
	fd2 = open("/rsmall/two", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	LT_CHECK(fd2 >= 0);
	LT_EQ(write(fd2, b, sizeof(b)), 65536 - 40960);	/* what is left, in blocks */
	LT_EQ(write(fd2, b, 1), -1);
	LT_EQ(errno, ENOSPC);
	LT_EQ(close(fd), 0);
	LT_EQ(unlink("/rsmall/one"), 0);
	LT_EQ(write(fd2, b, sizeof(b)), sizeof(b));		/* space came back */
	LT_EQ(close(fd2), 0);
	LT_EQ(unlink("/rsmall/two"), 0);
	return 0;
}

/* Two processes append records to one file and write their own: nothing lost or torn. */
LTEST(ram, two_processes)
{
	enum { RECS = 150, RLEN = 64 };
	static char b[2 * RECS * RLEN + 1];
	int count[2] = { 0, 0 }, st;
	pid_t pid[2];

	LT_EQ(mkdir("/tmp/cc", 0755), 0);
	for (int k = 0; k < 2; k++) {
		pid[k] = fork();
		if (pid[k] == 0) {
			char rec[RLEN], mine[32];
			int fd = open("/tmp/cc/log", O_WRONLY | O_CREAT | O_APPEND, 0644), r = 0;

			snprintf(mine, sizeof(mine), "/tmp/cc/own%d", k);
			memset(rec, 'A' + k, sizeof(rec));
			rec[RLEN - 1] = '\n';
			for (int i = 0; i < RECS; i++) {
				if (write(fd, rec, RLEN) != RLEN)
					r = 1;
				if (put(mine, k ? "one" : "zero") != 0)
					r = 2;
			}
			_exit(r);
		}
		LT_CHECK(pid[k] > 0);
	}
	for (int k = 0; k < 2; k++) {
		LT_EQ(waitpid(pid[k], &st, 0), pid[k]);
		LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	LT_EQ(get("/tmp/cc/log", b, sizeof(b)), 2 * RECS * RLEN);
	for (int i = 0; i < 2 * RECS; i++) {
		char c = b[i * RLEN];

		LT_CHECK(c == 'A' || c == 'B');
		for (int j = 0; j < RLEN - 1; j++)
			LT_EQ(b[i * RLEN + j], c);
		count[c - 'A']++;
	}
	LT_EQ(count[0], RECS);
	LT_EQ(count[1], RECS);
	LT_EQ(get("/tmp/cc/own1", b, sizeof(b)), 3);
	return 0;
}

/* An fd inherited across fork shares its offset (_IO_DUP binds the same OCB); dup too. */
LTEST(ram, inherited_fd)
{
	char b[16];
	int fd = open("/tmp/inh", O_RDWR | O_CREAT | O_TRUNC, 0644), fd2, st;
	pid_t pid;

	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, "ab", 2), 2);
	pid = fork();
	if (pid == 0)
		_exit(write(fd, "cd", 2) == 2 ? 0 : 1);
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	LT_EQ(lseek(fd, 0, SEEK_CUR), 4);			/* the child moved it */
	fd2 = dup(fd);
	LT_CHECK(fd2 >= 0);
	LT_EQ(write(fd2, "ef", 2), 2);
	LT_EQ(close(fd2), 0);
	LT_EQ(pread(fd, b, sizeof(b), 0), 6);
	LT_CHECK(memcmp(b, "abcdef", 6) == 0);
	LT_EQ(close(fd), 0);
	LT_EQ(unlink("/tmp/inh"), 0);
	return 0;
}

/* statvfs/statfs: the limits, and the blocks a write takes; servers without it ENOSYS. */
LTEST(ram, statvfs)
{
	static char b[3 * 4096];
	struct statvfs sv, sv2;
	struct statfs sf;
	int fd;

	LT_EQ(statvfs("/rsmall", &sv), 0);
	LT_EQ(sv.f_bsize, 4096);
	LT_EQ(sv.f_blocks, 16);				/* 64 KiB */
	LT_EQ(sv.f_namemax, 255);
	fd = open("/rsmall/sv", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, b, sizeof(b)), sizeof(b));
	LT_EQ(fstatvfs(fd, &sv2), 0);
	LT_EQ(sv2.f_bfree, sv.f_bfree - 3);
	LT_EQ(sv2.f_ffree, sv.f_ffree - 1);
	close(fd);
	LT_EQ(unlink("/rsmall/sv"), 0);
	LT_EQ(statfs("/tmp", &sf), 0);
	LT_EQ(sf.f_type, 0x01021994);			/* TMPFS_MAGIC */
	LT_EQ(statvfs("/proc/boot/motd", &sv), 0);	/* taskman's image: read-only, full */
	LT_CHECK((sv.f_flag & ST_RDONLY) && sv.f_bavail == 0 && sv.f_blocks > 0);
	LT_EQ(statvfs("/tmp/none", &sv), -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

/* Random messages to the server, on an fd and as connects: it answers afterwards. */
LTEST(ram, malformed)
{
	struct _server_info si;
	uint32_t g[64];
	char b[8];
	int fd, coid;

	srand(12345);
	LT_EQ(put("/tmp/fz", "fuzz"), 0);
	fd = open("/tmp/fz", O_RDWR);
	LT_CHECK(fd >= 0);
	LT_EQ(ConnectServerInfo(0, fd, &si), fd);
	coid = ConnectAttach(0, si.pid, si.chid, _NTO_SIDE_CHANNEL, 0);
	LT_CHECK(coid >= 0);
	for (int i = 0; i < 3000; i++) {
		for (int j = 0; j < 64; j++)
			g[j] = (uint32_t)rand();
		if (i % 2) {	/* an I/O message, on the fd (never a close) */
			g[0] = (g[0] & 0xffff0000) | (0x100 + (g[0] % 0x1b));
			if ((g[0] & 0xffff) == _IO_CLOSE || (g[0] & 0xffff) == _IO_CONNECT ||
			    (g[0] & 0xffff) == _IO_DUP || (g[0] & 0xffff) == _IO_OPENFD)
				g[0] = (g[0] & 0xffff0000) | _IO_STAT;
			if (i % 4 == 1)
				g[0] &= 0x0000ffff;	/* combine_len 0: reaches the handlers */
			MsgSend_r(fd, g, (size_t)(rand() % 256), b, sizeof(b));
		} else {	/* a connect with random fields and a short random path */
			struct _io_connect *c = (struct _io_connect *)g;
			char *p = (char *)g + sizeof(*c);
			int pl = rand() % 12;

			c->type = _IO_CONNECT;
			c->subtype = (uint16_t)(rand() % 12);
			c->handle = 1;
			c->path_len = (uint16_t)(pl + 1);
			for (int k = 0; k < pl; k++)
				p[k] = "ab/.z"[rand() % 5];
			p[pl] = '\0';
			if (rand() % 2)
				c->extra_len = (uint16_t)(rand() % 200);
			MsgSend_r(coid, g, (size_t)(rand() % 2 ? sizeof(g) : sizeof(*c) + (size_t)pl +
			    1), b, sizeof(b));
		}
	}
	ConnectDetach(coid);
	LT_EQ(pread(fd, b, 4, 0), 4);				/* still there */
	LT_EQ(close(fd), 0);
	LT_EQ(put("/tmp/fz2", "ok"), 0);
	LT_EQ(get("/tmp/fz2", b, sizeof(b)), 2);
	return 0;
}

/* Connect messages with bad extra data: errors, and nothing changes. */
LTEST(ram, bad_extra)
{
	struct {
		struct _io_connect	c;
		char			p[8];
		char			x[16];
	} m;
	struct _io_read rd = { .type = _IO_READ, .nbytes = 8 };
	struct _server_info si;
	struct stat st;
	char b[64];
	int fd, coid;

	LT_EQ(put("/tmp/bx", "x"), 0);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	LT_CHECK(fd >= 0);
	LT_EQ(MsgSend_r(fd, &rd, sizeof(rd), b, sizeof(b)), -EINVAL);	/* no record fits */
	LT_EQ(ConnectServerInfo(0, fd, &si), fd);
	coid = ConnectAttach(0, si.pid, si.chid, _NTO_SIDE_CHANNEL, 0);
	LT_CHECK(coid >= 0);
	memset(&m, 0, sizeof(m));
	m.c = (struct _io_connect){ .type = _IO_CONNECT, .subtype = _IO_CONNECT_RENAME, .handle = 1,
	    .path_len = 3, .extra_type = _IO_CONNECT_EXTRA_RENAME, .extra_len = 16,
	    .reply_max = 64 };
	memcpy(m.p, "by", 3);
	memset(m.x, 'a', sizeof(m.x));				/* the old path has no NUL */
	LT_EQ(MsgSend_r(coid, &m, sizeof(m), b, sizeof(b)), -EINVAL);
	memcpy(m.x, "/tmp/bx", 8);
	m.c.extra_type = _IO_CONNECT_EXTRA_SYMLINK;		/* not rename's */
	LT_EQ(MsgSend_r(coid, &m, sizeof(m), b, sizeof(b)), -EINVAL);
	m.c.extra_type = _IO_CONNECT_EXTRA_RENAME;
	memcpy(m.x, "/elsewhere/bx", 14);
	LT_EQ(MsgSend_r(coid, &m, sizeof(m), b, sizeof(b)), -EXDEV);
	m.c.subtype = _IO_CONNECT_LINK;
	m.c.extra_type = _IO_CONNECT_EXTRA_LINK;
	m.c.extra_len = 8;
	memset(m.x, 0, sizeof(m.x));				/* pid 0: not the sender */
	LT_EQ(MsgSend_r(coid, &m, sizeof(m) - 8, b, sizeof(b)), -EINVAL);
	m.c.extra_type = 77;
	LT_EQ(MsgSend_r(coid, &m, sizeof(m) - 8, b, sizeof(b)), -EINVAL);
	ConnectDetach(coid);
	close(fd);
	LT_EQ(stat("/tmp/by", &st), -1);
	LT_EQ(stat("/tmp/bx", &st), 0);
	LT_EQ(unlink("/tmp/bx"), 0);
	return 0;
}

/* A file-system server killed: its fds give EBADF (no hang), its prefix ENOENT. */
LTEST(ram, server_killed)
{
	char *argv[] = { "fs-ram", "/libcram-kill", 0 };
	struct timespec ts = { 0, 20000000 };
	pid_t pid;
	char c;
	int fd = -1, st;

	LT_EQ(posix_spawn(&pid, "/proc/boot/fs-ram", 0, 0, argv, 0), 0);
	for (int i = 0; i < 200 && fd < 0; i++) {
		fd = open("/libcram-kill/f", O_RDWR | O_CREAT, 0644);
		if (fd < 0)
			nanosleep(&ts, 0);
	}
	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, "k", 1), 1);
	LT_EQ(kill(pid, SIGKILL), 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_EQ(read(fd, &c, 1), -1);
	LT_EQ(errno, EBADF);
	close(fd);
	LT_EQ(open("/libcram-kill/f", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
