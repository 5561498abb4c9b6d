/*
 * lib/elf/elf_load.h - validate a static RISC-V ELF64 executable and walk
 * its loadable segments.  Pure code, shared by the kernel's bootstrap of
 * taskman and by taskman's own loader.  Nothing is trusted: every offset,
 * size and address is checked before use, and errors say what was wrong.
 */
#ifndef ELF_LOAD_H
#define ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#define ELF_PROT_R	0x1
#define ELF_PROT_W	0x2
#define ELF_PROT_X	0x4

struct elf_segment {
	uint64_t	es_vaddr;	/* start (not necessarily page-aligned) */
	uint64_t	es_memsz;	/* bytes in memory */
	const void	*es_data;	/* file bytes to copy */
	uint64_t	es_filesz;	/* <= es_memsz; the rest is zero */
	unsigned	es_prot;	/* ELF_PROT_* */
};

/*
 * Check the image (size bytes) and call seg() for each PT_LOAD segment in
 * file order, all of which must lie below user_top.  Returns 0 with *entry
 * set, a negative value from seg() (which stops the walk), or -1 with a
 * message in err for a bad image.
 */
int elf_load(const void *image, size_t size, uint64_t user_top,
    int (*seg)(void *arg, const struct elf_segment *s), void *arg,
    uint64_t *entry, char *err, size_t errlen);

#endif
