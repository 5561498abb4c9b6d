# QSOE overlay: a cancellation point enters the POSIX layer, not the kernel.
#
# __syscall_cp_asm(&self->cancel, nr, u, v, w, x, y, z)
#                  a0             a1  a2 a3 a4 a5 a6 a7
# checks the cancel flag, then calls __qsoe_syscall(nr, u, v, w, x, y, z).
# musl's signal-based cancellation of a *blocked* call looks for the pc
# between __cp_begin and __cp_end; without signals (not yet on QSOE) a
# thread is cancelled only here, before it blocks.
.global __cp_begin
.hidden __cp_begin
.global __cp_end
.hidden __cp_end
.global __cp_cancel
.hidden __cp_cancel
.hidden __cancel
.global __syscall_cp_asm
.hidden __syscall_cp_asm
.type __syscall_cp_asm, %function
__syscall_cp_asm:
__cp_begin:
	lw t0, 0(a0)
	bnez t0, __cp_cancel
	mv a0, a1
	mv a1, a2
	mv a2, a3
	mv a3, a4
	mv a4, a5
	mv a5, a6
	mv a6, a7
	tail __qsoe_syscall
__cp_end:
	ret
__cp_cancel:
	tail __cancel
