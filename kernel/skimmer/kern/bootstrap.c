/*
 * kern/bootstrap.c - start the first user process.
 *
 * The kernel finds the init program (default /proc/boot/taskman; boot
 * option init=<path> picks another) in the boot image, loads its ELF
 * segments into a new address space, maps a stack and the whole boot image
 * read-only, and starts its first thread with the system's abilities:
 *
 *	a0 = BOOTIMG_VA (the image), a1 = its size in bytes
 *
 * and the kernel command line at INIT_ARGS_VA, just above its stack.
 *
 * ELF loading beyond this bootstrap belongs to taskman.
 */
#include <kern/bootinfo.h>
#include <kern/bootstrap.h>
#include <kern/cpu.h>
#include <kern/frame.h>
#include <kern/printf.h>
#include <kern/proc.h>
#include <kern/string.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/vmlayout.h>
#include <arch/memlayout.h>
#include "../../../lib/elf/elf_load.h"
#include "../../../lib/newc/newc.h"

struct loadctx {
	struct vmspace	*lc_vs;
};

/* Map one ELF segment page by page into fresh owned frames. */
static int
load_segment(void *arg, const struct elf_segment *s)
{
	struct loadctx *lc = arg;
	unsigned prot = ((s->es_prot & ELF_PROT_R) ? VMP_R : 0) |
	    ((s->es_prot & ELF_PROT_W) ? VMP_W | VMP_R : 0) |
	    ((s->es_prot & ELF_PROT_X) ? VMP_X : 0);
	uint64_t start = ALIGN_DOWN(s->es_vaddr, PAGE_SIZE);
	uint64_t end = ALIGN_UP(s->es_vaddr + s->es_memsz, PAGE_SIZE);

	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		paddr_t pa = frame_alloc(0, FRAME_ZERO);
		uint8_t *page;
		int rc;

		if (pa == 0)
			return -ENOMEM;
		page = phys_to_virt(pa);
		/* The part of [vaddr, vaddr+filesz) that falls in this page. */
		uint64_t lo = MAX(va, s->es_vaddr), hi = MIN(va + PAGE_SIZE, s->es_vaddr + s->es_filesz);
		if (lo < hi)
			memcpy(page + (lo - va), (const uint8_t *)s->es_data + (lo - s->es_vaddr), hi - lo);
		rc = vm_map(lc->lc_vs, va, pa, prot | VMP_OWNED);
		if (rc < 0) {
			frame_free(pa, 0);
			return rc;	/* -EEXIST: overlapping segments */
		}
	}
	return 0;
}

/* Map the boot image read-only; its frames stay reserved (not owned). */
static int
map_bootimg(struct vmspace *vs)
{
	paddr_t start = ALIGN_DOWN(bootinfo.bi_initrd_start, PAGE_SIZE);
	paddr_t end = ALIGN_UP(bootinfo.bi_initrd_end, PAGE_SIZE);

	if (end - start > BOOTIMG_MAX)
		return -E2BIG;
	for (paddr_t pa = start; pa < end; pa += PAGE_SIZE) {
		int rc = vm_map(vs, BOOTIMG_VA + (pa - start), pa, VMP_R);

		if (rc < 0)
			return rc;
	}
	return 0;
}

static const char *
basename_k(const char *path)
{
	const char *b = path;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			b = s + 1;
	return b;
}

int
bootstrap_init(const char *path)
{
	const void *img = phys_to_virt(bootinfo.bi_initrd_start);
	size_t imgsize = bootinfo.bi_initrd_end - bootinfo.bi_initrd_start;
	struct newc_entry e;
	struct loadctx lc;
	struct proc *p;
	uint64_t entry;
	char err[96];
	int rc;

	if (bootinfo.bi_initrd_start == 0) {
		kprintf("bootstrap: no boot image: cannot start %s\n", path);
		return -ENOENT;
	}
	rc = newc_find(img, imgsize, path, &e, err, sizeof(err));
	if (rc < 0) {
		kprintf("bootstrap: boot image is malformed: %s\n", err);
		return -EINVAL;
	}
	if (rc == 0) {
		kprintf("bootstrap: %s is not in the boot image\n", path);
		return -ENOENT;
	}
	p = proc_create(basename_k(path), PRA_SYSTEM);
	if (p == NULL)
		return -ENOMEM;
	lc.lc_vs = p->pr_vm;
	rc = elf_load(e.ne_data, e.ne_size, BOOTIMG_VA, load_segment, &lc, &entry, err, sizeof(err));
	if (rc == -1)
		kprintf("bootstrap: %s: %s\n", path, err);
	if (rc == 0)
		rc = vm_map_anon(p->pr_vm, USER_STACK_TOP - BOOT_STACK_SIZE, BOOT_STACK_SIZE,
		    VMP_R | VMP_W);
	if (rc == 0)
		rc = map_bootimg(p->pr_vm);
	_Static_assert(BOOT_ARGS_MAX <= INIT_ARGS_MAX, "the command line must fit");
	if (rc == 0) {
		char args[BOOT_ARGS_MAX];

		strlcpy(args, bootinfo.bi_bootargs, sizeof(args));
		rc = vm_copyout(p->pr_vm, INIT_ARGS_VA, args, strlen(args) + 1);
	}
	if (rc == 0) {
		struct uregs r = { .ur_pc = entry, .ur_sp = INIT_ARGS_VA, .ur_a0 = BOOTIMG_VA,
		    .ur_a1 = imgsize };

		rc = proc_thread_create(p, &r, PRI_USER_DEFAULT, mycpu());
	}
	if (rc > 0)
		rc = 0;
	if (rc < 0) {
		kprintf("bootstrap: cannot start %s (error %d)\n", path, rc);
		return rc < -1 ? rc : -ENOEXEC;	/* the half-built process is leaked: boot fails */
	}
	kprintf("bootstrap: started %s as pid %d\n", path, p->pr_pid);
	return 0;
}
