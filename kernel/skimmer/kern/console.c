/*
 * kern/console.c - kernel console output and kprintf.
 */
#include <kern/console.h>
#include <kern/ns16550.h>
#include <kern/printf.h>
#include <kern/spinlock.h>
#include <arch/memlayout.h>
#include <arch/sbi.h>

/*
 * console_lock serialises every write to the console device, so one
 * kprintf call is one unbroken unit on the console.  Taken with interrupts
 * disabled from any context; held only while characters are written.
 */
static struct spinlock console_lock = SPINLOCK_INIT("console");

static struct ns16550 uart;
static bool have_uart;

void
console_attach_ns16550(paddr_t base, uint32_t reg_shift)
{
	ns16550_init(&uart, phys_to_virt(base), reg_shift);
	have_uart = true;
}

static void
putc_locked(int c, void *arg)
{
	(void)arg;
	if (c == '\n')
		putc_locked('\r', NULL);
	if (have_uart)
		ns16550_putc(&uart, c);
	else
		sbi_legacy_putchar(c);
}

void
console_write(const char *s, size_t n)
{
	unsigned long fl = spin_lock_irqsave(&console_lock);

	while (n--)
		putc_locked(*s++, NULL);
	spin_unlock_irqrestore(&console_lock, fl);
}

int
console_getc(void)
{
	return have_uart ? ns16550_getc(&uart) : -1;
}

void
console_break_lock(void)
{
	console_lock.sl_owner = -1;
	__atomic_store_n(&console_lock.sl_locked, 0, __ATOMIC_RELEASE);
}

int
kvprintf(const char *fmt, va_list ap)
{
	unsigned long fl = spin_lock_irqsave(&console_lock);
	int n = kvformat(putc_locked, NULL, fmt, ap);

	spin_unlock_irqrestore(&console_lock, fl);
	return n;
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
