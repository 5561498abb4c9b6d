/*
 * taskman/common/elfaux.h - what a new program's auxv says about its own
 * ELF program headers (AT_PHDR, AT_PHENT, AT_PHNUM).  musl's start-up
 * walks them to find the PT_TLS segment of a static program, so they must
 * be in the program's memory.  Generic (no kernel calls).
 */
#ifndef TM_ELFAUX_H
#define TM_ELFAUX_H

#include <stddef.h>
#include <stdint.h>

struct elf_phdrs {
	const void	*ep_data;	/* the headers in the image */
	uint64_t	ep_vaddr;	/* where a PT_LOAD segment puts them, or 0 */
	uint32_t	ep_entsize;	/* AT_PHENT */
	uint32_t	ep_num;		/* AT_PHNUM */
};

/*
 * Find the program headers of an ELF64 image of size bytes.  Returns 0
 * and *ph (ep_vaddr 0 if no loaded segment holds them: the caller copies
 * them onto the stack), or -1 if the header fields point outside the image.
 */
int elfaux_phdrs(const void *image, size_t size, struct elf_phdrs *ph);

#endif
