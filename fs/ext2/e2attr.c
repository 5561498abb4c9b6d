/*
 * e2attr.c - fs-ext2's permission checks and attributes (chmod, chown,
 * utimens), the same rules as fs-ram's (docs/ramfs.md), on disk inodes.
 * No QSOE calls.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "e2int.h"

#define UTIME_NOW_	((1L << 30) - 1)	/* musl's and Linux's UTIME_NOW */
#define UTIME_OMIT_	((1L << 30) - 2)

int e2_access(const struct e2_inode *ip, const struct e2_cred *cr, unsigned want)
{
	mode_t m = ip->i_d.i_mode;
	unsigned bits;

	if (cr->c_uid == 0)	/* root: anything but executing what nobody may */
		return (want & 1) && !S_ISDIR(m) && !(m & 0111) ? EACCES : 0;
	if (cr->c_uid == e2_uid(ip))
		bits = (m >> 6) & 7;
	else if (cr->c_gid == e2_gid(ip))
		bits = (m >> 3) & 7;
	else
		bits = m & 7;
	return (bits & want) == want ? 0 : EACCES;
}

int e2_sticky_ok(const struct e2_inode *dir, const struct e2_inode *ip,
    const struct e2_cred *cr)
{
	return !(dir->i_d.i_mode & S_ISVTX) || cr->c_uid == 0 || cr->c_uid == e2_uid(ip) ||
	    cr->c_uid == e2_uid(dir);
}

static int owner_ok(const struct e2_inode *ip, const struct e2_cred *cr)
{
	return cr->c_uid == 0 || cr->c_uid == e2_uid(ip);
}

int e2_chmod(struct e2fs *fs, const struct e2_cred *cr, struct e2_inode *ip, mode_t mode)
{
	int r;

	if ((r = E2_WRITABLE(fs)) != 0)
		return r;
	if (!owner_ok(ip, cr))
		return EPERM;
	mode &= 07777;
	if (cr->c_uid != 0 && cr->c_gid != e2_gid(ip) && !S_ISDIR(ip->i_d.i_mode))
		mode &= ~(mode_t)S_ISGID;	/* as Linux: not for a group one is not in */
	ip->i_d.i_mode = (uint16_t)((ip->i_d.i_mode & S_IFMT) | mode);
	e2_touch(fs, ip, 4, NULL);
	return e2_iwrite(fs, ip);
}

int e2_chown(struct e2fs *fs, const struct e2_cred *cr, struct e2_inode *ip, int uid, int gid)
{
	int r;

	if ((r = E2_WRITABLE(fs)) != 0)
		return r;
	if (cr->c_uid != 0) {	/* _POSIX_CHOWN_RESTRICTED */
		if (cr->c_uid != e2_uid(ip) || (uid != -1 && (uid_t)uid != e2_uid(ip)) ||
		    (gid != -1 && (gid_t)gid != cr->c_gid && (gid_t)gid != e2_gid(ip)))
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

int e2_utimens(struct e2fs *fs, const struct e2_cred *cr, struct e2_inode *ip,
    const struct timespec ts[2])
{
	int set = 0, r;

	if ((r = E2_WRITABLE(fs)) != 0)
		return r;
	for (int i = 0; i < 2; i++) {
		long ns = ts[i].tv_nsec;

		if (ns != UTIME_NOW_ && ns != UTIME_OMIT_ && (ns < 0 || ns >= 1000000000L))
			return EINVAL;
		if (ns != UTIME_NOW_ && ns != UTIME_OMIT_)
			set = 1;
	}
	if (set ? !owner_ok(ip, cr) : (!owner_ok(ip, cr) && e2_access(ip, cr, 2) != 0))
		return set ? EPERM : EACCES;
	for (int i = 0; i < 2; i++) {
		if (ts[i].tv_nsec == UTIME_NOW_)
			e2_touch(fs, ip, i == 0 ? 1 : 2, NULL);
		else if (ts[i].tv_nsec != UTIME_OMIT_)
			e2_touch(fs, ip, i == 0 ? 1 : 2, &ts[i]);
	}
	e2_touch(fs, ip, 4, NULL);
	return e2_iwrite(fs, ip);
}

int e2_normpath(const char *in, char *out)
{
	size_t len = 0;

	out[0] = '\0';
	while (*in) {
		size_t n;

		in += strspn(in, "/");
		n = strcspn(in, "/");
		if (n == 0 || (n == 1 && in[0] == '.')) {
			in += n;
			continue;
		}
		if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (len > 0 && out[--len] != '/')
				;
			out[len] = '\0';
		} else {
			if (len + 1 + n >= E2_PATH_MAX)
				return ENAMETOOLONG;
			out[len++] = '/';
			memcpy(out + len, in, n);
			len += n;
			out[len] = '\0';
		}
		in += n;
	}
	if (len == 0)
		strcpy(out, "/");
	return 0;
}
