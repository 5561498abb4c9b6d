/*
 * drivers/devb-virtio/mbr.c - a disk's MBR partition table: each primary
 * partition becomes /dev/hd<n>t<type> (QNX's names: the partition's type
 * in decimal; a second one of the same type is t<type>.1, and so on).
 * Extended partitions (types 0x05, 0x0f, 0x85) and a GPT's protective
 * entry (0xee) are left out: not done yet (docs/storage.md).
 */
#include <stdio.h>
#include <string.h>
#include "devb.h"

#define MBR_ENTRIES	446		/* byte offset of the four 16-byte entries */

static int
skipped(uint8_t type)
{
	return type == 0 || type == 0x05 || type == 0x0f || type == 0x85 || type == 0xee;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* How many partitions before index i have the same type. */
static int
same_before(const struct disk *dk, int i)
{
	int n = 0;

	for (int j = 0; j < i; j++)
		n += dk->dk_parts[j].bd_attr.rdev == dk->dk_parts[i].bd_attr.rdev;
	return n;
}

int
mbr_scan(struct disk *dk)
{
	uint8_t sec[SECTOR];
	uint64_t nsec = dk->dk_size / SECTOR;

	dk->dk_nparts = 0;
	if (blk_read_sector(dk, 0, sec) != 0 || sec[510] != 0x55 || sec[511] != 0xaa)
		return 0;
	for (int e = 0; e < 4; e++) {
		const uint8_t *ent = sec + MBR_ENTRIES + 16 * e;
		uint64_t lba = le32(ent + 8), count = le32(ent + 12);
		struct bdev *bd = &dk->dk_parts[dk->dk_nparts];

		if (skipped(ent[4]) || count == 0 || lba == 0 || lba + count > nsec)
			continue;		/* empty, not primary, or outside the disk */
		bd->bd_disk = dk;
		bd->bd_base = lba * SECTOR;
		bd->bd_size = count * SECTOR;
		bd->bd_attr.rdev = ent[4];	/* the type, until the names are made */
		dk->dk_nparts++;
	}
	for (int i = 0; i < dk->dk_nparts; i++) {
		struct bdev *bd = &dk->dk_parts[i];
		int k = same_before(dk, i);

		if (k == 0)
			snprintf(bd->bd_name, sizeof(bd->bd_name), "%st%u", dk->dk_name,
			    (unsigned)bd->bd_attr.rdev);
		else
			snprintf(bd->bd_name, sizeof(bd->bd_name), "%st%u.%d", dk->dk_name,
			    (unsigned)bd->bd_attr.rdev, k);
	}
	return dk->dk_nparts;
}
