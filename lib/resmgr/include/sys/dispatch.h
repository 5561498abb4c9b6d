/*
 * sys/dispatch.h - libresmgr's message loop, in QNX Neutrino's shape
 * (docs/resmgr.md): a dispatch_t owns the channel; a dispatch_context_t
 * holds one received message; dispatch_block() receives, and
 * dispatch_handler() hands the message to the resource manager layer
 * (<sys/resmgr.h>).  One thread serves; there is no thread pool yet.
 */
#ifndef _SYS_DISPATCH_H
#define _SYS_DISPATCH_H

#include <signal.h>		/* musl's struct sigevent before the ABI's */
#include <stddef.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>

#define _DISPATCH_MSG_MAX	8192	/* receive buffer: a whole _IO_CONNECT fits */

typedef struct _dispatch dispatch_t;
typedef struct _resmgr_context resmgr_context_t;
typedef resmgr_context_t dispatch_context_t;

/*
 * What a handler sees (QNX's resmgr_context_t): the rcvid, the message
 * info, the message (at most _DISPATCH_MSG_MAX bytes of it: the rest is
 * read with resmgr_msgread), and the reply parts a handler fills in
 * before it returns _RESMGR_NPARTS(n).
 */
struct _resmgr_context {
	int			rcvid;		/* 0: a pulse */
	struct _msg_info	info;		/* MsgReceive's */
	dispatch_t		*dpp;		/* the loop it belongs to */
	int			id;		/* attach id the message came for */
	long			status;		/* reply status for _RESMGR_NPARTS */
	size_t			size;		/* bytes of msg actually received */
	iov_t			iov[4];		/* reply parts */
	const void		*io_funcs;	/* the library's: the table in use */
	union {
		struct _msg_hdr	hdr;
		struct _pulse	pulse;
		char		buf[_DISPATCH_MSG_MAX];
	} *msg;					/* the received message */
};

/* A new loop with its own channel (disconnect and unblock pulses on); NULL, errno. */
dispatch_t *dispatch_create(void);

/* The loop's channel id. */
int dispatch_chid(const dispatch_t *dpp);

/* A context to receive into; NULL and errno ENOMEM. */
dispatch_context_t *dispatch_context_alloc(dispatch_t *dpp);
void dispatch_context_free(dispatch_context_t *ctp);

/*
 * Receive one message or pulse (blocks).  Returns ctp, or NULL with errno
 * (EINTR from a signal: call again).
 */
dispatch_context_t *dispatch_block(dispatch_context_t *ctp);

/* Handle what dispatch_block received: always replies or keeps it as the handler said; 0. */
int dispatch_handler(dispatch_context_t *ctp);

/* Stop the loop: the channel is destroyed, attachments go with it. */
int dispatch_destroy(dispatch_t *dpp);

#endif
