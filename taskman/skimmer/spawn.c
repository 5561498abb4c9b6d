/*
 * taskman/skimmer/spawn.c - _PROC_SPAWN: load an ELF program from the
 * boot image, or the caller's copy of one (_SPAWN_IMAGE), into a new process with Skimmer's process-manager calls
 * (ProcCreate, MemMap, MemWrite, ThreadCreate), with its arguments,
 * environment and auxv on the first stack (sys/procmsg.h).
 */
#include "tm.h"
#include "../../lib/elf/elf_load.h"
#include <abi/thread.h>

#define STACK_SLACK	(64 * 1024UL)	/* stack left for the program itself */

static uint8_t stackimg[_SPAWN_ARGS_MAX + 80 * 1024] __attribute__((aligned(16)));
static uint64_t stack_bytes = TM_STACK_SIZE;	/* the main stack tm_build_stack sized last */

uint64_t
tm_stack_size(const struct pt_proc *p)
{
	uint64_t soft = p->pp_rlim[_RLIMIT_STACK][0];

	if (soft == _RLIMIT_INFINITY)
		return TM_STACK_SIZE;
	soft = (soft + TM_PAGE - 1) & ~(TM_PAGE - 1);
	return soft < TM_STACK_MIN ? TM_STACK_MIN : soft > TM_STACK_MAX ? TM_STACK_MAX : soft;
}

struct loader {
	long		ld_pid;
	struct vmmap	*ld_vm;
};

static long
mem_prot(unsigned elf_prot)
{
	return ((elf_prot & ELF_PROT_R) ? MEM_PROT_READ : 0) |
	    ((elf_prot & ELF_PROT_W) ? MEM_PROT_WRITE | MEM_PROT_READ : 0) |
	    ((elf_prot & ELF_PROT_X) ? MEM_PROT_EXEC : 0);
}

/*
 * Map a segment's pages and copy its file bytes.  A page that an earlier
 * segment already mapped (two segments sharing a page) is reused as it
 * is; its protection stays the earlier segment's.
 */
static int
load_seg(void *arg, const struct elf_segment *s)
{
	struct loader *ld = arg;
	uint64_t start = s->es_vaddr & ~(TM_PAGE - 1);
	uint64_t end = (s->es_vaddr + s->es_memsz + TM_PAGE - 1) & ~(TM_PAGE - 1);
	long prot = mem_prot(s->es_prot), rc = 0;

	if (start < end && vmmap_check(ld->ld_vm, start, TM_PAGE, 0) >= 0)
		start += TM_PAGE;
	if (start < end && vmmap_check(ld->ld_vm, end - TM_PAGE, TM_PAGE, 0) >= 0)
		end -= TM_PAGE;
	if (start < end) {
		if (prot == 0)
			prot = MEM_PROT_READ;	/* MemMap needs R or X; nothing maps PROT_NONE code */
		rc = __kc_MemMap(ld->ld_pid, (long)start, (long)(end - start), prot, MEM_ANON, 0);
		if (rc == 0 && vmmap_insert(ld->ld_vm, start, end - start, (uint32_t)prot) < 0)
			rc = -ENOMEM;
	}
	if (rc == 0 && s->es_filesz)
		rc = __kc_MemWrite(ld->ld_pid, (long)s->es_vaddr, (long)s->es_data, (long)s->es_filesz, 0, 0);
	return rc < 0 ? (int)rc : 0;
}

/* Count the pages the segments will map, as load_seg maps them (a shared page once). */
struct dry {
	uint64_t	dr_bytes;
	uint64_t	dr_end;		/* the last segment's end (PT_LOADs ascend) */
};

static int
dry_run(void *arg, const struct elf_segment *s)
{
	struct dry *d = arg;
	uint64_t start = s->es_vaddr & ~(TM_PAGE - 1);
	uint64_t end = (s->es_vaddr + s->es_memsz + TM_PAGE - 1) & ~(TM_PAGE - 1);

	if (start < d->dr_end)
		start = d->dr_end;
	if (start < end)
		d->dr_bytes += end - start;
	if (end > d->dr_end)
		d->dr_end = end;
	return 0;
}

static void
no_return(void *unused)
{
	(void)unused;	/* a program's first thread never returns from _start */
}

/*
 * The image file of a program at path, through symbolic links (toybox's
 * applets are links to it, /bin/sh is one); -ENOENT/-ELOOP/-EACCES
 * checks.  Only where no server attached a longer prefix (a path under
 * /tmp is fs-ram's even if the image has /tmp): -ENOENT otherwise, and
 * libc reads the file itself and sends it (_SPAWN_IMAGE; posix/spawn.c).
 */
static long
image_program(const char *path, struct tm_prog *pg)
{
	const struct imagefs_node *n;
	struct pt_match m;
	int rc;

	if (pathtab_resolve(&tm.t_paths, path, _FTYPE_ANY, &m, 1) != 1 ||
	    m.pm_attach->pa_pid != SYSMGR_PID)
		return -ENOENT;		/* another server's path */
	if ((rc = imagefs_follow(&tm.t_fs, path, &n)) < 0)
		return rc;
	if ((n->in_mode & IMAGEFS_MODE_TYPE) != IMAGEFS_MODE_REG || !(n->in_mode & 0111))
		return -EACCES;
	pg->pg_data = n->in_data;
	pg->pg_size = n->in_size;
	return 0;
}

/*
 * The caller's copy of the file (_SPAWN_IMAGE): sp_image_len bytes after
 * the message's len bytes.  The sender is reply-blocked on us, so MsgRead
 * never waits; our copy lives until tm_prog_free.
 */
static long
sent_program(long rcvid, size_t off, size_t size, struct tm_prog *pg)
{
	void *copy = malloc(size);

	if (copy == NULL)
		return -ENOMEM;
	if (__kc_MsgRead(rcvid, (long)copy, (long)size, (long)off, 0, 0) != (long)size) {
		free(copy);
		return -EINVAL;		/* the send was shorter than it said */
	}
	pg->pg_copy = copy;
	pg->pg_data = copy;
	pg->pg_size = size;
	return 0;
}

long
tm_find_program(const struct spawn_req *r, long rcvid, size_t off, struct tm_prog *pg)
{
	struct dry d = { 0, 0 };
	char err[96];
	long rc;

	memset(pg, 0, sizeof(*pg));
	if (r->sr_msg->sp_flags & _SPAWN_IMAGE)
		rc = rcvid ? sent_program(rcvid, off, r->sr_msg->sp_image_len, pg) : -EINVAL;
	else
		rc = image_program(r->sr_path, pg);
	if (rc < 0)
		return rc;
	if (elf_load(pg->pg_data, pg->pg_size, TM_MMAP_LO, dry_run, &d, &pg->pg_entry,
	    err, sizeof(err)) < 0) {
		tm_log("taskman: spawn %s: %s\n", r->sr_path, err);
		tm_prog_free(pg);
		return -ENOEXEC;
	}
	pg->pg_mem = d.dr_bytes;
	return 0;
}

void
tm_prog_free(struct tm_prog *pg)
{
	free(pg->pg_copy);
	memset(pg, 0, sizeof(*pg));
}

const char *
tm_prog_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Weak randomness for AT_RANDOM: the timebase, mixed.  (No entropy source yet.) */
static void
fill_random(uint8_t *b, size_t n)
{
	uint64_t x = tm_now_ns() ^ 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		b[i] = (uint8_t)x;
	}
}

long
tm_build_stack(const struct spawn_req *r, const struct pt_proc *cred, int ppid,
    const struct tm_prog *pg)
{
	uint64_t entry = pg->pg_entry;
	struct spawn_aux aux = { .sa_entry = entry, .sa_ppid = ppid, .sa_cwd = cred->pp_cwd,
	    .sa_uid = cred->pp_uid[0], .sa_euid = cred->pp_uid[1],
	    .sa_gid = cred->pp_gid[0], .sa_egid = cred->pp_gid[1] };
	long used;

	fill_random(aux.sa_random, sizeof(aux.sa_random));
	if (elfaux_phdrs(pg->pg_data, pg->pg_size, &aux.sa_ph) < 0)
		return -ENOEXEC;	/* (elf_load accepted it, so this does not happen) */
	used = spawnmsg_stack(r, &aux, stackimg, sizeof(stackimg), USER_STACK_TOP);
	stack_bytes = tm_stack_size(cred);	/* the new program has cred's limits */
	if (used < 0 || (uint64_t)used > stack_bytes - STACK_SLACK)
		return -E2BIG;
	/* RLIMIT_AS: the image and the stack (the arguments are in it) are all it maps at first. */
	if (pg->pg_mem + stack_bytes > cred->pp_rlim[_RLIMIT_AS][0])
		return -ENOMEM;
	return used;
}

long
tm_write_stack(long pid, long used, struct vmmap *vm)
{
	long rc = __kc_MemMap(pid, (long)(USER_STACK_TOP - stack_bytes), (long)stack_bytes,
	    MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON | MEM_LAZY, 0);	/* pager.c */

	if (rc == 0)		/* the kernel's copy fills the pages it writes */
		rc = __kc_MemWrite(pid, (long)(USER_STACK_TOP - (uint64_t)used),
		    (long)(stackimg + sizeof(stackimg) - (size_t)used), used, 0, 0);
	if (rc >= 0)
		rc = vmmap_insert(vm, USER_STACK_TOP - stack_bytes, stack_bytes,
		    _PROT_READ | _PROT_WRITE | VMMAP_LAZY);
	return rc < 0 ? rc : (long)(USER_STACK_TOP - (uint64_t)used);
}

long
tm_load_elf(long pid, const struct tm_prog *pg, struct vmmap *vm)
{
	struct loader ld = { pid, vm };
	uint64_t entry;
	char err[96];

	return elf_load(pg->pg_data, pg->pg_size, TM_MMAP_LO, load_seg, &ld, &entry, err, sizeof(err));
}

/* Record the child, with its group and session as the flags ask; 0 or -errno. */
static long
adopt(long pid, struct pt_proc *parent, const struct spawn_req *r, const char *name,
    struct tm_proc *tp)
{
	struct pt_proc *c = proctab_add(&tm.t_procs, (int)pid, parent->pp_pid, name);
	uint32_t fl = r->sr_msg->sp_flags;
	long rc;

	if (c == NULL)
		return -ENOMEM;
	c->pp_priv = tp;
	rc = proctab_setexec(c, r->sr_path, r->sr_strings, r->sr_strings_len, r->sr_argc);
	if (rc == 0 && (fl & _SPAWN_SETSID))
		rc = proctab_setsid(&tm.t_procs, c->pp_pid);
	else if (rc == 0 && (fl & _SPAWN_SETPGROUP))
		rc = proctab_setpgid(&tm.t_procs, parent->pp_pid, c->pp_pid, r->sr_msg->sp_pgroup);
	if (rc == 0 && (fl & _SPAWN_SETSIGMASK)) {	/* the first thread's mask */
		uint64_t mask = r->sr_msg->sp_sigmask;

		rc = __kc_SignalProcmask(pid, 0, __ABI_SIG_SETMASK, (long)&mask, 0, 0);
	}
	if (rc < 0) {
		c->pp_priv = NULL;
		proctab_reap(&tm.t_procs, c);
		return rc;
	}
	tm_set_group(c);
	return 0;
}

void
tm_set_group(const struct pt_proc *p)
{
	long rc = __kc_ProcSetGroup(p->pp_pid, p->pp_pgid, 0, 0, 0, 0);

	if (rc == 0)
		rc = __kc_ProcSetCred(p->pp_pid, p->pp_uid[0], p->pp_uid[1], p->pp_uid[2],
		    p->pp_sid, 0);
	if (rc < 0 && rc != -ESRCH)	/* ESRCH: it is already gone */
		tm_log("taskman: ProcSetGroup/Cred(%d, %d): %ld\n", p->pp_pid, p->pp_pgid, rc);
}

void
tm_proc_free(struct pt_proc *p)
{
	struct tm_proc *tp = p->pp_priv;

	if (tp) {
		vmmap_fini(&tp->tp_vm);
		free(tp);
		p->pp_priv = NULL;
	}
}

static long
start_thread(long pid, uint64_t entry, uint64_t sp)
{
	struct _thread_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.__stackaddr = (void *)(USER_STACK_TOP - stack_bytes);
	attr.__stacksize = sp - (USER_STACK_TOP - stack_bytes);
	attr.__exitfunc = no_return;
	return __kc_ThreadCreate(pid, (long)entry, (long)sp, (long)&attr, 0, 0);
}

/* Start pg as r's program in a new process; the pid, or -errno with nothing left behind. */
static long
spawn_prog(struct pt_proc *parent, const struct spawn_req *r, long abilities,
    const struct tm_prog *pg)
{
	struct tm_proc *tp = calloc(1, sizeof(*tp));
	/* What the parent ignores stays ignored (POSIX), but for SETSIGDEF's set; not taskman's. */
	long ign_from = parent->pp_pid == SYSMGR_PID ? 0 : parent->pp_pid;
	uint64_t keep_dfl = (r->sr_msg->sp_flags & _SPAWN_SETSIGDEF) ? r->sr_msg->sp_sigdefault : 0;
	long pid, rc, sp;

	if (tp == NULL)
		return -ENOMEM;
	vmmap_init(&tp->tp_vm, TM_MMAP_LO, TM_MMAP_HI);
	tp->tp_abilities = abilities;
	pid = __kc_ProcCreate((long)tm_prog_name(r->sr_path), abilities, ign_from,
	    ign_from ? (long)keep_dfl : 0, 0, 0);
	if (pid < 0) {
		free(tp);
		return pid;
	}
	rc = tm_pager_attach(pid);
	if (rc >= 0)
		rc = tm_load_elf(pid, pg, &tp->tp_vm);
	if (rc >= 0)
		rc = tm_build_stack(r, parent, parent->pp_pid, pg);
	sp = rc < 0 ? rc : tm_write_stack(pid, rc, &tp->tp_vm);
	rc = sp < 0 ? sp : adopt(pid, parent, r, tm_prog_name(r->sr_path), tp);
	if (rc == 0 && (rc = start_thread(pid, pg->pg_entry, (uint64_t)sp)) < 0)
		proctab_reap(&tm.t_procs, proctab_find(&tm.t_procs, (int)pid));
	if (rc < 0) {
		__kc_ProcDestroy(pid, SIGKILL, 0, 0, 0, 0);	/* its death pulse finds no entry */
		vmmap_fini(&tp->tp_vm);
		free(tp);
		return rc;
	}
	return pid;
}

long
tm_spawn(int parent_pid, const struct spawn_req *r, long abilities, long rcvid, size_t off)
{
	struct pt_proc *parent = proctab_find(&tm.t_procs, parent_pid);
	struct tm_prog pg;
	long rc;

	if (parent == NULL || parent->pp_zombie)
		return -ESRCH;
	if (tm.t_shutdown || !proctab_nproc_ok(&tm.t_procs, parent))
		return -EAGAIN;		/* everything is ending, or RLIMIT_NPROC */
	if ((rc = tm_find_program(r, rcvid, off, &pg)) < 0)
		return rc;
	rc = spawn_prog(parent, r, abilities, &pg);
	tm_prog_free(&pg);
	return rc;
}

void
msg_spawn(struct tm_msg *m)
{
	struct spawn_req r;
	struct pt_proc *c;
	long rc = spawnmsg_decode(m->m_buf, m->m_len, &r);

	if (rc == 0)
		rc = tm_spawn(m->m_info.pid, &r, 0, m->m_rcvid, m->m_len);
	if (rc < 0) {
		tm_error(m->m_rcvid, (int)-rc);
		return;
	}
	c = proctab_find(&tm.t_procs, (int)rc);
	if (r.sr_nfds && c && c->pp_priv) {
		/* Answer when the child has taken its descriptors (or died). */
		((struct tm_proc *)c->pp_priv)->tp_spawn_rcvid = m->m_rcvid;
		return;
	}
	tm_reply(m->m_rcvid, rc, NULL, 0);
}

void
msg_spawn_done(struct tm_msg *m)
{
	const struct _msg_hdr *h = m->m_buf;
	struct pt_proc *c = proctab_find(&tm.t_procs, m->m_info.pid);
	struct tm_proc *tp = c ? c->pp_priv : NULL;

	if (m->m_len != sizeof(*h) || h->subtype != 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (tp && tp->tp_spawn_rcvid) {
		tm_reply(tp->tp_spawn_rcvid, c->pp_pid, NULL, 0);
		tp->tp_spawn_rcvid = 0;
	}
	tm_reply(m->m_rcvid, 0, NULL, 0);
}
