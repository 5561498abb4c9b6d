/*
 * cred.c - the permission rules every server shares (sys/iofunc_cred.h):
 * group membership, the owner/group/other choice, root's override.  No
 * QSOE call: fs-ram's host-tested logic links this file as it is.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/iofunc_cred.h>

int iofunc_client_ingroup(const struct _client_info *info, gid_t gid)
{
	if (info->egid == gid)
		return 1;
	for (int i = 0; i < info->ngroups; i++)
		if (info->groups[i] == gid)
			return 1;
	return 0;
}

unsigned iofunc_client_perms(const struct _client_info *info, mode_t mode, uid_t uid, gid_t gid)
{
	if (info->euid == uid)
		return (mode >> 6) & 7;
	if (iofunc_client_ingroup(info, gid))
		return (mode >> 3) & 7;
	return mode & 7;
}

int iofunc_client_may(const struct _client_info *info, mode_t mode, uid_t uid, gid_t gid,
    unsigned want)
{
	if (info->euid == 0)	/* root: anything but executing what nobody may */
		return (want & 1) && !S_ISDIR(mode) && !(mode & 0111) ? EACCES : 0;
	return (iofunc_client_perms(info, mode, uid, gid) & want) == want ? 0 : EACCES;
}
