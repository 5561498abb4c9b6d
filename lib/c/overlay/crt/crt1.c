/*
 * QSOE overlay of musl's crt/crt1.c: the program entry.
 *
 * A program started by taskman finds Linux's initial stack at sp (argc,
 * argv, envp, auxv), and a0 = 0.  The first process, started by the
 * kernel, finds an empty stack and a0 = BOOTIMG_VA, a1 = the boot image's
 * size (docs/boot.md).  For it, _start_c builds the initial stack musl
 * expects: argv = { "init" }, no environment, and an auxiliary vector with
 * the page size, the program headers (for TLS), the boot image
 * (AT_QSOE_BOOTIMG, AT_QSOE_BOOTIMG_SIZE) and, where the kernel puts it
 * above the stack, its command line (AT_QSOE_INITARGS); getauxval()
 * reads them.  A program taskman started first lets the POSIX layer
 * attach SYSMGR_COID and take the fds its parent passed (__qsoe_start).
 */
#include <features.h>
#include <elf.h>
#include <stdint.h>
#include <abi/vmlayout.h>
#include <sys/neutrino.h>
#include "libc.h"

#ifdef INIT_ARGS_VA
#define INITARGS	INIT_ARGS_VA	/* abi/vmlayout.h: the kernel command line */
#else
#define INITARGS	0
#endif

#define START "_start"

#include "crt_arch.h"

int main();
weak void _init();
weak void _fini();
int __libc_start_main(int (*)(), int, char **,
	void (*)(), void(*)(), void(*)());

/* The linker's symbol for our own ELF header (the first loaded page). */
extern const Elf64_Ehdr __ehdr_start __attribute__((__weak__, __visibility__("hidden")));

hidden void _start_c(long *p, void *dyn, uintptr_t a0, uintptr_t a1);

/* libc's POSIX layer: attach taskman, take the inherited fds (sysmgr.c). */
void __qsoe_start(long *sp);

void _start_c(long *p, void *dyn, uintptr_t a0, uintptr_t a1)
{
	if (a0 == BOOTIMG_VA) {
		const Elf64_Ehdr *eh = &__ehdr_start;
		long boot[] = {
			1, (long)"init", 0,		/* argc, argv */
			0,				/* envp */
			AT_PAGESZ, 4096,
			AT_PHDR, eh ? (long)((char *)eh + eh->e_phoff) : 0,
			AT_PHNUM, eh ? eh->e_phnum : 0,
			AT_PHENT, eh ? eh->e_phentsize : 0,
			AT_QSOE_BOOTIMG, (long)a0,
			AT_QSOE_BOOTIMG_SIZE, (long)a1,
			AT_QSOE_INITARGS, (long)INITARGS,
			AT_NULL, 0,
		};
		/* Never returns, so boot[] lives as long as the program. */
		__libc_start_main(main, 1, (char **)(boot + 1), _init, _fini, 0);
	}
	__qsoe_start(p);
	__libc_start_main(main, p[0], (char **)(p + 1), _init, _fini, 0);
}
