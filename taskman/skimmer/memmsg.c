/*
 * taskman/skimmer/memmsg.c - the memory manager's messages: anonymous
 * mmap (private: lazy, each page zero-filled at its first touch, see
 * pager.c; or shared: MEM_SHARED, eager, which fork shares), shared-memory
 * objects and file objects (shmfs.c), device memory (_MAP_PHYS), DMA memory
 * (_MAP_PHYS | _MAP_ANONYMOUS), msync's check,
 * munmap, mprotect and mem_offset for the sending process, which taskman
 * maps with MemMap/MemUnmap into that process (not into itself).
 */
#include "tm.h"

#define MAP_KNOWN	(_MAP_SHARED | _MAP_PRIVATE | _MAP_FIXED | _MAP_ANONYMOUS | _MAP_PHYS | \
			 _MAP_POPULATE | _MAP_LAZY | _MAP_NORESERVE | _MAP_FILEOBJ)
#define MAP_MAX		TM_MAP_MAX

struct unmapper {
	long	u_pid;
};

static void
unmap_piece(void *arg, uint64_t start, uint64_t len)
{
	struct unmapper *u = arg;

	for (uint64_t off = 0; off < len; off += MAP_MAX)	/* MemUnmap: 1 GiB at most */
		__kc_MemUnmap(u->u_pid, (long)(start + off),
		    (long)(len - off < MAP_MAX ? len - off : MAP_MAX), 0, 0, 0);
}

void
tm_unmap_all(long pid, struct vmmap *vm)
{
	struct unmapper u = { pid };

	vmmap_remove(vm, 0, USER_SPACE_TOP, unmap_piece, &u);
	shmfs_file_gc();
}

static struct vmmap *
sender_map(const struct tm_msg *m)
{
	struct pt_proc *p = proctab_find(&tm.t_procs, m->m_info.pid);
	struct tm_proc *tp = p ? p->pp_priv : NULL;

	return tp ? &tp->tp_vm : NULL;
}

/* Check an mmap request; its page-rounded length, or -errno. */
static int64_t
map_check(const struct _mem_map *mm, const struct tm_proc *tp)
{
	uint64_t len = (mm->mm_len + TM_PAGE - 1) & ~(TM_PAGE - 1);
	uint32_t share = mm->mm_flags & (_MAP_SHARED | _MAP_PRIVATE);
	int phys = (mm->mm_flags & _MAP_PHYS) != 0;
	int anon = (mm->mm_flags & _MAP_ANONYMOUS) != 0;

	if ((mm->mm_flags & _MAP_FILEOBJ) && (share != _MAP_SHARED || anon || phys ||
	    (mm->mm_flags & _MAP_POPULATE) || mm->mm_fd != -1))
		return -EINVAL;		/* a file object: shared, mm_fd -1 */
	if (mm->mm_flags & _MAP_FILEOBJ)
		anon = 1;		/* for the checks below, but mm_offset is the file's */
	if (mm->subtype != 0 || (mm->mm_flags & ~(uint32_t)MAP_KNOWN) ||
	    (mm->mm_prot & ~(uint32_t)(7 | _PROT_NOCACHE)) || mm->mm_len == 0 ||
	    (share != _MAP_SHARED && share != _MAP_PRIVATE))
		return -EINVAL;
	if (!phys && !anon && mm->mm_fd < 0)
		return -EBADF;
	if (!phys && !anon && (mm->mm_offset < 0 || (mm->mm_offset & (TM_PAGE - 1))))
		return -EINVAL;		/* an object (shmfs.c; libc reads files itself) */
	if ((mm->mm_flags & _MAP_FILEOBJ) && (mm->mm_offset < 0 || (mm->mm_offset & (TM_PAGE - 1))))
		return -EINVAL;
	if ((!(!phys && !anon) && mm->mm_fd != -1) ||
	    (anon && !(mm->mm_flags & _MAP_FILEOBJ) && mm->mm_offset != 0) ||
	    (phys && (mm->mm_offset & (TM_PAGE - 1))))
		return -EINVAL;
	if (phys && (tp == NULL || !(tp->tp_abilities & PROC_ABILITY_IO)))
		return -EPERM;		/* device and DMA memory: drivers only */
	if (len < mm->mm_len || len > MAP_MAX || (phys && anon && len > _MAP_CONTIG_MAX))
		return -ENOMEM;
	if ((mm->mm_flags & _MAP_FIXED) && ((mm->mm_addr & (TM_PAGE - 1)) || mm->mm_addr < TM_PAGE ||
	    mm->mm_addr > USER_SPACE_TOP - len))
		return -EINVAL;
	return (int64_t)len;
}

void
msg_mem_map(struct tm_msg *m)
{
	const struct _mem_map *mm = m->m_buf;
	struct pt_proc *p = proctab_find(&tm.t_procs, m->m_info.pid);
	struct tm_proc *tp = p ? p->pp_priv : NULL;
	struct vmmap *vm = tp ? &tp->tp_vm : NULL;
	struct unmapper u = { m->m_info.pid };
	struct _mem_map_reply r;
	int fileobj = m->m_len >= sizeof(*mm) && (mm->mm_flags & _MAP_FILEOBJ);
	int64_t len = m->m_len == (fileobj ? sizeof(struct _mem_map_file) : sizeof(*mm)) ?
	    map_check(mm, tp) : -EINVAL;
	uint64_t obj = 0;
	long rc = len < 0 ? (long)len : 0;
	long prot = (long)(mm->mm_prot & 7);
	long how = (mm->mm_flags & _MAP_PHYS) ? ((mm->mm_flags & _MAP_ANONYMOUS) ?
	    MEM_ANON | MEM_CONTIG : MEM_PHYS) :
	    (mm->mm_flags & _MAP_SHARED) ? MEM_ANON | MEM_SHARED :
	    (mm->mm_flags & (_MAP_LAZY | _MAP_NORESERVE)) && !(mm->mm_flags & _MAP_POPULATE) ?
	    MEM_ANON | MEM_LAZY : MEM_ANON;
	uint32_t lazy = how == (MEM_ANON | MEM_LAZY) && (mm->mm_flags & _MAP_ANONYMOUS) ?
	    VMMAP_LAZY : 0;

	if (rc == 0 && vm == NULL)
		rc = -EPERM;		/* taskman itself, or a process it did not start */
	/*
	 * A file object needs its file system's grant (_MEM_CTRL_FILEGRANT,
	 * answering the sender's _IO_MMAP): shmfs_file_map checks it, before
	 * anything is replaced.
	 */
	if (rc == 0 && fileobj)
		rc = shmfs_file_may_map(m->m_info.pid, m->m_buf);
	if (rc == 0 && (mm->mm_flags & _MAP_FIXED)) {
		r.mr_addr = mm->mm_addr;
		if (vmmap_remove(vm, r.mr_addr, (uint64_t)len, unmap_piece, &u) < 0)
			rc = -ENOMEM;
	} else if (rc == 0) {
		rc = vmmap_find(vm, mm->mm_addr & ~(TM_PAGE - 1), (uint64_t)len, &r.mr_addr);
	}
	/* RLIMIT_AS: everything mapped (a MAP_FIXED's old pages are gone by now). */
	if (rc == 0 && vm->vm_bytes + (uint64_t)len > p->pp_rlim[_RLIMIT_AS][0])
		rc = -ENOMEM;
	/*
	 * PROT_NONE is a reservation: recorded, never mapped, so any access
	 * faults.  Private anonymous memory is lazy: its pages are only
	 * marked (MEM_LAZY), and filled at their first touch (pager.c).
	 */
	if (rc == 0 && fileobj)
		rc = shmfs_file_map(m->m_info.pid, m->m_buf, r.mr_addr, (uint64_t)len, &obj);
	else if (rc == 0 && !(mm->mm_flags & (_MAP_ANONYMOUS | _MAP_PHYS)))
		rc = shmfs_map(m->m_info.pid, mm, r.mr_addr, (uint64_t)len);
	else if (rc == 0 && prot != _PROT_NONE &&
	    (rc = __kc_MemMap(m->m_info.pid, (long)r.mr_addr, len,
	    prot | ((prot & _PROT_WRITE) ? _PROT_READ : 0), how,
	    how == MEM_PHYS ? mm->mm_offset : 0)) < 0 && lazy)
		__kc_MemUnmap(m->m_info.pid, (long)r.mr_addr, len, 0, 0, 0);	/* the marks made */
	if (rc == 0 && vmmap_insert(vm, r.mr_addr, (uint64_t)len, (uint32_t)prot | lazy) < 0) {
		__kc_MemUnmap(m->m_info.pid, (long)r.mr_addr, len, 0, 0, 0);
		rc = -ENOMEM;
	}
	if (rc == 0 && obj)
		vmmap_tag(vm, r.mr_addr, obj, r.mr_addr - (uint64_t)mm->mm_offset);	/* it starts there */
	if (fileobj || (mm->mm_flags & _MAP_FIXED))
		shmfs_file_gc();	/* what MAP_FIXED replaced, or a new object not mapped */
	if (rc < 0)
		tm_error(m->m_rcvid, (int)-rc);
	else
		tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}

/*
 * Apply prot to the recorded piece [a, b) whose protection was old
 * (VMMAP_LAZY if its pages come at their first touch: the kernel keeps
 * the marks of those not touched yet with the new access).
 */
static long
protect_piece(long pid, uint64_t a, uint64_t b, uint32_t old, uint32_t prot)
{
	long kp = (long)(prot | ((prot & _PROT_WRITE) ? _PROT_READ : 0));

	if ((old & VMMAP_PROT) == prot)
		return 0;
	if (old == (_PROT_NONE | VMMAP_LAZY))	/* a lazy reservation: marks open it */
		return __kc_MemMap(pid, (long)a, (long)(b - a), kp, MEM_ANON | MEM_LAZY, 0);
	if (old == _PROT_NONE)		/* a reservation: fresh zeroed memory opens it */
		return __kc_MemMap(pid, (long)a, (long)(b - a), kp, MEM_ANON, 0);
	return __kc_MemProtect(pid, (long)a, (long)(b - a), kp, 0, 0);
}

/*
 * mprotect of [addr, addr+len): it must be wholly recorded (ENOMEM).
 * Mapped pages change with MemProtect (fork's copy-on-write pages stay
 * so), PROT_NONE reservations are opened with fresh zeroed memory, and
 * taking all access from mapped pages is ENOTSUP: Sv39 has no valid
 * mapping without access, and unmapping would lose the contents.
 */
static long
protect(long pid, struct vmmap *vm, uint64_t addr, uint64_t len, uint32_t prot)
{
	uint64_t end = addr + len;
	long rc = vmmap_check(vm, addr, len, prot);

	if (rc <= 0)
		return rc;		/* the same protection, or a hole */
	for (struct vm_region *r = vm->vm_regions; r && prot == _PROT_NONE; r = r->vr_next)
		if (r->vr_end > addr && r->vr_start < end && (r->vr_prot & VMMAP_PROT) != _PROT_NONE)
			return -ENOTSUP;
	for (struct vm_region *r = vm->vm_regions; r; r = r->vr_next)
		if (r->vr_end > addr && r->vr_start < end && r->vr_obj &&
		    (r->vr_prot & VMMAP_PROT) == _PROT_NONE)
			return -ENOTSUP;	/* a file object's reservation: not fresh memory */
	for (struct vm_region *r = vm->vm_regions; r && (prot & _PROT_WRITE); r = r->vr_next)
		if (r->vr_end > addr && r->vr_start < end && r->vr_obj &&
		    !(r->vr_prot & _PROT_WRITE) &&
		    !shmfs_file_granted((int)pid, r->vr_obj, _PROT_WRITE))
			return -EACCES;		/* a file object: writable only as its server granted */
	for (struct vm_region *r = vm->vm_regions; r && rc >= 0; r = r->vr_next)
		if (r->vr_end > addr && r->vr_start < end)
			rc = protect_piece(pid, r->vr_start > addr ? r->vr_start : addr,
			    r->vr_end < end ? r->vr_end : end, r->vr_prot, prot);
	if (rc < 0)
		return rc;
	return vmmap_protect(vm, addr, len, prot) < 0 ? -ENOMEM : 0;
}

void
msg_mem_ctrl(struct tm_msg *m)
{
	const struct _mem_ctrl *mc = m->m_buf;
	struct vmmap *vm = sender_map(m);
	struct unmapper u = { m->m_info.pid };
	struct _mem_fill_reply fr;
	int done = m->m_len >= sizeof(*mc) && mc->subtype == _MEM_CTRL_FILEFILL &&
	    mc->mc_prot == _MEM_FILL_DONE;
	uint64_t len;
	long rc = 0;

	if (m->m_len >= sizeof(*mc) && mc->subtype == _MEM_CTRL_FILEGRANT) {
		rc = m->m_len != sizeof(struct _mem_file_grant) ? -EINVAL :
		    shmfs_grant(m->m_info.pid, m->m_buf);
		if (rc < 0)
			tm_error(m->m_rcvid, (int)-rc);
		else
			tm_reply(m->m_rcvid, 0, NULL, 0);
		return;
	}
	/*
	 * _MEM_FILL_DONE carries the pages' data after the header (whole
	 * pages, _MEM_FILL_DATA_MAX at most), read from the sender straight
	 * into the object; others are the header alone.
	 */
	if (m->m_len < sizeof(*mc) || (done ? (uint64_t)m->m_info.srcmsglen - sizeof(*mc) !=
	    mc->mc_len || mc->mc_len > _MEM_FILL_DATA_MAX || (mc->mc_len & (TM_PAGE - 1)) :
	    m->m_len != sizeof(*mc)) || (mc->mc_addr & (TM_PAGE - 1)) || mc->mc_len == 0 ||
	    mc->mc_len > USER_SPACE_TOP || mc->mc_addr > USER_SPACE_TOP - mc->mc_len ||
	    (mc->subtype == _MEM_CTRL_UNMAP && mc->mc_prot != 0) || (mc->mc_prot & ~7u)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	len = (mc->mc_len + TM_PAGE - 1) & ~(TM_PAGE - 1);
	if (vm == NULL)
		rc = -EPERM;
	else if (mc->subtype == _MEM_CTRL_UNMAP) {
		rc = vmmap_remove(vm, mc->mc_addr, len, unmap_piece, &u) < 0 ? -ENOMEM : 0;
		shmfs_file_gc();
	} else if (mc->subtype == _MEM_CTRL_MAPPED)
		rc = mc->mc_prot ? -EINVAL : vmmap_check(vm, mc->mc_addr, len, 0) < 0 ? -ENOMEM : 0;
	else if (mc->subtype == _MEM_CTRL_PROTECT)
		rc = protect(m->m_info.pid, vm, mc->mc_addr, len, mc->mc_prot);
	else if (mc->subtype == _MEM_CTRL_FILEFILL) {
		rc = shmfs_file_fill(vm, m->m_info.pid, mc->mc_addr, len, mc->mc_prot, m->m_rcvid,
		    &fr);
		if (rc >= 0) {
			tm_reply(m->m_rcvid, rc, &fr, sizeof(fr));
			return;
		}
	} else
		rc = -EINVAL;
	if (rc < 0)
		tm_error(m->m_rcvid, (int)-rc);
	else
		tm_reply(m->m_rcvid, 0, NULL, 0);
}

/* mem_offset: the kernel's MemOffset on the sender, for drivers only. */
void
msg_mem_offset(struct tm_msg *m)
{
	const struct _mem_offset *mo = m->m_buf;
	struct pt_proc *p = proctab_find(&tm.t_procs, m->m_info.pid);
	struct tm_proc *tp = p ? p->pp_priv : NULL;
	struct _mem_phys ph;
	struct _mem_offset_reply r;
	long rc;

	if (m->m_len != sizeof(*mo) || mo->subtype != 0 || mo->mo_zero != 0 || mo->mo_len == 0 ||
	    mo->mo_len > MAP_MAX) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (tp == NULL || !(tp->tp_abilities & PROC_ABILITY_IO)) {
		tm_error(m->m_rcvid, EPERM);
		return;
	}
	rc = __kc_MemOffset(m->m_info.pid, (long)mo->mo_addr, (long)mo->mo_len, (long)&ph, 0, 0);
	if (rc == -EINVAL)
		rc = -EACCES;		/* outside user space: nothing of the sender's is there */
	if (rc < 0) {
		tm_error(m->m_rcvid, (int)-rc);
		return;
	}
	r.mo_paddr = ph.mp_paddr;
	r.mo_contig = ph.mp_contig;
	tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}
