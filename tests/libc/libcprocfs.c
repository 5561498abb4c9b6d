/*
 * tests/libc/libcprocfs.c - taskman's /proc/<pid> and /proc/self
 * (docs/taskman.md, "/proc/<pid>"): the listing of /proc, a child's
 * status, threads and limits files, /proc/self and the cwd link, a zombie
 * and then ENOENT once it is reaped, EROFS/EISDIR/ENOTDIR/ENOENT for what
 * cannot be, every file readable by uid 1000, and pidin reading it all.
 * Runs under taskman with the pipe manager (libcprocfs.script).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "ltest.h"

#define SELF	"/proc/boot/libcprocfs"

extern char **environ;

static char buf[16384];

/* Read path into buf (NUL-terminated); the bytes, or -errno. */
static long
slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -errno;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return r < 0 ? -errno : n;
}

/* slurp /proc/<pid>/<file>. */
static long
slurp_pid(int pid, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return slurp(path);
}

/* Is name in directory path? */
static int
listed(const char *path, const char *name)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int found = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		found |= strcmp(e->d_name, name) == 0;
	closedir(d);
	return found;
}

/* Does buf hold the line "key:\tvalue"? */
static int
has_line(const char *key, const char *value)
{
	char line[128];

	snprintf(line, sizeof(line), "%s:\t%s\n", key, value);
	return strstr(buf, line) != NULL;
}

/* A child that waits in pause() as uid 1000 until killed. */
static pid_t
pauser(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setuid(1000) != 0)
			_exit(99);
		for (;;)
			pause();
	}
	return pid;
}

/* Wait until pid's threads file says SIGSUSPEND (it reached pause); 1 if so. */
static int
paused(pid_t pid)
{
	for (int i = 0; i < 200; i++) {
		if (slurp_pid(pid, "threads") > 0 && strstr(buf, "SIGSUSPEND") != NULL)
			return 1;
		usleep(10000);
	}
	return 0;
}

LTEST(procfs, listing)
{
	char me[16];

	snprintf(me, sizeof(me), "%d", getpid());
	LT_CHECK(listed("/proc", "boot"));
	LT_CHECK(listed("/proc", "self"));
	LT_CHECK(listed("/proc", "mounts"));
	LT_CHECK(listed("/proc", "1"));
	LT_CHECK(listed("/proc", me));
	LT_CHECK(listed("/proc/1", "status"));
	LT_CHECK(listed("/proc/1", "threads"));
	LT_CHECK(listed("/proc/1", "limits"));
	LT_CHECK(listed("/proc/1", "cwd"));
	LT_CHECK(listed("/proc/1", "cmdline"));
	LT_CHECK(listed("/proc/1", "maps"));
	LT_CHECK(listed("/proc/1", "exefile"));
	LT_CHECK(listed("/proc/boot", "libcprocfs"));	/* the image is still there */
	return 0;
}

LTEST(procfs, self)
{
	char link[32], me[16];
	struct stat st;

	snprintf(me, sizeof(me), "%d", getpid());
	LT_EQ(readlink("/proc/self", link, sizeof(link)), (long)strlen(me));
	LT_CHECK(strncmp(link, me, strlen(me)) == 0);
	LT_CHECK(slurp("/proc/self/status") > 0);
	LT_CHECK(has_line("Name", "libcprocfs"));
	LT_CHECK(has_line("Pid", me));
	LT_CHECK(has_line("State", "live"));
	LT_CHECK(has_line("Uid", "0\t0\t0"));
	LT_EQ(lstat("/proc/self", &st), 0);
	LT_CHECK(S_ISLNK(st.st_mode));
	LT_EQ(stat("/proc/self", &st), 0);
	LT_CHECK(S_ISDIR(st.st_mode));
	LT_EQ(stat("/proc/self/status", &st), 0);
	LT_CHECK(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0444);
	/* maps: the program, the stack, and a mapping made now (until it goes). */
	{
		char *p = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char line[64];

		LT_CHECK(p != MAP_FAILED);
		snprintf(line, sizeof(line), "%016lx-%016lx r--\n", (unsigned long)p,
		    (unsigned long)p + 3 * 4096);
		LT_CHECK(slurp("/proc/self/maps") > 0);
		LT_CHECK(strstr(buf, line) != NULL);
		LT_CHECK(strstr(buf, " r-x\n") != NULL && strstr(buf, " rw-\n") != NULL);
		LT_EQ(munmap(p, 3 * 4096), 0);
		LT_CHECK(slurp("/proc/self/maps") > 0);
		LT_CHECK(strstr(buf, line) == NULL);
	}
	/* The cwd link follows chdir, and resolves through it. */
	LT_EQ(chdir("/proc/boot"), 0);
	LT_EQ(readlink("/proc/self/cwd", link, sizeof(link)), (long)strlen("/proc/boot"));
	LT_CHECK(strncmp(link, "/proc/boot", 10) == 0);
	LT_EQ(stat("/proc/self/cwd/libcprocfs", &st), 0);
	LT_EQ(chdir("/"), 0);
	return 0;
}

LTEST(procfs, child)
{
	char v[32];
	pid_t pid = pauser();

	LT_CHECK(pid > 0);
	LT_CHECK(paused(pid));
	LT_CHECK(strstr(buf, "tid\tstate\tprio") == buf);	/* the header, then the thread */
	LT_CHECK(strstr(buf, "\n1\tSIGSUSPEND\t10\t10\t") != NULL);
	LT_CHECK(slurp_pid(pid, "status") > 0);
	snprintf(v, sizeof(v), "%d", getpid());
	LT_CHECK(has_line("PPid", v));
	LT_CHECK(has_line("Uid", "1000\t1000\t1000"));
	LT_CHECK(has_line("Threads", "1"));
	LT_CHECK(strstr(buf, "\nVmSize:\t") != NULL && atoi(strstr(buf, "VmSize:") + 8) > 0);
	LT_CHECK(slurp_pid(pid, "limits") > 0);
	LT_CHECK(strstr(buf, "Max open files            256                  256") != NULL);
	LT_CHECK(strstr(buf, "Max address space         unlimited") != NULL);
	LT_EQ(kill(pid, SIGKILL), 0);
	LT_EQ(waitpid(pid, NULL, 0), pid);
	return 0;
}

LTEST(procfs, cmdline_and_exefile)
{
	char *argv[] = { "libcprocfs", "pause", "two words", NULL };
	char *xargv[] = { "renamed", "pause", NULL };
	pid_t pid, fpid;

	LT_EQ(posix_spawn(&pid, SELF, NULL, NULL, argv, environ), 0);
	LT_CHECK(paused(pid));
	LT_EQ(slurp_pid(pid, "cmdline"), 27);
	LT_CHECK(memcmp(buf, "libcprocfs\0pause\0two words\0", 27) == 0);
	LT_EQ(slurp_pid(pid, "exefile"), (long)strlen(SELF));
	LT_CHECK(strcmp(buf, SELF) == 0);
	/* A forked child has its parent's; exec gives it the new program's. */
	if ((fpid = fork()) == 0) {
		if (slurp("/proc/self/cmdline") != 11 || strcmp(buf, "libcprocfs") != 0)
			_exit(126);		/* not its parent's */
		execv(SELF, xargv);
		_exit(127);
	}
	LT_CHECK(fpid > 0 && paused(fpid));
	LT_EQ(slurp_pid(fpid, "cmdline"), 14);
	LT_CHECK(memcmp(buf, "renamed\0pause\0", 14) == 0);
	LT_EQ(slurp_pid(fpid, "exefile"), (long)strlen(SELF));
	LT_EQ(kill(pid, SIGKILL), 0);
	LT_EQ(kill(fpid, SIGKILL), 0);
	LT_EQ(waitpid(pid, NULL, 0), pid);
	LT_EQ(waitpid(fpid, NULL, 0), fpid);
	/* Our own, through self. */
	LT_CHECK(slurp("/proc/self/cmdline") > 0 && strcmp(buf, "libcprocfs") == 0);
	return 0;
}

LTEST(procfs, zombie_then_enoent)
{
	struct stat st;
	char path[64];
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(7);
	LT_CHECK(pid > 0);
	for (int i = 0; i < 200; i++) {		/* a zombie until waited for */
		if (slurp_pid(pid, "status") > 0 && has_line("State", "zombie"))
			break;
		usleep(10000);
	}
	LT_CHECK(has_line("State", "zombie"));
	LT_CHECK(has_line("ExitStatus", "1792"));	/* 7 << 8 */
	LT_EQ(waitpid(pid, &status, 0), pid);
	LT_EQ(slurp_pid(pid, "status"), -ENOENT);
	LT_EQ(slurp_pid(pid, "threads"), -ENOENT);
	snprintf(path, sizeof(path), "/proc/%d", pid);
	LT_EQ(stat(path, &st), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(opendir(path) == NULL, 1);
	LT_EQ(errno, ENOENT);
	return 0;
}

LTEST(procfs, nothing_writable)
{
	LT_EQ(open("/proc/self/status", O_WRONLY), -1);
	LT_EQ(errno, EROFS);
	LT_EQ(open("/proc/1/limits", O_RDWR), -1);
	LT_EQ(errno, EROFS);
	LT_EQ(open("/proc/self/status", O_RDONLY | O_TRUNC), -1);
	LT_EQ(errno, EROFS);
	LT_EQ(open("/proc/self/new", O_WRONLY | O_CREAT, 0644), -1);
	LT_EQ(errno, EROFS);
	LT_EQ(open("/proc/1", O_WRONLY), -1);
	LT_EQ(errno, EISDIR);
	LT_EQ(unlink("/proc/self/status"), -1);
	LT_EQ(errno, EROFS);
	LT_EQ(mkdir("/proc/1/x", 0755), -1);
	LT_EQ(errno, EROFS);
	LT_EQ(chmod("/proc/self/status", 0666), -1);
	LT_EQ(errno, EROFS);
	/* What is not there. */
	LT_EQ(slurp("/proc/self/no-such"), -ENOENT);
	LT_EQ(slurp("/proc/self/status/x"), -ENOTDIR);
	LT_EQ(slurp("/proc/999999999/status"), -ENOENT);
	LT_EQ(slurp("/proc/0/status"), -ENOENT);
	return 0;
}

static int
read_as_user(void)
{
	if (setuid(1000) != 0)
		return 1;
	if (slurp("/proc/1/status") <= 0 || !has_line("Name", "taskman"))
		return 2;			/* everybody may read everything */
	if (slurp_pid(getppid(), "threads") <= 0)
		return 3;
	if (open("/proc/1/status", O_WRONLY) != -1 || errno != EROFS)
		return 4;
	return 0;
}

LTEST(procfs, readable_by_everyone)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(read_as_user());
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	return 0;
}

/* Run pidin with args; its output in buf; its exit status, or -1. */
static int
pidin(char *const argv[])
{
	int fds[2], st;
	long n = 0, r;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execv("/proc/boot/pidin", argv);
		_exit(127);
	}
	close(fds[1]);
	while ((r = read(fds[0], buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	buf[n] = '\0';
	close(fds[0]);
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

LTEST(procfs, pidin)
{
	char *family[] = { "pidin", "family", NULL }, *mem[] = { "pidin", "mem", NULL };
	char *bad[] = { "pidin", "-p", "no-such-program", NULL };
	char *arg[] = { "pidin", "-p", "pidin", "arg", NULL };
	char sel[16], *threads[] = { "pidin", "-p", sel, NULL };
	char line[128];
	pid_t pid = pauser();

	LT_CHECK(pid > 0 && paused(pid));
	LT_EQ(pidin(family), 0);
	snprintf(line, sizeof(line), "%8d %8d %8d %8d %4d libcprocfs\n", pid, getpid(),
	    getpgrp(), getsid(0), 1000);
	LT_CHECK(strstr(buf, line) != NULL);
	LT_CHECK(strstr(buf, "       1        0        1        1    0 taskman\n") != NULL);
	snprintf(sel, sizeof(sel), "%d", pid);
	LT_EQ(pidin(threads), 0);
	snprintf(line, sizeof(line), "%8d   1 libcprocfs         ", pid);
	if (strstr(buf, line) == NULL || strstr(strstr(buf, line), " SIGSUSPEND") == NULL)
		lt_printf("pidin said:\n%s", buf);
	LT_CHECK(strstr(buf, line) != NULL);
	LT_CHECK(strstr(strstr(buf, line), " SIGSUSPEND") != NULL);
	LT_EQ(pidin(mem), 0);
	LT_CHECK(strstr(buf, " libcprocfs ") != NULL && strstr(buf, "K\n") != NULL);
	LT_EQ(pidin(arg), 0);
	LT_CHECK(strstr(buf, "     pid Arguments\n") == buf);
	LT_CHECK(strstr(buf, " pidin -p pidin arg\n") != NULL);	/* itself */
	LT_EQ(pidin(bad), 1);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "pause") == 0)
		for (;;)
			pause();
	return lt_run_all() == 0 ? 0 : 1;
}
