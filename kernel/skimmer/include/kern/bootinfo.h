/*
 * kern/bootinfo.h - what the kernel learns about the machine at boot.
 *
 * Filled once by bootinfo_parse() on the boot CPU from the device tree,
 * before any other CPU starts; read-only afterwards, so any CPU may read it
 * without locking.
 */
#ifndef KERN_BOOTINFO_H
#define KERN_BOOTINFO_H

#include <kern/types.h>
#include <kern/fdt.h>

#define BOOT_MAX_MEM		8	/* memory ranges */
#define BOOT_MAX_RESERVED	16	/* reserved ranges (rsvmap + /reserved-memory) */
#define BOOT_MAX_HARTS		64
#define BOOT_MAX_VIRTIO		16
#define BOOT_ARGS_MAX		256

struct memrange {
	paddr_t		mr_base;
	uint64_t	mr_size;
};

struct virtio_slot {
	paddr_t		vs_base;	/* MMIO window */
	uint64_t	vs_size;
	uint32_t	vs_irq;		/* PLIC source */
};

struct bootinfo {
	struct memrange	bi_mem[BOOT_MAX_MEM];		/* usable RAM */
	int		bi_nmem;
	struct memrange	bi_reserved[BOOT_MAX_RESERVED];	/* firmware, dtb, ... */
	int		bi_nreserved;
	unsigned long	bi_harts[BOOT_MAX_HARTS];	/* enabled hart ids, DT order */
	int		bi_nharts;
	uint64_t	bi_timebase;			/* time CSR ticks per second */
	paddr_t		bi_uart_base;			/* NS16550, 0 if none */
	uint32_t	bi_uart_irq;
	uint32_t	bi_uart_clock;
	uint32_t	bi_uart_shift;			/* reg-shift */
	paddr_t		bi_plic_base;			/* 0 if none */
	uint64_t	bi_plic_size;
	uint32_t	bi_plic_ndev;
	paddr_t		bi_clint_base;			/* 0 if none */
	paddr_t		bi_finisher_base;		/* sifive,test: exit with status */
	paddr_t		bi_rtc_base;			/* google,goldfish-rtc, 0 if none */
	struct virtio_slot bi_virtio[BOOT_MAX_VIRTIO];
	int		bi_nvirtio;
	paddr_t		bi_initrd_start;		/* 0 if none */
	paddr_t		bi_initrd_end;
	char		bi_bootargs[BOOT_ARGS_MAX];
	paddr_t		bi_dtb;
	uint32_t	bi_dtb_size;
};

extern struct bootinfo bootinfo;
extern struct fdt boot_fdt;	/* the firmware's device tree (read-only after boot) */

/*
 * Fill *bi from the device tree in fdt.  Returns 0, or a negative errno and
 * a message in err (of errlen bytes) naming what was missing or malformed.
 * Pure code: it builds on the host for the unit tests.
 */
int bootinfo_parse(struct bootinfo *bi, const struct fdt *fdt, char *err, size_t errlen);

/* True if the word `opt` appears in bootargs; value of "opt=value" into val. */
bool bootarg_present(const struct bootinfo *bi, const char *opt);
bool bootarg_value(const struct bootinfo *bi, const char *opt, char *val, size_t len);

#endif
