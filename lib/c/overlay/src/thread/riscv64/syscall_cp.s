# QSOE overlay: a cancellation point enters the POSIX layer, not the kernel.
#
# __syscall_cp_asm(&self->cancel, nr, u, v, w, x, y, z)
#                  a0             a1  a2 a3 a4 a5 a6 a7
# acts on a pending cancel request, else calls
# __qsoe_syscall_cp(&self->cancel, nr, u, v, w, x, y, z), which makes the
# call's blocking kernel call through the kernel layer's
# __qsoe_kercall_cp.  That is where __cp_begin and __cp_end are: the
# ecall that a cancel request may cut short is there, not here
# (lib/c/kernel/skimmer/riscv64/kercall_cp.S).
.hidden __cancel
.global __syscall_cp_asm
.hidden __syscall_cp_asm
.type __syscall_cp_asm, %function
__syscall_cp_asm:
	lw t0, 0(a0)
	bnez t0, 1f
	tail __qsoe_syscall_cp
1:	tail __cancel
