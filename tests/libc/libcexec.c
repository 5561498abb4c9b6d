/*
 * tests/libc/libcexec.c - ELF programs outside the boot image
 * (docs/taskman.md, _PROC_SPAWN and _SPAWN_IMAGE): a copy of this
 * program in /tmp (fs-ram) runs by posix_spawn, posix_spawnp through
 * PATH, execve and execvp, with its argv, envp and fds; permission
 * (EACCES for no x bit, for a directory, for another user's file),
 * ENOENT/ENOTDIR, ENOEXEC for truncated and corrupted copies (and the
 * exec caller goes on), and taskman's checks of malformed raw requests.
 * Copies of itself play the children: "prog ROLE ARGS...".  The boot's
 * power-off check finds any frame the copies leave behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include "ltest.h"

#define SELF	"/proc/boot/libcexec"
#define PROG	"/tmp/x/prog"
extern char **environ;

/* Copy from to to (at most max bytes; 0: all) with mode; 0 or -1. */
static int copy_file(const char *from, const char *to, size_t max, mode_t mode)
{
	static char buf[16384];
	int in = open(from, O_RDONLY), out;
	size_t done = 0;
	ssize_t n;

	if (in < 0)
		return -1;
	unlink(to);
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode)) < 0) {
		close(in);
		return -1;
	}
	while ((max == 0 || done < max) &&
	    (n = read(in, buf, max && max - done < sizeof(buf) ? max - done : sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n)
			break;
		done += (size_t)n;
	}
	close(in);
	close(out);
	return chmod(to, mode);
}

/* Overwrite bytes at off in path; 0 or -1. */
static int patch(const char *path, off_t off, const void *b, size_t n)
{
	int fd = open(path, O_WRONLY);
	int ok = fd >= 0 && pwrite(fd, b, n, off) == (ssize_t)n;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* posix_spawn path with argv[0] name and "child hello", env XT=42; the exit code, or -errno. */
static int run(const char *path, int usepath)
{
	char *argv[] = { "prog", "child", "hello", NULL };
	char *envp[] = { "XT=42", NULL };
	pid_t pid;
	int st, e;

	e = usepath ? posix_spawnp(&pid, path, NULL, NULL, argv, envp) :
	    posix_spawn(&pid, path, NULL, NULL, argv, envp);
	if (e != 0)
		return -e;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1000;
	return WEXITSTATUS(st);
}

/* fork, then execve (or execvp) path in the child; its exit code (errno if exec failed). */
static int run_exec(const char *path, int usepath)
{
	char *argv[] = { "prog", "child", "hello", NULL };
	char *envp[] = { "XT=42", NULL };
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (usepath) {
			static char *penv[] = { "XT=42", "PATH=/nowhere:/tmp/x", NULL };

			environ = penv;
			execvp(path, argv);
		} else {
			execve(path, argv, envp);
		}
		_exit(100 + errno);	/* only when it failed */
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1000;
	return WEXITSTATUS(st);
}

static int setup(void)
{
	mkdir("/tmp/x", 0755);
	return copy_file(SELF, PROG, 0, 0755);
}

LTEST(exec, spawn_from_tmp)
{
	LT_EQ(setup(), 0);
	LT_EQ(run(PROG, 0), 42);
	LT_EQ(chdir("/tmp/x"), 0);
	LT_EQ(run("./prog", 0), 42);		/* relative to the working directory */
	LT_EQ(chdir("/"), 0);
	for (int i = 0; i < 20; i++)		/* taskman's copies go again each time */
		LT_EQ(run(PROG, 0), 42);
	return 0;
}

LTEST(exec, spawnp_through_path)
{
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

	LT_EQ(setup(), 0);
	LT_EQ(setenv("PATH", "/nowhere:/tmp/x:/proc/boot", 1), 0);
	LT_EQ(run("prog", 1), 42);
	LT_EQ(run_exec("prog", 1), 42);		/* execvp */
	if (old) {
		setenv("PATH", old, 1);
		free(old);
	}
	return 0;
}

LTEST(exec, execve_from_tmp)
{
	LT_EQ(setup(), 0);
	LT_EQ(run_exec(PROG, 0), 42);
	return 0;
}

/* Inherited fds and a long argument travel with the program file. */
LTEST(exec, fds_and_long_args)
{
	static char big[20001];
	char *argv[] = { "prog", "write", big, NULL };
	posix_spawn_file_actions_t fa;
	char buf[32] = { 0 };
	int p[2], st;
	pid_t pid;

	LT_EQ(setup(), 0);
	memset(big, 'a', sizeof(big) - 1);
	LT_EQ(pipe(p), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	LT_EQ(posix_spawn(&pid, PROG, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	LT_EQ(read(p[0], buf, sizeof(buf) - 1), 10);
	LT_CHECK(strcmp(buf, "len 20000\n") == 0);
	close(p[0]);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 0;
}

LTEST(exec, permissions)
{
	LT_EQ(setup(), 0);
	LT_EQ(chmod(PROG, 0644), 0);
	LT_EQ(run(PROG, 0), -EACCES);
	LT_EQ(run_exec(PROG, 0), 100 + EACCES);
	LT_EQ(run("/tmp/x", 0), -EACCES);		/* a directory */
	LT_EQ(run_exec("/tmp/x", 0), 100 + EACCES);
	LT_EQ(mkfifo("/tmp/x/fifo", 0755), 0);		/* not run, and no wait for a writer */
	LT_EQ(run("/tmp/x/fifo", 0), -EACCES);
	LT_EQ(unlink("/tmp/x/fifo"), 0);
	LT_EQ(run("/tmp/x/none", 0), -ENOENT);
	LT_EQ(run(PROG "/sub", 0), -ENOTDIR);
	/* Another user: the x bit for others, and the file readable (libc reads it). */
	LT_EQ(chmod(PROG, 0755), 0);
	pid_t pid = fork();
	int st;

	LT_CHECK(pid >= 0);
	if (pid == 0) {
		if (setuid(1000) != 0)
			_exit(1);
		_exit(run(PROG, 0) == 42 ? 0 : 2);
	}
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_EQ(st, 0);
	LT_EQ(chmod(PROG, 0744), 0);		/* owner only */
	pid = fork();
	LT_CHECK(pid >= 0);
	if (pid == 0) {
		if (setuid(1000) != 0)
			_exit(1);
		_exit(run(PROG, 0) == -EACCES ? 0 : 2);
	}
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_EQ(st, 0);
	return 0;
}

/* Truncated and corrupted copies: ENOEXEC, and an exec's caller goes on. */
LTEST(exec, bad_elf_files)
{
	static const uint32_t sizes[] = { 4, 63, 64, 200, 3000, 40000 };
	const uint64_t huge = 0xfffffff0, kva = 0xffffffc000000000ULL;
	const uint16_t x86 = 62;
	const uint8_t b32 = 1;

	LT_EQ(setup(), 0);
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		LT_EQ(copy_file(SELF, "/tmp/x/short", sizes[i], 0755), 0);
		LT_EQ(run("/tmp/x/short", 0), -ENOEXEC);
	}
	LT_EQ(run_exec("/tmp/x/short", 0), 100 + ENOEXEC);
	LT_EQ(copy_file(SELF, "/tmp/x/bad", 0, 0755), 0);
	LT_EQ(patch("/tmp/x/bad", 32, &huge, sizeof(huge)), 0);	/* e_phoff */
	LT_EQ(run("/tmp/x/bad", 0), -ENOEXEC);
	LT_EQ(run_exec("/tmp/x/bad", 0), 100 + ENOEXEC);
	LT_EQ(copy_file(SELF, "/tmp/x/bad", 0, 0755), 0);
	LT_EQ(patch("/tmp/x/bad", 18, &x86, sizeof(x86)), 0);	/* e_machine */
	LT_EQ(run("/tmp/x/bad", 0), -ENOEXEC);
	LT_EQ(copy_file(SELF, "/tmp/x/bad", 0, 0755), 0);
	LT_EQ(patch("/tmp/x/bad", 4, &b32, sizeof(b32)), 0);	/* ELFCLASS32 */
	LT_EQ(run("/tmp/x/bad", 0), -ENOEXEC);
	LT_EQ(copy_file(SELF, "/tmp/x/bad", 0, 0755), 0);
	/* Program header 1 is the text's PT_LOAD (0 is RISCV_ATTRIBUTES). */
	LT_EQ(patch("/tmp/x/bad", 64 + 56 + 8, &huge, sizeof(huge)), 0);	/* its p_offset */
	LT_EQ(run("/tmp/x/bad", 0), -ENOEXEC);
	LT_EQ(copy_file(SELF, "/tmp/x/bad", 0, 0755), 0);
	LT_EQ(patch("/tmp/x/bad", 64 + 56 + 16, &kva, sizeof(kva)), 0);	/* its p_vaddr */
	LT_EQ(run("/tmp/x/bad", 0), -ENOEXEC);
	LT_EQ(setup(), 0);
	LT_EQ(run(PROG, 0), 42);		/* and good ones still run */
	return 0;
}

/* taskman's checks of the raw request: the image's length is the send's. */
LTEST(exec, raw_requests)
{
	struct {
		struct _proc_spawn h;
		char path[8];			/* "/tmp/p" + NUL, then padding */
	} m;
	static char img[256] = "\177ELF";
	iov_t iov[2];

	memset(&m, 0, sizeof(m));
	m.h.type = _PROC_SPAWN;
	m.h.sp_path_len = 7;
	memcpy(m.path, "/tmp/p", 7);
	m.h.sp_flags = _SPAWN_IMAGE;
	m.h.sp_image_len = sizeof(img);
	SETIOV(&iov[0], &m, sizeof(m.h) + 8);
	SETIOV(&iov[1], img, sizeof(img));
	LT_EQ(MsgSendv_r(SYSMGR_COID, iov, 2, NULL, 0), -ENOEXEC);	/* well formed, not a program */
	m.h.sp_image_len = sizeof(img) + 1;				/* more than was sent */
	LT_EQ(MsgSendv_r(SYSMGR_COID, iov, 2, NULL, 0), -EINVAL);
	m.h.sp_image_len = 0;						/* the flag without a length */
	LT_EQ(MsgSendv_r(SYSMGR_COID, iov, 2, NULL, 0), -EINVAL);
	m.h.sp_flags = 0;						/* a length without the flag */
	m.h.sp_image_len = sizeof(img);
	LT_EQ(MsgSendv_r(SYSMGR_COID, iov, 2, NULL, 0), -EINVAL);
	m.h.sp_flags = _SPAWN_IMAGE;
	m.h.sp_image_len = _SPAWN_IMAGE_MAX + 1;
	LT_EQ(MsgSendv_r(SYSMGR_COID, iov, 2, NULL, 0), -E2BIG);
	m.h.type = _PROC_EXEC;						/* exec: the same checks */
	m.h.sp_image_len = sizeof(img);
	LT_EQ(MsgSendv_r(SYSMGR_COID, iov, 2, NULL, 0), -ENOEXEC);
	m.h.sp_image_len = sizeof(img) + 1;
	LT_EQ(MsgSendv_r(SYSMGR_COID, iov, 2, NULL, 0), -EINVAL);
	return 0;
}

static int child(int argc, char **argv)
{
	const char *role = argv[1];

	if (strcmp(role, "child") == 0) {
		const char *xt = getenv("XT");

		if (argc != 3 || strcmp(argv[0], "prog") != 0 || strcmp(argv[2], "hello") != 0)
			return 1;
		return xt && strcmp(xt, "42") == 0 ? 42 : 2;
	}
	if (strcmp(role, "write") == 0) {
		printf("len %zu\n", strlen(argv[2]));
		return 0;
	}
	return 99;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return child(argc, argv);
	return lt_run_all() ? 1 : 0;
}
