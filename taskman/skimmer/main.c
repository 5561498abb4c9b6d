/*
 * taskman/skimmer/main.c - taskman's start and its message loop.
 *
 * The kernel starts taskman as the first process (pid 1) with every
 * ability, the boot image mapped at a0 (a1 bytes) and the kernel command
 * line at INIT_ARGS_VA.  taskman checks the image, creates SYSMGR_CHID,
 * registers for process-death pulses, serves /proc/boot, runs the
 * startup script (or the one script= names) and then serves requests
 * until a shutdown.  Its exit status powers the machine off.
 */
#include <sys/auxv.h>
#include <sys/neutrino.h>	/* AT_QSOE_BOOTIMG*; first: it reconciles musl's and the ABI's types */
#include "tm.h"
#include <abi/time.h>
#include <sys/slog.h>

#define SHUTDOWN_POLL_NS	100000000ULL	/* 100 ms */

struct tm_state tm;

static uint64_t rxbuf[2048 / 8];		/* most messages fit here */
static uint64_t bigbuf[TM_MSG_MAX / 8 + 1];	/* the rest are read again here */

void
tm_log(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (n <= 0)
		return;
	__kc_DebugWrite((long)buf, n, 0, 0, 0, 0);
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	tm_slog_add(SYSMGR_PID, "taskman", 0, _SLOG_INFO, buf, (size_t)n);
}

void
tm_reply(long rcvid, long status, const void *buf, size_t len)
{
	long rc = __kc_MsgReply(rcvid, status, (long)buf, (long)len, 0, 0);

	if (rc < 0 && rc != -ESRCH)	/* ESRCH: the client is gone; nothing to do */
		tm_log("taskman: reply to %ld failed: %ld\n", rcvid, rc);
}

void
tm_error(long rcvid, int err)
{
	__kc_MsgError(rcvid, err, 0, 0, 0, 0);
}

uint64_t
tm_now_ns(void)
{
	uint64_t t = 0;

	__kc_ClockTime(CLOCK_MONOTONIC, 0, (long)&t, 0, 0, 0);
	return t;
}

/* The value of "opt=" in the kernel command line, or NULL. */
static const char *
bootarg(const char *opt, char *val, size_t len)
{
	const char *s = (const char *)INIT_ARGS_VA;
	size_t ol = strlen(opt);

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return NULL;
		size_t wl = strcspn(s, " ");
		if (wl > ol && strncmp(s, opt, ol) == 0 && s[ol] == '=') {
			size_t vl = wl - ol - 1 < len - 1 ? wl - ol - 1 : len - 1;
			memcpy(val, s + ol + 1, vl);
			val[vl] = '\0';
			return val;
		}
		s += wl;
	}
}

static void
handle_pulse(const struct _pulse *p)
{
	uint64_t v = (uint64_t)p->value.sival_ptr;

	if (p->code == _PULSE_CODE_PROCTIMES)
		proc_times((int)(v >> 32), (uint32_t)v);
	else if (p->code == _PULSE_CODE_PROCDEATH)
		proc_died((int)(v >> 32), (int)(uint32_t)v);
	else if (p->code == _PULSE_CODE_PAGEFAULT)
		pager_fault((int)(v >> 32), (int)(uint32_t)v);
	else if (p->code == _PULSE_CODE_PROCSTOP)
		proc_stopcont((int)(v >> 32), (int)(uint32_t)v);
	else if (p->code == _PULSE_CODE_DISCONNECT) {
		bootfs_disconnect(p->scoid);
		shmfs_disconnect(p->scoid);
	} else if (p->code == _PULSE_CODE_UNBLOCK && !slog_unblock((long)p->value.sival_int))
		wait_unblock((long)p->value.sival_int);
}

/*
 * The bytes of the message proper: all that was sent, except a program
 * file that a spawn or exec carries after it (_SPAWN_IMAGE), which
 * tm_find_program reads from where the message ends.
 */
static size_t
message_bytes(const struct tm_msg *m)
{
	const struct _proc_spawn *sp = m->m_buf;
	size_t total = (size_t)m->m_info.srcmsglen;

	if ((sp->type != _PROC_SPAWN && sp->type != _PROC_EXEC) || m->m_len < sizeof(*sp) ||
	    !(sp->sp_flags & _SPAWN_IMAGE) || sp->sp_image_len > total)
		return total;		/* spawnmsg_decode judges the rest */
	return total - sp->sp_image_len;
}

/* Make m describe the whole message (reading the rest if it is long); 0 or -errno. */
static int
whole_message(struct tm_msg *m)
{
	size_t total = message_bytes(m);

	m->m_buf = rxbuf;
	if (total <= m->m_len) {
		m->m_len = total;
		return 0;
	}
	if (total > TM_MSG_MAX)
		return -E2BIG;
	if (__kc_MsgRead(m->m_rcvid, (long)bigbuf, (long)total, 0, 0, 0) != (long)total)
		return -EFAULT;
	m->m_buf = bigbuf;
	m->m_len = total;
	return 0;
}

static void
dispatch_sysmgr(struct tm_msg *m, uint16_t type)
{
	switch (type) {
	case _PROC_SPAWN:	msg_spawn(m); break;
	case _PROC_SPAWN_DONE:	msg_spawn_done(m); break;
	case _PROC_WAIT:	msg_wait(m); break;
	case _PROC_GETSETID:	msg_getsetid(m); break;
	case _PROC_FORK:	msg_fork(m); break;
	case _PROC_EXEC:	msg_exec(m); break;
	case _PROC_TIMES:	msg_times(m); break;
	case _PROC_PIDINFO:	msg_pidinfo(m); break;
	case _PROC_UMASK:	msg_umask(m); break;
	case _PROC_CWD:		msg_cwd(m); break;
	case _PROC_RLIMIT:	msg_rlimit(m); break;
	case _SYS_CONF:		msg_sysconf(m); break;
	case _SYS_UNAME:	msg_uname(m); break;
	case _SYS_SHUTDOWN:	msg_shutdown(m); break;
	case _SYS_SLOG:		msg_slog(m); break;
	case _SYS_HOSTNAME:	msg_hostname(m); break;
	case _SYS_CLOCK:	msg_clock(m); break;
	case _MEM_MAP:		msg_mem_map(m); break;
	case _MEM_CTRL:		msg_mem_ctrl(m); break;
	case _MEM_OFFSET:	msg_mem_offset(m); break;
	case _PATH_ATTACH:	msg_path_attach(m); break;
	case _PATH_DETACH:	msg_path_detach(m); break;
	default:		tm_error(m->m_rcvid, ENOSYS); break;
	}
}

static void
dispatch(struct tm_msg *m)
{
	const struct _msg_hdr *h = m->m_buf;
	int rc;

	if (m->m_len < sizeof(*h)) {
		tm_error(m->m_rcvid, EINVAL);		/* too short to say what it is */
		return;
	}
	/* Only these carry more than a fixed header; others are judged on what fit. */
	if ((h->type == _PROC_SPAWN || h->type == _PROC_EXEC || h->type == _IO_CONNECT || h->type == _PATH_ATTACH) &&
	    (rc = whole_message(m)) < 0) {
		tm_error(m->m_rcvid, -rc);
		return;
	}
	h = m->m_buf;
	if (h->type >= _MSG_TYPE_SYSMGR_MIN && h->type <= _MSG_TYPE_SYSMGR_MAX)
		dispatch_sysmgr(m, h->type);
	else if (h->type == _IO_CONNECT)
		msg_connect(m);
	else if (h->type > _IO_CONNECT && h->type <= _IO_MAX && !shmfs_io(m))
		bootfs_io(m);
	else
		tm_error(m->m_rcvid, ENOSYS);
}

static void
serve(void)
{
	for (;;) {
		struct tm_msg m = { 0 };
		uint64_t wait = startup_run();
		long rcvid;

		if (tm.t_shutdown && proctab_live_count(&tm.t_procs) == 0)
			return;
		if (tm.t_shutdown)
			wait = SHUTDOWN_POLL_NS;
		if (wait)
			__kc_TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, 0, (long)&wait, 0, 0);
		rcvid = __kc_MsgReceive(tm.t_chid, (long)rxbuf, sizeof(rxbuf), (long)&m.m_info, 0, 0);
		if (rcvid == -ETIMEDOUT || rcvid == -EINTR) {
			if (tm.t_shutdown)
				shutdown_sweep();
			continue;
		}
		if (rcvid < 0) {
			tm_log("taskman: MsgReceive failed: %ld\n", rcvid);
			continue;
		}
		if (rcvid == 0) {
			handle_pulse((const struct _pulse *)rxbuf);
			continue;
		}
		m.m_rcvid = rcvid;
		m.m_buf = rxbuf;
		m.m_len = (size_t)m.m_info.msglen;
		dispatch(&m);
	}
}

/* Check the image, create the channel, attach the image at "/"; 0 or an exit status. */
static int
setup(uint64_t img, uint64_t size)
{
	long rc;

	tm.t_img = (const void *)img;
	tm.t_imgsize = size;
	rc = imagefs_init(&tm.t_fs, tm.t_img, size);
	if (rc < 0) {
		tm_log("taskman: the boot image is malformed: %s\n", tm.t_fs.if_err);
		return 2;
	}
	pathtab_init(&tm.t_paths);
	proctab_init(&tm.t_procs);
	shmfs_init();
	tm.t_chid = (int)__kc_ChannelCreate(_NTO_CHF_DISCONNECT | _NTO_CHF_SENDER_LEN |
	    _NTO_CHF_REPLY_LEN | _NTO_CHF_UNBLOCK, 0, 0, 0, 0, 0);
	if (tm.t_chid != SYSMGR_CHID || __kc_ProcNotify(tm.t_chid, PROCNOTIFY_TIMES, 0, 0, 0, 0) < 0 ||
	    proctab_add(&tm.t_procs, SYSMGR_PID, 0, "taskman") == NULL ||
	    pathtab_attach(&tm.t_paths, "/", SYSMGR_PID, tm.t_chid, TM_BOOTFS_HANDLE,
	    _RESMGR_FLAG_DIR, _FTYPE_ANY) < 0 ||
	    pathtab_attach(&tm.t_paths, "/dev/shmem", SYSMGR_PID, tm.t_chid, TM_SHMEM_HANDLE,
	    _RESMGR_FLAG_DIR | _RESMGR_FLAG_OPAQUE, _FTYPE_ANY) < 0) {
		tm_log("taskman: cannot set up (channel %d)\n", tm.t_chid);
		return 3;
	}
	return 0;
}

int
main(void)
{
	char script[128];
	int rc, explicit;

	tm_slog_init();
	/* musl's crt1 put the kernel's a0/a1 (the image and its size) into auxv. */
	if ((rc = setup(getauxval(AT_QSOE_BOOTIMG), getauxval(AT_QSOE_BOOTIMG_SIZE))) != 0)
		return rc;
	explicit = bootarg("script", script, sizeof(script)) != NULL;
	if (!explicit)
		strncpy(script, "/proc/boot/startup", sizeof(script));
	tm_log("taskman: /proc/boot has %d entries; running %s\n", tm.t_fs.if_count - 1, script);
	if (startup_load(script) < 0) {
		if (explicit)
			return 2;	/* a test script that cannot run: fail the boot, do not idle */
		tm_log("taskman: no startup script run; serving requests\n");
	}
	serve();
	tm_log("taskman: shutdown with status %d\n", tm.t_shutdown_status);
	return tm.t_shutdown_status;
}
