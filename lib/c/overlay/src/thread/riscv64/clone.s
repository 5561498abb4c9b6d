# QSOE overlay: __clone(func, stack, flags, arg, ptid, tls, ctid) is the
# POSIX layer's __px_clone (lib/c/posix/clone.c), which starts a thread
# with ThreadCreate.  The arguments pass through unchanged.
.global __clone
.hidden __clone
.type  __clone, %function
__clone:
	tail __px_clone
