/*
 * user/rt/spawn.c - start a program from the boot image as a new process,
 * through the process manager's kernel calls (abi/procmgr.h).  This is the
 * first form of taskman's loader (issue D takes it over).
 */
#include "rt.h"
#include <abi/procmgr.h>
#include <abi/thread.h>
#include <abi/vmlayout.h>
#include "../../lib/elf/elf_load.h"
#include "../../lib/newc/newc.h"

#define CHILD_STACK	(64 * 1024)
#define PAGE		4096UL

static long
kc(long n, long a, long b, long c, long d, long e, long f)
{
	return __kercall(n, a, b, c, d, e, f);
}

/* Map an ELF segment's pages into the child and copy its file bytes. */
static int
load_seg(void *arg, const struct elf_segment *s)
{
	long pid = *(long *)arg;
	uint64_t start = s->es_vaddr & ~(PAGE - 1);
	uint64_t end = (s->es_vaddr + s->es_memsz + PAGE - 1) & ~(PAGE - 1);
	long prot = ((s->es_prot & ELF_PROT_R) ? MEM_PROT_READ : 0) |
	    ((s->es_prot & ELF_PROT_W) ? MEM_PROT_WRITE : 0) |
	    ((s->es_prot & ELF_PROT_X) ? MEM_PROT_EXEC : 0);
	long rc = kc(__KER_MemMap, pid, (long)start, (long)(end - start), prot, MEM_ANON, 0);

	if (rc == 0 && s->es_filesz)
		rc = kc(__KER_MemWrite, pid, (long)s->es_vaddr, (long)s->es_data, (long)s->es_filesz, 0, 0);
	return rc < 0 ? (int)rc : 0;
}

static int
dry_run(void *arg, const struct elf_segment *s)
{
	(void)arg;
	(void)s;
	return 0;
}

static void
no_return(void *unused)
{
	(void)unused;	/* a program's first thread never returns from _start */
}

long
rt_spawn(const void *img, uint64_t size, const char *path, uint64_t arg, long abilities)
{
	struct newc_entry e;
	struct _thread_attr attr;
	uint64_t entry;
	char err[96];
	const char *name = path;
	long pid, rc;

	if (newc_find(img, size, path, &e, err, sizeof(err)) != 1)
		return -ENOENT;
	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1])
			name = p + 1;
	/* Validate the whole image before creating anything. */
	if (elf_load(e.ne_data, e.ne_size, BOOTIMG_VA, dry_run, NULL, &entry, err, sizeof(err)) < 0) {
		rt_printf("spawn %s: %s\n", path, err);
		return -ENOEXEC;
	}
	pid = kc(__KER_ProcCreate, (long)name, abilities, 0, 0, 0, 0);
	if (pid < 0)
		return pid;
	rc = elf_load(e.ne_data, e.ne_size, BOOTIMG_VA, load_seg, &pid, &entry, err, sizeof(err));
	if (rc == 0)
		rc = kc(__KER_MemMap, pid, (long)(USER_STACK_TOP - CHILD_STACK), CHILD_STACK,
		    MEM_PROT_READ | MEM_PROT_WRITE, MEM_ANON, 0);
	if (rc == 0) {
		memset(&attr, 0, sizeof(attr));
		attr.__stackaddr = (void *)(USER_STACK_TOP - CHILD_STACK);
		attr.__stacksize = CHILD_STACK;
		attr.__exitfunc = no_return;
		rc = kc(__KER_ThreadCreate, pid, (long)entry, (long)arg, (long)&attr, 0, 0);
	}
	if (rc < 0) {
		kc(__KER_ProcDestroy, pid, 127, 0, 0, 0, 0);
		return rc;
	}
	return pid;
}
