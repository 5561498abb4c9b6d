// uses: lib/elf/elf_load.c
/*
 * Host tests of the ELF loader's checks (lib/elf): images built in memory
 * (two PT_LOAD segments like the linker's: text R+X, data R+W with bss),
 * every rejection, validate-then-act (no segment reported from a bad
 * image), every truncation, unaligned buffers, and a fuzz loop.  Images
 * live in exact-size heap buffers, so ASan reports any read outside them;
 * UBSan reports a misaligned header access.
 */
#include "unit.h"
#include "../../lib/elf/elf_load.h"
#include <elf.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define FUZZ_ITERS	5000
#define USER_TOP	0x3ff0000000ULL
#define ENTRY_SENTINEL	0x5a5a5a5a5a5a5a5aULL
#define MAXPH		70

/* Undefined behaviour must fail the test, also when built by hand. */
const char *__ubsan_default_options(void);
const char *
__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

/* ---- building images ---------------------------------------------------------- */

/* An image: headers as values, laid out by build() into exactly s_size bytes. */
struct spec {
	Elf64_Ehdr	s_eh;
	Elf64_Phdr	s_ph[MAXPH];
	int		s_nph;		/* headers written (e_phnum may claim otherwise) */
	size_t		s_size;
};

/*
 * The valid image: text (headers included, as ld does) at file 0 and
 * 0x10000, R+X; data at file 0x300 and 0x11300, R+W, 0x40 bytes of file
 * and 0x1200 in memory; a PT_GNU_STACK that is not loaded.
 */
#define TEXT_VA		0x10000
#define TEXT_SZ		0x300
#define DATA_OFF	0x300
#define DATA_VA		0x11300
#define DATA_FSZ	0x40
#define DATA_MSZ	0x1200
#define ENTRY		0x10100
#define IMG_SIZE	(DATA_OFF + DATA_FSZ)

static Elf64_Phdr
load(uint64_t off, uint64_t va, uint64_t filesz, uint64_t memsz, uint32_t flags)
{
	Elf64_Phdr p = { .p_type = PT_LOAD, .p_flags = flags, .p_offset = off,
	    .p_vaddr = va, .p_paddr = va, .p_filesz = filesz, .p_memsz = memsz,
	    .p_align = 0x1000 };

	return p;
}

static struct spec
valid(void)
{
	struct spec s;

	memset(&s, 0, sizeof(s));
	memcpy(s.s_eh.e_ident, ELFMAG, SELFMAG);
	s.s_eh.e_ident[EI_CLASS] = ELFCLASS64;
	s.s_eh.e_ident[EI_DATA] = ELFDATA2LSB;
	s.s_eh.e_ident[EI_VERSION] = EV_CURRENT;
	s.s_eh.e_type = ET_EXEC;
	s.s_eh.e_machine = EM_RISCV;
	s.s_eh.e_version = EV_CURRENT;
	s.s_eh.e_entry = ENTRY;
	s.s_eh.e_phoff = sizeof(Elf64_Ehdr);
	s.s_eh.e_flags = 5;		/* RVC, double-float */
	s.s_eh.e_ehsize = sizeof(Elf64_Ehdr);
	s.s_eh.e_phentsize = sizeof(Elf64_Phdr);
	s.s_eh.e_phnum = 3;
	s.s_ph[0] = load(0, TEXT_VA, TEXT_SZ, TEXT_SZ, PF_R | PF_X);
	s.s_ph[1] = load(DATA_OFF, DATA_VA, DATA_FSZ, DATA_MSZ, PF_R | PF_W);
	s.s_ph[2].p_type = PT_GNU_STACK;
	s.s_ph[2].p_flags = PF_R | PF_W;
	s.s_ph[2].p_align = 16;
	s.s_nph = 3;
	s.s_size = IMG_SIZE;
	return s;
}

static uint8_t
pattern(size_t i)
{
	return (uint8_t)(i * 13 + 5);
}

/*
 * Lay the image out at byte offset skew of a fresh heap buffer that ends
 * exactly where the image does; *mem is what to free().
 */
static uint8_t *
build(const struct spec *s, size_t skew, void **mem)
{
	size_t phsize = s->s_nph * sizeof(Elf64_Phdr);
	uint8_t *tmp = malloc(s->s_size + sizeof(s->s_eh) + sizeof(s->s_ph));
	uint8_t *buf = malloc(s->s_size + skew), *img = buf + skew;

	CHECK(tmp != NULL && buf != NULL);
	for (size_t i = 0; i < s->s_size; i++)
		tmp[i] = pattern(i);
	memcpy(tmp, &s->s_eh, sizeof(s->s_eh));
	if (s->s_eh.e_phoff <= s->s_size)
		memcpy(tmp + s->s_eh.e_phoff, s->s_ph, phsize);
	if (s->s_size)
		memcpy(img, tmp, s->s_size);
	free(tmp);
	*mem = buf;
	return img;
}

/* ---- running the loader ------------------------------------------------------- */

struct rec {
	int			r_calls;
	struct elf_segment	r_seg[MAXPH];
	int			r_fail_at;	/* call that returns r_fail_rc (-1: none) */
	int			r_fail_rc;
	const uint8_t		*r_img;		/* bounds every segment must respect */
	size_t			r_size;
};

static int
record(void *arg, const struct elf_segment *s)
{
	struct rec *r = arg;
	const uint8_t *d = s->es_data;
	unsigned sum = 0;

	CHECK(r->r_calls < MAXPH);
	CHECK(d >= r->r_img && s->es_filesz <= (size_t)(r->r_img + r->r_size - d));
	for (uint64_t i = 0; i < s->es_filesz; i++)
		sum += d[i];		/* ASan checks every byte */
	(void)sum;
	r->r_seg[r->r_calls] = *s;
	if (r->r_calls++ == r->r_fail_at)
		return r->r_fail_rc;
	return 0;
}

struct result {
	int		rs_rc;
	uint64_t	rs_entry;
	char		rs_err[128];
	struct rec	rs_rec;
};

static struct result
run_at(const struct spec *s, size_t skew, uint64_t top)
{
	struct result r;
	void *mem;
	uint8_t *img = build(s, skew, &mem);

	memset(&r, 0, sizeof(r));
	r.rs_entry = ENTRY_SENTINEL;
	r.rs_rec.r_fail_at = -1;
	r.rs_rec.r_img = img;
	r.rs_rec.r_size = s->s_size;
	r.rs_rc = elf_load(img, s->s_size, top, record, &r.rs_rec, &r.rs_entry,
	    r.rs_err, sizeof(r.rs_err));
	/* es_data pointers now dangle; keep them only as offsets. */
	for (int i = 0; i < r.rs_rec.r_calls; i++)
		r.rs_rec.r_seg[i].es_data = (const void *)((const uint8_t *)r.rs_rec.r_seg[i].es_data - img);
	free(mem);
	return r;
}

static struct result
run(const struct spec *s)
{
	return run_at(s, 0, USER_TOP);
}

/* The image must be refused with text in the error, and nothing reported. */
#define REJECT(spec, text) do {						\
	struct result __r = run(spec);					\
	if (__r.rs_rc != -1 || strstr(__r.rs_err, (text)) == NULL ||	\
	    __r.rs_rec.r_calls != 0 || __r.rs_entry != ENTRY_SENTINEL)	\
		unit_fail(__FILE__, __LINE__, "rc %d calls %d err \"%s\", wanted -1 \"%s\"", \
		    __r.rs_rc, __r.rs_rec.r_calls, __r.rs_err, (text));	\
} while (0)

#define ACCEPT(spec) do {						\
	struct result __r = run(spec);					\
	if (__r.rs_rc != 0)						\
		unit_fail(__FILE__, __LINE__, "rc %d err \"%s\", wanted 0", \
		    __r.rs_rc, __r.rs_err);				\
} while (0)

static void
check_valid_result(const struct result *r)
{
	const struct elf_segment *t = &r->rs_rec.r_seg[0], *d = &r->rs_rec.r_seg[1];

	CHECK_EQ(r->rs_rc, 0);
	CHECK_EQ(r->rs_entry, ENTRY);
	CHECK_EQ(r->rs_rec.r_calls, 2);
	CHECK_EQ(t->es_vaddr, TEXT_VA);
	CHECK_EQ(t->es_memsz, TEXT_SZ);
	CHECK_EQ(t->es_filesz, TEXT_SZ);
	CHECK_EQ((uintptr_t)t->es_data, 0);
	CHECK_EQ(t->es_prot, ELF_PROT_R | ELF_PROT_X);
	CHECK_EQ(d->es_vaddr, DATA_VA);
	CHECK_EQ(d->es_memsz, DATA_MSZ);
	CHECK_EQ(d->es_filesz, DATA_FSZ);
	CHECK_EQ((uintptr_t)d->es_data, DATA_OFF);
	CHECK_EQ(d->es_prot, ELF_PROT_R | ELF_PROT_W);
}

/* ---- valid images ------------------------------------------------------------- */

UNIT_TEST(valid_two_segments)
{
	struct spec s = valid();
	struct result r = run(&s);

	check_valid_result(&r);
	/* The data the callback saw is the file's (checked in place here). */
	void *mem;
	uint8_t *img = build(&s, 0, &mem);
	struct rec rec = { .r_fail_at = -1, .r_img = img, .r_size = s.s_size };
	uint64_t entry;

	CHECK_EQ(elf_load(img, s.s_size, USER_TOP, record, &rec, &entry, NULL, 0), 0);
	CHECK(rec.r_seg[1].es_data == img + DATA_OFF);
	CHECK_EQ(((const uint8_t *)rec.r_seg[1].es_data)[5], pattern(DATA_OFF + 5));
	free(mem);
}

/* Trailing bytes (section headers, symbols) past the segments are fine. */
UNIT_TEST(valid_with_trailing_data)
{
	struct spec s = valid();

	s.s_size += 4096 + 7;
	s.s_eh.e_shoff = IMG_SIZE;
	struct result r = run(&s);
	check_valid_result(&r);
}

UNIT_TEST(flags_to_prot)
{
	static const struct { uint32_t f; unsigned prot; } m[] = {
		{ 0, 0 }, { PF_R, ELF_PROT_R }, { PF_W, ELF_PROT_W },
		{ PF_R | PF_W, ELF_PROT_R | ELF_PROT_W },
		{ PF_X | PF_W | PF_R, ELF_PROT_R | ELF_PROT_W | ELF_PROT_X },
		{ PF_R | 0xf00000, ELF_PROT_R },		/* unknown bits ignored */
	};

	for (size_t i = 0; i < ARRAY_SIZE(m); i++) {
		struct spec s = valid();

		s.s_ph[1].p_flags = m[i].f;
		struct result r = run(&s);
		CHECK_EQ(r.rs_rc, 0);
		CHECK_EQ(r.rs_rec.r_seg[1].es_prot, m[i].prot);
	}
}

/* Non-PT_LOAD headers, and PT_LOADs of no memory, are not reported. */
UNIT_TEST(other_headers_skipped)
{
	struct spec s = valid();

	s.s_eh.e_phnum = 6;
	s.s_nph = 6;
	s.s_ph[3] = s.s_ph[1];
	s.s_ph[1].p_type = PT_NOTE;
	s.s_ph[1].p_offset = 0x1000000;		/* nonsense, but not loaded */
	s.s_ph[4] = load(0, TEXT_VA, 0, 0, PF_R);
	s.s_ph[5].p_type = 0x70000003;		/* PT_RISCV_ATTRIBUTES */
	s.s_ph[5].p_offset = 0x7fffffffffffffffULL;
	s.s_ph[5].p_filesz = 0x100;
	struct result r = run(&s);
	check_valid_result(&r);
}

UNIT_TEST(max_program_headers)
{
	struct spec s = valid();

	s.s_nph = s.s_eh.e_phnum = 64;
	for (int i = 2; i < 64; i++)
		s.s_ph[i].p_type = PT_NULL;
	/* 64 headers fill most of the first page: data goes on the next. */
	s.s_ph[1] = load(0x1000, DATA_VA - DATA_OFF + 0x1000, DATA_FSZ, DATA_MSZ, PF_R | PF_W);
	s.s_size = 0x1000 + DATA_FSZ;
	s.s_ph[0].p_filesz = s.s_ph[0].p_memsz = 0x1000;
	struct result r = run(&s);
	CHECK_EQ(r.rs_rc, 0);
	CHECK_EQ(r.rs_rec.r_calls, 2);
	/* One more is too many. */
	s.s_nph = s.s_eh.e_phnum = 65;
	s.s_ph[64].p_type = PT_NULL;
	REJECT(&s, "program header table size");
}

/* A segment may end exactly at user_top; entry may be at its first byte. */
UNIT_TEST(edges_accepted)
{
	struct spec s = valid();

	s.s_ph[1].p_vaddr = USER_TOP - 0x1000 - 0xd00;
	s.s_ph[1].p_memsz = 0x1000 + 0xd00;
	CHECK_EQ((s.s_ph[1].p_vaddr - DATA_OFF) % 4096, 0);
	ACCEPT(&s);
	s.s_eh.e_entry = TEXT_VA;
	ACCEPT(&s);
	s.s_eh.e_entry = TEXT_VA + TEXT_SZ - 1;
	ACCEPT(&s);
	/* The lowest legal address is page one. */
	s = valid();
	s.s_ph[0].p_vaddr = 0x1000;
	s.s_eh.e_entry = 0x1000;
	ACCEPT(&s);
	/* filesz == memsz == 0 bytes of file, all bss. */
	s = valid();
	s.s_ph[1].p_filesz = 0;
	ACCEPT(&s);
}

/* ---- rejections --------------------------------------------------------------- */

UNIT_TEST(reject_bad_magic)
{
	for (int i = 0; i < SELFMAG; i++) {
		struct spec s = valid();

		s.s_eh.e_ident[i] ^= 0x20;
		REJECT(&s, "bad magic");
	}
}

UNIT_TEST(reject_class_and_data)
{
	struct spec s = valid();

	s.s_eh.e_ident[EI_CLASS] = ELFCLASS32;
	REJECT(&s, "64-bit little-endian");
	s.s_eh.e_ident[EI_CLASS] = ELFCLASSNONE;
	REJECT(&s, "64-bit little-endian");
	s = valid();
	s.s_eh.e_ident[EI_DATA] = ELFDATA2MSB;
	REJECT(&s, "64-bit little-endian");
	s.s_eh.e_ident[EI_DATA] = ELFDATANONE;
	REJECT(&s, "64-bit little-endian");
}

UNIT_TEST(reject_type_and_machine)
{
	static const uint16_t types[] = { ET_NONE, ET_REL, ET_DYN, ET_CORE, 0xfe00, 0x200 };
	static const uint16_t machines[] = { EM_NONE, EM_X86_64, EM_AARCH64, EM_386, 0xf300 };

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		struct spec s = valid();

		s.s_eh.e_type = types[i];
		REJECT(&s, "ET_EXEC");
	}
	for (size_t i = 0; i < ARRAY_SIZE(machines); i++) {
		struct spec s = valid();

		s.s_eh.e_machine = machines[i];
		REJECT(&s, "RISC-V");
	}
}

UNIT_TEST(reject_phentsize_and_phnum)
{
	static const uint16_t sizes[] = { 0, 32, 55, 57, 64, 0xffff };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct spec s = valid();

		s.s_eh.e_phentsize = sizes[i];
		REJECT(&s, "program header table size");
	}
	struct spec s = valid();
	s.s_eh.e_phnum = 0;
	REJECT(&s, "program header table size");
	s.s_eh.e_phnum = 65;
	REJECT(&s, "program header table size");
	s.s_eh.e_phnum = PN_XNUM;
	REJECT(&s, "program header table size");
}

UNIT_TEST(reject_phdrs_past_end)
{
	static const uint64_t offs[] = {
		IMG_SIZE - 3 * 56 + 1, IMG_SIZE - 1, IMG_SIZE, IMG_SIZE + 1, 0x100000000ULL,
		UINT64_MAX, UINT64_MAX - 55, UINT64_MAX - 3 * 56 + 1,	/* phoff + table wraps */
		0x8000000000000000ULL, UINT64_MAX / 56 * 56,
	};

	for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
		struct spec s = valid();

		s.s_eh.e_phoff = offs[i];
		REJECT(&s, "program headers run past the end");
	}
	/* The table ending exactly at the end of the file is fine. */
	struct spec s = valid();
	s.s_eh.e_phoff = IMG_SIZE - 3 * 56;
	s.s_ph[0].p_filesz = s.s_ph[0].p_memsz = IMG_SIZE - 3 * 56;
	s.s_ph[1].p_filesz = 0;
	ACCEPT(&s);
	/* Too many headers for a file that holds only some. */
	s = valid();
	s.s_size = 64 + 3 * 56;
	s.s_ph[0].p_filesz = 64;
	s.s_ph[0].p_memsz = 0x1000;
	s.s_ph[1] = load(0, DATA_VA - DATA_OFF, 0, DATA_MSZ, PF_R | PF_W);
	ACCEPT(&s);
	s.s_eh.e_phnum = 4;
	REJECT(&s, "program headers run past the end");
}

UNIT_TEST(reject_filesz_over_memsz)
{
	struct spec s = valid();

	s.s_ph[1].p_memsz = DATA_FSZ - 1;
	REJECT(&s, "file size exceeds its memory size");
	s = valid();
	s.s_ph[0].p_filesz = UINT64_MAX;
	REJECT(&s, "file size exceeds its memory size");
}

UNIT_TEST(reject_segment_data_past_end)
{
	static const struct { uint64_t off, filesz; } c[] = {
		{ DATA_OFF, DATA_FSZ + 1 },
		{ IMG_SIZE, 1 },
		{ IMG_SIZE + 1, 0 },			/* even empty, the offset must be inside */
		{ IMG_SIZE + 0x1000, 0x10 },
		{ DATA_OFF, UINT64_MAX - DATA_OFF + 1 },	/* offset + filesz wraps to 0 */
		{ DATA_OFF + 0x1000, UINT64_MAX - 0x1000 },	/* wraps past the start */
		{ UINT64_MAX - 0xfff, 0x1000 },		/* wraps to 0, congruent */
		{ 0x8000000000000300ULL, 0x10 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct spec s = valid();

		s.s_ph[1].p_offset = c[i].off;
		s.s_ph[1].p_filesz = c[i].filesz;
		s.s_ph[1].p_memsz = c[i].filesz > DATA_MSZ ? c[i].filesz : DATA_MSZ;
		s.s_ph[1].p_vaddr = DATA_VA + ((c[i].off - DATA_OFF) & 0xfff);
		REJECT(&s, "segment data runs past the end");
	}
	/* Data ending exactly at the end of the file is fine. */
	struct spec s = valid();
	CHECK_EQ(s.s_ph[1].p_offset + s.s_ph[1].p_filesz, s.s_size);
	ACCEPT(&s);
}

UNIT_TEST(reject_outside_user_space)
{
	static const struct { uint64_t va, memsz; } c[] = {
		{ USER_TOP - 0x1d00, 0x1d01 },			/* one byte above */
		{ USER_TOP + 0x300, 0x40 },			/* wholly above */
		{ 0xfffffffffffff300ULL, 0x1000 },		/* wraps */
		{ 0xfffffffffffff300ULL, 0xd00 },		/* ends exactly at 2^64 */
		{ 0x8000000000000300ULL, 0x7fffffffffffffffULL },
		{ DATA_VA, UINT64_MAX },
		{ DATA_VA, UINT64_MAX - DATA_VA + 1 },		/* sums to exactly 0 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct spec s = valid();

		s.s_ph[1].p_vaddr = c[i].va;
		s.s_ph[1].p_memsz = c[i].memsz;
		REJECT(&s, "outside user space");
	}
	/* user_top is the caller's: a lower one rejects the valid image. */
	struct spec s = valid();
	struct result r = run_at(&s, 0, DATA_VA + DATA_MSZ - 1);
	CHECK_EQ(r.rs_rc, -1);
	CHECK_EQ(r.rs_rec.r_calls, 0);
	CHECK(strstr(r.rs_err, "outside user space") != NULL);
	r = run_at(&s, 0, DATA_VA + DATA_MSZ);
	CHECK_EQ(r.rs_rc, 0);
	r = run_at(&s, 0, 0);
	CHECK_EQ(r.rs_rc, -1);
}

UNIT_TEST(reject_page_zero)
{
	static const uint64_t vas[] = { 0, 0x10, 0x300, 0xfff };

	for (size_t i = 0; i < ARRAY_SIZE(vas); i++) {
		struct spec s = valid();

		s.s_size = 0x2000;			/* room for any offset below */
		s.s_ph[0].p_offset = vas[i];		/* congruent */
		s.s_ph[0].p_vaddr = vas[i];
		s.s_ph[0].p_filesz = 0x10;
		s.s_ph[0].p_memsz = 0x100;
		s.s_eh.e_entry = vas[i];
		REJECT(&s, "page zero");
	}
	/* A segment that starts in page zero and runs into page one. */
	struct spec s = valid();
	s.s_ph[0].p_vaddr = 0;
	s.s_ph[0].p_memsz = 0x2000;
	s.s_eh.e_entry = 0x1800;
	REJECT(&s, "page zero");
}

UNIT_TEST(reject_not_congruent)
{
	static const int64_t delta[] = { 1, -1, 0x10, 0x800, 0xfff, -0x300 };

	for (size_t i = 0; i < ARRAY_SIZE(delta); i++) {
		struct spec s = valid();

		s.s_ph[1].p_vaddr += delta[i];
		REJECT(&s, "modulo the page size");
	}
	/* A whole number of pages apart is fine. */
	struct spec s = valid();
	s.s_ph[1].p_vaddr += 0x5000;
	ACCEPT(&s);
}

UNIT_TEST(reject_no_load)
{
	struct spec s = valid();

	s.s_ph[0].p_type = PT_NOTE;
	s.s_ph[1].p_type = PT_DYNAMIC;
	REJECT(&s, "no loadable segment");
	/* PT_LOADs of no memory do not count. */
	s = valid();
	s.s_ph[0].p_memsz = s.s_ph[0].p_filesz = 0;
	s.s_ph[1].p_memsz = s.s_ph[1].p_filesz = 0;
	REJECT(&s, "no loadable segment");
}

UNIT_TEST(reject_bad_entry)
{
	static const uint64_t entries[] = {
		0, TEXT_VA - 1, TEXT_VA + TEXT_SZ, DATA_VA, DATA_VA + 0x100,
		DATA_VA + DATA_MSZ - 1, USER_TOP, UINT64_MAX,
	};

	for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
		struct spec s = valid();

		s.s_eh.e_entry = entries[i];
		REJECT(&s, "entry point");
	}
	/* Text that is not executable has no entry either. */
	struct spec s = valid();
	s.s_ph[0].p_flags = PF_R;
	REJECT(&s, "entry point");
	/* ... but an executable data segment would hold it. */
	s = valid();
	s.s_ph[1].p_flags = PF_R | PF_W | PF_X;
	s.s_eh.e_entry = DATA_VA + 0x800;
	ACCEPT(&s);
}

UNIT_TEST(reject_null_and_tiny)
{
	char err[64] = "";
	uint64_t entry = ENTRY_SENTINEL;
	struct rec r = { .r_fail_at = -1 };

	CHECK_EQ(elf_load(NULL, 4096, USER_TOP, record, &r, &entry, err, sizeof(err)), -1);
	CHECK(strstr(err, "too small") != NULL);
	CHECK_EQ(r.r_calls, 0);
	CHECK_EQ(entry, ENTRY_SENTINEL);
}

/* Validate, then act: a bad last segment means no segment is reported at all. */
UNIT_TEST(validate_before_any_callback)
{
	struct spec s = valid();

	s.s_eh.e_phnum = s.s_nph = 4;
	s.s_ph[3] = load(DATA_OFF, DATA_VA + 0x10000, DATA_FSZ, 0x10, PF_R);
	REJECT(&s, "file size exceeds");
	s.s_ph[3] = load(DATA_OFF, 0, DATA_FSZ, DATA_FSZ, PF_R);
	REJECT(&s, "page zero");
	s.s_ph[3] = load(DATA_OFF + 1, DATA_VA + 0x10000, DATA_FSZ, DATA_FSZ, PF_R);
	REJECT(&s, "segment data runs past");
	s.s_ph[3] = load(DATA_OFF, DATA_VA + 0x10001, DATA_FSZ - 1, DATA_FSZ, PF_R);
	REJECT(&s, "modulo");
	s.s_ph[3] = load(DATA_OFF, USER_TOP - 0xd00, DATA_FSZ, 0xd01, PF_R);
	REJECT(&s, "outside user space");
	/* Entry checked after all segments too. */
	s = valid();
	s.s_eh.e_entry = DATA_VA;
	REJECT(&s, "entry point");
}

UNIT_TEST(callback_error_stops_walk)
{
	struct spec s = valid();
	void *mem;
	uint8_t *img = build(&s, 0, &mem);
	struct rec r = { .r_fail_at = 0, .r_fail_rc = -12, .r_img = img, .r_size = s.s_size };
	uint64_t entry = ENTRY_SENTINEL;
	char err[64] = "untouched";

	CHECK_EQ(elf_load(img, s.s_size, USER_TOP, record, &r, &entry, err, sizeof(err)), -12);
	CHECK_EQ(r.r_calls, 1);
	CHECK_EQ(entry, ENTRY_SENTINEL);
	CHECK_STR(err, "untouched");
	r.r_calls = 0;
	r.r_fail_at = 1;
	r.r_fail_rc = -5;
	CHECK_EQ(elf_load(img, s.s_size, USER_TOP, record, &r, &entry, err, sizeof(err)), -5);
	CHECK_EQ(r.r_calls, 2);
	CHECK_EQ(entry, ENTRY_SENTINEL);
	/* A positive return is not an error: the walk goes on. */
	r.r_calls = 0;
	r.r_fail_at = 0;
	r.r_fail_rc = 7;
	CHECK_EQ(elf_load(img, s.s_size, USER_TOP, record, &r, &entry, err, sizeof(err)), 0);
	CHECK_EQ(r.r_calls, 2);
	CHECK_EQ(entry, ENTRY);
	free(mem);
}

UNIT_TEST(error_text_bounds)
{
	struct spec s = valid();
	void *mem;
	uint8_t *img;
	struct rec r = { .r_fail_at = -1 };
	uint64_t entry;
	char err[8];

	s.s_eh.e_machine = EM_X86_64;
	img = build(&s, 0, &mem);
	r.r_img = img;
	r.r_size = s.s_size;
	memset(err, 'q', sizeof(err));
	CHECK_EQ(elf_load(img, s.s_size, USER_TOP, record, &r, &entry, err, 4), -1);
	CHECK_STR(err, "not");
	CHECK_EQ(err[4], 'q');
	CHECK_EQ(elf_load(img, s.s_size, USER_TOP, record, &r, &entry, err, 1), -1);
	CHECK_STR(err, "");
	CHECK_EQ(elf_load(img, s.s_size, USER_TOP, record, &r, &entry, NULL, 64), -1);
	CHECK_EQ(elf_load(img, s.s_size, USER_TOP, record, &r, &entry, err, 0), -1);
	CHECK_EQ(r.r_calls, 0);
	free(mem);
}

/* ---- truncation, alignment ---------------------------------------------------- */

UNIT_TEST(truncated_at_every_length)
{
	struct spec s = valid();

	for (size_t len = 0; len <= IMG_SIZE; len++) {
		s.s_size = len;
		struct result r = run(&s);

		if (len < IMG_SIZE) {
			CHECK_EQ(r.rs_rc, -1);
			CHECK_EQ(r.rs_rec.r_calls, 0);
			CHECK(r.rs_err[0] != '\0');
			CHECK_EQ(r.rs_entry, ENTRY_SENTINEL);
		} else {
			check_valid_result(&r);
		}
	}
}

/* Headers at odd addresses must be copied, not cast (UBSan would see it). */
UNIT_TEST(unaligned_buffers)
{
	for (size_t skew = 0; skew < 16; skew++) {
		struct spec s = valid();
		struct result r = run_at(&s, skew, USER_TOP);

		check_valid_result(&r);
		/* Rejections work there too. */
		s.s_ph[1].p_vaddr++;
		r = run_at(&s, skew, USER_TOP);
		CHECK_EQ(r.rs_rc, -1);
		CHECK_EQ(r.rs_rec.r_calls, 0);
	}
	/* Program headers at an odd file offset. */
	struct spec s = valid();
	s.s_eh.e_phoff = 0x41;
	for (size_t skew = 0; skew < 8; skew++) {
		struct result r = run_at(&s, skew, USER_TOP);

		check_valid_result(&r);
	}
}

/* A program built by the cross build, when there is one (not required). */
UNIT_TEST(real_user_programs)
{
	static const char *const progs[] = { "build/user/kctest", "build/user/kcfault" };

	for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
		FILE *f = fopen(progs[i], "rb");
		uint8_t *full;
		long size;

		if (f == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		rewind(f);
		full = malloc(size);
		CHECK(fread(full, 1, size, f) == (size_t)size);
		fclose(f);

		/* The end of the last thing the loader must read. */
		Elf64_Ehdr eh;
		size_t need;
		memcpy(&eh, full, sizeof(eh));
		need = eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr);
		for (int p = 0; p < eh.e_phnum; p++) {
			Elf64_Phdr ph;

			memcpy(&ph, full + eh.e_phoff + p * sizeof(ph), sizeof(ph));
			if (ph.p_type == PT_LOAD && ph.p_memsz && ph.p_offset + ph.p_filesz > need)
				need = ph.p_offset + ph.p_filesz;
		}
		/* Every cut up to a little past that; beyond, only the whole file. */
		for (long len = 0; len <= size; len = len < (long)need + 64 ? len + 1 : size + (len == size)) {
			uint8_t *b = malloc(len);
			struct rec r = { .r_fail_at = -1, .r_img = b, .r_size = len };
			uint64_t entry = ENTRY_SENTINEL;
			char err[96] = "";
			int rc;

			memcpy(b, full, len);
			rc = elf_load(b, len, USER_TOP, record, &r, &entry, err, sizeof(err));
			if ((size_t)len < need) {
				CHECK_EQ(rc, -1);
				CHECK_EQ(r.r_calls, 0);
			} else {
				if (rc != 0)
					unit_fail(__FILE__, __LINE__, "%s: %s", progs[i], err);
				CHECK_EQ(entry, eh.e_entry);
				CHECK(r.r_calls >= 1);
				CHECK(r.r_seg[0].es_prot & ELF_PROT_X);
			}
			free(b);
		}
		free(full);
	}
}

/* ---- fuzzing ------------------------------------------------------------------ */

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Whatever the loader accepted must meet every promise of elf_load.h. */
static void
check_accepted(const struct result *r, uint64_t top)
{
	int entry_ok = 0;

	CHECK(r->rs_rec.r_calls >= 1);
	for (int i = 0; i < r->rs_rec.r_calls; i++) {
		const struct elf_segment *g = &r->rs_rec.r_seg[i];
		uint64_t off = (uintptr_t)g->es_data;

		CHECK(g->es_filesz <= g->es_memsz);
		CHECK(g->es_memsz > 0);
		CHECK(g->es_vaddr >= 4096);
		CHECK(g->es_vaddr + g->es_memsz > g->es_vaddr);
		CHECK(g->es_vaddr + g->es_memsz <= top);
		CHECK((g->es_vaddr - off) % 4096 == 0);
		if ((g->es_prot & ELF_PROT_X) && r->rs_entry >= g->es_vaddr &&
		    r->rs_entry - g->es_vaddr < g->es_memsz)
			entry_ok = 1;
	}
	CHECK(entry_ok);
}

static uint64_t
edge_value(size_t size)
{
	static const uint64_t v[] = { 0, 1, 2, 55, 56, 64, 0xfff, 0x1000, 0x1001, 0x7fffffff,
	    0xffffffff, 0x100000000ULL, USER_TOP, USER_TOP - 1, 0x8000000000000000ULL,
	    UINT64_MAX, UINT64_MAX - 0xfff, UINT64_MAX - 63 };

	switch (rnd() % 4) {
	case 0:
		return size + rnd() % 3 - 1;
	case 1:
		return rnd() % (2 * size + 1);
	default:
		return v[rnd() % ARRAY_SIZE(v)];
	}
}

static void
fuzz_one(uint8_t *m, size_t size, size_t skew, uint64_t top)
{
	struct result r;
	uint8_t *buf = malloc(size + skew), *img = buf + skew;

	memcpy(img, m, size);
	memset(&r, 0, sizeof(r));
	r.rs_entry = ENTRY_SENTINEL;
	r.rs_rec.r_fail_at = -1;
	r.rs_rec.r_img = img;
	r.rs_rec.r_size = size;
	r.rs_rc = elf_load(img, size, top, record, &r.rs_rec, &r.rs_entry,
	    r.rs_err, 1 + rnd() % sizeof(r.rs_err));
	for (int i = 0; i < r.rs_rec.r_calls; i++)
		r.rs_rec.r_seg[i].es_data = (const void *)((const uint8_t *)r.rs_rec.r_seg[i].es_data - img);
	CHECK(r.rs_rc == 0 || r.rs_rc == -1);
	if (r.rs_rc == 0) {
		check_accepted(&r, top);
	} else {
		CHECK_EQ(r.rs_rec.r_calls, 0);		/* validate, then act */
		CHECK_EQ(r.rs_entry, ENTRY_SENTINEL);
	}
	free(buf);
}

UNIT_TEST(fuzz)
{
	struct spec s = valid();
	void *mem;
	uint8_t *base, m[IMG_SIZE + 64];
	int accepted = 0;

	if (getenv("ELF_FUZZ_SEED"))
		rng_state = strtoull(getenv("ELF_FUZZ_SEED"), NULL, 0) | 1;
	base = build(&s, 0, &mem);
	for (int iter = 0; iter < FUZZ_ITERS; iter++) {
		size_t size = IMG_SIZE;
		int nmut = 1 + rnd() % 3;

		memcpy(m, base, IMG_SIZE);
		for (int k = 0; k < nmut; k++) {
			/* Most mutations hit the headers, where the checks are. */
			size_t hdrs = 64 + 3 * sizeof(Elf64_Phdr);
			size_t at = rnd() % (rnd() % 4 ? hdrs : IMG_SIZE);
			uint64_t v = edge_value(IMG_SIZE);

			switch (rnd() % 4) {
			case 0:
				m[at] ^= 1 + rnd() % 255;
				break;
			case 1:		/* a 64-bit field of a header set to an edge value */
				at &= ~7ULL;
				memcpy(m + at, &v, 8);
				break;
			case 2:		/* a 16-bit field (phnum, phentsize, type...) */
				at &= ~1ULL;
				memcpy(m + at, &v, 2);
				break;
			default:
				size = rnd() % (IMG_SIZE + 1);
				break;
			}
		}
		CHECK(size <= IMG_SIZE);
		fuzz_one(m, size, rnd() % 8, rnd() % 8 ? USER_TOP : edge_value(IMG_SIZE));
		uint64_t e;
		if (elf_load(m, size, USER_TOP, record, &(struct rec){ .r_fail_at = -1,
		    .r_img = m, .r_size = size }, &e, NULL, 0) == 0)
			accepted++;
	}
	CHECK(accepted > 0);		/* the fuzzer did not only make junk */
	free(mem);
}
