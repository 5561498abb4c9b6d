/*
 * umask: the mask is taskman's (_PROC_UMASK), kept per process and
 * inherited as QNX's procnto keeps it.  libc applies it to the mode of
 * open(O_CREAT) and mkdir, so every server gets the masked mode.  The
 * mask is cached after the first answer: only this process changes it,
 * a fork child has the same one, and exec starts a new image.
 */
#include <sys/procmsg.h>
#include "px.h"

static int cached = -1;		/* the mask, or -1: not asked yet */

/* SYS_umask: set the mask to mask & 0777; the old mask, or -errno. */
long __px_umask(unsigned mask)
{
	struct _proc_umask m = { .type = _PROC_UMASK, .subtype = _PROC_UMASK_SET,
	    .um_mask = mask & 0777 };
	long r = __px_sysmgr_send(&m, sizeof(m), 0, 0);

	if (r >= 0)
		__atomic_store_n(&cached, (int)(mask & 0777), __ATOMIC_RELAXED);
	return r;
}

/* mode less the umask; mode itself if taskman cannot say (the first process). */
unsigned __px_create_mode(unsigned mode)
{
	struct _proc_umask m = { .type = _PROC_UMASK, .subtype = _PROC_UMASK_GET };
	int c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
	long r;

	if (c < 0) {
		if ((r = __px_sysmgr_send(&m, sizeof(m), 0, 0)) < 0)
			return mode;
		c = (int)r;
		__atomic_store_n(&cached, c, __ATOMIC_RELAXED);
	}
	return mode & ~(unsigned)c;
}
