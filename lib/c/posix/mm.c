/*
 * mmap, munmap, mprotect, msync: the argument checks Linux makes, then the
 * memory manager of qsoe_mm.h: anonymous memory (private, or shared with
 * fork's children), device memory (MAP_PHYS, mmap_device_memory),
 * shared-memory objects (taskman's /dev/shmem), private copies of
 * regular files (read here with pread) and shared mappings of regular
 * files (taskman's file objects, filled and written back by mapfile.c).
 *
 * The weak __qsoe_mm_* below are the default memory manager: messages to
 * taskman (_MEM_MAP, _MEM_CTRL; ENOSYS in the first process, which has no
 * taskman).  The local memory manager (libqsoe_local_mm.a) overrides them.
 */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <stdint.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/iomsg.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include "lock.h"
#include "px.h"
#include "qsoe_kernel.h"
#include "qsoe_mm.h"

#define PAGE	4096UL

/*
 * PROT_NONE reservations.  taskman cannot change a mapping's protection
 * yet (the kernel has no call for it), but musl reserves address space
 * with PROT_NONE and then opens parts of it with mprotect (mallocng's
 * meta areas, pthread stacks with their guard page).  A reserved page
 * was never accessible, so opening it is the same as mapping fresh zeroed
 * memory over it: the default manager remembers its reservations and
 * turns such an mprotect into a MAP_FIXED mapping.  Other protection
 * changes stay ENOSYS.
 */
#define RESV_MAX	256

struct resv { uintptr_t r_start, r_end; };
static struct resv resv[RESV_MAX];	/* r_end 0: free slot */
static volatile int resv_lock[1];

/* Forget [a, b) in every reservation (splitting one if needed); lock held. */
static void resv_cut(uintptr_t a, uintptr_t b)
{
	for (int i = 0; i < RESV_MAX; i++) {
		uintptr_t s = resv[i].r_start, e = resv[i].r_end;

		if (e == 0 || e <= a || s >= b)
			continue;
		resv[i].r_end = 0;
		if (s < a)
			resv[i] = (struct resv){ s, a };
		if (e > b) {
			for (int j = 0; j < RESV_MAX; j++)
				if (resv[j].r_end == 0) {
					resv[j] = (struct resv){ b, e };
					break;	/* (full: the tail is forgotten) */
				}
		}
	}
}

/* Is [a, b) inside one reservation?  Lock held. */
static int resv_holds(uintptr_t a, uintptr_t b)
{
	for (int i = 0; i < RESV_MAX; i++)
		if (resv[i].r_end && resv[i].r_start <= a && b <= resv[i].r_end)
			return 1;
	return 0;
}

_Static_assert(MAP_POPULATE == _MAP_POPULATE && MAP_LAZY == _MAP_LAZY &&
    MAP_NORESERVE == _MAP_NORESERVE, "mmap's flags are taskman's");

static long map_msg(uintptr_t addr, size_t len, int prot, int flags)
{
	struct _mem_map m = { .type = _MEM_MAP, .mm_prot = (uint32_t)prot,
	    .mm_addr = addr, .mm_len = len,
	    .mm_flags = (uint32_t)(flags & (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_POPULATE |
	    MAP_LAZY | MAP_NORESERVE)),
	    .mm_fd = -1 };
	struct _mem_map_reply r;
	long st = __px_sysmgr_send(&m, sizeof(m), &r, sizeof(r));

	return st < 0 ? st : (long)r.mr_addr;
}

/* Send a _MEM_MAP of size bytes (m first): the address, or -errno; its range is no reservation now. */
long __px_mm_send_map(const struct _mem_map *m, size_t size)
{
	struct _mem_map_reply r;
	long st;

	LOCK(resv_lock);
	st = __px_sysmgr_send(m, size, &r, sizeof(r));
	if (st >= 0)
		resv_cut(r.mr_addr, r.mr_addr + m->mm_len);
	UNLOCK(resv_lock);
	return st < 0 ? st : (long)r.mr_addr;
}

static long mem_ctrl(int subtype, void *addr, size_t len, int prot)
{
	struct _mem_ctrl m = { .type = _MEM_CTRL, .subtype = (uint16_t)subtype,
	    .mc_prot = (uint32_t)prot, .mc_addr = (uintptr_t)addr, .mc_len = len };

	return __px_sysmgr_send(&m, sizeof(m), 0, 0);
}

/* The default memory manager: taskman's _MEM_MAP and _MEM_CTRL. */
weak long __qsoe_mm_map(void *addr, size_t len, int prot, int flags)
{
	long r;

	LOCK(resv_lock);
	r = map_msg((uintptr_t)addr, len, prot, flags);
	if (r >= 0) {
		resv_cut((uintptr_t)r, (uintptr_t)r + len);
		if (prot == PROT_NONE)
			for (int i = 0; i < RESV_MAX; i++)
				if (resv[i].r_end == 0) {
					resv[i] = (struct resv){ (uintptr_t)r, (uintptr_t)r + len };
					break;
				}
	}
	UNLOCK(resv_lock);
	return r;
}

weak long __qsoe_mm_unmap(void *addr, size_t len)
{
	long r;

	LOCK(resv_lock);
	r = mem_ctrl(_MEM_CTRL_UNMAP, addr, len, 0);
	if (r >= 0)
		resv_cut((uintptr_t)addr, (uintptr_t)addr + len);
	UNLOCK(resv_lock);
	return r;
}

weak long __qsoe_mm_protect(void *addr, size_t len, int prot)
{
	uintptr_t a = (uintptr_t)addr;
	long r = mem_ctrl(_MEM_CTRL_PROTECT, addr, len, prot);

	if ((r != -ENOSYS && r != -ENOMEM) || prot == PROT_NONE)
		return r;
	LOCK(resv_lock);
	if (resv_holds(a, a + len)) {
		r = map_msg(a, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
		if (r >= 0) {
			resv_cut(a, a + len);
			r = 0;
		}
	}
	UNLOCK(resv_lock);
	return r;
}

/*
 * A detached thread's own stack: the _MEM_CTRL_UNMAP is sent from the
 * stack itself, by register-only code that ends the thread after the
 * (empty) reply (__qsoe_thread_exit_send), so the reply returns to no
 * memory.  musl has blocked every signal.  The range's reservation is
 * forgotten first: once taskman has unmapped it, a new PROT_NONE mapping
 * may be recorded there.  With no taskman the stack stays mapped.
 */
weak _Noreturn void __qsoe_mm_unmapself(void *base, size_t len,
    volatile int *ctid, int status)
{
	struct _mem_ctrl m = { .type = _MEM_CTRL, .subtype = _MEM_CTRL_UNMAP,
	    .mc_addr = (uintptr_t)base, .mc_len = len };

	if (__px_sysmgr < 0)
		__qsoe_thread_exit(ctid, 0, 0, 0, status);
	LOCK(resv_lock);
	resv_cut((uintptr_t)base, (uintptr_t)base + len);
	UNLOCK(resv_lock);
	__qsoe_thread_exit_send(__px_sysmgr, &m, sizeof(m), ctid, status);
}

/* Rounds len up to pages; 0 for a length that is zero or too large. */
static size_t page_len(size_t len)
{
	return len == 0 || len > SIZE_MAX - PAGE ? 0 : (len + PAGE - 1) & ~(PAGE - 1);
}

/*
 * MAP_PHYS: device memory at physical address off, or with MAP_ANONYMOUS
 * physically contiguous DMA memory (off 0), from taskman (which checks
 * the I/O ability), never from the local memory manager.
 */
static long phys_map(void *addr, size_t len, int prot, int flags, off_t off)
{
	struct _mem_map m = { .type = _MEM_MAP, .mm_prot = (uint32_t)prot,
	    .mm_addr = (uintptr_t)addr, .mm_len = len,
	    .mm_flags = (uint32_t)(flags & (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_PHYS)),
	    .mm_fd = -1, .mm_offset = off };
	struct _mem_map_reply r;
	long st = __px_sysmgr_send(&m, sizeof(m), &r, sizeof(r));

	return st < 0 ? st : (long)r.mr_addr;
}

/* _MEM_MAP of a shared-memory object (taskman's /dev/shmem, fd names it). */
static long obj_map(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct _mem_map m = { .type = _MEM_MAP, .mm_prot = (uint32_t)prot,
	    .mm_addr = (uintptr_t)addr, .mm_len = len,
	    .mm_flags = (uint32_t)(flags & (MAP_TYPE | MAP_FIXED)), .mm_fd = fd, .mm_offset = off };
	struct _mem_map_reply r;
	long st = __px_sysmgr_send(&m, sizeof(m), &r, sizeof(r));

	return st < 0 ? st : (long)r.mr_addr;
}

/*
 * A regular file on any server.  A file open only for writing gives
 * EACCES (its server refuses the read), a pipe or device ENODEV, and
 * PROT_WRITE of a shared mapping needs the fd open for reading and
 * writing (POSIX).  MAP_SHARED: file_shared.  MAP_PRIVATE: a private
 * copy, fresh memory filled with pread (the bytes past the end of the
 * file, to the end of the last page and beyond, are zeros), then given
 * its protection.
 */
static long file_copy(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct _io_stat_buf sb;
	size_t done = 0;
	long r, k = 1;
	char *p;

	if ((r = __px_fstat(fd, &sb)) < 0)
		return r;
	if (!S_ISREG(sb.sb_mode))
		return -ENODEV;
	if (__px_fds[fd].f_known && (__px_fds[fd].f_oflag & O_ACCMODE) == O_WRONLY)
		return -EACCES;
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) && __px_fds[fd].f_known &&
	    (__px_fds[fd].f_oflag & O_ACCMODE) == O_RDONLY)
		return -EACCES;		/* POSIX: shared writes need a writable fd */
	if ((flags & MAP_TYPE) == MAP_SHARED)
		return __px_file_shared(addr, len, prot, flags, fd, off, &sb);
	r = __qsoe_mm_map(addr, len, prot == PROT_NONE ? PROT_NONE : PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | (flags & MAP_FIXED));
	if (r < 0 || prot == PROT_NONE)
		return r;
	for (p = (char *)r; done < len && (k = __px_pread(fd, p + done, len - done, off + (off_t)done)) > 0; )
		done += (size_t)k;
	if (k >= 0 && prot != (PROT_READ | PROT_WRITE))
		k = __qsoe_mm_protect(p, len, prot);
	if (k < 0) {
		__qsoe_mm_unmap(p, len);
		return k == -EBADF ? -EACCES : k;	/* not open for reading */
	}
	return r;
}

static long file_map(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct _server_info si;
	long r;

	if (fd < 0 || fd >= PX_FD_MAX || ConnectServerInfo_r(0, fd, &si) != fd)
		return -EBADF;
	if (off < 0)
		return -EINVAL;
	if (si.pid == SYSMGR_PID && (r = obj_map(addr, len, prot, flags, fd, off)) != -ENODEV)
		return r;		/* a shared-memory object, or taskman's error */
	return file_copy(addr, len, prot, flags, fd, off);
}

/* SYS_mmap: Linux's checks, then anonymous memory from the manager. */
long __px_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	size_t n = page_len(len);

	if (n == 0 || ((uintptr_t)addr & (PAGE - 1)) || (off & (PAGE - 1)))
		return -EINVAL;
	if ((flags & MAP_PHYS) && !(prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_NOCACHE)) &&
	    ((flags & MAP_TYPE) == MAP_PRIVATE || (flags & MAP_TYPE) == MAP_SHARED))
		return phys_map(addr, n, prot, flags, off);	/* with MAP_ANONYMOUS: DMA memory */
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (flags & MAP_TYPE) != MAP_SHARED)
		return -EINVAL;
	if (flags & MAP_FIXED)		/* a shared file mapping it replaces is written back first */
		__px_fmap_replace((uintptr_t)addr, (uintptr_t)addr + n);
	if (!(flags & MAP_ANONYMOUS))
		return file_map(addr, n, prot, flags, fd, off);
	return __qsoe_mm_map(addr, n, prot, flags);
}

/*
 * SYS_msync: ENOMEM unless the range is all mapped (taskman knows);
 * shared file mappings in it are written back (MS_SYNC: and fsync'd).
 * Anonymous memory and shared-memory objects are the object itself, a
 * private mapping a copy: nothing to write back.  MS_INVALIDATE: with one
 * object per file there are no other cached copies to invalidate.
 */
long __px_msync(void *addr, size_t len, int flags)
{
	struct _mem_ctrl m = { .type = _MEM_CTRL, .subtype = _MEM_CTRL_MAPPED,
	    .mc_addr = (uintptr_t)addr, .mc_len = page_len(len) };
	long r;

	if (((uintptr_t)addr & (PAGE - 1)) || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)) || len > SIZE_MAX - PAGE)
		return -EINVAL;
	if (len == 0)
		return 0;
	if ((r = __px_sysmgr_send(&m, sizeof(m), 0, 0)) < 0)
		return r == -ENOSYS || r == -EPERM ? 0 : r;	/* ENOMEM: not all mapped */
	return __px_fmap_sync((uintptr_t)addr, (uintptr_t)addr + m.mc_len, (flags & MS_SYNC) != 0);
}

/*
 * SYS_munmap: EINVAL for an unaligned or empty range, else the manager;
 * shared file mappings in the range are written back first.
 */
long __px_munmap(void *addr, size_t len)
{
	size_t n = page_len(len);

	if (n == 0 || ((uintptr_t)addr & (PAGE - 1)))
		return -EINVAL;
	return __px_fmap_unmap(addr, n);
}

/* SYS_mprotect: EINVAL for bad arguments; an empty range is done. */
long __px_mprotect(void *addr, size_t len, int prot)
{
	size_t n = page_len(len);

	if (((uintptr_t)addr & (PAGE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	return n == 0 ? 0 : __px_fmap_protect(addr, n, prot);
}

/* QNX's device-memory calls: MAP_PHYS | MAP_SHARED, and munmap. */
void *mmap_device_memory(void *addr, size_t len, int prot, int flags, off_t physical)
{
	return mmap(addr, len, prot, flags | MAP_PHYS | MAP_SHARED, -1, physical);
}

int munmap_device_memory(void *addr, size_t len)
{
	return munmap(addr, len);
}

/*
 * QNX's mem_offset(addr, NOFD, len, &off, &contig): the physical address
 * of addr and how many of the len bytes from it are physically
 * contiguous (DMA memory is all of it).  taskman answers (_MEM_OFFSET),
 * for drivers only (EPERM).  Typed-memory file descriptors do not exist:
 * fd must be NOFD (else EBADF).
 */
static int mem_offset_msg(const void *addr, size_t len, off_t *off, size_t *contig)
{
	struct _mem_offset m = { .type = _MEM_OFFSET, .mo_addr = (uintptr_t)addr, .mo_len = len };
	struct _mem_offset_reply r;
	long st = __px_sysmgr_send(&m, sizeof(m), &r, sizeof(r));

	if (st < 0)
		return (int)-st;
	if (off)
		*off = (off_t)r.mo_paddr;
	if (contig)
		*contig = (size_t)r.mo_contig;
	return 0;
}

int mem_offset64(const void *addr, int fd, size_t len, off_t *off, size_t *contig)
{
	int e = fd != NOFD ? EBADF : mem_offset_msg(addr, len, off, contig);

	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}

int mem_offset(const void *addr, int fd, size_t len, off_t *off, size_t *contig)
{
	return mem_offset64(addr, fd, len, off, contig);
}

/* POSIX's typed-memory form: returns the error number; *fildes is NOFD. */
int posix_mem_offset(const void *restrict addr, size_t len, off_t *restrict off,
    size_t *restrict contig, int *restrict fildes)
{
	int e = mem_offset_msg(addr, len, off, contig);

	if (e == 0 && fildes)
		*fildes = NOFD;
	return e;
}
