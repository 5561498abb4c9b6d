# QSOE overlay: __unmapself(base, size) - unmap the calling thread's own
# stack and end the thread - is the POSIX layer's __px_unmapself.
.global __unmapself
.hidden __unmapself
.type   __unmapself, %function
__unmapself:
	tail __px_unmapself
