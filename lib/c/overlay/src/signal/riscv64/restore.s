# QSOE overlay: musl's signal-return trampolines.  musl hands them to
# rt_sigaction as the restorer (SA_RESTORER); QSOE ignores that, because
# the kernel returns every handler through the kernel layer's
# __qsoe_sigstub (SignalReturn), which the POSIX layer registers.  Should
# anything call these the Linux way (sp at the frame), they do the same.
.global __restore
.type __restore, %function
__restore:
.global __restore_rt
.type __restore_rt, %function
__restore_rt:
	tail __qsoe_sigstub
