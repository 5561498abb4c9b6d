// uses: taskman/common/pathtab.c
/*
 * Host tests of the path manager's table (taskman/common/pathtab.c):
 * prefix checks, longest-prefix resolution, unions on one prefix in QNX
 * order (BEFORE, ordinary newest first, AFTER), opaque prefixes, single
 * names versus directories, detach by id and when a server dies.
 */
#include "unit.h"
#include <errno.h>
#include "../../taskman/common/pathtab.h"
#include <sys/iomsg.h>
#include <sys/procmsg.h>

#define D _RESMGR_FLAG_DIR

static int
resolve_pids(struct pathtab *pt, const char *path, int *pids, int *consumed, int max)
{
	struct pt_match m[16];
	int n = pathtab_resolve(pt, path, _FTYPE_ANY, m, max);

	for (int i = 0; i < n; i++) {
		pids[i] = m[i].pm_attach->pa_pid;
		consumed[i] = m[i].pm_consumed;
	}
	return n;
}

UNIT_TEST(prefix_rules)
{
	CHECK(pathtab_prefix_ok("/"));
	CHECK(pathtab_prefix_ok("/dev"));
	CHECK(pathtab_prefix_ok("/dev/ser1"));
	CHECK(!pathtab_prefix_ok(""));
	CHECK(!pathtab_prefix_ok("dev"));
	CHECK(!pathtab_prefix_ok("/dev/"));
	CHECK(!pathtab_prefix_ok("//dev"));
	CHECK(!pathtab_prefix_ok("/dev//x"));
	CHECK(!pathtab_prefix_ok("/dev/./x"));
	CHECK(!pathtab_prefix_ok("/dev/.."));
	char big[PATHTAB_PREFIX_MAX + 1];
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[PATHTAB_PREFIX_MAX] = '\0';
	CHECK(!pathtab_prefix_ok(big));
}

UNIT_TEST(longest_prefix_first)
{
	struct pathtab pt;
	int pids[16], c[16];

	pathtab_init(&pt);
	CHECK(pathtab_attach(&pt, "/", 10, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/dev", 11, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/dev/ser1", 12, 1, 1, 0, _FTYPE_ANY) > 0);
	CHECK_EQ(resolve_pids(&pt, "/dev/ser1", pids, c, 16), 3);
	CHECK_EQ(pids[0], 12);
	CHECK_EQ(c[0], 9);
	CHECK_EQ(pids[1], 11);
	CHECK_EQ(c[1], 4);
	CHECK_EQ(pids[2], 10);
	CHECK_EQ(c[2], 1);
	/* /dev/ser10 is not under /dev/ser1; /dev/ser1/x is not either (a single name). */
	CHECK_EQ(resolve_pids(&pt, "/dev/ser10", pids, c, 16), 2);
	CHECK_EQ(pids[0], 11);
	CHECK_EQ(resolve_pids(&pt, "/dev/ser1/x", pids, c, 16), 2);
	/* Repeated slashes count once; consumed is in the caller's bytes. */
	CHECK_EQ(resolve_pids(&pt, "//dev//ser1", pids, c, 16), 3);
	CHECK_EQ(pids[0], 12);
	CHECK_EQ(c[0], 11);
	/* At most max results, the best ones. */
	CHECK_EQ(resolve_pids(&pt, "/dev/ser1", pids, c, 1), 1);
	CHECK_EQ(pids[0], 12);
	CHECK_EQ(resolve_pids(&pt, "relative", pids, c, 16), -EINVAL);
	pathtab_fini(&pt);
}

UNIT_TEST(union_order)
{
	struct pathtab pt;
	int pids[16], c[16];

	pathtab_init(&pt);
	CHECK(pathtab_attach(&pt, "/tmp", 1, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/tmp", 2, 1, 1, D | _RESMGR_FLAG_AFTER, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/tmp", 3, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/tmp", 4, 1, 1, D | _RESMGR_FLAG_BEFORE, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/tmp", 5, 1, 1, D | _RESMGR_FLAG_AFTER, _FTYPE_ANY) > 0);
	CHECK_EQ(resolve_pids(&pt, "/tmp/f", pids, c, 16), 5);
	CHECK_EQ(pids[0], 4);
	CHECK_EQ(pids[1], 3);
	CHECK_EQ(pids[2], 1);
	CHECK_EQ(pids[3], 5);
	CHECK_EQ(pids[4], 2);
	CHECK_EQ(pathtab_attach(&pt, "/tmp", 1, 1, 1, D, _FTYPE_ANY), -EEXIST);
	CHECK(pathtab_attach(&pt, "/tmp", 1, 1, 2, D, _FTYPE_ANY) > 0);	/* another handle */
	CHECK_EQ(pathtab_attach(&pt, "/tmp", 1, 1, 1, D | _RESMGR_FLAG_BEFORE | _RESMGR_FLAG_AFTER,
	    _FTYPE_ANY), -EINVAL);
	CHECK_EQ(pathtab_attach(&pt, "/tmp", 1, 1, 1, 0x100, _FTYPE_ANY), -EINVAL);
	/* a name (name_attach) has one server; other file types still join */
	CHECK(pathtab_attach(&pt, "/dev/name/local/n", 1, 1, 1, 0, _FTYPE_NAME) > 0);
	CHECK_EQ(pathtab_attach(&pt, "/dev/name/local/n", 2, 1, 1, 0, _FTYPE_NAME), -EEXIST);
	CHECK(pathtab_attach(&pt, "/dev/name/local/n", 2, 1, 1, 0, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/dev/name/local/m", 2, 1, 1, 0, _FTYPE_NAME) > 0);
	CHECK_EQ(pathtab_attach(&pt, "/tmp/", 1, 1, 1, 0, _FTYPE_ANY), -EINVAL);
	pathtab_fini(&pt);
}

UNIT_TEST(opaque_hides_shorter)
{
	struct pathtab pt;
	int pids[16], c[16];

	pathtab_init(&pt);
	CHECK(pathtab_attach(&pt, "/", 1, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/a", 2, 1, 1, D | _RESMGR_FLAG_OPAQUE, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/a", 3, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/a/b", 4, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK_EQ(resolve_pids(&pt, "/a/b/c", pids, c, 16), 3);
	CHECK_EQ(pids[0], 4);
	CHECK_EQ(pids[2] == 2 || pids[1] == 2, 1);
	CHECK_EQ(resolve_pids(&pt, "/z", pids, c, 16), 1);
	pathtab_fini(&pt);
}

UNIT_TEST(ftype_filters)
{
	struct pathtab pt;
	struct pt_match m[4];

	pathtab_init(&pt);
	CHECK(pathtab_attach(&pt, "/dev/mq", 1, 1, 1, D, _FTYPE_MQUEUE) > 0);
	CHECK(pathtab_attach(&pt, "/dev", 2, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK_EQ(pathtab_resolve(&pt, "/dev/mq/q", _FTYPE_FILE, m, 4), 1);
	CHECK_EQ(m[0].pm_attach->pa_pid, 2);
	CHECK_EQ(pathtab_resolve(&pt, "/dev/mq/q", _FTYPE_MQUEUE, m, 4), 2);
	CHECK_EQ(pathtab_resolve(&pt, "/dev/mq/q", _FTYPE_ANY, m, 4), 2);
	pathtab_fini(&pt);
}

UNIT_TEST(detach_by_id_and_by_death)
{
	struct pathtab pt;
	int pids[16], c[16], id;

	pathtab_init(&pt);
	id = pathtab_attach(&pt, "/x", 7, 1, 1, D, _FTYPE_ANY);
	CHECK(id > 0);
	CHECK(pathtab_attach(&pt, "/y", 7, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/x", 8, 1, 1, D, _FTYPE_ANY) > 0);
	CHECK_EQ(pathtab_detach(&pt, id, 8), -ENOENT);		/* not its own */
	CHECK_EQ(pathtab_detach(&pt, id, 7), 0);
	CHECK_EQ(pathtab_detach(&pt, id, 7), -ENOENT);		/* twice */
	CHECK_EQ(resolve_pids(&pt, "/x", pids, c, 16), 1);
	CHECK_EQ(pids[0], 8);
	CHECK_EQ(pathtab_detach_pid(&pt, 8), 1);
	CHECK_EQ(resolve_pids(&pt, "/x", pids, c, 16), 0);
	CHECK_EQ(pathtab_detach_pid(&pt, 7), 1);
	CHECK_EQ(pt.pt_count, 0);
	pathtab_fini(&pt);
}

static const char *
mount_name(int pid, void *arg)
{
	(void)arg;
	return pid == 1 ? "taskman" : pid == 7 ? "fs-ram" : pid == 8 ? "bad name" : NULL;
}

UNIT_TEST(mount_table)
{
	struct pathtab pt;
	char buf[256];
	size_t need;

	pathtab_init(&pt);
	CHECK(pathtab_attach(&pt, "/", 1, 1, 0, _RESMGR_FLAG_DIR, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/dev/null", 2, 1, 0, 0, _FTYPE_ANY) > 0);	/* not a directory */
	CHECK(pathtab_attach(&pt, "/tmp", 7, 1, 0, _RESMGR_FLAG_DIR | _RESMGR_FLAG_OPAQUE,
	    _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/mnt", 8, 1, 0, _RESMGR_FLAG_DIR, _FTYPE_ANY) > 0);
	CHECK(pathtab_attach(&pt, "/x", 9, 1, 0, _RESMGR_FLAG_DIR, _FTYPE_ANY) > 0);
	need = pathtab_mounts(&pt, buf, sizeof(buf), 1, mount_name, NULL);
	CHECK_STR(buf, "taskman / taskman ro 0 0\nfs-ram /tmp fs-ram rw 0 0\n"
	    "none /mnt none rw 0 0\nnone /x none rw 0 0\n");
	CHECK_EQ(need, strlen(buf));
	/* Too small: whole lines only, and the length the table needs. */
	CHECK_EQ(pathtab_mounts(&pt, buf, 30, 1, mount_name, NULL), need);
	CHECK_STR(buf, "taskman / taskman ro 0 0\n");
	CHECK_EQ(pathtab_mounts(&pt, buf, 0, 1, mount_name, NULL), need);
	CHECK_EQ(pathtab_detach_pid(&pt, 7), 1);
	pathtab_mounts(&pt, buf, sizeof(buf), 1, mount_name, NULL);
	CHECK_STR(buf, "taskman / taskman ro 0 0\nnone /mnt none rw 0 0\nnone /x none rw 0 0\n");
	pathtab_fini(&pt);
}
