/*
 * taskman/skimmer/tm.h - taskman for Skimmer: the server's shared state
 * and the functions its files give each other.
 *
 * taskman is one thread: it owns every table below and never blocks
 * except in MsgReceive.  A request that must wait (waitpid, a spawn
 * waiting for its child, the startup script) is remembered and answered
 * later from the event that ends the wait.
 */
#ifndef TM_H
#define TM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <abi/errno.h>
#include <abi/kercall.h>
#include <abi/msg.h>
#include <abi/procmgr.h>
#include <abi/signal.h>
#include <abi/vmlayout.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>
#include "../common/imagefs.h"
#include "../common/pathtab.h"
#include "../common/proctab.h"
#include "../common/spawnmsg.h"
#include "../common/vmmap.h"

#define TM_PAGE		4096UL
#define TM_STACK_SIZE	PROCTAB_STACK_DEFAULT	/* a new program's first stack by default */
#define TM_STACK_MIN	(128 * 1024UL)		/* ... and within these, RLIMIT_STACK's */
#define TM_STACK_MAX	(64UL << 20)		/* (below TM_MMAP_HI's 256 MiB gap) */
#define TM_MAP_MAX	(1UL << 30)		/* one MemMap call maps at most 1 GiB */
#define TM_MMAP_LO	0x0000001000000000UL	/* mmap's window: above programs ... */
#define TM_MMAP_HI	(USER_STACK_TOP - 0x10000000UL)	/* ... below the stacks */
#define TM_BOOTFS_HANDLE 1			/* our own /proc/boot attachment */
#define TM_SHMEM_HANDLE	2			/* ... and /dev/shmem's (shmfs.c) */
#define TM_MSG_MAX	(_SPAWN_ARGS_MAX + 16 * 1024)	/* largest message we read */

/* The kernel-specific data of a process (pt_proc.pp_priv). */
struct tm_proc {
	struct vmmap	tp_vm;		/* what is mapped in it */
	long		tp_spawn_rcvid;	/* parent's spawn/fork waiting for _PROC_SPAWN_DONE, or 0 */
	long		tp_abilities;	/* PROC_ABILITY_* it was created with (fork passes them on) */
};

/* A message being handled. */
struct tm_msg {
	long		m_rcvid;
	struct _msg_info m_info;
	const void	*m_buf;		/* the whole message, 8-aligned */
	size_t		m_len;		/* its bytes */
};

struct tm_state {
	int		t_chid;		/* SYSMGR_CHID */
	const void	*t_img;		/* the boot image, mapped read-only */
	size_t		t_imgsize;
	struct imagefs	t_fs;
	struct pathtab	t_paths;
	struct proctab	t_procs;
	int		t_shutdown;	/* ending: waiting for the others to die */
	int		t_shutdown_status;
};

extern struct tm_state tm;

/*
 * Every msg_*(m) handler below is called from the loop with a whole
 * message (m_len bytes, already at least a _msg_hdr and of its type),
 * checks every field itself, and answers m_rcvid exactly once, now or
 * later (never blocking).
 */

/*
 * main.c.  tm_log: printf to the kernel console (DebugWrite), never to an
 * fd: taskman must not send messages to itself, and stdout would be one;
 * each note also goes into the system log (_SLOG_INFO, pid 1, "taskman").
 * tm_reply / tm_error: to a client; a dead client is not an error.
 */
void tm_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tm_reply(long rcvid, long status, const void *buf, size_t len);
void tm_error(long rcvid, int err);
uint64_t tm_now_ns(void);			/* CLOCK_MONOTONIC */

/*
 * A program to load: the boot image's file (read-only, for ever), or
 * taskman's copy of the one the caller sent (_SPAWN_IMAGE), freed by
 * tm_prog_free.  pg_entry: its checked entry point.
 */
struct tm_prog {
	const void	*pg_data;
	size_t		pg_size;
	void		*pg_copy;	/* malloc'd copy, or NULL */
	uint64_t	pg_entry;
	uint64_t	pg_mem;		/* bytes its segments map (whole pages) */
};

/*
 * spawn.c.  tm_spawn: start r's program (a checked request) as a child of
 * parent with the given ProcCreate abilities; the pid, or -errno with
 * nothing left behind.  rcvid and off: where a _SPAWN_IMAGE program is
 * (the sender's message from byte off; rcvid 0: nowhere, EINVAL).
 * tm_proc_free: free p's kernel-specific data.
 */
long tm_spawn(int parent, const struct spawn_req *r, long abilities, long rcvid, size_t off);
void tm_proc_free(struct pt_proc *p);

/*
 * spawn.c's steps, which exec shares.  tm_find_program: r's program, from
 * the image or (_SPAWN_IMAGE) read from rcvid's message at off, checked
 * (0, -ENOENT, -EACCES, -ENOEXEC, -ENOMEM, -EINVAL); the caller frees it
 * with tm_prog_free.  tm_load_elf: map and fill pg's segments in pid,
 * recording them in vm (0 or -errno).  tm_build_stack: the first stack for r in a static
 * buffer (the bytes it takes, or -E2BIG), with cred's ids and working
 * directory and ppid in auxv; -ENOMEM if the program and that stack
 * would pass cred's RLIMIT_AS.  tm_write_stack: map the stack in pid, write what tm_build_stack
 * built and record it in vm; sp or -errno.
 */
long tm_find_program(const struct spawn_req *r, long rcvid, size_t off, struct tm_prog *pg);
void tm_prog_free(struct tm_prog *pg);
/* A program's name: path's last component (a link's, such as toybox's "ls"). */
const char *tm_prog_name(const char *path);
long tm_load_elf(long pid, const struct tm_prog *pg, struct vmmap *vm);
/*
 * The main stack of a program started with p's limits: RLIMIT_STACK's
 * soft limit in whole pages within [TM_STACK_MIN, TM_STACK_MAX];
 * TM_STACK_SIZE when it is unlimited.  tm_build_stack sizes the stack
 * it builds so, and tm_write_stack maps that much.
 */
uint64_t tm_stack_size(const struct pt_proc *p);
long tm_build_stack(const struct spawn_req *r, const struct pt_proc *cred, int ppid,
    const struct tm_prog *pg);
long tm_write_stack(long pid, long used, struct vmmap *vm);
void msg_spawn(struct tm_msg *m);
void msg_spawn_done(struct tm_msg *m);

/*
 * procmsg.c.  proc_died: the death pulse of pid with its wait status
 * (unknown pids are ignored).  proc_stopcont: the stop/continue pulse.
 * Both send the parent SIGCHLD and answer its waits.  wait_unblock: a
 * client held in a wait asks to unblock; it gets EINTR.  forget_waiters:
 * drop pid's held waits (it died or exec'd: their rcvids are gone).
 */
void msg_wait(struct tm_msg *m);
void msg_getsetid(struct tm_msg *m);
void msg_umask(struct tm_msg *m);
void msg_cwd(struct tm_msg *m);
void msg_times(struct tm_msg *m);
void msg_pidinfo(struct tm_msg *m);
void msg_rlimit(struct tm_msg *m);
void proc_times(int pid, uint32_t ms);
void proc_died(int pid, int wstatus);
void proc_stopcont(int pid, int wstatus);
void wait_unblock(long rcvid);
void forget_waiters(int pid);

/*
 * fork.c (_PROC_FORK) and exec.c (_PROC_EXEC).  tm_set_group: tell the
 * kernel p's process group (ProcSetGroup), for SignalKill(-pgid), and its
 * uids and session (ProcSetCred), for SignalKill's permission check.
 */
void msg_fork(struct tm_msg *m);
void msg_exec(struct tm_msg *m);
void tm_set_group(const struct pt_proc *p);

/*
 * memmsg.c: mmap, munmap, mprotect for the sender.  tm_unmap_all: unmap
 * every region vm records in pid and forget them (exec).
 */
void msg_mem_map(struct tm_msg *m);
void msg_mem_ctrl(struct tm_msg *m);
void msg_mem_offset(struct tm_msg *m);
void tm_unmap_all(long pid, struct vmmap *vm);

/*
 * pager.c: taskman pages the processes it starts (lazy anonymous memory).
 * tm_pager_attach: make taskman pid's pager (before its first thread
 * runs); 0 or -errno.  tm_lazy_mark: mark the lazy regions vm records
 * in pid (a fork child: pages the parent had not touched stay lazy); 0
 * or -errno.  pager_fault: the _PULSE_CODE_PAGEFAULT of thread tid of
 * pid: fill, or SIGSEGV (SIGBUS when out of memory).
 */
long tm_pager_attach(long pid);
long tm_lazy_mark(long pid, const struct vmmap *vm);
void pager_fault(int pid, int tid);

/*
 * pathmsg.c.  path_exists: is path attached exactly by a server, or a
 * file of /proc/boot?  (waitfor's test.)
 */
void msg_path_attach(struct tm_msg *m);
void msg_path_detach(struct tm_msg *m);
void msg_connect(struct tm_msg *m);
int path_exists(const char *path);

/*
 * bootfs.c: the /proc/boot resource manager.  bootfs_connect: an
 * _IO_CONNECT with our handle, c already checked.  bootfs_io: any other
 * _IO_* message.  The last two free the OCBs of a connection or process.
 */
void bootfs_connect(struct tm_msg *m, const struct _io_connect *c);
void bootfs_io(struct tm_msg *m);
void bootfs_disconnect(int scoid);
void bootfs_proc_gone(int pid);
int bootfs_bound(const struct tm_msg *m);	/* has m's connection an open file? */

/*
 * shmfs.c: /dev/shmem, the shared-memory objects (handle TM_SHMEM_HANDLE).
 * shmfs_connect: open/create/unlink.  shmfs_io: 1 if the message was for
 * one of its open files (and answered), else 0 (bootfs's).  shmfs_map:
 * map the object that fd mm_fd of pid names at addr (len bytes, checked,
 * free); 0 or -errno (EBADF, ENODEV: not an object, EACCES, ENXIO).
 */
void shmfs_init(void);
void shmfs_connect(struct tm_msg *m, const struct _io_connect *c);
int shmfs_io(struct tm_msg *m);
void shmfs_disconnect(int scoid);
void shmfs_proc_gone(int pid);
long shmfs_map(long pid, const struct _mem_map *mm, uint64_t addr, uint64_t len);

/*
 * File objects (shmfs.c): the frames every mmap(MAP_SHARED) of one
 * regular file maps (_MAP_FILEOBJ; taskman never reads the file, libc
 * fills them).  shmfs_file_map: find or make the object of mf's file
 * (keyed by its server, dev and ino; EACCES unless that server granted pid
 * the access), grow it to cover the range and map it at addr in pid (len bytes,
 * checked, free); *obj is the tag for the region (vmmap_tag); 0 or
 * -errno.  shmfs_file_fill: _MEM_CTRL_FILEFILL for the sender pid and
 * its map vm (rcvid: _MEM_FILL_DONE's pages follow the header); 0 or 1 (the reply's status), or -errno.
 * shmfs_file_gc: free the objects no process maps any more (after an
 * unmap, exec or exit).
 */
long shmfs_file_map(long pid, const struct _mem_map_file *mf, uint64_t addr, uint64_t len,
    uint64_t *obj);
long shmfs_file_fill(const struct vmmap *vm, int pid, uint64_t addr, uint64_t len, uint32_t how,
    long rcvid, struct _mem_fill_reply *r);
void shmfs_file_gc(void);
/*
 * Grants (_MEM_CTRL_FILEGRANT from a file system): shmfs_grant records
 * one from server; shmfs_grant_drop forgets pid's (exec, death) and those
 * it gave; shmfs_file_may_map: 0 if pid holds the grant mf needs, else
 * -EACCES (-EINVAL); shmfs_file_granted: may pid map file object obj with prot?
 */
long shmfs_file_may_map(long pid, const struct _mem_map_file *mf);
long shmfs_grant(int server, const struct _mem_file_grant *mg);
void shmfs_grant_drop(int pid);
int shmfs_file_granted(int pid, uint64_t obj, uint32_t prot);

/*
 * sysmsg.c.  shutdown_begin: end every other process; idempotent.
 * shutdown_sweep: count as dead the processes the kernel has forgotten.
 */
void msg_sysconf(struct tm_msg *m);
void msg_uname(struct tm_msg *m);
void msg_shutdown(struct tm_msg *m);
void msg_hostname(struct tm_msg *m);
void msg_clock(struct tm_msg *m);
void shutdown_begin(int status);
void shutdown_sweep(void);

/*
 * slogmsg.c: the system log (_SYS_SLOG).  tm_slog_init: before the first
 * tm_log.  tm_slog_add: append an entry (time now) and answer the readers
 * waiting for one.  slog_unblock: 1 if rcvid was a waiting reader (now
 * answered EINTR), else 0.  slog_proc_gone: forget pid's waiting readers.
 */
void tm_slog_init(void);
void tm_slog_add(int pid, const char *name, int opcode, int severity, const char *text,
    size_t len);
void msg_slog(struct tm_msg *m);
int slog_unblock(long rcvid);
void slog_proc_gone(int pid);

/*
 * startup.c.  startup_load: parse the script at path in the image; 0 or
 * -1 (reported).  startup_run: advance it as far as it can go; returns
 * how many ns the loop may wait before calling again, 0 for "until the
 * next message".  startup_child_died: a child of taskman was reaped.
 */
int startup_load(const char *path);
uint64_t startup_run(void);
void startup_child_died(int pid, int wstatus);

#endif
