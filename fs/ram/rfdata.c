/*
 * rfdata.c - a regular file's data: a three-level tree of RF_FANOUT
 * pointers whose leaves are RF_BLOCK-byte blocks.  A missing block is a
 * hole and reads as zeros; only written blocks count against the file
 * system's limit (f_used).  No QSOE calls (ramfs.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "ramfs.h"
#include "rfint.h"

static const unsigned char zeros[RF_BLOCK];

#define L1(b)	((b) >> 18)
#define L2(b)	(((b) >> 9) & (RF_FANOUT - 1))
#define L3(b)	((b) & (RF_FANOUT - 1))

/* The block b of ino, or NULL (a hole). */
static unsigned char *block_get(const struct rf_inode *ino, uint64_t b)
{
	void **n1 = ino->i_tree, **n2, **n3;

	if (n1 == NULL || (n2 = n1[L1(b)]) == NULL || (n3 = n2[L2(b)]) == NULL)
		return NULL;
	return n3[L3(b)];
}

/* The slot for block b, making the inner nodes; NULL: ENOMEM. */
static void **block_slot(struct rf_inode *ino, uint64_t b)
{
	void ***p = (void ***)&ino->i_tree;

	for (int lvl = 0; lvl < 2; lvl++) {
		void **n;

		if (*p == NULL && (*p = calloc(RF_FANOUT, sizeof(void *))) == NULL)
			return NULL;
		n = *p;
		p = (void ***)&n[lvl == 0 ? L1(b) : L2(b)];
	}
	if (*p == NULL && (*p = calloc(RF_FANOUT, sizeof(void *))) == NULL)
		return NULL;
	return &(*p)[L3(b)];
}

/* A block for b, allocated (zeroed) if it is a hole; NULL with *err ENOSPC/ENOMEM. */
static unsigned char *block_make(struct ramfs *fs, struct rf_inode *ino, uint64_t b, int *err)
{
	void **slot;

	if ((slot = block_slot(ino, b)) == NULL) {
		*err = ENOMEM;
		return NULL;
	}
	if (*slot)
		return *slot;
	if (fs->f_used + RF_BLOCK > fs->f_limit) {
		*err = ENOSPC;
		return NULL;
	}
	if ((*slot = calloc(1, RF_BLOCK)) == NULL) {
		*err = ENOMEM;
		return NULL;
	}
	fs->f_used += RF_BLOCK;
	ino->i_nblocks++;
	return *slot;
}

size_t rf_read(struct rf_inode *ino, int64_t off, size_t n, struct rf_seg *segs, int nseg)
{
	size_t done = 0;

	if (off < 0 || off >= ino->i_size)
		return 0;
	if ((uint64_t)n > (uint64_t)(ino->i_size - off))
		n = (size_t)(ino->i_size - off);
	for (int i = 0; i < nseg && done < n; i++) {
		uint64_t pos = (uint64_t)off + done, in = pos % RF_BLOCK;
		size_t len = RF_BLOCK - in < n - done ? RF_BLOCK - in : n - done;
		const unsigned char *b = block_get(ino, pos / RF_BLOCK);

		segs[i] = (struct rf_seg){ b ? b + in : zeros, len };
		done += len;
	}
	rf_now(&ino->i_atime);
	return done;
}

int rf_write(struct ramfs *fs, struct rf_inode *ino, int64_t off, const void *buf, size_t n,
    size_t *done)
{
	int err = 0;

	*done = 0;
	if (off < 0)
		return EINVAL;
	if (off >= RF_FILE_MAX || (uint64_t)n > (uint64_t)(RF_FILE_MAX - off))
		n = off >= RF_FILE_MAX ? 0 : (size_t)(RF_FILE_MAX - off);
	if (n == 0)
		return off >= RF_FILE_MAX ? EFBIG : 0;
	while (*done < n) {
		uint64_t pos = (uint64_t)off + *done, in = pos % RF_BLOCK;
		size_t len = RF_BLOCK - in < n - *done ? RF_BLOCK - in : n - *done;
		unsigned char *b = block_make(fs, ino, pos / RF_BLOCK, &err);

		if (b == NULL)
			break;
		memcpy(b + in, (const char *)buf + *done, len);
		*done += len;
	}
	if (*done && off + (int64_t)*done > ino->i_size)
		ino->i_size = off + (int64_t)*done;
	if (*done) {
		rf_now(&ino->i_mtime);
		ino->i_ctime = ino->i_mtime;
	}
	return err;
}

/* Free the blocks from block first on, and inner nodes left empty. */
static void free_from(struct ramfs *fs, struct rf_inode *ino, uint64_t first)
{
	void **n1 = ino->i_tree;

	if (n1 == NULL)
		return;
	for (uint64_t i = L1(first); i < RF_FANOUT; i++) {
		void **n2 = n1[i];
		int keep2 = 0;

		if (n2 == NULL)
			continue;
		for (uint64_t j = 0; j < RF_FANOUT; j++) {
			void **n3 = n2[j];
			int keep3 = 0;

			if (n3 == NULL)
				continue;
			for (uint64_t k = 0; k < RF_FANOUT; k++) {
				if (n3[k] == NULL)
					continue;
				if ((i << 18 | j << 9 | k) < first) {
					keep3 = 1;
					continue;
				}
				free(n3[k]);
				n3[k] = NULL;
				fs->f_used -= RF_BLOCK;
				ino->i_nblocks--;
			}
			if (keep3) {
				keep2 = 1;
				continue;
			}
			free(n3);
			n2[j] = NULL;
		}
		if (!keep2) {
			free(n2);
			n1[i] = NULL;
		}
	}
	if (ino->i_nblocks == 0) {
		free(n1);
		ino->i_tree = NULL;
	}
}

int rf_truncate(struct ramfs *fs, struct rf_inode *ino, int64_t size)
{
	if (S_ISDIR(ino->i_mode))
		return EISDIR;
	if (!S_ISREG(ino->i_mode) || size < 0)
		return EINVAL;
	if (size > RF_FILE_MAX)
		return EFBIG;
	if (size < ino->i_size) {
		unsigned char *b = block_get(ino, (uint64_t)size / RF_BLOCK);

		if (b && size % RF_BLOCK)	/* the tail of the last block reads as zeros later */
			memset(b + size % RF_BLOCK, 0, RF_BLOCK - (size_t)(size % RF_BLOCK));
		free_from(fs, ino, ((uint64_t)size + RF_BLOCK - 1) / RF_BLOCK);
	}
	ino->i_size = size;
	rf_now(&ino->i_mtime);
	ino->i_ctime = ino->i_mtime;
	return 0;
}

/* Is block b there?  1, 0, or -n: a hole of whole subtrees, skip to block n. */
static int64_t present(const struct rf_inode *ino, uint64_t b)
{
	void **n1 = ino->i_tree, **n2, **n3;

	if (n1 == NULL)
		return -(int64_t)RF_FILE_MAX;
	if ((n2 = n1[L1(b)]) == NULL)
		return -(int64_t)((L1(b) + 1) << 18);
	if ((n3 = n2[L2(b)]) == NULL)
		return -(int64_t)(((b >> 9) + 1) << 9);
	return n3[L3(b)] != NULL;
}

int64_t rf_seek_data(const struct rf_inode *ino, int64_t off, int hole)
{
	uint64_t b = (uint64_t)off / RF_BLOCK;

	if (off < 0 || off >= ino->i_size)
		return -ENXIO;
	while ((int64_t)(b * RF_BLOCK) < ino->i_size) {
		int64_t p = present(ino, b), at = (int64_t)(b * RF_BLOCK) > off ?
		    (int64_t)(b * RF_BLOCK) : off;

		if ((p > 0) != (hole != 0))
			return at;
		b = p < 0 ? (uint64_t)-p : b + 1;	/* over a missing subtree at once */
	}
	return hole ? ino->i_size : -ENXIO;
}

uint64_t rf_blocks512(const struct rf_inode *ino)
{
	return ino->i_nblocks * (RF_BLOCK / 512);
}

/* Free all of a file's data (its inode is going). */
void rf_data_free(struct ramfs *fs, struct rf_inode *ino)
{
	free_from(fs, ino, 0);
}
