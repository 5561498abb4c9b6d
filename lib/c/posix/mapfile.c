/*
 * MAP_SHARED mappings of regular files (docs/libc.md "mmap of files"):
 * the file's server grants the mapping to taskman (_IO_MMAP on the fd),
 * taskman keeps one file object per file (_MAP_FILEOBJ), whose frames
 * every such mapping in any process shares, and hands each page to one
 * mapper to fill from the file (_MEM_CTRL_FILEFILL); libc reads them
 * with pread under its own credentials into a buffer of its own and hands
 * the data to taskman (taskman never reads a file), so the mapping has the
 * caller's protection from the start.
 * Stores reach the file when libc writes the mapping back with pwrite:
 * msync, munmap, MAP_FIXED over it, and the process's exit or exec.  For
 * that libc keeps each mapping here with a dup of the fd (close-on-exec),
 * so the caller may close its fd.  A fork child inherits the table and
 * the fds.  mm.c calls in here for each of those.
 */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/stat.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>
#include "lock.h"
#include "px.h"
#include "qsoe_mm.h"

#define FMAP_MAX	64

struct fmap {
	uintptr_t	f_start, f_end;	/* f_end 0: free slot */
	off_t		f_off;		/* the file offset of f_start */
	int		f_fd;		/* libc's dup */
	int		f_write;	/* PROT_WRITE: written back */
};
static struct fmap fmaps[FMAP_MAX];
static volatile int fmap_lock[1];

/* Write [a, b) of f back (only up to the file's size: a mapping never extends a file). */
static long fmap_write(const struct fmap *f, uintptr_t a, uintptr_t b, int sync)
{
	struct _io_stat_buf sb;
	off_t o, end;
	long r, k;

	if (a < f->f_start)
		a = f->f_start;
	if (b > f->f_end)
		b = f->f_end;
	if (!f->f_write || a >= b)
		return 0;
	if ((r = __px_fstat(f->f_fd, &sb)) < 0)
		return r;
	o = f->f_off + (off_t)(a - f->f_start);
	end = o + (off_t)(b - a);
	if (end > sb.sb_size)
		end = sb.sb_size;
	for (; o < end; o += k, a += (uintptr_t)k)
		if ((k = __px_pwrite(f->f_fd, (const void *)a, (size_t)(end - o), o)) <= 0)
			return k < 0 ? k : -EIO;
	return sync ? __px_fsync(f->f_fd, 0) : 0;
}

/* Write back every writable shared file mapping (exit, exec). */
void __px_fmap_sync_all(void)
{
	LOCK(fmap_lock);
	for (int i = 0; i < FMAP_MAX; i++)
		if (fmaps[i].f_end)
			fmap_write(&fmaps[i], fmaps[i].f_start, fmaps[i].f_end, 0);
	UNLOCK(fmap_lock);
}

/* msync/munmap of [a, b): write back what overlaps; 0 or the first error. */
static long fmap_sync(uintptr_t a, uintptr_t b, int sync)
{
	long r = 0, k;

	for (int i = 0; i < FMAP_MAX; i++)
		if (fmaps[i].f_end && fmaps[i].f_start < b && a < fmaps[i].f_end &&
		    (k = fmap_write(&fmaps[i], a, b, sync)) < 0 && r == 0)
			r = k;
	return r;
}

/* munmap (or MAP_FIXED over) [a, b): forget those pieces, keeping the others. */
static void fmap_forget(uintptr_t a, uintptr_t b)
{
	for (int i = 0; i < FMAP_MAX; i++) {
		struct fmap *f = &fmaps[i];

		if (f->f_end == 0 || f->f_start >= b || a >= f->f_end)
			continue;
		if (f->f_start < a && b < f->f_end) {	/* a hole in the middle */
			for (int j = 0; j < FMAP_MAX; j++)
				if (fmaps[j].f_end == 0) {
					long d = __px_dup(f->f_fd, 0, 0, 1);

					if (d >= 0)
						fmaps[j] = (struct fmap){ b, f->f_end,
						    f->f_off + (off_t)(b - f->f_start), (int)d, f->f_write };
					break;	/* (full, or no fd: the tail is not written back) */
				}
			f->f_end = a;
		} else if (f->f_start < a) {
			f->f_end = a;
		} else if (b < f->f_end) {
			f->f_off += (off_t)(b - f->f_start);
			f->f_start = b;
		} else {
			__px_close(f->f_fd);
			f->f_end = 0;
		}
	}
}

/* _MEM_FILL_DONE's message: the header, then the pages' data (under fmap_lock). */
static struct {
	struct _mem_ctrl	h;
	char			data[_MEM_FILL_DATA_MAX];
} bounce;

static long fill_msg(uintptr_t a, size_t len, int how, struct _mem_fill_reply *r)
{
	struct _mem_ctrl m = { .type = _MEM_CTRL, .subtype = _MEM_CTRL_FILEFILL,
	    .mc_prot = (uint32_t)how, .mc_addr = a, .mc_len = len };

	return __px_sysmgr_send(&m, sizeof(m), r, r ? sizeof(*r) : 0);
}

/*
 * Fill the pages of [a, a+len) (file offset off) taskman hands us, a
 * bounce buffer at a time (read there, then copied into the object by
 * taskman: the mapping itself may be read-only); wait for others' fills.
 */
static long fill(int fd, uintptr_t a, size_t len, off_t off)
{
	struct _mem_fill_reply fr;
	uintptr_t p = a, end = a + len;
	long r, k;

	while (p < end) {
		size_t done = 0, ask = end - p < sizeof(bounce.data) ? end - p : sizeof(bounce.data);

		if ((r = fill_msg(p, ask, _MEM_FILL_ASK, &fr)) < 0)
			return r;
		if (fr.mf_len == 0 && r == 0) {
			p += ask;		/* all of these filled */
			continue;
		}
		if (fr.mf_len == 0) {		/* others are filling: let them */
			struct timespec ts = { 0, 1000000 };

			__px_clock_nanosleep(0, CLOCK_MONOTONIC, 0, &ts, 0);
			continue;
		}
		if (fr.mf_len > sizeof(bounce.data)) {	/* more than asked for */
			fill_msg(fr.mf_addr, fr.mf_len, _MEM_FILL_UNDO, 0);
			return -EIO;
		}
		for (k = 1; done < fr.mf_len && (k = __px_pread(fd, bounce.data + done,
		    fr.mf_len - done, off + (off_t)(fr.mf_addr - a + done))) > 0; )
			done += (size_t)k;
		if (k < 0) {
			fill_msg(fr.mf_addr, fr.mf_len, _MEM_FILL_UNDO, 0);
			return k == -EBADF ? -EACCES : k;	/* not open for reading */
		}
		memset(bounce.data + done, 0, fr.mf_len - done);	/* past the end of the file */
		bounce.h = (struct _mem_ctrl){ .type = _MEM_CTRL, .subtype = _MEM_CTRL_FILEFILL,
		    .mc_prot = _MEM_FILL_DONE, .mc_addr = fr.mf_addr, .mc_len = fr.mf_len };
		if ((r = __px_sysmgr_send(&bounce, sizeof(bounce.h) + fr.mf_len, 0, 0)) < 0) {
			fill_msg(fr.mf_addr, fr.mf_len, _MEM_FILL_UNDO, 0);	/* for the others */
			return r;
		}
		p = fr.mf_addr + fr.mf_len;
	}
	return 0;
}

/*
 * Ask fd's server to grant the mapping to taskman (_IO_MMAP): 0 and the
 * file's identity there, EACCES (not open for it), or ENODEV (a server
 * that does not vouch for its files: they are not mapped shared).
 */
static long grant(int fd, int prot, struct _mem_map_file *m)
{
	struct _io_mmap q = { .type = _IO_MMAP, .prot = (uint32_t)prot };
	struct _io_mmap_reply r;
	struct _server_info si;
	long k;

	if (ConnectServerInfo_r(0, fd, &si) != fd)
		return -EBADF;
	k = __px_send_quick(fd, &q, sizeof(q), &r, sizeof(r));
	if (k == -ENOSYS || k == -ENODEV)
		return -ENODEV;
	if (k < 0)
		return k == -ESRCH ? -EBADF : k;
	m->mf_server = si.pid;
	m->mf_dev = r.dev;
	m->mf_ino = r.ino;
	return 0;
}

/*
 * Map [off, off+len) of the regular file fd (sb) shared: its server
 * grants it (which checks the fd's access: EACCES), taskman maps the
 * object with the caller's protection, libc fills the pages taskman hands
 * it and records the mapping.
 */
long __px_file_shared(void *addr, size_t len, int prot, int flags, int fd, off_t off,
    const struct _io_stat_buf *sb)
{
	struct _mem_map_file m = { .mf_map = { .type = _MEM_MAP, .mm_prot = (uint32_t)prot,
	    .mm_addr = (uintptr_t)addr, .mm_len = len,
	    .mm_flags = (uint32_t)(MAP_SHARED | _MAP_FILEOBJ | (flags & MAP_FIXED)),
	    .mm_fd = -1, .mm_offset = off }, .mf_size = sb->sb_size };
	uintptr_t at;
	int slot = -1;
	long d, r;

	if ((r = grant(fd, prot, &m)) < 0)
		return r;
	if ((d = __px_dup(fd, 256, 0, 1)) < 0 && (d = __px_dup(fd, 0, 0, 1)) < 0)
		return d;
	LOCK(fmap_lock);
	for (int i = 0; i < FMAP_MAX && slot < 0; i++)
		if (fmaps[i].f_end == 0)
			slot = i;
	if (slot < 0) {
		UNLOCK(fmap_lock);
		__px_close((int)d);
		return -ENOMEM;
	}
	r = __px_mm_send_map(&m.mf_map, sizeof(m));
	at = (uintptr_t)r;
	if (r >= 0 && prot != PROT_NONE && (r = fill(fd, at, len, off)) < 0)
		__qsoe_mm_unmap((void *)at, len);
	if (r >= 0)
		fmaps[slot] = (struct fmap){ at, at + len, off, (int)d,
		    (prot & PROT_WRITE) != 0 };
	UNLOCK(fmap_lock);
	if (r < 0) {
		__px_close((int)d);
		return r;
	}
	return (long)at;
}

/*
 * mprotect of [addr, addr+n): a shared file mapping made writable needs
 * its fd open for writing (EACCES, as POSIX has it) and is written back
 * from then on.
 */
long __px_fmap_protect(void *addr, size_t n, int prot)
{
	uintptr_t a = (uintptr_t)addr, b = a + n;
	long r;

	LOCK(fmap_lock);
	for (int i = 0; i < FMAP_MAX && (prot & PROT_WRITE); i++) {
		int fd = fmaps[i].f_fd;

		if (fmaps[i].f_end && !fmaps[i].f_write && fmaps[i].f_start < b && a < fmaps[i].f_end &&
		    __px_fds[fd].f_known && (__px_fds[fd].f_oflag & O_ACCMODE) != O_RDWR) {
			UNLOCK(fmap_lock);
			return -EACCES;
		}
	}
	r = __qsoe_mm_protect(addr, n, prot);
	for (int i = 0; i < FMAP_MAX && r >= 0 && (prot & PROT_WRITE); i++)
		if (fmaps[i].f_end && fmaps[i].f_start < b && a < fmaps[i].f_end)
			fmaps[i].f_write = 1;	/* (the whole mapping: written back whole) */
	UNLOCK(fmap_lock);
	return r;
}

/* msync of [a, b): write back the shared file mappings in it (sync: fsync too). */
long __px_fmap_sync(uintptr_t a, uintptr_t b, int sync)
{
	long r;

	LOCK(fmap_lock);
	r = fmap_sync(a, b, sync);
	UNLOCK(fmap_lock);
	return r;
}

/* MAP_FIXED over [a, b): the shared file mappings there are written back and forgotten. */
void __px_fmap_replace(uintptr_t a, uintptr_t b)
{
	LOCK(fmap_lock);
	fmap_sync(a, b, 0);
	fmap_forget(a, b);
	UNLOCK(fmap_lock);
}

/* munmap of [addr, addr+n): write back, unmap (the memory manager), forget. */
long __px_fmap_unmap(void *addr, size_t n)
{
	uintptr_t a = (uintptr_t)addr;
	long r;

	LOCK(fmap_lock);
	fmap_sync(a, a + n, 0);
	r = __qsoe_mm_unmap(addr, n);
	if (r >= 0)
		fmap_forget(a, a + n);
	UNLOCK(fmap_lock);
	return r;
}
