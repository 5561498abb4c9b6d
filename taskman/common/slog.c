/*
 * taskman/common/slog.c - the system log's ring.  See slog.h.
 */
#include "slog.h"

#include <abi/errno.h>
#include <string.h>

static size_t
align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

void
slog_init(struct slog *l)
{
	l->sl_first = l->sl_next = 1;
}

uint64_t
slog_add(struct slog *l, uint64_t time, int pid, const char *name, int opcode,
    int severity, const char *text, size_t len)
{
	uint64_t seq = l->sl_next++;
	struct slog_slot *s = &l->sl_slot[seq % _SLOG_ENTRIES];
	struct _slog_entry *e = &s->ss_hdr;

	if (len > _SLOG_TEXT_MAX)
		len = _SLOG_TEXT_MAX;
	len = strnlen(text, len);
	memset(e, 0, sizeof(*e));
	e->se_seq = seq;
	e->se_time = time;
	e->se_pid = pid;
	e->se_opcode = opcode;
	e->se_severity = (uint8_t)(severity < 0 ? 0 : severity > 7 ? 7 : severity);
	e->se_len = (uint16_t)len;
	e->se_size = (uint32_t)align8(sizeof(*e) + len);
	if (name)
		strncpy(e->se_name, name, sizeof(e->se_name) - 1);
	memcpy(s->ss_text, text, len);
	if (l->sl_next - l->sl_first > _SLOG_ENTRIES)
		l->sl_first = l->sl_next - _SLOG_ENTRIES;
	return seq;
}

long
slog_read(const struct slog *l, uint64_t seq, void *buf, size_t len)
{
	struct _sys_slog_read_reply *r = buf;
	size_t off = sizeof(*r);

	if (len < _SLOG_READ_MIN)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->rr_first = l->sl_first;
	r->rr_next = l->sl_next;
	if (seq < l->sl_first)
		seq = l->sl_first;
	for (; seq < l->sl_next; seq++) {
		const struct slog_slot *s = &l->sl_slot[seq % _SLOG_ENTRIES];
		size_t sz = s->ss_hdr.se_size;
		char *p = (char *)buf + off;

		if (off + sz > len)
			break;
		memcpy(p, &s->ss_hdr, sizeof(s->ss_hdr));
		memcpy(p + sizeof(s->ss_hdr), s->ss_text, s->ss_hdr.se_len);
		memset(p + sizeof(s->ss_hdr) + s->ss_hdr.se_len, 0,
		    sz - sizeof(s->ss_hdr) - s->ss_hdr.se_len);
		off += sz;
		r->rr_count++;
	}
	r->rr_bytes = (uint32_t)(off - sizeof(*r));
	return (long)off;
}

int
slog_has(const struct slog *l, uint64_t seq)
{
	return (seq > l->sl_first ? seq : l->sl_first) < l->sl_next;
}

void
slog_clear(struct slog *l)
{
	l->sl_first = l->sl_next;
}

int
slog_check_write(const void *msg, size_t len, const char **text)
{
	const struct _sys_slog *m = msg;

	if (len < sizeof(*m) || m->type != _SYS_SLOG || m->subtype != _SLOG_WRITE ||
	    m->sl_zero != 0 || m->sl_zero2 != 0 || m->sl_severity > _SLOG_SEVERITY_MAX ||
	    m->sl_len > _SLOG_TEXT_MAX || len != sizeof(*m) + m->sl_len)
		return -EINVAL;
	*text = (const char *)(m + 1);
	if (memchr(*text, '\0', m->sl_len) != NULL)
		return -EINVAL;
	return 0;
}
