/*
 * taskman/skimmer/procfs.c - /proc/<pid> and /proc/self, which bootfs.c
 * serves beside the boot image (docs/taskman.md, "/proc/<pid>").  Every
 * process in taskman's table (live or a zombie) is a directory of
 * read-only text files made when they are opened (a snapshot):
 *
 *	status	 name, state, ids, credentials, groups, threads, memory, umask
 *	threads	 one line per thread from the kernel (ThreadInfo): tid, state,
 *		 priority, base priority, policy, CPU, CPU time, name
 *	limits	 the resource limits, in Linux's /proc/<pid>/limits format
 *	maps	 the mapped ranges taskman records, one a line: start-end rwx
 *	cmdline	 its argv, a NUL after each string (Linux's)
 *	exefile	 the path it was spawned or exec'd by (QNX's)
 *	cwd	 a symbolic link to its working directory
 *
 * /proc/self is a symbolic link to the caller's pid.  Everybody may read
 * every process's files, as on QNX; nothing is writable (EROFS).
 */
#include "tm.h"
#include "procfs.h"
#include <abi/thread.h>

#define PROCFS_INO_BASE	0x40000000u	/* inode numbers above the image's */
#define SELF		"self"

enum { F_STATUS, F_THREADS, F_LIMITS, F_MAPS, F_CMDLINE, F_EXEFILE, F_CWD, F_COUNT };
static const char *const files[F_COUNT] = {
	"status", "threads", "limits", "maps", "cmdline", "exefile", "cwd",
};
static const char *const states[STATE_MAX] = STATE_NAMES_INIT;

/* A growing text buffer; on ENOMEM b_buf is NULL and stays so. */
struct tbuf {
	char	*b_buf;
	size_t	b_len, b_size;
};

static void
tprintf(struct tbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
tprintf(struct tbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->b_buf == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->b_buf + b->b_len, b->b_size - b->b_len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->b_size - b->b_len) {
		size_t size = (b->b_size + (size_t)n) * 2;
		char *nb = realloc(b->b_buf, size);

		if (nb == NULL) {
			free(b->b_buf);
			b->b_buf = NULL;
			return;
		}
		b->b_buf = nb;
		b->b_size = size;
		va_start(ap, fmt);
		vsnprintf(b->b_buf + b->b_len, b->b_size - b->b_len, fmt, ap);
		va_end(ap);
	}
	b->b_len += (size_t)n;
}

/* "123" (no sign, no leading zero, at most INT_MAX) as a pid; -1 otherwise. */
static int
parse_pid(const char *s, size_t len)
{
	long v = 0;

	if (len == 0 || len > 10 || s[0] == '0')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > 0x7fffffff ? -1 : (int)v;
}

static const char *
state_name(int st)
{
	return st >= 0 && st < STATE_MAX && states[st] ? states[st] : "?";
}

static int
nthreads(int pid)
{
	struct _thread_info ti;
	int n = 0;

	for (long tid = 1; __kc_ThreadInfo(pid, tid, (long)&ti, 0, 0, 0) > 0; tid = ti.ti_tid + 1)
		n++;
	return n;
}

static void
make_status(struct tbuf *b, const struct pt_proc *p)
{
	const struct tm_proc *tp = p->pp_priv;

	tprintf(b, "Name:\t%s\nState:\t%s\nPid:\t%d\nPPid:\t%d\nPgid:\t%d\nSid:\t%d\n",
	    p->pp_name, p->pp_zombie ? "zombie" : "live", p->pp_pid, p->pp_ppid, p->pp_pgid,
	    p->pp_sid);
	tprintf(b, "Uid:\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\nGroups:", p->pp_uid[0], p->pp_uid[1],
	    p->pp_uid[2], p->pp_gid[0], p->pp_gid[1], p->pp_gid[2]);
	for (int i = 0; i < p->pp_ngroups; i++)
		tprintf(b, "\t%d", p->pp_groups[i]);
	tprintf(b, "\nThreads:\t%d\nVmSize:\t%llu kB\nUmask:\t%04o\nCpuMs:\t%llu\n",
	    p->pp_zombie ? 0 : nthreads(p->pp_pid),
	    (unsigned long long)(tp ? tp->tp_vm.vm_bytes / 1024 : 0), p->pp_umask,
	    (unsigned long long)(p->pp_zombie ? p->pp_cpu_ms : 0));
	if (p->pp_zombie)
		tprintf(b, "ExitStatus:\t%d\n", p->pp_wstatus);
}

static void
make_threads(struct tbuf *b, const struct pt_proc *p)
{
	static const char policy[] = "ofr";	/* SCHED_OTHER, FIFO, RR */
	struct _thread_info ti;

	tprintf(b, "tid\tstate\tprio\tbase\tpolicy\tcpu\truntime_ns\tname\n");
	if (p->pp_zombie)
		return;
	for (long tid = 1; __kc_ThreadInfo(p->pp_pid, tid, (long)&ti, 0, 0, 0) > 0;
	    tid = ti.ti_tid + 1) {
		ti.ti_name[sizeof(ti.ti_name) - 1] = '\0';
		tprintf(b, "%d\t%s\t%d\t%d\t%c\t%d\t%llu\t%s\n", ti.ti_tid, state_name(ti.ti_state),
		    ti.ti_priority, ti.ti_base_priority,
		    ti.ti_policy >= 0 && ti.ti_policy <= 2 ? policy[ti.ti_policy] : '?', ti.ti_cpu,
		    (unsigned long long)ti.ti_runtime_ns, ti.ti_name);
	}
}

static void
limit_value(struct tbuf *b, uint64_t v)
{
	if (v == _RLIMIT_INFINITY)
		tprintf(b, "%-21s", "unlimited");
	else
		tprintf(b, "%-21llu", (unsigned long long)v);
}

static void
make_limits(struct tbuf *b, const struct pt_proc *p)
{
	static const char *const names[_RLIMIT_NLIMITS][2] = {
		{ "Max cpu time", "seconds" }, { "Max file size", "bytes" },
		{ "Max data size", "bytes" }, { "Max stack size", "bytes" },
		{ "Max core file size", "bytes" }, { "Max resident set", "bytes" },
		{ "Max processes", "processes" }, { "Max open files", "files" },
		{ "Max locked memory", "bytes" }, { "Max address space", "bytes" },
		{ "Max file locks", "locks" }, { "Max pending signals", "signals" },
		{ "Max msgqueue size", "bytes" }, { "Max nice priority", "" },
		{ "Max realtime priority", "" }, { "Max realtime timeout", "us" },
	};

	tprintf(b, "%-26s%-21s%-21s%s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < _RLIMIT_NLIMITS; i++) {
		tprintf(b, "%-26s", names[i][0]);
		limit_value(b, p->pp_rlim[i][0]);
		limit_value(b, p->pp_rlim[i][1]);
		tprintf(b, "%s\n", names[i][1]);
	}
}

static void
make_maps(struct tbuf *b, const struct pt_proc *p)
{
	const struct tm_proc *tp = p->pp_priv;

	for (const struct vm_region *r = tp ? tp->tp_vm.vm_regions : NULL; r; r = r->vr_next)
		tprintf(b, "%016llx-%016llx %c%c%c\n", (unsigned long long)r->vr_start,
		    (unsigned long long)r->vr_end, (r->vr_prot & _PROT_READ) ? 'r' : '-',
		    (r->vr_prot & _PROT_WRITE) ? 'w' : '-', (r->vr_prot & _PROT_EXEC) ? 'x' : '-');
}

/* The node of a made file or directory of p (f: F_*, or -1 for its directory). */
static void
make_node(struct imagefs_node *n, const struct pt_proc *p, int f, const char *path,
    const void *data, size_t size)
{
	uint32_t type = f < 0 ? IMAGEFS_MODE_DIR | 0555 :
	    f == F_CWD ? IMAGEFS_MODE_LNK | 0777 : IMAGEFS_MODE_REG | 0444;

	*n = (struct imagefs_node){ .in_path = path, .in_data = data, .in_size = size,
	    .in_mode = type, .in_uid = (uint32_t)p->pp_uid[1], .in_gid = (uint32_t)p->pp_gid[1],
	    .in_ino = PROCFS_INO_BASE + (uint32_t)p->pp_pid * 8u + (uint32_t)(f + 1),
	    .in_parent = -1 };
}

/* The text of file f of p, malloc'd into *buf (its length), or -ENOMEM. */
static long
make_file(const struct pt_proc *p, int f, char **buf)
{
	struct tbuf b = { malloc(256), 0, 256 };

	if (f == F_CMDLINE) {		/* binary: NULs between the strings */
		free(b.b_buf);
		if ((*buf = malloc(p->pp_cmdline_len + 1)) == NULL)
			return -ENOMEM;
		if (p->pp_cmdline_len)
			memcpy(*buf, p->pp_cmdline, p->pp_cmdline_len);
		return (long)p->pp_cmdline_len;
	}
	if (b.b_buf != NULL)
		b.b_buf[0] = '\0';
	switch (f) {
	case F_STATUS:	make_status(&b, p); break;
	case F_THREADS:	make_threads(&b, p); break;
	case F_LIMITS:	make_limits(&b, p); break;
	case F_MAPS:	make_maps(&b, p); break;
	case F_EXEFILE:	tprintf(&b, "%s", p->pp_exefile ? p->pp_exefile : ""); break;
	default:	tprintf(&b, "%s", proctab_cwd(p)); break;	/* F_CWD: the target */
	}
	if ((*buf = b.b_buf) == NULL)
		return -ENOMEM;
	return (long)b.b_len;
}

int
procfs_resolve(const char *rel, int caller, struct procfs_ref *r)
{
	const char *s, *rest;
	const struct pt_proc *p;
	size_t len;
	int pid, f;
	long n;

	r->pr_buf = NULL;
	if (strncmp(rel, "proc/", 5) != 0)
		return PROCFS_NOT_OURS;
	s = rel + 5;
	len = strcspn(s, "/");
	rest = s + len;
	if (len == strlen(SELF) && strncmp(s, SELF, len) == 0) {
		/* A link to the caller's directory; what follows it stays. */
		snprintf(r->pr_target, sizeof(r->pr_target), "%d", caller);
		r->pr_last = *rest == '\0';
		return snprintf(r->pr_newpath, sizeof(r->pr_newpath), "/proc/%d%s", caller, rest) <
		    (int)sizeof(r->pr_newpath) ? PROCFS_LINK : -ENAMETOOLONG;
	}
	if ((pid = parse_pid(s, len)) < 0)
		return PROCFS_NOT_OURS;		/* proc/boot, proc/mounts, ... */
	if ((p = proctab_find(&tm.t_procs, pid)) == NULL)
		return -ENOENT;			/* (it may have died since readdir) */
	snprintf(r->pr_path, sizeof(r->pr_path), "proc/%d%s", pid, rest);
	if (*rest == '\0') {
		make_node(&r->pr_node, p, -1, r->pr_path, NULL, 0);
		r->pr_buf = NULL;
		return 0;
	}
	rest++;
	len = strcspn(rest, "/");
	for (f = 0; f < F_COUNT; f++)
		if (strlen(files[f]) == len && strncmp(rest, files[f], len) == 0)
			break;
	if (f == F_COUNT || (rest[len] != '\0' && f != F_CWD))
		return rest[len] != '\0' && f < F_COUNT ? -ENOTDIR : -ENOENT;
	if ((n = make_file(p, f, &r->pr_buf)) < 0)
		return (int)n;
	make_node(&r->pr_node, p, f, r->pr_path, r->pr_buf, (size_t)n);
	if (f != F_CWD)
		return 0;
	snprintf(r->pr_target, sizeof(r->pr_target), "%s", r->pr_buf);
	/* The rest of the path goes on from the working directory ("/" joins without a "//"). */
	n = snprintf(r->pr_newpath, sizeof(r->pr_newpath), "%s%s", strcmp(r->pr_buf, "/") ?
	    r->pr_buf : "", rest[len] ? rest + len : (strcmp(r->pr_buf, "/") ? "" : "/"));
	r->pr_last = rest[len] == '\0';
	free(r->pr_buf);
	r->pr_buf = NULL;
	return n < (long)sizeof(r->pr_newpath) ? PROCFS_LINK : -ENAMETOOLONG;
}

/* The pids in the table, the index-th smallest; -1 past the last. */
static int
nth_pid(int index)
{
	int last = 0, pid = -1;

	for (int i = 0; i <= index; i++) {
		pid = -1;
		for (const struct pt_proc *p = tm.t_procs.pt_procs; p; p = p->pp_next)
			if (p->pp_pid > last && (pid < 0 || p->pp_pid < pid))
				pid = p->pp_pid;
		if (pid < 0)
			return -1;
		last = pid;
	}
	return pid;
}

int
procfs_dir_entry(const char *dir, int index, char *name, size_t size)
{
	const char *s;
	int pid;

	if (strcmp(dir, "proc") == 0) {
		if (index == 0) {
			snprintf(name, size, "%s", SELF);
			return 1;
		}
		if ((pid = nth_pid(index - 1)) < 0)
			return 0;
		snprintf(name, size, "%d", pid);
		return 1;
	}
	if (strncmp(dir, "proc/", 5) != 0)
		return 0;
	s = dir + 5;
	if (parse_pid(s, strlen(s)) < 0 || index < 0 || index >= F_COUNT)
		return 0;
	snprintf(name, size, "%s", files[index]);
	return 1;
}
