/*
 * abi/errno.h - error numbers crossing the seam.
 *
 * The values are musl's (Linux's generic) numbers, so nothing is translated
 * between the kernel, taskman, servers and libc.  Kernel calls return them
 * negated.  One list gives both the numbers and the names (ERRNO_LIST), so
 * strings for diagnostics cannot drift from the values.
 *
 * User code gets the same numbers from musl's <errno.h>; this header defines
 * the macros only where <errno.h> has not.
 */
#ifndef ABI_ERRNO_H
#define ABI_ERRNO_H

#define ERRNO_LIST(X) \
	X(EPERM, 1)  X(ENOENT, 2)  X(ESRCH, 3)   X(EINTR, 4)   X(EIO, 5) \
	X(ENXIO, 6)  X(E2BIG, 7)   X(ENOEXEC, 8) X(EBADF, 9)   X(ECHILD, 10) \
	X(EAGAIN, 11) X(ENOMEM, 12) X(EACCES, 13) X(EFAULT, 14) X(ENOTBLK, 15) \
	X(EBUSY, 16) X(EEXIST, 17) X(EXDEV, 18)  X(ENODEV, 19) X(ENOTDIR, 20) \
	X(EISDIR, 21) X(EINVAL, 22) X(ENFILE, 23) X(EMFILE, 24) X(ENOTTY, 25) \
	X(ETXTBSY, 26) X(EFBIG, 27) X(ENOSPC, 28) X(ESPIPE, 29) X(EROFS, 30) \
	X(EMLINK, 31) X(EPIPE, 32) X(EDOM, 33)   X(ERANGE, 34) X(EDEADLK, 35) \
	X(ENAMETOOLONG, 36) X(ENOLCK, 37) X(ENOSYS, 38) X(ENOTEMPTY, 39) \
	X(ELOOP, 40) X(ENOMSG, 42) X(EIDRM, 43) X(ENOSTR, 60) X(ENODATA, 61) \
	X(ETIME, 62) X(ENOLINK, 67) X(EPROTO, 71) X(EBADMSG, 74) \
	X(EOVERFLOW, 75) X(EILSEQ, 84) X(ENOTSOCK, 88) X(EMSGSIZE, 90) \
	X(ENOTSUP, 95) X(EADDRINUSE, 98) X(ETIMEDOUT, 110) X(ECONNREFUSED, 111) \
	X(EALREADY, 114) X(EINPROGRESS, 115) X(ECANCELED, 125) \
	X(EOWNERDEAD, 130) X(ENOTRECOVERABLE, 131)

#ifndef EPERM
#define ERRNO_DEFINE(name, num) enum { name = num };
ERRNO_LIST(ERRNO_DEFINE)
#undef ERRNO_DEFINE
#endif

#ifndef EWOULDBLOCK
#define EWOULDBLOCK EAGAIN
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP ENOTSUP
#endif

#endif
