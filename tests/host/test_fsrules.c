// uses: lib/resmgr/fsrules.c lib/resmgr/cred.c
/*
 * Host tests of the rules libresmgr's file systems share
 * (lib/resmgr/fsrules.c, cred.c; docs/resmgr.md "File systems"): the
 * permission check with root's execute rule and supplementary groups,
 * a walk's names, path normalisation, a symbolic link's new path inside
 * the mount or out of it, open()'s checks of an existing object,
 * mknod's types, the sticky bit and utimens's checks.  fs-ram and
 * fs-ext2 call these; test_ramfs and test_ext2 test them through the
 * file systems.
 */
#include "unit.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/fsrules.h>
#include <sys/iofunc_cred.h>

#ifndef O_PATH
#define O_PATH	010000000
#endif

UNIT_TEST(may)
{
	struct _client_info root = { .euid = 0 }, own = { .euid = 5, .egid = 5 },
	    member = { .euid = 6, .egid = 6, .ngroups = 2, .groups = { 9, 7 } },
	    other = { .euid = 8, .egid = 8 };

	CHECK_EQ(iofunc_client_may(&root, S_IFREG | 0, 5, 7, 6), 0);
	CHECK_EQ(iofunc_client_may(&root, S_IFREG | 0644, 5, 7, 1), EACCES);	/* nobody may */
	CHECK_EQ(iofunc_client_may(&root, S_IFREG | 0744, 5, 7, 1), 0);
	CHECK_EQ(iofunc_client_may(&root, S_IFDIR | 0, 5, 7, 1), 0);		/* search */
	CHECK_EQ(iofunc_client_may(&own, S_IFREG | 0470, 5, 7, 4), 0);
	CHECK_EQ(iofunc_client_may(&own, S_IFREG | 0470, 5, 7, 2), EACCES);	/* the owner's bits only */
	CHECK_EQ(iofunc_client_may(&member, S_IFREG | 0460, 5, 7, 6), 0);	/* via group 7 */
	CHECK_EQ(iofunc_client_may(&member, S_IFREG | 0406, 5, 7, 2), EACCES);	/* not others' */
	CHECK_EQ(iofunc_client_may(&other, S_IFREG | 0406, 5, 7, 6), 0);
	CHECK_EQ(iofunc_client_may(&other, S_IFREG | 0770, 5, 7, 4), EACCES);
}

UNIT_TEST(walk_next)
{
	char buf[FS_PATH_MAX] = "//a/bc//.", long_name[FS_NAME_MAX + 8], *p = buf, *name;
	size_t n;
	int last;

	CHECK_EQ(fs_walk_next(&p, &name, &n, &last), 0);
	CHECK(name == buf + 2 && n == 1 && !last);
	CHECK_EQ(fs_walk_next(&p, &name, &n, &last), 0);
	CHECK(name == buf + 4 && n == 2 && !last);
	CHECK_EQ(fs_walk_next(&p, &name, &n, &last), 0);
	CHECK(n == 1 && last && fs_dotname(name, n) == 1);
	CHECK_EQ(fs_walk_next(&p, &name, &n, &last), 0);
	CHECK(name == NULL);
	memset(long_name, 'x', FS_NAME_MAX + 1);
	long_name[FS_NAME_MAX + 1] = '\0';
	p = long_name;
	CHECK_EQ(fs_walk_next(&p, &name, &n, &last), ENAMETOOLONG);
	long_name[FS_NAME_MAX] = '\0';
	p = long_name;
	CHECK_EQ(fs_walk_next(&p, &name, &n, &last), 0);
	CHECK(n == FS_NAME_MAX && last);
	CHECK_EQ(fs_dotname("..", 2), 2);
	CHECK_EQ(fs_dotname("...", 3), 0);
	CHECK_EQ(fs_dotname(".x", 2), 0);
}

UNIT_TEST(normpath)
{
	char o[FS_PATH_MAX], in[FS_PATH_MAX + 8];

	CHECK_EQ(fs_normpath("/a/./b//../c/", o), 0);
	CHECK_STR(o, "/a/c");
	CHECK_EQ(fs_normpath("/../..", o), 0);
	CHECK_STR(o, "/");
	CHECK_EQ(fs_normpath("/tmp/x/../../proc", o), 0);
	CHECK_STR(o, "/proc");
	memset(in, 'a', sizeof(in) - 1);
	in[0] = '/';
	in[sizeof(in) - 1] = '\0';
	CHECK_EQ(fs_normpath(in, o), ENAMETOOLONG);
}

/* A walk of "d/l/rest" under /tmp meets the link l (name at byte 2). */
UNIT_TEST(follow_link)
{
	char buf[FS_PATH_MAX], redirect[FS_PATH_MAX] = "";

	strcpy(buf, "d/l/rest");
	CHECK_EQ(fs_follow_link("/tmp", buf, 2, "../e", buf + 4, redirect), 0);
	CHECK_STR(buf, "e/rest");					/* relative: from d */
	strcpy(buf, "d/l/rest");
	CHECK_EQ(fs_follow_link("/tmp", buf, 2, "/tmp/x/", buf + 4, redirect), 0);
	CHECK_STR(buf, "x/rest");					/* absolute, still ours */
	strcpy(buf, "d/l/rest");
	CHECK_EQ(fs_follow_link("/tmp", buf, 2, "../../../etc", buf + 4, redirect), FS_REDIRECT);
	CHECK_STR(redirect, "/etc/rest");				/* left the mount */
	CHECK_STR(buf, "d/l/rest");
	strcpy(buf, "d/l");
	CHECK_EQ(fs_follow_link("/tmp", buf, 2, "/tmpfoo", buf + 3, redirect), FS_REDIRECT);
	CHECK_STR(redirect, "/tmpfoo");				/* a longer name is not under /tmp */
	strcpy(buf, "l");
	CHECK_EQ(fs_follow_link("", buf, 0, "/a/b", buf + 1, redirect), 0);	/* mounted at / */
	CHECK_STR(buf, "a/b");
}

UNIT_TEST(open_check)
{
	unsigned want = 99;

	CHECK_EQ(fs_open_check(S_IFLNK | 0777, O_RDONLY, 0, &want), ELOOP);
	CHECK_EQ(fs_open_check(S_IFLNK | 0777, O_PATH | O_NOFOLLOW, 0, &want), 0);
	CHECK_EQ(want, 0);
	CHECK_EQ(fs_open_check(S_IFREG | 0644, O_RDONLY | O_DIRECTORY, 0, &want), ENOTDIR);
	CHECK_EQ(fs_open_check(S_IFREG | 0644, O_RDONLY, 1, &want), ENOTDIR);
	CHECK_EQ(fs_open_check(S_IFDIR | 0755, O_WRONLY, 0, &want), EISDIR);
	CHECK_EQ(fs_open_check(S_IFDIR | 0755, O_RDONLY | O_CREAT, 0, &want), EISDIR);
	CHECK_EQ(fs_open_check(S_IFDIR | 0755, O_RDONLY, 1, &want), 0);
	CHECK_EQ(want, 4);
	CHECK_EQ(fs_open_check(S_IFREG | 0644, O_RDONLY | O_TRUNC, 0, &want), 0);
	CHECK_EQ(want, 6);						/* O_TRUNC writes */
	CHECK_EQ(fs_open_check(S_IFREG | 0644, O_WRONLY, 0, &want), 0);
	CHECK_EQ(want, 2);
	CHECK_EQ(fs_open_check(S_IFREG | 0644, O_RDWR | O_PATH, 0, &want), 0);
	CHECK_EQ(want, 0);
}

UNIT_TEST(mknod_sticky_utimens)
{
	struct timespec now[2] = { { 0, FS_UTIME_NOW }, { 0, FS_UTIME_OMIT } };
	struct timespec set[2] = { { 5, 0 }, { 0, FS_UTIME_OMIT } };
	struct timespec bad[2] = { { 5, 1000000000L }, { 0, FS_UTIME_OMIT } };
	mode_t m = 0644;

	CHECK_EQ(fs_mknod_check(&m), 0);
	CHECK_EQ(m, S_IFREG | 0644);
	m = S_IFIFO | 0600;
	CHECK_EQ(fs_mknod_check(&m), 0);
	m = S_IFCHR | 0600;
	CHECK_EQ(fs_mknod_check(&m), EPERM);
	CHECK(fs_sticky_ok(7, S_IFDIR | 0777, 1, 2));		/* not sticky */
	CHECK(!fs_sticky_ok(7, S_IFDIR | 01777, 1, 2));
	CHECK(fs_sticky_ok(2, S_IFDIR | 01777, 1, 2));		/* the name's owner */
	CHECK(fs_sticky_ok(1, S_IFDIR | 01777, 1, 2));		/* the directory's */
	CHECK(fs_sticky_ok(0, S_IFDIR | 01777, 1, 2));		/* root */
	CHECK_EQ(fs_utimens_check(bad, 1, 1), EINVAL);
	CHECK_EQ(fs_utimens_check(set, 0, 1), EPERM);
	CHECK_EQ(fs_utimens_check(set, 1, 0), 0);
	CHECK_EQ(fs_utimens_check(now, 0, 1), 0);
	CHECK_EQ(fs_utimens_check(now, 0, 0), EACCES);
}
