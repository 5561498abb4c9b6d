/*
 * kern/bootinfo.c - turn the device tree into struct bootinfo.
 */
#include <kern/bootinfo.h>
#include <kern/printf.h>
#include <kern/string.h>
#include <abi/errno.h>

struct cells {
	int	ac;	/* #address-cells */
	int	sc;	/* #size-cells */
};

static struct cells
node_cells(const struct fdt *fdt, int node)
{
	struct cells c = { 2, 1 };	/* the spec's defaults */
	uint32_t v;

	if (fdt_getprop_u32(fdt, node, "#address-cells", &v) == 0)
		c.ac = (int)v;
	if (fdt_getprop_u32(fdt, node, "#size-cells", &v) == 0)
		c.sc = (int)v;
	return c;
}

/* First (base, size) of a node's reg, with the parent's cell sizes. */
static bool
reg_first(const struct fdt *fdt, int node, struct cells c, uint64_t *base, uint64_t *size)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, "reg", &len);

	if (p == NULL || c.ac < 1 || c.ac > 2 || c.sc < 0 || c.sc > 2 ||
	    len < 4 * (c.ac + c.sc))
		return false;
	*base = fdt_read_cells(p, c.ac);
	*size = c.sc ? fdt_read_cells(p + 4 * c.ac, c.sc) : 0;
	return true;
}

static void
parse_memory(struct bootinfo *bi, const struct fdt *fdt, int root, struct cells c)
{
	for (int n = fdt_first_child(fdt, root); n >= 0; n = fdt_next_sibling(fdt, n)) {
		int len;
		const char *dt = fdt_getprop(fdt, n, "device_type", &len);
		const uint8_t *p;
		int stride;

		if (dt == NULL || len < 7 || strncmp(dt, "memory", 7) != 0)
			continue;
		p = fdt_getprop(fdt, n, "reg", &len);
		/* fdt_read_cells() reads 1 or 2 cells; anything else is a bad tree. */
		if (p == NULL || c.ac < 1 || c.ac > 2 || c.sc < 1 || c.sc > 2)
			continue;
		stride = 4 * (c.ac + c.sc);
		for (int off = 0; off + stride <= len && bi->bi_nmem < BOOT_MAX_MEM; off += stride) {
			struct memrange *m = &bi->bi_mem[bi->bi_nmem];

			m->mr_base = fdt_read_cells(p + off, c.ac);
			m->mr_size = fdt_read_cells(p + off + 4 * c.ac, c.sc);
			if (m->mr_size)
				bi->bi_nmem++;
		}
	}
}

static void
add_reserved(struct bootinfo *bi, uint64_t base, uint64_t size)
{
	if (size && bi->bi_nreserved < BOOT_MAX_RESERVED) {
		bi->bi_reserved[bi->bi_nreserved].mr_base = base;
		bi->bi_reserved[bi->bi_nreserved].mr_size = size;
		bi->bi_nreserved++;
	}
}

static void
parse_reserved(struct bootinfo *bi, const struct fdt *fdt)
{
	uint64_t base, size;
	int rm = fdt_path(fdt, "/reserved-memory");

	for (int i = 0; fdt_rsvmap_entry(fdt, i, &base, &size); i++)
		add_reserved(bi, base, size);
	if (rm < 0)
		return;
	struct cells c = node_cells(fdt, rm);
	for (int n = fdt_first_child(fdt, rm); n >= 0; n = fdt_next_sibling(fdt, n))
		if (reg_first(fdt, n, c, &base, &size))
			add_reserved(bi, base, size);
}

static bool
status_okay(const struct fdt *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	return s == NULL || (len >= 4 && strncmp(s, "okay", 4) == 0) ||
	    (len >= 2 && strncmp(s, "ok", 2) == 0 && (len == 2 || s[2] == '\0'));
}

static int
parse_cpus(struct bootinfo *bi, const struct fdt *fdt)
{
	int cpus = fdt_path(fdt, "/cpus");
	uint32_t tb;

	if (cpus < 0)
		return -1;
	if (fdt_getprop_u32(fdt, cpus, "timebase-frequency", &tb) == 0)
		bi->bi_timebase = tb;
	struct cells c = node_cells(fdt, cpus);
	for (int n = fdt_first_child(fdt, cpus); n >= 0; n = fdt_next_sibling(fdt, n)) {
		int len;
		const char *dt = fdt_getprop(fdt, n, "device_type", &len);
		uint64_t hart, size;

		if (dt == NULL || len < 4 || strncmp(dt, "cpu", 4) != 0)
			continue;
		if (!status_okay(fdt, n) || !reg_first(fdt, n, (struct cells){ c.ac, 0 }, &hart, &size))
			continue;
		if (bi->bi_timebase == 0 && fdt_getprop_u32(fdt, n, "timebase-frequency", &tb) == 0)
			bi->bi_timebase = tb;
		if (bi->bi_nharts < BOOT_MAX_HARTS)
			bi->bi_harts[bi->bi_nharts++] = hart;
	}
	return 0;
}

/* Walk every node with a parent's cell sizes, looking for devices we know. */
static void
parse_devices(struct bootinfo *bi, const struct fdt *fdt, int parent, struct cells c, int depth)
{
	if (depth > 8)
		return;
	for (int n = fdt_first_child(fdt, parent); n >= 0; n = fdt_next_sibling(fdt, n)) {
		uint64_t base = 0, size = 0;
		uint32_t v;
		bool have_reg = reg_first(fdt, n, c, &base, &size);

		if (status_okay(fdt, n) && have_reg) {
			if (bi->bi_uart_base == 0 && (fdt_is_compatible(fdt, n, "ns16550a") ||
			    fdt_is_compatible(fdt, n, "ns16550"))) {
				bi->bi_uart_base = base;
				if (fdt_getprop_u32(fdt, n, "interrupts", &v) == 0)
					bi->bi_uart_irq = v;
				if (fdt_getprop_u32(fdt, n, "clock-frequency", &v) == 0)
					bi->bi_uart_clock = v;
				if (fdt_getprop_u32(fdt, n, "reg-shift", &v) == 0)
					bi->bi_uart_shift = v;
			} else if (fdt_is_compatible(fdt, n, "riscv,plic0") ||
			    fdt_is_compatible(fdt, n, "sifive,plic-1.0.0")) {
				bi->bi_plic_base = base;
				bi->bi_plic_size = size;
				if (fdt_getprop_u32(fdt, n, "riscv,ndev", &v) == 0)
					bi->bi_plic_ndev = v;
			} else if (fdt_is_compatible(fdt, n, "riscv,clint0") ||
			    fdt_is_compatible(fdt, n, "sifive,clint0")) {
				bi->bi_clint_base = base;
			} else if (fdt_is_compatible(fdt, n, "sifive,test1") ||
			    fdt_is_compatible(fdt, n, "sifive,test0")) {
				bi->bi_finisher_base = base;
			} else if (fdt_is_compatible(fdt, n, "google,goldfish-rtc")) {
				bi->bi_rtc_base = base;
			} else if (fdt_is_compatible(fdt, n, "virtio,mmio") &&
			    bi->bi_nvirtio < BOOT_MAX_VIRTIO) {
				struct virtio_slot *vs = &bi->bi_virtio[bi->bi_nvirtio++];

				vs->vs_base = base;
				vs->vs_size = size;
				vs->vs_irq = fdt_getprop_u32(fdt, n, "interrupts", &v) == 0 ? v : 0;
			}
		}
		parse_devices(bi, fdt, n, node_cells(fdt, n), depth + 1);
	}
}

static void
parse_chosen(struct bootinfo *bi, const struct fdt *fdt)
{
	int ch = fdt_path(fdt, "/chosen"), len;
	const uint8_t *p;
	const char *args;

	if (ch < 0)
		return;
	p = fdt_getprop(fdt, ch, "linux,initrd-start", &len);
	if (p && (len == 4 || len == 8))
		bi->bi_initrd_start = fdt_read_cells(p, len / 4);
	p = fdt_getprop(fdt, ch, "linux,initrd-end", &len);
	if (p && (len == 4 || len == 8))
		bi->bi_initrd_end = fdt_read_cells(p, len / 4);
	/* Both or neither: a start of 0 means "no initrd" to every reader. */
	if (bi->bi_initrd_start == 0 || bi->bi_initrd_end <= bi->bi_initrd_start)
		bi->bi_initrd_start = bi->bi_initrd_end = 0;
	args = fdt_getprop(fdt, ch, "bootargs", &len);
	if (args && len > 0) {
		size_t n = strnlen(args, (size_t)len);

		if (n >= BOOT_ARGS_MAX)
			n = BOOT_ARGS_MAX - 1;
		memcpy(bi->bi_bootargs, args, n);
		bi->bi_bootargs[n] = '\0';
	}
}

int
bootinfo_parse(struct bootinfo *bi, const struct fdt *fdt, char *err, size_t errlen)
{
	int root = fdt_root(fdt);

	memset(bi, 0, sizeof(*bi));
	if (root < 0) {
		ksnprintf(err, errlen, "device tree has no root node");
		return -EINVAL;
	}
	struct cells c = node_cells(fdt, root);
	parse_memory(bi, fdt, root, c);
	if (bi->bi_nmem == 0) {
		ksnprintf(err, errlen, "device tree has no /memory node with a usable reg");
		return -EINVAL;
	}
	if (parse_cpus(bi, fdt) < 0 || bi->bi_nharts == 0) {
		ksnprintf(err, errlen, "device tree has no enabled /cpus/cpu node");
		return -EINVAL;
	}
	if (bi->bi_timebase == 0) {
		ksnprintf(err, errlen, "device tree has no timebase-frequency");
		return -EINVAL;
	}
	parse_reserved(bi, fdt);
	parse_devices(bi, fdt, root, c, 0);
	parse_chosen(bi, fdt);
	bi->bi_dtb_size = fdt->fd_size;
	return 0;
}

/* Find word `opt` in the words from p on; returns a pointer just past it, or NULL. */
static const char *
find_arg(const char *p, const char *opt)
{
	size_t n = strlen(opt);

	while (*p) {
		while (*p == ' ')
			p++;
		if (strncmp(p, opt, n) == 0 && (p[n] == '\0' || p[n] == ' ' || p[n] == '='))
			return p + n;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool
bootarg_present(const struct bootinfo *bi, const char *opt)
{
	return find_arg(bi->bi_bootargs, opt) != NULL;
}

bool
bootarg_value(const struct bootinfo *bi, const char *opt, char *val, size_t len)
{
	const char *p = bi->bi_bootargs;
	size_t n = 0;

	/* The first "opt=value" word: a bare "opt" before it does not hide it. */
	while ((p = find_arg(p, opt)) != NULL && *p != '=')
		;
	if (p == NULL || len == 0)
		return false;
	for (p++; *p && *p != ' ' && n + 1 < len; p++)
		val[n++] = *p;
	val[n] = '\0';
	return true;
}
