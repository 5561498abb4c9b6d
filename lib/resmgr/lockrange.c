/*
 * lockrange.c - record-lock ranges (lockrange.h): conflicts, and setting
 * a range with the cutting, splitting and merging POSIX asks for.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include "lockrange.h"

int lk_range(int64_t base, int64_t l_start, int64_t l_len, int64_t *start, int64_t *end)
{
	int64_t s, e;

	if (__builtin_add_overflow(base, l_start, &s))
		return EOVERFLOW;
	if (l_len > 0) {
		if (__builtin_add_overflow(s, l_len - 1, &e))
			return EOVERFLOW;
	} else if (l_len == 0) {
		e = LK_EOF;
	} else {
		int64_t first;

		if (__builtin_add_overflow(s, l_len, &first))
			return EINVAL;	/* before byte 0, far */
		e = s - 1;	/* s > first >= INT64_MIN */
		s = first;
	}
	if (s < 0 || e < s)
		return EINVAL;
	*start = s, *end = e;
	return 0;
}

static int overlaps(const struct _iofunc_lock *l, int64_t start, int64_t end)
{
	return l->lk_start <= end && l->lk_end >= start;
}

/* Overlaps or is adjacent to [start, end] (LK_EOF + 1 does not exist). */
static int touches(const struct _iofunc_lock *l, int64_t start, int64_t end)
{
	return (end == LK_EOF || l->lk_start <= end + 1) &&
	    (l->lk_end == LK_EOF || l->lk_end + 1 >= start);
}

struct _iofunc_lock *lk_conflict(struct _iofunc_lock *list, pid_t pid, int type,
    int64_t start, int64_t end)
{
	for (struct _iofunc_lock *l = list; l && l->lk_start <= end; l = l->lk_next)
		if (l->lk_pid != pid && overlaps(l, start, end) &&
		    (type == F_WRLCK || l->lk_type == F_WRLCK))
			return l;
	return NULL;
}

static void insert(struct _iofunc_lock **list, struct _iofunc_lock *n)
{
	while (*list && (*list)->lk_start <= n->lk_start)
		list = &(*list)->lk_next;
	n->lk_next = *list;
	*list = n;
}

/* Merge pid's locks of type that touch [*start, *end] into it (they go). */
static void absorb(struct _iofunc_lock **pp, pid_t pid, int type, int64_t *start, int64_t *end)
{
	while (*pp) {
		struct _iofunc_lock *l = *pp;

		if (l->lk_pid == pid && l->lk_type == type && touches(l, *start, *end)) {
			if (l->lk_start < *start)
				*start = l->lk_start;
			if (l->lk_end > *end)
				*end = l->lk_end;
			*pp = l->lk_next;
			free(l);
		} else {
			pp = &l->lk_next;
		}
	}
}

/*
 * Cut [start, end] out of pid's locks.  One lock may have to be split
 * (spare: its second half) and one may start again after end (*moved:
 * taken off the list, to go back in order).  Returns whether spare was used.
 */
static int cut(struct _iofunc_lock **pp, pid_t pid, int64_t start, int64_t end,
    struct _iofunc_lock *spare, struct _iofunc_lock **moved)
{
	int used = 0;

	while (*pp) {
		struct _iofunc_lock *l = *pp;

		if (l->lk_pid != pid || !overlaps(l, start, end)) {
			pp = &l->lk_next;
		} else if (l->lk_start >= start && l->lk_end <= end) {
			*pp = l->lk_next;
			free(l);
		} else if (l->lk_start < start && l->lk_end > end) {
			*spare = (struct _iofunc_lock){ NULL, pid, l->lk_type, end + 1, l->lk_end };
			l->lk_end = start - 1;
			used = 1;
			pp = &l->lk_next;
		} else if (l->lk_start < start) {
			l->lk_end = start - 1;
			pp = &l->lk_next;
		} else {
			l->lk_start = end + 1;
			*pp = l->lk_next;
			*moved = l;
		}
	}
	return used;
}

int lk_set(struct _iofunc_lock **list, pid_t pid, int type, int64_t start, int64_t end)
{
	struct _iofunc_lock *n = malloc(sizeof(*n)), *spare = malloc(sizeof(*spare));
	struct _iofunc_lock *moved = NULL;

	if (n == NULL || spare == NULL) {
		free(n);
		free(spare);
		return ENOMEM;
	}
	if (type != F_UNLCK)
		absorb(list, pid, type, &start, &end);
	if (cut(list, pid, start, end, spare, &moved))
		insert(list, spare);
	else
		free(spare);
	if (moved)
		insert(list, moved);
	if (type == F_UNLCK) {
		free(n);
	} else {
		*n = (struct _iofunc_lock){ NULL, pid, (short)type, start, end };
		insert(list, n);
	}
	return 0;
}

int lk_drop(struct _iofunc_lock **list, pid_t pid)
{
	int n = 0;

	while (*list) {
		struct _iofunc_lock *l = *list;

		if (pid < 0 || l->lk_pid == pid) {
			*list = l->lk_next;
			free(l);
			n++;
		} else {
			list = &l->lk_next;
		}
	}
	return n;
}

int lk_count(const struct _iofunc_lock *list)
{
	int n = 0;

	for (; list; list = list->lk_next)
		n++;
	return n;
}
