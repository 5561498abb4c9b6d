/*
 * tests/libc/libcfile.c - files through messages (docs/libc.md): open,
 * read, stat, lseek, readdir, readlink, access, cwd on taskman's
 * /proc/boot, and write, dup, fcntl, ioctl on a small server of our own
 * (lsvc.h, a child started as "libcfile serve PREFIX").  Runs under
 * taskman (the libcfile-* boots' scripts).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "ltest.h"
#include "lsvc.h"

#define SVC	"/libcfile-svc"
#define SVC_DIR_NONE	"/proc/boot/none"
extern char **environ;

LTEST(file, read_motd)
{
	char a[4096], b[16];
	struct stat st;
	int fd = open("/proc/boot/motd", O_RDONLY);
	ssize_t n;

	LT_CHECK(fd >= 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_CHECK(S_ISREG(st.st_mode));
	LT_CHECK(st.st_size > 16 && st.st_size < (off_t)sizeof(a));
	n = read(fd, a, sizeof(a));
	LT_EQ(n, st.st_size);
	LT_EQ(read(fd, b, sizeof(b)), 0);		/* the end */
	LT_EQ(lseek(fd, 5, SEEK_SET), 5);
	LT_EQ(read(fd, b, 4), 4);
	LT_CHECK(memcmp(b, a + 5, 4) == 0);
	LT_EQ(lseek(fd, 0, SEEK_CUR), 9);
	LT_EQ(lseek(fd, -3, SEEK_END), st.st_size - 3);
	LT_EQ(pread(fd, b, 6, 2), 6);			/* the offset stays */
	LT_CHECK(memcmp(b, a + 2, 6) == 0);
	LT_EQ(lseek(fd, 0, SEEK_CUR), st.st_size - 3);
	/* readv scatters one read. */
	struct iovec v[2] = { { b, 3 }, { b + 3, 5 } };
	LT_EQ(lseek(fd, 1, SEEK_SET), 1);
	LT_EQ(readv(fd, v, 2), 8);
	LT_CHECK(memcmp(b, a + 1, 8) == 0);
	errno = 0;
	LT_EQ(lseek(fd, 0, 7), -1);
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_EQ(lseek(fd, -100, SEEK_SET), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(close(fd), 0);
	errno = 0;
	LT_EQ(read(fd, b, 1), -1);
	LT_EQ(errno, EBADF);
	/* stdio over it. */
	FILE *f = fopen("/proc/boot/motd", "r");
	LT_CHECK(f != NULL);
	LT_CHECK(fgets(b, sizeof(b), f) != NULL);
	LT_CHECK(memcmp(b, a, strlen(b)) == 0);
	LT_EQ(fclose(f), 0);
	return 0;
}

LTEST(file, stat_paths)
{
	struct stat a, b;
	char buf[64];

	LT_EQ(stat("/proc/boot/motd", &a), 0);
	LT_CHECK(S_ISREG(a.st_mode));
	LT_EQ(stat("/proc/boot", &b), 0);
	LT_CHECK(S_ISDIR(b.st_mode));
	LT_EQ(stat("/proc/boot/", &b), 0);
	LT_EQ(stat("/proc//boot/./../boot/motd", &b), 0);	/* normalised in libc */
	LT_EQ(b.st_ino, a.st_ino);
	/* A symbolic link: followed by stat, not by lstat; readlink. */
	LT_EQ(stat("/proc/boot/tmtest", &a), 0);
	LT_EQ(stat("/proc/boot/tmtest.link", &b), 0);
	LT_EQ(b.st_ino, a.st_ino);
	LT_EQ(lstat("/proc/boot/tmtest.link", &b), 0);
	LT_CHECK(S_ISLNK(b.st_mode));
	LT_EQ(b.st_size, strlen("/proc/boot/tmtest"));
	LT_EQ(readlink("/proc/boot/tmtest.link", buf, sizeof(buf)), strlen("/proc/boot/tmtest"));
	LT_CHECK(memcmp(buf, "/proc/boot/tmtest", 17) == 0);
	LT_EQ(readlink("/proc/boot/tmtest.link", buf, 4), 4);	/* truncated */
	errno = 0;
	LT_EQ(readlink("/proc/boot/motd", buf, sizeof(buf)), -1);
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_EQ(open("/proc/boot/tmtest.link", O_RDONLY | O_NOFOLLOW), -1);
	LT_EQ(errno, ELOOP);
	LT_EQ(fstatat(AT_FDCWD, "/proc/boot/motd", &a, 0), 0);
	return 0;
}

LTEST(file, errors)
{
	struct stat st;
	char c;

	errno = 0;
	LT_EQ(open("/proc/boot/no-such-file", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	errno = 0;
	LT_EQ(open("/no/server/here", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	errno = 0;
	LT_EQ(stat("", &st), -1);
	LT_EQ(errno, ENOENT);
	errno = 0;
	LT_EQ(open("/proc/boot/motd", O_RDONLY | O_DIRECTORY), -1);
	LT_EQ(errno, ENOTDIR);
	errno = 0;
	LT_EQ(open("/proc/boot/motd/", O_RDONLY), -1);
	LT_EQ(errno, ENOTDIR);
	/* /proc/boot is read-only. */
	errno = 0;
	LT_EQ(open("/proc/boot/motd", O_WRONLY), -1);
	LT_EQ(errno, EROFS);
	errno = 0;
	LT_EQ(open("/proc/boot/motd", O_RDWR), -1);
	LT_EQ(errno, EROFS);
	errno = 0;
	LT_EQ(open("/proc/boot/new", O_WRONLY | O_CREAT, 0644), -1);
	LT_EQ(errno, EROFS);
	errno = 0;
	LT_EQ(open("/proc/boot", O_WRONLY), -1);
	LT_EQ(errno, EISDIR);
	errno = 0;
	LT_EQ(mkdir("/proc/boot/dir", 0755), -1);
	LT_EQ(errno, EROFS);
	errno = 0;
	LT_EQ(unlink("/proc/boot/motd"), -1);
	LT_EQ(errno, EROFS);
	errno = 0;
	LT_EQ(access("/proc/boot/motd", W_OK), -1);
	LT_EQ(errno, EROFS);
	LT_EQ(access("/proc/boot/motd", R_OK), 0);
	errno = 0;
	LT_EQ(access("/proc/boot/motd", X_OK), -1);	/* 0644 */
	LT_EQ(errno, EACCES);
	LT_EQ(access("/proc/boot/libcfile", X_OK), 0);
	errno = 0;
	LT_EQ(access("/proc/boot/nope", F_OK), -1);
	LT_EQ(errno, ENOENT);
	/* Writing a file opened for reading: the server says EBADF. */
	int fd = open("/proc/boot/motd", O_RDONLY);
	LT_CHECK(fd >= 0);
	errno = 0;
	LT_EQ(write(fd, "x", 1), -1);
	LT_EQ(errno, EBADF);
	errno = 0;
	LT_EQ(isatty(fd), 0);
	LT_EQ(errno, ENOTTY);
	errno = 0;
	LT_EQ(getdents(fd, (void *)&st, sizeof(st)), -1);
	LT_EQ(errno, ENOTDIR);
	LT_EQ(close(fd), 0);
	/* Bad fds. */
	int bad[] = { -1, 999, 5000, 0x40000000 };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		LT_EQ(read(bad[i], &c, 1), -1);
		LT_EQ(errno, EBADF);
		errno = 0;
		LT_EQ(fstat(bad[i], &st), -1);
		LT_EQ(errno, EBADF);
		errno = 0;
		LT_EQ(close(bad[i]), -1);
		LT_EQ(errno, EBADF);
		errno = 0;
		LT_EQ(dup(bad[i]), -1);
		LT_EQ(errno, EBADF);
	}
	/* No console server yet: stdio on fds 0-2 fails honestly. */
	errno = 0;
	LT_EQ(write(1, "x", 1), -1);
	LT_EQ(errno, EBADF);
	LT_CHECK(printf("nowhere to go\n") >= 0 ? fflush(stdout) == EOF : 1);
	return 0;
}

/* Each call must fail with e; errno is checked. */
#define LT_ERR(call, e) do { errno = 0; LT_EQ((call), -1); LT_EQ(errno, (e)); } while (0)

LTEST(file, attributes_and_names_readonly)
{
	int fd = open("/proc/boot/motd", O_RDONLY);

	LT_CHECK(fd >= 0);
	/* On an fd: the messages reach /proc/boot, which is read-only. */
	LT_ERR(fchmod(fd, 0600), EROFS);
	LT_ERR(fchown(fd, 1, 1), EROFS);
	LT_ERR(ftruncate(fd, 0), EROFS);
	LT_ERR(futimens(fd, NULL), EROFS);
	LT_ERR(ftruncate(fd, -1), EINVAL);
	LT_EQ(close(fd), 0);
	LT_ERR(fchmod(fd, 0600), EBADF);
	/* By path. */
	LT_ERR(chmod("/proc/boot/motd", 0600), EROFS);
	LT_ERR(chown("/proc/boot/motd", 1, 1), EROFS);
	LT_ERR(utimensat(AT_FDCWD, "/proc/boot/motd", NULL, 0), EROFS);
	LT_ERR(truncate("/proc/boot/motd", 0), EROFS);
	LT_ERR(chmod("/proc/boot/nope", 0600), ENOENT);
	LT_ERR(rename("/proc/boot/motd", "/proc/boot/motd2"), EROFS);
	LT_ERR(symlink("motd", "/proc/boot/motd.lnk"), EROFS);
	LT_ERR(link("/proc/boot/motd", "/proc/boot/motd.hard"), EROFS);
	LT_ERR(rename("/proc/boot/motd", "/nowhere/x"), EROFS);	/* the image's "/" */
	LT_ERR(symlink("", "/proc/boot/x"), ENOENT);
	return 0;
}

LTEST(file, readdir)
{
	DIR *d = opendir("/proc/boot");
	struct dirent *e;
	int n = 0, motd = 0, link = 0, self = 0, again = 0;

	LT_CHECK(d != NULL);
	while ((e = readdir(d)) != NULL) {
		n++;
		if (strcmp(e->d_name, "motd") == 0)
			motd = e->d_type == DT_REG;
		if (strcmp(e->d_name, "tmtest.link") == 0)
			link = e->d_type == DT_LNK;
		if (strcmp(e->d_name, "libcfile") == 0)
			self = 1;
	}
	LT_CHECK(n > 10);
	LT_CHECK(motd && link && self);
	rewinddir(d);
	while (readdir(d) != NULL)
		again++;
	LT_EQ(again, n);
	LT_EQ(closedir(d), 0);
	errno = 0;
	LT_CHECK(opendir("/proc/boot/motd") == NULL);
	LT_EQ(errno, ENOTDIR);
	errno = 0;
	LT_CHECK(opendir("/proc/boot/none") == NULL);
	LT_EQ(errno, ENOENT);
	return 0;
}

LTEST(file, cwd)
{
	char buf[64];
	struct stat a, b;
	int fd;

	LT_CHECK(getcwd(buf, sizeof(buf)) != NULL);
	LT_EQ(strcmp(buf, "/"), 0);
	LT_EQ(chdir("/proc/boot"), 0);
	LT_CHECK(getcwd(buf, sizeof(buf)) != NULL);
	LT_EQ(strcmp(buf, "/proc/boot"), 0);
	LT_EQ(stat("motd", &a), 0);			/* relative to the cwd */
	LT_EQ(stat("/proc/boot/motd", &b), 0);
	LT_EQ(a.st_ino, b.st_ino);
	errno = 0;
	LT_CHECK(getcwd(buf, 5) == NULL);
	LT_EQ(errno, ERANGE);
	errno = 0;
	LT_EQ(chdir("motd"), -1);
	LT_EQ(errno, ENOTDIR);
	errno = 0;
	LT_EQ(chdir("nope"), -1);
	LT_EQ(errno, ENOENT);
	/* taskman serves the image's directories, / and /proc too. */
	LT_EQ(chdir(".."), 0);
	LT_CHECK(getcwd(buf, sizeof(buf)) != NULL);
	LT_EQ(strcmp(buf, "/proc"), 0);
	LT_EQ(chdir("/"), 0);
	LT_EQ(chdir("proc/boot"), 0);
	LT_CHECK(getcwd(buf, sizeof(buf)) != NULL);
	LT_EQ(strcmp(buf, "/proc/boot"), 0);
	/* openat and fchdir through a directory fd. */
	fd = open("/proc/boot", O_RDONLY | O_DIRECTORY);
	LT_CHECK(fd >= 0);
	LT_EQ(fstatat(fd, "motd", &a, 0), 0);
	LT_EQ(a.st_ino, b.st_ino);
	int f2 = openat(fd, "motd", O_RDONLY);
	LT_CHECK(f2 >= 0);
	LT_EQ(close(f2), 0);
	LT_EQ(chdir(SVC_DIR_NONE), -1);
	LT_EQ(fchdir(fd), 0);
	LT_CHECK(getcwd(buf, sizeof(buf)) != NULL);
	LT_EQ(strcmp(buf, "/proc/boot"), 0);
	LT_EQ(close(fd), 0);
	errno = 0;
	LT_EQ(fchdir(fd), -1);
	LT_EQ(errno, EBADF);
	return 0;
}

/* Start the server of lsvc.h as a child; wait until its prefix resolves. */
static pid_t svc_pid;

static int start_svc(void)
{
	char *argv[] = { "libcfile", "serve", SVC, NULL };
	struct stat st;

	if (svc_pid > 0)
		return 0;
	if (posix_spawn(&svc_pid, "/proc/boot/libcfile", NULL, NULL, argv, environ) != 0)
		return -1;
	for (int i = 0; i < 500; i++) {
		if (stat(SVC "/data", &st) == 0)
			return 0;
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	return -1;
}

LTEST(file, server_write_dup_fcntl)
{
	char b[16];
	int fd, fd2, fd3;

	LT_EQ(start_svc(), 0);
	fd = open(SVC "/data", O_RDWR);
	LT_CHECK(fd >= 0);
	LT_EQ(read(fd, b, 4), 4);
	LT_CHECK(memcmp(b, "0123", 4) == 0);
	/* A dup shares the OCB: the offset goes on. */
	fd2 = dup(fd);
	LT_CHECK(fd2 > fd);
	LT_EQ(read(fd2, b, 4), 4);
	LT_CHECK(memcmp(b, "4567", 4) == 0);
	LT_EQ(read(fd, b, 2), 2);
	LT_CHECK(memcmp(b, "89", 2) == 0);
	/* Writes: the server counts them; devctl reports the count. */
	LT_EQ(write(fd, "hello", 5), 5);
	struct iovec v[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
	LT_EQ(writev(fd2, v, 3), 5);
	LT_EQ(pwrite(fd, "xyz", 3, 1), 3);
	LT_EQ(ioctl(fd, LSVC_DCMD_WRITTEN), 13);
	errno = 0;
	LT_EQ(ioctl(fd, 0x5401 /* TCGETS */, b), -1);
	LT_EQ(errno, ENOTTY);
	/* dup2 onto an open fd closes it first; dup3 with O_CLOEXEC. */
	fd3 = open("/proc/boot/motd", O_RDONLY);
	LT_CHECK(fd3 >= 0);
	LT_EQ(dup2(fd, fd3), fd3);
	LT_EQ(lseek(fd3, 0, SEEK_CUR), 10);	/* now the server's file */
	LT_EQ(fcntl(fd3, F_GETFD), 0);
	LT_EQ(dup3(fd, fd3, O_CLOEXEC), fd3);
	LT_EQ(fcntl(fd3, F_GETFD), FD_CLOEXEC);
	LT_EQ(fcntl(fd3, F_SETFD, 0), 0);
	LT_EQ(fcntl(fd3, F_GETFD), 0);
	errno = 0;
	LT_EQ(dup3(fd, fd, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(dup2(fd, fd), fd);
	/* F_DUPFD: the lowest free fd from the minimum up. */
	int fd4 = fcntl(fd, F_DUPFD, 20);
	LT_EQ(fd4, 20);
	LT_EQ(fcntl(fd, F_DUPFD_CLOEXEC, 20), 21);
	LT_EQ(fcntl(21, F_GETFD), FD_CLOEXEC);
	LT_EQ(close(21), 0);
	LT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	LT_EQ(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK), 0);
	LT_EQ(fcntl(fd, F_GETFL) & (O_APPEND | O_NONBLOCK), O_APPEND | O_NONBLOCK);
	errno = 0;
	LT_EQ(fcntl(fd, 9999), -1);
	LT_EQ(errno, EINVAL);
	/* The OCB lives while any fd refers to it. */
	LT_EQ(close(fd), 0);
	LT_EQ(close(fd2), 0);
	LT_EQ(close(fd3), 0);
	LT_EQ(lseek(fd4, 0, SEEK_SET), 0);
	LT_EQ(read(fd4, b, 3), 3);
	LT_CHECK(memcmp(b, "012", 3) == 0);
	LT_EQ(close(fd4), 0);
	/* /proc/boot shares its OCB with _IO_DUP: the dup reads on from the offset. */
	fd = open("/proc/boot/motd", O_RDONLY);
	LT_CHECK(fd >= 0);
	LT_EQ(read(fd, b, 3), 3);
	fd2 = dup(fd);
	LT_CHECK(fd2 >= 0);
	LT_EQ(close(fd), 0);
	LT_EQ(read(fd2, b, 1), 1);
	LT_EQ(b[0], 'c');			/* "Welcome" */
	LT_EQ(lseek(fd2, 0, SEEK_CUR), 4);
	fd = dup(fd2);
	LT_EQ(lseek(fd, 1, SEEK_SET), 1);
	LT_EQ(lseek(fd2, 0, SEEK_CUR), 1);	/* one offset */
	LT_EQ(close(fd2), 0);
	LT_EQ(close(fd), 0);
	LT_EQ(dup(fd), -1);
	LT_EQ(errno, EBADF);
	return 0;
}

LTEST(file, server_links_tty)
{
	struct stat a, b;
	char buf[32];
	int fd;

	LT_EQ(start_svc(), 0);
	/* The server answers with a link reply: libc starts again from its path. */
	LT_EQ(stat(SVC "/link", &a), 0);
	LT_EQ(stat("/proc/boot/motd", &b), 0);
	LT_EQ(a.st_ino, b.st_ino);
	LT_EQ(readlink(SVC "/link", buf, sizeof(buf)), 15);
	errno = 0;
	LT_EQ(open(SVC "/none", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	fd = open(SVC "/tty", O_RDWR);
	LT_CHECK(fd >= 0);
	LT_EQ(isatty(fd), 1);
	LT_EQ(close(fd), 0);
	/* The server's end: its prefix goes, and its fds with it. */
	fd = open(SVC "/data", O_RDONLY);
	LT_CHECK(fd >= 0);
	LT_EQ(kill(svc_pid, SIGTERM), 0);
	int status;
	LT_EQ(waitpid(svc_pid, &status, 0), svc_pid);
	LT_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	svc_pid = 0;
	errno = 0;
	LT_EQ(read(fd, buf, 1), -1);
	LT_EQ(errno, EBADF);
	LT_EQ(close(fd), 0);
	errno = 0;
	LT_EQ(stat(SVC "/data", &a), -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		return lsvc_serve(argv[2]);
	return lt_run_all() ? 1 : 0;
}
