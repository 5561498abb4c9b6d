/*
 * e2super.c - mounting an ext2 image (checking its superblock and group
 * descriptors, refusing what fs-ext2 cannot handle), sync and unmount.
 * No QSOE calls (ext2fs.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "e2int.h"

int e2_corrupt(struct e2fs *fs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fs->f_err, sizeof(fs->f_err), fmt, ap);
	va_end(ap);
	return EIO;
}

static int refuse(struct e2fs *fs, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int refuse(struct e2fs *fs, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fs->f_err, sizeof(fs->f_err), fmt, ap);
	va_end(ap);
	return err;
}

/* The superblock's own numbers: consistent, and within what fs-ext2 handles. */
static int check_super(struct e2fs *fs)
{
	struct e2_super *sb = &fs->f_sb;
	uint64_t groups;

	if (sb->s_magic != E2_MAGIC)
		return refuse(fs, EINVAL, "bad superblock: magic 0x%04x, not an ext2 file system",
		    sb->s_magic);
	if (sb->s_rev_level > 1)
		return refuse(fs, EINVAL, "revision %u not supported (0 and 1 are)", sb->s_rev_level);
	if (sb->s_log_block_size > 2)
		return refuse(fs, EINVAL, "block size 1024 << %u not supported (1, 2, 4 KiB are)",
		    sb->s_log_block_size);
	fs->f_bsize = 1024u << sb->s_log_block_size;
	fs->f_isize = sb->s_rev_level == 0 ? E2_GOOD_OLD_INODE_SIZE : sb->s_inode_size;
	if (fs->f_isize < E2_GOOD_OLD_INODE_SIZE || fs->f_isize > fs->f_bsize ||
	    (fs->f_isize & (fs->f_isize - 1)))
		return refuse(fs, EINVAL, "bad superblock: inode size %u", fs->f_isize);
	if (sb->s_rev_level == 0) {
		sb->s_first_ino = E2_GOOD_OLD_FIRST_INO;
		sb->s_feature_compat = sb->s_feature_incompat = sb->s_feature_ro_compat = 0;
	}
	if (sb->s_blocks_per_group == 0 || sb->s_blocks_per_group > 8 * fs->f_bsize ||
	    sb->s_inodes_per_group == 0 || sb->s_inodes_per_group > 8 * fs->f_bsize ||
	    sb->s_first_data_block != (fs->f_bsize == 1024 ? 1u : 0u) ||
	    sb->s_blocks_count <= sb->s_first_data_block || sb->s_first_ino < E2_GOOD_OLD_FIRST_INO ||
	    sb->s_first_ino >= sb->s_inodes_count)
		return refuse(fs, EINVAL, "bad superblock: inconsistent geometry");
	groups = (sb->s_blocks_count - sb->s_first_data_block + sb->s_blocks_per_group - 1) /
	    sb->s_blocks_per_group;
	if ((uint64_t)sb->s_inodes_per_group * groups != sb->s_inodes_count)
		return refuse(fs, EINVAL, "bad superblock: %u inodes is not %u a group x %llu groups",
		    sb->s_inodes_count, sb->s_inodes_per_group, (unsigned long long)groups);
	if (sb->s_free_blocks_count > sb->s_blocks_count ||
	    sb->s_free_inodes_count > sb->s_inodes_count)
		return refuse(fs, EINVAL, "bad superblock: free counts exceed the totals");
	fs->f_ngroups = (uint32_t)groups;
	fs->f_ipb = fs->f_bsize / fs->f_isize;
	fs->f_apb = fs->f_bsize / 4;
	fs->f_itblocks = (sb->s_inodes_per_group + fs->f_ipb - 1) / fs->f_ipb;
	fs->f_gdblocks = (uint32_t)((groups * sizeof(struct e2_group) + fs->f_bsize - 1) /
	    fs->f_bsize);
	return 0;
}

/* What the features allow: refuse unknown INCOMPAT ones, read only with unknown RO_COMPAT. */
static int check_features(struct e2fs *fs, int rdonly)
{
	const struct e2_super *sb = &fs->f_sb;
	uint32_t inc = sb->s_feature_incompat & ~(uint32_t)E2_INCOMPAT_SUPPORTED;
	uint32_t ro = sb->s_feature_ro_compat & ~(uint32_t)E2_RO_COMPAT_SUPPORTED;

	if (sb->s_feature_incompat & E2_INCOMPAT_RECOVER)
		return refuse(fs, EINVAL, "the journal needs recovery (run e2fsck)");
	if (sb->s_feature_incompat & E2_INCOMPAT_EXTENTS)
		return refuse(fs, EINVAL, "ext4 extents (INCOMPAT 0x40) not supported");
	if (inc)
		return refuse(fs, EINVAL, "unknown INCOMPAT features 0x%x", inc);
	if (ro && !rdonly)
		return refuse(fs, EROFS, "unknown RO_COMPAT features 0x%x: read-only only", ro);
	if (ro)
		fs->f_rdonly = 1;
	return 0;
}

/* The group descriptors: every bitmap and inode table inside its file system. */
static int load_groups(struct e2fs *fs)
{
	const struct e2_super *sb = &fs->f_sb;
	size_t len = (size_t)fs->f_gdblocks * fs->f_bsize;
	uint64_t free_b = 0, free_i = 0;
	int r;

	if ((fs->f_gd = malloc(len)) == NULL)
		return ENOMEM;
	if ((r = e2_dev_read(fs, (uint64_t)(sb->s_first_data_block + 1) * fs->f_bsize, fs->f_gd,
	    len)) != 0)
		return refuse(fs, r, "cannot read the group descriptors");
	for (uint32_t g = 0; g < fs->f_ngroups; g++) {
		const struct e2_group *gd = &fs->f_gd[g];

		if (!e2_blk_ok(fs, gd->bg_block_bitmap) || !e2_blk_ok(fs, gd->bg_inode_bitmap) ||
		    !e2_blk_ok(fs, gd->bg_inode_table) ||
		    (uint64_t)gd->bg_inode_table + fs->f_itblocks > sb->s_blocks_count ||
		    gd->bg_free_blocks_count > sb->s_blocks_per_group ||
		    gd->bg_free_inodes_count > sb->s_inodes_per_group)
			return refuse(fs, EINVAL, "bad group descriptor %u", g);
		free_b += gd->bg_free_blocks_count;
		free_i += gd->bg_free_inodes_count;
	}
	/* Linux trusts the descriptors' sums over the superblock's (updated lazily). */
	fs->f_sb.s_free_blocks_count = (uint32_t)free_b;
	fs->f_sb.s_free_inodes_count = (uint32_t)free_i;
	return 0;
}

static int write_super(struct e2fs *fs)
{
	int r;

	if (fs->f_rdonly)
		return 0;
	fs->f_sb.s_wtime = (uint32_t)time(NULL);
	r = e2_dev_write(fs, (uint64_t)(fs->f_sb.s_first_data_block + 1) * fs->f_bsize, fs->f_gd,
	    (size_t)fs->f_gdblocks * fs->f_bsize);
	if (r == 0)
		r = e2_dev_write(fs, E2_SUPER_OFF, &fs->f_sb, sizeof(fs->f_sb));
	if (r == 0)
		fs->f_sbdirty = 0;
	return r;
}

int e2_mount(struct e2fs *fs, int fd, const char *mount, int rdonly)
{
	size_t n = strlen(mount);
	struct e2_inode *root;
	int r;

	memset(fs, 0, sizeof(*fs));
	fs->f_fd = fd;
	fs->f_rdonly = rdonly;
	if (mount[0] != '/' || n >= E2_PATH_MAX)
		return EINVAL;
	while (n > 0 && mount[n - 1] == '/')
		n--;
	memcpy(fs->f_mount, mount, n);
	if (e2_dev_read(fs, E2_SUPER_OFF, &fs->f_sb, sizeof(fs->f_sb)) != 0)
		return refuse(fs, EIO, "cannot read the superblock");
	if ((r = check_super(fs)) != 0 || (r = check_features(fs, rdonly)) != 0 ||
	    (r = load_groups(fs)) != 0 || (r = e2_cache_init(fs, E2_CACHE_BLOCKS)) != 0)
		goto fail;
	if ((r = e2_iget(fs, E2_ROOT_INO, &root)) != 0) {
		r = refuse(fs, EINVAL, "bad root inode: %s", fs->f_err);
		goto fail;
	}
	r = (root->i_d.i_mode & 0170000) == 0040000 ? 0 : EINVAL;
	e2_iput(fs, root);
	if (r) {
		refuse(fs, r, "bad root inode: not a directory");
		goto fail;
	}
	fs->f_unclean = !(fs->f_sb.s_state & E2_VALID_FS) || (fs->f_sb.s_state & E2_ERROR_FS);
	if (!fs->f_rdonly) {
		fs->f_sb.s_state &= (uint16_t)~E2_VALID_FS;	/* not clean while mounted */
		fs->f_sb.s_mtime = (uint32_t)time(NULL);
		fs->f_sb.s_mnt_count++;
		if ((r = write_super(fs)) != 0 || fsync(fd) != 0) {
			r = refuse(fs, r ? r : EIO, "cannot write the superblock");
			goto fail;
		}
	}
	return 0;
fail:
	e2_cache_free(fs);
	free(fs->f_gd);
	fs->f_gd = NULL;
	return r;
}

int e2_sync(struct e2fs *fs)
{
	int r;

	if (fs->f_rdonly)
		return 0;
	r = e2_cache_flush(fs);
	if (fs->f_sbdirty && write_super(fs) != 0)
		r = EIO;
	if (fsync(fs->f_fd) != 0)
		r = EIO;
	return r;
}

int e2_unmount(struct e2fs *fs)
{
	int r = 0;

	if (!fs->f_rdonly) {
		r = e2_sync(fs);
		if (r == 0 && fs->f_err[0] == '\0')
			fs->f_sb.s_state |= E2_VALID_FS;
		fs->f_sbdirty = 1;
		if (write_super(fs) != 0 || fsync(fs->f_fd) != 0)
			r = EIO;
	}
	for (unsigned i = 0; i < sizeof(fs->f_itab) / sizeof(fs->f_itab[0]); i++)
		while (fs->f_itab[i]) {
			struct e2_inode *ip = fs->f_itab[i];

			fs->f_itab[i] = ip->i_hnext;
			free(ip);
		}
	e2_cache_free(fs);
	free(fs->f_gd);
	fs->f_gd = NULL;
	return r;
}
