/*
 * QSOE overlay of musl's arch/riscv64/crt_arch.h: _start also hands the
 * registers it was entered with (a0, a1) to _start_c, because the first
 * process, started by the kernel, gets its arguments there instead of on
 * the stack (see crt/crt1.c).
 */
__asm__(
".section .sdata,\"aw\"\n"
".text\n"
".global " START "\n"
".type " START ",%function\n"
START ":\n"
".weak __global_pointer$\n"
".hidden __global_pointer$\n"
".option push\n"
".option norelax\n\t"
"lla gp, __global_pointer$\n"
".option pop\n\t"
"mv a2, a0\n\t"
"mv a3, a1\n\t"
"mv a0, sp\n"
".weak _DYNAMIC\n"
".hidden _DYNAMIC\n\t"
"lla a1, _DYNAMIC\n\t"
"andi sp, sp, -16\n\t"
"tail " START "_c"
);
