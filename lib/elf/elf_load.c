/*
 * lib/elf/elf_load.c - ELF64 executable validation (System V gABI, RISC-V psABI).
 */
#include "elf_load.h"

#define EI_NIDENT	16
#define ET_EXEC		2
#define EM_RISCV	243
#define PT_LOAD		1
#define PF_X		1
#define PF_W		2
#define PF_R		4
#define PAGE		4096ULL
#define MAX_PHDRS	64

struct ehdr {
	uint8_t		e_ident[EI_NIDENT];
	uint16_t	e_type, e_machine;
	uint32_t	e_version;
	uint64_t	e_entry, e_phoff, e_shoff;
	uint32_t	e_flags;
	uint16_t	e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct phdr {
	uint32_t	p_type, p_flags;
	uint64_t	p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

static int
fail(char *err, size_t errlen, const char *msg)
{
	size_t i = 0;

	if (err && errlen) {
		for (; i + 1 < errlen && msg[i]; i++)
			err[i] = msg[i];
		err[i] = '\0';
	}
	return -1;
}

static void
copy_bytes(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
}

static int
check_header(const struct ehdr *h, size_t size, char *err, size_t errlen)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	for (int i = 0; i < 4; i++)
		if (h->e_ident[i] != magic[i])
			return fail(err, errlen, "not an ELF file (bad magic)");
	if (h->e_ident[4] != 2 || h->e_ident[5] != 1)
		return fail(err, errlen, "not a 64-bit little-endian ELF file");
	if (h->e_type != ET_EXEC)
		return fail(err, errlen, "not a static executable (ET_EXEC)");
	if (h->e_machine != EM_RISCV)
		return fail(err, errlen, "not a RISC-V executable");
	if (h->e_phentsize != sizeof(struct phdr) || h->e_phnum == 0 || h->e_phnum > MAX_PHDRS)
		return fail(err, errlen, "bad program header table size");
	if (h->e_phoff > size || (uint64_t)h->e_phnum * sizeof(struct phdr) > size - h->e_phoff)
		return fail(err, errlen, "program headers run past the end of the file");
	return 0;
}

static int
check_segment(const struct phdr *p, size_t size, uint64_t user_top, char *err, size_t errlen)
{
	if (p->p_filesz > p->p_memsz)
		return fail(err, errlen, "segment's file size exceeds its memory size");
	if (p->p_offset > size || p->p_filesz > size - p->p_offset)
		return fail(err, errlen, "segment data runs past the end of the file");
	if (p->p_vaddr + p->p_memsz < p->p_vaddr || p->p_vaddr + p->p_memsz > user_top)
		return fail(err, errlen, "segment lies outside user space");
	if (p->p_vaddr < PAGE)
		return fail(err, errlen, "segment maps page zero");
	if ((p->p_vaddr - p->p_offset) % PAGE != 0)
		return fail(err, errlen, "segment offset and address disagree modulo the page size");
	return 0;
}

static void
read_phdr(const void *image, const struct ehdr *h, int i, struct phdr *p)
{
	copy_bytes(p, (const uint8_t *)image + h->e_phoff + i * sizeof(*p), sizeof(*p));
}

/* Validate, then act: every segment is checked before the first seg() call. */
int
elf_load(const void *image, size_t size, uint64_t user_top,
    int (*seg)(void *arg, const struct elf_segment *s), void *arg,
    uint64_t *entry, char *err, size_t errlen)
{
	struct ehdr h;
	struct phdr p;
	int loads = 0, entry_ok = 0;

	if (image == NULL || size < sizeof(h))
		return fail(err, errlen, "file too small for an ELF header");
	copy_bytes(&h, image, sizeof(h));		/* the image may be unaligned */
	if (check_header(&h, size, err, errlen) < 0)
		return -1;
	for (int i = 0; i < h.e_phnum; i++) {
		read_phdr(image, &h, i, &p);
		if (p.p_type != PT_LOAD || p.p_memsz == 0)
			continue;
		if (check_segment(&p, size, user_top, err, errlen) < 0)
			return -1;
		if (h.e_entry >= p.p_vaddr && h.e_entry < p.p_vaddr + p.p_memsz && (p.p_flags & PF_X))
			entry_ok = 1;
		loads++;
	}
	if (loads == 0)
		return fail(err, errlen, "no loadable segment");
	if (!entry_ok)
		return fail(err, errlen, "entry point is not in an executable segment");
	for (int i = 0; i < h.e_phnum; i++) {
		struct elf_segment s;
		int rc;

		read_phdr(image, &h, i, &p);
		if (p.p_type != PT_LOAD || p.p_memsz == 0)
			continue;
		s.es_vaddr = p.p_vaddr;
		s.es_memsz = p.p_memsz;
		s.es_data = (const uint8_t *)image + p.p_offset;
		s.es_filesz = p.p_filesz;
		s.es_prot = ((p.p_flags & PF_R) ? ELF_PROT_R : 0) |
		    ((p.p_flags & PF_W) ? ELF_PROT_W : 0) | ((p.p_flags & PF_X) ? ELF_PROT_X : 0);
		if ((rc = seg(arg, &s)) < 0)
			return rc;
	}
	*entry = h.e_entry;
	return 0;
}
