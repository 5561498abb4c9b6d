/*
 * posix_spawn as one _PROC_SPAWN message (docs/taskman.md): the path,
 * argv and envp, the attributes taskman knows, and the child's fds; for a
 * program outside the boot image also the program file itself, which
 * libc reads with the caller's credentials (_SPAWN_IMAGE).  The
 * file actions are applied here, in the parent, to a map of the child's
 * fds (child fd -> parent connection): close and dup2 change the map, open
 * opens the file in the parent for the child to inherit.  The child's
 * libc re-creates each fd (sysmgr.c) before taskman answers, so the
 * parent closes what it opened for the child when the reply comes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>
#include "../process/fdop.h"	/* musl's file actions (and its __libc_malloc) */
#include "px.h"

extern char **__environ;

/*
 * A parent fd with FD_CLOEXEC is open while the file actions run (they
 * act "before the exec") and closed after them: it is in the map as
 * PX_CLOEXEC(p), which a dup2 action turns into p.
 */
#define PX_CLOEXEC(p)	(-2 - (p))	/* < -1; its own inverse */

struct fdmap {
	int	m_fd[PX_FD_MAX];	/* child fd -> parent fd, PX_CLOEXEC(parent fd), or -1 */
	int	m_tmp[_SPAWN_FDS_MAX];	/* fds the parent opened for the child */
	int	m_ntmp;
};

/*
 * What the child's fds are: the parent's (inherited) changed by posix
 * file actions, or (QNX's spawn) an explicit map: child fd n is the
 * parent's map[n] for n < n_map (-1: closed), every other fd closed.
 */
struct fdspec {
	const posix_spawn_file_actions_t	*fs_fa;
	const int				*fs_map;	/* NULL: inherit, then fs_fa */
	int					fs_nmap;
};

/* The parent's fds (no NOSHARE): inherited, or with FD_CLOEXEC PX_CLOEXEC. */
static void inherit_all(struct fdmap *fm)
{
	struct _server_info si;

	for (int i = 0; i < PX_FD_MAX; i++)
		fm->m_fd[i] = -1;
	for (int i = 0; (i = ConnectServerInfo_r(0, i, &si)) >= 0 && i < PX_FD_MAX; i++)
		if (!(si.flags & (_NTO_COF_NOSHARE | _NTO_COF_DEAD)))
			fm->m_fd[i] = __px_fds[i].f_cloexec ? PX_CLOEXEC(i) : i;
}

/* Apply one file action to the map: 0 or an errno. */
static int apply(struct fdmap *fm, const struct fdop *op)
{
	long fd;

	if (op->fd < 0 || op->fd >= PX_FD_MAX)
		return EBADF;
	switch (op->cmd) {
	case FDOP_CLOSE:
		fm->m_fd[op->fd] = -1;
		return 0;
	case FDOP_DUP2:
		if (op->srcfd < 0 || op->srcfd >= PX_FD_MAX)
			return EBADF;
		if (fm->m_fd[op->srcfd] == -1)
			return EBADF;
		/* The new fd has no FD_CLOEXEC (dup2(fd, fd) clears it). */
		fm->m_fd[op->fd] = fm->m_fd[op->srcfd] < -1 ?
		    PX_CLOEXEC(fm->m_fd[op->srcfd]) : fm->m_fd[op->srcfd];
		return 0;
	case FDOP_OPEN:
		if (fm->m_ntmp == _SPAWN_FDS_MAX)
			return EMFILE;
		fd = __px_openat(AT_FDCWD, op->path, op->oflag, op->mode);
		if (fd < 0)
			return (int)-fd;
		fm->m_tmp[fm->m_ntmp++] = (int)fd;
		fm->m_fd[op->fd] = (int)fd;
		return 0;
	default:
		return ENOSYS;	/* chdir, fchdir: taskman starts a child in its parent's directory, no other */
	}
}

/* Every file action, oldest first (musl keeps the newest at the head). */
static int apply_all(struct fdmap *fm, const posix_spawn_file_actions_t *fa)
{
	const struct fdop *op = fa ? fa->__actions : 0;
	int err = 0;

	while (op && op->next)
		op = op->next;
	for (; op && err == 0; op = op->prev)
		err = apply(fm, op);
	return err;
}

/* The fd entries of the map at fds; their number or -errno. */
static long fd_entries(const struct fdmap *fm, struct _proc_spawn_fd *fds)
{
	struct _server_info si;
	long n = 0;

	for (int c = 0; c < PX_FD_MAX; c++) {
		int p = fm->m_fd[c];

		if (p < 0)
			continue;	/* closed, or FD_CLOEXEC */
		if (n == _SPAWN_FDS_MAX)
			return -EMFILE;
		if (ConnectServerInfo_r(0, p, &si) != p)
			return -EBADF;
		fds[n++] = (struct _proc_spawn_fd){ .sf_fd = c, .sf_parent_fd = p,
		    .sf_pid = si.pid, .sf_chid = si.chid, .sf_scoid = si.scoid };
	}
	return n;
}

static size_t strings_len(char *const v[], uint32_t *count)
{
	size_t n = 0;

	*count = 0;
	for (; v && v[*count]; (*count)++)
		n += strlen(v[*count]) + 1;
	return n;
}

/* A program file read into memory (for _SPAWN_IMAGE), or none. */
struct progimg {
	void	*pi_data;	/* malloc'd, or NULL */
	size_t	pi_len;
};

/* Send msg (len bytes) to taskman, followed by the program file if there is one. */
static long send_with_image(const void *msg, size_t len, const struct progimg *img)
{
	iov_t iov[2];
	long r;

	if (img == 0 || img->pi_data == 0)
		return __px_sysmgr_send(msg, len, 0, 0);
	if (__px_sysmgr < 0)
		return -ENOSYS;
	SETIOV(&iov[0], msg, len);
	SETIOV(&iov[1], img->pi_data, img->pi_len);
	while ((r = MsgSendv_r(__px_sysmgr, iov, 2, 0, 0)) == -EINTR)
		;
	return r;
}

/*
 * Build and send the message (type _PROC_SPAWN, or _PROC_EXEC with no fd
 * map), with the program file img if it is not the image's: the pid, or
 * -errno.
 */
static long send_spawn(int type, const char *path, const struct fdmap *fm,
    const posix_spawnattr_t *at, char *const argv[], char *const envp[],
    const struct progimg *img)
{
	struct _proc_spawn_fd fds[_SPAWN_FDS_MAX];
	struct _proc_spawn h = { .type = (uint16_t)type };
	long nfds = fm ? fd_entries(fm, fds) : 0, r;
	size_t plen = strlen(path) + 1, alen = strings_len(argv, &h.sp_argc);
	size_t elen = strings_len(envp, &h.sp_envc), off, total;
	char *m;
	short fl = at ? (short)at->__flags : 0;

	if (nfds < 0)
		return nfds;
	if (plen > PX_PATH_MAX)
		return -ENAMETOOLONG;
	if (alen + elen > _SPAWN_ARGS_MAX || h.sp_argc > _SPAWN_ARGC_MAX ||
	    h.sp_envc > _SPAWN_ARGC_MAX)
		return -E2BIG;
	if (fl & (POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER))
		return -ENOSYS;		/* not in taskman's spawn message */
	h.sp_flags = ((fl & POSIX_SPAWN_SETSID) ? _SPAWN_SETSID : 0) |
	    ((fl & POSIX_SPAWN_SETPGROUP) ? _SPAWN_SETPGROUP : 0) |
	    ((fl & POSIX_SPAWN_SETSIGMASK) ? _SPAWN_SETSIGMASK : 0) |
	    ((fl & POSIX_SPAWN_SETSIGDEF) ? _SPAWN_SETSIGDEF : 0);
	h.sp_pgroup = at && (fl & POSIX_SPAWN_SETPGROUP) ? at->__pgrp : 0;
	if (img && img->pi_data) {
		h.sp_flags |= _SPAWN_IMAGE;
		h.sp_image_len = (uint32_t)img->pi_len;
	}
	if (at) {
		memcpy(&h.sp_sigmask, &at->__mask, sizeof(h.sp_sigmask));
		memcpy(&h.sp_sigdefault, &at->__def, sizeof(h.sp_sigdefault));
		if (!(fl & POSIX_SPAWN_SETSIGDEF))
			h.sp_sigdefault = 0;
	}
	if (type == _PROC_SPAWN && !(fl & POSIX_SPAWN_SETSIGMASK)) {
		sigset_t cur;			/* POSIX: the caller's mask */

		if (sigprocmask(SIG_BLOCK, 0, &cur) == 0) {
			memcpy(&h.sp_sigmask, &cur, sizeof(h.sp_sigmask));
			h.sp_flags |= _SPAWN_SETSIGMASK;
		}
	}
	h.sp_path_len = (uint16_t)plen;
	h.sp_nfds = (uint16_t)nfds;
	h.sp_strings_len = (uint32_t)(alen + elen);
	off = (sizeof(h) + plen + alen + elen + 7) & ~(size_t)7;
	total = off + (size_t)nfds * sizeof(fds[0]);
	if ((m = calloc(1, total)) == 0)
		return -ENOMEM;
	memcpy(m, &h, sizeof(h));
	memcpy(m + sizeof(h), path, plen);
	total = sizeof(h) + plen;
	for (uint32_t i = 0; i < h.sp_argc; total += strlen(argv[i]) + 1, i++)
		memcpy(m + total, argv[i], strlen(argv[i]) + 1);
	for (uint32_t i = 0; i < h.sp_envc; total += strlen(envp[i]) + 1, i++)
		memcpy(m + total, envp[i], strlen(envp[i]) + 1);
	memcpy(m + off, fds, (size_t)nfds * sizeof(fds[0]));
	r = send_with_image(m, off + (size_t)nfds * sizeof(fds[0]), img);
	free(m);
	return r;
}

#define SCRIPT_LINE	256	/* the "#!" line's bytes, as Linux's BINPRM_BUF_SIZE */
#define SCRIPT_DEPTH	4	/* interpreters that are scripts themselves */

/* May the caller (its effective ids) execute the file sb describes? 0 or -EACCES. */
static long may_exec(const struct _io_stat_buf *sb)
{
	long uid, gid;

	if (!S_ISREG(sb->sb_mode))
		return -EACCES;		/* a directory, a device, a FIFO... */
	if ((uid = __px_getid(SYS_geteuid, 0)) < 0 || (gid = __px_getid(SYS_getegid, 0)) < 0)
		return uid < 0 ? uid : gid;
	return __px_may(sb, uid, gid, X_OK);
}

/*
 * The rest of an ELF file whose first n bytes (of size) are in head, read
 * from fd into img (malloc'd): 0 or -errno (E2BIG beyond
 * _SPAWN_IMAGE_MAX).  A file that ends early is sent as it is: taskman
 * says ENOEXEC for a truncated program.
 */
static long read_program(int fd, const char *head, size_t n, size_t size, struct progimg *img)
{
	char *b;
	long k = 1;

	if (size > _SPAWN_IMAGE_MAX)
		return -E2BIG;
	if (size < n)
		size = n;
	if ((b = malloc(size ? size : 1)) == 0)
		return -ENOMEM;
	memcpy(b, head, n);
	while (n < size && (k = __px_read(fd, b + n, size - n)) > 0)
		n += (size_t)k;
	if (k < 0) {
		free(b);
		return k;
	}
	img->pi_data = b;
	img->pi_len = n;
	return 0;
}

/*
 * After taskman could not start abs (ENOENT: it is not in the boot
 * image; ENOEXEC: not an ELF file), open it with the caller's
 * credentials, as Linux's execve does in the kernel, and see what it is:
 * an ELF program is read whole into *img (returns 1: send it with
 * _SPAWN_IMAGE); a script "#!interp [arg]" runs interp [arg] path
 * argv[1..] (path as the caller gave it; returns 0 and *nargv, malloc'd,
 * which the caller frees).  Otherwise -errno: the file's own error
 * (ENOENT, EACCES without execute permission for the caller or for a
 * non-regular file), ENOEXEC for a file that is neither ELF nor "#!" (a
 * shell then runs it itself), or the error taskman gave (err) when an
 * image file looks like an ELF program.
 */
static long script_argv(const char *abs, const char *path, char *const argv[], long err,
    char ***nargv, struct progimg *img)
{
	char line[SCRIPT_LINE + 1], *interp, *arg = 0, *e, **v;
	struct _io_stat_buf st;
	long fd = __px_openat(AT_FDCWD, abs, O_RDONLY | O_NONBLOCK, 0), n;	/* a FIFO must not block */
	size_t argc = 0, k = 0;

	if (fd < 0)
		return fd == -ENOENT ? err : fd;
	n = __px_fstat((int)fd, &st);
	if (n == 0)
		n = may_exec(&st);
	if (n == 0)
		n = __px_read((int)fd, line, SCRIPT_LINE);
	if (n >= 4 && memcmp(line, "\177ELF", 4) == 0 && err == -ENOENT) {
		n = read_program((int)fd, line, (size_t)n, (size_t)st.sb_size, img);
		__px_close((int)fd);
		return n < 0 ? n : 1;
	}
	__px_close((int)fd);
	if (n < 0)
		return n;
	line[n] = 0;
	if (n >= 4 && memcmp(line, "\177ELF", 4) == 0)
		return err;
	if (n < 2 || line[0] != '#' || line[1] != '!' || (e = memchr(line, '\n', (size_t)n)) == 0)
		return -ENOEXEC;
	*e = 0;
	for (interp = line + 2; *interp == ' ' || *interp == '\t'; interp++)
		;
	for (e = interp; *e && *e != ' ' && *e != '\t'; e++)
		;
	if (*e) {
		*e++ = 0;
		while (*e == ' ' || *e == '\t')
			e++;
		arg = e;
		for (e += strlen(e); e > arg && (e[-1] == ' ' || e[-1] == '\t'); )
			*--e = 0;
		if (*arg == 0)
			arg = 0;
	}
	if (*interp == 0)
		return -ENOEXEC;
	while (argv[argc])
		argc++;
	/* The pointers, then the interpreter's line (argv[] stays the caller's). */
	v = malloc((argc + 3) * sizeof(*v) + strlen(interp) + 1 + (arg ? strlen(arg) + 1 : 0));
	if (v == 0)
		return -ENOMEM;
	e = (char *)(v + argc + 3);
	v[k++] = strcpy(e, interp);
	if (arg)
		v[k++] = strcpy(e + strlen(interp) + 1, arg);
	v[k++] = (char *)path;
	for (size_t i = 1; i < argc; i++)
		v[k++] = argv[i];
	v[k] = 0;
	*nargv = v;
	return 0;
}

/* fm for fs: 0 or an errno. */
static int build_map(struct fdmap *fm, const struct fdspec *fs)
{
	fm->m_ntmp = 0;
	if (fs->fs_map == 0) {
		inherit_all(fm);
		return apply_all(fm, fs->fs_fa);
	}
	for (int i = 0; i < PX_FD_MAX; i++)
		fm->m_fd[i] = i < fs->fs_nmap ? fs->fs_map[i] : -1;
	for (int i = 0; i < fs->fs_nmap; i++)
		if (fm->m_fd[i] < -1 || fm->m_fd[i] >= PX_FD_MAX)
			return EBADF;		/* fd_entries checks the rest are open */
	return 0;
}

/* One try at an absolute or cwd-relative path (with its file, if read): the pid or -errno. */
static long spawn_one(const char *path, const struct fdspec *fs,
    const posix_spawnattr_t *at, char *const argv[], char *const envp[],
    const struct progimg *img)
{
	char abs[PX_PATH_MAX];
	struct fdmap *fm;
	int eflag, err;
	long r = __px_abspath(AT_FDCWD, path, abs, &eflag);

	if (r < 0)
		return r;
	if ((fm = malloc(sizeof(*fm))) == 0)
		return -ENOMEM;
	err = build_map(fm, fs);
	r = err ? -err : send_spawn(_PROC_SPAWN, abs, fm, at, argv, envp, img);
	for (int i = 0; i < fm->m_ntmp; i++)
		__px_close(fm->m_tmp[i]);
	free(fm);
	return r;
}

/*
 * spawn_one; then, if taskman could not start path from the boot image,
 * the file read here (an ELF program on any file system), or a script's
 * interpreter.
 */
static long spawn_path(const char *path, const struct fdspec *fs,
    const posix_spawnattr_t *at, char *const argv[], char *const envp[], int depth)
{
	long r = spawn_one(path, fs, at, argv, envp, 0);
	char abs[PX_PATH_MAX], **nargv;
	struct progimg img = { 0, 0 };
	int eflag;

	if ((r != -ENOENT && r != -ENOEXEC) || __px_abspath(AT_FDCWD, path, abs, &eflag) < 0)
		return r;
	if ((r = script_argv(abs, path, argv, r, &nargv, &img)) < 0)
		return r;
	if (r == 1) {
		r = spawn_one(path, fs, at, argv, envp, &img);
		free(img.pi_data);
		return r;
	}
	r = depth < SCRIPT_DEPTH ? spawn_path(nargv[0], fs, at, nargv, envp, depth + 1) : -ELOOP;
	free(nargv);
	return r;
}

/*
 * posix_spawn and (attr->__fn set by musl's posix_spawnp) posix_spawnp,
 * which searches PATH for a name without '/'.  0 and *res, or an errno.
 */
static long spawn_search(const char *file, int search, const struct fdspec *fs,
    const posix_spawnattr_t *at, char *const argv[], char *const envp[])
{
	const char *p = getenv("PATH");
	char buf[PX_PATH_MAX];
	long r = -ENOENT;
	int eacces = 0;

	if (file == 0 || file[0] == '\0')
		return -ENOENT;
	if (!search || strchr(file, '/'))
		r = spawn_path(file, fs, at, argv, envp, 0);
	else for (p = p ? p : "/proc/boot:/bin:/usr/bin"; *p; p += *p == ':') {
		size_t n = strcspn(p, ":");

		if (n + 1 + strlen(file) + 1 > sizeof(buf)) {
			r = -ENAMETOOLONG;
		} else {
			memcpy(buf, p, n);
			buf[n] = '/';
			strcpy(buf + n + 1, file);
			r = spawn_path(buf, fs, at, argv, envp, 0);
		}
		p += n;
		if (r == -EACCES)
			eacces = 1;
		else if (r != -ENOENT && r != -ENOTDIR && r != -ENAMETOOLONG)
			break;
	}
	return r >= 0 ? r : eacces && r == -ENOENT ? -EACCES : r;
}

int __qsoe_posix_spawn(pid_t *res, const char *file, const void *fav, const void *atv,
    char *const argv[], char *const envp[])
{
	const posix_spawnattr_t *at = atv;
	struct fdspec fs = { .fs_fa = fav };
	long r = spawn_search(file, at && at->__fn, &fs, at, argv, envp);

	if (r >= 0 && res)
		*res = (pid_t)r;
	return r >= 0 ? 0 : (int)-r;
}

/*
 * QNX's spawn() and spawnp(): fd_map instead of file actions, struct
 * inheritance instead of posix_spawnattr_t.  The pid, or -1 and errno.
 */
#define SPAWN_KNOWN	(SPAWN_SETGROUP | SPAWN_SETSIGMASK | SPAWN_SETSIGDEF | \
			 SPAWN_TCSETPGROUP | SPAWN_SETND | SPAWN_SETSID | \
			 SPAWN_EXPLICIT_SCHED | SPAWN_HOLD | SPAWN_EXEC | SPAWN_SEARCH_PATH)
#define SPAWN_DONE	(SPAWN_SETGROUP | SPAWN_SETSIGMASK | SPAWN_SETSIGDEF | \
			 SPAWN_SETND | SPAWN_SETSID | SPAWN_SEARCH_PATH)

static pid_t qnx_spawn(const char *path, int fd_count, const int fd_map[],
    const struct inheritance *inh, char *const argv[], char *const envp[], int search)
{
	struct fdspec fs = { .fs_map = fd_map, .fs_nmap = fd_count };
	unsigned long fl = inh ? inh->flags : 0;
	posix_spawnattr_t at;
	short pfl = 0;
	long r;

	if (path == 0 || argv == 0 || fd_count < 0 || fd_count > PX_FD_MAX ||
	    (fl & ~(unsigned long)SPAWN_KNOWN))
		r = -EINVAL;
	else if ((fl & ~(unsigned long)SPAWN_DONE) || ((fl & SPAWN_SETND) && inh->nd != 0))
		r = -ENOTSUP;		/* held, exec, scheduling, tty group, other nodes */
	else {
		memset(&at, 0, sizeof(at));
		if (fl & SPAWN_SETGROUP)
			pfl |= POSIX_SPAWN_SETPGROUP, at.__pgrp = inh->pgroup;
		if (fl & SPAWN_SETSIGMASK)
			pfl |= POSIX_SPAWN_SETSIGMASK, at.__mask = inh->sigmask;
		if (fl & SPAWN_SETSIGDEF)
			pfl |= POSIX_SPAWN_SETSIGDEF, at.__def = inh->sigdefault;
		if (fl & SPAWN_SETSID)
			pfl |= POSIX_SPAWN_SETSID;
		at.__flags = pfl;
		if (fd_map == 0)
			fs.fs_nmap = 0;		/* inherit: the count means nothing */
		r = spawn_search(path, search || (fl & SPAWN_SEARCH_PATH), &fs, &at, argv,
		    envp ? envp : __environ);
	}
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (pid_t)r;
}

pid_t spawn(const char *path, int fd_count, const int fd_map[],
    const struct inheritance *inherit, char *const argv[], char *const envp[])
{
	return qnx_spawn(path, fd_count, fd_map, inherit, argv, envp, 0);
}

pid_t spawnp(const char *file, int fd_count, const int fd_map[],
    const struct inheritance *inherit, char *const argv[], char *const envp[])
{
	return qnx_spawn(file, fd_count, fd_map, inherit, argv, envp, 1);
}

#ifdef _PROC_EXEC
/*
 * _PROC_EXEC of abs: from the boot image, else the file read here, or its
 * interpreter if it is a script; returns only on failure.
 */
static long exec_path(const char *abs, const char *path, char *const argv[],
    char *const envp[], int depth)
{
	long r = send_spawn(_PROC_EXEC, abs, 0, 0, argv, envp, 0);
	char iabs[PX_PATH_MAX], **nargv;
	struct progimg img = { 0, 0 };
	int eflag;

	if (r != -ENOENT && r != -ENOEXEC)
		return r;
	if ((r = script_argv(abs, path, argv, r, &nargv, &img)) < 0)
		return r;
	if (r == 1) {
		r = send_spawn(_PROC_EXEC, abs, 0, 0, argv, envp, &img);
		free(img.pi_data);
		return r;
	}
	if (depth >= SCRIPT_DEPTH)
		r = -ELOOP;
	else if ((r = __px_abspath(AT_FDCWD, nargv[0], iabs, &eflag)) == 0)
		r = exec_path(iabs, nargv[0], nargv, envp, depth + 1);
	free(nargv);
	return r;
}

/*
 * SYS_execve: _PROC_EXEC, the spawn message without fds or attributes.
 * Connections with _NTO_COF_CLOEXEC go with the old program (the kernel
 * drops them); an fd given FD_CLOEXEC later by fcntl is closed here first,
 * as the kernel cannot change a connection's flags.  Returns only on
 * failure.
 */
long __px_execve(const char *path, char *const argv[], char *const envp[])
{
	struct _server_info si;
	char abs[PX_PATH_MAX];
	int eflag;
	long r = __px_abspath(AT_FDCWD, path, abs, &eflag);

	if (r < 0)
		return r;
	__px_fmap_sync_all();		/* exec unmaps them: write them back first */
	for (int i = 0; (i = ConnectServerInfo_r(0, i, &si)) >= 0 && i < PX_FD_MAX; i++)
		if (__px_fds[i].f_cloexec && !(si.flags & _NTO_COF_CLOEXEC))
			__px_close(i);
	return exec_path(abs, path, argv, envp, 0);
}
#else
long __px_execve(const char *path, char *const argv[], char *const envp[])
{
	return -ENOSYS;		/* taskman's protocol has no _PROC_EXEC yet */
}
#endif
