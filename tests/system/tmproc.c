/*
 * tests/system/tmproc.c - taskman's process manager beyond spawn: wait
 * statuses from the kernel (exit versus signal), SIGCHLD, stop and
 * continue (WUNTRACED/WCONTINUED), killing a process group, fork, exec
 * and fork + exec + wait.  Raw sys/procmsg.h messages, as libc will send
 * them.  taskman runs it from tmproc.script; it starts copies of itself
 * in other roles (argv[1]) through _PROC_SPAWN, _PROC_FORK and _PROC_EXEC.
 */
#include <abi/signal.h>
#include <abi/time.h>
#include <sys/iomsg.h>
#define SELF		"/proc/boot/tmproc"
#include "tmutil.h"

#define STOPPED(sig)	((sig) << 8 | 0x7f)	/* the kernel's stop status */
#define CONTINUED	0xffff

static volatile int shared = 42;		/* fork's copy-on-write checks */

static long
fork_fl(uint32_t flags)
{
	struct _proc_fork f = { .type = _PROC_FORK, .fk_flags = flags };

	return sysmgr(&f, sizeof(f), NULL, 0);
}

static long
fork_(void)
{
	return fork_fl(0);
}

/*
 * Does a server have path?  _IO_CONNECT_RET_LINK, or -ENOENT when only
 * taskman's image at "/" matches it.
 */
static long
resolve(const char *path)
{
	struct {
		struct _io_connect		c;
		char				path[64];
	} m = { .c = { .type = _IO_CONNECT, .subtype = _IO_CONNECT_OPEN, .entry_max = 4 } };
	struct {
		struct _io_connect_link_reply	lr;
		struct _io_connect_entry	e[4];
	} r;

	long st;

	m.c.reply_max = sizeof(r);
	m.c.path_len = (uint16_t)(strlen(path) + 1);
	memcpy(m.path, path, m.c.path_len);
	st = sysmgr(&m, sizeof(m.c) + m.c.path_len, &r, sizeof(r));
	if (st == _IO_CONNECT_RET_LINK && r.e[0].pid == SYSMGR_PID && r.e[0].prefix_len == 1)
		return -ENOENT;
	return st;
}

/* _PROC_EXEC of path with argv; returns only on an error (-errno). */
static long
exec_(const char *path, const char *const *argv)
{
	size_t len = pack_spawn(_PROC_EXEC, path, argv, NULL, 0, 0, NULL, 0);

	return sysmgr(spawnbuf, len, NULL, 0);
}

/* The next SIGCHLD about child pid (others are skipped), within 5 s; the signal or -errno. */
static long
sigchld_of(long pid, struct __abi_siginfo *si)
{
	uint64_t set = 1UL << (SIGCHLD - 1);

	for (int i = 0; i < 20; i++) {
		uint64_t ns = 5000000000ULL;
		long rc;

		KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_SIGWAITINFO, 0, (long)&ns, 0, 0);
		rc = KC(SignalWaitinfo, (long)&set, (long)si, 0, 0, 0, 0);
		if (rc < 0 || si->__asi_fields.__asi_chld.asi_pid == pid)
			return rc;
	}
	return -EAGAIN;
}

/*
 * Take any SIGCHLD left pending by earlier tests: signals are not queued,
 * so one still pending would swallow the next.
 */
static void
drain_sigchld(void)
{
	uint64_t set = 1UL << (SIGCHLD - 1), ns = 0;
	struct __abi_siginfo si;

	do
		KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_SIGWAITINFO, 0, (long)&ns, 0, 0);
	while (KC(SignalWaitinfo, (long)&set, (long)&si, 0, 0, 0, 0) == SIGCHLD);
}

/* Connect to a "sleep" child's channel once it has one; the coid or -errno. */
static long
sleeper_coid(long pid)
{
	long co = -1;

	for (int i = 0; i < 200 && co < 0; i++) {
		co = KC(ConnectAttach, 0, pid, 1, 0, 0, 0);
		if (co < 0)
			rt_sleep_ms(10);
	}
	return co;
}

/* ---- wait statuses and SIGCHLD ------------------------------------------------ */

UTEST(tmp, exit_and_signal_statuses_differ)
{
	struct _proc_wait_reply r;
	long a = spawn_role("exit", "11"), b = spawn_role("sleep", NULL);

	UT_CHECK(a > 1 && b > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)a, 0, &r), 0);
	UT_EQ(r.wr_status, 11 << 8);		/* exit(11), not SIGSEGV */
	UT_EQ(r.wr_code, _WAIT_CLD_EXITED);
	UT_EQ(r.wr_value, 11);
	UT_EQ(KC(SignalKill, 0, b, 0, SIGTERM, 0, 0), 0);
	UT_EQ(wait_id(_WAIT_P_PID, (int)b, 0, &r), 0);
	UT_EQ(r.wr_status, SIGTERM);		/* WIFSIGNALED, WTERMSIG 15 */
	UT_EQ(r.wr_code, _WAIT_CLD_KILLED);
	UT_EQ(r.wr_value, SIGTERM);
	return 0;
}

UTEST(tmp, sigchld_names_the_child)
{
	struct __abi_siginfo si;
	struct _proc_wait_reply r;
	long a, b;

	drain_sigchld();
	a = spawn_role("exit", "7");
	UT_CHECK(a > 1);
	UT_EQ(sigchld_of(a, &si), SIGCHLD);
	UT_EQ(si.asi_code, _WAIT_CLD_EXITED);
	UT_EQ(si.__asi_fields.__asi_chld.asi_status, 7);
	UT_EQ(wait_id(_WAIT_P_PID, (int)a, 0, &r), 0);
	b = spawn_role("sleep", NULL);
	UT_CHECK(b > 1);
	UT_EQ(KC(SignalKill, 0, b, 0, SIGTERM, 0, 0), 0);
	UT_EQ(sigchld_of(b, &si), SIGCHLD);
	UT_EQ(si.asi_code, _WAIT_CLD_KILLED);
	UT_EQ(si.__asi_fields.__asi_chld.asi_pid, b);
	UT_EQ(si.__asi_fields.__asi_chld.asi_status, SIGTERM);
	UT_EQ(wait_id(_WAIT_P_PID, (int)b, 0, &r), 0);
	return 0;
}

UTEST(tmp, stop_and_continue)
{
	struct __abi_siginfo si;
	struct _proc_wait_reply r;
	long pid, co;

	drain_sigchld();
	pid = spawn_role("sleep", NULL);
	UT_CHECK(pid > 1);
	UT_CHECK((co = sleeper_coid(pid)) >= 0);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, _WAIT_WNOHANG | _WAIT_WUNTRACED, &r), 0);
	UT_EQ(r.wr_pid, 0);				/* nothing to report yet */
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGSTOP, 0, 0), 0);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, _WAIT_WUNTRACED, &r), 0);
	UT_EQ(r.wr_pid, pid);
	UT_EQ(r.wr_status, STOPPED(SIGSTOP));
	UT_EQ(r.wr_code, _WAIT_CLD_STOPPED);
	UT_EQ(r.wr_value, SIGSTOP);
	UT_EQ(sigchld_of(pid, &si), SIGCHLD);
	UT_EQ(si.asi_code, _WAIT_CLD_STOPPED);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, _WAIT_WNOHANG | _WAIT_WUNTRACED, &r), 0);
	UT_EQ(r.wr_pid, 0);				/* reported once */
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGCONT, 0, 0), 0);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, _WAIT_WCONTINUED, &r), 0);
	UT_EQ(r.wr_status, CONTINUED);
	UT_EQ(r.wr_code, _WAIT_CLD_CONTINUED);
	UT_EQ(sigchld_of(pid, &si), SIGCHLD);
	UT_EQ(si.asi_code, _WAIT_CLD_CONTINUED);
	UT_EQ(KC(MsgSend, co, (long)"bye", 4, 0, 0, 0), 0);	/* it runs again */
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_status, 5 << 8);
	KC(ConnectDetach, co, 0, 0, 0, 0, 0);
	return 0;
}

UTEST(tmp, kill_a_process_group)
{
	struct _proc_wait_reply r;
	long a = spawn_fl(SELF, (const char *[]){ SELF, "sleep", NULL }, NULL, _SPAWN_SETPGROUP, 0,
	    NULL, 0), b, c;

	UT_CHECK(a > 1);
	b = spawn_fl(SELF, (const char *[]){ SELF, "sleep", NULL }, NULL, _SPAWN_SETPGROUP, (int)a,
	    NULL, 0);
	c = spawn_role("sleep", NULL);
	UT_CHECK(b > 1 && c > 1);
	UT_EQ(setid(_PROC_ID_SETPGID, (int)c, (int)a), 0);	/* c joins through setpgid */
	UT_CHECK(sleeper_coid(a) >= 0 && sleeper_coid(b) >= 0 && sleeper_coid(c) >= 0);
	UT_EQ(KC(SignalKill, 0, -a, 0, SIGTERM, 0, 0), 0);
	for (int i = 0; i < 3; i++) {
		UT_EQ(wait_id(_WAIT_P_PGID, (int)a, 0, &r), 0);
		UT_EQ(r.wr_status, SIGTERM);
	}
	UT_EQ(wait_id(_WAIT_P_PGID, (int)a, 0, &r), -ECHILD);
	return 0;
}

/* ---- fork and exec -------------------------------------------------------------- */

/* The forked child: its own connection, the parent's memory, its own copy. */
static int
forked_child(int parent, const char *on_stack)
{
	struct _proc_ids ids;

	if (sysmgr_attach() < 0)
		return 60;
	if (strcmp(on_stack, "on the stack") != 0 || shared != 42)
		return 61;
	if (ids_of(0, &ids) < 0 || ids.pi_ppid != parent || ids.pi_pid == parent)
		return 62;
	rt_sleep_ms(50);
	if (shared != 42)
		return 63;		/* the parent's write after the fork leaked in */
	shared = 7;
	return 33;
}

UTEST(tmp, fork_copies_memory_apart)
{
	char on_stack[16] = "on the stack";
	struct _proc_wait_reply r;
	struct _proc_ids me;
	long pid;

	UT_EQ(ids_of(0, &me), 0);
	shared = 42;
	pid = fork_();
	if (pid == 0)
		rt_exit(forked_child(me.pi_pid, on_stack));
	UT_CHECK(pid > 1);
	shared = 99;
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_status, 33 << 8);
	UT_EQ(shared, 99);			/* the child's write stayed in the child */
	UT_EQ(ids_of((int)pid, &me), -ESRCH);	/* reaped */
	struct _proc_fork bad = { .type = _PROC_FORK, .fk_zero = 1 };
	UT_EQ(sysmgr(&bad, sizeof(bad), NULL, 0), -EINVAL);
	bad.fk_zero = 0;
	UT_EQ(sysmgr(&bad, 8, NULL, 0), -EINVAL);		/* short */
	return 0;
}

/* The forked child "takes its fds" (attaches a path) before saying _PROC_SPAWN_DONE. */
static int
waitfds_child(void)
{
	struct _msg_hdr done = { _PROC_SPAWN_DONE, 0 };
	struct {
		struct _path_attach	a;
		char			path[16];
	} at = { .a = { .type = _PATH_ATTACH, .pa_handle = 1, .pa_path_len = sizeof("/tmproc-fds") },
	    .path = "/tmproc-fds" };

	if (sysmgr_attach() < 0)
		return 64;
	at.a.pa_chid = (int32_t)KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	rt_sleep_ms(100);			/* the parent must still be waiting */
	if (sysmgr(&at, sizeof(at.a) + at.a.pa_path_len, NULL, 0) <= 0)
		return 65;
	if (sysmgr(&done, sizeof(done), NULL, 0) != 0)
		return 66;
	rt_sleep_ms(100);
	return 34;
}

/* _FORK_WAITFDS: the parent's fork returns after the child's _PROC_SPAWN_DONE, or its death. */
UTEST(tmp, fork_waits_for_the_childs_fds)
{
	struct _proc_wait_reply r;
	long pid = fork_fl(_FORK_WAITFDS);

	if (pid == 0)
		rt_exit(waitfds_child());
	UT_CHECK(pid > 1);
	UT_EQ(resolve("/tmproc-fds"), _IO_CONNECT_RET_LINK);	/* it had attached */
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_status, 34 << 8);
	UT_EQ(resolve("/tmproc-fds"), -ENOENT);			/* gone with it */
	pid = fork_fl(_FORK_WAITFDS);
	if (pid == 0)
		rt_exit(35);				/* dies without _PROC_SPAWN_DONE */
	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_status, 35 << 8);
	UT_EQ(fork_fl(2), -EINVAL);				/* an unknown flag */
	return 0;
}

/* A child forks a grandchild; both exit statuses arrive where they should. */
UTEST(tmp, fork_in_a_child)
{
	struct _proc_wait_reply r;
	long pid = spawn_role("forker", NULL);

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_status, 4 << 8);
	UT_EQ(wait_id(_WAIT_P_ALL, 0, _WAIT_WNOHANG, &r), -ECHILD);	/* not ours */
	return 0;
}

UTEST(tmp, exec_keeps_the_pid)
{
	struct _proc_wait_reply r;
	long pid = spawn_role("execer", NULL);

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_status, 8 << 8);		/* "execd" ran in the same pid */
	return 0;
}

UTEST(tmp, fork_exec_wait)
{
	const char *argv[] = { SELF, "exit", "9", NULL };
	struct _proc_wait_reply r;
	long pid = fork_();

	if (pid == 0)
		rt_exit(sysmgr_attach() < 0 ? 70 : 71 + (int)-exec_(SELF, argv));
	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_status, 9 << 8);
	return 0;
}

UTEST(tmp, exec_errors_leave_the_caller)
{
	const char *argv[] = { "x", NULL };
	struct _proc_spawn_fd fd = { .sf_fd = 3 };
	size_t len;

	UT_EQ(exec_("/proc/boot/no-such-program", argv), -ENOENT);
	UT_EQ(exec_("/proc/boot/tmtest.notelf", argv), -ENOEXEC);
	UT_EQ(exec_("/proc/boot/motd", argv), -EACCES);
	len = pack_spawn(_PROC_EXEC, SELF, argv, NULL, _SPAWN_SETSID, 0, NULL, 0);
	UT_EQ(sysmgr(spawnbuf, len, NULL, 0), -EINVAL);		/* exec takes no flags */
	len = pack_spawn(_PROC_EXEC, SELF, argv, NULL, 0, 0, &fd, 1);
	UT_EQ(sysmgr(spawnbuf, len, NULL, 0), -EINVAL);		/* ... and no fds */
	UT_EQ(sysmgr(spawnbuf, 20, NULL, 0), -EINVAL);		/* short */
	return 0;
}

/* ---- the roles of the children --------------------------------------------------- */

static int
role_sleep(void)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	struct _msg_info info;
	char buf[8];
	long rcvid;

	if (chid != 1)
		return 40;
	rcvid = KC(MsgReceive, chid, (long)buf, sizeof(buf), (long)&info, 0, 0);
	KC(MsgReply, rcvid, 0, 0, 0, 0, 0);
	return 5;
}

static int
role_forker(void)
{
	struct _proc_wait_reply r;
	long pid = fork_();

	if (pid == 0)
		return sysmgr_attach() < 0 ? 50 : 3;
	if (pid < 0)
		return 51;
	if (wait_id(_WAIT_P_PID, (int)pid, 0, &r) < 0 || r.wr_status != 3 << 8)
		return 52;
	return 4;
}

/* Fail to exec twice (and go on), then become "execd" with our pid as its argument. */
static int
role_execer(void)
{
	const char *bad[] = { "x", NULL };
	struct _proc_ids me;
	char pid[16];

	if (exec_("/proc/boot/none", bad) != -ENOENT || exec_("/proc/boot/motd", bad) != -EACCES)
		return 80;
	if (ids_of(0, &me) < 0)
		return 81;
	rt_snprintf(pid, sizeof(pid), "%d", me.pi_pid);
	exec_(SELF, (const char *[]){ SELF, "execd", pid, "x y", NULL });
	return 82;			/* not reached */
}

/* The program after exec: same pid, the arguments as sent. */
static int
role_execd(void)
{
	struct _proc_ids me;

	if (init_sp[0] != 4 || strcmp(arg_str(3), "x y") != 0)
		return 90;
	if (ids_of(0, &me) < 0 || me.pi_pid != number(arg_str(2)))
		return 91;
	return 8;
}

static int
role(const char *r)
{
	if (strcmp(r, "exit") == 0)
		return number(arg_str(2));
	if (strcmp(r, "sleep") == 0)
		return role_sleep();
	if (strcmp(r, "forker") == 0)
		return role_forker();
	if (strcmp(r, "execer") == 0)
		return role_execer();
	if (strcmp(r, "execd") == 0)
		return role_execd();
	return 99;
}

static void
on_sigchld(int signo)
{
	(void)signo;	/* never runs: SIGCHLD stays blocked and sigchld_of takes it */
}

int
umain(uint64_t arg)
{
	uint64_t chld = 1UL << (SIGCHLD - 1);
	struct __abi_sigaction act = { (uint64_t)(uintptr_t)on_sigchld, 0, 0 };

	init_sp = (uint64_t *)(uintptr_t)arg;
	if (sysmgr_attach() < 0) {
		rt_printf("tmproc: cannot reach taskman (%ld)\n", sys_coid);
		return 2;
	}
	if (init_sp[0] >= 2)
		return role(arg_str(1));
	/*
	 * SIGCHLD stays pending for sigchld_of: blocked, with a handler (the
	 * kernel discards a default-ignored signal even when it is blocked).
	 */
	KC(SignalProcmask, 0, 0, __ABI_SIG_BLOCK, (long)&chld, 0, 0);
	KC(SignalAction, 0, (long)__rt_sigstub, SIGCHLD, (long)&act, 0, 0);
	return utest_run_all() ? 1 : 0;
}
