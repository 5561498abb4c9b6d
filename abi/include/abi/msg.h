/*
 * abi/msg.h - message passing: iov_t, struct _msg_info, struct _pulse,
 * and the channel (_NTO_CHF_*), connection (_NTO_COF_*), message-info
 * (_NTO_MI_*) and pulse-code (_PULSE_CODE_*) values, with QNX Neutrino's
 * names and numbers.  docs/kernel-calls.md says what each one means.
 */
#ifndef ABI_MSG_H
#define ABI_MSG_H

#include <abi/cdefs.h>
#include <abi/sigevent.h>

/* Node descriptor of this machine: the only one there is (no Qnet). */
#define ND_LOCAL_NODE		0

/* ChannelCreate() flags. */
#define _NTO_CHF_FIXED_PRIORITY	0x0001	/* receivers keep their own priority (no inheritance) */
#define _NTO_CHF_UNBLOCK	0x0002	/* a REPLY-blocked client's unblock becomes a pulse */
#define _NTO_CHF_THREAD_DEATH	0x0004	/* pulse when any thread of this process dies */
#define _NTO_CHF_DISCONNECT	0x0008	/* pulse when a client process drops its last connection */
#define _NTO_CHF_NET_MSG	0x0010	/* Qnet: not supported */
#define _NTO_CHF_SENDER_LEN	0x0020	/* fill _msg_info.srcmsglen */
#define _NTO_CHF_COID_DISCONNECT 0x0040	/* pulse when a channel we are connected to goes away */
#define _NTO_CHF_REPLY_LEN	0x0080	/* fill _msg_info.dstmsglen */
#define _NTO_CHF_PRIVATE	0x1000	/* only the owning process may connect */

/* ConnectAttach() flags; ConnectServerInfo() reports them in _server_info.flags. */
#define _NTO_COF_CLOEXEC	0x0001	/* detach on exec */
#define _NTO_COF_DEAD		0x0002	/* (reported) the server side is gone */
#define _NTO_COF_NOSHARE	0x0040	/* not inherited by spawn/fork */
#define _NTO_COF_NETCON		0x0080	/* Qnet: not supported */
#define _NTO_COF_NONBLOCK	0x0100	/* asynchronous messaging: not supported */
#define _NTO_COF_ASYNC		0x0200	/* asynchronous messaging: not supported */
#define _NTO_COF_GLOBAL		0x0400	/* global channels: not supported */

/* ConnectAttach() index: side-channel ids are >= this, apart from fds. */
#define _NTO_SIDE_CHANNEL	0x40000000

/* struct _msg_info.flags */
#define _NTO_MI_ENDIAN_BIG	0x0001	/* sender is big-endian (never on QSOE) */
#define _NTO_MI_ENDIAN_DIFF	0x0002	/* sender's endianness differs (never on QSOE) */
#define _NTO_MI_UNBLOCK_REQ	0x0100	/* the client wants out (see _NTO_CHF_UNBLOCK) */
#define _NTO_MI_NET_CRED_DIRTY	0x0200	/* Qnet: never set */
#define _NTO_MI_CONSTRAINED	0x0400	/* resource-constrained sender: never set */
#define _NTO_MI_CHROOT		0x0800	/* sender is chrooted: never set */
#define _NTO_MI_BITS_64		0x1000	/* sender is a 64-bit process: always set */
#define _NTO_MI_BITS_DIFF	0x2000	/* sender's word size differs: never set */

/* struct _pulse: type/subtype of every pulse, and the codes. */
#define _PULSE_TYPE		0
#define _PULSE_SUBTYPE		0

/* Codes below 0 are the system's; value holds what the comment says. */
#define _PULSE_CODE_UNBLOCK	(-32)	/* rcvid of the client that wants to unblock */
#define _PULSE_CODE_DISCONNECT	(-33)	/* (none); scoid names the client */
#define _PULSE_CODE_THREADDEATH	(-34)	/* tid of the thread that died */
#define _PULSE_CODE_COIDDEATH	(-35)	/* coid whose channel went away */
#define _PULSE_CODE_NET_ACK	(-36)	/* Qnet: never sent */
#define _PULSE_CODE_NET_UNBLOCK	(-37)	/* Qnet: never sent */
#define _PULSE_CODE_NET_DETACH	(-38)	/* Qnet: never sent */
#define _PULSE_CODE_RESTART	(-39)	/* MsgPause(): not supported */
#define _PULSE_CODE_NORESTART	(-40)	/* MsgPause(): not supported */
#define _PULSE_CODE_UNBLOCK_RESTART (-41) /* MsgPause(): not supported */
#define _PULSE_CODE_UNBLOCK_TIMER (-42)	/* QNX 7.1 unblock timer: not supported */
#define _PULSE_CODE_MINAVAIL	0	/* codes a program may use ... */
#define _PULSE_CODE_MAXAVAIL	127	/* ... up to this one */

#ifndef __ASSEMBLER__

/*
 * iov_t is struct iovec, as in QNX 7: readv()/writev() arrays go straight
 * to MsgSendv().  Linux's, musl's and glibc's struct iovec have the same
 * layout and names, so whichever header comes first defines it and sets
 * both libcs' guards.
 */
#if !defined(__DEFINED_struct_iovec) && !defined(__iovec_defined)
struct iovec {
	void		*iov_base;
	size_t		iov_len;
};
#define __DEFINED_struct_iovec	/* musl's guard */
#define __iovec_defined 1	/* glibc's guard */
#endif
typedef struct iovec iov_t;

#define SETIOV(iov, base, len)						\
	((iov)->iov_base = (void *)(base), (iov)->iov_len = (size_t)(len))
#define GETIOVBASE(iov)		((iov)->iov_base)
#define GETIOVLEN(iov)		((iov)->iov_len)

__ABI_SIZE(iov_t, 16, 8);
__ABI_FIELD(iov_t, iov_base, 0, 8);
__ABI_FIELD(iov_t, iov_len, 8, 8);

/*
 * What MsgReceive*()/MsgInfo() report about a message, and (as
 * _server_info) what ConnectServerInfo() reports about a connection.
 * QNX 7's 64-bit layout: priority and flags sit before the 64-bit lengths,
 * so nothing is padded.  The lengths are ssize_t-sized.
 */
struct _msg_info {		/* _msg_info		_server_info */
	uint32_t	nd;	/* client's node: 0	server's node: 0 */
	uint32_t	srcnd;	/* server's node: 0	- */
	int32_t		pid;	/* client process	server process */
	int32_t		tid;	/* client thread	- */
	int32_t		chid;	/* channel it came on	server's channel */
	int32_t		scoid;	/* server connection	server connection */
	int32_t		coid;	/* client's coid	the coid asked about */
	int16_t		priority; /* client's priority	- */
	int16_t		flags;	/* _NTO_MI_*		_NTO_COF_* */
	int64_t		msglen;	/* bytes received	- */
	int64_t		srcmsglen; /* client's send length (_NTO_CHF_SENDER_LEN) */
	int64_t		dstmsglen; /* client's reply room (_NTO_CHF_REPLY_LEN) */
	uint32_t	type_id; /* security type: always 0 */
	uint32_t	reserved; /* always 0 */
};
#define _server_info	_msg_info

__ABI_SIZE(struct _msg_info, 64, 8);
__ABI_FIELD(struct _msg_info, nd, 0, 4);
__ABI_FIELD(struct _msg_info, srcnd, 4, 4);
__ABI_FIELD(struct _msg_info, pid, 8, 4);
__ABI_FIELD(struct _msg_info, tid, 12, 4);
__ABI_FIELD(struct _msg_info, chid, 16, 4);
__ABI_FIELD(struct _msg_info, scoid, 20, 4);
__ABI_FIELD(struct _msg_info, coid, 24, 4);
__ABI_FIELD(struct _msg_info, priority, 28, 2);
__ABI_FIELD(struct _msg_info, flags, 30, 2);
__ABI_FIELD(struct _msg_info, msglen, 32, 8);
__ABI_FIELD(struct _msg_info, srcmsglen, 40, 8);
__ABI_FIELD(struct _msg_info, dstmsglen, 48, 8);
__ABI_FIELD(struct _msg_info, type_id, 56, 4);
__ABI_FIELD(struct _msg_info, reserved, 60, 4);

/*
 * A pulse as MsgReceive*() delivers it (the receive returns 0).  QNX leaves
 * the last four bytes as implicit padding; here they are named, and the
 * kernel writes them as 0.
 */
struct _pulse {
	uint16_t	type;		/* _PULSE_TYPE */
	uint16_t	subtype;	/* _PULSE_SUBTYPE */
	int8_t		code;		/* _PULSE_CODE_* or the sender's code */
	uint8_t		zero[3];	/* always 0 */
	union __abi_sigval value;	/* the sender's value */
	int32_t		scoid;		/* server connection it came through */
	uint32_t	__pad;		/* always 0 */
};

__ABI_SIZE(struct _pulse, 24, 8);
__ABI_FIELD(struct _pulse, type, 0, 2);
__ABI_FIELD(struct _pulse, subtype, 2, 2);
__ABI_FIELD(struct _pulse, code, 4, 1);
__ABI_FIELD(struct _pulse, zero, 5, 3);
__ABI_FIELD(struct _pulse, value, 8, 8);
__ABI_FIELD(struct _pulse, scoid, 16, 4);
__ABI_FIELD(struct _pulse, __pad, 20, 4);

#endif /* !__ASSEMBLER__ */

#endif
