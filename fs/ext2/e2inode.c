/*
 * e2inode.c - fs-ext2's inodes in core: reading one from its group's
 * inode table (checked), writing it back into the block cache, making a
 * new one, the accessors, and freeing one when its last link and last
 * holder are gone.  No QSOE calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "e2int.h"

#define NHASH	(sizeof(((struct e2fs *)0)->f_itab) / sizeof(struct e2_inode *))

/* Where inode ino lives: its block and byte offset in it. */
static void locate(const struct e2fs *fs, uint32_t ino, uint32_t *blk, uint32_t *off)
{
	uint32_t g = (ino - 1) / fs->f_sb.s_inodes_per_group;
	uint32_t idx = (ino - 1) % fs->f_sb.s_inodes_per_group;

	*blk = fs->f_gd[g].bg_inode_table + idx / fs->f_ipb;
	*off = (idx % fs->f_ipb) * fs->f_isize;
}

static uint32_t copy_len(const struct e2fs *fs)
{
	return fs->f_isize < sizeof(struct e2_dinode) ? fs->f_isize : sizeof(struct e2_dinode);
}

/* The block pointers of a block-mapped inode must lie inside the file system. */
static int check_inode(struct e2fs *fs, struct e2_inode *ip)
{
	const struct e2_dinode *d = &ip->i_d;
	mode_t m = d->i_mode;

	if (d->i_links_count == 0)	/* ours are in core until freed: a stale name */
		return e2_corrupt(fs, "deleted inode %u referenced", ip->i_ino);
	if (d->i_flags & (E2_EXTENTS_FL | E2_INLINE_DATA_FL))
		return e2_corrupt(fs, "inode %u uses ext4 %s without the feature", ip->i_ino,
		    d->i_flags & E2_EXTENTS_FL ? "extents" : "inline data");
	if (S_ISLNK(m) && e2_fast_symlink(fs, ip))
		return d->i_size < sizeof(d->i_block) ? 0 :
		    e2_corrupt(fs, "inode %u: fast symlink of %u bytes", ip->i_ino, d->i_size);
	if (!S_ISREG(m) && !S_ISDIR(m) && !S_ISLNK(m))
		return 0;	/* devices, FIFOs, sockets: no blocks */
	for (int i = 0; i < E2_N_BLOCKS; i++)
		if (d->i_block[i] && !e2_blk_ok(fs, d->i_block[i]))
			return e2_corrupt(fs, "inode %u: block %u out of range", ip->i_ino,
			    d->i_block[i]);
	if (d->i_file_acl && !e2_blk_ok(fs, d->i_file_acl))
		return e2_corrupt(fs, "inode %u: xattr block %u out of range", ip->i_ino,
		    d->i_file_acl);
	if (S_ISDIR(m) && (d->i_size % fs->f_bsize || d->i_size_high ||
	    d->i_size / fs->f_bsize > d->i_blocks / (fs->f_bsize / 512)))
		return e2_corrupt(fs, "directory %u: size %u not the blocks it has", ip->i_ino,
		    d->i_size);
	return 0;
}

int e2_iget(struct e2fs *fs, uint32_t ino, struct e2_inode **out)
{
	struct e2_inode *ip;
	struct e2_buf *b;
	uint32_t blk, off;
	int r;

	if (ino == 0 || ino > fs->f_sb.s_inodes_count)
		return e2_corrupt(fs, "inode number %u out of range", ino);
	for (ip = fs->f_itab[ino % NHASH]; ip; ip = ip->i_hnext)
		if (ip->i_ino == ino) {
			ip->i_refs++;
			*out = ip;
			return 0;
		}
	locate(fs, ino, &blk, &off);
	if ((b = e2_bread(fs, blk, &r)) == NULL)
		return r;
	if ((ip = calloc(1, sizeof(*ip))) == NULL) {
		e2_brelse(fs, b);
		return ENOMEM;
	}
	memcpy(&ip->i_d, b->b_data + off, copy_len(fs));
	e2_brelse(fs, b);
	ip->i_ino = ino;
	if ((r = check_inode(fs, ip)) != 0) {
		free(ip);
		return r;
	}
	ip->i_refs = 1;
	ip->i_hnext = fs->f_itab[ino % NHASH];
	fs->f_itab[ino % NHASH] = ip;
	fs->f_ninodes++;
	*out = ip;
	return 0;
}

int e2_iwrite(struct e2fs *fs, struct e2_inode *ip)
{
	struct e2_buf *b;
	uint32_t blk, off;
	int r;

	if (fs->f_rdonly)
		return EROFS;
	locate(fs, ip->i_ino, &blk, &off);
	if ((b = e2_bread(fs, blk, &r)) == NULL)
		return r;
	memcpy(b->b_data + off, &ip->i_d, copy_len(fs));
	e2_bdirty(b);
	e2_brelse(fs, b);
	return 0;
}

/* The xattr block loses this inode's reference (freed with the last). */
static void xattr_put(struct e2fs *fs, struct e2_inode *ip)
{
	uint32_t blk = ip->i_d.i_file_acl;
	struct e2_buf *b;
	uint32_t *h;
	int err;

	if (blk == 0 || (b = e2_bread(fs, blk, &err)) == NULL)
		return;
	h = (uint32_t *)b->b_data;
	if (h[0] != E2_XATTR_MAGIC || h[1] == 0) {
		e2_brelse(fs, b);
		e2_corrupt(fs, "inode %u: bad xattr block %u", ip->i_ino, blk);
		return;
	}
	h[1]--;
	e2_bdirty(b);
	e2_brelse(fs, b);
	if (h[1] == 0)
		e2_bfree(fs, blk);
	else
		ip->i_d.i_blocks -= fs->f_bsize / 512;
	ip->i_d.i_file_acl = 0;
}

/* The last holder of an inode without links is gone: free its blocks and number. */
static void destroy(struct e2fs *fs, struct e2_inode *ip)
{
	int isdir = S_ISDIR(ip->i_d.i_mode);
	struct timespec now;

	if (fs->f_rdonly)
		return;
	if (!e2_fast_symlink(fs, ip))
		e2_free_from(fs, ip, 0);
	xattr_put(fs, ip);
	clock_gettime(CLOCK_REALTIME, &now);
	ip->i_d.i_dtime = (uint32_t)now.tv_sec;
	ip->i_d.i_size = ip->i_d.i_size_high = 0;
	ip->i_d.i_blocks = 0;
	memset(ip->i_d.i_block, 0, sizeof(ip->i_d.i_block));
	e2_iwrite(fs, ip);
	e2_ifree(fs, ip->i_ino, isdir);
}

void e2_iput(struct e2fs *fs, struct e2_inode *ip)
{
	struct e2_inode **pp;

	if (ip == NULL || --ip->i_refs > 0)
		return;
	if (ip->i_d.i_links_count == 0 && ip->i_d.i_mode != 0)
		destroy(fs, ip);
	for (pp = &fs->f_itab[ip->i_ino % NHASH]; *pp != ip; pp = &(*pp)->i_hnext)
		;
	*pp = ip->i_hnext;
	fs->f_ninodes--;
	free(ip);
}

void e2_ref(struct e2_inode *ip)
{
	ip->i_refs++;
	ip->i_opens++;
}

void e2_close(struct e2fs *fs, struct e2_inode *ip)
{
	ip->i_opens--;
	e2_iput(fs, ip);
}

int e2_inew(struct e2fs *fs, uint32_t dir, mode_t mode, const struct _client_info *cr,
    gid_t dirgid, int setgid, struct e2_inode **out)
{
	struct e2_inode *ip;
	uint32_t ino;
	int r;

	if ((ino = e2_ialloc(fs, dir, mode, &r)) == 0)
		return r;
	if ((ip = calloc(1, sizeof(*ip))) == NULL) {
		e2_ifree(fs, ino, S_ISDIR(mode));
		return ENOMEM;
	}
	ip->i_ino = ino;
	ip->i_refs = 1;
	ip->i_d.i_mode = (uint16_t)mode;
	ip->i_d.i_links_count = 1;
	if (fs->f_isize > E2_GOOD_OLD_INODE_SIZE)
		ip->i_d.i_extra_isize = E2_EXTRA_ISIZE;
	e2_set_uid(ip, cr->euid);
	e2_set_gid(ip, setgid ? dirgid : cr->egid);
	if (setgid && S_ISDIR(mode))
		ip->i_d.i_mode |= S_ISGID;
	ip->i_d.i_generation = (uint32_t)random();
	e2_touch(fs, ip, 7, NULL);
	ip->i_hnext = fs->f_itab[ino % NHASH];
	fs->f_itab[ino % NHASH] = ip;
	fs->f_ninodes++;
	{	/* zero the whole slot on disk (the part past i_d too) */
		struct e2_buf *b;
		uint32_t blk, off;

		locate(fs, ino, &blk, &off);
		if ((b = e2_bread(fs, blk, &r)) == NULL) {
			ip->i_d.i_links_count = 0;
			e2_iput(fs, ip);
			return r;
		}
		memset(b->b_data + off, 0, fs->f_isize);
		e2_brelse(fs, b);
	}
	if ((r = e2_iwrite(fs, ip)) != 0) {
		e2_iput(fs, ip);
		return r;
	}
	*out = ip;
	return 0;
}

int64_t e2_size(const struct e2_inode *ip)
{
	uint64_t s = ip->i_d.i_size;

	if (S_ISREG(ip->i_d.i_mode))
		s |= (uint64_t)ip->i_d.i_size_high << 32;
	return s > INT64_MAX ? INT64_MAX : (int64_t)s;
}

void e2_set_size(struct e2_inode *ip, int64_t size)
{
	ip->i_d.i_size = (uint32_t)size;
	if (S_ISREG(ip->i_d.i_mode))
		ip->i_d.i_size_high = (uint32_t)((uint64_t)size >> 32);
}

uid_t e2_uid(const struct e2_inode *ip)
{
	return ip->i_d.i_uid | (uid_t)ip->i_d.i_uid_high << 16;
}

gid_t e2_gid(const struct e2_inode *ip)
{
	return ip->i_d.i_gid | (gid_t)ip->i_d.i_gid_high << 16;
}

void e2_set_uid(struct e2_inode *ip, uid_t uid)
{
	ip->i_d.i_uid = (uint16_t)uid;
	ip->i_d.i_uid_high = (uint16_t)(uid >> 16);
}

void e2_set_gid(struct e2_inode *ip, gid_t gid)
{
	ip->i_d.i_gid = (uint16_t)gid;
	ip->i_d.i_gid_high = (uint16_t)(gid >> 16);
}

/* Does the inode have room for field's nanoseconds (past 128 bytes)? */
static int has_extra(const struct e2fs *fs, const struct e2_inode *ip, size_t field)
{
	return fs->f_isize > E2_GOOD_OLD_INODE_SIZE &&
	    (size_t)E2_GOOD_OLD_INODE_SIZE + ip->i_d.i_extra_isize >= field + 4;
}

static struct timespec get_time(const struct e2fs *fs, const struct e2_inode *ip,
    uint32_t sec, const uint32_t *extra)
{
	struct timespec ts = { (time_t)(int32_t)sec, 0 };
	size_t field = (size_t)((const char *)extra - (const char *)&ip->i_d);

	if (has_extra(fs, ip, field)) {
		ts.tv_sec += (time_t)((int64_t)(*extra & 3) << 32);
		ts.tv_nsec = (long)(*extra >> 2);
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_nsec = 0;
	}
	return ts;
}

void e2_times(const struct e2fs *fs, const struct e2_inode *ip, struct timespec *a,
    struct timespec *m, struct timespec *c)
{
	*a = get_time(fs, ip, ip->i_d.i_atime, &ip->i_d.i_atime_extra);
	*m = get_time(fs, ip, ip->i_d.i_mtime, &ip->i_d.i_mtime_extra);
	*c = get_time(fs, ip, ip->i_d.i_ctime, &ip->i_d.i_ctime_extra);
}

static void set_time(struct e2fs *fs, struct e2_inode *ip, uint32_t *sec, uint32_t *extra,
    const struct timespec *ts)
{
	int64_t s = (int64_t)ts->tv_sec;
	size_t field = (size_t)((char *)extra - (char *)&ip->i_d);

	*sec = (uint32_t)s;
	if (has_extra(fs, ip, field))
		*extra = ((uint32_t)ts->tv_nsec << 2) | (uint32_t)(((s - (int32_t)s) >> 32) & 3);
}

void e2_touch(struct e2fs *fs, struct e2_inode *ip, unsigned which, const struct timespec *ts)
{
	struct timespec now;

	if (ts == NULL) {
		clock_gettime(CLOCK_REALTIME, &now);
		ts = &now;
	}
	if (which & 1)
		set_time(fs, ip, &ip->i_d.i_atime, &ip->i_d.i_atime_extra, ts);
	if (which & 2)
		set_time(fs, ip, &ip->i_d.i_mtime, &ip->i_d.i_mtime_extra, ts);
	if (which & 4)
		set_time(fs, ip, &ip->i_d.i_ctime, &ip->i_d.i_ctime_extra, ts);
}

int e2_fast_symlink(const struct e2fs *fs, const struct e2_inode *ip)
{
	uint32_t ea = ip->i_d.i_file_acl ? fs->f_bsize / 512 : 0;

	return S_ISLNK(ip->i_d.i_mode) && ip->i_d.i_blocks - ea == 0;
}

uint64_t e2_blocks512(const struct e2_inode *ip)
{
	return ip->i_d.i_blocks;
}
