/*
 * user/rt/rt.h - the runtime of early user programs (in-system tests and
 * the first taskman), until libc (issue E) replaces it.  It prints through
 * the DebugWrite kernel call and exits through ThreadDestroy.
 */
#ifndef RT_H
#define RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <abi/errno.h>
#include <abi/kercall.h>

/* Registers at entry, saved by crt0 (all but sp, gp, t0, a0). */
extern uint64_t __rt_initregs[27];

/* a1 at entry: for init, the size of the boot image at arg. */
extern uint64_t rt_arg2;

/*
 * Start the ELF program at path in the boot image (mapped at img, size
 * bytes) as a new process with abilities, its first thread entering with
 * a0 = arg.  Needs the process-manager ability.  Returns the pid or a
 * negative errno (-ENOENT, -ENOEXEC, ...).
 */
long rt_spawn(const void *img, uint64_t size, const char *path, uint64_t arg, long abilities);

/* Sleep ms milliseconds (TimerTimeout _NTO_TIMEOUT_NANOSLEEP; a signal may end it early). */
void rt_sleep_ms(long ms);

/* The calling thread's current priority, and setting its own (SchedGet/SchedSet). */
int rt_mypri(void);
void rt_setpri(int pri);

/* Where signal handlers return (pass it to SignalAction as sigstub). */
void __rt_sigstub(void);

/* The program's entry: arg is what the kernel or taskman passed in a0. */
int umain(uint64_t arg);

void rt_exit(int status) __attribute__((noreturn));
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * Start fn(arg) in a new thread of this process on the given stack; when
 * fn returns the thread ends.  Returns the tid or a negative errno.
 */
long rt_thread_create(void (*fn)(void *), void *arg, void *stack, size_t size, int pri);

#endif
