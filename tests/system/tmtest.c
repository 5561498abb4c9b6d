/*
 * tests/system/tmtest.c - taskman through its messages (sys/procmsg.h,
 * sys/iomsg.h), with raw structs as libc will send them.  taskman runs
 * it from a test script (script=/proc/boot/tmtest.script); it starts
 * copies of itself in other roles (argv[1]) through _PROC_SPAWN.
 */
#include <abi/neutrino.h>
#include <abi/thread.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>
#define SELF		"/proc/boot/tmtest"
#include "tmutil.h"

#define BIG_ARG		20000		/* bytes: more than taskman receives at once */

static volatile uintptr_t bad_addr;	/* 0; volatile so the store is not optimised away */

/* ---- tests: spawn and wait ---------------------------------------------------- */

UTEST(tm, spawn_passes_argv_and_envp)
{
	const char *argv[] = { SELF, "args", "a b", "", "ccc", NULL };
	const char *envp[] = { "X=1", "PATH=/proc/boot", NULL };
	struct _proc_wait_reply r;
	long pid = spawn_fl(SELF, argv, envp, 0, 0, NULL, 0);

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_pid, pid);
	UT_EQ(r.wr_code, _WAIT_CLD_EXITED);
	UT_EQ(r.wr_value, 0);		/* the child found exactly what we sent */
	return 0;
}

/* A spawn message longer than taskman's receive buffer: it reads the rest. */
UTEST(tm, spawn_with_long_arguments)
{
	static char big[BIG_ARG + 1];
	const char *argv[] = { SELF, "bigarg", big, NULL };
	struct _proc_wait_reply r;
	long pid;

	for (int i = 0; i < BIG_ARG; i++)
		big[i] = (char)('a' + i % 26);
	pid = spawn_fl(SELF, argv, NULL, 0, 0, NULL, 0);
	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_value, 0);
	/* Claiming more than _SPAWN_ARGS_MAX is refused before anything is read. */
	struct _proc_spawn s = { .type = _PROC_SPAWN, .sp_path_len = 2,
	    .sp_strings_len = _SPAWN_ARGS_MAX + 1, .sp_argc = 1 };
	UT_EQ(sysmgr(&s, sizeof(s), NULL, 0), -E2BIG);
	return 0;
}

UTEST(tm, wait_returns_exit_status)
{
	struct _proc_wait_reply r;
	long pid = spawn_role("exit", "42");

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_ALL, 0, 0, &r), 0);
	UT_EQ(r.wr_pid, pid);
	UT_EQ(r.wr_status, 42 << 8);
	UT_EQ(r.wr_value, 42);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), -ECHILD);	/* reaped */
	return 0;
}

UTEST(tm, wnohang_then_wait)
{
	struct _proc_wait_reply r;
	long pid = spawn_role("sleep", NULL);

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, _WAIT_WNOHANG, &r), 0);
	UT_EQ(r.wr_pid, 0);			/* still running */
	UT_EQ(wake_sleeper(pid), 0);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, _WAIT_WNOWAIT, &r), 0);
	UT_EQ(r.wr_pid, pid);
	UT_EQ(r.wr_value, 5);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, _WAIT_WNOHANG, &r), 0);	/* WNOWAIT left it */
	UT_EQ(r.wr_pid, pid);
	return 0;
}

UTEST(tm, echild)
{
	struct _proc_wait_reply r;

	UT_EQ(wait_id(_WAIT_P_ALL, 0, 0, &r), -ECHILD);
	UT_EQ(wait_id(_WAIT_P_PID, 1, 0, &r), -ECHILD);		/* taskman is not our child */
	UT_EQ(wait_id(_WAIT_P_PGID, 99999, _WAIT_WNOHANG, &r), -ECHILD);
	return 0;
}

UTEST(tm, wait_by_group)
{
	struct _proc_wait_reply r;
	long a = spawn_fl(SELF, (const char *[]){ SELF, "exit", "3", NULL }, NULL,
	    _SPAWN_SETPGROUP, 0, NULL, 0);
	long b;

	UT_CHECK(a > 1);
	b = spawn_fl(SELF, (const char *[]){ SELF, "exit", "4", NULL }, NULL, _SPAWN_SETPGROUP,
	    (int)a, NULL, 0);
	UT_CHECK(b > 1);
	UT_EQ(wait_id(_WAIT_P_PGID, (int)a, 0, &r), 0);
	UT_CHECK(r.wr_pid == a || r.wr_pid == b);
	UT_EQ(wait_id(_WAIT_P_PGID, (int)a, 0, &r), 0);
	UT_CHECK(r.wr_pid == a || r.wr_pid == b);
	UT_EQ(wait_id(_WAIT_P_PGID, (int)a, 0, &r), -ECHILD);
	return 0;
}

UTEST(tm, a_fault_is_a_signal_status)
{
	struct _proc_wait_reply r;
	long pid = spawn_role("fault", NULL);

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_code, _WAIT_CLD_KILLED);
	UT_EQ(r.wr_status, 11);
	UT_EQ(r.wr_value, 11);
	return 0;
}

UTEST(tm, spawn_errors)
{
	const char *argv[] = { "x", NULL };

	UT_EQ(spawn_fl("/proc/boot/no-such-program", argv, NULL, 0, 0, NULL, 0), -ENOENT);
	UT_EQ(spawn_fl("/no/such/program", argv, NULL, 0, 0, NULL, 0), -ENOENT);
	UT_EQ(spawn_fl("/etc/passwd", argv, NULL, 0, 0, NULL, 0), -EACCES);	/* in the image, 0644 */
	UT_EQ(spawn_fl("/proc/boot/tmtest.notelf", argv, NULL, 0, 0, NULL, 0), -ENOEXEC);
	UT_EQ(spawn_fl("/proc/boot/motd", argv, NULL, 0, 0, NULL, 0), -EACCES);	/* not executable */
	UT_EQ(spawn_fl("/proc/boot/", argv, NULL, 0, 0, NULL, 0), -EACCES);	/* a directory */
	UT_EQ(spawn_fl(SELF, argv, NULL, 0x8000, 0, NULL, 0), -EINVAL);	/* unknown flag */
	UT_EQ(spawn_fl(SELF, argv, NULL, _SPAWN_SETPGROUP, 99999, NULL, 0), -EPERM);
	return 0;
}

/* A symbolic link in the image is followed (toybox's applets are links). */
UTEST(tm, spawn_through_a_link)
{
	struct _proc_wait_reply r;
	long pid = spawn_fl("/proc/boot/tmtest.link",
	    (const char *[]){ "tmtest.link", "exit", "43", NULL }, NULL, 0, 0, NULL, 0);

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_code, _WAIT_CLD_EXITED);
	UT_EQ(r.wr_value, 43);
	return 0;
}

UTEST(tm, spawn_with_fds_waits_for_the_child)
{
	struct _proc_spawn_fd fd = { .sf_fd = 3, .sf_parent_fd = 7, .sf_pid = 1, .sf_chid = 1,
	    .sf_scoid = 12 };
	const char *argv[] = { SELF, "fds", NULL };
	struct _proc_wait_reply r;
	long pid = spawn_fl(SELF, argv, NULL, 0, 0, &fd, 1);

	UT_CHECK(pid > 1);
	/* The reply came after the child's _PROC_SPAWN_DONE, so it ran already. */
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_value, 0);
	return 0;
}

UTEST(tm, exit_closes_connections)
{
	long chid = KC(ChannelCreate, _NTO_CHF_DISCONNECT, 0, 0, 0, 0, 0), pid, rcvid;
	struct _proc_ids me;
	struct _proc_wait_reply r;
	struct _msg_info info;
	union { struct _pulse p; char b[16]; } in;
	char arg[24];

	UT_CHECK(chid > 0);
	UT_EQ(ids_of(0, &me), 0);
	rt_snprintf(arg, sizeof(arg), "%d.%ld", me.pi_pid, chid);
	pid = spawn_role("connect", arg);
	UT_CHECK(pid > 1);
	rcvid = KC(MsgReceive, chid, (long)&in, sizeof(in), (long)&info, 0, 0);
	UT_CHECK(rcvid > 0);
	UT_EQ(info.pid, pid);
	UT_EQ(KC(MsgReply, rcvid, 0, 0, 0, 0, 0), 0);
	/* The child exits without ConnectDetach: the kernel closes its connection. */
	UT_EQ(KC(MsgReceive, chid, (long)&in, sizeof(in), (long)&info, 0, 0), 0);
	UT_EQ(in.p.code, _PULSE_CODE_DISCONNECT);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_value, 0);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	return 0;
}

/* ---- ids, groups, sessions --------------------------------------------------- */

UTEST(tm, ids_and_parent)
{
	struct _proc_ids me, child;
	long pid = spawn_role("sleep", NULL);
	struct _proc_wait_reply r;

	UT_CHECK(pid > 1);
	UT_EQ(ids_of(0, &me), 0);
	UT_EQ(me.pi_ppid, SYSMGR_PID);		/* the script started us */
	UT_EQ(me.pi_euid, 0);
	UT_EQ(ids_of((int)pid, &child), 0);
	UT_EQ(child.pi_pid, pid);
	UT_EQ(child.pi_ppid, me.pi_pid);
	UT_EQ(child.pi_pgid, me.pi_pgid);
	UT_EQ(child.pi_sid, me.pi_sid);
	UT_EQ(ids_of(99999, &child), -ESRCH);
	UT_EQ(setid(_PROC_ID_SETPGID, (int)pid, 0), 0);	/* the child leads its own group */
	UT_EQ(ids_of((int)pid, &child), 0);
	UT_EQ(child.pi_pgid, pid);
	UT_EQ(setid(_PROC_ID_SETPGID, 1, 0), -ESRCH);	/* not our child */
	UT_EQ(wake_sleeper(pid), 0);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	return 0;
}

UTEST(tm, setsid)
{
	struct _proc_ids me;
	long sid = setid(_PROC_ID_SETSID, 0, 0);

	UT_EQ(ids_of(0, &me), 0);
	UT_EQ(sid, me.pi_pid);
	UT_EQ(me.pi_sid, me.pi_pid);
	UT_EQ(me.pi_pgid, me.pi_pid);
	UT_EQ(setid(_PROC_ID_SETSID, 0, 0), -EPERM);	/* a group leader now */
	return 0;
}

/* ---- bad messages ---------------------------------------------------------------- */

UTEST(tm, malformed_messages_get_errors)
{
	struct _proc_ids me;
	uint8_t junk[64];
	struct _proc_wait w = { .type = _PROC_WAIT, .wt_options = 0x40 | _WAIT_WEXITED };
	struct _proc_spawn s = { .type = _PROC_SPAWN, .sp_path_len = 60000, .sp_argc = 1 };
	struct _mem_map mm = { .type = _MEM_MAP };

	memset(junk, 0xa5, sizeof(junk));
	UT_EQ(sysmgr(junk, 1, NULL, 0), -EINVAL);		/* shorter than a header */
	UT_EQ(sysmgr(junk, sizeof(junk), NULL, 0), -ENOSYS);	/* unknown type */
	((struct _msg_hdr *)junk)->type = 0x00ff;
	UT_EQ(sysmgr(junk, sizeof(junk), NULL, 0), -ENOSYS);
	UT_EQ(sysmgr(&w, sizeof(w), NULL, 0), -EINVAL);		/* unknown option */
	UT_EQ(sysmgr(&w, 6, NULL, 0), -EINVAL);			/* short */
	UT_EQ(sysmgr(&s, sizeof(s), NULL, 0), -EINVAL);		/* lengths lie */
	UT_EQ(sysmgr(&s, 20, NULL, 0), -EINVAL);
	UT_EQ(sysmgr(&mm, sizeof(mm) - 1, NULL, 0), -EINVAL);
	/* A connect whose path runs past the message. */
	struct _io_connect c = { .type = _IO_CONNECT, .subtype = _IO_CONNECT_OPEN,
	    .path_len = 200, .reply_max = 512, .entry_max = 4 };
	UT_EQ(sysmgr(&c, sizeof(c), NULL, 0), -EINVAL);
	struct { struct _io_connect c; char p[8]; } ck = { .c = { .type = _IO_CONNECT,
	    .subtype = _IO_CONNECT_OPEN, .path_len = 2, .reply_max = 512, .entry_max = 4,
	    .key = 1 }, .p = "/" };
	UT_EQ(sysmgr(&ck, sizeof(ck.c) + 2, junk, sizeof(junk)), -EINVAL);	/* reserved key */
	ck.c.key = 0;
	ck.c.entry_max = 0;
	UT_EQ(sysmgr(&ck, sizeof(ck.c) + 2, junk, sizeof(junk)), -EINVAL);	/* no room for entries */
	/* I/O on a connection with nothing open. */
	struct _io_read rd = { .type = _IO_READ, .nbytes = 8 };
	UT_EQ(sysmgr(&rd, sizeof(rd), junk, 8), -EBADF);
	/* ... and taskman still answers. */
	UT_EQ(ids_of(0, &me), 0);
	UT_CHECK(me.pi_pid > 1);
	return 0;
}

UTEST(tm, fuzzed_messages_leave_taskman_running)
{
	struct _proc_wait_reply r;
	struct _proc_ids me;
	long pid = spawn_role("fuzz", NULL);

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_pid, pid);		/* however the fuzzer ended ... */
	UT_EQ(ids_of(0, &me), 0);	/* ... taskman still answers */
	UT_EQ(me.pi_ppid, SYSMGR_PID);
	return 0;
}

/* ---- the startup script that started us ------------------------------------------ */

UTEST(tm, script_environment_and_waitfor)
{
	const char *const *envp = (const char *const *)(init_sp + 1 + init_sp[0] + 1);
	struct link_reply_s {
		struct _io_connect_link_reply	lr;
		struct _io_connect_entry	e[4];
	} lr;
	struct {
		struct _io_connect	c;
		char			path[16];
	} m = { .c = { .type = _IO_CONNECT, .subtype = _IO_CONNECT_OPEN, .reply_max = sizeof(lr),
	    .entry_max = 4, .path_len = sizeof("/tmtest-svc") } , .path = "/tmtest-svc" };
	int found = 0;

	for (int i = 0; envp[i]; i++)
		found |= strcmp(envp[i], "TMTEST=script") == 0;
	UT_CHECK(found);		/* the script's NAME=value line */
	/* The script waited (waitfor) for the background server's path before starting us. */
	UT_EQ(sysmgr(&m, sizeof(m.c) + m.c.path_len, &lr, sizeof(lr)), _IO_CONNECT_RET_LINK);
	UT_EQ(lr.lr.nentries, 2);			/* the server, then taskman's "/" */
	UT_CHECK(lr.e[0].pid != SYSMGR_PID);
	return 0;
}

/* ---- the path manager ------------------------------------------------------------ */

/* A child's child outlives it: taskman adopts it, and reaps it when it ends. */
UTEST(tm, orphans_go_to_taskman)
{
	struct _proc_wait_reply r;
	struct link_reply lr;
	struct _proc_ids ids;
	long pid = spawn_role("orphaner", NULL), gpid, co;
	int i;

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_value, 0);
	/* The grandchild attaches /tmtest-orphan once its parent is gone. */
	for (i = 0; i < 300; i++) {
		if (attached("/tmtest-orphan", &lr))
			break;
		rt_sleep_ms(10);
	}
	UT_CHECK(i < 300);
	gpid = lr.e[0].pid;
	UT_EQ(ids_of((int)gpid, &ids), 0);
	UT_EQ(ids.pi_ppid, SYSMGR_PID);
	UT_EQ(wait_id(_WAIT_P_PID, (int)gpid, _WAIT_WNOHANG, &r), -ECHILD);	/* not ours */
	co = KC(ConnectAttach, 0, gpid, lr.e[0].chid, 0, 0, 0);
	UT_CHECK(co >= 0);
	UT_EQ(KC(MsgSend, co, (long)"bye", 4, 0, 0, 0), 0);		/* it ends */
	KC(ConnectDetach, co, 0, 0, 0, 0, 0);
	for (i = 0; i < 300 && ids_of((int)gpid, &ids) == 0; i++)
		rt_sleep_ms(10);
	UT_EQ(ids_of((int)gpid, &ids), -ESRCH);			/* gone: reaped */
	UT_CHECK(!attached("/tmtest-orphan", &lr));
	return 0;
}

UTEST(tm, a_dead_server_is_detached)
{
	struct _proc_wait_reply r;
	struct link_reply lr;
	long pid = spawn_role("attach", NULL);

	UT_CHECK(pid > 1);
	UT_EQ(wait_id(_WAIT_P_PID, (int)pid, 0, &r), 0);
	UT_EQ(r.wr_value, 0);				/* its attach succeeded */
	UT_CHECK(!attached("/tmtest-child", &lr));
	return 0;
}

/* ---- the roles of the children --------------------------------------------------- */

/* argv and envp exactly as spawn_passes_argv_and_envp sent them?  A code per mismatch. */
static int
role_args(void)
{
	static const char *const want[] = { SELF, "args", "a b", "", "ccc" };
	const char *const *envp = (const char *const *)(init_sp + 1 + init_sp[0] + 1);

	if (init_sp[0] != 5)
		return 10;
	for (int i = 0; i < 5; i++)
		if (strcmp(arg_str(i), want[i]) != 0)
			return 11 + i;
	if (init_sp[1 + 5] != 0)
		return 20;
	if (!envp[0] || strcmp(envp[0], "X=1") || !envp[1] || strcmp(envp[1], "PATH=/proc/boot") || envp[2])
		return 21;
	return 0;
}

/* The auxv entry of type t, or ~0. */
static uint64_t
auxv(uint64_t t)
{
	const uint64_t *p = init_sp + 1 + init_sp[0] + 1;

	while (*p)
		p++;
	for (p++; p[0] != _AT_NULL; p += 2)
		if (p[0] == t)
			return p[1];
	return ~0UL;
}

static int
role_bigarg(void)
{
	const char *a = arg_str(2);

	if (init_sp[0] != 3 || strlen(a) != BIG_ARG)
		return 70;
	for (int i = 0; i < BIG_ARG; i++)
		if (a[i] != (char)('a' + i % 26))
			return 71;
	return 0;
}

/* Do the program headers that auxv points at (in our memory) load addr? */
static int
phdrs_cover(uint64_t addr)
{
	const uint8_t *ph = (const uint8_t *)(uintptr_t)auxv(_AT_PHDR);
	uint64_t n = auxv(_AT_PHNUM), ent = auxv(_AT_PHENT);

	if (ph == NULL || n == 0 || n > 64 || ent != 56)
		return 0;
	for (uint64_t i = 0; i < n; i++, ph += ent) {
		uint32_t type;
		uint64_t va, memsz;

		memcpy(&type, ph, 4);
		memcpy(&va, ph + 16, 8);
		memcpy(&memsz, ph + 40, 8);
		if (type == 1 && addr >= va && addr < va + memsz)
			return 1;
	}
	return 0;
}

static int
role_fds(void)
{
	const struct _proc_spawn_fd *f = (const void *)(uintptr_t)auxv(_AT_QSOE_FDS);
	struct _msg_hdr done = { _PROC_SPAWN_DONE, 0 };

	if (auxv(_AT_QSOE_NFDS) != 1 || f == NULL || f->sf_fd != 3 || f->sf_parent_fd != 7)
		return 30;
	if (auxv(_AT_PAGESZ) != 4096 || auxv(_AT_QSOE_PPID) == ~0UL)
		return 31;
	if (!phdrs_cover((uintptr_t)&umain))
		return 33;
	return sysmgr(&done, sizeof(done), NULL, 0) == 0 ? 0 : 32;
}

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
role_attach(void)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);

	return attach("/tmtest-child", chid, 1, 0) > 0 ? 0 : 50;
}

/* Connect to "pid.chid", send one message, exit without detaching. */
static int
role_connect(const char *where)
{
	const char *dot = where;
	long co;

	while (*dot && *dot != '.')
		dot++;
	co = KC(ConnectAttach, 0, number(where), number(*dot ? dot + 1 : dot), 0, 0, 0);
	if (co < 0)
		return 80;
	return KC(MsgSend, co, (long)"hi", 3, 0, 0, 0) == 0 ? 0 : 81;
}

/* Random messages of every taskman type but shutdown; returns when done. */
static int
role_fuzz(void)
{
	static const uint16_t types[] = { _PROC_SPAWN, _PROC_WAIT, _PROC_GETSETID, _PROC_FORK,
	    _PROC_EXEC, _PROC_SPAWN_DONE, _PROC_RLIMIT, _SYS_CONF, _SYS_UNAME, _MEM_CTRL, _PATH_ATTACH, _PATH_DETACH,
	    _IO_CONNECT, _IO_READ, _IO_WRITE, _IO_STAT, _IO_LSEEK, _IO_CLOSE, _IO_DEVCTL,
	    0x77, 0x1ff, 0x1234 };
	static uint64_t buf[64], reply[64];
	uint64_t x = 0x2545f4914f6cdd1dULL;

	for (int i = 0; i < 3000; i++) {
		uint8_t *b = (uint8_t *)buf;
		size_t len;

		for (size_t k = 0; k < sizeof(buf) / 8; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[k] = x;
		}
		len = (size_t)(x >> 40) % sizeof(buf);
		((struct _msg_hdr *)b)->type = types[(x >> 20) % (sizeof(types) / sizeof(types[0]))];
		if ((x >> 8) & 1)
			((struct _msg_hdr *)b)->subtype = (uint16_t)((x >> 10) & 3);
		if (((struct _msg_hdr *)b)->type == _PROC_WAIT)
			((struct _proc_wait *)b)->wt_options |= _WAIT_WNOHANG;	/* never hold us */
		sysmgr(b, len, reply, sizeof(reply));
	}
	return 0;
}

/* Start a grandchild ("orphan") and end at once. */
static int
role_orphaner(void)
{
	struct _proc_ids me;
	char arg[16];

	if (ids_of(0, &me) < 0)
		return 100;
	rt_snprintf(arg, sizeof(arg), "%d", me.pi_pid);
	return spawn_role("orphan", arg) > 1 ? 0 : 101;
}

/* Wait until the parent (argv[2]) is gone, attach /tmtest-orphan, serve one message. */
static int
role_orphan(void)
{
	struct _proc_ids me;
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0), rcvid;
	char buf[8];

	for (int i = 0; i < 500; i++) {
		if (ids_of(0, &me) < 0)
			return 110;
		if (me.pi_ppid != number(arg_str(2)))
			break;
		rt_sleep_ms(10);
	}
	if (me.pi_ppid != SYSMGR_PID || attach("/tmtest-orphan", chid, 1, 0) <= 0)
		return 111;
	rcvid = KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0);
	KC(MsgReply, rcvid, 0, 0, 0, 0, 0);
	return 0;
}

/* A background server for the test script: attach /tmtest-svc after a while, then serve. */
static int
role_serve(void)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	char buf[64];

	rt_sleep_ms(300);		/* so the script's waitfor really waits */
	if (attach("/tmtest-svc", chid, 1, 0) <= 0)
		return 90;
	for (;;) {
		long rcvid = KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0);

		if (rcvid > 0)
			KC(MsgError, rcvid, ENOSYS, 0, 0, 0, 0);
	}
}

static int
role_shutdown(int status)
{
	struct _sys_shutdown s = { .type = _SYS_SHUTDOWN, .subtype = _SYS_SHUTDOWN_POWEROFF,
	    .sd_status = status };

	rt_printf("tmtest: asking for a shutdown with status %d\n", status);
	sysmgr(&s, sizeof(s), NULL, 0);
	rt_sleep_ms(10000);		/* taskman ends us before this ends */
	return 70;
}

static int
role(const char *r)
{
	if (strcmp(r, "args") == 0)
		return role_args();
	if (strcmp(r, "exit") == 0)
		return number(arg_str(2));
	if (strcmp(r, "fault") == 0) {
		*(volatile int *)bad_addr = 1;
		return 60;
	}
	if (strcmp(r, "fds") == 0)
		return role_fds();
	if (strcmp(r, "sleep") == 0)
		return role_sleep();
	if (strcmp(r, "attach") == 0)
		return role_attach();
	if (strcmp(r, "orphaner") == 0)
		return role_orphaner();
	if (strcmp(r, "orphan") == 0)
		return role_orphan();
	if (strcmp(r, "bigarg") == 0)
		return role_bigarg();
	if (strcmp(r, "fuzz") == 0)
		return role_fuzz();
	if (strcmp(r, "serve") == 0)
		return role_serve();
	if (strcmp(r, "connect") == 0)
		return role_connect(arg_str(2));
	if (strcmp(r, "shutdown") == 0)
		return role_shutdown(number(arg_str(2)));
	return 99;
}

int
umain(uint64_t arg)
{
	init_sp = (uint64_t *)(uintptr_t)arg;
	if (sysmgr_attach() < 0) {
		rt_printf("tmtest: cannot reach taskman (%ld)\n", sys_coid);
		return 2;
	}
	if (init_sp[0] >= 2)
		return role(arg_str(1));
	return utest_run_all() ? 1 : 0;
}
