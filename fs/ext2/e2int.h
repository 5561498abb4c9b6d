/*
 * e2int.h - what fs-ext2's logic files share and its users do not call.
 * Same rules as ext2fs.h: positive errno values, one thread owns all.
 */
#ifndef E2INT_H
#define E2INT_H

#include "ext2fs.h"

/* ---- the block cache (e2cache.c) ---- */

/* Set up / tear down the cache (maxbufs blocks). 0 or ENOMEM. */
int e2_cache_init(struct e2fs *fs, unsigned maxbufs);
void e2_cache_free(struct e2fs *fs);

/* Block blk, read from the device unless cached (held: e2_brelse it). NULL with *err (EIO, ENOMEM). */
struct e2_buf *e2_bread(struct e2fs *fs, uint32_t blk, int *err);

/* Block blk for overwriting: zero-filled unless cached, not read. */
struct e2_buf *e2_bzero(struct e2fs *fs, uint32_t blk, int *err);

void e2_bdirty(struct e2_buf *b);
void e2_brelse(struct e2fs *fs, struct e2_buf *b);

/* Forget a cached block that was freed (its contents no longer matter). */
void e2_bforget(struct e2fs *fs, uint32_t blk);

/*
 * Read blocks blk..blk+n-1 (at most 64 KiB) into the cache with one device
 * read, unless blk is cached; blocks cached already keep their contents.
 * Best effort: nothing is reported.
 */
void e2_readahead(struct e2fs *fs, uint32_t blk, unsigned n);

/* Is blk in the cache? */
int e2_bcached(struct e2fs *fs, uint32_t blk);

/* Write every dirty block (in block order, runs merged).  0 or EIO. */
int e2_cache_flush(struct e2fs *fs);

/* Raw device access at a byte offset. 0 or EIO. */
int e2_dev_read(struct e2fs *fs, uint64_t off, void *buf, size_t n);
int e2_dev_write(struct e2fs *fs, uint64_t off, const void *buf, size_t n);

/* ---- allocation (e2alloc.c) ---- */

/* A free block, near goal (0: anywhere), counted; 0 with *err ENOSPC/EIO. */
uint32_t e2_balloc(struct e2fs *fs, uint32_t goal, int *err);
/* Give block blk back.  0 or EIO. */
int e2_bfree(struct e2fs *fs, uint32_t blk);
/* A free inode for a new object of mode under directory dir; 0 with *err. */
uint32_t e2_ialloc(struct e2fs *fs, uint32_t dir, mode_t mode, int *err);
int e2_ifree(struct e2fs *fs, uint32_t ino, int isdir);
/* Is blk a valid data-block number (inside the file system, past the superblock)? */
int e2_blk_ok(const struct e2fs *fs, uint32_t blk);

/* ---- inodes (e2inode.c) ---- */

/* Copy ip's disk inode into its block in the cache (marked dirty). 0 or EIO. */
int e2_iwrite(struct e2fs *fs, struct e2_inode *ip);
/* A new in-core inode for a fresh number (zeroed, mode, owner), held. */
int e2_inew(struct e2fs *fs, uint32_t dir, mode_t mode, const struct _client_info *cr,
    gid_t dirgid, int setgid, struct e2_inode **out);
void e2_set_size(struct e2_inode *ip, int64_t size);
void e2_set_uid(struct e2_inode *ip, uid_t uid);
void e2_set_gid(struct e2_inode *ip, gid_t gid);
/* Set the times named by which (1 atime, 2 mtime, 4 ctime) to ts (NULL: now). */
void e2_touch(struct e2fs *fs, struct e2_inode *ip, unsigned which, const struct timespec *ts);
/* Is ip a symbolic link whose target sits in i_block? */
int e2_fast_symlink(const struct e2fs *fs, const struct e2_inode *ip);

/* ---- data (e2data.c) ---- */

/*
 * The physical block of logical block lblk of ip: *pblk 0 for a hole.
 * alloc: allocate it (and the indirect blocks on the way) if missing.
 * 0, EFBIG, ENOSPC, EIO.
 */
int e2_bmap(struct e2fs *fs, struct e2_inode *ip, uint64_t lblk, int alloc, uint32_t *pblk);
/* Free every block of ip at or past logical block from (and its xattr block if all). */
int e2_free_from(struct e2fs *fs, struct e2_inode *ip, uint64_t from);

/* ---- directories (e2dir.c) ---- */

/* The inode number of name (n bytes) in dir, 0 if none; or -EIO etc. via *err. */
uint32_t e2_dir_find(struct e2fs *fs, struct e2_inode *dir, const char *name, size_t n,
    int *err);
/* Add name -> ino (of mode) to dir; links are the caller's.  0, ENOSPC, EIO. */
int e2_dir_add(struct e2fs *fs, struct e2_inode *dir, const char *name, size_t n,
    uint32_t ino, mode_t mode);
/* Remove name from dir.  0, ENOENT, EIO. */
int e2_dir_remove(struct e2fs *fs, struct e2_inode *dir, const char *name, size_t n);
/* Point the existing entry name at ino (of mode).  0, ENOENT, EIO. */
int e2_dir_retarget(struct e2fs *fs, struct e2_inode *dir, const char *name, size_t n,
    uint32_t ino, mode_t mode);
/* Does dir hold only "." and ".."?  1, 0, or -EIO. */
int e2_dir_empty(struct e2fs *fs, struct e2_inode *dir);
/* Write a new directory's first block ("." and ".."). */
int e2_dir_init(struct e2fs *fs, struct e2_inode *dir, uint32_t parent);
/* Directory contents changed: mtime/ctime now, no htree index any more. */
void e2_dir_changed(struct e2fs *fs, struct e2_inode *dir);

/* ---- attributes ---- */
int e2_sticky_ok(const struct e2_inode *dir, const struct e2_inode *ip,
    const struct _client_info *cr);

#define E2_WRITABLE(fs)	((fs)->f_rdonly ? EROFS : 0)

#endif
