/*
 * e2attr.c - fs-ext2's permission checks and attributes (chmod, chown,
 * utimens), the same rules as fs-ram's (docs/ramfs.md), on disk inodes.
 * No QSOE calls.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "e2int.h"

/*
 * libresmgr's rules (sys/iofunc_cred.h) on the effective ids only:
 * fs-ext2 has never counted supplementary groups (nor do chmod's and
 * chown's group checks below).
 */
int e2_access(const struct e2_inode *ip, const struct _client_info *cr, unsigned want)
{
	return iofunc_client_may(cr, ip->i_d.i_mode, e2_uid(ip), e2_gid(ip), want);
}

int e2_sticky_ok(const struct e2_inode *dir, const struct e2_inode *ip,
    const struct _client_info *cr)
{
	return fs_sticky_ok(cr->euid, dir->i_d.i_mode, e2_uid(dir), e2_uid(ip));
}

static int owner_ok(const struct e2_inode *ip, const struct _client_info *cr)
{
	return cr->euid == 0 || cr->euid == e2_uid(ip);
}

int e2_chmod(struct e2fs *fs, const struct _client_info *cr, struct e2_inode *ip, mode_t mode)
{
	int r;

	if ((r = E2_WRITABLE(fs)) != 0)
		return r;
	if (!owner_ok(ip, cr))
		return EPERM;
	mode &= 07777;
	if (cr->euid != 0 && !iofunc_client_ingroup(cr, e2_gid(ip)) && !S_ISDIR(ip->i_d.i_mode))
		mode &= ~(mode_t)S_ISGID;	/* as Linux: not for a group one is not in */
	ip->i_d.i_mode = (uint16_t)((ip->i_d.i_mode & S_IFMT) | mode);
	e2_touch(fs, ip, 4, NULL);
	return e2_iwrite(fs, ip);
}

int e2_chown(struct e2fs *fs, const struct _client_info *cr, struct e2_inode *ip, int uid, int gid)
{
	int r;

	if ((r = E2_WRITABLE(fs)) != 0)
		return r;
	if (cr->euid != 0) {	/* _POSIX_CHOWN_RESTRICTED */
		if (cr->euid != e2_uid(ip) || (uid != -1 && (uid_t)uid != e2_uid(ip)) ||
		    (gid != -1 && !iofunc_client_ingroup(cr, (gid_t)gid) && (gid_t)gid != e2_gid(ip)))
			return EPERM;
	}
	if (uid != -1)
		e2_set_uid(ip, (uid_t)uid);
	if (gid != -1)
		e2_set_gid(ip, (gid_t)gid);
	if ((uid != -1 || gid != -1) && !S_ISDIR(ip->i_d.i_mode))
		ip->i_d.i_mode &= (uint16_t)~(S_ISUID | (ip->i_d.i_mode & 010 ? S_ISGID : 0));
	e2_touch(fs, ip, 4, NULL);
	return e2_iwrite(fs, ip);
}

int e2_utimens(struct e2fs *fs, const struct _client_info *cr, struct e2_inode *ip,
    const struct timespec ts[2])
{
	int r;

	if ((r = E2_WRITABLE(fs)) != 0 ||
	    (r = fs_utimens_check(ts, owner_ok(ip, cr), e2_access(ip, cr, 2) == 0)) != 0)
		return r;
	for (int i = 0; i < 2; i++) {
		if (ts[i].tv_nsec == FS_UTIME_NOW)
			e2_touch(fs, ip, i == 0 ? 1 : 2, NULL);
		else if (ts[i].tv_nsec != FS_UTIME_OMIT)
			e2_touch(fs, ip, i == 0 ? 1 : 2, &ts[i]);
	}
	e2_touch(fs, ip, 4, NULL);
	return e2_iwrite(fs, ip);
}
