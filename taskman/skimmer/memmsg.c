/*
 * taskman/skimmer/memmsg.c - the memory manager's messages: anonymous
 * mmap, device memory (_MAP_PHYS), DMA memory (_MAP_PHYS | _MAP_ANONYMOUS),
 * munmap, mprotect and mem_offset for the sending process, which taskman
 * maps with MemMap/MemUnmap into that process (not into itself).
 */
#include "tm.h"

#define MAP_KNOWN	(_MAP_SHARED | _MAP_PRIVATE | _MAP_FIXED | _MAP_ANONYMOUS | _MAP_PHYS)
#define MAP_MAX		(1UL << 30)	/* one MemMap call maps at most 1 GiB */

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

	if (mm->subtype != 0 || (mm->mm_flags & ~(uint32_t)MAP_KNOWN) ||
	    (mm->mm_prot & ~(uint32_t)(7 | _PROT_NOCACHE)) || mm->mm_len == 0 ||
	    (share != _MAP_SHARED && share != _MAP_PRIVATE))
		return -EINVAL;
	if (!phys && (!(mm->mm_flags & _MAP_ANONYMOUS) || share == _MAP_SHARED))
		return -ENOTSUP;	/* file-backed and shared mappings: later */
	if (mm->mm_fd != -1 || (!(phys && !anon) && mm->mm_offset != 0) ||
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
	int64_t len = m->m_len == sizeof(*mm) ? map_check(mm, tp) : -EINVAL;
	long rc = len < 0 ? (long)len : 0;
	long prot = (long)(mm->mm_prot & 7);
	long how = (mm->mm_flags & _MAP_PHYS) ? ((mm->mm_flags & _MAP_ANONYMOUS) ?
	    MEM_ANON | MEM_CONTIG : MEM_PHYS) : MEM_ANON;

	if (rc == 0 && vm == NULL)
		rc = -EPERM;		/* taskman itself, or a process it did not start */
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
	/* PROT_NONE is a reservation: recorded, never mapped, so any access faults. */
	if (rc == 0 && prot != _PROT_NONE)
		rc = __kc_MemMap(m->m_info.pid, (long)r.mr_addr, len,
		    prot | ((prot & _PROT_WRITE) ? _PROT_READ : 0), how,
		    how == MEM_PHYS ? mm->mm_offset : 0);
	if (rc == 0 && vmmap_insert(vm, r.mr_addr, (uint64_t)len, (uint32_t)prot) < 0) {
		__kc_MemUnmap(m->m_info.pid, (long)r.mr_addr, len, 0, 0, 0);
		rc = -ENOMEM;
	}
	if (rc < 0)
		tm_error(m->m_rcvid, (int)-rc);
	else
		tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}

void
msg_mem_ctrl(struct tm_msg *m)
{
	const struct _mem_ctrl *mc = m->m_buf;
	struct vmmap *vm = sender_map(m);
	struct unmapper u = { m->m_info.pid };
	uint64_t len;
	long rc = 0;

	if (m->m_len != sizeof(*mc) || (mc->mc_addr & (TM_PAGE - 1)) || mc->mc_len == 0 ||
	    mc->mc_len > USER_SPACE_TOP || mc->mc_addr > USER_SPACE_TOP - mc->mc_len ||
	    (mc->subtype == _MEM_CTRL_UNMAP && mc->mc_prot != 0) || (mc->mc_prot & ~7u)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	len = (mc->mc_len + TM_PAGE - 1) & ~(TM_PAGE - 1);
	if (vm == NULL)
		rc = -EPERM;
	else if (mc->subtype == _MEM_CTRL_UNMAP)
		rc = vmmap_remove(vm, mc->mc_addr, len, unmap_piece, &u) < 0 ? -ENOMEM : 0;
	else if (mc->subtype == _MEM_CTRL_PROTECT)
		rc = vmmap_check(vm, mc->mc_addr, len, mc->mc_prot) == 1 ? -ENOSYS :
		    vmmap_check(vm, mc->mc_addr, len, mc->mc_prot);
	else
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
