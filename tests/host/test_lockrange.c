// uses: lib/resmgr/lockrange.c
/*
 * Host tests of the record-lock range logic (lib/resmgr/lockrange.c),
 * natively under ASan/UBSan: l_whence/l_start/l_len to byte ranges and
 * their errors, conflicts between owners (read against read, read
 * against write), and lk_set's cutting, splitting and merging, checked
 * against the exact list it leaves.  Each test frees its list, so
 * LeakSanitizer sees every node.
 */
#include "unit.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include "../../lib/resmgr/lockrange.h"

/* The list as text: "pid:type:start-end ..." (type r/w, end E for LK_EOF). */
static const char *show(const struct _iofunc_lock *l)
{
	static char buf[512];
	size_t n = 0;

	buf[0] = '\0';
	for (; l; l = l->lk_next) {
		char end[24];

		if (l->lk_end == LK_EOF)
			snprintf(end, sizeof(end), "E");
		else
			snprintf(end, sizeof(end), "%lld", (long long)l->lk_end);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%d:%c:%lld-%s", n ? " " : "",
		    (int)l->lk_pid, l->lk_type == F_WRLCK ? 'w' : 'r', (long long)l->lk_start, end);
	}
	return buf;
}

UNIT_TEST(range)
{
	int64_t s, e;

	CHECK_EQ(lk_range(0, 10, 5, &s, &e), 0);
	CHECK_EQ(s, 10);
	CHECK_EQ(e, 14);
	CHECK_EQ(lk_range(100, -10, 0, &s, &e), 0);	/* SEEK_CUR/END base, to EOF */
	CHECK_EQ(s, 90);
	CHECK_EQ(e, LK_EOF);
	CHECK_EQ(lk_range(0, 10, -4, &s, &e), 0);	/* the 4 bytes before 10 */
	CHECK_EQ(s, 6);
	CHECK_EQ(e, 9);
	CHECK_EQ(lk_range(0, 3, -4, &s, &e), EINVAL);	/* before byte 0 */
	CHECK_EQ(lk_range(0, -1, 1, &s, &e), EINVAL);
	CHECK_EQ(lk_range(10, -11, 0, &s, &e), EINVAL);
	CHECK_EQ(lk_range(INT64_MAX, 1, 1, &s, &e), EOVERFLOW);
	CHECK_EQ(lk_range(0, INT64_MAX, 2, &s, &e), EOVERFLOW);
	CHECK_EQ(lk_range(0, INT64_MAX, 1, &s, &e), 0);
	CHECK_EQ(e, INT64_MAX);
	CHECK_EQ(lk_range(0, INT64_MIN, -1, &s, &e), EINVAL);
}

UNIT_TEST(conflicts)
{
	struct _iofunc_lock *list = NULL, *c;

	CHECK_EQ(lk_set(&list, 1, F_RDLCK, 0, 9), 0);
	CHECK_EQ(lk_set(&list, 2, F_RDLCK, 5, 14), 0);	/* read locks share */
	CHECK_STR(show(list), "1:r:0-9 2:r:5-14");
	CHECK(lk_conflict(list, 3, F_RDLCK, 0, LK_EOF) == NULL);
	c = lk_conflict(list, 3, F_WRLCK, 12, 20);
	CHECK(c != NULL && c->lk_pid == 2);
	c = lk_conflict(list, 2, F_WRLCK, 0, 20);	/* its own lock is no conflict */
	CHECK(c != NULL && c->lk_pid == 1);
	CHECK(lk_conflict(list, 3, F_WRLCK, 15, LK_EOF) == NULL);	/* just past */
	CHECK_EQ(lk_set(&list, 3, F_WRLCK, 20, LK_EOF), 0);
	c = lk_conflict(list, 1, F_RDLCK, 1000000, 1000000);
	CHECK(c != NULL && c->lk_pid == 3);
	CHECK(lk_conflict(list, 1, F_RDLCK, 15, 19) == NULL);
	CHECK_EQ(lk_count(list), 3);
	CHECK_EQ(lk_drop(&list, 2), 1);
	CHECK_EQ(lk_drop(&list, -1), 2);
	CHECK(list == NULL);
}

UNIT_TEST(split_and_cut)
{
	struct _iofunc_lock *list = NULL;

	CHECK_EQ(lk_set(&list, 1, F_WRLCK, 0, 99), 0);
	CHECK_EQ(lk_set(&list, 1, F_UNLCK, 40, 59), 0);	/* a hole: split */
	CHECK_STR(show(list), "1:w:0-39 1:w:60-99");
	CHECK_EQ(lk_set(&list, 1, F_RDLCK, 30, 69), 0);	/* across the hole: cut both */
	CHECK_STR(show(list), "1:w:0-29 1:r:30-69 1:w:70-99");
	CHECK_EQ(lk_set(&list, 1, F_WRLCK, 50, 50), 0);	/* one byte inside the read lock */
	CHECK_STR(show(list), "1:w:0-29 1:r:30-49 1:w:50-50 1:r:51-69 1:w:70-99");
	CHECK_EQ(lk_set(&list, 1, F_UNLCK, 0, LK_EOF), 0);
	CHECK(list == NULL);
	CHECK_EQ(lk_set(&list, 1, F_UNLCK, 0, 10), 0);	/* nothing to unlock: fine */
	CHECK(list == NULL);
}

UNIT_TEST(merge)
{
	struct _iofunc_lock *list = NULL;

	CHECK_EQ(lk_set(&list, 1, F_RDLCK, 10, 19), 0);
	CHECK_EQ(lk_set(&list, 1, F_RDLCK, 30, 39), 0);
	CHECK_EQ(lk_set(&list, 2, F_RDLCK, 15, 34), 0);	/* another owner: not merged */
	CHECK_EQ(lk_set(&list, 1, F_RDLCK, 20, 29), 0);	/* touches both: one lock */
	CHECK_STR(show(list), "1:r:10-39 2:r:15-34");
	CHECK_EQ(lk_set(&list, 1, F_RDLCK, 40, LK_EOF), 0);	/* adjacent, to EOF */
	CHECK_STR(show(list), "1:r:10-E 2:r:15-34");
	CHECK_EQ(lk_set(&list, 1, F_WRLCK, 0, 9), 0);	/* adjacent but another type */
	CHECK_STR(show(list), "1:w:0-9 1:r:10-E 2:r:15-34");
	CHECK_EQ(lk_set(&list, 1, F_WRLCK, 5, 12), 0);	/* merges with 0-9, cuts the read */
	CHECK_STR(show(list), "1:w:0-12 1:r:13-E 2:r:15-34");
	CHECK_EQ(lk_set(&list, 1, F_RDLCK, 0, 12), 0);	/* downgrade: one read lock again */
	CHECK_STR(show(list), "1:r:0-E 2:r:15-34");
	CHECK_EQ(lk_set(&list, 1, F_UNLCK, 100, LK_EOF), 0);
	CHECK_STR(show(list), "1:r:0-99 2:r:15-34");
	CHECK_EQ(lk_drop(&list, -1), 2);
}

UNIT_TEST(many_owners)
{
	struct _iofunc_lock *list = NULL;

	for (int p = 1; p <= 50; p++)
		CHECK_EQ(lk_set(&list, p, F_RDLCK, p * 10, p * 10 + 4), 0);
	for (int p = 1; p <= 50; p++)
		CHECK_EQ(lk_set(&list, p, F_UNLCK, p * 10 + 2, p * 10 + 2), 0);	/* split each */
	CHECK_EQ(lk_count(list), 100);
	for (const struct _iofunc_lock *l = list; l && l->lk_next; l = l->lk_next)
		CHECK(l->lk_start <= l->lk_next->lk_start);	/* still sorted */
	CHECK(lk_conflict(list, 99, F_WRLCK, 12, 12) == NULL);
	CHECK(lk_conflict(list, 99, F_WRLCK, 13, 13) != NULL);
	CHECK_EQ(lk_drop(&list, 7), 2);
	CHECK_EQ(lk_drop(&list, -1), 98);
}
