/*
 * e2dir.c - fs-ext2's directories: linear entries in whole blocks (each
 * block a chain of records whose rec_len reaches its end).  Lookup
 * scans; adding takes an unused record or the slack of one, else a new
 * block; removing merges a record into the one before it.  A directory
 * with an htree index (dir_index) reads as a linear one (the index
 * blocks look like empty records); one we change loses EXT2_INDEX_FL, as
 * Linux's ext2 does, so e2fsck and Linux never use a stale index.
 * Every record is checked before it is used (EIO otherwise).  No QSOE calls.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "e2int.h"

static struct e2_dirent *de_at(struct e2_buf *b, uint32_t off)
{
	return (struct e2_dirent *)(b->b_data + off);
}

/* Is the record at off in a block of dir sane? */
static int de_check(struct e2fs *fs, struct e2_inode *dir, struct e2_buf *b, uint32_t off)
{
	const struct e2_dirent *d = de_at(b, off);

	if (d->rec_len < 8 || d->rec_len % 4 || off + d->rec_len > fs->f_bsize ||
	    8u + d->name_len > d->rec_len || d->inode > fs->f_sb.s_inodes_count)
		return e2_corrupt(fs, "directory %u, block %u: bad entry at %u (rec_len %u)",
		    dir->i_ino, b->b_blk, off, d->rec_len);
	return 0;
}

/* Block lblk of directory dir (no holes in a directory). */
static struct e2_buf *dir_block(struct e2fs *fs, struct e2_inode *dir, uint64_t lblk, int *err)
{
	uint32_t pblk;

	if ((*err = e2_bmap(fs, dir, lblk, 0, &pblk)) != 0)
		return NULL;
	if (pblk == 0) {
		*err = e2_corrupt(fs, "directory %u has a hole at block %llu", dir->i_ino,
		    (unsigned long long)lblk);
		return NULL;
	}
	return e2_bread(fs, pblk, err);
}

static uint64_t dir_blocks(const struct e2fs *fs, const struct e2_inode *dir)
{
	return dir->i_d.i_size / fs->f_bsize;
}

static uint8_t ftype(const struct e2fs *fs, mode_t m)
{
	if (!(fs->f_sb.s_feature_incompat & E2_INCOMPAT_FILETYPE))
		return 0;
	switch (m & S_IFMT) {
	case S_IFREG: return E2_FT_REG;
	case S_IFDIR: return E2_FT_DIR;
	case S_IFLNK: return E2_FT_SYMLINK;
	case S_IFIFO: return E2_FT_FIFO;
	case S_IFCHR: return E2_FT_CHRDEV;
	case S_IFBLK: return E2_FT_BLKDEV;
	case S_IFSOCK: return E2_FT_SOCK;
	default: return E2_FT_UNKNOWN;
	}
}

/*
 * Walk dir's records; fn is called for each with its block and offset
 * and the previous record's offset (-1 for a block's first), and stops the
 * walk by returning non-zero (its value is returned; 0 at the end).
 */
typedef int (*de_fn)(struct e2fs *, struct e2_inode *, struct e2_buf *, uint32_t off,
    long prev, void *arg);

static int dir_walk(struct e2fs *fs, struct e2_inode *dir, de_fn fn, void *arg)
{
	uint64_t nb = dir_blocks(fs, dir);
	int r = 0;

	for (uint64_t i = 0; i < nb && r == 0; i++) {
		struct e2_buf *b = dir_block(fs, dir, i, &r);
		long prev = -1;

		if (b == NULL)
			return r;
		for (uint32_t off = 0; off < fs->f_bsize && r == 0; ) {
			if ((r = de_check(fs, dir, b, off)) != 0)
				break;
			r = fn(fs, dir, b, off, prev, arg);
			prev = (long)off;
			off += de_at(b, off)->rec_len;
		}
		e2_brelse(fs, b);
	}
	return r;
}

struct find_arg {
	const char	*name;
	size_t		n;
	uint32_t	ino;		/* retarget: the new inode; find: the answer */
	uint8_t		type;
	int		op;		/* 0 find, 1 remove, 2 retarget */
};

static int find_fn(struct e2fs *fs, struct e2_inode *dir, struct e2_buf *b, uint32_t off,
    long prev, void *arg)
{
	struct find_arg *a = arg;
	struct e2_dirent *d = de_at(b, off);

	(void)fs, (void)dir;
	if (d->inode == 0 || d->name_len != a->n || memcmp(d->name, a->name, a->n) != 0)
		return 0;
	if (a->op == 0) {
		a->ino = d->inode;
	} else if (a->op == 1) {
		if (prev >= 0)
			de_at(b, (uint32_t)prev)->rec_len += d->rec_len;
		else
			d->inode = 0;
		e2_bdirty(b);
	} else {
		d->inode = a->ino;
		d->file_type = a->type;
		e2_bdirty(b);
	}
	return 1;
}

uint32_t e2_dir_find(struct e2fs *fs, struct e2_inode *dir, const char *name, size_t n,
    int *err)
{
	struct find_arg a = { name, n, 0, 0, 0 };
	int r = dir_walk(fs, dir, find_fn, &a);

	*err = r == 1 ? 0 : r;
	return r == 1 ? a.ino : 0;
}

int e2_dir_remove(struct e2fs *fs, struct e2_inode *dir, const char *name, size_t n)
{
	struct find_arg a = { name, n, 0, 0, 1 };
	int r = dir_walk(fs, dir, find_fn, &a);

	if (r == 1)
		e2_dir_changed(fs, dir);
	return r == 1 ? 0 : r ? r : ENOENT;
}

int e2_dir_retarget(struct e2fs *fs, struct e2_inode *dir, const char *name, size_t n,
    uint32_t ino, mode_t mode)
{
	struct find_arg a = { name, n, ino, ftype(fs, mode), 2 };
	int r = dir_walk(fs, dir, find_fn, &a);

	if (r == 1)
		e2_dir_changed(fs, dir);
	return r == 1 ? 0 : r ? r : ENOENT;
}

static void put_entry(struct e2_dirent *d, const struct find_arg *a, uint16_t rec_len)
{
	d->inode = a->ino;
	d->rec_len = rec_len;
	d->name_len = (uint8_t)a->n;
	d->file_type = a->type;
	memcpy(d->name, a->name, a->n);
}

static int add_fn(struct e2fs *fs, struct e2_inode *dir, struct e2_buf *b, uint32_t off,
    long prev, void *arg)
{
	struct find_arg *a = arg;
	struct e2_dirent *d = de_at(b, off);
	unsigned need = E2_DIRENT_LEN(a->n), used = d->inode ? E2_DIRENT_LEN(d->name_len) : 0;

	(void)fs, (void)dir, (void)prev;
	if (d->rec_len < used + need)
		return 0;
	if (used == 0) {
		put_entry(d, a, d->rec_len);
	} else {
		uint16_t rest = (uint16_t)(d->rec_len - used);

		d->rec_len = (uint16_t)used;
		put_entry(de_at(b, off + used), a, rest);
	}
	e2_bdirty(b);
	return 1;
}

int e2_dir_add(struct e2fs *fs, struct e2_inode *dir, const char *name, size_t n,
    uint32_t ino, mode_t mode)
{
	struct find_arg a = { name, n, ino, ftype(fs, mode), 0 };
	uint64_t lblk = dir_blocks(fs, dir);
	struct e2_buf *b;
	uint32_t pblk;
	int r;

	if ((r = E2_WRITABLE(fs)) != 0)
		return r;
	if ((r = dir_walk(fs, dir, add_fn, &a)) < 0 || r > 1)
		return r;
	if (r == 0) {	/* no room: a new block */
		if ((r = e2_bmap(fs, dir, lblk, 1, &pblk)) != 0)
			return r;
		if ((b = e2_bread(fs, pblk, &r)) == NULL)
			return r;
		put_entry(de_at(b, 0), &a, (uint16_t)fs->f_bsize);
		e2_bdirty(b);
		e2_brelse(fs, b);
		dir->i_d.i_size += fs->f_bsize;
	}
	e2_dir_changed(fs, dir);
	return 0;
}

static int empty_fn(struct e2fs *fs, struct e2_inode *dir, struct e2_buf *b, uint32_t off,
    long prev, void *arg)
{
	const struct e2_dirent *d = de_at(b, off);

	(void)fs, (void)dir, (void)prev, (void)arg;
	if (d->inode == 0)
		return 0;
	if ((d->name_len == 1 && d->name[0] == '.') ||
	    (d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.'))
		return 0;
	return 1;
}

int e2_dir_empty(struct e2fs *fs, struct e2_inode *dir)
{
	int r = dir_walk(fs, dir, empty_fn, NULL);

	return r == 0 ? 1 : r == 1 ? 0 : -r;
}

int e2_dir_init(struct e2fs *fs, struct e2_inode *dir, uint32_t parent)
{
	struct find_arg dot = { ".", 1, dir->i_ino, ftype(fs, S_IFDIR), 0 };
	struct find_arg dotdot = { "..", 2, parent, ftype(fs, S_IFDIR), 0 };
	struct e2_buf *b;
	uint32_t pblk;
	int r;

	if ((r = e2_bmap(fs, dir, 0, 1, &pblk)) != 0)
		return r;
	if ((b = e2_bread(fs, pblk, &r)) == NULL)
		return r;
	put_entry(de_at(b, 0), &dot, 12);
	put_entry(de_at(b, 12), &dotdot, (uint16_t)(fs->f_bsize - 12));
	e2_bdirty(b);
	e2_brelse(fs, b);
	dir->i_d.i_size = fs->f_bsize;
	return e2_iwrite(fs, dir);
}

void e2_dir_changed(struct e2fs *fs, struct e2_inode *dir)
{
	dir->i_d.i_flags &= ~(uint32_t)E2_INDEX_FL;
	e2_touch(fs, dir, 6, NULL);
	e2_iwrite(fs, dir);
}

static unsigned char dt_of(uint8_t ft)
{
	static const unsigned char dt[] = { 0, 8, 4, 2, 6, 1, 12, 10 };	/* DT_* of E2_FT_* */

	return ft < sizeof(dt) ? dt[ft] : 0;
}

int e2_readdir(struct e2fs *fs, struct e2_inode *dir, int64_t *pos, char *name, uint32_t *ino,
    unsigned char *type)
{
	int r;

	while (*pos >= 0 && (uint64_t)*pos < dir->i_d.i_size) {
		uint64_t lblk = (uint64_t)*pos / fs->f_bsize, base = lblk * fs->f_bsize;
		uint32_t want = (uint32_t)((uint64_t)*pos - base), off = 0;
		struct e2_buf *b = dir_block(fs, dir, lblk, &r);

		if (b == NULL)
			return -r;
		while (off < fs->f_bsize) {	/* from the block's start: positions may be stale */
			const struct e2_dirent *d = de_at(b, off);

			if ((r = de_check(fs, dir, b, off)) != 0) {
				e2_brelse(fs, b);
				return -r;
			}
			if (off >= want && d->inode) {
				memcpy(name, d->name, d->name_len);
				name[d->name_len] = '\0';
				*ino = d->inode;
				*type = dt_of(d->file_type);
				*pos = (int64_t)(base + off + d->rec_len);
				e2_brelse(fs, b);
				return 1;
			}
			off += d->rec_len;
		}
		e2_brelse(fs, b);
		*pos = (int64_t)(base + fs->f_bsize);
	}
	return 0;
}
