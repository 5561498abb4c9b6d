/*
 * utils/pidin.c - `pidin`: processes and their threads, as QNX's pidin
 * shows them: state (SEND, RECEIVE, REPLY, ...), priority and scheduling
 * policy, CPU time, memory.  Everything comes from taskman's /proc: the
 * directory's pids, each process's status and threads files
 * (docs/taskman.md, "/proc/<pid>").  A process that ends while pidin
 * reads (ENOENT) is left out.
 *
 *	pidin [-p pid|name] [threads]	one line per thread (the default)
 *	pidin [-p pid|name] family	pid, parent, group, session, user
 *	pidin [-p pid|name] mem		mapped memory per process
 *	pidin [-p pid|name] times	CPU time per thread
 *	pidin [-p pid|name] arg		the arguments each process started with
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "usage.h"

QSOE_USAGE("usage: pidin [-p pid|name] [threads|family|mem|times|arg]\n"
    "Show processes and their threads.\n"
    "  -p pid|name  only this process, or the processes running this program\n"
    "  threads      pid, tid, name, priority and policy, state, thread name (the default)\n"
    "  family       pid, parent, process group, session, user\n"
    "  mem          memory mapped per process\n"
    "  times        CPU time per thread\n"
    "  arg          the arguments each process started with\n");

enum view { THREADS, FAMILY, MEM, TIMES, ARG };

#define MAX_PIDS	4096

/* What pidin shows of a process, from /proc/<pid>/status. */
struct proc {
	int			pid, ppid, pgid, sid, uid, zombie;
	unsigned long long	vm_kb;
	char			name[64];
};

/* The "Key:\tvalue" line's value in text, or NULL. */
static const char *
field(const char *text, const char *key)
{
	size_t len = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, len) == 0 && l[len] == ':')
			return l + len + 1 + strspn(l + len + 1, "\t ");
	return NULL;
}

/* Read /proc/<pid>/<file> into buf (NUL-terminated); 0 or -errno. */
static int
read_file(int pid, const char *file, char *buf, size_t size)
{
	char path[64];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	if ((f = fopen(path, "r")) == NULL)
		return -errno;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/* p from /proc/<pid>/status; 0, or -errno (-ENOENT: it has gone). */
static int
get_proc(int pid, struct proc *p)
{
	char buf[1024];
	const char *v;
	int rc = read_file(pid, "status", buf, sizeof(buf));

	if (rc < 0)
		return rc;
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	if ((v = field(buf, "Name")) != NULL)
		sscanf(v, "%63[^\n]", p->name);
	if ((v = field(buf, "State")) != NULL)
		p->zombie = strncmp(v, "zombie", 6) == 0;
	if ((v = field(buf, "PPid")) != NULL)
		p->ppid = atoi(v);
	if ((v = field(buf, "Pgid")) != NULL)
		p->pgid = atoi(v);
	if ((v = field(buf, "Sid")) != NULL)
		p->sid = atoi(v);
	if ((v = field(buf, "Uid")) != NULL)
		p->uid = atoi(v);
	if ((v = field(buf, "VmSize")) != NULL)
		p->vm_kb = strtoull(v, NULL, 10);
	return 0;
}

static void
print_threads(const struct proc *p, enum view v)
{
	static char buf[16384];
	char state[16], pol, name[32];
	int tid, prio, base, cpu, n = 0;
	unsigned long long ns;
	const char *l;

	if (read_file(p->pid, "threads", buf, sizeof(buf)) < 0)
		return;
	for (l = strchr(buf, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {	/* after the header */
		name[0] = '\0';
		if (sscanf(l + 1, "%d\t%15s\t%d\t%d\t%c\t%d\t%llu\t%31[^\n]", &tid, state, &prio,
		    &base, &pol, &cpu, &ns, name) < 7)
			continue;
		if (v == TIMES)
			printf("%8d %3d %-18.18s %8llu.%03llu\n", p->pid, tid, n ? "" : p->name,
			    ns / 1000000000ULL, ns / 1000000ULL % 1000);
		else
			printf("%8d %3d %-18.18s %3d%c %-11s %s\n", p->pid, tid,
			    n ? name : p->name, prio, pol, state, n == 0 ? name : "");
		n++;
	}
	if (n == 0 && p->zombie)
		printf("%8d   - %-18.18s    - %-11s\n", p->pid, p->name, "ZOMBIE");
}

/* The process's arguments (/proc/<pid>/cmdline), separated by blanks. */
static void
print_args(const struct proc *p)
{
	static char buf[4097];
	char path[64];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", p->pid);
	if ((f = fopen(path, "r")) == NULL)
		return;			/* (it ended since the listing) */
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	for (size_t i = 0; i + 1 < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	printf("%8d %s\n", p->pid, buf);
}

static int
matches(const struct proc *p, const char *sel)
{
	char *end;
	long pid;

	if (sel == NULL)
		return 1;
	pid = strtol(sel, &end, 10);
	if (*sel != '\0' && *end == '\0')
		return p->pid == pid;
	return strcmp(p->name, sel) == 0;
}

static int
by_number(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The pids /proc lists, sorted, into pids; how many, or -errno. */
static int
list_pids(int *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -errno;
	while ((e = readdir(d)) != NULL && n < max) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && *end == '\0')
			pids[n++] = (int)pid;
	}
	closedir(d);
	qsort(pids, (size_t)n, sizeof(pids[0]), by_number);
	return n;
}

int
main(int argc, char **argv)
{
	static int pids[MAX_PIDS];
	struct proc p;
	const char *sel = NULL;
	enum view v = THREADS;
	int n, found = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
			sel = argv[++i];
		else if (strcmp(argv[i], "threads") == 0)
			v = THREADS;
		else if (strcmp(argv[i], "family") == 0)
			v = FAMILY;
		else if (strcmp(argv[i], "mem") == 0)
			v = MEM;
		else if (strcmp(argv[i], "times") == 0)
			v = TIMES;
		else if (strcmp(argv[i], "arg") == 0)
			v = ARG;
		else {
			usage_short();
			return 2;
		}
	}
	if ((n = list_pids(pids, MAX_PIDS)) < 0) {
		fprintf(stderr, "pidin: /proc: %s\n", strerror(-n));
		return 1;
	}
	switch (v) {
	case THREADS:	printf("     pid tid name               prio STATE       name\n"); break;
	case FAMILY:	printf("     pid     ppid     pgid      sid  uid name\n"); break;
	case MEM:	printf("     pid name                 mapped\n"); break;
	case TIMES:	printf("     pid tid name                 cputime\n"); break;
	case ARG:	printf("     pid Arguments\n"); break;
	}
	for (int i = 0; i < n; i++) {
		int rc = get_proc(pids[i], &p);

		if (rc == -ENOENT)
			continue;	/* it ended since the listing */
		if (rc < 0) {
			fprintf(stderr, "pidin: /proc/%d: %s\n", pids[i], strerror(-rc));
			return 1;
		}
		if (!matches(&p, sel))
			continue;
		found++;
		if (v == THREADS || v == TIMES)
			print_threads(&p, v);
		else if (v == ARG)
			print_args(&p);
		else if (v == FAMILY)
			printf("%8d %8d %8d %8d %4d %s%s\n", p.pid, p.ppid, p.pgid, p.sid, p.uid,
			    p.name, p.zombie ? " (zombie)" : "");
		else
			printf("%8d %-18.18s %8lluK\n", p.pid, p.name, p.vm_kb);
	}
	if (sel != NULL && found == 0) {
		fprintf(stderr, "pidin: no process %s\n", sel);
		return 1;
	}
	return 0;
}
