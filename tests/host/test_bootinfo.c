// uses: kernel/skimmer/kern/fdt.c kernel/skimmer/kern/bootinfo.c kernel/skimmer/kern/printf.c
/*
 * Host tests of boot-info extraction (kern/bootinfo.c): QEMU virt at -smp 1
 * and 4, a made-up board with the awkward corners (tests/host/fixtures/),
 * hand-built trees for the error paths and the table limits, and the
 * bootargs helpers.  Hostile blobs are in test_fdt.c.
 */
#include "unit.h"
#include "fixtures/fdt_fixture.h"
#include <kern/fdt.h>
#include <kern/bootinfo.h>
#include <abi/errno.h>

static struct bootinfo bi;	/* large: keep it off the stack */
static char err[128];

/* Parse blob; returns bootinfo_parse's result, with err filled on failure. */
static int
parse_blob(const uint8_t *blob, size_t size)
{
	struct fdt f;

	CHECK_EQ(fdt_init(&f, blob, size), 0);
	err[0] = '\0';
	return bootinfo_parse(&bi, &f, err, sizeof(err));
}

static void
parse_fixture(const char *name)
{
	size_t size;
	uint8_t *blob = fixture_load(name, &size);
	int r = parse_blob(blob, size);

	if (r != 0)
		unit_fail(__FILE__, __LINE__, "%s: bootinfo_parse %d: %s", name, r, err);
	CHECK_EQ(bi.bi_dtb_size, size);
	CHECK_EQ(bi.bi_dtb, 0);			/* the caller's to set */
}

/* What QEMU virt has at any -smp: its fixed devices. */
static void
check_qemu_devices(void)
{
	CHECK_EQ(bi.bi_nmem, 1);
	CHECK_EQ(bi.bi_mem[0].mr_base, 0x80000000);
	CHECK_EQ(bi.bi_mem[0].mr_size, 256 << 20);
	CHECK_EQ(bi.bi_nreserved, 0);
	CHECK_EQ(bi.bi_timebase, 10000000);
	CHECK_EQ(bi.bi_uart_base, 0x10000000);
	CHECK_EQ(bi.bi_uart_irq, 10);
	CHECK_EQ(bi.bi_uart_clock, 3686400);
	CHECK_EQ(bi.bi_uart_shift, 0);
	CHECK_EQ(bi.bi_plic_base, 0xc000000);
	CHECK_EQ(bi.bi_plic_size, 0x600000);
	CHECK_EQ(bi.bi_plic_ndev, 96);
	CHECK_EQ(bi.bi_clint_base, 0x2000000);
	CHECK_EQ(bi.bi_finisher_base, 0x100000);
	CHECK_EQ(bi.bi_rtc_base, 0x101000);	/* google,goldfish-rtc: CLOCK_REALTIME at boot */
	CHECK_EQ(bi.bi_nvirtio, 8);
	for (int i = 0; i < 8; i++) {		/* tree order: 0x10008000 down */
		CHECK_EQ(bi.bi_virtio[i].vs_base, 0x10008000 - 0x1000 * i);
		CHECK_EQ(bi.bi_virtio[i].vs_size, 0x1000);
		CHECK_EQ(bi.bi_virtio[i].vs_irq, 8 - i);
	}
}

UNIT_TEST(qemu_smp1)
{
	parse_fixture("qemu-virt-smp1");
	check_qemu_devices();
	CHECK_EQ(bi.bi_nharts, 1);
	CHECK_EQ(bi.bi_harts[0], 0);
	CHECK_EQ(bi.bi_initrd_start, 0);
	CHECK_EQ(bi.bi_initrd_end, 0);
	CHECK_STR(bi.bi_bootargs, "");
	CHECK(!bootarg_present(&bi, "selftest"));
}

UNIT_TEST(qemu_smp4)
{
	char val[32] = "untouched";

	parse_fixture("qemu-virt-smp4");
	check_qemu_devices();
	CHECK_EQ(bi.bi_nharts, 4);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(bi.bi_harts[i], i);
	CHECK_EQ(bi.bi_initrd_start, 0x88200000);	/* 32-bit cells */
	CHECK_EQ(bi.bi_initrd_end, 0x88200400);
	CHECK_STR(bi.bi_bootargs, "selftest foo=bar");
	CHECK(bootarg_present(&bi, "selftest"));
	CHECK(!bootarg_value(&bi, "selftest", val, sizeof(val)));
	CHECK(bootarg_present(&bi, "foo"));
	CHECK(bootarg_value(&bi, "foo", val, sizeof(val)));
	CHECK_STR(val, "bar");
	CHECK(!bootarg_present(&bi, "bar"));
}

UNIT_TEST(odd_board)
{
	static const uint64_t mem[][2] = {
		{ 0x80000000, 0x10000000 }, { 0x100000000, 0x40000000 }, { 0x200000000, 0x1000000 },
	};
	static const uint64_t rsv[][2] = {	/* rsvmap first, then /reserved-memory */
		{ 0x80000000, 0x200000 }, { 0x8fe00000, 0x1000 },
		{ 0x80040000, 0x20000 }, { 0x80000000, 0x40000 },
	};

	parse_fixture("odd-board");
	CHECK_EQ(bi.bi_nmem, 3);		/* zero-sized range and "memoryx" skipped */
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(bi.bi_mem[i].mr_base, mem[i][0]);
		CHECK_EQ(bi.bi_mem[i].mr_size, mem[i][1]);
	}
	CHECK_EQ(bi.bi_nreserved, 4);		/* linux,cma has no reg */
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(bi.bi_reserved[i].mr_base, rsv[i][0]);
		CHECK_EQ(bi.bi_reserved[i].mr_size, rsv[i][1]);
	}
	/* "disabled" and "fail" harts and the one without reg are skipped. */
	CHECK_EQ(bi.bi_nharts, 4);
	CHECK_EQ(bi.bi_harts[0], 0);
	CHECK_EQ(bi.bi_harts[1], 2);		/* status = "ok" */
	CHECK_EQ(bi.bi_harts[2], 3);		/* no status */
	CHECK_EQ(bi.bi_harts[3], 0x10);
	CHECK_EQ(bi.bi_timebase, 1000000);	/* from cpu@0, /cpus has none */
	/* The first enabled 16550 (second string of its compatible list), 1-cell bus. */
	CHECK_EQ(bi.bi_uart_base, 0x10010000);
	CHECK_EQ(bi.bi_uart_irq, 39);
	CHECK_EQ(bi.bi_uart_clock, 24000000);
	CHECK_EQ(bi.bi_uart_shift, 2);
	/* Nested two buses deep. */
	CHECK_EQ(bi.bi_plic_base, 0xc000000);
	CHECK_EQ(bi.bi_plic_size, 0x4000000);
	CHECK_EQ(bi.bi_plic_ndev, 53);
	CHECK_EQ(bi.bi_clint_base, 0x2000000);
	CHECK_EQ(bi.bi_finisher_base, 0);
	CHECK_EQ(bi.bi_rtc_base, 0);		/* no RTC: CLOCK_REALTIME starts at 0 */
	CHECK_EQ(bi.bi_nvirtio, 2);		/* the disabled slot is skipped */
	CHECK_EQ(bi.bi_virtio[0].vs_base, 0x10001000);
	CHECK_EQ(bi.bi_virtio[0].vs_irq, 1);
	CHECK_EQ(bi.bi_virtio[1].vs_base, 0x10003000);
	CHECK_EQ(bi.bi_virtio[1].vs_irq, 0);	/* no interrupts property */
	/* A 64-bit initrd above 4 GiB. */
	CHECK_EQ(bi.bi_initrd_start, 0x100000000ULL);
	CHECK_EQ(bi.bi_initrd_end, 0x100123400ULL);
	/* bootargs longer than BOOT_ARGS_MAX: cut to 255 characters. */
	CHECK_EQ(strlen(bi.bi_bootargs), BOOT_ARGS_MAX - 1);
	CHECK(strncmp(bi.bi_bootargs, "  quiet  selftest=ipc,timer  foo=bar", 36) == 0);
}

UNIT_TEST(bootargs_on_odd_board)
{
	char val[300];

	parse_fixture("odd-board");
	CHECK(bootarg_present(&bi, "quiet"));		/* after leading spaces */
	CHECK(bootarg_present(&bi, "selftest"));
	CHECK(bootarg_present(&bi, "debug"));
	CHECK(bootarg_present(&bi, "root"));
	CHECK(bootarg_present(&bi, "x"));
	CHECK(!bootarg_present(&bi, "tail"));		/* cut off by the truncation */
	/* Prefixes, suffixes and values are not words. */
	CHECK(!bootarg_present(&bi, "quie"));
	CHECK(!bootarg_present(&bi, "quiet2"));
	CHECK(!bootarg_present(&bi, "uiet"));
	CHECK(!bootarg_present(&bi, "self"));
	CHECK(!bootarg_present(&bi, "test"));
	CHECK(!bootarg_present(&bi, "ipc"));
	CHECK(!bootarg_present(&bi, "timer"));
	CHECK(!bootarg_present(&bi, "bar"));
	CHECK(!bootarg_present(&bi, "ttyS0"));
	CHECK(!bootarg_present(&bi, "console=ttyS"));
	CHECK(bootarg_value(&bi, "selftest", val, sizeof(val)));
	CHECK_STR(val, "ipc,timer");
	CHECK(bootarg_value(&bi, "foo", val, sizeof(val)));
	CHECK_STR(val, "bar");				/* the first one */
	CHECK(bootarg_value(&bi, "console", val, sizeof(val)));
	CHECK_STR(val, "ttyS0,115200");
	CHECK(bootarg_value(&bi, "root", val, sizeof(val)));
	CHECK_STR(val, "");				/* "root=": empty value */
	CHECK(!bootarg_value(&bi, "quiet", val, sizeof(val)));
	CHECK(!bootarg_value(&bi, "nosuch", val, sizeof(val)));
	CHECK(!bootarg_value(&bi, "consol", val, sizeof(val)));
	/* x's value was cut with the bootargs. */
	CHECK(bootarg_value(&bi, "x", val, sizeof(val)));
	CHECK_EQ(strlen(val), BOOT_ARGS_MAX - 1 - (strstr(bi.bi_bootargs, " x=") + 3 - bi.bi_bootargs));
	CHECK(strncmp(val, "0123456789", 10) == 0);
}

static void
set_args(const char *s)
{
	memset(&bi, 0, sizeof(bi));
	snprintf(bi.bi_bootargs, sizeof(bi.bi_bootargs), "%s", s);
}

UNIT_TEST(bootarg_value_truncation)
{
	char val[8];

	set_args("console=ttyS0,115200 a=b");
	memset(val, 'z', sizeof(val));
	CHECK(bootarg_value(&bi, "console", val, 6));	/* 5 characters and the NUL */
	CHECK_STR(val, "ttyS0");
	CHECK_EQ(val[6], 'z');				/* nothing written past len */
	CHECK(bootarg_value(&bi, "console", val, 1));
	CHECK_STR(val, "");
	memset(val, 'z', sizeof(val));
	CHECK(!bootarg_value(&bi, "console", val, 0));	/* no room even for the NUL */
	CHECK_EQ(val[0], 'z');
	CHECK(bootarg_value(&bi, "a", val, sizeof(val)));
	CHECK_STR(val, "b");
	CHECK(bootarg_value(&bi, "a", val, 2));
	CHECK_STR(val, "b");
}

UNIT_TEST(bootarg_words)
{
	char val[32];

	set_args("");
	CHECK(!bootarg_present(&bi, "a"));
	CHECK(!bootarg_value(&bi, "a", val, sizeof(val)));
	set_args("   ");
	CHECK(!bootarg_present(&bi, "a"));
	set_args("a");
	CHECK(bootarg_present(&bi, "a"));
	CHECK(!bootarg_present(&bi, "ab"));
	set_args("ab  a=  b=c=d   ");
	CHECK(bootarg_present(&bi, "a"));
	CHECK(bootarg_present(&bi, "ab"));
	CHECK(bootarg_value(&bi, "a", val, sizeof(val)));
	CHECK_STR(val, "");
	CHECK(bootarg_value(&bi, "b", val, sizeof(val)));
	CHECK_STR(val, "c=d");				/* only the first '=' splits */
	CHECK(!bootarg_present(&bi, "c"));
	CHECK(!bootarg_present(&bi, "d"));
	/* A bare word, then the same word with a value: the value is found. */
	set_args("selftest poweroff selftest=ipc");
	CHECK(bootarg_present(&bi, "selftest"));
	CHECK(bootarg_value(&bi, "selftest", val, sizeof(val)));
	CHECK_STR(val, "ipc");
	CHECK(!bootarg_value(&bi, "poweroff", val, sizeof(val)));
	/* The option string itself may contain '=' (a whole word). */
	set_args("mode=fast");
	CHECK(bootarg_present(&bi, "mode=fast"));
	CHECK(!bootarg_present(&bi, "mode=fas"));
}

/* ---- hand-built trees ----------------------------------------------------- */

static struct fdtb fb;

/* The skeleton of a minimal good tree; callers add to or leave out parts. */
enum { T_MEM = 1, T_CPUS = 2, T_TIMEBASE = 4, T_ALL = 7 };

static void
tree_start(int parts)
{
	static const uint32_t memreg[] = { 0, 0x80000000, 0, 0x8000000 };

	fb_init(&fb);
	fb_begin(&fb, "");
	fb_prop_u32(&fb, "#address-cells", 2);
	fb_prop_u32(&fb, "#size-cells", 2);
	if (parts & T_MEM) {
		fb_begin(&fb, "memory@80000000");
		fb_prop_str(&fb, "device_type", "memory");
		fb_prop_cells(&fb, "reg", 4, memreg);
		fb_end(&fb);
	}
	if (parts & T_CPUS) {
		fb_begin(&fb, "cpus");
		fb_prop_u32(&fb, "#address-cells", 1);
		fb_prop_u32(&fb, "#size-cells", 0);
		if (parts & T_TIMEBASE)
			fb_prop_u32(&fb, "timebase-frequency", 10000000);
		fb_begin(&fb, "cpu@0");
		fb_prop_str(&fb, "device_type", "cpu");
		fb_prop_u32(&fb, "reg", 0);
		fb_end(&fb);
		fb_end(&fb);
	}
}

/* Close the root, parse, and free the blob. */
static int
tree_parse(void)
{
	size_t size;
	uint8_t *blob;
	int r;

	fb_end(&fb);
	blob = fb_finish(&fb, &size);
	r = parse_blob(blob, size);
	free(blob);
	return r;
}

UNIT_TEST(minimal_tree)
{
	tree_start(T_ALL);
	CHECK_EQ(tree_parse(), 0);
	CHECK_EQ(bi.bi_nmem, 1);
	CHECK_EQ(bi.bi_nharts, 1);
	CHECK_EQ(bi.bi_uart_base, 0);
	CHECK_EQ(bi.bi_plic_base, 0);
	CHECK_EQ(bi.bi_nvirtio, 0);
	CHECK_EQ(bi.bi_initrd_start, 0);
	CHECK_STR(bi.bi_bootargs, "");
}

static void
expect_error(const char *what)
{
	CHECK_EQ(tree_parse(), -EINVAL);
	if (strstr(err, what) == NULL)
		unit_fail(__FILE__, __LINE__, "error \"%s\" does not name \"%s\"", err, what);
}

UNIT_TEST(missing_pieces)
{
	tree_start(T_CPUS | T_TIMEBASE);
	expect_error("memory");
	tree_start(T_MEM);
	expect_error("cpu");
	tree_start(T_MEM | T_CPUS);
	expect_error("timebase");
	/* No root node at all: the structure block is only FDT_END. */
	fb_init(&fb);
	size_t size;
	uint8_t *blob = fb_finish(&fb, &size);
	CHECK_EQ(parse_blob(blob, size), -EINVAL);
	CHECK(strstr(err, "root") != NULL);
	free(blob);
	/* A failed parse leaves nothing half-filled behind from an earlier one. */
	parse_fixture("qemu-virt-smp4");
	tree_start(T_MEM);
	expect_error("cpu");
	CHECK_EQ(bi.bi_uart_base, 0);
	CHECK_STR(bi.bi_bootargs, "");
	/* A short err buffer is still terminated. */
	tree_start(T_MEM);
	fb_end(&fb);
	blob = fb_finish(&fb, &size);
	struct fdt f;
	char small[8];
	CHECK_EQ(fdt_init(&f, blob, size), 0);
	CHECK_EQ(bootinfo_parse(&bi, &f, small, sizeof(small)), -EINVAL);
	CHECK_EQ(strlen(small), sizeof(small) - 1);
	free(blob);
}

UNIT_TEST(memory_that_does_not_count)
{
	static const uint32_t zero[] = { 0, 0x80000000, 0, 0 };
	static const uint32_t shortreg[] = { 0, 0x80000000, 0 };

	/* Zero size, a reg too short for one range, no reg, wrong device_type. */
	tree_start(T_CPUS | T_TIMEBASE);
	fb_begin(&fb, "memory@0");
	fb_prop_str(&fb, "device_type", "memory");
	fb_prop_cells(&fb, "reg", 4, zero);
	fb_end(&fb);
	fb_begin(&fb, "memory@1");
	fb_prop_str(&fb, "device_type", "memory");
	fb_prop_cells(&fb, "reg", 3, shortreg);
	fb_end(&fb);
	fb_begin(&fb, "memory@2");
	fb_prop_str(&fb, "device_type", "memory");
	fb_end(&fb);
	fb_begin(&fb, "memory@3");
	fb_prop(&fb, "device_type", "memory", 6);	/* unterminated */
	fb_prop_cells(&fb, "reg", 4, (const uint32_t[]){ 0, 0x80000000, 0, 0x1000 });
	fb_end(&fb);
	fb_begin(&fb, "memory@4");
	fb_prop_str(&fb, "device_type", "mem");
	fb_prop_cells(&fb, "reg", 4, (const uint32_t[]){ 0, 0x80000000, 0, 0x1000 });
	fb_end(&fb);
	expect_error("memory");
}

/* Root #address-cells/#size-cells the parser cannot read must not make it read wildly. */
UNIT_TEST(memory_with_odd_cells)
{
	static const uint32_t cells[][2] = {
		{ 0xffffffff, 1 }, { 1, 0xffffffff }, { 0xfffffffe, 1 }, { 0x40000000, 0 },
		{ 0x7fffffff, 1 }, { 0, 0 }, { 3, 2 }, { 2, 3 }, { 0, 1 }, { 1, 0 },
	};
	static const uint32_t reg[] = { 0, 0x80000000, 0, 0x8000000, 0 };

	for (size_t i = 0; i < ARRAY_SIZE(cells); i++) {
		fb_init(&fb);
		fb_begin(&fb, "");
		fb_prop_u32(&fb, "#address-cells", cells[i][0]);
		fb_prop_u32(&fb, "#size-cells", cells[i][1]);
		fb_begin(&fb, "memory@80000000");
		fb_prop_str(&fb, "device_type", "memory");
		fb_prop_cells(&fb, "reg", 5, reg);
		fb_end(&fb);
		fb_begin(&fb, "cpus");
		fb_prop_u32(&fb, "#address-cells", cells[i][0]);
		fb_prop_u32(&fb, "timebase-frequency", 1);
		fb_begin(&fb, "cpu@0");
		fb_prop_str(&fb, "device_type", "cpu");
		fb_prop_cells(&fb, "reg", 5, reg);
		fb_end(&fb);
		fb_end(&fb);
		expect_error("memory");
	}
	/* The same cells on a bus under a sane root: only 1-2 address cells, 0-2 size cells. */
	for (size_t i = 0; i < ARRAY_SIZE(cells); i++) {
		int ac = (int)cells[i][0], sc = (int)cells[i][1];

		tree_start(T_ALL);
		fb_begin(&fb, "bus");
		fb_prop_u32(&fb, "#address-cells", cells[i][0]);
		fb_prop_u32(&fb, "#size-cells", cells[i][1]);
		fb_begin(&fb, "serial");
		fb_prop_str(&fb, "compatible", "ns16550a");
		fb_prop_cells(&fb, "reg", 5, reg);
		fb_end(&fb);
		fb_end(&fb);
		CHECK_EQ(tree_parse(), 0);
		if (ac >= 1 && ac <= 2 && sc >= 0 && sc <= 2)
			CHECK_EQ(bi.bi_uart_base, ac == 2 ? 0x80000000 : 0);
		else
			CHECK_EQ(bi.bi_uart_base, 0);
	}
	/* 1+1 cells: two ranges out of the five cells (the fifth is left over). */
	fb_init(&fb);
	fb_begin(&fb, "");
	fb_prop_u32(&fb, "#address-cells", 1);
	fb_prop_u32(&fb, "#size-cells", 1);
	fb_begin(&fb, "memory");
	fb_prop_str(&fb, "device_type", "memory");
	fb_prop_cells(&fb, "reg", 5, (const uint32_t[]){ 0x80000000, 0x1000, 0x90000000, 0x2000, 7 });
	fb_end(&fb);
	fb_begin(&fb, "cpus");
	fb_prop_u32(&fb, "#size-cells", 0);
	fb_prop_u32(&fb, "timebase-frequency", 1);
	fb_begin(&fb, "cpu@0");
	fb_prop_str(&fb, "device_type", "cpu");
	/* /cpus has no #address-cells: the spec's default, 2. */
	fb_prop_cells(&fb, "reg", 2, (const uint32_t[]){ 0x1, 0x2 });
	fb_end(&fb);
	fb_end(&fb);
	CHECK_EQ(tree_parse(), 0);
	CHECK_EQ(bi.bi_nmem, 2);
	CHECK_EQ(bi.bi_mem[1].mr_base, 0x90000000);
	CHECK_EQ(bi.bi_mem[1].mr_size, 0x2000);
	CHECK_EQ(bi.bi_harts[0], 0x100000002ULL);
}

UNIT_TEST(cpus_all_disabled)
{
	tree_start(T_MEM);
	fb_begin(&fb, "cpus");
	fb_prop_u32(&fb, "#address-cells", 1);
	fb_prop_u32(&fb, "#size-cells", 0);
	fb_prop_u32(&fb, "timebase-frequency", 1);
	for (int i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%d", i);
		fb_begin(&fb, name);
		fb_prop_str(&fb, "device_type", "cpu");
		fb_prop_u32(&fb, "reg", i);
		fb_prop_str(&fb, "status", i == 0 ? "disabled" : i == 1 ? "okayish" + 4 : "o");
		fb_end(&fb);
	}
	fb_begin(&fb, "cpu@9");
	fb_prop_str(&fb, "device_type", "cpux");
	fb_prop_u32(&fb, "reg", 9);
	fb_end(&fb);
	fb_end(&fb);
	expect_error("cpu");
}

UNIT_TEST(too_many_harts_and_slots)
{
	tree_start(T_MEM);
	fb_begin(&fb, "cpus");
	fb_prop_u32(&fb, "#address-cells", 1);
	fb_prop_u32(&fb, "#size-cells", 0);
	fb_prop_u32(&fb, "timebase-frequency", 1);
	for (int i = 0; i < BOOT_MAX_HARTS + 6; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%d", i);
		fb_begin(&fb, name);
		fb_prop_str(&fb, "device_type", "cpu");
		fb_prop_u32(&fb, "reg", i);
		fb_end(&fb);
	}
	fb_end(&fb);
	fb_begin(&fb, "soc");
	fb_prop_u32(&fb, "#address-cells", 1);
	fb_prop_u32(&fb, "#size-cells", 1);
	for (int i = 0; i < BOOT_MAX_VIRTIO + 4; i++) {
		char name[32];

		snprintf(name, sizeof(name), "virtio@%x", 0x10001000 + 0x1000 * i);
		fb_begin(&fb, name);
		fb_prop_str(&fb, "compatible", "virtio,mmio");
		fb_prop_cells(&fb, "reg", 2, (const uint32_t[]){ 0x10001000 + 0x1000 * i, 0x1000 });
		fb_prop_u32(&fb, "interrupts", i + 1);
		fb_end(&fb);
	}
	fb_end(&fb);
	fb_begin(&fb, "memory@1");
	fb_prop_str(&fb, "device_type", "memory");
	uint32_t many[4 * (BOOT_MAX_MEM + 3)];
	for (int i = 0; i < BOOT_MAX_MEM + 3; i++) {
		many[4 * i] = i + 1;
		many[4 * i + 1] = 0;
		many[4 * i + 2] = 0;
		many[4 * i + 3] = 0x1000;
	}
	fb_prop_cells(&fb, "reg", ARRAY_SIZE(many), many);
	fb_end(&fb);
	fb_begin(&fb, "reserved-memory");
	fb_prop_u32(&fb, "#address-cells", 1);
	fb_prop_u32(&fb, "#size-cells", 1);
	for (int i = 0; i < BOOT_MAX_RESERVED + 5; i++) {
		char name[16];

		snprintf(name, sizeof(name), "r@%x", i * 0x1000);
		fb_begin(&fb, name);
		fb_prop_cells(&fb, "reg", 2, (const uint32_t[]){ i * 0x1000, 0x1000 });
		fb_end(&fb);
	}
	fb_end(&fb);
	CHECK_EQ(tree_parse(), 0);
	CHECK_EQ(bi.bi_nharts, BOOT_MAX_HARTS);
	CHECK_EQ(bi.bi_harts[BOOT_MAX_HARTS - 1], BOOT_MAX_HARTS - 1);
	CHECK_EQ(bi.bi_nvirtio, BOOT_MAX_VIRTIO);
	CHECK_EQ(bi.bi_virtio[BOOT_MAX_VIRTIO - 1].vs_irq, BOOT_MAX_VIRTIO);
	CHECK_EQ(bi.bi_nmem, BOOT_MAX_MEM);
	CHECK_EQ(bi.bi_nreserved, BOOT_MAX_RESERVED);
}

/* Devices deeper than the walk's limit are not found, and nothing overflows. */
UNIT_TEST(deep_devices)
{
	tree_start(T_ALL);
	for (int i = 0; i < 500; i++) {
		fb_begin(&fb, "bus");
		fb_prop_u32(&fb, "#address-cells", 1);
		fb_prop_u32(&fb, "#size-cells", 1);
		if (i == 3 || i == 400) {
			fb_begin(&fb, i == 3 ? "plic" : "serial");
			fb_prop_str(&fb, "compatible", i == 3 ? "riscv,plic0" : "ns16550a");
			fb_prop_cells(&fb, "reg", 2, (const uint32_t[]){ 0x1000 + i, 0x10 });
			fb_end(&fb);
		}
	}
	for (int i = 0; i < 500; i++)
		fb_end(&fb);
	CHECK_EQ(tree_parse(), 0);
	CHECK_EQ(bi.bi_plic_base, 0x1003);
	CHECK_EQ(bi.bi_uart_base, 0);
}

/* Build /chosen with the given initrd properties (len 0: absent) and bootargs. */
static void
chosen_tree(const void *start, int slen, const void *end, int elen, const void *args, int alen)
{
	tree_start(T_ALL);
	fb_begin(&fb, "chosen");
	if (slen)
		fb_prop(&fb, "linux,initrd-start", start, slen);
	if (elen)
		fb_prop(&fb, "linux,initrd-end", end, elen);
	if (args)
		fb_prop(&fb, "bootargs", args, alen);
	fb_end(&fb);
	CHECK_EQ(tree_parse(), 0);
}

UNIT_TEST(initrd_cells)
{
	static const uint8_t s32[] = { 0x84, 0, 0, 0 }, e32[] = { 0x84, 0x10, 0, 0 };
	static const uint8_t s64[] = { 0, 0, 0, 1, 0x84, 0, 0, 0 };
	static const uint8_t e64[] = { 0, 0, 0, 1, 0x84, 0x10, 0, 0 };
	static const uint8_t s96[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0x84, 0, 0, 0 };

	chosen_tree(s32, 4, e32, 4, NULL, 0);
	CHECK_EQ(bi.bi_initrd_start, 0x84000000);
	CHECK_EQ(bi.bi_initrd_end, 0x84100000);
	chosen_tree(s64, 8, e64, 8, NULL, 0);
	CHECK_EQ(bi.bi_initrd_start, 0x184000000ULL);
	CHECK_EQ(bi.bi_initrd_end, 0x184100000ULL);
	chosen_tree(s32, 4, e64, 8, NULL, 0);		/* mixed widths */
	CHECK_EQ(bi.bi_initrd_start, 0x84000000);
	CHECK_EQ(bi.bi_initrd_end, 0x184100000ULL);
	/* Unusable: end before start, one missing, odd lengths. */
	chosen_tree(e32, 4, s32, 4, NULL, 0);
	CHECK_EQ(bi.bi_initrd_start, 0);
	CHECK_EQ(bi.bi_initrd_end, 0);
	chosen_tree(s32, 4, s32, 4, NULL, 0);		/* empty */
	CHECK_EQ(bi.bi_initrd_start, 0);
	chosen_tree(s32, 4, NULL, 0, NULL, 0);
	CHECK_EQ(bi.bi_initrd_start, 0);
	CHECK_EQ(bi.bi_initrd_end, 0);
	chosen_tree(NULL, 0, e32, 4, NULL, 0);		/* end alone: none, not 0..end */
	CHECK_EQ(bi.bi_initrd_start, 0);
	CHECK_EQ(bi.bi_initrd_end, 0);
	chosen_tree(s32, 3, e32, 4, NULL, 0);
	CHECK_EQ(bi.bi_initrd_start, 0);
	CHECK_EQ(bi.bi_initrd_end, 0);
	chosen_tree(s96, 12, e32, 4, NULL, 0);
	CHECK_EQ(bi.bi_initrd_start, 0);
	CHECK_EQ(bi.bi_initrd_end, 0);
}

UNIT_TEST(bootargs_property)
{
	char big[BOOT_ARGS_MAX + 50];

	chosen_tree(NULL, 0, NULL, 0, "abc", 4);
	CHECK_STR(bi.bi_bootargs, "abc");
	chosen_tree(NULL, 0, NULL, 0, "abcde", 5);	/* no NUL in the property */
	CHECK_STR(bi.bi_bootargs, "abcde");
	chosen_tree(NULL, 0, NULL, 0, "ab\0cd", 6);	/* stops at the first NUL */
	CHECK_STR(bi.bi_bootargs, "ab");
	chosen_tree(NULL, 0, NULL, 0, "", 0);		/* empty property */
	CHECK_STR(bi.bi_bootargs, "");
	memset(big, 'a', sizeof(big));
	chosen_tree(NULL, 0, NULL, 0, big, sizeof(big));	/* unterminated and too long */
	CHECK_EQ(strlen(bi.bi_bootargs), BOOT_ARGS_MAX - 1);
	memcpy(big + BOOT_ARGS_MAX - 1, "", 1);
	chosen_tree(NULL, 0, NULL, 0, big, BOOT_ARGS_MAX);	/* exactly fits */
	CHECK_EQ(strlen(bi.bi_bootargs), BOOT_ARGS_MAX - 1);
}
