// uses: taskman/common/elfaux.c
/*
 * Host tests of taskman/common/elfaux.c: the program headers are found in
 * the loaded segment that holds them, or reported for a copy, and header
 * fields that point outside the image are refused (exact-size buffers).
 */
#include "unit.h"
#include "../../taskman/common/elfaux.h"
#include <elf.h>
#include <stdint.h>

/* An ELF64 header with n program headers at phoff; the first is PT_LOAD of [0, load). */
static uint8_t *
image(size_t size, uint64_t phoff, int n, uint64_t load_off, uint64_t load_sz)
{
	uint8_t *b = calloc(1, size);
	Elf64_Ehdr eh = { .e_phoff = phoff, .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = (uint16_t)n };
	Elf64_Phdr ph = { .p_type = PT_LOAD, .p_offset = load_off, .p_vaddr = 0x10000 + load_off,
	    .p_filesz = load_sz, .p_memsz = load_sz };

	memcpy(b, &eh, sizeof(eh));
	if (phoff + sizeof(ph) <= size)
		memcpy(b + phoff, &ph, sizeof(ph));
	return b;
}

UNIT_TEST(headers_in_the_first_segment)
{
	uint8_t *b = image(4096, 64, 2, 0, 4096);
	struct elf_phdrs ph;

	CHECK_EQ(elfaux_phdrs(b, 4096, &ph), 0);
	CHECK_EQ(ph.ep_vaddr, 0x10000 + 64);
	CHECK_EQ(ph.ep_num, 2);
	CHECK_EQ(ph.ep_entsize, 56);
	CHECK(ph.ep_data == b + 64);
	free(b);
}

UNIT_TEST(headers_outside_every_segment)
{
	uint8_t *b = image(4096, 64, 1, 1024, 1024);	/* the segment starts after them */
	struct elf_phdrs ph;

	CHECK_EQ(elfaux_phdrs(b, 4096, &ph), 0);
	CHECK_EQ(ph.ep_vaddr, 0);			/* the caller copies them */
	CHECK_EQ(ph.ep_num, 1);
	free(b);
}

UNIT_TEST(bad_fields_are_refused)
{
	struct elf_phdrs ph;
	uint8_t *b;

	b = image(200, 64, 3, 0, 200);		/* 3 headers do not fit in 200 bytes */
	CHECK_EQ(elfaux_phdrs(b, 200, &ph), -1);
	free(b);
	b = image(200, 0xffffffffffffff00ULL, 1, 0, 200);
	CHECK_EQ(elfaux_phdrs(b, 200, &ph), -1);
	free(b);
	b = image(200, 64, 0, 0, 200);
	CHECK_EQ(elfaux_phdrs(b, 200, &ph), -1);
	free(b);
	for (size_t cut = 0; cut < 64 + 56; cut++) {
		uint8_t *full = image(4096, 64, 1, 0, 4096), *c = malloc(cut ? cut : 1);

		memcpy(c, full, cut);
		CHECK_EQ(elfaux_phdrs(c, cut, &ph), -1);
		free(c);
		free(full);
	}
}
