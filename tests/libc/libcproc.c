/*
 * tests/libc/libcproc.c - processes through taskman (docs/libc.md):
 * posix_spawn/posix_spawnp with argv, envp, attributes and file actions,
 * fd inheritance (through the server of lsvc.h), waitpid/waitid statuses,
 * WNOHANG, ECHILD, ids, process groups and sessions, kill(-pgid), and
 * memory from taskman.  Copies of itself play the children: "libcproc
 * ROLE ARGS...".
 */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "ltest.h"
#include "lsvc.h"

#define SELF	"/proc/boot/libcproc"
#define SVC	"/libcproc-svc"
extern char **environ;

static void msleep(long ms)
{
	nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000 }, NULL);
}

/* Spawn "libcproc role a b" (NULLs end it early); the pid or -errno. */
static pid_t spawn_role(const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    const char *role, const char *a, const char *b)
{
	char *argv[] = { "libcproc", (char *)role, (char *)a, (char *)b, NULL };
	char *envp[] = { "LIBCPROC=child", "PATH=/proc/boot", NULL };
	pid_t pid;
	int e = posix_spawn(&pid, SELF, fa, at, argv, envp);

	return e ? -e : pid;
}

static int wait_for(pid_t pid)
{
	int st = -1;

	return waitpid(pid, &st, 0) == pid ? st : -1;
}

LTEST(proc, ids)
{
	LT_CHECK(getpid() > 1);
	LT_EQ(getppid(), 1);		/* the script's programs are taskman's children */
	LT_EQ(getuid(), 0);
	LT_EQ(geteuid(), 0);
	LT_EQ(getgid(), 0);
	LT_EQ(getegid(), 0);
	LT_EQ(getpgrp(), getpgid(0));
	LT_CHECK(getsid(0) > 0);
	errno = 0;
	LT_EQ(getpgid(999999), -1);
	LT_EQ(errno, ESRCH);
	LT_EQ(setuid(0), 0);
	return 0;
}

/* uname is taskman's _SYS_UNAME. */
LTEST(proc, uname)
{
	struct utsname u;

	memset(&u, 'x', sizeof(u));
	LT_EQ(uname(&u), 0);
	LT_CHECK(strcmp(u.sysname, "QSOE") == 0);
	LT_CHECK(strcmp(u.nodename, "qsoe") == 0);
	LT_CHECK(strcmp(u.release, "0.1.0") == 0);
	LT_CHECK(strcmp(u.version, "Skimmer") == 0);
	LT_CHECK(strcmp(u.machine, "riscv64") == 0);
	LT_EQ(uname((struct utsname *)16), -1);
	LT_EQ(errno, EFAULT);
	return 0;
}

LTEST(proc, spawn_exit_status)
{
	char me[16];
	pid_t pid;
	int st;

	snprintf(me, sizeof(me), "%d", getpid());
	pid = spawn_role(NULL, NULL, "exit", "42", me);
	LT_CHECK(pid > 0);
	st = wait_for(pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 42);	/* the child checked argv, envp and getppid */
	/* A child that finds something wrong exits with 1 instead. */
	pid = spawn_role(NULL, NULL, "exit", "42", "1");
	LT_CHECK(pid > 0);
	st = wait_for(pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	/* Gone: ECHILD. */
	errno = 0;
	LT_EQ(waitpid(pid, &st, 0), -1);
	LT_EQ(errno, ECHILD);
	errno = 0;
	LT_EQ(waitpid(-1, &st, WNOHANG), -1);
	LT_EQ(errno, ECHILD);
	errno = 0;
	LT_EQ(waitpid(-1, &st, 0x100), -1);
	LT_EQ(errno, EINVAL);
	return 0;
}

LTEST(proc, signal_status_and_wnohang)
{
	siginfo_t si;
	pid_t pid = spawn_role(NULL, NULL, "pause", NULL, NULL);
	int st = 12345;

	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, WNOHANG), 0);
	LT_EQ(st, 12345);
	LT_EQ(kill(pid, SIGTERM), 0);
	st = wait_for(pid);
	LT_CHECK(WIFSIGNALED(st));
	LT_EQ(WTERMSIG(st), SIGTERM);
	/* waitid: WNOWAIT leaves the zombie for a second wait. */
	pid = spawn_role(NULL, NULL, "exit", "3", NULL);
	LT_CHECK(pid > 0);
	memset(&si, 0, sizeof(si));
	LT_EQ(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
	LT_EQ(si.si_pid, pid);
	LT_EQ(si.si_signo, SIGCHLD);
	LT_EQ(si.si_code, CLD_EXITED);
	LT_EQ(si.si_status, 3);
	LT_EQ(waitid(P_ALL, 0, &si, WEXITED), 0);
	LT_EQ(si.si_pid, pid);
	errno = 0;
	LT_EQ(waitid(P_PID, (id_t)pid, &si, WEXITED), -1);
	LT_EQ(errno, ECHILD);
	errno = 0;
	LT_EQ(waitid(7, 0, &si, WEXITED), -1);
	LT_EQ(errno, EINVAL);
	return 0;
}

LTEST(proc, spawn_errors_and_spawnp)
{
	char *argv[] = { "libcproc", "exit", "5", NULL };
	pid_t pid = 0;

	LT_EQ(posix_spawn(&pid, "/proc/boot/no-such", NULL, NULL, argv, environ), ENOENT);
	LT_EQ(posix_spawn(&pid, "/proc/boot/motd", NULL, NULL, argv, environ), EACCES);
	LT_EQ(posix_spawnp(&pid, "no-such", NULL, NULL, argv, environ), ENOENT);
	/* posix_spawnp searches PATH (the script set PATH=/proc/boot). */
	LT_EQ(setenv("PATH", "/nowhere:/proc/boot", 1), 0);
	LT_EQ(posix_spawnp(&pid, "libcproc", NULL, NULL, argv, environ), 0);
	int st = wait_for(pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	/* Attributes taskman's spawn cannot carry are refused, not ignored. */
	posix_spawnattr_t at;
	LT_EQ(posix_spawnattr_init(&at), 0);
	LT_EQ(posix_spawnattr_setflags(&at, POSIX_SPAWN_RESETIDS), 0);
	LT_EQ(posix_spawn(&pid, SELF, NULL, &at, argv, environ), ENOSYS);
	LT_EQ(posix_spawnattr_destroy(&at), 0);
	return 0;
}

LTEST(proc, groups_and_sessions)
{
	posix_spawnattr_t at;
	pid_t a, b;
	int st;

	/* A child in a new group of its own, then a second child joining it. */
	LT_EQ(posix_spawnattr_init(&at), 0);
	LT_EQ(posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP), 0);
	LT_EQ(posix_spawnattr_setpgroup(&at, 0), 0);
	a = spawn_role(NULL, &at, "pause", NULL, NULL);
	LT_CHECK(a > 0);
	LT_EQ(getpgid(a), a);
	LT_EQ(posix_spawnattr_setpgroup(&at, a), 0);
	b = spawn_role(NULL, &at, "pause", NULL, NULL);
	LT_CHECK(b > 0);
	LT_EQ(getpgid(b), a);
	LT_EQ(getsid(a), getsid(0));
	LT_CHECK(getpgid(0) != a);
	/* setpgid: a child may be moved; someone else's process may not. */
	errno = 0;
	LT_EQ(setpgid(1, 0), -1);
	LT_EQ(errno, ESRCH);
	/* kill(-pgid) reaches both and only them (taskman tells the kernel the groups). */
	LT_EQ(kill(-a, SIGTERM), 0);
	st = wait_for(a);
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	st = wait_for(b);
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	errno = 0;
	LT_EQ(kill(-a, SIGTERM), -1);
	LT_EQ(errno, ESRCH);
	/* A child that makes its own session (it checks setsid and getsid). */
	LT_EQ(posix_spawnattr_setflags(&at, 0), 0);
	a = spawn_role(NULL, &at, "setsid", NULL, NULL);
	LT_CHECK(a > 0);
	st = wait_for(a);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	LT_EQ(posix_spawnattr_destroy(&at), 0);
	/* A group leader cannot make a session. */
	if (getpgid(0) == getpid()) {
		errno = 0;
		LT_EQ(setsid(), -1);
		LT_EQ(errno, EPERM);
	}
	/*
	 * kill(-1): every process but the caller and taskman.  This script
	 * starts no servers, so two paused children are all there is.
	 */
	LT_EQ(kill(-1, 0), -1);			/* nobody else yet */
	LT_EQ(errno, ESRCH);
	a = spawn_role(NULL, NULL, "pause", NULL, NULL);
	b = spawn_role(NULL, NULL, "pause", NULL, NULL);
	LT_CHECK(a > 0 && b > 0);
	LT_EQ(kill(-1, 0), 0);
	{	/* as uid 1000 only root's processes are around: EPERM, nothing sent */
		pid_t u = fork();

		if (u == 0)
			_exit(setuid(1000) == 0 && kill(-1, SIGTERM) == -1 && errno == EPERM ? 0 : 1);
		LT_CHECK(u > 0);
		st = wait_for(u);
		LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	LT_EQ(kill(-1, SIGTERM), 0);		/* both children; we survive */
	st = wait_for(a);
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	st = wait_for(b);
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	LT_EQ(kill(-1, 99), -1);
	LT_EQ(errno, EINVAL);
	return 0;
}

LTEST(proc, fd_inheritance)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { "libcproc", "serve", SVC, NULL };
	pid_t svc, pid;
	struct stat st;
	int fd, s, i;
	char b[16];

	LT_EQ(posix_spawn(&svc, SELF, NULL, NULL, argv, environ), 0);
	for (i = 0; i < 500 && stat(SVC "/data", &st) != 0; i++)
		msleep(10);
	fd = open(SVC "/data", O_RDONLY);
	LT_CHECK(fd >= 0);
	LT_EQ(read(fd, b, 2), 2);
	/* The child gets it as fd 5 (dup2 action) and reads on from offset 2. */
	LT_EQ(posix_spawn_file_actions_init(&fa), 0);
	LT_EQ(posix_spawn_file_actions_adddup2(&fa, fd, 5), 0);
	LT_EQ(posix_spawn_file_actions_addclose(&fa, fd), 0);
	/* (/proc/boot fds pass too, through taskman's _IO_DUP: libcfile, libctoybox.) */
	LT_EQ(posix_spawn_file_actions_addopen(&fa, 7, SVC "/data", O_RDONLY, 0), 0);
	pid = spawn_role(&fa, NULL, "readfd", "5", "7");
	LT_CHECK(pid > 0);
	s = wait_for(pid);
	LT_CHECK(WIFEXITED(s));
	LT_EQ(WEXITSTATUS(s), 0);
	/* The OCB is shared: the child's read moved our offset too. */
	LT_EQ(lseek(fd, 0, SEEK_CUR), 6);
	LT_EQ(posix_spawn_file_actions_destroy(&fa), 0);
	/* An fd with FD_CLOEXEC is not passed. */
	LT_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	snprintf(b, sizeof(b), "%d", fd);
	pid = spawn_role(NULL, NULL, "nofd", b, NULL);
	LT_CHECK(pid > 0);
	s = wait_for(pid);
	LT_CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 0);
	/*
	 * ... but a dup2 action may name it (the actions run before the
	 * exec): the child has fd 5 and not the FD_CLOEXEC one.
	 */
	LT_EQ(lseek(fd, 2, SEEK_SET), 2);
	LT_EQ(posix_spawn_file_actions_init(&fa), 0);
	LT_EQ(posix_spawn_file_actions_adddup2(&fa, fd, 5), 0);
	pid = spawn_role(&fa, NULL, "readfd", "5", "5");
	LT_CHECK(pid > 0);
	s = wait_for(pid);
	LT_CHECK(WIFEXITED(s));
	LT_EQ(WEXITSTATUS(s), 0);
	LT_EQ(posix_spawn_file_actions_destroy(&fa), 0);
	/* dup2(fd, fd) clears FD_CLOEXEC for the child. */
	LT_EQ(lseek(fd, 2, SEEK_SET), 2);
	LT_EQ(posix_spawn_file_actions_init(&fa), 0);
	LT_EQ(posix_spawn_file_actions_adddup2(&fa, fd, fd), 0);
	pid = spawn_role(&fa, NULL, "readfd", b, b);
	LT_CHECK(pid > 0);
	s = wait_for(pid);
	LT_CHECK(WIFEXITED(s));
	LT_EQ(WEXITSTATUS(s), 0);
	LT_EQ(posix_spawn_file_actions_destroy(&fa), 0);
	/* A closed fd stays closed: close, then dup2 of it, fails the spawn. */
	LT_EQ(posix_spawn_file_actions_init(&fa), 0);
	LT_EQ(posix_spawn_file_actions_addclose(&fa, fd), 0);
	LT_EQ(posix_spawn_file_actions_adddup2(&fa, fd, 5), 0);
	LT_EQ(posix_spawn(&pid, SELF, &fa, NULL, argv, environ), EBADF);
	LT_EQ(posix_spawn_file_actions_destroy(&fa), 0);
	/* A file action on a bad fd fails the spawn. */
	LT_EQ(posix_spawn_file_actions_init(&fa), 0);
	LT_EQ(posix_spawn_file_actions_adddup2(&fa, 77, 5), 0);
	LT_EQ(posix_spawn(&pid, SELF, &fa, NULL, argv, environ), EBADF);
	LT_EQ(posix_spawn_file_actions_destroy(&fa), 0);
	LT_EQ(close(fd), 0);
	LT_EQ(kill(svc, SIGKILL), 0);
	s = wait_for(svc);
	LT_CHECK(WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL);
	return 0;
}

/*
 * umask is taskman's, inherited by spawn and fork; libc applies it to
 * open(O_CREAT) and mkdir (the server of lsvc.h reports the mode it got).
 */
LTEST(proc, umask)
{
	char *argv[] = { "libcproc", "serve", SVC "-um", NULL };
	struct _proc_umask um = { .type = _PROC_UMASK, .subtype = _PROC_UMASK_GET };
	pid_t svc, pid;
	struct stat st;
	int fd, i;

	LT_EQ(umask(027), 022);			/* taskman's default */
	LT_EQ(umask(027), 027);
	pid = spawn_role(NULL, NULL, "umask", NULL, NULL);
	LT_CHECK(pid > 0);
	LT_EQ(WEXITSTATUS(wait_for(pid)), 027);	/* the child has ours */
	pid = fork();
	if (pid == 0)
		_exit((int)umask(0));
	LT_CHECK(pid > 0);
	LT_EQ(WEXITSTATUS(wait_for(pid)), 027);
	LT_EQ(umask(0777 | 07000), 027);		/* only the permission bits count */
	LT_EQ(umask(027), 0777);
	LT_EQ(posix_spawn(&svc, SELF, NULL, NULL, argv, environ), 0);
	for (i = 0; i < 500 && stat(SVC "-um/data", &st) != 0; i++)
		msleep(10);
	fd = open(SVC "-um/mode", O_RDWR | O_CREAT, 0666);
	LT_CHECK(fd >= 0);
	LT_EQ(ioctl(fd, LSVC_DCMD_MODE), 0640);
	LT_EQ(mkdir(SVC "-um/mode", 0777), 0);
	LT_EQ(ioctl(fd, LSVC_DCMD_MODE), S_IFDIR | 0750);
	LT_EQ(umask(0), 027);
	LT_EQ(mkdir(SVC "-um/mode", 0777), 0);
	LT_EQ(ioctl(fd, LSVC_DCMD_MODE), S_IFDIR | 0777);
	LT_EQ(umask(022), 0);
	/* The raw message: GET, and EINVAL for what is not a mask. */
	LT_EQ(MsgSend_r(SYSMGR_COID, &um, sizeof(um), 0, 0), 022);
	um.um_mask = 1;
	LT_EQ(MsgSend_r(SYSMGR_COID, &um, sizeof(um), 0, 0), -EINVAL);	/* GET with a mask */
	um = (struct _proc_umask){ .type = _PROC_UMASK, .subtype = _PROC_UMASK_SET, .um_mask = 01022 };
	LT_EQ(MsgSend_r(SYSMGR_COID, &um, sizeof(um), 0, 0), -EINVAL);
	um = (struct _proc_umask){ .type = _PROC_UMASK, .subtype = 7 };
	LT_EQ(MsgSend_r(SYSMGR_COID, &um, sizeof(um), 0, 0), -EINVAL);
	LT_EQ(MsgSend_r(SYSMGR_COID, &um, 4, 0, 0), -EINVAL);
	LT_EQ(umask(022), 022);			/* unchanged by them */
	close(fd);
	LT_EQ(kill(svc, SIGKILL), 0);
	wait_for(svc);
	return 0;
}

/*
 * The working directory outlives exec and goes to children (taskman keeps
 * a copy: _PROC_CWD); a chdir that fails changes nothing anywhere.
 */
LTEST(proc, cwd_inherited)
{
	struct {
		struct _proc_cwd h;
		char p[16];
	} m;
	char buf[64];
	pid_t pid;

	LT_EQ(chdir("/proc/boot"), 0);
	LT_CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, "/proc/boot") == 0);
	pid = spawn_role(NULL, NULL, "cwd", "/proc/boot", NULL);
	LT_CHECK(pid > 0);
	LT_EQ(WEXITSTATUS(wait_for(pid)), 0);		/* a spawned child starts here */
	pid = fork();
	if (pid == 0)
		_exit(execl(SELF, "libcproc", "cwd", "/proc/boot", (char *)NULL) ? 10 : 11);
	LT_CHECK(pid > 0);
	LT_EQ(WEXITSTATUS(wait_for(pid)), 0);		/* fork, then exec keeps it */
	pid = fork();
	if (pid == 0) {				/* a child's chdir is its own */
		if (chdir("/") != 0)
			_exit(12);
		_exit(execl(SELF, "libcproc", "cwd", "/", (char *)NULL) ? 10 : 11);
	}
	LT_CHECK(pid > 0);
	LT_EQ(WEXITSTATUS(wait_for(pid)), 0);
	/* Failures change nothing: ENOENT, ENOTDIR, and bad raw messages. */
	LT_EQ(chdir("/no/such/dir"), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(chdir("/proc/boot/libcproc"), -1);
	LT_EQ(errno, ENOTDIR);
	m.h = (struct _proc_cwd){ .type = _PROC_CWD, .subtype = _PROC_CWD_SET, .cw_len = 3 };
	memcpy(m.p, "tmp", 3);
	LT_EQ(MsgSend_r(SYSMGR_COID, &m, sizeof(m.h) + 3, 0, 0), -EINVAL);	/* relative */
	memcpy(m.p, "/tmp", 4);
	LT_EQ(MsgSend_r(SYSMGR_COID, &m, sizeof(m.h) + 4, 0, 0), -EINVAL);	/* cw_len is 3 */
	m.h.cw_len = 0;
	LT_EQ(MsgSend_r(SYSMGR_COID, &m, sizeof(m.h), 0, 0), -EINVAL);	/* empty */
	m.h = (struct _proc_cwd){ .type = _PROC_CWD, .subtype = 9, .cw_len = 4 };
	LT_EQ(MsgSend_r(SYSMGR_COID, &m, sizeof(m.h) + 4, 0, 0), -EINVAL);
	LT_EQ(MsgSend_r(SYSMGR_COID, &m, 2, 0, 0), -EINVAL);			/* short */
	LT_CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, "/proc/boot") == 0);
	pid = spawn_role(NULL, NULL, "cwd", "/proc/boot", NULL);
	LT_CHECK(pid > 0);
	LT_EQ(WEXITSTATUS(wait_for(pid)), 0);
	LT_EQ(chdir("/"), 0);
	pid = spawn_role(NULL, NULL, "cwd", "/", NULL);
	LT_CHECK(pid > 0);
	LT_EQ(WEXITSTATUS(wait_for(pid)), 0);
	return 0;
}

/* Supplementary groups: root sets them, children inherit them, others may not. */
LTEST(proc, supplementary_groups)
{
	gid_t set[3] = { 5, 6, 7 }, got[8], many[33] = { 0 };
	struct _proc_getsetid raw = { .type = _PROC_GETSETID, .subtype = _PROC_ID_GETGROUPS };
	pid_t pid;

	LT_EQ(getgroups(0, NULL), 0);			/* none at first */
	LT_EQ(setgroups(3, set), 0);
	LT_EQ(getgroups(0, NULL), 3);
	LT_EQ(getgroups(8, got), 3);
	LT_CHECK(got[0] == 5 && got[1] == 6 && got[2] == 7);
	LT_EQ(getgroups(2, got), -1);			/* too small a list */
	LT_EQ(errno, EINVAL);
	LT_EQ(setgroups(33, many), -1);			/* more than NGROUPS_MAX */
	LT_EQ(errno, EINVAL);
	LT_EQ(getgroups(0, NULL), 3);			/* unchanged */
	pid = spawn_role(NULL, NULL, "groups", "3", NULL);
	LT_CHECK(pid > 0);
	LT_EQ(WEXITSTATUS(wait_for(pid)), 0);		/* a spawned child has them */
	pid = fork();
	if (pid == 0) {					/* and a forked one; then uid 1000 */
		if (getgroups(8, got) != 3 || got[2] != 7)
			_exit(1);
		if (setuid(1000) != 0)
			_exit(2);
		_exit(setgroups(1, set) == -1 && errno == EPERM && getgroups(0, NULL) == 3 ? 0 : 3);
	}
	LT_CHECK(pid > 0);
	LT_EQ(WEXITSTATUS(wait_for(pid)), 0);
	/* Raw messages: GETGROUPS with stray fields, SETGROUPS with a wrong length. */
	raw.gi_id[0] = 1;
	LT_EQ(MsgSend_r(SYSMGR_COID, &raw, sizeof(raw), got, sizeof(got)), -EINVAL);
	raw = (struct _proc_getsetid){ .type = _PROC_GETSETID, .subtype = _PROC_ID_SETGROUPS,
	    .gi_id = { 2 } };
	LT_EQ(MsgSend_r(SYSMGR_COID, &raw, sizeof(raw), 0, 0), -EINVAL);	/* no ids follow */
	raw.gi_id[0] = -1;
	LT_EQ(MsgSend_r(SYSMGR_COID, &raw, sizeof(raw), 0, 0), -EINVAL);
	raw = (struct _proc_getsetid){ .type = _PROC_GETSETID, .subtype = _PROC_ID_ORPHANED + 1 };
	LT_EQ(MsgSend_r(SYSMGR_COID, &raw, sizeof(raw), 0, 0), -EINVAL);	/* no such subtype */
	/* ORPHANED: the caller's group only (the script's programs' parent is taskman: 1) */
	raw = (struct _proc_getsetid){ .type = _PROC_GETSETID, .subtype = _PROC_ID_ORPHANED };
	LT_EQ(MsgSend_r(SYSMGR_COID, &raw, sizeof(raw), 0, 0), getppid() == 1);
	raw.gi_pid = 1;
	LT_EQ(MsgSend_r(SYSMGR_COID, &raw, sizeof(raw), 0, 0), -EINVAL);
	LT_EQ(setgroups(0, NULL), 0);
	LT_EQ(getgroups(0, NULL), 0);
	return 0;
}

LTEST(proc, memory_from_taskman)
{
	char *p = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	LT_CHECK(p != MAP_FAILED);
	LT_EQ(p[100], 0);
	p[0] = 1, p[3 * 4096 - 1] = 2;
	LT_EQ(munmap(p + 4096, 4096), 0);
	q = mmap(p + 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	    -1, 0);
	LT_CHECK(q == p + 4096);
	q[0] = 3;
	LT_EQ(p[0] + p[3 * 4096 - 1] + q[0], 6);
	LT_EQ(mprotect(p, 4096, PROT_READ | PROT_WRITE), 0);
	LT_EQ(munmap(p, 3 * 4096), 0);
	errno = 0;
	LT_CHECK(mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_CHECK(mmap(0, 1UL << 40, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	LT_EQ(errno, ENOMEM);
	/* malloc (mallocng on taskman's mmap), small and large. */
	for (int i = 0; i < 50; i++) {
		size_t n = (size_t)(i * 37 + 1) << (i % 12);
		char *m = malloc(n);

		LT_CHECK(m != NULL);
		memset(m, i, n);
		LT_EQ(m[n - 1], (char)i);
		free(m);
	}
	return 0;
}

static void *add_one(void *arg)
{
	char big[16384];		/* touches the stack below its first page */

	memset(big, 1, sizeof(big));
	return (void *)((long)arg + big[100] + big[16000] - 1);
}

LTEST(proc, threads_on_taskman_memory)
{
	pthread_t t[4];
	void *r;

	/* musl reserves stacks PROT_NONE and opens them with mprotect. */
	for (long i = 0; i < 4; i++)
		LT_EQ(pthread_create(&t[i], NULL, add_one, (void *)i), 0);
	for (long i = 0; i < 4; i++) {
		LT_EQ(pthread_join(t[i], &r), 0);
		LT_EQ((long)r, i + 1);
	}
	/* Other protection changes: MemProtect; a write to a read-only page faults. */
	volatile char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t pid;

	LT_CHECK(p != MAP_FAILED);
	p[0] = 1;
	LT_EQ(mprotect((void *)p, 4096, PROT_READ), 0);
	LT_EQ(p[0], 1);
	if ((pid = fork()) == 0) {
		p[0] = 2;
		_exit(0);
	}
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	LT_EQ(mprotect((void *)p, 4096, PROT_READ | PROT_WRITE), 0);
	p[0] = 3;
	LT_EQ(p[0], 3);
	errno = 0;
	LT_EQ(mprotect((void *)p, 4096, PROT_NONE), -1);	/* refused, not faked */
	LT_EQ(errno, ENOTSUP);
	LT_EQ(munmap((void *)p, 4096), 0);
	return 0;
}

/*
 * QNX's spawn() and spawnp(): fd_map (explicit, with SPAWN_FDCLOSED and
 * everything else closed; NULL inherits), struct inheritance's group,
 * session, mask and PATH search, envp NULL, and the errors.
 */
static int qspawn_wait(pid_t pid)
{
	int st = pid > 0 ? wait_for(pid) : -1;

	return pid > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

LTEST(proc, qnx_spawn)
{
	int a = open("/proc/boot/libcproc.script", O_RDONLY);
	int b = open("/proc/boot/libcfile.script", O_RDONLY);
	char sa[16], sb[16], *qfds[] = { "libcproc", "qfds", sa, sb, NULL };
	char *qattr[] = { "libcproc", "qattr", NULL, NULL };
	char *envp[] = { "PATH=/proc/boot", NULL };
	struct inheritance inh;
	struct stat st;
	int map[3];

	LT_CHECK(a >= 0 && b >= 0);
	LT_EQ(fstat(a, &st), 0);
	snprintf(sb, sizeof(sb), "%lld", (long long)st.st_size);	/* child's fd 1 */
	LT_EQ(fstat(b, &st), 0);
	snprintf(sa, sizeof(sa), "%lld", (long long)st.st_size);	/* child's fd 0 */
	LT_CHECK(strcmp(sa, sb) != 0);
	map[0] = b, map[1] = a;				/* crossed; the rest closed */
	LT_EQ(qspawn_wait(spawn(SELF, 2, map, NULL, qfds, envp)), 0);
	map[0] = SPAWN_FDCLOSED;
	strcpy(sa, "-");
	LT_EQ(qspawn_wait(spawn(SELF, 2, map, NULL, qfds, envp)), 0);
	LT_EQ(qspawn_wait(spawn(SELF, 0, map, NULL, (char *[]){ "libcproc", "qfds", "-", "-",
	    NULL }, envp)), 0);			/* fd_count 0: no fds at all */
	/* envp NULL: the caller's environment. */
	LT_EQ(setenv("QSPAWN", "yes", 1), 0);
	qattr[2] = "env";
	LT_EQ(qspawn_wait(spawn(SELF, 5, NULL, NULL, qattr, NULL)), 0);	/* no map: the count is ignored */
	/* Inheritance: a new group, a new session, a mask; spawnp and SPAWN_SEARCH_PATH. */
	memset(&inh, 0, sizeof(inh));
	inh.flags = SPAWN_SETGROUP;
	inh.pgroup = SPAWN_NEWPGROUP;
	qattr[2] = "pgrp";
	LT_EQ(qspawn_wait(spawn(SELF, 0, NULL, &inh, qattr, NULL)), 0);
	inh.flags = SPAWN_SETSID;
	qattr[2] = "sid";
	LT_EQ(qspawn_wait(spawn(SELF, 0, NULL, &inh, qattr, NULL)), 0);
	inh.flags = SPAWN_SETSIGMASK;
	sigemptyset(&inh.sigmask);
	sigaddset(&inh.sigmask, SIGUSR1);
	qattr[2] = "mask";
	LT_EQ(qspawn_wait(spawnp("libcproc", 0, NULL, &inh, qattr, envp)), 0);
	inh.flags = SPAWN_SETSIGMASK | SPAWN_SEARCH_PATH;
	LT_EQ(qspawn_wait(spawn("libcproc", 0, NULL, &inh, qattr, envp)), 0);
	{	/* without SPAWN_SETSIGMASK (and for posix_spawn too) the caller's mask */
		sigset_t u2, old;

		sigemptyset(&u2);
		sigaddset(&u2, SIGUSR2);
		LT_EQ(sigprocmask(SIG_BLOCK, &u2, &old), 0);
		qattr[2] = "mask2";
		LT_EQ(qspawn_wait(spawn(SELF, 0, NULL, NULL, qattr, envp)), 0);
		LT_EQ(WEXITSTATUS(wait_for(spawn_role(NULL, NULL, "qattr", "mask2", NULL))), 0);
		LT_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	}
	inh.flags = SPAWN_SETND;
	inh.nd = 0;				/* this node: fine */
	qattr[2] = "env";
	LT_EQ(qspawn_wait(spawn(SELF, 0, NULL, &inh, qattr, NULL)), 0);
	/* Errors: nothing is started. */
	inh.nd = 5;
	LT_EQ(spawn(SELF, 0, NULL, &inh, qattr, NULL), -1);
	LT_EQ(errno, ENOTSUP);			/* another node */
	inh.flags = SPAWN_HOLD;
	LT_EQ(spawn(SELF, 0, NULL, &inh, qattr, NULL), -1);
	LT_EQ(errno, ENOTSUP);
	inh.flags = 1UL << 30;
	LT_EQ(spawn(SELF, 0, NULL, &inh, qattr, NULL), -1);
	LT_EQ(errno, EINVAL);
	map[0] = 99;				/* not open */
	LT_EQ(spawn(SELF, 1, map, NULL, qfds, envp), -1);
	LT_EQ(errno, EBADF);
	map[0] = -7;
	LT_EQ(spawn(SELF, 1, map, NULL, qfds, envp), -1);
	LT_EQ(errno, EBADF);
	LT_EQ(spawn(SELF, -1, map, NULL, qfds, envp), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(spawn(NULL, 0, NULL, NULL, qfds, envp), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(spawn("/proc/boot/no-such-program", 0, NULL, NULL, qfds, envp), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(spawnp("no-such-program", 0, NULL, NULL, qfds, envp), -1);
	LT_EQ(errno, ENOENT);
	close(a);
	close(b);
	return 0;
}

/*
 * SIGCHLD ignored, or SA_NOCLDWAIT: children leave no zombie; a wait
 * waits for them all, then fails with ECHILD (POSIX).  With SA_NOCLDWAIT
 * the handler still runs.  Back to SIG_DFL, a child is waited for again.
 */
static volatile int chld_seen;

static void on_chld(int sig)
{
	(void)sig;
	chld_seen++;
}

LTEST(proc, sigchld_ignored_no_zombies)
{
	struct sigaction sa = { .sa_handler = SIG_IGN }, old;
	pid_t a, b, r;
	int st;

	LT_EQ(sigaction(SIGCHLD, &sa, &old), 0);
	a = spawn_role(NULL, NULL, "exit", "3", NULL);
	b = spawn_role(NULL, NULL, "exit", "4", NULL);
	LT_CHECK(a > 0 && b > 0);
	LT_EQ(waitpid(-1, &st, 0), -1);		/* after both ended: nothing to report */
	LT_EQ(errno, ECHILD);
	LT_EQ(waitpid(a, &st, WNOHANG), -1);
	LT_EQ(errno, ECHILD);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDWAIT;
	chld_seen = 0;
	LT_EQ(sigaction(SIGCHLD, &sa, NULL), 0);
	a = spawn_role(NULL, NULL, "exit", "5", NULL);
	LT_CHECK(a > 0);
	/* The handler (no SA_RESTART) may interrupt the wait first: EINTR, then ECHILD. */
	while ((r = waitpid(a, &st, 0)) == -1 && errno == EINTR)
		;
	LT_EQ(r, -1);
	LT_EQ(errno, ECHILD);
	for (int i = 0; i < 100 && chld_seen == 0; i++)
		msleep(10);
	LT_CHECK(chld_seen > 0);		/* the handler ran all the same */
	LT_EQ(sigaction(SIGCHLD, &old, NULL), 0);
	a = spawn_role(NULL, NULL, "exit", "6", NULL);
	LT_CHECK(a > 0);
	st = wait_for(a);			/* a zombie again */
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 6);
	return 0;
}

/*
 * Signal actions across spawn and exec (POSIX): what the parent ignores
 * stays ignored in the child of posix_spawn, spawn() and fork + exec, but
 * for posix_spawn's POSIX_SPAWN_SETSIGDEF set (QNX's SPAWN_SETSIGDEF),
 * which starts SIG_DFL; a caught signal starts SIG_DFL (the handler is
 * the old program's).  fork keeps every action, handlers included.  The
 * child ("sigdisp WANT") reads SIGINT, SIGTERM, SIGUSR1, SIGUSR2 and
 * SIGCHLD with sigaction: I ignored, D default.
 */
static const int disp_sigs[] = { SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD };

static void on_usr2(int sig)
{
	(void)sig;
}

static int disp_spawn(const posix_spawnattr_t *at, const char *want)
{
	int st = wait_for(spawn_role(NULL, at, "sigdisp", want, NULL));

	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

static int disp_qspawn(const struct inheritance *inh, const char *want)
{
	char *argv[] = { "libcproc", "sigdisp", (char *)want, NULL };

	return qspawn_wait(spawn(SELF, 0, NULL, inh, argv, NULL));
}

LTEST(proc, sig_ign_inherited)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, hnd = { .sa_handler = on_usr2 };
	struct sigaction old[5], cur;
	struct inheritance inh;
	posix_spawnattr_t at;
	sigset_t def;
	pid_t pid;
	int st;

	for (int i = 0; i < 5; i++)
		LT_EQ(sigaction(disp_sigs[i], NULL, &old[i]), 0);
	LT_EQ(sigaction(SIGINT, &ign, NULL), 0);
	LT_EQ(sigaction(SIGTERM, &ign, NULL), 0);
	LT_EQ(sigaction(SIGUSR1, &ign, NULL), 0);
	LT_EQ(sigaction(SIGUSR2, &hnd, NULL), 0);
	LT_EQ(disp_spawn(NULL, "IIIDD"), 0);		/* posix_spawn */
	LT_EQ(posix_spawnattr_init(&at), 0);
	sigemptyset(&def);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGUSR2);			/* caught: SIG_DFL anyway */
	LT_EQ(posix_spawnattr_setsigdefault(&at, &def), 0);
	LT_EQ(disp_spawn(&at, "IIIDD"), 0);		/* the set without the flag: no effect */
	LT_EQ(posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF), 0);
	LT_EQ(disp_spawn(&at, "IDIDD"), 0);
	LT_EQ(posix_spawnattr_destroy(&at), 0);
	LT_EQ(disp_qspawn(NULL, "IIIDD"), 0);		/* QNX spawn() */
	memset(&inh, 0, sizeof(inh));
	inh.flags = SPAWN_SETSIGDEF;
	sigemptyset(&inh.sigdefault);
	sigaddset(&inh.sigdefault, SIGINT);
	sigaddset(&inh.sigdefault, SIGUSR1);
	LT_EQ(disp_qspawn(&inh, "DIDDD"), 0);
	pid = fork();					/* fork keeps all; exec drops the handler */
	if (pid == 0) {
		char *argv[] = { "libcproc", "sigdisp", "IIIDD", NULL };

		if (sigaction(SIGUSR2, NULL, &cur) != 0 || cur.sa_handler != on_usr2 ||
		    sigaction(SIGTERM, NULL, &cur) != 0 || cur.sa_handler != SIG_IGN)
			_exit(50);
		execve(SELF, argv, environ);
		_exit(51);
	}
	LT_CHECK(pid > 0);
	st = wait_for(pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	/* Back to the defaults here: the child sees defaults too. */
	for (int i = 0; i < 5; i++)
		LT_EQ(sigaction(disp_sigs[i], &old[i], NULL), 0);
	LT_EQ(disp_spawn(NULL, "DDDDD"), 0);
	return 0;
}

/*
 * SIGCHLD ignored is inherited too, with what it means: the spawned
 * child's own children leave no zombies, so its wait fails with ECHILD.
 * The child reports after the parent has gone back to SIG_DFL (so the
 * child itself is kept for the wait): it waits for SIGUSR1, blocked from
 * the start (the spawner's mask).
 */
LTEST(proc, sigchld_ign_inherited)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigset_t u1, mask;
	pid_t pid;
	int st;

	sigemptyset(&u1);
	sigaddset(&u1, SIGUSR1);
	LT_EQ(sigprocmask(SIG_BLOCK, &u1, &mask), 0);
	LT_EQ(sigaction(SIGCHLD, &ign, &old), 0);
	pid = spawn_role(NULL, NULL, "nozombie", NULL, NULL);
	LT_EQ(sigaction(SIGCHLD, &old, NULL), 0);
	LT_EQ(sigprocmask(SIG_SETMASK, &mask, NULL), 0);
	LT_CHECK(pid > 0);
	LT_EQ(kill(pid, SIGUSR1), 0);
	st = wait_for(pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	return 0;
}

/* The children's roles; each exits 0 (or the asked code) when all is well. */
static int child(int argc, char **argv)
{
	const char *role = argv[1];
	char b[8];

	if (strcmp(role, "exit") == 0) {
		const char *e = getenv("LIBCPROC");

		if (argc > 3 && (atoi(argv[3]) != getppid() || !e || strcmp(e, "child")))
			return 1;
		exit(atoi(argv[2]));
	}
	if (strcmp(role, "pause") == 0) {
		for (;;)
			pause();
	}
	if (strcmp(role, "setsid") == 0)
		return setsid() == getpid() && getsid(0) == getpid() && getpgid(0) == getpid() ?
		    0 : 1;
	if (strcmp(role, "readfd") == 0) {
		struct stat st;
		int fd = atoi(argv[2]), mf = atoi(argv[3]);

		if (read(fd, b, 4) != 4 || memcmp(b, "2345", 4) != 0)
			return 2;
		for (int i = 0; i < 32; i++)	/* nothing else came: the close action */
			if (i != fd && i != mf && (fcntl(i, F_GETFD) != -1 || errno != EBADF))
				return 3;
		if (fstat(mf, &st) != 0 || !S_ISREG(st.st_mode))
			return 4;
		return 0;
	}
	if (strcmp(role, "umask") == 0)
		return (int)umask(0);
	if (strcmp(role, "groups") == 0)
		return getgroups(0, NULL) == atoi(argv[2]) ? 0 : 1;
	if (strcmp(role, "cwd") == 0) {		/* started in argv[2]? */
		struct stat st;
		char dir[64];

		if (getcwd(dir, sizeof(dir)) == NULL || strcmp(dir, argv[2]) != 0)
			return 1;
		if (strcmp(dir, "/proc/boot") == 0 && stat("libcproc", &st) != 0)
			return 2;		/* relative paths start there too */
		return 0;
	}
	if (strcmp(role, "qfds") == 0) {	/* fd 0 and 1: files of sizes argv[2], argv[3] ("-": closed) */
		struct stat st;

		for (int i = 0; i < 2; i++) {
			const char *want = argv[2 + i];

			if (strcmp(want, "-") == 0 ? fcntl(i, F_GETFD) != -1 || errno != EBADF :
			    fstat(i, &st) != 0 || st.st_size != atoi(want))
				return 10 + i;
		}
		for (int i = 2; i < 32; i++)	/* nothing else */
			if (fcntl(i, F_GETFD) != -1 || errno != EBADF)
				return 12;
		return 0;
	}
	if (strcmp(role, "qattr") == 0) {	/* spawn()'s inheritance: argv[2] says which */
		sigset_t m;

		if (strcmp(argv[2], "env") == 0)
			return getenv("QSPAWN") && strcmp(getenv("QSPAWN"), "yes") == 0 ? 0 : 1;
		if (strcmp(argv[2], "pgrp") == 0)
			return getpgid(0) == getpid() && getsid(0) != getpid() ? 0 : 1;
		if (strcmp(argv[2], "sid") == 0)
			return getsid(0) == getpid() ? 0 : 1;
		if (strcmp(argv[2], "mask") == 0)
			return sigprocmask(SIG_BLOCK, NULL, &m) == 0 && sigismember(&m, SIGUSR1) &&
			    !sigismember(&m, SIGUSR2) ? 0 : 1;
		if (strcmp(argv[2], "mask2") == 0)	/* the spawner's own mask */
			return sigprocmask(SIG_BLOCK, NULL, &m) == 0 && sigismember(&m, SIGUSR2) &&
			    !sigismember(&m, SIGUSR1) ? 0 : 1;
		return 2;
	}
	if (strcmp(role, "nozombie") == 0) {	/* SIGCHLD inherited ignored: no zombie */
		struct sigaction sa;
		sigset_t u1;
		pid_t g = spawn_role(NULL, NULL, "exit", "3", NULL);
		int st, sig, r = 0;

		if (sigaction(SIGCHLD, NULL, &sa) != 0 || sa.sa_handler != SIG_IGN)
			r = 1;
		else if (g <= 0)
			r = 2;
		else if (waitpid(g, &st, 0) != -1 || errno != ECHILD)
			r = 3;			/* it ended, and was not kept */
		sigemptyset(&u1);
		sigaddset(&u1, SIGUSR1);
		sigwait(&u1, &sig);
		return r;
	}
	if (strcmp(role, "sigdisp") == 0) {	/* argv[2][i]: I or D for disp_sigs[i] */
		for (int i = 0; i < 5; i++) {
			struct sigaction sa;

			if (sigaction(disp_sigs[i], NULL, &sa) != 0)
				return 20;
			if (sa.sa_handler != (argv[2][i] == 'I' ? SIG_IGN : SIG_DFL))
				return 1 + i;
		}
		return 0;
	}
	if (strcmp(role, "nofd") == 0)
		return fcntl(atoi(argv[2]), F_GETFD) == -1 && errno == EBADF ? 0 : 1;
	if (strcmp(role, "serve") == 0)
		return lsvc_serve(argv[2]);
	return 99;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return child(argc, argv);
	return lt_run_all() ? 1 : 0;
}
