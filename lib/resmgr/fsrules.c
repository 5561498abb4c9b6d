/*
 * fsrules.c - the POSIX rules every file system's logic shares
 * (sys/fsrules.h).  No QSOE call: fs-ram's and fs-ext2's host-tested
 * logic links this file as it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/fsrules.h>

#ifndef O_PATH
#define O_PATH		010000000
#endif
#define ACCMODE		3	/* open()'s access mode (musl's O_ACCMODE also holds O_PATH) */

int fs_normpath(const char *in, char *out)
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
			if (len + 1 + n >= FS_PATH_MAX)
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

int fs_walk_next(char **p, char **name, size_t *n, int *last)
{
	char *s = *p + strspn(*p, "/"), *next;

	*name = NULL;
	if (*s == '\0')
		return 0;
	*n = strcspn(s, "/");
	next = s + *n;
	*last = next[strspn(next, "/")] == '\0';
	if (*n > FS_NAME_MAX)
		return ENAMETOOLONG;
	*name = s;
	*p = next;
	return 0;
}

int fs_dotname(const char *name, size_t n)
{
	if (n == 1 && name[0] == '.')
		return 1;
	return n == 2 && name[0] == '.' && name[1] == '.' ? 2 : 0;
}

int fs_follow_link(const char *mount, char *buf, size_t namepos, const char *target,
    const char *rest, char *redirect)
{
	char tmp[2 * FS_PATH_MAX + 8], norm[FS_PATH_MAX];
	size_t mlen = strlen(mount);

	if (target[0] == '/')
		snprintf(tmp, sizeof(tmp), "%s/%s", target, rest);
	else
		snprintf(tmp, sizeof(tmp), "%s/%.*s%s/%s", mount, (int)namepos, buf, target, rest);
	if (strlen(tmp) >= FS_PATH_MAX || fs_normpath(tmp, norm) != 0)
		return ENAMETOOLONG;
	if (strncmp(norm, mount, mlen) == 0 && (norm[mlen] == '/' || norm[mlen] == '\0')) {
		const char *in = norm + mlen;

		in += strspn(in, "/");
		memmove(buf, in, strlen(in) + 1);
		return 0;
	}
	strcpy(redirect, norm);
	return FS_REDIRECT;
}

int fs_open_check(mode_t mode, unsigned ioflag, int dirflag, unsigned *want)
{
	unsigned acc = ioflag & ACCMODE;

	if (S_ISLNK(mode) && !((ioflag & O_PATH) && (ioflag & O_NOFOLLOW)))
		return ELOOP;
	if (!S_ISDIR(mode) && ((ioflag & O_DIRECTORY) || dirflag))
		return ENOTDIR;
	if (S_ISDIR(mode) && (acc != O_RDONLY || (ioflag & (O_TRUNC | O_CREAT))))
		return EISDIR;
	*want = (ioflag & O_PATH) ? 0 : (acc != O_WRONLY ? 4 : 0) |
	    (acc != O_RDONLY || (ioflag & O_TRUNC) ? 2 : 0);
	return 0;
}

int fs_mknod_check(mode_t *mode)
{
	if ((*mode & S_IFMT) == 0)
		*mode |= S_IFREG;
	return S_ISDIR(*mode) || S_ISREG(*mode) || S_ISFIFO(*mode) ? 0 : EPERM;
}

int fs_sticky_ok(uid_t euid, mode_t dirmode, uid_t diruid, uid_t uid)
{
	return !(dirmode & S_ISVTX) || euid == 0 || euid == uid || euid == diruid;
}

int fs_utimens_check(const struct timespec ts[2], int owner, int writable)
{
	int set = 0;

	for (int i = 0; i < 2; i++) {
		long ns = ts[i].tv_nsec;

		if (ns != FS_UTIME_NOW && ns != FS_UTIME_OMIT && (ns < 0 || ns >= 1000000000L))
			return EINVAL;
		if (ns != FS_UTIME_NOW && ns != FS_UTIME_OMIT)
			set = 1;
	}
	if (set ? !owner : (!owner && !writable))
		return set ? EPERM : EACCES;
	return 0;
}
