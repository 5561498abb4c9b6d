/*
 * taskman/common/elfaux.c - locate an ELF image's program headers for
 * auxv.  See elfaux.h.  Fields are read with memcpy (the image may be
 * unaligned) and every offset is checked against size.
 */
#include "elfaux.h"

#include <string.h>

#define EH_PHOFF	32	/* Elf64_Ehdr.e_phoff */
#define EH_PHENTSIZE	54
#define EH_PHNUM	56
#define EH_SIZE		64
#define PH_SIZE		56	/* sizeof(Elf64_Phdr) */
#define PT_LOAD		1

static uint64_t
rd(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);	/* little-endian host and target */
	return v;
}

int
elfaux_phdrs(const void *image, size_t size, struct elf_phdrs *ph)
{
	const uint8_t *b = image;
	uint64_t off, ent, num, end;

	if (size < EH_SIZE)
		return -1;
	off = rd(b + EH_PHOFF, 8);
	ent = rd(b + EH_PHENTSIZE, 2);
	num = rd(b + EH_PHNUM, 2);
	end = off + ent * num;
	if (ent < PH_SIZE || num == 0 || off > size || end > size || end < off)
		return -1;
	*ph = (struct elf_phdrs){ .ep_data = b + off, .ep_entsize = (uint32_t)ent,
	    .ep_num = (uint32_t)num };
	for (uint64_t i = 0; i < num; i++) {
		const uint8_t *p = b + off + i * ent;
		uint64_t p_off = rd(p + 8, 8), p_va = rd(p + 16, 8), p_filesz = rd(p + 32, 8);

		if (rd(p, 4) == PT_LOAD && p_off <= off && end <= p_off + p_filesz &&
		    p_off + p_filesz >= p_off) {
			ph->ep_vaddr = p_va + (off - p_off);
			break;
		}
	}
	return 0;
}
