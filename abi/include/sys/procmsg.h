/*
 * sys/procmsg.h - the protocol of taskman, QSOE's system manager
 * (process, memory and path manager, system services): what QNX calls
 * procnto's messages.  docs/taskman.md describes each message; this
 * header is the one definition (libc and taskman include it).
 *
 * Reaching taskman.  taskman is the first process (pid SYSMGR_PID) and
 * receives on channel SYSMGR_CHID.  libc's start-up attaches a side
 * channel to it:
 *
 *	coid = ConnectAttach(ND_LOCAL_NODE, SYSMGR_PID, SYSMGR_CHID,
 *	                     _NTO_SIDE_CHANNEL, 0);
 *
 * which, being the process's first side channel, is SYSMGR_COID.  taskman
 * learns who is asking from MsgReceive's _msg_info (pid), never from the
 * message.  Path resolution is an _IO_CONNECT (sys/iomsg.h) sent to the
 * same connection with handle 0: taskman is the path manager, as in QNX.
 *
 * Conventions (as sys/iomsg.h): every message starts with uint16_t type
 * and uint16_t subtype (sys/msghdr.h); other fields carry a prefix per
 * struct.  Values POSIX names (wait options and status, signal numbers,
 * MAP_*, PROT_*, _SC_*, errno) are musl's (Linux generic) numbers.
 * Errors come back through MsgError; a status >= 0 is success.  Every
 * reserved or zero field must be 0 (else EINVAL), so it can gain a
 * meaning later.
 */
#ifndef _SYS_PROCMSG_H
#define _SYS_PROCMSG_H

#include <abi/cdefs.h>
#include <sys/msghdr.h>

#define SYSMGR_PID	1		/* taskman's pid */
#define SYSMGR_CHID	1		/* taskman's channel */
#define SYSMGR_COID	0x40000000	/* libc's first side channel (_NTO_SIDE_CHANNEL) */

/* Message types, by area (all within _MSG_TYPE_SYSMGR_MIN..MAX). */
#define _PROC_SPAWN		0x0001	/* start a program */
#define _PROC_WAIT		0x0002	/* waitpid/waitid */
#define _PROC_GETSETID		0x0003	/* ids, groups, sessions, credentials */
/*			0x0004	   retired: _PROC_EXIT (the kernel's wait status says it all) */
#define _PROC_SPAWN_DONE	0x0005	/* a spawned child took its fds */
#define _PROC_FORK		0x0006	/* fork the sender */
#define _PROC_EXEC		0x0007	/* replace the sender's program */
#define _PROC_TIMES		0x0008	/* CPU time of the waited-for children */
#define _PROC_PIDINFO		0x0009	/* a process as pidin shows it */
#define _PROC_UMASK		0x000a	/* the file mode creation mask */
#define _PROC_CWD		0x000b	/* the current working directory */
#define _PROC_RLIMIT		0x000c	/* getrlimit, setrlimit, prlimit */
#define _SYS_CONF		0x0020	/* sysconf */
#define _SYS_UNAME		0x0021	/* uname */
#define _SYS_SHUTDOWN		0x0022	/* power off / reboot */
#define _SYS_SLOG		0x0023	/* write, read or clear the system log */
#define _SYS_HOSTNAME		0x0024	/* set the node name (uname's nodename) */
#define _SYS_CLOCK		0x0025	/* set CLOCK_REALTIME (root) */
#define _MEM_MAP		0x0040	/* mmap */
#define _MEM_CTRL		0x0041	/* munmap, mprotect */
#define _MEM_OFFSET		0x0042	/* mem_offset: physical address (DMA) */
#define _PATH_ATTACH		0x0060	/* resmgr_attach: a server takes a prefix */
#define _PATH_DETACH		0x0061	/* resmgr_detach */

/* ---------------------------------------------------------------------- */
/*
 * _PROC_SPAWN: start the ELF program at an absolute path as a child of
 * the sender.  The reply's status is the child's pid.  After the header:
 *
 *	path			sp_path_len bytes, NUL included
 *	argv strings		sp_argc strings, each NUL-terminated
 *	envp strings		sp_envc strings, each NUL-terminated
 *	(zero padding to a multiple of 8 from the message start)
 *	fd entries		sp_nfds struct _proc_spawn_fd
 *
 * sp_strings_len counts the argv and envp bytes.  Errors: ENOENT (no such
 * program), ENOEXEC (not a valid RISC-V ELF executable), E2BIG (the
 * arguments do not fit the child's argument area, _SPAWN_ARGS_MAX), EPERM
 * (setpgroup into another session), EAGAIN/ENOMEM, EINVAL (malformed
 * message).
 *
 * Without _SPAWN_IMAGE the program is the boot image's file at the path
 * (taskman checks its mode; ENOENT for a path another server serves).
 * With _SPAWN_IMAGE the program's whole ELF file follows the message in
 * the same send (sp_image_len bytes, 1 .. _SPAWN_IMAGE_MAX, right after
 * the message's last byte: libc's second iov part): libc opened and read
 * it in the caller, with the caller's credentials, from any file system,
 * and checked that it is a regular file the caller may execute.  taskman
 * reads it with MsgRead (the caller is reply-blocked, so this never waits
 * on another server), checks it strictly (ENOEXEC) and frees its copy once
 * the program is loaded; the path then only names the program (the
 * process name, AT_EXECFN).  E2BIG for a longer image.
 *
 * With sp_nfds > 0 the reply waits until the child's libc has taken its
 * descriptors and sent _PROC_SPAWN_DONE (or the child has died), so the
 * parent may close them as soon as spawn returns.
 */
#define _SPAWN_SETSID		0x0001	/* child starts a new session (and group) */
#define _SPAWN_SETPGROUP		0x0002	/* child joins sp_pgroup (0: a new group of its own) */
#define _SPAWN_SETSIGMASK	0x0004	/* sp_sigmask is the child's mask */
#define _SPAWN_SETSIGDEF		0x0008	/* signals in sp_sigdefault start SIG_DFL */
#define _SPAWN_IMAGE		0x0010	/* the ELF file follows the message (sp_image_len) */
#define _SPAWN_FLAGS_ALL		0x001f

#define _SPAWN_IMAGE_MAX	(64 * 1024 * 1024)	/* the largest program file */

#define _SPAWN_ARGS_MAX		(128 * 1024)	/* ARG_MAX: argv + envp bytes */
#define _SPAWN_ARGC_MAX		4096		/* most argv (and envp) entries */
#define _SPAWN_FDS_MAX		64		/* most inherited descriptors */

struct _proc_spawn {
	uint16_t	type;		/* _PROC_SPAWN */
	uint16_t	subtype;	/* 0 */
	uint32_t	sp_flags;	/* SPAWN_* */
	int32_t		sp_pgroup;	/* with _SPAWN_SETPGROUP */
	uint16_t	sp_path_len;	/* bytes of path, NUL included */
	uint16_t	sp_nfds;	/* fd entries at the end */
	uint32_t	sp_argc;	/* argv strings */
	uint32_t	sp_envc;	/* envp strings */
	uint32_t	sp_strings_len;	/* bytes of argv + envp strings */
	uint32_t	sp_image_len;	/* with _SPAWN_IMAGE: the ELF file's bytes; else 0 */
	uint64_t	sp_sigmask;	/* with _SPAWN_SETSIGMASK: bit n-1 = signal n */
	uint64_t	sp_sigdefault;	/* with _SPAWN_SETSIGDEF */
};

__ABI_SIZE(struct _proc_spawn, 48, 8);
__ABI_FIELD(struct _proc_spawn, sp_flags, 4, 4);
__ABI_FIELD(struct _proc_spawn, sp_pgroup, 8, 4);
__ABI_FIELD(struct _proc_spawn, sp_path_len, 12, 2);
__ABI_FIELD(struct _proc_spawn, sp_nfds, 14, 2);
__ABI_FIELD(struct _proc_spawn, sp_argc, 16, 4);
__ABI_FIELD(struct _proc_spawn, sp_envc, 20, 4);
__ABI_FIELD(struct _proc_spawn, sp_strings_len, 24, 4);
__ABI_FIELD(struct _proc_spawn, sp_image_len, 28, 4);
__ABI_FIELD(struct _proc_spawn, sp_sigmask, 32, 8);
__ABI_FIELD(struct _proc_spawn, sp_sigdefault, 40, 8);

/*
 * One inherited descriptor.  The parent's libc fills it from
 * ConnectServerInfo() of its own fd; the child's libc connects to
 * (sf_pid, sf_chid) at index sf_fd and sends the server _IO_DUP naming
 * the parent's connection (pid from _AT_QSOE_PPID, coid sf_parent_fd,
 * scoid sf_scoid), which the server checks.
 */
struct _proc_spawn_fd {
	int32_t		sf_fd;		/* fd number in the child */
	int32_t		sf_parent_fd;	/* the parent's fd (coid) */
	int32_t		sf_pid;		/* server process */
	int32_t		sf_chid;	/* server channel */
	int32_t		sf_scoid;	/* server's id of the parent's connection */
	uint32_t	sf_flags;	/* 0 */
};
__ABI_SIZE(struct _proc_spawn_fd, 24, 4);

/* _PROC_SPAWN_DONE: header only (subtype 0); status 0. */

/*
 * The initial stack of a spawned program, as musl's crt1 (_start_c)
 * reads it, at sp (16-aligned), growing up:
 *
 *	argc				8 bytes
 *	argv[0..argc-1], NULL		pointers
 *	envp[0..], NULL			pointers
 *	auxv pairs, _AT_NULL last	(a_type, a_val), 8 bytes each
 *	... the strings, the fd entries, zero padding up to the stack top
 *
 * The first thread also gets a0 = sp (user/rt's crt0 hands it to umain;
 * musl's _start ignores a0).  auxv holds _AT_PHDR, _AT_PHENT, _AT_PHNUM
 * (the program headers where a loaded segment holds them, else a copy on
 * the stack), _AT_PAGESZ, _AT_ENTRY, _AT_UID,
 * _AT_EUID, _AT_GID, _AT_EGID, _AT_SECURE (0), _AT_RANDOM (16 bytes), _AT_EXECFN,
 * _AT_QSOE_PPID, _AT_QSOE_FDS and _AT_QSOE_NFDS (the inherited
 * descriptors: an array of struct _proc_spawn_fd on the stack; 0 and 0
 * when there are none), _AT_QSOE_STDIO, _AT_QSOE_CTTY and _AT_QSOE_CWD,
 * in that order.  _AT_QSOE_STDIO and _AT_QSOE_CTTY come only from
 * taskman's startup script (its `reopen` and `session` commands,
 * docs/taskman.md): the path (a string on the stack) that libc opens as
 * the standard fds before main, and whether the new session leader then
 * makes it its controlling terminal.  _AT_QSOE_CWD is the working
 * directory (a string on the stack; _PROC_CWD), 0 for "/".
 */
#define _AT_NULL		0
#define _AT_PHDR		3	/* the program headers in memory (musl finds PT_TLS) */
#define _AT_PHENT	4
#define _AT_PHNUM	5
#define _AT_PAGESZ	6
#define _AT_ENTRY	9
#define _AT_UID		11
#define _AT_EUID		12
#define _AT_GID		13
#define _AT_EGID		14
#define _AT_SECURE	23
#define _AT_RANDOM	25
#define _AT_EXECFN	31
#define _AT_QSOE_FDS	0x5153000	/* struct _proc_spawn_fd[] of inherited fds */
#define _AT_QSOE_NFDS	0x5153001	/* how many */
#define _AT_QSOE_PPID	0x5153002	/* the parent's pid */
#define _AT_QSOE_STDIO	0x5153003	/* a path libc opens as fds 0, 1, 2 before main, or 0 */
#define _AT_QSOE_CTTY	0x5153004	/* 1: then TIOCSCTTY on fd 0 (a session leader) */
#define _AT_QSOE_CWD	0x5153005	/* the current working directory (absolute), or 0: "/" */

/* ---------------------------------------------------------------------- */
/*
 * _PROC_WAIT: waitid() semantics; waitpid(p) is libc's translation
 * (p > 0: _WAIT_P_PID; -1: _WAIT_P_ALL; 0: _WAIT_P_PGID of the caller's
 * group, < -1: _WAIT_P_PGID -p; options | WEXITED).  wt_options must hold
 * at least one of WEXITED, WUNTRACED (WSTOPPED) and WCONTINUED: the events
 * it asks for.  Without WNOHANG the reply waits until a matching child
 * has such an event.  Reply status 0 and struct _proc_wait_reply; with
 * WNOHANG and nothing to report yet, wr_pid is 0.  Errors: ECHILD (no
 * matching child), EINVAL (bad idtype or options), EINTR (unblocked).
 *
 * The statuses are the kernel's (abi/procmgr.h), in the Linux encoding
 * musl's W* macros read: exit(n) gives (n & 0xff) << 8 (CLD_EXITED,
 * wr_value n); death by signal s gives s (CLD_KILLED, wr_value s); a stop
 * by signal s gives s << 8 | 0x7f (CLD_STOPPED, wr_value s, with
 * WUNTRACED); continuing gives 0xffff (CLD_CONTINUED, wr_value SIGCONT,
 * with WCONTINUED).  A stop or continue is reported once (unless
 * WNOWAIT), and a newer one replaces one not yet reported.
 */
#define _WAIT_P_ALL		0
#define _WAIT_P_PID		1
#define _WAIT_P_PGID		2

#define _WAIT_WNOHANG	0x00000001	/* WNOHANG */
#define _WAIT_WUNTRACED	0x00000002	/* WUNTRACED / WSTOPPED: report stops */
#define _WAIT_WEXITED	0x00000004	/* WEXITED: report ends */
#define _WAIT_WCONTINUED 0x00000008	/* WCONTINUED: report SIGCONT */
#define _WAIT_WNOWAIT	0x01000000	/* WNOWAIT: leave the event to report again */
#define _WAIT_OPTIONS_ALL 0x0100000f
#define _WAIT_EVENTS	(_WAIT_WUNTRACED | _WAIT_WEXITED | _WAIT_WCONTINUED)

/* si_code of a child's event (musl's CLD_* values), in wr_code and SIGCHLD. */
#define _WAIT_CLD_EXITED	1
#define _WAIT_CLD_KILLED	2
#define _WAIT_CLD_STOPPED	5
#define _WAIT_CLD_CONTINUED	6

struct _proc_wait {
	uint16_t	type;		/* _PROC_WAIT */
	uint16_t	subtype;	/* 0 */
	int32_t		wt_idtype;	/* P_* */
	int32_t		wt_id;		/* pid or pgid (_WAIT_P_ALL: 0) */
	int32_t		wt_options;	/* _WAIT_* (musl's W* values) */
};
__ABI_SIZE(struct _proc_wait, 16, 4);

struct _proc_wait_reply {
	int32_t		wr_pid;		/* the child, or 0 (WNOHANG, none yet) */
	int32_t		wr_status;	/* wait status (above) */
	int32_t		wr_code;	/* _WAIT_CLD_* */
	int32_t		wr_value;	/* exit code, or the signal (si_status) */
	int32_t		wr_uid;		/* the child's real uid */
	int32_t		wr_zero;	/* 0 */
};
__ABI_SIZE(struct _proc_wait_reply, 24, 4);

/*
 * SIGCHLD.  When a child ends, stops or continues, taskman sends its
 * parent SIGCHLD with si_code _WAIT_CLD_*, si_pid the child and si_status
 * its exit code or signal (SIGCONT for CLD_CONTINUED), through
 * SignalKill(0, ppid, 0, SIGCHLD, code, pid << 32 | si_status).  Orphans
 * (adopted by taskman) send none.
 */

/* ---------------------------------------------------------------------- */
/*
 * _PROC_FORK: fork the sender.  The child is a copy of the sender: its
 * memory copy-on-write (the whole user address space), the calling
 * thread only (its registers, FP state and signal mask), the signal
 * actions, the parent's ids, group, session, credentials and abilities,
 * and taskman's record of its mappings.  The parent's reply status is
 * the child's pid; the child returns from the same MsgSend with status 0
 * and no reply data.  With _FORK_WAITFDS the parent's reply waits until
 * the child sends _PROC_SPAWN_DONE (it has re-created its fds, below) or
 * dies, as spawn with fds does.  Errors: EINVAL (unknown fk_flags,
 * fk_zero not 0), EAGAIN (shutting down), ENOMEM.
 *
 * What the kernel does not copy: connections (so file descriptors and
 * SYSMGR_COID), channels, timers, interrupt attachments, other threads.
 * The child's libc must, before anything else (docs/taskman.md, "fork"):
 *  1. ConnectAttach(0, SYSMGR_PID, SYSMGR_CHID, _NTO_SIDE_CHANNEL, 0),
 *     which is SYSMGR_COID again, being the child's first side channel;
 *  2. re-create each fd as spawn's inheritance does: ConnectAttach at the
 *     same index to the server (pid and chid, which the parent's libc
 *     read with ConnectServerInfo before sending _PROC_FORK and left in
 *     memory the child shares) and _IO_DUP naming the parent's connection
 *     (the parent's pid, its coid, the scoid), which the server checks;
 *  3. reset what musl keeps per process (the cached pid, the thread
 *     list: one thread now).
 *  4. send _PROC_SPAWN_DONE if the parent asked for _FORK_WAITFDS.
 * With _FORK_WAITFDS the parent's fds stay open while the child dups them
 * (the parent is blocked in fork until then), which the server's check
 * of _IO_DUP needs.
 */
#define _FORK_WAITFDS		0x0001	/* answer the parent after the child's _PROC_SPAWN_DONE */
#define _FORK_FLAGS_ALL		0x0001

struct _proc_fork {
	uint16_t	type;		/* _PROC_FORK */
	uint16_t	subtype;	/* 0 */
	uint32_t	fk_flags;	/* _FORK_* */
	uint64_t	fk_zero;	/* 0 */
};
__ABI_SIZE(struct _proc_fork, 16, 8);

/*
 * _PROC_EXEC: replace the sender's program.  The message is a struct
 * _proc_spawn with type _PROC_EXEC (path, argv, envp: the same layout and
 * limits, and _SPAWN_IMAGE as for spawn); sp_flags other than _SPAWN_IMAGE,
 * sp_pgroup and sp_nfds must be 0 (descriptors without
 * _NTO_COF_CLOEXEC simply stay: they are the same connections).  taskman
 * checks the program first: ENOENT, EACCES, ENOEXEC, E2BIG and EINVAL come
 * back as errors and the caller goes on.  Then the kernel ends the
 * sender's other threads, drops its channels, timers, interrupt
 * attachments and CLOEXEC connections, and resets caught signals to
 * SIG_DFL (the mask and pending signals stay); taskman unmaps the old
 * program, loads the new one with a new first stack (spawn's layout;
 * _AT_QSOE_NFDS 0) and answers the sending thread, which starts at the new
 * entry with a0 = the reply status = sp.  Pid, parent, children, group,
 * session and credentials stay.  SYSMGR_COID stays too: libc must not
 * attach it with _NTO_COF_CLOEXEC (the exec's reply travels on it), and
 * the new program's libc finds it with ConnectServerInfo instead of
 * attaching it again.  If loading fails after the point of no return,
 * the process ends with SIGKILL's status.
 */

/* ---------------------------------------------------------------------- */
/*
 * _PROC_GETSETID: the ids.  Subtypes:
 *	GETIDS		gi_pid (0: self): reply struct _proc_ids, then the
 *			process's supplementary groups (int32_t each, as many
 *			as the reply buffer holds); status = their number
 *	SETSID		reply status = the new session id (EPERM if a group leader)
 *	SETPGID		gi_pid (0: self), gi_id[0] pgid (0: = pid); status 0
 *			(ESRCH: not self or a child; EPERM: session leader, other
 *			session, or no such group in the session)
 *	SETUID/SETGID	gi_id[0]
 *	SETREUID/SETREGID  gi_id[0] real, gi_id[1] effective (-1: unchanged)
 *	SETRESUID/SETRESGID gi_id[0..2] real, effective, saved (-1: unchanged)
 *	GETGROUPS	gi_pid 0, gi_id[0] 0: reply status = the number of
 *			supplementary groups, reply data = them (int32_t each;
 *			as many as the reply buffer holds)
 *	SETGROUPS	gi_id[0] = n (0.._PROC_NGROUPS_MAX, else EINVAL), the n
 *			int32_t group ids after the header; effective uid 0 only
 *			(EPERM); status 0
 *	ORPHANED	gi_pid 0, gi_id[0] 0: status 1 if the sender's process
 *			group is orphaned (POSIX: no member has a parent in
 *			another group of the session), else 0; job control's
 *			question (sys/iomsg.h): such a group gets EIO, not a stop
 * Credential changes follow POSIX: uid 0 may set anything; others only
 * to their real, effective or saved id (EPERM).  Supplementary groups go
 * to spawned and forked children and stay across exec.  taskman gives the
 * kernel each process's uids (ProcSetCred), which SignalKill checks
 * (docs/taskman.md, "Signals and credentials").
 */
#define _PROC_ID_GETIDS		1
#define _PROC_ID_SETSID		2
#define _PROC_ID_SETPGID	3
#define _PROC_ID_SETUID		4
#define _PROC_ID_SETGID		5
#define _PROC_ID_SETREUID	6
#define _PROC_ID_SETREGID	7
#define _PROC_ID_SETRESUID	8
#define _PROC_ID_SETRESGID	9
#define _PROC_ID_GETGROUPS	10
#define _PROC_ID_SETGROUPS	11
#define _PROC_ID_ORPHANED	12

#define _PROC_NGROUPS_MAX	32	/* supplementary groups per process (NGROUPS_MAX) */

struct _proc_getsetid {
	uint16_t	type;		/* _PROC_GETSETID */
	uint16_t	subtype;	/* _PROC_ID_* */
	int32_t		gi_pid;		/* target (0: the sender) */
	int32_t		gi_id[3];	/* ids, as the subtype says */
	int32_t		gi_zero;	/* 0 */
};
__ABI_SIZE(struct _proc_getsetid, 24, 4);

struct _proc_ids {
	int32_t		pi_pid;
	int32_t		pi_ppid;
	int32_t		pi_pgid;	/* process group */
	int32_t		pi_sid;		/* session */
	int32_t		pi_ruid, pi_euid, pi_suid;
	int32_t		pi_rgid, pi_egid, pi_sgid;
};
__ABI_SIZE(struct _proc_ids, 40, 4);

/* ---------------------------------------------------------------------- */
/*
 * _PROC_UMASK: the sender's file mode creation mask, as QNX's procnto
 * keeps it: per process, a child starts with its parent's (spawn, fork),
 * exec keeps it, taskman's own children start with 022.  GET: um_mask 0;
 * SET: um_mask is the new mask (permission bits only, else EINVAL).
 * Reply status: the mask before the call.  libc applies it to the mode of
 * open(O_CREAT) and mkdir; servers get the result.
 */
#define _PROC_UMASK_GET		1
#define _PROC_UMASK_SET		2

struct _proc_umask {
	uint16_t	type;		/* _PROC_UMASK */
	uint16_t	subtype;	/* _PROC_UMASK_* */
	uint32_t	um_mask;	/* SET: the new mask; GET: 0 */
};

/* ---------------------------------------------------------------------- */
/*
 * _PROC_CWD: the sender's current working directory.  Path resolution is
 * libc's (a relative path is made absolute before the connect), so libc
 * holds the directory; taskman keeps a copy per process, as QNX's procnto
 * does, so that it outlives exec and a child starts in its parent's: a
 * spawned or forked child gets its parent's, exec keeps it, and the new
 * program finds it in auxv (_AT_QSOE_CWD).  Taskman's own children start
 * in "/".  SET, sent by chdir and fchdir once the directory was checked:
 * cw_len bytes of an absolute path follow (no NUL, 1 to
 * _PROC_CWD_MAX - 1 bytes, starting with '/'), else EINVAL; ENOMEM
 * leaves the old one.  Reply status: 0.
 */
#define _PROC_CWD_SET		1
#define _PROC_CWD_MAX		1024	/* NUL included, as _IO_CONNECT's paths */

struct _proc_cwd {
	uint16_t	type;		/* _PROC_CWD */
	uint16_t	subtype;	/* _PROC_CWD_SET */
	uint32_t	cw_len;		/* the path's bytes, which follow */
};
__ABI_SIZE(struct _proc_cwd, 8, 4);
__ABI_SIZE(struct _proc_umask, 8, 4);

/* ---------------------------------------------------------------------- */
/*
 * _PROC_RLIMIT: prlimit(rl_pid, rl_resource, new, old), which musl's
 * getrlimit and setrlimit call (SYS_prlimit64).  taskman keeps every
 * process's limits (Linux's RLIMIT_* numbers, 0.._RLIMIT_NLIMITS-1,
 * else EINVAL; RLIM_INFINITY is ~0): a spawned or forked child starts
 * with its parent's, exec keeps them.  rl_pid 0 is the sender; another
 * process needs the sender's euid 0 or its real uid equal to all three
 * of the target's uids (EPERM; ESRCH if there is no such live process).
 * With _RLIMIT_SET, rl_cur/rl_max become the limits (soft > hard:
 * EINVAL; a hard limit above the current one needs euid 0: EPERM).
 * Reply status 0 and struct _proc_rlimit_reply, the limits before the
 * call.  What enforces which limit: docs/taskman.md, "Resource limits".
 */
#define _RLIMIT_SET		0x1	/* rl_flags: set the limits */
#define _RLIMIT_NLIMITS		16	/* Linux's RLIM_NLIMITS */
#define _RLIMIT_INFINITY	(~(uint64_t)0)
#define _RLIMIT_STACK		3	/* Linux's RLIMIT_* numbers that taskman uses */
#define _RLIMIT_CORE		4
#define _RLIMIT_NPROC		6
#define _RLIMIT_NOFILE		7
#define _RLIMIT_AS		9

struct _proc_rlimit {
	uint16_t	type;		/* _PROC_RLIMIT */
	uint16_t	subtype;	/* 0 */
	int32_t		rl_pid;		/* 0: the sender */
	int32_t		rl_resource;	/* RLIMIT_* */
	uint32_t	rl_flags;	/* _RLIMIT_SET or 0 */
	uint64_t	rl_cur;		/* with _RLIMIT_SET, else 0 */
	uint64_t	rl_max;
};
__ABI_SIZE(struct _proc_rlimit, 32, 8);

struct _proc_rlimit_reply {
	uint64_t	rr_cur;		/* the soft limit before the call */
	uint64_t	rr_max;		/* the hard limit */
};
__ABI_SIZE(struct _proc_rlimit_reply, 16, 8);

/* ---------------------------------------------------------------------- */
/*
 * _PROC_TIMES: header only (subtype 0); reply struct _proc_times_reply.
 * The CPU time of the sender's terminated children that it has waited
 * for, and of their waited-for descendants (getrusage(RUSAGE_CHILDREN),
 * times()).  The kernel reports each death's CPU time to taskman
 * (_PULSE_CODE_PROCTIMES) in milliseconds, user and system together; a
 * process's own time is ClockTime(CLOCK_PROCESS_CPUTIME_ID).
 */
struct _proc_times_reply {
	uint64_t	tr_children_ms;
};
__ABI_SIZE(struct _proc_times_reply, 8, 8);

/* ---------------------------------------------------------------------- */
/*
 * _PROC_PIDINFO: the first process whose pid is pi_pid or more (live or a
 * zombie), so a loop from 1 lists them all (pidin, slay); ESRCH past the
 * last.  Its threads come from the kernel (ThreadInfo).
 */
struct _proc_pidinfo {
	uint16_t	type;		/* _PROC_PIDINFO */
	uint16_t	subtype;	/* 0 */
	int32_t		pi_pid;
};
__ABI_SIZE(struct _proc_pidinfo, 8, 4);

#define _PIDINFO_ZOMBIE		0x1	/* dead, not yet waited for */

struct _proc_pidinfo_reply {
	int32_t		pr_pid, pr_ppid, pr_pgid, pr_sid;
	int32_t		pr_uid, pr_gid;	/* real */
	uint32_t	pr_flags;	/* _PIDINFO_* */
	uint32_t	pr_zero;
	uint64_t	pr_vm_bytes;	/* mapped memory taskman knows of */
	uint64_t	pr_cpu_ms;	/* a zombie's CPU time; live: 0 (ClockTime is the caller's only) */
	char		pr_name[32];	/* the program's name */
};
__ABI_SIZE(struct _proc_pidinfo_reply, 80, 8);

/* ---------------------------------------------------------------------- */
/*
 * _MEM_MAP: mmap of anonymous memory (MAP_ANONYMOUS, mm_fd -1,
 * mm_offset 0; private or shared), a /dev/shmem object (mm_fd), device
 * and DMA memory (_MAP_PHYS, below) or a file object (_MAP_FILEOBJ,
 * below; docs/taskman.md "_MEM_MAP and _MEM_CTRL").  mm_addr is a hint
 * unless MAP_FIXED, which replaces what was there.  The memory is zeroed.
 * Private anonymous memory gets every page at once (QNX's default), or
 * ENOMEM if memory is short; with _MAP_LAZY (QNX's MAP_LAZY) or
 * _MAP_NORESERVE (Linux's) it is lazy: each page filled at its first
 * touch (docs/taskman.md "Paging"), SIGBUS for a touch when memory has
 * run out.  _MAP_POPULATE (Linux's) asks for the default explicitly and
 * wins over the other two.
 *
 * _MAP_PHYS (QNX's MAP_PHYS; mmap_device_memory): device memory at the
 * physical address mm_offset (page-aligned), mm_fd -1.  With
 * _MAP_ANONYMOUS (QNX's MAP_PHYS | MAP_ANON): DMA memory, fresh zeroed
 * physically contiguous frames (mm_offset 0, at most _MAP_CONTIG_MAX
 * bytes, else ENOMEM; ENOMEM too when no free run is long enough),
 * shared with a forked child, never copied; _MEM_OFFSET tells where it
 * is.  Only a process with PROC_ABILITY_IO may ask (else
 * EPERM); a range that touches RAM is EINVAL (the kernel checks).  The
 * mapping is shared whatever the type says, and _PROT_NOCACHE is
 * accepted (RISC-V's physical memory attributes make device memory
 * uncached already).
 *
 * Reply status 0 and struct _mem_map_reply.  Errors: EINVAL (length 0,
 * misaligned MAP_FIXED address or physical address, range outside user
 * space, bad flags or prot), ENOMEM (no room or no memory), EPERM.
 */
#define _MAP_SHARED	0x01
#define _MAP_PRIVATE	0x02
#define _MAP_FIXED	0x10
#define _MAP_ANONYMOUS	0x20
#define _MAP_POPULATE	0x8000		/* Linux's value: private anonymous memory at once */
#define _MAP_LAZY	0x80		/* QNX's value: private anonymous memory at first touch */
#define _MAP_NORESERVE	0x4000		/* Linux's value: the same as _MAP_LAZY */
#define _MAP_PHYS	0x10000		/* QNX's value: mm_offset is a physical address */
#define _PROT_NONE	0x0
#define _PROT_READ	0x1
#define _PROT_WRITE	0x2
#define _PROT_EXEC	0x4
#define _PROT_NOCACHE	0x800		/* QNX's value; device memory is uncached anyway */
#define _MAP_CONTIG_MAX	(4UL << 20)	/* DMA memory: the kernel's largest block */

struct _mem_map {
	uint16_t	type;		/* _MEM_MAP */
	uint16_t	subtype;	/* 0 */
	uint32_t	mm_prot;	/* _PROT_* */
	uint64_t	mm_addr;	/* hint, or the address with _MAP_FIXED */
	uint64_t	mm_len;		/* bytes (rounded up to pages) */
	uint32_t	mm_flags;	/* _MAP_* */
	int32_t		mm_fd;		/* -1 for anonymous memory */
	int64_t		mm_offset;	/* 0 for anonymous memory */
};
__ABI_SIZE(struct _mem_map, 40, 8);
__ABI_FIELD(struct _mem_map, mm_prot, 4, 4);
__ABI_FIELD(struct _mem_map, mm_addr, 8, 8);
__ABI_FIELD(struct _mem_map, mm_len, 16, 8);
__ABI_FIELD(struct _mem_map, mm_flags, 24, 4);
__ABI_FIELD(struct _mem_map, mm_fd, 28, 4);
__ABI_FIELD(struct _mem_map, mm_offset, 32, 8);

struct _mem_map_reply {
	uint64_t	mr_addr;	/* where it is mapped */
};
__ABI_SIZE(struct _mem_map_reply, 8, 8);

/*
 * _MAP_FILEOBJ: mmap(MAP_SHARED) of a regular file (libc, lib/c/posix/mapfile.c).
 * taskman never reads a file: libc asks the file's server for a grant
 * (_IO_MMAP on its fd, sys/iomsg.h), which sends taskman
 * _MEM_CTRL_FILEGRANT, and names the file by the server's pid (mf_server,
 * from ConnectServerInfo of the fd) and the identity the server gave
 * (mf_dev, mf_ino), and its size.  taskman maps the range [mm_offset,
 * mm_offset + mm_len) of the file object of (mf_server, mf_dev, mf_ino)
 * (found or made: shared frames, one object per file, that every
 * MAP_SHARED mapping of the file in any process maps, so each sees the
 * others' stores at once) if that server granted the sender read access
 * (and write access for PROT_WRITE): else EACCES.  The message is struct
 * _mem_map_file (mm_flags _MAP_SHARED | _MAP_FILEOBJ [| _MAP_FIXED],
 * mm_fd -1, mm_offset page-aligned).  Then libc asks which pages are not
 * yet filled from the file (_MEM_CTRL_FILEFILL), reads them with pread
 * under its own credentials into a buffer of its own and hands them to
 * taskman, and so on until none are left.  The object lives while any
 * process maps it; then its frames are freed.  Errors as _MEM_MAP, and
 * ENOMEM for a range past 1 GiB of file.
 */
#define _MAP_FILEOBJ	0x1000000	/* qsoe: _mem_map_file, a file object */

struct _mem_map_file {
	struct _mem_map	mf_map;
	uint64_t	mf_dev;		/* st_dev */
	uint64_t	mf_ino;		/* st_ino */
	int64_t		mf_size;	/* st_size at the mmap: pages past it stay unfilled */
	int32_t		mf_server;	/* the file's server's pid (ConnectServerInfo) */
	uint32_t	mf_zero;	/* 0 */
};
__ABI_SIZE(struct _mem_map_file, 72, 8);
__ABI_FIELD(struct _mem_map_file, mf_dev, 40, 8);
__ABI_FIELD(struct _mem_map_file, mf_ino, 48, 8);
__ABI_FIELD(struct _mem_map_file, mf_size, 56, 8);
__ABI_FIELD(struct _mem_map_file, mf_server, 64, 4);

/*
 * _MEM_CTRL: munmap (subtype _MEM_CTRL_UNMAP) and mprotect
 * (_MEM_CTRL_PROTECT) of [mc_addr, mc_addr + mc_len), page-aligned.
 * munmap of pages that are not mapped is not an error (POSIX).  mprotect
 * to a different protection needs a kernel call Skimmer lacks: ENOSYS
 * for now; to the same protection it is 0; ENOMEM if the range is not
 * all mapped.  Status 0.
 */
#define _MEM_CTRL_UNMAP		1
#define _MEM_CTRL_PROTECT	2
/*
 * _MEM_CTRL_FILEFILL: [mc_addr, mc_addr + mc_len) lies in one mapping of
 * a file object (_MAP_FILEOBJ) of the sender (else EINVAL; ENOMEM if not
 * mapped).  mc_prot _MEM_FILL_ASK: the reply (struct _mem_fill_reply) is
 * the first run of pages in the range that are inside the file (its size
 * as the last mapper gave it), not filled from it yet and not being
 * filled by another live process: they are the sender's to fill now.
 * mf_len 0 and status 0: every such page is filled; mf_len 0 and status
 * 1: others are still filling some (ask again a little later: their
 * stores must not be overwritten by a second read).  _MEM_FILL_DONE: the
 * message is the header and then mc_len bytes, the file's data for the
 * range, which must be pages the sender was given (else EINVAL): taskman
 * copies them into the object, and they are filled.  _MEM_FILL_UNDO: it
 * could not read them (they are unfilled again).  A process that dies
 * filling leaves its pages unfilled.  _MEM_FILL_DATA_MAX bytes at most
 * per message (libc asks for no more at a time).
 */
#define _MEM_CTRL_FILEFILL	3
#define _MEM_FILL_ASK		0	/* mc_prot of _MEM_CTRL_FILEFILL */
#define _MEM_FILL_UNDO		1
#define _MEM_FILL_DONE		2
#define _MEM_FILL_DATA_MAX	16384
/* _MEM_CTRL_MAPPED (msync): 0 if the range is all mapped, else ENOMEM; mc_prot 0. */
#define _MEM_CTRL_MAPPED	4
/*
 * _MEM_CTRL_FILEGRANT (struct _mem_file_grant), sent by a file system
 * answering _IO_MMAP: process mg_pid may map the file (mg_dev, mg_ino) of
 * this server with mg_prot (_PROT_READ, _PROT_WRITE, _PROT_EXEC; read at
 * least).  taskman records it for (mg_pid, the sender, dev, ino), so a
 * grant only opens objects keyed by its sender.  It lasts until mg_pid
 * execs or either dies.  ESRCH for no such process, ENOMEM when
 * _MEM_GRANT_MAX grants are held (or _MEM_GRANT_PROC_MAX for mg_pid),
 * EINVAL for a bad message.  Status 0.
 */
#define _MEM_CTRL_FILEGRANT	5
#define _MEM_GRANT_MAX		4096
#define _MEM_GRANT_PROC_MAX	512

struct _mem_file_grant {
	uint16_t	type;		/* _MEM_CTRL */
	uint16_t	subtype;	/* _MEM_CTRL_FILEGRANT */
	uint32_t	mg_prot;	/* _PROT_* */
	int32_t		mg_pid;		/* the client */
	uint32_t	mg_zero;	/* 0 */
	uint64_t	mg_dev;
	uint64_t	mg_ino;
};
__ABI_SIZE(struct _mem_file_grant, 32, 8);
__ABI_FIELD(struct _mem_file_grant, mg_pid, 8, 4);
__ABI_FIELD(struct _mem_file_grant, mg_dev, 16, 8);
__ABI_FIELD(struct _mem_file_grant, mg_ino, 24, 8);

struct _mem_ctrl {
	uint16_t	type;		/* _MEM_CTRL */
	uint16_t	subtype;	/* _MEM_CTRL_* */
	uint32_t	mc_prot;	/* _PROT_* for PROTECT, else 0 */
	uint64_t	mc_addr;
	uint64_t	mc_len;
};
__ABI_SIZE(struct _mem_ctrl, 24, 8);

struct _mem_fill_reply {
	uint64_t	mf_addr;	/* the run to read from the file */
	uint64_t	mf_len;		/* bytes; 0: none to fill now (the status says why) */
};
__ABI_SIZE(struct _mem_fill_reply, 16, 8);

/*
 * _MEM_OFFSET: mem_offset(addr, NOFD, len, ...) for the sender: the
 * physical address of mo_addr and how many of the mo_len bytes from it
 * are physically contiguous.  Only for a process with PROC_ABILITY_IO
 * (EPERM): physical addresses are of use to drivers alone.  Errors:
 * EINVAL (mo_len 0 or over 1 GiB, subtype or zero not 0), EACCES
 * (nothing mapped at mo_addr), EPERM.  Reply status 0 and struct
 * _mem_offset_reply.
 */
struct _mem_offset {
	uint16_t	type;		/* _MEM_OFFSET */
	uint16_t	subtype;	/* 0 */
	uint32_t	mo_zero;	/* 0 */
	uint64_t	mo_addr;
	uint64_t	mo_len;
};
__ABI_SIZE(struct _mem_offset, 24, 8);

struct _mem_offset_reply {
	uint64_t	mo_paddr;	/* the physical address of mo_addr */
	uint64_t	mo_contig;	/* contiguous bytes from there, <= mo_len */
};
__ABI_SIZE(struct _mem_offset_reply, 16, 8);

/* ---------------------------------------------------------------------- */
/*
 * _PATH_ATTACH: the sender (its pid, from the message info) serves the
 * prefix on its channel pa_chid; clients' _IO_CONNECT to it carry
 * pa_handle.  The prefix (pa_path_len bytes, NUL included) follows the
 * header: absolute, no empty, "." or ".." component, no trailing '/'
 * (except "/" itself), at most _IO_CONNECT_PATH_MAX bytes.  The reply's
 * status is the attachment id (> 0) for _PATH_DETACH.  An attachment
 * ends with _PATH_DETACH or when its process dies.  Errors: EINVAL, EEXIST
 * (this process has the same prefix on the same channel and handle
 * already; or pa_file_type is _FTYPE_NAME and another _FTYPE_NAME
 * attachment has the prefix: name_attach's names are not unions), ENOMEM.
 */
#define _RESMGR_FLAG_BEFORE	0x0001	/* resolve before others on this prefix */
#define _RESMGR_FLAG_AFTER	0x0002	/* ... after them */
#define _RESMGR_FLAG_DIR	0x0004	/* a directory: also the paths under it */
#define _RESMGR_FLAG_OPAQUE	0x0008	/* hide servers of shorter prefixes */
#define _RESMGR_FLAGS_ALL	0x000f

struct _path_attach {
	uint16_t	type;		/* _PATH_ATTACH */
	uint16_t	subtype;	/* 0 */
	uint32_t	pa_flags;	/* _RESMGR_FLAG_* */
	int32_t		pa_chid;	/* the server's channel */
	uint32_t	pa_handle;	/* echoed in _io_connect.handle (> 0) */
	int32_t		pa_file_type;	/* _FTYPE_* it serves (_FTYPE_ANY) */
	uint16_t	pa_path_len;	/* bytes of prefix, NUL included */
	uint16_t	pa_zero;	/* 0 */
	char		pa_path[];
};
__ABI_SIZE(struct _path_attach, 24, 4);
__ABI_ASSERT(offsetof(struct _path_attach, pa_path) == 24, "ABI: pa_path moved");

/* _PATH_DETACH: only the attaching process may detach.  Status 0; ENOENT. */
struct _path_detach {
	uint16_t	type;		/* _PATH_DETACH */
	uint16_t	subtype;	/* 0 */
	int32_t		pd_id;		/* _PATH_ATTACH's status */
};
__ABI_SIZE(struct _path_detach, 8, 4);

/* ---------------------------------------------------------------------- */
/*
 * _SYS_CONF: sysconf(sc_name), musl's _SC_* numbers.  Reply status 0 and
 * struct _sys_conf_reply; EINVAL for a name taskman does not know (libc
 * answers the constant ones itself).
 */
struct _sys_conf {
	uint16_t	type;		/* _SYS_CONF */
	uint16_t	subtype;	/* 0 */
	int32_t		sc_name;	/* _SC_* */
};
__ABI_SIZE(struct _sys_conf, 8, 4);

struct _sys_conf_reply {
	int64_t		cr_value;
};
__ABI_SIZE(struct _sys_conf_reply, 8, 8);

#define _SYS_SC_CLK_TCK		2	/* musl's _SC_CLK_TCK */
#define _SYS_SC_OPEN_MAX	4
#define _SYS_SC_PAGESIZE	30
#define _SYS_SC_NPROCESSORS_CONF 83
#define _SYS_SC_NPROCESSORS_ONLN 84
#define _SYS_SC_PHYS_PAGES	85
#define _SYS_SC_AVPHYS_PAGES	86
#define _SYS_SC_ARG_MAX		0
#define _SYS_SC_CHILD_MAX	1

/* _SYS_UNAME: header only; the reply is struct utsname's layout (Linux's). */
#define _SYS_UTS_LEN		65
struct _sys_uname_reply {
	char		un_sysname[_SYS_UTS_LEN];
	char		un_nodename[_SYS_UTS_LEN];
	char		un_release[_SYS_UTS_LEN];
	char		un_version[_SYS_UTS_LEN];
	char		un_machine[_SYS_UTS_LEN];
	char		un_domainname[_SYS_UTS_LEN];
};
__ABI_SIZE(struct _sys_uname_reply, 390, 1);

/*
 * _SYS_SHUTDOWN: end every other process, then taskman exits with
 * sd_status, which powers the machine off with that status; REBOOT
 * restarts the machine instead (the kernel's SysShutdownMode).  Needs
 * euid 0 (EPERM).  The reply (status 0) comes
 * before the end; the sender is ended too.
 */
#define _SYS_SHUTDOWN_POWEROFF	1
#define _SYS_SHUTDOWN_REBOOT	2

struct _sys_shutdown {
	uint16_t	type;		/* _SYS_SHUTDOWN */
	uint16_t	subtype;	/* _SYS_SHUTDOWN_* */
	int32_t		sd_status;	/* the machine's exit status (0..255) */
};
__ABI_SIZE(struct _sys_shutdown, 8, 4);

/* ---------------------------------------------------------------------- */
/*
 * _SYS_SLOG: the system log, QNX's slogger2 idea simplified.  taskman
 * keeps a ring of the last _SLOG_ENTRIES entries; each has a sequence
 * number (from 1, never reused), the CLOCK_REALTIME time it was logged,
 * a severity (_SLOG_SHUTDOWN 0 .. _SLOG_DEBUG2 7, which are syslog's
 * LOG_EMERG .. LOG_DEBUG), an opcode (slogf's: the caller's code, taken
 * as it is), the origin (the sender's pid and program name, which taskman
 * fills in: a client cannot forge them) and up to _SLOG_TEXT_MAX bytes of
 * text.  taskman's own notes (pid 1, "taskman") go there too.
 *
 * Subtypes:
 *	_SLOG_WRITE	struct _sys_slog, then sl_len bytes of text (no NUL,
 *			0 to _SLOG_TEXT_MAX); the message must be exactly that
 *			long.  Status 0.  EINVAL: a severity above 7, a length that is not
 *			the message's, a NUL in the text, sl_zero not 0.
 *	_SLOG_READ	struct _sys_slog_read: the entries from sequence
 *			sr_seq on (older ones that the ring dropped are skipped:
 *			rr_first says where it starts), as many whole records as
 *			the reply buffer holds after struct _sys_slog_read_reply.
 *			The reply buffer must hold the header and one record of
 *			the largest size (_SLOG_READ_MIN bytes), else EINVAL.
 *			Status: the reply's bytes (the header and the records).
 *	_SLOG_READ_WAIT	the same, but if no entry has sr_seq or more, the
 *			reply waits until one is logged (sloginfo -w).  An unblock
 *			request (a signal, a time-out) ends it with EINTR.  At most
 *			_SLOG_WAITERS wait at once (else EAGAIN).
 *	_SLOG_CLEAR	struct _sys_slog_read with sr_seq 0: drop every entry
 *			(sequence numbers go on).  Needs euid 0 (EPERM).  Status 0.
 *
 * A record (struct _slog_entry) is se_size bytes: the 64-byte header, the
 * text (se_len bytes, no NUL) and zero padding to a multiple of 8.
 */
#define _SLOG_WRITE		1
#define _SLOG_READ		2
#define _SLOG_READ_WAIT		3
#define _SLOG_CLEAR		4

#define _SLOG_TEXT_MAX		256	/* bytes of text an entry keeps */
#define _SLOG_ENTRIES		256	/* entries the ring holds */
#define _SLOG_WAITERS		16	/* readers waiting at once */
#define _SLOG_SEVERITY_MAX	7	/* _SLOG_DEBUG2 (sys/slog.h) */

struct _sys_slog {
	uint16_t	type;		/* _SYS_SLOG */
	uint16_t	subtype;	/* _SLOG_WRITE */
	int32_t		sl_opcode;	/* the caller's code (sys/slog.h's _SLOG_SETCODE) */
	uint8_t		sl_severity;	/* 0..7 */
	uint8_t		sl_zero;	/* 0 */
	uint16_t	sl_len;		/* bytes of text that follow */
	uint32_t	sl_zero2;	/* 0 */
};
__ABI_SIZE(struct _sys_slog, 16, 4);

struct _sys_slog_read {
	uint16_t	type;		/* _SYS_SLOG */
	uint16_t	subtype;	/* _SLOG_READ, _SLOG_READ_WAIT, _SLOG_CLEAR */
	uint32_t	sr_zero;	/* 0 */
	uint64_t	sr_seq;		/* the first sequence number wanted (CLEAR: 0) */
};
__ABI_SIZE(struct _sys_slog_read, 16, 8);

struct _sys_slog_read_reply {
	uint64_t	rr_first;	/* the oldest entry the ring holds (rr_next if none) */
	uint64_t	rr_next;	/* the number the next entry will get */
	uint32_t	rr_count;	/* records that follow */
	uint32_t	rr_bytes;	/* their bytes */
};
__ABI_SIZE(struct _sys_slog_read_reply, 24, 8);

struct _slog_entry {
	uint64_t	se_seq;		/* sequence number */
	uint64_t	se_time;	/* CLOCK_REALTIME when logged, ns */
	int32_t		se_pid;		/* origin */
	int32_t		se_opcode;	/* the writer's opcode */
	uint8_t		se_severity;	/* 0..7 */
	uint8_t		se_zero;
	uint16_t	se_len;		/* text bytes after the header (no NUL) */
	uint32_t	se_size;	/* this record's bytes (a multiple of 8) */
	char		se_name[32];	/* the origin's program name, NUL-terminated */
};
__ABI_SIZE(struct _slog_entry, 64, 8);
__ABI_FIELD(struct _slog_entry, se_severity, 24, 1);
__ABI_FIELD(struct _slog_entry, se_name, 32, 32);

#define _SLOG_RECORD_MAX	(sizeof(struct _slog_entry) + _SLOG_TEXT_MAX)
#define _SLOG_READ_MIN		(sizeof(struct _sys_slog_read_reply) + _SLOG_RECORD_MAX)

/* ---------------------------------------------------------------------- */
/*
 * _SYS_HOSTNAME: sethostname().  _SYS_HOSTNAME_SET: hn_len bytes of the
 * new name follow (no NUL), and the message must be exactly that long
 * (else EINVAL).  Needs euid 0 (EPERM).  Then: hn_len 0 or a NUL in the
 * name: EINVAL; more than _SYS_HOSTNAME_MAX bytes: ENAMETOOLONG.  Status
 * 0.  The name is _SYS_UNAME's un_nodename from then on ("qsoe" at boot).
 */
#define _SYS_HOSTNAME_SET	1
#define _SYS_HOSTNAME_MAX	(_SYS_UTS_LEN - 1)	/* 64, Linux's HOST_NAME_MAX */

struct _sys_hostname {
	uint16_t	type;		/* _SYS_HOSTNAME */
	uint16_t	subtype;	/* _SYS_HOSTNAME_SET */
	uint32_t	hn_len;		/* bytes of name that follow */
};
__ABI_SIZE(struct _sys_hostname, 8, 4);

/* ---------------------------------------------------------------------- */
/*
 * _SYS_CLOCK: clock_settime(CLOCK_REALTIME) and settimeofday for root.
 * The kernel lets only the process manager set the clock (ClockTime
 * needs its ability), and it checks uids only for signals: taskman checks the sender's
 * euid (EPERM unless 0) and sets it.  _SYS_CLOCK_SET: ck_ns, nanoseconds
 * since the Epoch (>= 0, < 2^63).  Status 0.  EINVAL: ck_zero not 0, a
 * negative time, another subtype.
 */
#define _SYS_CLOCK_SET		1

struct _sys_clock {
	uint16_t	type;		/* _SYS_CLOCK */
	uint16_t	subtype;	/* _SYS_CLOCK_SET */
	uint32_t	ck_zero;	/* 0 */
	int64_t		ck_ns;		/* the new CLOCK_REALTIME */
};
__ABI_SIZE(struct _sys_clock, 16, 8);

#endif
