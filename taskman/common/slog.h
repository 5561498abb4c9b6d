/*
 * taskman/common/slog.h - the system log's ring of entries (_SYS_SLOG,
 * sys/procmsg.h): QNX's slogger2 idea, simplified.
 *
 * Generic (no kernel calls; host-tested).  The ring holds the last
 * _SLOG_ENTRIES entries in fixed slots; each new entry gets the next
 * sequence number (from 1; never reused, not even by slog_clear), and the
 * oldest entry goes when the ring is full.  One owner (taskman's one
 * thread): no locking.
 */
#ifndef TM_SLOG_H
#define TM_SLOG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/procmsg.h>

struct slog_slot {
	struct _slog_entry ss_hdr;		/* se_size, se_len filled */
	char		ss_text[_SLOG_TEXT_MAX];
};

struct slog {
	struct slog_slot sl_slot[_SLOG_ENTRIES];	/* seq n lives in slot n % _SLOG_ENTRIES */
	uint64_t	sl_first;	/* oldest held (== sl_next when empty) */
	uint64_t	sl_next;	/* the next entry's number */
};

/* An empty log whose first entry will be number 1. */
void slog_init(struct slog *l);

/*
 * Append an entry; text (len bytes, need not be NUL-terminated) is cut
 * to _SLOG_TEXT_MAX and at its first NUL, name to 31 bytes, severity to
 * 0..7.  Returns its sequence number.  Never fails.
 */
uint64_t slog_add(struct slog *l, uint64_t time, int pid, const char *name, int opcode,
    int severity, const char *text, size_t len);

/*
 * The records of the entries from seq on (from sl_first if older) that
 * fit whole in len bytes at buf, after a struct _sys_slog_read_reply
 * which is filled too.  Returns the bytes used (>= the header), or
 * -EINVAL if len < _SLOG_READ_MIN.
 */
long slog_read(const struct slog *l, uint64_t seq, void *buf, size_t len);

/* Whether an entry numbered seq or later exists. */
int slog_has(const struct slog *l, uint64_t seq);

/* Drop every entry; numbering goes on. */
void slog_clear(struct slog *l);

/*
 * Check a _SLOG_WRITE message of len bytes (8-aligned): 0 and *text,
 * or -EINVAL.
 */
int slog_check_write(const void *msg, size_t len, const char **text);

#endif
