/*
 * e2cache.c - fs-ext2's block cache with write-back: blocks are kept in
 * a hash table and an LRU list; a change marks a block dirty and it
 * reaches the device when it is evicted or at e2_cache_flush (sync,
 * fsync, unmount), which writes the dirty blocks in block order, merging
 * neighbours into one write of up to 64 KiB.  No QSOE calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "e2int.h"

#define MERGE_MAX	(64 * 1024)

int e2_dev_read(struct e2fs *fs, uint64_t off, void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(fs->f_fd, (char *)buf + done, n - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return EIO;
		done += (size_t)r;
	}
	return 0;
}

int e2_dev_write(struct e2fs *fs, uint64_t off, const void *buf, size_t n)
{
	size_t done = 0;

	if (fs->f_rdonly)
		return EROFS;
	while (done < n) {
		ssize_t r = pwrite(fs->f_fd, (const char *)buf + done, n - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return EIO;
		done += (size_t)r;
	}
	return 0;
}

int e2_cache_init(struct e2fs *fs, unsigned maxbufs)
{
	fs->f_nhash = 1024;
	fs->f_hash = calloc(fs->f_nhash, sizeof(*fs->f_hash));
	fs->f_maxbufs = maxbufs;
	return fs->f_hash ? 0 : ENOMEM;
}

static struct e2_buf **slot_of(struct e2fs *fs, uint32_t blk)
{
	return &fs->f_hash[(blk * 2654435761u) % fs->f_nhash];
}

static void lru_unlink(struct e2fs *fs, struct e2_buf *b)
{
	if (b->b_prev)
		b->b_prev->b_next = b->b_next;
	else
		fs->f_lru_head = b->b_next;
	if (b->b_next)
		b->b_next->b_prev = b->b_prev;
	else
		fs->f_lru_tail = b->b_prev;
	b->b_prev = b->b_next = NULL;
}

static void lru_front(struct e2fs *fs, struct e2_buf *b)
{
	b->b_next = fs->f_lru_head;
	b->b_prev = NULL;
	if (fs->f_lru_head)
		fs->f_lru_head->b_prev = b;
	fs->f_lru_head = b;
	if (fs->f_lru_tail == NULL)
		fs->f_lru_tail = b;
}

static void buf_drop(struct e2fs *fs, struct e2_buf *b)
{
	struct e2_buf **pp = slot_of(fs, b->b_blk);

	while (*pp != b)
		pp = &(*pp)->b_hnext;
	*pp = b->b_hnext;
	lru_unlink(fs, b);
	free(b->b_data);
	free(b);
	fs->f_nbufs--;
}

static int buf_write(struct e2fs *fs, struct e2_buf *b)
{
	int r = e2_dev_write(fs, (uint64_t)b->b_blk * fs->f_bsize, b->b_data, fs->f_bsize);

	if (r == 0) {
		b->b_dirty = 0;
		fs->f_writes++;
	}
	return r;
}

/* Make room: evict the least recently used blocks nobody holds (writing dirty ones). */
static void evict(struct e2fs *fs)
{
	struct e2_buf *b = fs->f_lru_tail, *prev;

	while (fs->f_nbufs >= fs->f_maxbufs && b) {
		prev = b->b_prev;
		if (b->b_refs == 0 && (!b->b_dirty || buf_write(fs, b) == 0))
			buf_drop(fs, b);
		b = prev;
	}
}

static struct e2_buf *lookup(struct e2fs *fs, uint32_t blk)
{
	for (struct e2_buf *b = *slot_of(fs, blk); b; b = b->b_hnext)
		if (b->b_blk == blk)
			return b;
	return NULL;
}

static struct e2_buf *get(struct e2fs *fs, uint32_t blk, int doread, int *err)
{
	struct e2_buf *b = lookup(fs, blk), **pp;

	if (blk >= fs->f_sb.s_blocks_count) {
		*err = e2_corrupt(fs, "block %u past the end (%u)", blk, fs->f_sb.s_blocks_count);
		return NULL;
	}
	if (b) {
		lru_unlink(fs, b);
		lru_front(fs, b);
		b->b_refs++;
		if (!doread)
			memset(b->b_data, 0, fs->f_bsize);
		return b;
	}
	evict(fs);
	if ((b = calloc(1, sizeof(*b))) == NULL || (b->b_data = malloc(fs->f_bsize)) == NULL) {
		free(b);
		*err = ENOMEM;
		return NULL;
	}
	if (doread) {
		if ((*err = e2_dev_read(fs, (uint64_t)blk * fs->f_bsize, b->b_data, fs->f_bsize))) {
			free(b->b_data);
			free(b);
			return NULL;
		}
		fs->f_reads++;
	} else {
		memset(b->b_data, 0, fs->f_bsize);
	}
	b->b_blk = blk;
	b->b_refs = 1;
	pp = slot_of(fs, blk);
	b->b_hnext = *pp;
	*pp = b;
	lru_front(fs, b);
	fs->f_nbufs++;
	return b;
}

struct e2_buf *e2_bread(struct e2fs *fs, uint32_t blk, int *err)
{
	return get(fs, blk, 1, err);
}

struct e2_buf *e2_bzero(struct e2fs *fs, uint32_t blk, int *err)
{
	return get(fs, blk, 0, err);
}

void e2_bdirty(struct e2_buf *b)
{
	b->b_dirty = 1;
}

void e2_brelse(struct e2fs *fs, struct e2_buf *b)
{
	(void)fs;
	if (b)
		b->b_refs--;
}

void e2_bforget(struct e2fs *fs, uint32_t blk)
{
	struct e2_buf *b = lookup(fs, blk);

	if (b && b->b_refs == 0)
		buf_drop(fs, b);
	else if (b)
		b->b_dirty = 0;
}

int e2_dirty(const struct e2fs *fs)
{
	if (fs->f_sbdirty)
		return 1;
	for (const struct e2_buf *b = fs->f_lru_head; b; b = b->b_next)
		if (b->b_dirty)
			return 1;
	return 0;
}

int e2_bcached(struct e2fs *fs, uint32_t blk)
{
	return lookup(fs, blk) != NULL;
}

/*
 * The buffer of a run of blocks (read-ahead's, a flush's merged writes),
 * made once and kept: a malloc and free of 64 KiB for each would be an
 * mmap and munmap of fresh zeroed memory each time.  One thread serves
 * everything, and neither use nests in the other.  NULL without memory.
 */
static uint8_t *run_buf(struct e2fs *fs)
{
	if (fs->f_run == NULL)
		fs->f_run = malloc(MERGE_MAX);
	return fs->f_run;
}

void e2_readahead(struct e2fs *fs, uint32_t blk, unsigned n)
{
	uint8_t *run;
	unsigned i;
	int err;

	if (n > MERGE_MAX / fs->f_bsize)
		n = MERGE_MAX / fs->f_bsize;
	if (n < 2 || lookup(fs, blk) || (uint64_t)blk + n > fs->f_sb.s_blocks_count ||
	    (run = run_buf(fs)) == NULL)
		return;
	if (e2_dev_read(fs, (uint64_t)blk * fs->f_bsize, run, (size_t)n * fs->f_bsize) == 0) {
		fs->f_reads += n;
		for (i = 0; i < n; i++) {
			struct e2_buf *b;

			if (lookup(fs, blk + i))
				continue;	/* cached (maybe dirty): the cache's copy is newer */
			if ((b = get(fs, blk + i, 0, &err)) == NULL)
				break;
			memcpy(b->b_data, run + (size_t)i * fs->f_bsize, fs->f_bsize);
			e2_brelse(fs, b);
		}
	}
}

static int by_block(const void *a, const void *b)
{
	uint32_t x = (*(struct e2_buf *const *)a)->b_blk, y = (*(struct e2_buf *const *)b)->b_blk;

	return x < y ? -1 : x > y;
}

int e2_cache_flush(struct e2fs *fs)
{
	struct e2_buf **v;
	uint8_t *run;
	size_t n = 0, i, j, per = MERGE_MAX / fs->f_bsize;
	int r = 0;

	for (struct e2_buf *b = fs->f_lru_head; b; b = b->b_next)
		n += b->b_dirty;
	if (n == 0)
		return 0;
	if ((v = malloc(n * sizeof(*v))) == NULL || (run = run_buf(fs)) == NULL) {
		free(v);	/* no memory for the merging: one block at a time */
		for (struct e2_buf *b = fs->f_lru_head; b; b = b->b_next)
			if (b->b_dirty && buf_write(fs, b) != 0)
				r = EIO;
		return r;
	}
	n = 0;
	for (struct e2_buf *b = fs->f_lru_head; b; b = b->b_next)
		if (b->b_dirty)
			v[n++] = b;
	qsort(v, n, sizeof(*v), by_block);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && j - i < per && v[j]->b_blk == v[j - 1]->b_blk + 1; j++)
			;
		for (size_t k = i; k < j; k++)
			memcpy(run + (k - i) * fs->f_bsize, v[k]->b_data, fs->f_bsize);
		if (e2_dev_write(fs, (uint64_t)v[i]->b_blk * fs->f_bsize, run,
		    (j - i) * fs->f_bsize) != 0) {
			r = EIO;
			continue;
		}
		for (size_t k = i; k < j; k++)
			v[k]->b_dirty = 0;
		fs->f_writes += j - i;
	}
	free(v);
	return r;
}

void e2_cache_free(struct e2fs *fs)
{
	while (fs->f_lru_head)
		buf_drop(fs, fs->f_lru_head);
	free(fs->f_hash);
	fs->f_hash = NULL;
	free(fs->f_run);
	fs->f_run = NULL;
}
