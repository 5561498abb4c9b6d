/*
 * taskman/common/spawnmsg.h - decoding a _PROC_SPAWN message
 * (sys/procmsg.h) and building the new program's initial stack.
 *
 * Generic (no kernel calls).  The decoder trusts nothing: every count
 * and length is checked against the bytes received before anything is
 * used, so a malformed message gets EINVAL and never a read outside it.
 */
#ifndef TM_SPAWNMSG_H
#define TM_SPAWNMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/procmsg.h>
#include "elfaux.h"

struct spawn_req {
	const struct _proc_spawn *sr_msg;	/* the header */
	const char	*sr_path;		/* NUL-terminated, absolute */
	const char	*sr_strings;		/* argc + envc NUL-terminated strings */
	size_t		sr_strings_len;
	uint32_t	sr_argc, sr_envc;
	const struct _proc_spawn_fd *sr_fds;	/* 8-aligned if the message is */
	uint32_t	sr_nfds;
	const char	*sr_stdio;		/* _AT_QSOE_STDIO (the script's reopen), or NULL */
	int		sr_ctty;		/* _AT_QSOE_CTTY (the script's session) */
};

/*
 * Decode and check a _PROC_SPAWN (or _PROC_EXEC: the same layout) message
 * of len bytes at msg (8-aligned).
 * 0 and *r, or -EINVAL (malformed: sizes, counts, NULs, reserved fields,
 * flags, duplicate fds) or -E2BIG (more than _SPAWN_ARGS_MAX bytes or
 * _SPAWN_ARGC_MAX strings).
 */
int spawnmsg_decode(const void *msg, size_t len, struct spawn_req *r);

/* What the new program learns through auxv besides its arguments. */
struct spawn_aux {
	uint64_t	sa_entry;	/* AT_ENTRY */
	int		sa_uid, sa_euid, sa_gid, sa_egid;
	int		sa_ppid;	/* _AT_QSOE_PPID */
	const char	*sa_cwd;	/* _AT_QSOE_CWD, or NULL: "/" */
	uint8_t		sa_random[16];	/* AT_RANDOM's bytes */
	struct elf_phdrs sa_ph;		/* AT_PHDR/PHENT/PHNUM (copied to the stack
					   unless ep_vaddr says where they are loaded) */
};

/*
 * Build the initial stack (the layout sys/procmsg.h documents) for
 * request r into the last bytes of buf (size bytes), which will be
 * mapped so that buf + size is the address top.  Returns the bytes used
 * (from the new sp to top; sp = top - used, 16-aligned), or -E2BIG if
 * it does not fit.
 */
long spawnmsg_stack(const struct spawn_req *r, const struct spawn_aux *aux,
    uint8_t *buf, size_t size, uint64_t top);

#endif
