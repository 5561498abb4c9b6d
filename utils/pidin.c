/*
 * utils/pidin.c - `pidin`: processes and their threads, as QNX's pidin
 * shows them: state (SEND, RECEIVE, REPLY, ...), priority and scheduling
 * policy, CPU time, memory.  Processes come from taskman (_PROC_PIDINFO),
 * threads from the kernel (ThreadInfo).
 *
 *	pidin [-p pid|name] [threads]	one line per thread (the default)
 *	pidin [-p pid|name] family	pid, parent, group, session, user
 *	pidin [-p pid|name] mem		mapped memory per process
 *	pidin [-p pid|name] times	CPU time per thread
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include "usage.h"

QSOE_USAGE("usage: pidin [-p pid|name] [threads|family|mem|times]\n"
    "Show processes and their threads.\n"
    "  -p pid|name  only this process, or the processes running this program\n"
    "  threads      pid, tid, name, priority and policy, state, thread name (the default)\n"
    "  family       pid, parent, process group, session, user\n"
    "  mem          memory mapped per process\n"
    "  times        CPU time per thread\n");

static const char *const states[STATE_MAX] = {
	[STATE_DEAD] = "DEAD", [STATE_RUNNING] = "RUNNING", [STATE_READY] = "READY",
	[STATE_STOPPED] = "STOPPED", [STATE_SEND] = "SEND", [STATE_RECEIVE] = "RECEIVE",
	[STATE_REPLY] = "REPLY", [STATE_STACK] = "STACK", [STATE_WAITTHREAD] = "WAITTHREAD",
	[STATE_WAITPAGE] = "WAITPAGE", [STATE_SIGSUSPEND] = "SIGSUSPEND",
	[STATE_SIGWAITINFO] = "SIGWAITINFO", [STATE_NANOSLEEP] = "NANOSLEEP",
	[STATE_MUTEX] = "MUTEX", [STATE_CONDVAR] = "CONDVAR", [STATE_JOIN] = "JOIN",
	[STATE_INTR] = "INTR", [STATE_SEM] = "SEM",
};

enum view { THREADS, FAMILY, MEM, TIMES };

/* The first process with a pid >= pid, or -errno. */
static int
next_proc(int pid, struct _proc_pidinfo_reply *r)
{
	struct _proc_pidinfo q = { .type = _PROC_PIDINFO, .pi_pid = pid };
	long st = MsgSend_r(SYSMGR_COID, &q, sizeof(q), r, sizeof(*r));

	return st < 0 ? (int)st : r->pr_pid;
}

static const char *
state_name(int st)
{
	return st >= 0 && st < STATE_MAX && states[st] ? states[st] : "?";
}

static void
print_threads(const struct _proc_pidinfo_reply *p, enum view v)
{
	struct _thread_info ti;
	int n = 0;

	for (int tid = 1; ThreadInfo_r(p->pr_pid, tid, &ti) > 0; tid = ti.ti_tid + 1, n++) {
		if (v == TIMES)
			printf("%8d %3d %-18.18s %8llu.%03llu\n", p->pr_pid, ti.ti_tid,
			    n ? "" : p->pr_name,
			    (unsigned long long)(ti.ti_runtime_ns / 1000000000ULL),
			    (unsigned long long)(ti.ti_runtime_ns / 1000000ULL % 1000));
		else
			printf("%8d %3d %-18.18s %3d%c %-11s %s\n", p->pr_pid, ti.ti_tid,
			    n ? (ti.ti_name[0] ? ti.ti_name : "") : p->pr_name, ti.ti_priority,
			    ti.ti_policy == 2 ? 'r' : ti.ti_policy == 1 ? 'f' : 'o',
			    state_name(ti.ti_state), n == 0 && ti.ti_name[0] ? ti.ti_name : "");
	}
	if (n == 0 && (p->pr_flags & _PIDINFO_ZOMBIE))
		printf("%8d   - %-18.18s    - %-11s\n", p->pr_pid, p->pr_name, "ZOMBIE");
}

static int
matches(const struct _proc_pidinfo_reply *p, const char *sel)
{
	char *end;
	long pid;

	if (sel == NULL)
		return 1;
	pid = strtol(sel, &end, 10);
	if (*sel != '\0' && *end == '\0')
		return p->pr_pid == pid;
	return strcmp(p->pr_name, sel) == 0;
}

int
main(int argc, char **argv)
{
	struct _proc_pidinfo_reply p;
	const char *sel = NULL;
	enum view v = THREADS;
	int pid, found = 0;

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
		else {
			usage_short();
			return 2;
		}
	}
	switch (v) {
	case THREADS:	printf("     pid tid name               prio STATE       name\n"); break;
	case FAMILY:	printf("     pid     ppid     pgid      sid  uid name\n"); break;
	case MEM:	printf("     pid name                 mapped\n"); break;
	case TIMES:	printf("     pid tid name                 cputime\n"); break;
	}
	for (pid = 1; (pid = next_proc(pid, &p)) > 0; pid++) {
		if (!matches(&p, sel))
			continue;
		found++;
		if (v == THREADS || v == TIMES)
			print_threads(&p, v);
		else if (v == FAMILY)
			printf("%8d %8d %8d %8d %4d %s%s\n", p.pr_pid, p.pr_ppid, p.pr_pgid,
			    p.pr_sid, p.pr_uid, p.pr_name,
			    (p.pr_flags & _PIDINFO_ZOMBIE) ? " (zombie)" : "");
		else
			printf("%8d %-18.18s %8lluK\n", p.pr_pid, p.pr_name,
			    (unsigned long long)(p.pr_vm_bytes / 1024));
	}
	if (pid < 0 && pid != -ESRCH) {
		fprintf(stderr, "pidin: taskman: %s\n", strerror(-pid));
		return 1;
	}
	if (sel != NULL && found == 0) {
		fprintf(stderr, "pidin: no process %s\n", sel);
		return 1;
	}
	return 0;
}
