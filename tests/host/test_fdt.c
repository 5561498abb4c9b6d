// uses: kernel/skimmer/kern/fdt.c kernel/skimmer/kern/bootinfo.c kernel/skimmer/kern/printf.c
/*
 * Host tests of the device-tree parser (kern/fdt.c): QEMU's own trees and a
 * made-up board (tests/host/fixtures/ *.dts), then hostile blobs: every
 * truncation, corrupt headers, bad lengths and offsets, garbage, and a
 * byte-flipping fuzz loop that calls every API (bootinfo too).  Blobs live in
 * exact-size heap buffers, so ASan reports any read outside them.
 */
#include "unit.h"
#include "fixtures/fdt_fixture.h"
#include <kern/fdt.h>
#include <kern/bootinfo.h>
#include <abi/errno.h>
#include <sys/mman.h>

static struct fdt
load(const char *name, uint8_t **blobp, size_t *sizep)
{
	struct fdt f;
	size_t size;
	uint8_t *blob = fixture_load(name, &size);

	CHECK_EQ(fdt_init(&f, blob, size), 0);
	if (blobp)
		*blobp = blob;
	if (sizep)
		*sizep = size;
	return f;
}

static int
node(const struct fdt *f, const char *path)
{
	int n = fdt_path(f, path);

	if (n < 0)
		unit_fail(__FILE__, __LINE__, "no node %s", path);
	return n;
}

static uint32_t
prop_u32(const struct fdt *f, const char *path, const char *name)
{
	uint32_t v = 0xdeadbeef;

	if (fdt_getprop_u32(f, node(f, path), name, &v) != 0)
		unit_fail(__FILE__, __LINE__, "no u32 %s in %s", name, path);
	return v;
}

/* ---- well-formed trees ---------------------------------------------------- */

UNIT_TEST(header_fields)
{
	uint8_t *blob;
	size_t size;
	struct fdt f = load("qemu-virt-smp4", &blob, &size);

	CHECK(f.fd_blob == blob);
	CHECK_EQ(f.fd_size, size);
	CHECK_EQ(f.fd_struct, fx_be32(blob + 8));
	CHECK_EQ(f.fd_strings, fx_be32(blob + 12));
	CHECK_EQ(f.fd_rsvmap, 40);
	CHECK(f.fd_struct_size > 0 && f.fd_strings_size > 0);
	/* A larger readable window than totalsize is fine (the kernel passes 1 MiB). */
	uint8_t *big = calloc(1, size + 4096);
	memcpy(big, blob, size);
	CHECK_EQ(fdt_init(&f, big, size + 4096), 0);
	CHECK_EQ(f.fd_size, size);
	free(big);
}

UNIT_TEST(root_children_in_order)
{
	static const char *const want[] = {
		"pmu", "fw-cfg@10100000", "flash@20000000", "chosen", "poweroff",
		"reboot", "platform-bus@4000000", "memory@80000000", "cpus", "soc",
	};
	struct fdt f = load("qemu-virt-smp4", NULL, NULL);
	int root = fdt_root(&f), i = 0;

	CHECK(root >= 0);
	CHECK_STR(fdt_node_name(&f, root), "");
	for (int n = fdt_first_child(&f, root); n >= 0; n = fdt_next_sibling(&f, n), i++) {
		CHECK(i < (int)ARRAY_SIZE(want));
		CHECK_STR(fdt_node_name(&f, n), want[i]);
	}
	CHECK_EQ(i, ARRAY_SIZE(want));
	CHECK_EQ(fdt_next_sibling(&f, root), -1);
	/* Leaves have no children; the last child has no sibling. */
	CHECK_EQ(fdt_first_child(&f, node(&f, "/pmu")), -1);
	CHECK_EQ(fdt_next_sibling(&f, node(&f, "/soc")), -1);
	CHECK_EQ(fdt_next_sibling(&f, node(&f, "/soc/clint@2000000")), -1);
}

UNIT_TEST(path_lookup)
{
	struct fdt f = load("qemu-virt-smp4", NULL, NULL);
	int plic = node(&f, "/soc/plic@c000000");

	CHECK_EQ(fdt_path(&f, "/"), fdt_root(&f));
	CHECK_STR(fdt_node_name(&f, node(&f, "/cpus")), "cpus");
	CHECK_STR(fdt_node_name(&f, plic), "plic@c000000");
	/* Without the unit address: the first node of that name. */
	CHECK_EQ(fdt_path(&f, "/soc/plic"), plic);
	CHECK_STR(fdt_node_name(&f, node(&f, "/soc/virtio_mmio")), "virtio_mmio@10008000");
	CHECK_STR(fdt_node_name(&f, node(&f, "/soc/virtio_mmio@10003000")), "virtio_mmio@10003000");
	CHECK_STR(fdt_node_name(&f, node(&f, "/cpus/cpu@2/interrupt-controller")),
	    "interrupt-controller");
	CHECK_STR(fdt_node_name(&f, node(&f, "/cpus/cpu-map/cluster0/core3")), "core3");
	/* Repeated and trailing slashes are harmless. */
	CHECK_EQ(fdt_path(&f, "//soc//plic@c000000/"), plic);
	/* Things that must not match. */
	CHECK_EQ(fdt_path(&f, "/soc/plic@c000001"), -1);
	CHECK_EQ(fdt_path(&f, "/soc/plic@"), -1);
	CHECK_EQ(fdt_path(&f, "/soc/pl"), -1);		/* a prefix of a name */
	CHECK_EQ(fdt_path(&f, "/soc/plic@c00000"), -1);	/* a prefix of a unit address */
	CHECK_EQ(fdt_path(&f, "/soc/plic@c0000000"), -1);
	CHECK_EQ(fdt_path(&f, "/so"), -1);
	CHECK_EQ(fdt_path(&f, "/socx"), -1);
	CHECK_EQ(fdt_path(&f, "/cpu@0"), -1);		/* not at the root */
	CHECK_EQ(fdt_path(&f, "/cpus/cpu@0/nothing"), -1);
	CHECK_EQ(fdt_path(&f, "/pmu/x"), -1);
	CHECK_EQ(fdt_path(&f, "soc"), -1);		/* relative */
	CHECK_EQ(fdt_path(&f, ""), -1);
}

UNIT_TEST(properties)
{
	struct fdt f = load("qemu-virt-smp4", NULL, NULL);
	int soc = node(&f, "/soc"), uart = node(&f, "/soc/serial@10000000"), len = -1;
	const uint8_t *reg = fdt_getprop(&f, uart, "reg", &len);
	const char *s;
	uint32_t v;

	CHECK(reg != NULL);
	CHECK_EQ(len, 16);
	CHECK_EQ(fdt_read_cells(reg, 2), 0x10000000);
	CHECK_EQ(fdt_read_cells(reg + 8, 2), 0x100);
	CHECK_EQ(fdt_read_cells(reg + 4, 1), 0x10000000);
	CHECK_EQ(prop_u32(&f, "/soc/serial@10000000", "interrupts"), 10);
	CHECK_EQ(prop_u32(&f, "/soc/serial@10000000", "clock-frequency"), 3686400);
	CHECK_EQ(prop_u32(&f, "/cpus", "timebase-frequency"), 10000000);
	CHECK_EQ(prop_u32(&f, "/soc/plic@c000000", "riscv,ndev"), 96);
	CHECK_EQ(prop_u32(&f, "/", "#address-cells"), 2);
	s = fdt_getprop(&f, node(&f, "/chosen"), "bootargs", &len);
	CHECK_STR(s, "selftest foo=bar");
	CHECK_EQ(len, 17);
	/* An empty property is present, with length 0; lenp may be NULL. */
	len = -1;
	CHECK(fdt_getprop(&f, soc, "ranges", &len) != NULL);
	CHECK_EQ(len, 0);
	CHECK(fdt_getprop(&f, soc, "ranges", NULL) != NULL);
	CHECK_EQ(fdt_getprop_u32(&f, soc, "ranges", &v), -EINVAL);	/* too short */
	/* Absent: no prefix or suffix matches either. */
	CHECK(fdt_getprop(&f, uart, "interrupt", NULL) == NULL);
	CHECK(fdt_getprop(&f, uart, "interruptsx", NULL) == NULL);
	CHECK(fdt_getprop(&f, uart, "", NULL) == NULL);
	CHECK_EQ(fdt_getprop_u32(&f, uart, "nothing", &v), -EINVAL);
	/* Properties of a child are not the parent's. */
	CHECK(fdt_getprop(&f, soc, "interrupts", NULL) == NULL);
	/* A 64-bit property through fdt_read_cells(…, 2). */
	uint8_t *blob;
	size_t size;
	f = load("odd-board", &blob, &size);
	const uint8_t *p = fdt_getprop(&f, node(&f, "/chosen"), "linux,initrd-start", &len);
	CHECK(p != NULL);
	CHECK_EQ(len, 8);
	CHECK_EQ(fdt_read_cells(p, 2), 0x100000000ULL);
}

UNIT_TEST(compatible)
{
	struct fdt f = load("qemu-virt-smp4", NULL, NULL);
	int plic = node(&f, "/soc/plic@c000000"), test = node(&f, "/soc/test@100000");

	CHECK(fdt_is_compatible(&f, plic, "sifive,plic-1.0.0"));
	CHECK(fdt_is_compatible(&f, plic, "riscv,plic0"));
	CHECK(!fdt_is_compatible(&f, plic, "riscv,plic"));	/* prefix */
	CHECK(!fdt_is_compatible(&f, plic, "plic0"));		/* suffix */
	CHECK(!fdt_is_compatible(&f, plic, "sifive,plic-1.0.0riscv,plic0"));
	CHECK(!fdt_is_compatible(&f, plic, ""));
	CHECK(fdt_is_compatible(&f, test, "syscon"));
	CHECK(fdt_is_compatible(&f, test, "sifive,test0"));
	CHECK(!fdt_is_compatible(&f, node(&f, "/cpus"), "riscv"));	/* no property */
}

UNIT_TEST(find_compatible_iterates)
{
	struct fdt f = load("qemu-virt-smp4", NULL, NULL);
	uint32_t base = 0x10008000, irq = 8;
	int n, count = 0;

	/* The 8 virtio-mmio slots, in tree order (QEMU lists them downwards). */
	for (n = fdt_find_compatible(&f, -1, "virtio,mmio"); n >= 0;
	    n = fdt_find_compatible(&f, n, "virtio,mmio"), count++) {
		int len;
		const uint8_t *reg = fdt_getprop(&f, n, "reg", &len);
		uint32_t v;

		CHECK(reg != NULL && len == 16);
		CHECK_EQ(fdt_read_cells(reg, 2), base);
		CHECK_EQ(fdt_getprop_u32(&f, n, "interrupts", &v), 0);
		CHECK_EQ(v, irq);
		base -= 0x1000;
		irq--;
	}
	CHECK_EQ(count, 8);
	/* Nested nodes too: one cpu-intc per hart. */
	count = 0;
	for (n = fdt_find_compatible(&f, -1, "riscv,cpu-intc"); n >= 0;
	    n = fdt_find_compatible(&f, n, "riscv,cpu-intc"))
		count++;
	CHECK_EQ(count, 4);
	/* The root itself is a candidate; a second string of a list matches. */
	CHECK_EQ(fdt_find_compatible(&f, -1, "riscv-virtio"), fdt_root(&f));
	CHECK_EQ(fdt_find_compatible(&f, -1, "riscv,clint0"), node(&f, "/soc/clint@2000000"));
	CHECK_EQ(fdt_find_compatible(&f, -1, "simple-bus"), node(&f, "/platform-bus@4000000"));
	CHECK_EQ(fdt_find_compatible(&f, node(&f, "/platform-bus@4000000"), "simple-bus"),
	    node(&f, "/soc"));
	CHECK_EQ(fdt_find_compatible(&f, node(&f, "/soc"), "simple-bus"), -1);
	CHECK_EQ(fdt_find_compatible(&f, -1, "virtio,mmi"), -1);
	CHECK_EQ(fdt_find_compatible(&f, -1, "no,such-device"), -1);
}

UNIT_TEST(smp1_tree)
{
	struct fdt f = load("qemu-virt-smp1", NULL, NULL);
	int cpus = node(&f, "/cpus"), count = 0;

	for (int n = fdt_first_child(&f, cpus); n >= 0; n = fdt_next_sibling(&f, n))
		count++;
	CHECK_EQ(count, 2);			/* cpu@0, cpu-map */
	CHECK_EQ(fdt_path(&f, "/cpus/cpu@1"), -1);
	CHECK(fdt_getprop(&f, node(&f, "/chosen"), "bootargs", NULL) == NULL);
	CHECK(fdt_getprop(&f, node(&f, "/chosen"), "linux,initrd-start", NULL) == NULL);
}

UNIT_TEST(memreserve_block)
{
	struct fdt f = load("odd-board", NULL, NULL);
	uint64_t base = 1, size = 1;

	CHECK(fdt_rsvmap_entry(&f, 0, &base, &size));
	CHECK_EQ(base, 0x80000000);
	CHECK_EQ(size, 0x200000);
	CHECK(fdt_rsvmap_entry(&f, 1, &base, &size));
	CHECK_EQ(base, 0x8fe00000);
	CHECK_EQ(size, 0x1000);
	CHECK(!fdt_rsvmap_entry(&f, 2, &base, &size));		/* the terminator */
	CHECK(!fdt_rsvmap_entry(&f, -1, &base, &size));
	CHECK(!fdt_rsvmap_entry(&f, 1 << 30, &base, &size));
	f = load("qemu-virt-smp1", NULL, NULL);
	CHECK(!fdt_rsvmap_entry(&f, 0, &base, &size));
}

/* Offsets that are not nodes give NULL/-1, never a read outside the blob. */
UNIT_TEST(bad_node_offsets)
{
	struct fdt f = load("qemu-virt-smp4", NULL, NULL);
	int root = fdt_root(&f), prop = ALIGN_UP(root + 8, 4);	/* root's first property */
	const int bad[] = { -1, -4, 1, 2, 3, prop, (int)f.fd_struct_size - 4,
	    (int)f.fd_struct_size, (int)f.fd_struct_size + 4, 0x7ffffffc, -0x7fffffff - 1 };
	uint32_t v;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int n = bad[i];

		CHECK(fdt_node_name(&f, n) == NULL);
		CHECK(fdt_getprop(&f, n, "compatible", NULL) == NULL);
		CHECK_EQ(fdt_getprop_u32(&f, n, "#address-cells", &v), -EINVAL);
		CHECK(!fdt_is_compatible(&f, n, "riscv-virtio"));
		CHECK_EQ(fdt_first_child(&f, n), -1);
		CHECK_EQ(fdt_next_sibling(&f, n), -1);
		int c = fdt_find_compatible(&f, n, "virtio,mmio");
		CHECK(c == -1 || fdt_node_name(&f, c) != NULL);
	}
	/* From a property offset, the search goes on with the next node. */
	CHECK_EQ(fdt_find_compatible(&f, prop, "riscv-virtio"), -1);
	CHECK_EQ(fdt_find_compatible(&f, prop, "riscv,pmu"), node(&f, "/pmu"));
}

/* ---- hostile blobs -------------------------------------------------------- */

/* A pointer the parser returned must lie inside the blob. */
static void
check_inside(const struct fdt *f, const void *p, size_t len)
{
	const uint8_t *b = p;

	if (b < f->fd_blob || b + len > f->fd_blob + f->fd_size || b + len < b)
		unit_fail(__FILE__, __LINE__, "pointer %p+%zu outside the blob %p+%u",
		    p, len, (const void *)f->fd_blob, f->fd_size);
}

static unsigned long touched;	/* keeps the reads below from being optimised away */

static void
touch(const struct fdt *f, const void *p, int len)
{
	if (p == NULL)
		return;
	if (len < 0)
		unit_fail(__FILE__, __LINE__, "negative property length %d", len);
	check_inside(f, p, len);
	for (int i = 0; i < len; i++)
		touched += ((const uint8_t *)p)[i];
}

static const char *const prop_names[] = {
	"reg", "compatible", "status", "interrupts", "device_type", "#address-cells",
	"#size-cells", "bootargs", "linux,initrd-start", "", "nosuch",
};

/* Walk every node reachable from n, asking for everything; bounded. */
static void
walk(const struct fdt *f, int n, int depth, int *budget)
{
	for (; n >= 0 && --*budget > 0; n = fdt_next_sibling(f, n)) {
		const char *name = fdt_node_name(f, n);
		uint32_t v;
		int len;

		if (name) {
			check_inside(f, name, strlen(name) + 1);
		}
		for (size_t i = 0; i < ARRAY_SIZE(prop_names); i++) {
			const void *p = fdt_getprop(f, n, prop_names[i], &len);

			touch(f, p, p ? len : 0);
			(void)fdt_getprop_u32(f, n, prop_names[i], &v);
		}
		(void)fdt_is_compatible(f, n, "virtio,mmio");
		(void)fdt_is_compatible(f, n, "");
		if (depth < 64)
			walk(f, fdt_first_child(f, n), depth + 1, budget);
	}
}

/* Call every API on a blob of exactly size bytes; it must not crash or overread. */
static void
exercise(const uint8_t *blob, size_t size)
{
	static const char *const paths[] = {
		"/", "/cpus", "/cpus/cpu@0", "/soc/plic", "/soc/serial@10000000",
		"/chosen", "/reserved-memory", "/a/b/c/d", "//",
	};
	struct fdt f;
	struct bootinfo bi;
	char err[64], val[16];
	uint64_t base, sz;
	int budget = 5000, n;

	if (fdt_init(&f, blob, size) < 0)
		return;
	CHECK(f.fd_size <= size);
	walk(&f, fdt_root(&f), 0, &budget);
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		(void)fdt_node_name(&f, fdt_path(&f, paths[i]));
	n = fdt_find_compatible(&f, -1, "virtio,mmio");
	for (int i = 0; n >= 0 && i < 1000; i++) {
		int next = fdt_find_compatible(&f, n, "virtio,mmio");

		CHECK(next < 0 || next > n);	/* progress: the loop ends */
		n = next;
	}
	for (int i = 0; i < 100000 && fdt_rsvmap_entry(&f, i, &base, &sz); i++)
		touched += base + sz;
	if (bootinfo_parse(&bi, &f, err, sizeof(err)) == 0) {
		CHECK(bi.bi_nmem > 0 && bi.bi_nharts > 0 && bi.bi_timebase > 0);
		CHECK(strlen(bi.bi_bootargs) < BOOT_ARGS_MAX);
		(void)bootarg_present(&bi, "selftest");
		(void)bootarg_value(&bi, "foo", val, sizeof(val));
	} else {
		CHECK(strlen(err) > 0);
	}
}

static const char *const fixtures[] = { "qemu-virt-smp1", "qemu-virt-smp4", "odd-board" };

/* Every valid fixture passes exercise() and parses. */
UNIT_TEST(fixtures_exercise)
{
	for (size_t i = 0; i < ARRAY_SIZE(fixtures); i++) {
		size_t size;
		uint8_t *blob = fixture_load(fixtures[i], &size);

		exercise(blob, size);
		free(blob);
	}
}

/* Cut the blob at every length: the header's totalsize no longer fits. */
UNIT_TEST(truncated_every_length)
{
	for (size_t i = 0; i < ARRAY_SIZE(fixtures); i++) {
		size_t size;
		uint8_t *blob = fixture_load(fixtures[i], &size);
		struct fdt f;

		for (size_t len = 0; len < size; len++) {
			uint8_t *cut = malloc(len ? len : 1);

			memcpy(cut, blob, len);
			CHECK_EQ(fdt_init(&f, cut, len), -EINVAL);
			free(cut);
		}
		free(blob);
	}
}

/*
 * Cut at every length and make the header claim that length, clamping the
 * block sizes to it: the tree then really ends early (mid-token, mid-name,
 * mid-property, in the strings block) and every API must cope.
 */
UNIT_TEST(truncated_with_lying_header)
{
	for (size_t i = 0; i < ARRAY_SIZE(fixtures); i++) {
		size_t size;
		uint8_t *blob = fixture_load(fixtures[i], &size);

		for (size_t len = 40; len < size; len++) {
			uint8_t *cut = malloc(len);
			uint32_t st = fx_be32(blob + 8), str = fx_be32(blob + 12);

			memcpy(cut, blob, len);
			fx_put32(cut + 4, len);
			if (st > len)
				fx_put32(cut + 8, st = len & ~3u);
			if (fx_be32(cut + 36) > len - st)
				fx_put32(cut + 36, len - st);
			if (str > len)
				fx_put32(cut + 12, str = len);
			if (fx_be32(cut + 32) > len - str)
				fx_put32(cut + 32, len - str);
			exercise(cut, len);
			free(cut);
		}
		free(blob);
	}
}

/* Rewrite header word `field` (byte offset) of a valid blob; expect fdt_init's verdict. */
static void
header_case(const uint8_t *blob, size_t size, int field, uint32_t value, int want)
{
	uint8_t *b = malloc(size);
	struct fdt f;

	memcpy(b, blob, size);
	fx_put32(b + field, value);
	if (fdt_init(&f, b, size) != want)
		unit_fail(__FILE__, __LINE__, "header word %d = 0x%x: fdt_init != %d",
		    field, value, want);
	exercise(b, size);
	free(b);
}

UNIT_TEST(corrupt_headers)
{
	size_t size;
	uint8_t *blob = fixture_load("qemu-virt-smp4", &size);
	uint32_t st = fx_be32(blob + 8), str = fx_be32(blob + 12);
	struct fdt f;

	CHECK_EQ(fdt_init(&f, NULL, size), -EINVAL);
	CHECK_EQ(fdt_init(&f, blob, 39), -EINVAL);
	header_case(blob, size, 0, 0xedfe0dd0, -EINVAL);	/* little-endian magic */
	header_case(blob, size, 0, 0, -EINVAL);
	header_case(blob, size, 4, size + 1, -EINVAL);		/* totalsize past the buffer */
	header_case(blob, size, 4, 0xffffffff, -EINVAL);
	header_case(blob, size, 4, 39, -EINVAL);
	header_case(blob, size, 4, 0, -EINVAL);
	header_case(blob, size, 8, size, -EINVAL);		/* struct block out of range */
	header_case(blob, size, 8, 0xfffffffc, -EINVAL);
	header_case(blob, size, 8, st + 2, -EINVAL);		/* misaligned */
	header_case(blob, size, 36, size - st + 1, -EINVAL);
	header_case(blob, size, 36, 0xffffffff, -EINVAL);
	header_case(blob, size, 36, 0xfffffffc, -EINVAL);
	header_case(blob, size, 12, size + 1, -EINVAL);		/* strings out of range */
	header_case(blob, size, 12, 0xffffffff, -EINVAL);
	header_case(blob, size, 32, size - str + 1, -EINVAL);
	header_case(blob, size, 32, 0xffffffff, -EINVAL);
	header_case(blob, size, 16, size - 8, -EINVAL);		/* rsvmap past the end */
	header_case(blob, size, 16, 0xfffffff8, -EINVAL);
	header_case(blob, size, 16, 44, -EINVAL);		/* misaligned */
	header_case(blob, size, 20, 16, -EINVAL);		/* version too old */
	header_case(blob, size, 24, 18, -EINVAL);		/* incompatible */
	header_case(blob, size, 20, 18, 0);			/* newer but compatible */
	/* Blocks that are in range but wrong: init accepts, the walk fails softly. */
	header_case(blob, size, 36, 0, 0);			/* empty structure block */
	header_case(blob, size, 36, 1, 0);
	header_case(blob, size, 36, 3, 0);
	header_case(blob, size, 36, 4, 0);
	header_case(blob, size, 8, size & ~3u, -EINVAL);	/* struct at the very end */
	header_case(blob, size, 32, 0, 0);			/* empty strings block */
	header_case(blob, size, 12, size, -EINVAL);
	header_case(blob, size, 8, 0, 0);			/* struct overlaps the header */
	header_case(blob, size, 16, st, 0);			/* rsvmap points into struct */

	/* The empty structure block at the end of the buffer: no token is there. */
	uint8_t *b = malloc(size);
	memcpy(b, blob, size);
	fx_put32(b + 8, size & ~3u);
	fx_put32(b + 36, 0);
	CHECK_EQ(fdt_init(&f, b, size), 0);
	CHECK_EQ(fdt_root(&f), -1);
	CHECK_EQ(fdt_path(&f, "/"), -1);
	CHECK_EQ(fdt_find_compatible(&f, -1, "x"), -1);
	free(b);
	free(blob);
}

/* A tiny tree "/ { a { p = <1>; }; }" built by hand, for byte surgery. */
static uint8_t *
tiny(size_t *size, uint32_t *prop_off)
{
	struct fdtb *b = malloc(sizeof(*b));
	uint8_t *blob;

	fb_init(b);
	fb_begin(b, "");
	fb_begin(b, "a@1");
	*prop_off = b->fb_nstruct;
	fb_prop_u32(b, "p", 1);
	fb_end(b);
	fb_end(b);
	blob = fb_finish(b, size);
	free(b);
	return blob;
}

UNIT_TEST(tiny_tree_sane)
{
	size_t size;
	uint32_t po;
	uint8_t *blob = tiny(&size, &po);
	struct fdt f;
	uint32_t v;

	CHECK_EQ(fdt_init(&f, blob, size), 0);
	CHECK_EQ(fdt_getprop_u32(&f, node(&f, "/a"), "p", &v), 0);
	CHECK_EQ(v, 1);
	CHECK_EQ(fdt_path(&f, "/a@1"), fdt_path(&f, "/a"));
	exercise(blob, size);
	free(blob);
}

/* The property's length runs past the structure block (and the blob). */
UNIT_TEST(prop_length_past_end)
{
	static const uint32_t lens[] = { 5, 8, 9, 12, 13, 16, 64, 0x7fffffff, 0x80000000,
	    0xfffffff4, 0xfffffffc, 0xffffffff };
	size_t size;
	uint32_t po;
	uint8_t *blob = tiny(&size, &po);
	struct fdt f;

	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		uint8_t *b = malloc(size);

		memcpy(b, blob, size);
		fx_put32(b + fx_be32(b + 8) + po + 4, lens[i]);
		CHECK_EQ(fdt_init(&f, b, size), 0);
		int a = fdt_path(&f, "/a");
		CHECK(a >= 0);
		int len;
		const uint8_t *p = fdt_getprop(&f, a, "p", &len);
		/* 16 bytes follow the value's start: p's 4, two END_NODEs, FDT_END. */
		if (lens[i] <= 16) {
			CHECK(p != NULL);
			CHECK_EQ(len, lens[i]);
			CHECK(p + len <= b + fx_be32(b + 8) + fx_be32(b + 36));
		} else {
			CHECK(p == NULL);
		}
		CHECK_EQ(fdt_next_sibling(&f, a), -1);
		CHECK_EQ(fdt_find_compatible(&f, -1, "x"), -1);
		exercise(b, size);
		free(b);
	}
	free(blob);
}

/* A property whose name offset is outside the strings block, or unterminated. */
UNIT_TEST(string_offset_out_of_range)
{
	static const uint32_t offs[] = { 2, 3, 0x100, 0x7fffffff, 0xfffffffe, 0xffffffff };
	size_t size;
	uint32_t po;
	uint8_t *blob = tiny(&size, &po);
	struct fdt f;

	CHECK_EQ(fx_be32(blob + 32), 2);		/* "p\0" */
	for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
		uint8_t *b = malloc(size);

		memcpy(b, blob, size);
		fx_put32(b + fx_be32(b + 8) + po + 8, offs[i]);
		CHECK_EQ(fdt_init(&f, b, size), 0);
		CHECK(fdt_getprop(&f, node(&f, "/a"), "p", NULL) == NULL);
		CHECK(fdt_getprop(&f, node(&f, "/a"), "", NULL) == NULL);
		exercise(b, size);
		free(b);
	}
	/* The name's NUL cut off by the strings block size. */
	uint8_t *b = malloc(size);
	memcpy(b, blob, size);
	fx_put32(b + 32, 1);
	CHECK_EQ(fdt_init(&f, b, size), 0);
	CHECK(fdt_getprop(&f, node(&f, "/a"), "p", NULL) == NULL);
	exercise(b, size);
	free(b);
	free(blob);
}

/* A node name that runs to the end of the structure block without a NUL. */
UNIT_TEST(unterminated_node_name)
{
	struct fdtb *fb = malloc(sizeof(*fb));
	struct fdt f;
	size_t size;
	uint8_t *blob;

	fb_init(fb);
	fb_begin(fb, "");
	fb_word(fb, 1);				/* BEGIN_NODE "abcdefgh" with no NUL */
	memcpy(fb->fb_struct + fb->fb_nstruct, "abcdefgh", 8);
	fb->fb_nstruct += 8;
	uint8_t *full = fb_finish(fb, &size);
	/*
	 * fb_finish appended FDT_END: drop it, so that the structure block and
	 * the blob (an exact-size copy) end inside the name.
	 */
	size -= 4;
	blob = malloc(size);
	memcpy(blob, full, size);
	free(full);
	fx_put32(blob + 36, fx_be32(blob + 36) - 4);
	fx_put32(blob + 32, 0);
	fx_put32(blob + 12, size);
	fx_put32(blob + 4, size);
	CHECK_EQ(fdt_init(&f, blob, size), 0);
	int root = fdt_root(&f);
	CHECK(root >= 0);
	int child = fdt_first_child(&f, root);
	CHECK(child > root);
	CHECK(fdt_node_name(&f, child) == NULL);
	CHECK_EQ(fdt_first_child(&f, child), -1);
	CHECK_EQ(fdt_next_sibling(&f, root), -1);
	CHECK_EQ(fdt_path(&f, "/abcdefgh"), -1);
	CHECK_EQ(fdt_find_compatible(&f, -1, "x"), -1);
	exercise(blob, size);
	/* Also the root's own name unterminated: BEGIN_NODE, then 'x' to the end. */
	memset(blob + fx_be32(blob + 8) + 4, 'x', fx_be32(blob + 36) - 4);
	CHECK_EQ(fdt_init(&f, blob, size), 0);
	CHECK(fdt_root(&f) >= 0);
	CHECK(fdt_node_name(&f, fdt_root(&f)) == NULL);
	CHECK_EQ(fdt_first_child(&f, fdt_root(&f)), -1);
	exercise(blob, size);
	free(blob);
	free(fb);
}

/* Tokens that are not tokens, and trees that never close. */
UNIT_TEST(bad_tokens)
{
	static const uint32_t toks[] = { 0, 5, 6, 7, 8, 9, 10, 0xffffffff, 0x01000000 };
	struct fdtb *fb = malloc(sizeof(*fb));
	struct fdt f;
	size_t size;
	uint8_t *blob;

	for (size_t i = 0; i < ARRAY_SIZE(toks); i++) {
		fb_init(fb);
		fb_begin(fb, "");
		fb_begin(fb, "a");
		fb_word(fb, toks[i]);
		fb_prop_str(fb, "compatible", "x");
		fb_end(fb);
		fb_begin(fb, "b");
		fb_prop_str(fb, "compatible", "x");
		fb_end(fb);
		fb_end(fb);
		blob = fb_finish(fb, &size);
		CHECK_EQ(fdt_init(&f, blob, size), 0);
		CHECK_EQ(fdt_first_child(&f, node(&f, "/a")), -1);
		CHECK_EQ(fdt_next_sibling(&f, node(&f, "/a")), -1);
		CHECK_EQ(fdt_path(&f, "/b"), -1);
		CHECK_EQ(fdt_find_compatible(&f, -1, "x"), -1);
		exercise(blob, size);
		free(blob);
	}
	/* Never closed: BEGIN_NODE ... FDT_END with no END_NODE. */
	fb_init(fb);
	fb_begin(fb, "");
	fb_begin(fb, "a");
	fb_prop_str(fb, "compatible", "x");
	blob = fb_finish(fb, &size);
	CHECK_EQ(fdt_init(&f, blob, size), 0);
	CHECK(fdt_path(&f, "/a") >= 0);
	CHECK_EQ(fdt_next_sibling(&f, node(&f, "/a")), -1);
	CHECK_EQ(fdt_find_compatible(&f, -1, "x"), node(&f, "/a"));
	exercise(blob, size);
	free(blob);
	/* Only NOPs; and a tree 2000 levels deep (nothing may recurse per level). */
	fb_init(fb);
	for (int i = 0; i < 100; i++)
		fb_word(fb, 4);
	blob = fb_finish(fb, &size);
	CHECK_EQ(fdt_init(&f, blob, size), 0);
	CHECK_EQ(fdt_root(&f), -1);
	exercise(blob, size);
	free(blob);
	fb_init(fb);
	for (int i = 0; i < 2000; i++)
		fb_begin(fb, "n");
	fb_prop_str(fb, "compatible", "deep");
	for (int i = 0; i < 2000; i++)
		fb_end(fb);
	blob = fb_finish(fb, &size);
	CHECK_EQ(fdt_init(&f, blob, size), 0);
	CHECK(fdt_find_compatible(&f, -1, "deep") > 0);
	CHECK_EQ(fdt_path(&f, "/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n"),
	    fdt_path(&f, "/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/"));
	exercise(blob, size);
	free(blob);
	free(fb);
}

#ifndef FUZZ_ITERS
#define FUZZ_ITERS	3000	/* per fixture; -DFUZZ_ITERS=... for a long run */
#endif

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;	/* fixed: failures reproduce */

static uint32_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* Random bytes behind a valid header. */
UNIT_TEST(garbage)
{
	static const uint8_t tokish[20] = { 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 9 };

	for (int iter = 0; iter < 2000; iter++) {
		size_t size = 128 + rnd() % 2048;
		uint8_t *b = malloc(size);
		uint32_t st = 40 + 16 * (rnd() % 4), sst = rnd() % (size - st + 1) & ~3u;

		for (size_t i = 0; i < size; i++)
			b[i] = iter & 1 ? (uint8_t)rnd() : (uint8_t)tokish[rnd() % 20];
		fx_put32(b, FDT_MAGIC);
		fx_put32(b + 4, size);
		fx_put32(b + 8, st);
		fx_put32(b + 12, st + sst);
		fx_put32(b + 16, 40);
		fx_put32(b + 20, 17);
		fx_put32(b + 24, 16);
		fx_put32(b + 32, size - st - sst);
		fx_put32(b + 36, sst);
		if (iter % 3 == 0)
			fx_put32(b + st, 1);	/* a root to start from */
		exercise(b, size);
		free(b);
	}
}

/*
 * The fuzz loop: a few thousand mutations of each valid tree (byte flips,
 * and 32-bit words set to length-like values), every API on each.
 */
UNIT_TEST(fuzz)
{
	if (getenv("FDT_FUZZ_SEED"))
		rng_state = strtoull(getenv("FDT_FUZZ_SEED"), NULL, 0) | 1;
	static const uint32_t words[] = { 0, 1, 2, 3, 4, 9, 0x7fffffff, 0x80000000,
	    0xfffffffc, 0xffffffff, 0x100, 0xfff };

	for (size_t fx = 0; fx < ARRAY_SIZE(fixtures); fx++) {
		size_t size;
		uint8_t *blob = fixture_load(fixtures[fx], &size), *b = malloc(size);

		for (int iter = 0; iter < FUZZ_ITERS; iter++) {
			int nmut = 1 + rnd() % 6;

			memcpy(b, blob, size);
			for (int m = 0; m < nmut; m++) {
				/* Half the mutations hit the header or the structure block. */
				size_t at = rnd() % (rnd() & 1 ? size : MIN(size, 40 + 16 + 2048));

				if (rnd() % 3 == 0 && at + 4 <= size)
					fx_put32(b + (at & ~3u), words[rnd() % ARRAY_SIZE(words)]);
				else
					b[at] ^= 1 + rnd() % 255;
			}
			exercise(b, size);
		}
		free(b);
		free(blob);
	}
}

/*
 * A blob larger than 2 GiB (the readable window, mapped lazily): offsets
 * inside the structure block no longer fit the parser's int.
 */
UNIT_TEST(huge_totalsize)
{
	size_t map = 0x100000000ULL;
	uint8_t *b = mmap(NULL, map, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct fdt f;

	if (b == MAP_FAILED)
		return;		/* no address space for it here: nothing to test */
	fx_put32(b, FDT_MAGIC);
	fx_put32(b + 4, 0xffffffff);
	fx_put32(b + 8, 40 + 16);
	fx_put32(b + 12, 0xfffffff0);
	fx_put32(b + 16, 40);
	fx_put32(b + 20, 17);
	fx_put32(b + 24, 16);
	fx_put32(b + 32, 15);
	fx_put32(b + 36, 0xfffffff0 - 56);
	fx_put32(b + 56, 1);			/* BEGIN_NODE "" */
	fx_put32(b + 64, 3);			/* PROP, 2 GiB long */
	fx_put32(b + 68, 0x7ffffff8);
	fx_put32(b + 72, 0);
	memcpy(b + 0xfffffff0, "p", 2);
	/* Rejected today; were it accepted, the walk must still be defined. */
	if (fdt_init(&f, b, 0xffffffff) == 0) {
		CHECK(fdt_getprop(&f, fdt_root(&f), "q", NULL) == NULL);
		CHECK_EQ(fdt_first_child(&f, fdt_root(&f)), -1);
		CHECK_EQ(fdt_find_compatible(&f, -1, "x"), -1);
	}
	munmap(b, map);
}
