// uses: taskman/common/proctab.c
/*
 * Host tests of taskman's process table (taskman/common/proctab.c):
 * parents and children, zombies and wait statuses, orphans going to
 * taskman, waitid matching, sessions, process groups and credentials.
 */
#include "unit.h"
#include <errno.h>
#include <string.h>
#include "../../taskman/common/proctab.h"
#include <sys/procmsg.h>

/* taskman (1) -> a (2) -> b (3), c (4) */
static void
family(struct proctab *t)
{
	proctab_init(t);
	CHECK(proctab_add(t, 1, 0, "taskman") != NULL);
	CHECK(proctab_add(t, 2, 1, "a") != NULL);
	CHECK(proctab_add(t, 3, 2, "b") != NULL);
	CHECK(proctab_add(t, 4, 2, "c") != NULL);
}

UNIT_TEST(add_inherits)
{
	struct proctab t;
	struct pt_proc *b;

	family(&t);
	b = proctab_find(&t, 3);
	CHECK(b != NULL);
	CHECK_EQ(b->pp_ppid, 2);
	CHECK_EQ(b->pp_pgid, 1);
	CHECK_EQ(b->pp_sid, 1);
	CHECK_EQ(proctab_find(&t, 1)->pp_umask, 0022);	/* no parent: the default */
	proctab_find(&t, 2)->pp_umask = 077;
	CHECK(proctab_add(&t, 5, 2, "d") != NULL);
	CHECK_EQ(proctab_find(&t, 5)->pp_umask, 077);	/* the parent's */
	CHECK_EQ(b->pp_umask, 0022);			/* made before the change */
	/* The working directory: "/" without a parent, then the parent's copy. */
	CHECK_STR(proctab_cwd(proctab_find(&t, 1)), "/");
	CHECK_EQ(proctab_setcwd(proctab_find(&t, 2), "/tmp/xyz", 4), 0);	/* len, no NUL */
	CHECK(proctab_add(&t, 6, 2, "e") != NULL);
	CHECK_STR(proctab_cwd(proctab_find(&t, 6)), "/tmp");
	CHECK_EQ(proctab_setcwd(proctab_find(&t, 2), "/", 1), 0);
	CHECK_STR(proctab_cwd(proctab_find(&t, 6)), "/tmp");	/* a copy, not shared */
	CHECK_STR(proctab_cwd(proctab_find(&t, 2)), "/");
	CHECK_EQ(proctab_setcwd(proctab_find(&t, 6), "tmp", 3), -EINVAL);	/* relative */
	CHECK_EQ(proctab_setcwd(proctab_find(&t, 6), "", 0), -EINVAL);
	CHECK_EQ(proctab_setcwd(proctab_find(&t, 6), "/a\0b", 4), -EINVAL);	/* a NUL inside */
	{
		static char big[_PROC_CWD_MAX + 1];

		memset(big, 'a', sizeof(big));
		big[0] = '/';
		CHECK_EQ(proctab_setcwd(proctab_find(&t, 6), big, _PROC_CWD_MAX), -EINVAL);
		CHECK_EQ(proctab_setcwd(proctab_find(&t, 6), big, _PROC_CWD_MAX - 1), 0);
	}
	CHECK_EQ(strlen(proctab_cwd(proctab_find(&t, 6))), _PROC_CWD_MAX - 1);
	proctab_reap(&t, proctab_exit(&t, 6, 0));
	CHECK(proctab_add(&t, 3, 2, "dup") == NULL);
	CHECK(proctab_add(&t, 9, 99, "orphan") == NULL);
	CHECK(proctab_add(&t, 0, 1, "zero") == NULL);
	CHECK_EQ(proctab_live_count(&t), 4);
	proctab_fini(&t);		/* ASan: the copies are freed */
}

UNIT_TEST(wait_status)
{
	int v;

	CHECK_EQ(proctab_cld(11, &v), _WAIT_CLD_KILLED);	/* killed by SIGSEGV */
	CHECK_EQ(v, 11);
	CHECK_EQ(proctab_cld(0, &v), _WAIT_CLD_EXITED);
	CHECK_EQ(v, 0);
	CHECK_EQ(proctab_cld(42 << 8, &v), _WAIT_CLD_EXITED);	/* exit(42) */
	CHECK_EQ(v, 42);
	CHECK_EQ(proctab_cld(11 << 8, &v), _WAIT_CLD_EXITED);	/* exit(11), not a signal */
	CHECK_EQ(v, 11);
	CHECK_EQ(proctab_cld(19 << 8 | 0x7f, &v), _WAIT_CLD_STOPPED);
	CHECK_EQ(v, 19);
	CHECK_EQ(proctab_cld(0xffff, &v), _WAIT_CLD_CONTINUED);
	CHECK_EQ(v, 18);
}

UNIT_TEST(stops_and_continues)
{
	struct proctab t;
	struct pt_proc *b;
	int any, all = _WAIT_WEXITED | _WAIT_WUNTRACED | _WAIT_WCONTINUED;

	family(&t);
	b = proctab_stopcont(&t, 3, 19 << 8 | 0x7f);
	CHECK(b != NULL);
	CHECK(proctab_stopcont(&t, 3, 42 << 8) == NULL);	/* not a stop status */
	CHECK(proctab_stopcont(&t, 99, 0xffff) == NULL);
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_ALL, 0, _WAIT_WEXITED, &any) == NULL);
	CHECK_EQ(any, 1);
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_ALL, 0, _WAIT_WCONTINUED, &any) == NULL);
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_PID, 3, all, &any) == b);
	CHECK_EQ(proctab_event(b, all), 19 << 8 | 0x7f);
	proctab_stopcont(&t, 3, 0xffff);			/* replaces the stop */
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_ALL, 0, _WAIT_WUNTRACED, &any) == NULL);
	CHECK_EQ(proctab_event(b, _WAIT_WCONTINUED), 0xffff);
	CHECK(proctab_exit(&t, 3, 9) == b);			/* an end replaces both */
	CHECK_EQ(proctab_event(b, _WAIT_WCONTINUED), -1);
	CHECK_EQ(proctab_event(b, _WAIT_WEXITED), 9);
	CHECK(proctab_stopcont(&t, 3, 0xffff) == NULL);		/* a zombie does not continue */
	proctab_fini(&t);
}

UNIT_TEST(zombies_and_orphans)
{
	struct proctab t;
	struct pt_proc *z;
	int any;

	family(&t);
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_ALL, 0, _WAIT_WEXITED, &any) == NULL);
	CHECK_EQ(any, 1);
	z = proctab_exit(&t, 3, 0);
	CHECK(z && z->pp_zombie);
	CHECK(proctab_exit(&t, 3, 0) == NULL);		/* dies once */
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_PID, 4, _WAIT_WEXITED, &any) == NULL);
	CHECK_EQ(any, 1);
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_PID, 3, _WAIT_WEXITED, &any) == z);
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_ALL, 0, _WAIT_WEXITED, &any) == z);
	CHECK(proctab_wait_match(&t, 1, _WAIT_P_PID, 3, _WAIT_WEXITED, &any) == NULL);
	CHECK_EQ(any, 0);				/* not taskman's child: ECHILD */
	/* a dies: c (live) and b (zombie) go to taskman. */
	CHECK(proctab_exit(&t, 2, 0) != NULL);
	CHECK_EQ(proctab_find(&t, 4)->pp_ppid, PROCTAB_MGR_PID);
	CHECK_EQ(z->pp_ppid, PROCTAB_MGR_PID);
	CHECK(proctab_wait_match(&t, 1, _WAIT_P_PID, 3, _WAIT_WEXITED, &any) == z);
	proctab_reap(&t, z);
	CHECK(proctab_find(&t, 3) == NULL);
	CHECK_EQ(t.pt_count, 3);
	CHECK(proctab_add(&t, 5, 2, "child of a zombie") == NULL);
	proctab_fini(&t);
}

UNIT_TEST(wait_by_group)
{
	struct proctab t;
	int any;

	family(&t);
	CHECK_EQ(proctab_setpgid(&t, 2, 4, 0), 0);	/* c leads group 4 */
	proctab_exit(&t, 3, 0);
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_PGID, 4, _WAIT_WEXITED, &any) == NULL);
	CHECK_EQ(any, 1);
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_PGID, 1, _WAIT_WEXITED, &any) != NULL);
	CHECK(proctab_wait_match(&t, 2, _WAIT_P_PGID, 77, _WAIT_WEXITED, &any) == NULL);
	CHECK_EQ(any, 0);
	proctab_fini(&t);
}

UNIT_TEST(sessions_and_groups)
{
	struct proctab t;

	family(&t);
	CHECK_EQ(proctab_setsid(&t, 1), -EPERM);	/* taskman leads group 1 */
	CHECK_EQ(proctab_setsid(&t, 3), 3);
	CHECK_EQ(proctab_find(&t, 3)->pp_sid, 3);
	CHECK_EQ(proctab_find(&t, 3)->pp_pgid, 3);
	CHECK_EQ(proctab_setsid(&t, 3), -EPERM);	/* now a group leader */
	/* setpgid rules. */
	CHECK_EQ(proctab_setpgid(&t, 2, 3, 0), -EPERM);	/* b: another session (and a leader) */
	CHECK_EQ(proctab_setpgid(&t, 2, 99, 0), -ESRCH);
	CHECK_EQ(proctab_setpgid(&t, 3, 4, 0), -ESRCH);	/* c is not b's child */
	CHECK_EQ(proctab_setpgid(&t, 2, 4, 0), 0);	/* c: group 4 */
	CHECK_EQ(proctab_setpgid(&t, 2, 0, 4), 0);	/* a joins group 4 */
	CHECK_EQ(proctab_find(&t, 2)->pp_pgid, 4);
	CHECK_EQ(proctab_setpgid(&t, 2, 0, 3), -EPERM);	/* group 3 is in another session */
	CHECK_EQ(proctab_setpgid(&t, 2, 0, 55), -EPERM);	/* no group 55 */
	CHECK_EQ(proctab_setpgid(&t, 2, -1, 0), -EINVAL);
	/* A new process starts in its parent's group and session. */
	CHECK(proctab_add(&t, 6, 3, "d") != NULL);
	CHECK_EQ(proctab_find(&t, 6)->pp_sid, 3);
	CHECK_EQ(proctab_find(&t, 6)->pp_pgid, 3);
	CHECK_EQ(proctab_setpgid(&t, 3, 6, 0), 0);
	CHECK_EQ(proctab_find(&t, 6)->pp_pgid, 6);
	proctab_fini(&t);
}

UNIT_TEST(credentials)
{
	struct proctab t;
	struct pt_proc *a;
	int set_user[3] = { 100, 100, 100 }, to_root[3] = { -1, 0, -1 };
	int swap[3] = { -1, 100, -1 }, bad[3] = { -2, -1, -1 };

	family(&t);
	a = proctab_find(&t, 2);
	CHECK_EQ(proctab_setids(a, 0, set_user), 0);	/* root may */
	CHECK_EQ(a->pp_uid[0], 100);
	CHECK_EQ(proctab_setids(a, 0, to_root), -EPERM);	/* not back */
	CHECK_EQ(proctab_setids(a, 0, swap), 0);
	CHECK_EQ(proctab_setids(a, 0, bad), -EINVAL);
	CHECK_EQ(proctab_setids(a, 2, swap), -EINVAL);
	CHECK(proctab_add(&t, 7, 2, "e") != NULL);
	CHECK_EQ(proctab_find(&t, 7)->pp_uid[1], 100);	/* inherited */
	CHECK_EQ(proctab_setids(a, 1, set_user), -EPERM);	/* gid: no longer root */
	proctab_fini(&t);
}

UNIT_TEST(rlimits)
{
	struct proctab t;
	struct pt_proc *a, *b;
	uint64_t old[2];
	int user[3] = { 100, 100, 100 };

	family(&t);
	a = proctab_find(&t, 2);
	CHECK_EQ(proctab_rlimit(&t, 2, 0, _RLIMIT_NOFILE, 0, 0, 0, old), 0);
	CHECK_EQ(old[0], PROCTAB_NOFILE_DEFAULT);
	CHECK_EQ(proctab_rlimit(&t, 2, 0, _RLIMIT_CORE, 0, 0, 0, old), 0);
	CHECK_EQ(old[0], 0);
	CHECK_EQ(old[1], _RLIMIT_INFINITY);
	CHECK_EQ(proctab_rlimit(&t, 2, 0, _RLIMIT_AS, _RLIMIT_SET, 1 << 20, 4 << 20, old), 0);
	CHECK_EQ(old[0], _RLIMIT_INFINITY);
	CHECK_EQ(proctab_rlimit(&t, 2, 0, _RLIMIT_AS, 0, 0, 0, old), 0);
	CHECK_EQ(old[0], 1 << 20);
	CHECK_EQ(old[1], 4 << 20);
	/* Errors: bad resource, soft > hard, unknown flags, no such process. */
	CHECK_EQ(proctab_rlimit(&t, 2, 0, _RLIMIT_NLIMITS, 0, 0, 0, old), -EINVAL);
	CHECK_EQ(proctab_rlimit(&t, 2, 0, -1, 0, 0, 0, old), -EINVAL);
	CHECK_EQ(proctab_rlimit(&t, 2, 0, _RLIMIT_AS, _RLIMIT_SET, 5, 4, old), -EINVAL);
	CHECK_EQ(proctab_rlimit(&t, 2, 0, _RLIMIT_AS, 0x2, 0, 0, old), -EINVAL);
	CHECK_EQ(proctab_rlimit(&t, 2, 99, _RLIMIT_AS, 0, 0, 0, old), -ESRCH);
	/* A child inherits; a non-root process may lower its hard limit, not raise it. */
	CHECK(proctab_add(&t, 7, 2, "e") != NULL);
	b = proctab_find(&t, 7);
	CHECK_EQ(b->pp_rlim[_RLIMIT_AS][1], 4 << 20);
	CHECK_EQ(proctab_setids(b, 0, user), 0);
	CHECK_EQ(proctab_rlimit(&t, 7, 0, _RLIMIT_AS, _RLIMIT_SET, 1 << 20, 2 << 20, old), 0);
	CHECK_EQ(proctab_rlimit(&t, 7, 0, _RLIMIT_AS, _RLIMIT_SET, 1 << 20, 3 << 20, old), -EPERM);
	CHECK_EQ(b->pp_rlim[_RLIMIT_AS][1], 2 << 20);	/* unchanged by the refusal */
	/* Another's limits: uid 100 may not touch root's; root may touch anyone's. */
	CHECK_EQ(proctab_rlimit(&t, 7, 2, _RLIMIT_AS, 0, 0, 0, old), -EPERM);
	CHECK_EQ(proctab_rlimit(&t, 2, 7, _RLIMIT_AS, _RLIMIT_SET, 8 << 20, 8 << 20, old), 0);
	CHECK_EQ(b->pp_rlim[_RLIMIT_AS][0], 8 << 20);
	/* RLIMIT_NPROC counts live processes of the real uid, never root's. */
	CHECK(proctab_nproc_ok(&t, b));
	b->pp_rlim[_RLIMIT_NPROC][0] = 1;
	CHECK(!proctab_nproc_ok(&t, b));
	b->pp_rlim[_RLIMIT_NPROC][0] = 2;
	CHECK(proctab_nproc_ok(&t, b));
	a->pp_rlim[_RLIMIT_NPROC][0] = 0;
	CHECK(proctab_nproc_ok(&t, a));		/* euid 0 */
	proctab_exit(&t, 7, 0);
	CHECK_EQ(proctab_rlimit(&t, 2, 7, _RLIMIT_AS, 0, 0, 0, old), -ESRCH);	/* a zombie */
	proctab_fini(&t);
}

UNIT_TEST(exefile_and_cmdline)
{
	static const char argv[] = "ls\0-l\0/tmp\0HOME=/";	/* 3 args, then envp */
	static char big[PROCTAB_CMDLINE_MAX + 100];
	struct proctab t;
	struct pt_proc *a, *c;

	family(&t);
	a = proctab_find(&t, 2);
	CHECK(a->pp_exefile == NULL && a->pp_cmdline_len == 0);
	CHECK_EQ(proctab_setexec(a, "/proc/boot/ls", argv, sizeof(argv), 3), 0);
	CHECK(strcmp(a->pp_exefile, "/proc/boot/ls") == 0);
	CHECK_EQ(a->pp_cmdline_len, 11);		/* "ls\0-l\0/tmp\0", not the environment */
	CHECK(memcmp(a->pp_cmdline, "ls\0-l\0/tmp", 11) == 0);
	/* A forked child has its parent's. */
	CHECK(proctab_add(&t, 9, 2, "a") != NULL);
	c = proctab_find(&t, 9);
	CHECK(strcmp(c->pp_exefile, "/proc/boot/ls") == 0);
	CHECK_EQ(c->pp_cmdline_len, 11);
	CHECK(c->pp_cmdline != a->pp_cmdline);		/* a copy */
	/* Fewer strings than argc, or a string past len: only whole ones within len. */
	CHECK_EQ(proctab_setexec(c, "/x", "ab\0cd", 5, 5), 0);
	CHECK_EQ(c->pp_cmdline_len, 3);
	/* Cut at a string's end below the cap. */
	memset(big, 'x', sizeof(big));
	big[10] = '\0';
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ(proctab_setexec(c, NULL, big, sizeof(big), 2), 0);
	CHECK_EQ(c->pp_cmdline_len, 11);
	CHECK(c->pp_exefile == NULL);
	CHECK_EQ(proctab_setexec(c, "/y", NULL, 0, 0), 0);
	CHECK_EQ(c->pp_cmdline_len, 0);
	CHECK(c->pp_cmdline == NULL);
	proctab_fini(&t);
}

/*
 * Orphaned groups: a shell (2, session and group 2) with a job in group 4
 * (4 and its child 5).  The job is not orphaned while the shell lives;
 * when the shell exits it is, and if a member is stopped, the exit is
 * reported as orphaning it (SIGHUP + SIGCONT).
 */
UNIT_TEST(orphaned_groups)
{
	struct proctab t;
	int g[4];

	proctab_init(&t);
	CHECK(proctab_add(&t, 1, 0, "taskman") != NULL);
	CHECK(proctab_add(&t, 2, 1, "sh") != NULL);
	CHECK_EQ(proctab_setsid(&t, 2), 2);
	CHECK(proctab_add(&t, 4, 2, "job") != NULL);
	CHECK(proctab_add(&t, 5, 4, "jobchild") != NULL);
	CHECK_EQ(proctab_setpgid(&t, 2, 4, 0), 0);
	CHECK_EQ(proctab_setpgid(&t, 4, 5, 4), 0);
	CHECK_EQ(proctab_pgrp_orphaned(&t, 4), 0);	/* the shell is its parent's link */
	CHECK_EQ(proctab_pgrp_orphaned(&t, 2), 1);	/* the shell's parent is taskman */
	CHECK_EQ(proctab_pgrp_orphaned(&t, 77), 0);	/* no such group */
	CHECK_EQ(proctab_pgrp_orphaned(&t, 0), 0);
	/* Nothing stopped: the shell's exit orphans group 4 but hangs up nothing. */
	CHECK_EQ(proctab_exit_orphans(&t, 2, g, 4), 0);
	/* The job's child stops: now the shell's exit must hang up group 4. */
	CHECK(proctab_stopcont(&t, 5, 19 << 8 | 0x7f) != NULL);
	CHECK_EQ(proctab_find(&t, 5)->pp_stopped, 1);
	CHECK_EQ(proctab_exit_orphans(&t, 4, g, 4), 1);	/* 4 was the link too: 5 is taskman's then */
	CHECK_EQ(proctab_exit_orphans(&t, 5, g, 4), 0);	/* its own exit: no stopped member left */
	CHECK_EQ(proctab_exit_orphans(&t, 2, g, 4), 1);
	CHECK_EQ(g[0], 4);
	CHECK_EQ(proctab_exit_orphans(&t, 2, g, 0), 1);	/* counted, not stored */
	proctab_exit(&t, 2, 0);
	CHECK_EQ(proctab_pgrp_orphaned(&t, 4), 1);
	CHECK_EQ(proctab_exit_orphans(&t, 4, g, 4), 0);	/* orphaned already */
	/* A continue clears pp_stopped. */
	CHECK(proctab_stopcont(&t, 5, 0xffff) != NULL);
	CHECK_EQ(proctab_find(&t, 5)->pp_stopped, 0);
	proctab_fini(&t);
}
