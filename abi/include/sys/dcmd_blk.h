/*
 * <sys/dcmd_blk.h> - the devctl commands of block devices, in QNX's
 * class (_DCMD_BLK), with QSOE's own commands: QNX's block devctls
 * (DCMD_BLK_PARTENTRY, ...) answer questions about io-blk's partitions,
 * which QSOE does not have.  One source of truth for drivers
 * (drivers/devb-virtio) and programs; libc's ioctl() passes these numbers
 * as they are (they encode direction and size as <sys/iomsg.h> says).
 */
#ifndef _SYS_DCMD_BLK_H
#define _SYS_DCMD_BLK_H

#include <sys/iomsg.h>

#define _DCMD_BLK		0x01	/* the class (QNX's) */
#define __DCMD_BLK(dir, size, code) \
	((int32_t)((dir) | ((uint32_t)(size) << 16) | (_DCMD_BLK << 8) | (code)))

/* uint64_t: the device's size in bytes */
#define DCMD_BLK_GETSIZE	__DCMD_BLK(_DEVCTL_DATA_FROM, 8, 0x40)
/* uint32_t: the block size (the device's preferred unit; writes need 512-byte sectors) */
#define DCMD_BLK_GETBLKSIZE	__DCMD_BLK(_DEVCTL_DATA_FROM, 4, 0x41)
/* uint32_t: BLK_FLAG_* */
#define DCMD_BLK_GETFLAGS	__DCMD_BLK(_DEVCTL_DATA_FROM, 4, 0x42)
#define BLK_FLAG_RDONLY		0x1	/* the medium is read-only: writes give EROFS */
#define BLK_FLAG_FLUSH		0x2	/* it has a write cache that fsync flushes */

#endif
