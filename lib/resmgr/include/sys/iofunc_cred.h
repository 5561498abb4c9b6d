/*
 * sys/iofunc_cred.h - who a client is, and what the permission bits of an
 * object allow it (docs/resmgr.md, "Permissions").  No QSOE call and no
 * other libresmgr header: a file system's logic that the host tests
 * compile natively (fs/ram/ramfs.c) takes its credentials and its
 * permission checks from here, the same as the servers' (iofunc.c,
 * fsserv.c).  The functions are in lib/resmgr/cred.c.
 */
#ifndef _SYS_IOFUNC_CRED_H
#define _SYS_IOFUNC_CRED_H

#include <sys/types.h>

/*
 * The client's credentials (from taskman: _PROC_GETSETID GETIDS), with its
 * supplementary groups (QNX keeps them in cred.grouplist).
 */
#define _CLIENT_NGROUPS_MAX	32	/* taskman's _PROC_NGROUPS_MAX */

struct _client_info {
	pid_t		pid;
	uid_t		ruid, euid;
	gid_t		rgid, egid;
	int		ngroups;
	gid_t		groups[_CLIENT_NGROUPS_MAX];
};

/* Is gid the client's effective group or one of its supplementary groups? */
int iofunc_client_ingroup(const struct _client_info *info, gid_t gid);

/*
 * The permission bits (4 read, 2 write, 1 execute or search) of mode
 * that apply to info for an object of owner uid and group gid: the
 * owner's, else the group's (effective or supplementary), else others'.
 * No root override: the caller decides that.
 */
unsigned iofunc_client_perms(const struct _client_info *info, mode_t mode, uid_t uid, gid_t gid);

/*
 * May info do want (4 read, 2 write, 1 execute or search, ORed) on an
 * object of mode, owner uid and group gid?  Root (euid 0) may do anything
 * but execute a file that nobody may execute.  0 or EACCES.
 */
int iofunc_client_may(const struct _client_info *info, mode_t mode, uid_t uid, gid_t gid,
    unsigned want);

#endif
