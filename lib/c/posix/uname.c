/*
 * uname: taskman's _SYS_UNAME (docs/taskman.md, "System services"), whose
 * reply has the layout of musl's struct utsname.
 */
#include <sys/procmsg.h>
#include <sys/utsname.h>
#include "px.h"

_Static_assert(sizeof(struct utsname) == sizeof(struct _sys_uname_reply),
    "_SYS_UNAME's reply is struct utsname");

/* SYS_uname: 0 with *u filled, or -errno (ENOSYS without taskman). */
long __px_uname(struct utsname *u)
{
	struct _msg_hdr m = { .type = _SYS_UNAME, .subtype = 0 };
	long r = __px_sysmgr_send(&m, sizeof(m), u, sizeof(*u));

	return r < 0 ? r : 0;
}
