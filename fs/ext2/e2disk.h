/*
 * e2disk.h - the ext2 on-disk structures (revision 0 and 1), as the
 * Linux kernel's fs/ext2/ext2.h and e2fsprogs' ext2_fs.h lay them out.
 * Every field is little-endian on disk; QSOE's targets (RISC-V) and the
 * host tests (x86-64, AArch64) are little-endian, so the fields are used
 * as they are (e2_mount refuses to build elsewhere, below).
 */
#ifndef E2DISK_H
#define E2DISK_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "fs-ext2 reads the on-disk fields natively: little-endian hosts only"
#endif

#define E2_SUPER_OFF		1024		/* the superblock's byte offset */
#define E2_MAGIC		0xef53
#define E2_ROOT_INO		2
#define E2_RESIZE_INO		7		/* the resize inode: never touched */
#define E2_GOOD_OLD_INODE_SIZE	128
#define E2_GOOD_OLD_FIRST_INO	11
#define E2_NDIR_BLOCKS		12
#define E2_IND_BLOCK		12
#define E2_DIND_BLOCK		13
#define E2_TIND_BLOCK		14
#define E2_N_BLOCKS		15

/* s_state */
#define E2_VALID_FS		0x0001		/* unmounted cleanly */
#define E2_ERROR_FS		0x0002		/* errors detected */

/* Feature bits (the ones named are those checked or kept). */
#define E2_COMPAT_DIR_PREALLOC	0x0001
#define E2_COMPAT_IMAGIC_INODES	0x0002
#define E2_COMPAT_HAS_JOURNAL	0x0004
#define E2_COMPAT_EXT_ATTR	0x0008
#define E2_COMPAT_RESIZE_INODE	0x0010
#define E2_COMPAT_DIR_INDEX	0x0020

#define E2_RO_COMPAT_SPARSE_SUPER 0x0001
#define E2_RO_COMPAT_LARGE_FILE	0x0002
#define E2_RO_COMPAT_SUPPORTED	(E2_RO_COMPAT_SPARSE_SUPER | E2_RO_COMPAT_LARGE_FILE)

#define E2_INCOMPAT_COMPRESSION	0x0001
#define E2_INCOMPAT_FILETYPE	0x0002
#define E2_INCOMPAT_RECOVER	0x0004		/* a journal needs replaying */
#define E2_INCOMPAT_EXTENTS	0x0040
#define E2_INCOMPAT_SUPPORTED	(E2_INCOMPAT_FILETYPE)

/* i_flags */
#define E2_INDEX_FL		0x00001000	/* an htree directory (dir_index) */
#define E2_EXTENTS_FL		0x00080000	/* ext4 extents */
#define E2_INLINE_DATA_FL	0x10000000	/* ext4 inline data */

/* Directory entry file types (FILETYPE feature). */
#define E2_FT_UNKNOWN	0
#define E2_FT_REG	1
#define E2_FT_DIR	2
#define E2_FT_CHRDEV	3
#define E2_FT_BLKDEV	4
#define E2_FT_FIFO	5
#define E2_FT_SOCK	6
#define E2_FT_SYMLINK	7

#define E2_XATTR_MAGIC	0xea020000		/* an extended-attribute block's header */

struct e2_super {
	uint32_t	s_inodes_count;
	uint32_t	s_blocks_count;
	uint32_t	s_r_blocks_count;
	uint32_t	s_free_blocks_count;
	uint32_t	s_free_inodes_count;
	uint32_t	s_first_data_block;	/* 1 with 1 KiB blocks, else 0 */
	uint32_t	s_log_block_size;	/* block size = 1024 << this */
	uint32_t	s_log_frag_size;
	uint32_t	s_blocks_per_group;
	uint32_t	s_frags_per_group;
	uint32_t	s_inodes_per_group;
	uint32_t	s_mtime;		/* last mount */
	uint32_t	s_wtime;		/* last write */
	uint16_t	s_mnt_count;
	int16_t		s_max_mnt_count;
	uint16_t	s_magic;
	uint16_t	s_state;		/* E2_VALID_FS, E2_ERROR_FS */
	uint16_t	s_errors;
	uint16_t	s_minor_rev_level;
	uint32_t	s_lastcheck;
	uint32_t	s_checkinterval;
	uint32_t	s_creator_os;
	uint32_t	s_rev_level;		/* 0 or 1 */
	uint16_t	s_def_resuid;
	uint16_t	s_def_resgid;
	/* revision 1 */
	uint32_t	s_first_ino;		/* first non-reserved inode */
	uint16_t	s_inode_size;
	uint16_t	s_block_group_nr;
	uint32_t	s_feature_compat;
	uint32_t	s_feature_incompat;
	uint32_t	s_feature_ro_compat;
	uint8_t		s_uuid[16];
	char		s_volume_name[16];
	char		s_last_mounted[64];
	uint32_t	s_algorithm_usage_bitmap;
	uint8_t		s_prealloc_blocks;
	uint8_t		s_prealloc_dir_blocks;
	uint16_t	s_reserved_gdt_blocks;
	uint8_t		s_journal_uuid[16];
	uint32_t	s_journal_inum;
	uint32_t	s_journal_dev;
	uint32_t	s_last_orphan;
	uint32_t	s_hash_seed[4];
	uint8_t		s_def_hash_version;
	uint8_t		s_jnl_backup_type;
	uint16_t	s_desc_size;
	uint32_t	s_default_mount_opts;
	uint32_t	s_first_meta_bg;
	uint8_t		s_rest[1024 - 264];	/* kept as it is */
};
_Static_assert(sizeof(struct e2_super) == 1024, "e2_super is 1024 bytes");
_Static_assert(offsetof(struct e2_super, s_magic) == 56, "s_magic at 56");
_Static_assert(offsetof(struct e2_super, s_first_ino) == 84, "s_first_ino at 84");
_Static_assert(offsetof(struct e2_super, s_feature_compat) == 92, "features at 92");
_Static_assert(offsetof(struct e2_super, s_reserved_gdt_blocks) == 206, "reserved gdt at 206");
_Static_assert(offsetof(struct e2_super, s_desc_size) == 254, "s_desc_size at 254");

struct e2_group {
	uint32_t	bg_block_bitmap;
	uint32_t	bg_inode_bitmap;
	uint32_t	bg_inode_table;
	uint16_t	bg_free_blocks_count;
	uint16_t	bg_free_inodes_count;
	uint16_t	bg_used_dirs_count;
	uint16_t	bg_flags;
	uint32_t	bg_reserved[3];
};
_Static_assert(sizeof(struct e2_group) == 32, "e2_group is 32 bytes");

/* The first 160 bytes of an inode: the 128 of revision 0 and the "large" part. */
struct e2_dinode {
	uint16_t	i_mode;
	uint16_t	i_uid;
	uint32_t	i_size;
	uint32_t	i_atime;
	uint32_t	i_ctime;
	uint32_t	i_mtime;
	uint32_t	i_dtime;
	uint16_t	i_gid;
	uint16_t	i_links_count;
	uint32_t	i_blocks;		/* 512-byte sectors, indirect blocks included */
	uint32_t	i_flags;
	uint32_t	i_osd1;
	uint32_t	i_block[E2_N_BLOCKS];
	uint32_t	i_generation;
	uint32_t	i_file_acl;		/* extended-attribute block */
	uint32_t	i_size_high;		/* revision 1 regular files (large_file) */
	uint32_t	i_faddr;
	uint16_t	i_blocks_hi;
	uint16_t	i_file_acl_high;
	uint16_t	i_uid_high;
	uint16_t	i_gid_high;
	uint16_t	i_checksum_lo;
	uint16_t	i_reserved;
	/* inodes bigger than 128 bytes */
	uint16_t	i_extra_isize;		/* bytes in use past 128 */
	uint16_t	i_checksum_hi;
	uint32_t	i_ctime_extra;		/* (nanoseconds << 2) | epoch bits */
	uint32_t	i_mtime_extra;
	uint32_t	i_atime_extra;
	uint32_t	i_crtime;
	uint32_t	i_crtime_extra;
	uint32_t	i_version_hi;
	uint32_t	i_projid;
};
_Static_assert(offsetof(struct e2_dinode, i_block) == 40, "i_block at 40");
_Static_assert(offsetof(struct e2_dinode, i_uid_high) == 120, "i_uid_high at 120");
_Static_assert(offsetof(struct e2_dinode, i_extra_isize) == 128, "i_extra_isize at 128");
_Static_assert(sizeof(struct e2_dinode) == 160, "e2_dinode is 160 bytes");
#define E2_EXTRA_ISIZE	32	/* what libext2fs gives a new large inode */

struct e2_dirent {
	uint32_t	inode;			/* 0: an unused entry */
	uint16_t	rec_len;		/* to the next entry (4-aligned) */
	uint8_t		name_len;
	uint8_t		file_type;		/* FILETYPE feature; else the high byte of name_len */
	char		name[];
};
#define E2_DIRENT_LEN(n)	((8 + (unsigned)(n) + 3) & ~3u)

#endif
