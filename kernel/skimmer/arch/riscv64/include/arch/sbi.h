/*
 * arch/sbi.h - calls into the Supervisor Binary Interface (SBI spec 1.0).
 * All of them may be called from any context; none blocks.
 */
#ifndef ARCH_SBI_H
#define ARCH_SBI_H

#include <kern/types.h>

#define SBI_EXT_BASE	0x10
#define SBI_EXT_TIME	0x54494d45	/* "TIME" */
#define SBI_EXT_IPI	0x735049	/* "sPI" */
#define SBI_EXT_RFENCE	0x52464e43	/* "RFNC" */
#define SBI_EXT_HSM	0x48534d	/* "HSM" */
#define SBI_EXT_SRST	0x53525354	/* "SRST" */
#define SBI_LEGACY_PUTCHAR 0x01

#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_COLD_REBOOT	1
#define SBI_SRST_REASON_NONE	0
#define SBI_SRST_REASON_FAILURE	1

/* SBI error codes (the SBI specification). */
#define SBI_ERR_ALREADY_AVAILABLE	(-6)	/* hart_start: the hart is running already */

#define SBI_HSM_STARTED		0
#define SBI_HSM_STOPPED		1

struct sbiret {
	long	error;		/* SBI_SUCCESS (0) or a negative SBI error */
	long	value;
};

struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2);
bool sbi_probe(long ext);
void sbi_legacy_putchar(int c);
void sbi_set_timer(uint64_t when);
long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
long sbi_hart_start(unsigned long hartid, paddr_t start, unsigned long opaque);
long sbi_hart_status(unsigned long hartid);
void sbi_system_reset(uint32_t type, uint32_t reason);

#endif
