/*
 * taskman/skimmer/startup.c - running the startup script
 * (taskman/common/script.h gives the syntax).  The script advances from
 * the message loop: startup_run() runs commands until one must wait (a
 * foreground program, or waitfor), and the loop calls it again after
 * each message, pulse or time-out.  A failing command is reported on
 * the console and the script goes on; it never hangs silently.
 */
#include "tm.h"
#include "../common/script.h"

#define ENV_MAX		32
#define WAITFOR_POLL_NS	20000000ULL	/* re-check a waitfor every 20 ms */

static struct script script;
static int pc = -1;			/* next command; -1: no script */
static int fg_pid;			/* the foreground program we wait for */
static int last_status;			/* $?: its exit code, or 128 + signal */
static uint64_t waitfor_deadline;	/* the current waitfor's end, or 0 */
static char *env[ENV_MAX];
static int nenv;
static const char *stdio_path;		/* reopen: what later programs get as fds 0-2 */

int
startup_load(const char *path)
{
	const struct imagefs_node *n = imagefs_lookup(&tm.t_fs, path);

	if (n == NULL || (n->in_mode & IMAGEFS_MODE_TYPE) != IMAGEFS_MODE_REG) {
		tm_log("taskman: startup script %s: not in the boot image\n", path);
		return -1;
	}
	if (script_parse(&script, n->in_data, n->in_size) < 0) {
		tm_log("taskman: startup script %s: %s\n", path, script.s_err);
		script_fini(&script);
		return -1;
	}
	pc = 0;
	return 0;
}

static void
set_env(const char *assign)
{
	size_t nl = strcspn(assign, "=") + 1;
	char *copy = malloc(strlen(assign) + 1);

	if (copy == NULL)
		return;
	memcpy(copy, assign, strlen(assign) + 1);
	for (int i = 0; i < nenv; i++) {
		if (strncmp(env[i], assign, nl) == 0) {
			free(env[i]);
			env[i] = copy;
			return;
		}
	}
	if (nenv < ENV_MAX)
		env[nenv++] = copy;
	else
		free(copy);
}

/* Pack a _PROC_SPAWN for a command line, as libc would; its length or -E2BIG. */
static long
pack_spawn(const struct sc_cmd *c, uint64_t *buf, size_t size)
{
	struct _proc_spawn *m = (struct _proc_spawn *)buf;
	char *p = (char *)(m + 1), *end = (char *)buf + size;
	const char *prog = c->sc_argv[0];
	int n;

	memset(m, 0, sizeof(*m));
	m->type = _PROC_SPAWN;
	if (c->sc_session)
		m->sp_flags = _SPAWN_SETSID;
	n = snprintf(p, (size_t)(end - p), "%s%s", strchr(prog, '/') ? "" : "/proc/boot/", prog);
	if (n < 0 || n + 1 >= end - p)
		return -E2BIG;
	m->sp_path_len = (uint16_t)(n + 1);
	p += n + 1;
	for (int i = 0; i < c->sc_argc + nenv; i++) {
		const char *s = i < c->sc_argc ? c->sc_argv[i] : env[i - c->sc_argc];
		size_t l = strlen(s) + 1;

		if ((size_t)(end - p) < l + 8)
			return -E2BIG;
		memcpy(p, s, l);
		p += l;
	}
	m->sp_argc = (uint32_t)c->sc_argc;
	m->sp_envc = (uint32_t)nenv;
	m->sp_strings_len = (uint32_t)(p - (char *)(m + 1) - m->sp_path_len);
	while ((p - (char *)buf) & 7)
		*p++ = '\0';
	return p - (char *)buf;
}

/* Start a command; 0 (started: *pid), or -errno. */
static long
run(const struct sc_cmd *c, int *pid)
{
	static uint64_t buf[8192 / 8];
	struct spawn_req r;
	long len = pack_spawn(c, buf, sizeof(buf)), rc;

	if (len < 0)
		return len;
	rc = spawnmsg_decode(buf, (size_t)len, &r);
	r.sr_stdio = stdio_path;
	r.sr_ctty = c->sc_session;
	if (rc == 0 && c->sc_session && stdio_path == NULL)
		rc = -ENOTTY;		/* a session needs a terminal: reopen first */
	if (rc == 0)
		rc = tm_spawn(SYSMGR_PID, &r, PROC_ABILITY_IO, 0, 0);	/* system programs may drive devices */
	if (rc > 0)
		*pid = (int)rc;
	return rc < 0 ? rc : 0;
}

/* Do command c; 1 if the script must wait before the next one. */
static int
step(const struct sc_cmd *c)
{
	int pid = 0;
	long rc;

	switch (c->sc_kind) {
	case SC_SETENV:
		set_env(c->sc_argv[0]);
		return 0;
	case SC_DISPLAY:
		tm_log("%s\n", c->sc_argv[0]);
		return 0;
	case SC_REOPEN:
		stdio_path = c->sc_argv[0];	/* the script's own storage: it lives on */
		return 0;
	case SC_SHUTDOWN:
		shutdown_begin(c->sc_status < 0 ? last_status : c->sc_status);
		pc = -1;
		return 1;
	case SC_WAITFOR:
		waitfor_deadline = tm_now_ns() + (uint64_t)c->sc_seconds * 1000000000ULL;
		return 1;
	case SC_RUN:
		rc = run(c, &pid);
		if (rc < 0) {
			tm_log("taskman: startup line %d: %s: error %ld\n", c->sc_line, c->sc_argv[0], -rc);
			last_status = 127;
			return 0;
		}
		fg_pid = c->sc_bg ? 0 : pid;
		return !c->sc_bg;
	}
	return 0;
}

/* Is the waitfor at pc done (found or timed out)?  Sets the wait otherwise. */
static int
waitfor_done(const struct sc_cmd *c, uint64_t *wait)
{
	uint64_t now = tm_now_ns();

	if (path_exists(c->sc_argv[1]))
		return 1;
	if (now >= waitfor_deadline) {
		tm_log("taskman: startup line %d: waitfor %s: not there after %d s\n",
		    c->sc_line, c->sc_argv[1], c->sc_seconds);
		return 1;
	}
	*wait = waitfor_deadline - now < WAITFOR_POLL_NS ? waitfor_deadline - now : WAITFOR_POLL_NS;
	return 0;
}

uint64_t
startup_run(void)
{
	uint64_t wait = 0;

	while (pc >= 0 && pc < script.s_count && !tm.t_shutdown) {
		const struct sc_cmd *c = &script.s_cmds[pc];

		if (fg_pid)
			return 0;		/* startup_child_died moves on */
		if (waitfor_deadline) {
			if (!waitfor_done(c, &wait))
				return wait;
			waitfor_deadline = 0;
			pc++;
			continue;
		}
		if (step(c) && c->sc_kind == SC_WAITFOR)
			continue;		/* check it at once */
		if (pc >= 0)
			pc++;
		if (fg_pid)
			return 0;
	}
	return 0;
}

void
startup_child_died(int pid, int wstatus)
{
	if (pid != fg_pid || pid == 0)
		return;
	fg_pid = 0;
	last_status = (wstatus & 0x7f) ? 128 + (wstatus & 0x7f) : (wstatus >> 8) & 0xff;
}
