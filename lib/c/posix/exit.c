/*
 * Ending threads and the process: Linux's exit (one thread) and exit_group
 * (every thread), as ThreadDestroy.
 */
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include "px.h"
#include "qsoe_kernel.h"

volatile int *__px_ctid;

/* SYS_exit: end the calling thread; its clear-tid word is cleared and woken. */
_Noreturn void __px_exit(int status)
{
	__qsoe_thread_exit(__px_ctid, 0, 0, 0, status);
}

/*
 * SYS_exit_group: end every thread of the process, with status, after
 * writing back its shared file mappings (mm.c).  Where
 * taskman's protocol has _PROC_EXIT (the kernel's death status is not yet
 * a wait status), taskman is told the exit status first, so the parent's
 * wait sees an exit, not a kill; taskman's next part retires it.
 */
_Noreturn void __px_exit_group(int status)
{
	__px_fmap_sync_all();		/* shared file mappings reach their files */
#ifdef _PROC_EXIT
	struct _proc_exit m = { .type = _PROC_EXIT, .ex_status = status };

	__px_sysmgr_send(&m, sizeof(m), 0, 0);
#endif
	for (;;)
		ThreadDestroy_r(-1, -1, (void *)(long)status);
}
