/*
 * e2data.c - fs-ext2's file data: the block map (twelve direct blocks,
 * then single, double and triple indirect blocks), reading (holes read
 * as zeros), writing (allocating on the way), truncating (freeing whole
 * subtrees), SEEK_DATA/SEEK_HOLE and fsync.  No QSOE calls.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "e2int.h"

/* The most bytes a file may hold: the block tree's reach, i_blocks' 2^32 sectors. */
static int64_t file_max(const struct e2fs *fs)
{
	uint64_t a = fs->f_apb, blocks = 12 + a + a * a + a * a * a;
	uint64_t bytes = blocks * fs->f_bsize, cap = ((uint64_t)1 << 41) - 2 * (1u << 20);

	return (int64_t)(bytes < cap ? bytes : cap);
}

/* The path to lblk: offs[0] in i_block, then one index per indirect level.  Depth or -1. */
static int path(const struct e2fs *fs, uint64_t lblk, uint32_t offs[4])
{
	uint64_t a = fs->f_apb;

	if (lblk < E2_NDIR_BLOCKS) {
		offs[0] = (uint32_t)lblk;
		return 0;
	}
	lblk -= E2_NDIR_BLOCKS;
	if (lblk < a) {
		offs[0] = E2_IND_BLOCK, offs[1] = (uint32_t)lblk;
		return 1;
	}
	lblk -= a;
	if (lblk < a * a) {
		offs[0] = E2_DIND_BLOCK, offs[1] = (uint32_t)(lblk / a), offs[2] = (uint32_t)(lblk % a);
		return 2;
	}
	lblk -= a * a;
	if (lblk < a * a * a) {
		offs[0] = E2_TIND_BLOCK, offs[1] = (uint32_t)(lblk / (a * a));
		offs[2] = (uint32_t)(lblk / a % a), offs[3] = (uint32_t)(lblk % a);
		return 3;
	}
	return -1;
}

/* A new block for ip (zeroed in the cache, counted in i_blocks). */
static uint32_t new_block(struct e2fs *fs, struct e2_inode *ip, int *err)
{
	uint32_t goal = ip->i_goal, blk;
	struct e2_buf *b;

	if (goal == 0)
		goal = fs->f_sb.s_first_data_block + (ip->i_ino - 1) / fs->f_sb.s_inodes_per_group *
		    fs->f_sb.s_blocks_per_group;
	if ((blk = e2_balloc(fs, goal, err)) == 0)
		return 0;
	if ((b = e2_bzero(fs, blk, err)) == NULL) {
		e2_bfree(fs, blk);
		return 0;
	}
	e2_bdirty(b);
	e2_brelse(fs, b);
	ip->i_goal = blk + 1;
	ip->i_d.i_blocks += fs->f_bsize / 512;
	return blk;
}

int e2_bmap(struct e2fs *fs, struct e2_inode *ip, uint64_t lblk, int alloc, uint32_t *pblk)
{
	uint32_t offs[4], blk;
	int depth = path(fs, lblk, offs), r = 0;

	*pblk = 0;
	if (depth < 0)
		return EFBIG;
	if (alloc && (r = E2_WRITABLE(fs)) != 0)
		return r;
	blk = ip->i_d.i_block[offs[0]];
	if (blk == 0) {
		if (!alloc)
			return 0;
		if ((blk = new_block(fs, ip, &r)) == 0)
			return r;
		ip->i_d.i_block[offs[0]] = blk;
		if ((r = e2_iwrite(fs, ip)) != 0)
			return r;
	}
	for (int lv = 1; lv <= depth; lv++) {
		struct e2_buf *b = e2_bread(fs, blk, &r);
		uint32_t *e;

		if (b == NULL)
			return r;
		e = (uint32_t *)b->b_data + offs[lv];
		if (*e && !e2_blk_ok(fs, *e)) {
			e2_brelse(fs, b);
			return e2_corrupt(fs, "inode %u: indirect entry %u out of range", ip->i_ino, *e);
		}
		if (*e == 0 && alloc) {
			uint32_t nb = new_block(fs, ip, &r);

			if (nb == 0) {
				e2_brelse(fs, b);
				return r;
			}
			*e = nb;
			e2_bdirty(b);
			e2_iwrite(fs, ip);
		}
		blk = *e;
		e2_brelse(fs, b);
		if (blk == 0)
			return 0;
	}
	*pblk = blk;
	return 0;
}

/*
 * Before reading data block lblk (at pblk): read ahead the run of blocks
 * that follow it both in the file (up to block last) and on the disk, in
 * one device read.  Sequential reads then go to the disk 64 KiB at a time.
 */
static void ahead(struct e2fs *fs, struct e2_inode *ip, uint64_t lblk, uint32_t pblk,
    uint64_t last)
{
	unsigned n = 1, max = 65536 / fs->f_bsize;
	uint32_t next;

	if (e2_bcached(fs, pblk))
		return;
	while (n < max && lblk + n <= last && e2_bmap(fs, ip, lblk + n, 0, &next) == 0 &&
	    next == pblk + n)
		n++;
	e2_readahead(fs, pblk, n);
}

ssize_t e2_read(struct e2fs *fs, struct e2_inode *ip, int64_t off, void *buf, size_t n)
{
	int64_t size = e2_size(ip);
	size_t done = 0;

	if (off < 0)
		return -EINVAL;
	if (off >= size)
		return 0;
	if ((uint64_t)n > (uint64_t)(size - off))
		n = (size_t)(size - off);
	while (done < n) {
		uint64_t pos = (uint64_t)off + done, lblk = pos / fs->f_bsize;
		uint32_t in = (uint32_t)(pos % fs->f_bsize), pblk;
		size_t len = fs->f_bsize - in < n - done ? fs->f_bsize - in : n - done;
		struct e2_buf *b;
		int r = e2_bmap(fs, ip, lblk, 0, &pblk);

		if (r != 0)
			return done ? (ssize_t)done : -r;
		if (pblk == 0) {
			memset((char *)buf + done, 0, len);
		} else {
			ahead(fs, ip, lblk, pblk, (uint64_t)(size - 1) / fs->f_bsize);
			if ((b = e2_bread(fs, pblk, &r)) == NULL)
				return done ? (ssize_t)done : -r;
			memcpy((char *)buf + done, b->b_data + in, len);
			e2_brelse(fs, b);
		}
		done += len;
	}
	return (ssize_t)done;
}

/* A regular file grew past 2 GiB: the large_file feature must say so. */
static void large_file(struct e2fs *fs, int64_t size)
{
	if (size > 0x7fffffffLL && !(fs->f_sb.s_feature_ro_compat & E2_RO_COMPAT_LARGE_FILE) &&
	    fs->f_sb.s_rev_level >= 1) {
		fs->f_sb.s_feature_ro_compat |= E2_RO_COMPAT_LARGE_FILE;
		fs->f_sbdirty = 1;
	}
}

int e2_write(struct e2fs *fs, struct e2_inode *ip, int64_t off, const void *buf, size_t n,
    size_t *done)
{
	int64_t max = file_max(fs);
	int r = 0;

	*done = 0;
	if ((r = E2_WRITABLE(fs)) != 0)
		return r;
	if (off < 0)
		return EINVAL;
	if (off >= max)
		return n ? EFBIG : 0;
	if ((uint64_t)n > (uint64_t)(max - off))
		n = (size_t)(max - off);
	while (*done < n) {
		uint64_t pos = (uint64_t)off + *done, lblk = pos / fs->f_bsize;
		uint32_t in = (uint32_t)(pos % fs->f_bsize), pblk;
		size_t len = fs->f_bsize - in < n - *done ? fs->f_bsize - in : n - *done;
		struct e2_buf *b;

		if ((r = e2_bmap(fs, ip, lblk, 1, &pblk)) != 0)
			break;
		b = len == fs->f_bsize ? e2_bzero(fs, pblk, &r) : e2_bread(fs, pblk, &r);
		if (b == NULL)
			break;
		memcpy(b->b_data + in, (const char *)buf + *done, len);
		e2_bdirty(b);
		e2_brelse(fs, b);
		*done += len;
	}
	if (*done) {
		if (off + (int64_t)*done > e2_size(ip)) {
			e2_set_size(ip, off + (int64_t)*done);
			large_file(fs, e2_size(ip));
		}
		e2_touch(fs, ip, 6, NULL);
		if (e2_iwrite(fs, ip) != 0 && r == 0)
			r = EIO;
	}
	return r;
}

static uint64_t span_of(const struct e2fs *fs, int level)
{
	uint64_t s = 1;

	while (level-- > 0)
		s *= fs->f_apb;
	return s;
}

/* Free what *slot maps (level indirections, logical blocks from base) at or past from. */
static int trim(struct e2fs *fs, struct e2_inode *ip, uint32_t *slot, int level, uint64_t base,
    uint64_t from)
{
	uint64_t span = span_of(fs, level);
	int r = 0;

	if (*slot == 0 || base + span <= from)
		return 0;
	if (!e2_blk_ok(fs, *slot))
		return e2_corrupt(fs, "inode %u: block %u out of range", ip->i_ino, *slot);
	if (level > 0) {
		struct e2_buf *b = e2_bread(fs, *slot, &r);
		uint64_t per = span / fs->f_apb;
		int changed = 0;

		if (b == NULL)
			return r;
		for (uint32_t i = 0; i < fs->f_apb && r == 0; i++) {
			uint32_t *e = (uint32_t *)b->b_data + i;

			if (*e == 0 || base + (i + 1) * per <= from)
				continue;
			r = trim(fs, ip, e, level - 1, base + i * per, from);
			changed = 1;
		}
		if (changed)
			e2_bdirty(b);
		e2_brelse(fs, b);
		if (r != 0 || base < from)
			return r;
	}
	if ((r = e2_bfree(fs, *slot)) != 0)
		return r;
	*slot = 0;
	ip->i_d.i_blocks -= fs->f_bsize / 512;
	return 0;
}

int e2_free_from(struct e2fs *fs, struct e2_inode *ip, uint64_t from)
{
	static const int level[E2_N_BLOCKS] = { [E2_IND_BLOCK] = 1, [E2_DIND_BLOCK] = 2,
	    [E2_TIND_BLOCK] = 3 };
	uint64_t base = 0;
	int r = 0;

	for (int i = 0; i < E2_N_BLOCKS && r == 0; i++) {
		r = trim(fs, ip, &ip->i_d.i_block[i], level[i], base, from);
		base += span_of(fs, level[i]);
	}
	ip->i_goal = 0;
	if (e2_iwrite(fs, ip) != 0 && r == 0)
		r = EIO;
	return r;
}

int e2_truncate(struct e2fs *fs, struct e2_inode *ip, int64_t size)
{
	int64_t old = e2_size(ip);
	int r;

	if ((r = E2_WRITABLE(fs)) != 0)
		return r;
	if (S_ISDIR(ip->i_d.i_mode))
		return EISDIR;
	if (!S_ISREG(ip->i_d.i_mode))
		return EINVAL;
	if (size < 0)
		return EINVAL;
	if (size > file_max(fs))
		return EFBIG;
	if (size < old) {
		uint64_t keep = ((uint64_t)size + fs->f_bsize - 1) / fs->f_bsize;
		uint32_t in = (uint32_t)((uint64_t)size % fs->f_bsize), pblk;

		if ((r = e2_free_from(fs, ip, keep)) != 0)
			return r;
		if (in && e2_bmap(fs, ip, keep - 1, 0, &pblk) == 0 && pblk) {
			struct e2_buf *b = e2_bread(fs, pblk, &r);	/* zero the tail for a later growth */

			if (b == NULL)
				return r;
			memset(b->b_data + in, 0, fs->f_bsize - in);
			e2_bdirty(b);
			e2_brelse(fs, b);
		}
	}
	e2_set_size(ip, size);
	large_file(fs, size);
	e2_touch(fs, ip, 6, NULL);
	return e2_iwrite(fs, ip);
}

int64_t e2_seek_data(struct e2fs *fs, struct e2_inode *ip, int64_t off, int hole)
{
	int64_t size = e2_size(ip);

	if (off < 0 || off >= size)
		return -ENXIO;
	for (uint64_t lblk = (uint64_t)off / fs->f_bsize; (int64_t)(lblk * fs->f_bsize) < size;
	    lblk++) {
		uint32_t pblk;
		int r = e2_bmap(fs, ip, lblk, 0, &pblk);

		if (r != 0)
			return -r;
		if ((pblk == 0) == (hole != 0)) {
			int64_t at = (int64_t)(lblk * fs->f_bsize);

			return at > off ? at : off;
		}
	}
	return hole ? size : -ENXIO;
}

int e2_fsync(struct e2fs *fs, struct e2_inode *ip)
{
	(void)ip;	/* the whole cache: what ip needs (its directory entries too) goes with it */
	return e2_sync(fs);
}
