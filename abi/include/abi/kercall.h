/*
 * abi/kercall.h - user-side kernel-call stubs, generated from
 * abi/kercalls.def.  Each __kc_Name(...) traps into the kernel and returns
 * the raw result: >= 0, or a negative errno.  libc's kernel layer wraps
 * these into QNX's conventions (Name() sets errno and returns -1,
 * Name_r() returns the negative errno).
 */
#ifndef ABI_KERCALL_H
#define ABI_KERCALL_H

enum {
#define KERCALL(num, name, nargs) __KER_##name = (num),
#include <abi/kercalls.def>
#undef KERCALL
	__KER_COUNT
};

#ifndef __ASSEMBLER__
static inline long
__kercall(long num, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r3 __asm__("a3") = a3;
	register long r4 __asm__("a4") = a4;
	register long r5 __asm__("a5") = a5;
	register long r7 __asm__("a7") = num;

	/* a1 may change: MsgReplyReceive returns a second value there. */
	__asm__ __volatile__("ecall"
	    : "+r"(r0), "+r"(r1)
	    : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7)
	    : "memory");
	return r0;
}

/*
 * MsgReplyReceive's own stub (its generated __kc_ one passes six): rcvid
 * and chid share a0 (rcvid in the low 32 bits), info goes in a6, and a1
 * comes back with the reply's result (0 or a negative errno) into *rerr
 * (if not NULL).  Returns the receive's result.
 */
static inline long
__kc_MsgReplyReceive7(long rcvid, long status, long smsg, long sbytes, long chid,
    long rmsg, long rbytes, long info, long *rerr)
{
	register long r0 __asm__("a0") = (long)((unsigned long)(unsigned)rcvid |
	    (unsigned long)(unsigned)chid << 32);
	register long r1 __asm__("a1") = status;
	register long r2 __asm__("a2") = smsg;
	register long r3 __asm__("a3") = sbytes;
	register long r4 __asm__("a4") = rmsg;
	register long r5 __asm__("a5") = rbytes;
	register long r6 __asm__("a6") = info;
	register long r7 __asm__("a7") = __KER_MsgReplyReceive;

	__asm__ __volatile__("ecall"
	    : "+r"(r0), "+r"(r1)
	    : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
	    : "memory");
	if (rerr)
		*rerr = r1;
	return r0;
}

/* __kc_Name(a0, ..., a5): every stub takes six longs; unused ones are 0. */
#define KERCALL(num, name, nargs)					\
static inline long							\
__kc_##name(long a0, long a1, long a2, long a3, long a4, long a5)	\
{									\
	return __kercall(num, a0, a1, a2, a3, a4, a5);			\
}
#include <abi/kercalls.def>
#undef KERCALL
#endif

#endif
