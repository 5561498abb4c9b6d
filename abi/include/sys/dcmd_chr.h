/*
 * <sys/dcmd_chr.h> - the devctl commands of character devices (terminals),
 * as QNX's <sys/dcmd_chr.h> names them.  One source of truth for libc,
 * which turns the termios and tty ioctls into these (lib/c/posix/tty.c),
 * and for the servers that answer them (drivers/devc-ns16550).
 *
 * A dcmd carries its direction and data size (<sys/iomsg.h>,
 * _DEVCTL_DATA_TO/_FROM, _DEVCTL_SIZE): the data is struct termios
 * (musl's Linux layout, 60 bytes), struct winsize (8) or an int (4).
 * A server that is not a terminal answers ENOTTY (libresmgr's default),
 * which is what isatty() and tcgetattr() report.
 */
#ifndef _SYS_DCMD_CHR_H
#define _SYS_DCMD_CHR_H

#include <sys/iomsg.h>

#define _DCMD_CHR		0x0c	/* the class */
#define __DCMD_CHR(dir, size, code) \
	((int32_t)((dir) | ((uint32_t)(size) << 16) | (_DCMD_CHR << 8) | (code)))

#define _DCMD_CHR_TERMIOS_SIZE	60	/* sizeof(struct termios), checked by libc */

/* tcgetattr / tcsetattr (TCSANOW, TCSADRAIN, TCSAFLUSH) */
#define DCMD_CHR_TCGETATTR	__DCMD_CHR(_DEVCTL_DATA_FROM, _DCMD_CHR_TERMIOS_SIZE, 1)
#define DCMD_CHR_TCSETATTR	__DCMD_CHR(_DEVCTL_DATA_TO, _DCMD_CHR_TERMIOS_SIZE, 2)
#define DCMD_CHR_TCSETATTRD	__DCMD_CHR(_DEVCTL_DATA_TO, _DCMD_CHR_TERMIOS_SIZE, 3)
#define DCMD_CHR_TCSETATTRF	__DCMD_CHR(_DEVCTL_DATA_TO, _DCMD_CHR_TERMIOS_SIZE, 4)
/* tcflush (int: TCIFLUSH, TCOFLUSH, TCIOFLUSH), tcflow (int: TCOOFF .. TCION), tcdrain */
#define DCMD_CHR_TCFLUSH	__DCMD_CHR(_DEVCTL_DATA_TO, 4, 5)
#define DCMD_CHR_TCFLOW		__DCMD_CHR(_DEVCTL_DATA_TO, 4, 6)
#define DCMD_CHR_TCDRAIN	__DCMD_CHR(0, 0, 7)
/* TIOCGWINSZ / TIOCSWINSZ (struct winsize) */
#define DCMD_CHR_GETSIZE	__DCMD_CHR(_DEVCTL_DATA_FROM, 8, 8)
#define DCMD_CHR_SETSIZE	__DCMD_CHR(_DEVCTL_DATA_TO, 8, 9)
/* tcgetpgrp / tcsetpgrp (int pgid), tcgetsid (int sid) */
#define DCMD_CHR_TCGETPGRP	__DCMD_CHR(_DEVCTL_DATA_FROM, 4, 10)
#define DCMD_CHR_TCSETPGRP	__DCMD_CHR(_DEVCTL_DATA_TO, 4, 11)
#define DCMD_CHR_TCGETSID	__DCMD_CHR(_DEVCTL_DATA_FROM, 4, 12)
/* TIOCSCTTY (int: 1 = steal it, root only), TIOCNOTTY */
#define DCMD_CHR_TCSETCTTY	__DCMD_CHR(_DEVCTL_DATA_TO, 4, 13)
#define DCMD_CHR_TCNOTTY	__DCMD_CHR(0, 0, 14)
/* FIONREAD (int: bytes a read would get now) */
#define DCMD_CHR_FIONREAD	__DCMD_CHR(_DEVCTL_DATA_FROM, 4, 15)

#endif
