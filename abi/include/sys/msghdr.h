/*
 * sys/msghdr.h - the header every QSOE message starts with, and how the
 * type space is divided.  As in QNX, a server tells messages apart by the
 * first two 16-bit fields:
 *
 *	type		subtype (or, for _IO_* except _IO_CONNECT, combine_len)
 *
 *	0x0000-0x00ff	system manager (taskman): <sys/procmsg.h>
 *	0x0100-0x01ff	I/O messages _IO_*: <sys/iomsg.h>
 *	0x0200-0xffff	free for servers' private protocols
 *
 * A pulse has type 0 and subtype 0 (_PULSE_TYPE/_PULSE_SUBTYPE), which is
 * why no message uses type 0.
 *
 * These headers are part of the seam (../shared/DESIGN.md): libc, libresmgr
 * and taskman share them.  Like abi/, they include only the compiler's
 * headers and each other, and _Static_assert every layout (LP64 only).
 */
#ifndef _SYS_MSGHDR_H
#define _SYS_MSGHDR_H

#include <abi/cdefs.h>

#define _MSG_TYPE_SYSMGR_MIN	0x0001	/* first taskman message type */
#define _MSG_TYPE_SYSMGR_MAX	0x00ff	/* last taskman message type */
#define _MSG_TYPE_IO_MIN	0x0100	/* first _IO_* type */
#define _MSG_TYPE_IO_MAX	0x01ff	/* last _IO_* type */
#define _MSG_TYPE_PRIVATE_MIN	0x0200	/* servers' own protocols from here */

struct _msg_hdr {
	uint16_t	type;		/* which message */
	uint16_t	subtype;	/* which variant (or combine_len for _IO_*) */
};

__ABI_SIZE(struct _msg_hdr, 4, 2);
__ABI_FIELD(struct _msg_hdr, type, 0, 2);
__ABI_FIELD(struct _msg_hdr, subtype, 2, 2);

#endif
