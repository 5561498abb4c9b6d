/*
 * abi/procmgr.h - Skimmer's calls for the process manager (taskman).
 *
 * In QNX the process manager lives in the kernel (procnto); in QSOE it is
 * a user process, so the kernel offers it a few mechanisms that QNX does
 * not export: create an empty process, map memory into it, write into it
 * and learn when it dies.  Only a process with the process-manager
 * ability (the first process, taskman) may use them; others get EPERM.
 * On QSOE/L (seL4) taskman does the same with seL4's capabilities.
 */
#ifndef ABI_PROCMGR_H
#define ABI_PROCMGR_H

/*
 * ProcCreate(name, abilities, ign_pid, keep_dfl): a process with no
 * memory and no threads.  Its signal actions start at SIG_DFL, but with
 * ign_pid (a process; 0: none) non-zero it starts ignoring every signal
 * ign_pid ignores, except those in keep_dfl (bit signo - 1; 0 unless
 * ign_pid is given): spawn's POSIX inheritance of SIG_IGN, with
 * posix_spawn's POSIX_SPAWN_SETSIGDEF set as keep_dfl.  ESRCH for a
 * missing ign_pid.
 */

/* ProcCreate abilities (a subset of the caller's). */
#define PROC_ABILITY_PROCMGR	0x1	/* may use these calls */
#define PROC_ABILITY_IO		0x2	/* interrupts, device memory (MemMap MEM_PHYS) */

/*
 * fork: MemClone(dst, src, va, len) shares src's pages with dst
 * copy-on-write; ThreadClone(dst, src, tid, a0) starts dst's thread as a
 * copy of src's REPLY-blocked thread tid, returning a0 from its MsgSend.
 * ThreadExec(pid, tid, pc, sp) restarts REPLY-blocked thread tid as the
 * only thread of pid at pc/sp (exec).  ProcSetGroup(pid, pgid) records a
 * process group for SignalKill(-pgid).
 * (docs/kernel-calls.md.)
 */

/* MemMap flags. */
#define MEM_ANON		0x1	/* fresh zeroed frames, owned by the target */
#define MEM_PHYS		0x2	/* map physical memory at paddr (device memory) */
#define MEM_CONTIG		0x4	/* with MEM_ANON: physically contiguous, pinned
					   frames (DMA memory); paddr 0; both the caller
					   and the target need PROC_ABILITY_IO */
#define MEM_SHARED		0x8	/* with MEM_ANON: fresh zeroed frames mapped as
					   shared memory (owned and pinned, like DMA
					   memory but not contiguous): MemClone shares
					   them writable, MemShare maps them again */
#define MEM_LAZY		0x10	/* with MEM_ANON: reserve, do not map: every page of
					   the range with nothing mapped becomes a lazy
					   zero-fill page with prot (no frame yet); mapped
					   pages stay as they are.  A thread's access to a
					   lazy page faults to the pager; a kernel copy
					   (MsgReply, read() ...) fills it itself */
#define MEM_FILL		0x20	/* with MEM_ANON: a fresh zeroed frame for every
					   page of the range with nothing mapped (lazy or
					   not); mapped pages stay as they are: the pager's
					   answer to a fault, never -EEXIST */

/*
 * MemShare(dst_pid, dst_va, src_pid, src_va, len, prot): map the frames
 * of src's shared memory [src_va, src_va+len) (all of it MEM_SHARED or
 * MEM_CONTIG pages) at dst_va in dst (nothing mapped there), each page one
 * more holder of its frame: shared-memory objects and MAP_SHARED.
 * MemProtect(pid, va, len, prot): change the access of every mapped page
 * of [va, va+len) (mprotect); pages shared copy-on-write stay so.
 * (docs/kernel-calls.md.)
 */

/* MemMap protections: the POSIX PROT_* values. */
#define MEM_PROT_READ		0x1
#define MEM_PROT_WRITE		0x2
#define MEM_PROT_EXEC		0x4

/*
 * The pulse ProcNotify's channel receives when a process ends:
 * code _PULSE_CODE_PROCDEATH, value.sival_ptr = pid << 32 | wait status,
 * in the POSIX/Linux encoding: exit(n) gives (n & 0xff) << 8, death by
 * signal s gives s.  ProcDestroy(pid, wstatus) passes its wstatus through.
 */
#define _PULSE_CODE_PROCDEATH	(-48)

/*
 * With PROCNOTIFY_TIMES, sent just before _PULSE_CODE_PROCDEATH, on the same channel: the dead
 * process's CPU time, value.sival_ptr = pid << 32 | milliseconds (all its
 * threads, user and kernel time together; saturates at 2^32 - 1).
 * taskman adds it to the parent's children's time (getrusage).
 */
#define _PULSE_CODE_PROCTIMES	(-51)

/* ProcNotify(chid, flags): flags. */
#define PROCNOTIFY_TIMES	0x1	/* also send _PULSE_CODE_PROCTIMES */

/*
 * The pulse it receives when a process stops (a stop signal) or continues
 * (SIGCONT): value.sival_ptr = pid << 32 | wait status (WIFSTOPPED with
 * the signal, or WIFCONTINUED's 0xffff).  taskman turns these into
 * waitpid(WUNTRACED/WCONTINUED) results and SIGCHLD.
 */
#define _PULSE_CODE_PROCSTOP	(-49)

/*
 * Paging (ProcPager, PageFaultInfo, PageResume; kern/pager.c): the pager's
 * channel receives _PULSE_CODE_PAGEFAULT with value pid << 32 | tid when
 * a thread of a process it pages faults on a page the kernel cannot
 * resolve; PageFaultInfo fills struct _page_fault.
 */
#define _PULSE_CODE_PAGEFAULT	(-50)

/*
 * SysShutdownMode(mode): what the kernel does when init (taskman) ends:
 * power off with its exit status (the default), or restart the machine
 * (SBI system reset, cold reboot).  The process manager only.
 */
#define SYS_SHUTDOWN_MODE_POWEROFF	0
#define SYS_SHUTDOWN_MODE_REBOOT	1
#define PF_READ			0x1
#define PF_WRITE		0x2
#define PF_EXEC			0x4

#ifndef __ASSEMBLER__
#include <abi/cdefs.h>
/*
 * MemOffset(pid, va, len, info): where user address va of pid is in
 * physical memory (mem_offset, for DMA), and how many of the len bytes
 * from va are physically contiguous.
 */
struct _mem_phys {
	uint64_t	mp_paddr;	/* the physical address of va */
	uint64_t	mp_contig;	/* bytes from va that are contiguous (<= len) */
};
_Static_assert(sizeof(struct _mem_phys) == 16, "struct _mem_phys");

struct _page_fault {
	uint64_t	pf_vaddr;	/* the faulting address */
	uint32_t	pf_access;	/* PF_* */
	uint32_t	pf_reserved;
};
_Static_assert(sizeof(struct _page_fault) == 16, "struct _page_fault");
#endif

#endif
