/*
 * abi/cdefs.h - helpers shared by the kernel-call ABI headers.
 *
 * Every ABI header must compile in three places: the freestanding kernel
 * (only the compiler's <stdint.h>/<stddef.h>), QSOE user code over musl,
 * and host unit tests over the host libc.  So the ABI headers include
 * nothing but the compiler's headers and each other.
 *
 * The ABI is LP64 only: rv64 (kernel lp64, user lp64d) and, for the host
 * tests, x86_64.  Every struct is laid out with fixed-width types and
 * explicit padding, so the layout is the same for both sides and no
 * uninitialised padding byte ever crosses the kernel boundary.  Each header
 * checks the size and every field's offset with the macros below.
 */
#ifndef ABI_CDEFS_H
#define ABI_CDEFS_H

/* An unsigned constant, also usable from assembler (which has no suffixes). */
#ifdef __ASSEMBLER__
#define _ABI_U(x)	x
#else
#define _ABI_U(x)	x##U
#endif

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define __ABI_ASSERT(cond, msg)	static_assert(cond, msg)
#else
#define __ABI_ASSERT(cond, msg)	_Static_assert(cond, msg)
#endif

/* sizeof(type) is n and its alignment is a. */
#define __ABI_SIZE(type, n, a)						\
	__ABI_ASSERT(sizeof(type) == (n) && __alignof__(type) == (a),	\
	    "ABI: size or alignment of " #type " changed")

/* type.field sits at offset off and is sz bytes long. */
#define __ABI_FIELD(type, field, off, sz)				\
	__ABI_ASSERT(offsetof(type, field) == (off) &&			\
	    sizeof(((type *)0)->field) == (sz),				\
	    "ABI: " #type "." #field " moved or resized")

__ABI_ASSERT(sizeof(void *) == 8 && sizeof(long) == 8 && sizeof(int) == 4,
    "the QSOE kernel-call ABI is LP64");
#endif /* !__ASSEMBLER__ */

#endif
