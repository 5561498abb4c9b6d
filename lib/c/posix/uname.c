/*
 * uname: taskman's _SYS_UNAME (docs/taskman.md, "System services"), whose
 * reply has the layout of musl's struct utsname; sethostname: its
 * _SYS_HOSTNAME (musl's gethostname reads uname's nodename).
 */
#include <errno.h>
#include <string.h>
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

/*
 * SYS_sethostname: 0 or -errno: EPERM (not root), EINVAL (empty, a NUL
 * in it), ENAMETOOLONG (more than 64 bytes: not sent), EFAULT.
 */
long __px_sethostname(const char *name, size_t len)
{
	struct {
		struct _sys_hostname h;
		char name[_SYS_HOSTNAME_MAX];
	} m = { .h = { .type = _SYS_HOSTNAME, .subtype = _SYS_HOSTNAME_SET } };

	if (len > _SYS_HOSTNAME_MAX)
		return -ENAMETOOLONG;
	if (len > 0 && name == NULL)
		return -EFAULT;
	memcpy(m.name, name, len);
	m.h.hn_len = (uint32_t)len;
	return __px_sysmgr_send(&m, sizeof(m.h) + len, 0, 0);
}
