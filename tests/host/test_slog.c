// uses: taskman/common/slog.c
/*
 * Host tests of the system log's ring (taskman/common/slog.c): entries
 * come back in order with their fields; a full ring drops the oldest and
 * says where it starts; a small reply buffer takes whole records only;
 * clearing keeps the numbering; _SLOG_WRITE messages are checked strictly
 * (every truncation, bad severity, NUL, reserved fields, a fuzz loop).
 */
#include "unit.h"
#include <errno.h>
#include <stdlib.h>
#include "../../taskman/common/slog.h"

static struct slog lg;
static uint64_t rbuf[(_SLOG_READ_MIN * 8) / 8];

static const struct _slog_entry *
rec(size_t off)
{
	return (const struct _slog_entry *)((char *)rbuf + off);
}

UNIT_TEST(add_and_read)
{
	const struct _sys_slog_read_reply *r = (void *)rbuf;
	const struct _slog_entry *e;
	long n;

	slog_init(&lg);
	CHECK_EQ(slog_has(&lg, 0), 0);
	CHECK_EQ(slog_add(&lg, 1000, 42, "prog", 7, 3, "hello", 5), 1);
	CHECK_EQ(slog_add(&lg, 2000, 43, "other", 0, 9, "x\0y", 3), 2);	/* severity cut, text at NUL */
	CHECK(slog_has(&lg, 2));
	CHECK(!slog_has(&lg, 3));
	n = slog_read(&lg, 0, rbuf, sizeof(rbuf));
	CHECK_EQ(r->rr_first, 1);
	CHECK_EQ(r->rr_next, 3);
	CHECK_EQ(r->rr_count, 2);
	e = rec(sizeof(*r));
	CHECK_EQ(e->se_seq, 1);
	CHECK_EQ(e->se_time, 1000);
	CHECK_EQ(e->se_pid, 42);
	CHECK_EQ(e->se_opcode, 7);
	CHECK_EQ(e->se_severity, 3);
	CHECK_EQ(e->se_len, 5);
	CHECK_EQ(e->se_size, 72);
	CHECK_STR(e->se_name, "prog");
	CHECK(memcmp(e + 1, "hello\0\0\0", 8) == 0);
	e = rec(sizeof(*r) + 72);
	CHECK_EQ(e->se_seq, 2);
	CHECK_EQ(e->se_severity, 7);
	CHECK_EQ(e->se_len, 1);
	CHECK_EQ(n, (long)(sizeof(*r) + 72 + 72));
	CHECK_EQ(r->rr_bytes, 144);
	/* From 2 on; past the end: nothing. */
	slog_read(&lg, 2, rbuf, sizeof(rbuf));
	CHECK_EQ(r->rr_count, 1);
	CHECK_EQ(rec(sizeof(*r))->se_seq, 2);
	CHECK_EQ(slog_read(&lg, 3, rbuf, sizeof(rbuf)), (long)sizeof(*r));
	CHECK_EQ(r->rr_count, 0);
	CHECK_EQ(slog_read(&lg, 0, rbuf, _SLOG_READ_MIN - 1), -EINVAL);
}

UNIT_TEST(long_text_and_name)
{
	char big[600], name[64];
	const struct _slog_entry *e = rec(sizeof(struct _sys_slog_read_reply));

	memset(big, 'a', sizeof(big));
	memset(name, 'n', sizeof(name));
	name[63] = '\0';
	slog_init(&lg);
	slog_add(&lg, 0, 1, name, 0, 0, big, sizeof(big));
	CHECK(slog_read(&lg, 1, rbuf, _SLOG_READ_MIN) == (long)_SLOG_READ_MIN);
	CHECK_EQ(e->se_len, _SLOG_TEXT_MAX);
	CHECK_EQ(e->se_size, _SLOG_RECORD_MAX);
	CHECK_EQ(strlen(e->se_name), 31);
}

UNIT_TEST(ring_wraps)
{
	const struct _sys_slog_read_reply *r = (void *)rbuf;
	char t[16];
	uint64_t want;
	size_t off;

	slog_init(&lg);
	for (int i = 1; i <= _SLOG_ENTRIES + 10; i++) {
		int k = snprintf(t, sizeof(t), "m%d", i);
		slog_add(&lg, (uint64_t)i, 1, "p", 0, 6, t, (size_t)k);
	}
	CHECK_EQ(lg.sl_first, 11);
	CHECK(!slog_has(&lg, _SLOG_ENTRIES + 11));
	CHECK(slog_has(&lg, 3));	/* older than the ring: the oldest is there */
	/* Read it all in small buffers, following rr_next as sloginfo does. */
	want = 11;
	for (uint64_t seq = 1; seq < lg.sl_next; ) {
		long n = slog_read(&lg, seq, rbuf, _SLOG_READ_MIN);

		CHECK(n > 0);
		CHECK_EQ(r->rr_first, 11);
		CHECK(r->rr_count >= 1);
		for (off = sizeof(*r); off < (size_t)n; off += rec(off)->se_size) {
			snprintf(t, sizeof(t), "m%llu", (unsigned long long)want);
			CHECK_EQ(rec(off)->se_seq, want);
			CHECK(memcmp(rec(off) + 1, t, strlen(t)) == 0);
			want++;
		}
		seq = want;
	}
	CHECK_EQ(want, _SLOG_ENTRIES + 11);
}

UNIT_TEST(clear_keeps_numbers)
{
	const struct _sys_slog_read_reply *r = (void *)rbuf;

	slog_init(&lg);
	slog_add(&lg, 0, 1, "p", 0, 6, "a", 1);
	slog_add(&lg, 0, 1, "p", 0, 6, "b", 1);
	slog_clear(&lg);
	CHECK(!slog_has(&lg, 0));
	slog_read(&lg, 0, rbuf, sizeof(rbuf));
	CHECK_EQ(r->rr_count, 0);
	CHECK_EQ(r->rr_first, 3);
	CHECK_EQ(slog_add(&lg, 0, 1, "p", 0, 6, "c", 1), 3);
	slog_read(&lg, 0, rbuf, sizeof(rbuf));
	CHECK_EQ(r->rr_count, 1);
}

/* Build a _SLOG_WRITE message in an exact-size heap buffer. */
static struct _sys_slog *
wmsg(const char *text, size_t len, size_t *mlen)
{
	struct _sys_slog *m;

	*mlen = sizeof(*m) + len;
	m = calloc(1, *mlen);
	m->type = _SYS_SLOG;
	m->subtype = _SLOG_WRITE;
	m->sl_severity = 5;
	m->sl_len = (uint16_t)len;
	memcpy(m + 1, text, len);
	return m;
}

UNIT_TEST(check_write)
{
	const char *t;
	size_t len;
	struct _sys_slog *m = wmsg("hello", 5, &len);

	CHECK_EQ(slog_check_write(m, len, &t), 0);
	CHECK(t == (const char *)(m + 1));
	for (size_t l = 0; l < len; l++)
		CHECK_EQ(slog_check_write(m, l, &t), -EINVAL);	/* every truncation */
	m->sl_severity = 8;
	CHECK_EQ(slog_check_write(m, len, &t), -EINVAL);
	m->sl_severity = 7;
	m->sl_zero = 1;
	CHECK_EQ(slog_check_write(m, len, &t), -EINVAL);
	m->sl_zero = 0;
	m->sl_zero2 = 1;
	CHECK_EQ(slog_check_write(m, len, &t), -EINVAL);
	m->sl_zero2 = 0;
	m->subtype = _SLOG_READ;
	CHECK_EQ(slog_check_write(m, len, &t), -EINVAL);
	m->subtype = _SLOG_WRITE;
	m->sl_len = 4;					/* not the message's length */
	CHECK_EQ(slog_check_write(m, len, &t), -EINVAL);
	free(m);
	m = wmsg("he\0lo", 5, &len);
	CHECK_EQ(slog_check_write(m, len, &t), -EINVAL);
	free(m);
	m = wmsg("", 0, &len);
	CHECK_EQ(slog_check_write(m, len, &t), 0);	/* empty text is an entry */
	free(m);
	{
		char big[_SLOG_TEXT_MAX + 1];

		memset(big, 'x', sizeof(big));
		m = wmsg(big, sizeof(big), &len);
		CHECK_EQ(slog_check_write(m, len, &t), -EINVAL);
		free(m);
		m = wmsg(big, _SLOG_TEXT_MAX, &len);
		CHECK_EQ(slog_check_write(m, len, &t), 0);
		free(m);
	}
}

UNIT_TEST(check_write_fuzz)
{
	srand(7);
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)(rand() % 300);
		uint8_t *b = malloc(len ? len : 1);
		const char *t;

		for (size_t j = 0; j < len; j++)
			b[j] = (uint8_t)rand();
		if (len >= 4 && (i & 1)) {
			b[0] = _SYS_SLOG, b[1] = 0, b[2] = _SLOG_WRITE, b[3] = 0;
		}
		if (slog_check_write(b, len, &t) == 0) {
			const struct _sys_slog *m = (const void *)b;

			CHECK_EQ(len, sizeof(*m) + m->sl_len);
			CHECK(m->sl_severity <= 7);
		}
		free(b);
	}
}
