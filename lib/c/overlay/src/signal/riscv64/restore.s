# QSOE overlay: the signal-return trampoline.  QSOE has no signal delivery
# yet, so nothing returns through here; rt_sigreturn goes to the POSIX
# layer (ENOSYS), and the trap after it makes any arrival loud.
.global __restore
.type __restore, %function
__restore:
.global __restore_rt
.type __restore_rt, %function
__restore_rt:
	li a0, 139 # SYS_rt_sigreturn
	call __qsoe_syscall
	unimp
