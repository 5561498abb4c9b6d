/*
 * e2alloc.c - fs-ext2's block and inode allocation: the bitmaps (in the
 * block cache), the group descriptors' and the superblock's free counts.
 * Blocks go near a goal (the file's previous block, or its inode's
 * group); directories go to a group with more free inodes than average
 * and the fewest directories (a simple Orlov), files to their
 * directory's group.  No QSOE calls.
 */
#include <errno.h>
#include <sys/stat.h>
#include "e2int.h"

int e2_blk_ok(const struct e2fs *fs, uint32_t blk)
{
	return blk > fs->f_sb.s_first_data_block && blk < fs->f_sb.s_blocks_count;
}

/* Blocks in group g (the last may be short). */
static uint32_t group_blocks(const struct e2fs *fs, uint32_t g)
{
	uint32_t first = fs->f_sb.s_first_data_block + g * fs->f_sb.s_blocks_per_group;
	uint32_t left = fs->f_sb.s_blocks_count - first;

	return left < fs->f_sb.s_blocks_per_group ? left : fs->f_sb.s_blocks_per_group;
}

/* A clear bit in map from bit start (wrapping), below limit; -1 if none. */
static long find_clear(const uint8_t *map, uint32_t limit, uint32_t start)
{
	for (uint32_t k = 0; k < limit; k++) {
		uint32_t i = (start + k) % limit;

		if ((i & 7) == 0 && map[i >> 3] == 0xff && i + 8 <= limit) {
			k += 7;		/* a full byte: skip it */
			continue;
		}
		if (!(map[i >> 3] & (1u << (i & 7))))
			return (long)i;
	}
	return -1;
}

static uint32_t try_group(struct e2fs *fs, uint32_t g, uint32_t start, int *err)
{
	struct e2_group *gd = &fs->f_gd[g];
	struct e2_buf *b;
	long bit;

	if (gd->bg_free_blocks_count == 0)
		return 0;
	if ((b = e2_bread(fs, gd->bg_block_bitmap, err)) == NULL)
		return 0;
	bit = find_clear(b->b_data, group_blocks(fs, g), start);
	if (bit < 0) {
		e2_brelse(fs, b);
		*err = e2_corrupt(fs, "group %u: %u blocks free but its bitmap is full", g,
		    gd->bg_free_blocks_count);
		return 0;
	}
	b->b_data[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	e2_bdirty(b);
	e2_brelse(fs, b);
	gd->bg_free_blocks_count--;
	fs->f_sb.s_free_blocks_count--;
	fs->f_sbdirty = 1;
	return fs->f_sb.s_first_data_block + g * fs->f_sb.s_blocks_per_group + (uint32_t)bit;
}

uint32_t e2_balloc(struct e2fs *fs, uint32_t goal, int *err)
{
	uint32_t bpg = fs->f_sb.s_blocks_per_group, g0, start, blk;

	*err = 0;
	if (fs->f_sb.s_free_blocks_count == 0) {
		*err = ENOSPC;
		return 0;
	}
	if (goal < fs->f_sb.s_first_data_block || goal >= fs->f_sb.s_blocks_count)
		goal = fs->f_sb.s_first_data_block;
	g0 = (goal - fs->f_sb.s_first_data_block) / bpg;
	start = (goal - fs->f_sb.s_first_data_block) % bpg;
	for (uint32_t k = 0; k < fs->f_ngroups; k++) {
		uint32_t g = (g0 + k) % fs->f_ngroups;

		if ((blk = try_group(fs, g, k == 0 ? start : 0, err)) != 0)
			return blk;
		if (*err)
			return 0;
	}
	*err = ENOSPC;
	return 0;
}

int e2_bfree(struct e2fs *fs, uint32_t blk)
{
	uint32_t g, bit;
	struct e2_buf *b;
	int err;

	if (!e2_blk_ok(fs, blk))
		return e2_corrupt(fs, "freeing block %u outside the file system", blk);
	g = (blk - fs->f_sb.s_first_data_block) / fs->f_sb.s_blocks_per_group;
	bit = (blk - fs->f_sb.s_first_data_block) % fs->f_sb.s_blocks_per_group;
	if ((b = e2_bread(fs, fs->f_gd[g].bg_block_bitmap, &err)) == NULL)
		return err;
	if (!(b->b_data[bit >> 3] & (1u << (bit & 7)))) {
		e2_brelse(fs, b);
		return e2_corrupt(fs, "freeing block %u, which is free already", blk);
	}
	b->b_data[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
	e2_bdirty(b);
	e2_brelse(fs, b);
	e2_bforget(fs, blk);
	fs->f_gd[g].bg_free_blocks_count++;
	fs->f_sb.s_free_blocks_count++;
	fs->f_sbdirty = 1;
	return 0;
}

/* The group for a new inode of mode under directory dir. */
static uint32_t pick_group(struct e2fs *fs, uint32_t dir, mode_t mode)
{
	uint32_t pg = dir ? (dir - 1) / fs->f_sb.s_inodes_per_group : 0, best = pg;
	uint32_t avg = fs->f_sb.s_free_inodes_count / fs->f_ngroups;

	if (!S_ISDIR(mode) || fs->f_ngroups == 1)
		return pg;
	for (uint32_t k = 0; k < fs->f_ngroups; k++) {
		uint32_t g = (pg + k) % fs->f_ngroups;
		const struct e2_group *gd = &fs->f_gd[g], *bd = &fs->f_gd[best];

		if (gd->bg_free_inodes_count < avg || gd->bg_free_inodes_count == 0)
			continue;
		if (bd->bg_free_inodes_count < avg || gd->bg_used_dirs_count < bd->bg_used_dirs_count)
			best = g;
	}
	return best;
}

uint32_t e2_ialloc(struct e2fs *fs, uint32_t dir, mode_t mode, int *err)
{
	uint32_t ipg = fs->f_sb.s_inodes_per_group, g0 = pick_group(fs, dir, mode);

	*err = 0;
	for (uint32_t k = 0; k < fs->f_ngroups; k++) {
		uint32_t g = (g0 + k) % fs->f_ngroups, first = g == 0 ? fs->f_sb.s_first_ino - 1 : 0;
		struct e2_group *gd = &fs->f_gd[g];
		struct e2_buf *b;
		long bit;

		if (gd->bg_free_inodes_count == 0)
			continue;
		if ((b = e2_bread(fs, gd->bg_inode_bitmap, err)) == NULL)
			return 0;
		bit = find_clear(b->b_data, ipg, first);
		if (bit >= 0 && (uint32_t)bit < first)
			bit = -1;	/* wrapped into the reserved inodes */
		if (bit < 0) {
			e2_brelse(fs, b);
			continue;
		}
		b->b_data[bit >> 3] |= (uint8_t)(1u << (bit & 7));
		e2_bdirty(b);
		e2_brelse(fs, b);
		gd->bg_free_inodes_count--;
		if (S_ISDIR(mode))
			gd->bg_used_dirs_count++;
		fs->f_sb.s_free_inodes_count--;
		fs->f_sbdirty = 1;
		return g * ipg + (uint32_t)bit + 1;
	}
	*err = ENOSPC;
	return 0;
}

int e2_ifree(struct e2fs *fs, uint32_t ino, int isdir)
{
	uint32_t g = (ino - 1) / fs->f_sb.s_inodes_per_group;
	uint32_t bit = (ino - 1) % fs->f_sb.s_inodes_per_group;
	struct e2_buf *b;
	int err;

	if ((b = e2_bread(fs, fs->f_gd[g].bg_inode_bitmap, &err)) == NULL)
		return err;
	if (!(b->b_data[bit >> 3] & (1u << (bit & 7)))) {
		e2_brelse(fs, b);
		return e2_corrupt(fs, "freeing inode %u, which is free already", ino);
	}
	b->b_data[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
	e2_bdirty(b);
	e2_brelse(fs, b);
	fs->f_gd[g].bg_free_inodes_count++;
	if (isdir && fs->f_gd[g].bg_used_dirs_count)
		fs->f_gd[g].bg_used_dirs_count--;
	fs->f_sb.s_free_inodes_count++;
	fs->f_sbdirty = 1;
	return 0;
}
