/*
 * user/rt/rt.c - start, exit, formatted output.
 */
#include "rt.h"
#include <abi/neutrino.h>

void __rt_start(uint64_t arg, uint64_t arg2);
uint64_t rt_arg2;

void
__rt_start(uint64_t arg, uint64_t arg2)
{
	rt_arg2 = arg2;		/* init: the boot image's size */
	rt_exit(umain(arg));
}

/* End the whole process (every thread), like exit(). */
void
rt_exit(int status)
{
	for (;;)
		__kercall(__KER_ThreadDestroy, -1, -1, status, 0, 0, 0);
}

struct out {
	char	*o_buf;
	size_t	o_size;
	size_t	o_len;
};

static void
put(struct out *o, char c)
{
	if (o->o_len + 1 < o->o_size)
		o->o_buf[o->o_len] = c;
	o->o_len++;
}

static void
put_num(struct out *o, uint64_t v, unsigned base, int width, char pad, int neg)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		put(o, pad);
	while (n)
		put(o, tmp[--n]);
}

int
rt_vsnprintf(char *buf, size_t size, const char *f, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *f; f++) {
		int width = 0, lng = 0, prec = -1;
		char pad = ' ';

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		if (*++f == '0')
			pad = '0', f++;
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		if (*f == '.')		/* precision: honoured by %s only */
			for (prec = 0, f++; *f >= '0' && *f <= '9';)
				prec = prec * 10 + (*f++ - '0');
		while (*f == 'l' || *f == 'z')
			lng = 1, f++;
		switch (*f) {
		case 'd': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, pad, v < 0);
			break;
		}
		case 'u':
		case 'o':
		case 'x': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_num(&o, v, *f == 'u' ? 10 : *f == 'o' ? 8 : 16, width, pad, 0);
			break;
		}
		case 'p':
			put(&o, '0'), put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, 16, '0', 0);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s && prec != 0; s++, prec--)
				put(&o, *s);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '\0':
			f--;
			break;
		default:
			put(&o, *f);
		}
	}
	if (size)
		buf[o.o_len < size ? o.o_len : size - 1] = '\0';
	return (int)o.o_len;
}

int
rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int
rt_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	__kercall(__KER_DebugWrite, (long)buf, n, 0, 0, 0, 0);
	return n;
}

#include <abi/thread.h>

/* Where a thread's function returns to: end just this thread. */
static void
rt_thread_exit(void *unused)
{
	(void)unused;
	for (;;)
		__kercall(__KER_ThreadDestroy, 0, -1, 0, 0, 0, 0);
}

long
rt_thread_create(void (*fn)(void *), void *arg, void *stack, size_t size, int pri)
{
	struct _thread_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.__stackaddr = stack;
	attr.__stacksize = size;
	attr.__exitfunc = rt_thread_exit;
	if (pri > 0) {
		attr.__flags = _NTO_TA_EXPLICIT_SCHED;
		attr.__policy = 1;	/* SCHED_FIFO */
		attr.__param.sched_priority = pri;
	}
	return __kercall(__KER_ThreadCreate, 0, (long)fn, (long)arg, (long)&attr, 0, 0);
}

/*
 * The signal return stub (abi/signal.h): a handler returns here with sp
 * still at the frame the kernel pushed, and SignalReturn restores the
 * interrupted context.
 */
__attribute__((naked)) void
__rt_sigstub(void)
{
	__asm__ __volatile__(
	    "mv a0, sp\n\t"
	    "li a7, %0\n\t"
	    "ecall\n\t"
	    "unimp" :: "i"(__KER_SignalReturn));
}

void
rt_sleep_ms(long ms)
{
	uint64_t ns = (uint64_t)ms * 1000000;

	__kercall(__KER_TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, (long)&ns, 0, 0);
}

int
rt_mypri(void)
{
	struct sched_param sp = { 0 };

	__kercall(__KER_SchedGet, 0, 0, (long)&sp, 0, 0, 0);
	return sp.sched_curpriority;
}

void
rt_setpri(int pri)
{
	struct sched_param sp = { .sched_priority = pri };

	__kercall(__KER_SchedSet, 0, 0, SCHED_NOCHANGE, (long)&sp, 0, 0);
}
