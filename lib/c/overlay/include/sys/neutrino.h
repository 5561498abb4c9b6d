/*
 * <sys/neutrino.h> - QNX Neutrino's kernel calls for QSOE programs.
 *
 * The types and constants are the kernel-call ABI (<abi/neutrino.h>); the
 * functions are libc's kernel layer (lib/c/kernel/<kernel>/), one pair per
 * call in abi/kercalls.def:
 *	Name(...)	returns -1 and sets errno on failure
 *	Name_r(...)	returns the negated errno instead (errno untouched)
 * docs/kernel-calls.md describes every call.
 *
 * musl's <signal.h> and <sched.h> own union sigval, struct sigevent and
 * struct sched_param (Linux layouts), so the kernel's layouts are named
 * struct __abi_sigevent and struct __abi_sched_param here (see
 * abi/sigevent.h).
 */
#ifndef _SYS_NEUTRINO_H
#define _SYS_NEUTRINO_H

#include <sys/types.h>
#include <signal.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <abi/neutrino.h>
#include <abi/procmgr.h>
#include <abi/signal.h>
#include <abi/sysinfo.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Auxiliary-vector entries (getauxval()) of the first process, which the
 * kernel starts with the boot image mapped (crt1.c): its address
 * (BOOTIMG_VA) and size, and the kernel command line (a string; 0 when
 * the kernel passes none).  In QSOE's own AT_ range (0x5153000 up).
 */
#define AT_QSOE_BOOTIMG		0x5153010UL
#define AT_QSOE_BOOTIMG_SIZE	0x5153011UL
#define AT_QSOE_INITARGS	0x5153012UL

#define __KC(ret, name, params)	ret name params; ret name##_r params

__KC(int, Nop, (void));
__KC(int, DebugWrite, (const void *__buf, size_t __len));

/* Threads. */
__KC(int, ThreadDestroy, (int __tid, int __priority, void *__status));
__KC(int, ThreadCreate, (pid_t __pid, void *(*__func)(void *), void *__arg,
    const struct _thread_attr *__attr));
__KC(int, ThreadJoin, (int __tid, void **__status));
__KC(int, ThreadCtl, (int __cmd, void *__data));

/* Channels and connections. */
__KC(int, ChannelCreate, (unsigned __flags));
__KC(int, ChannelDestroy, (int __chid));
__KC(int, ConnectAttach, (uint32_t __nd, pid_t __pid, int __chid, unsigned __index,
    int __flags));
__KC(int, ConnectDetach, (int __coid));
__KC(int, ConnectServerInfo, (pid_t __pid, int __coid, struct _server_info *__info));

/* Messages. */
__KC(long, MsgSendv, (int __coid, const iov_t *__siov, size_t __sparts,
    const iov_t *__riov, size_t __rparts));
__KC(long, MsgSendvs, (int __coid, const iov_t *__siov, size_t __sparts,
    void *__rmsg, size_t __rbytes));
__KC(long, MsgSendsv, (int __coid, const void *__smsg, size_t __sbytes,
    const iov_t *__riov, size_t __rparts));
__KC(long, MsgSend, (int __coid, const void *__smsg, size_t __sbytes,
    void *__rmsg, size_t __rbytes));
__KC(int, MsgReceivev, (int __chid, const iov_t *__riov, size_t __rparts,
    struct _msg_info *__info));
__KC(int, MsgReceive, (int __chid, void *__msg, size_t __bytes, struct _msg_info *__info));
__KC(int, MsgReceivePulsev, (int __chid, const iov_t *__riov, size_t __rparts,
    struct _msg_info *__info));
__KC(int, MsgReceivePulse, (int __chid, void *__pulse, size_t __bytes,
    struct _msg_info *__info));
__KC(int, MsgReplyv, (int __rcvid, long __status, const iov_t *__riov, size_t __rparts));
__KC(int, MsgReply, (int __rcvid, long __status, const void *__msg, size_t __bytes));
__KC(int, MsgError, (int __rcvid, int __error));
__KC(ssize_t, MsgReadv, (int __rcvid, const iov_t *__riov, size_t __rparts, size_t __offset));
__KC(ssize_t, MsgRead, (int __rcvid, void *__msg, size_t __bytes, size_t __offset));
__KC(ssize_t, MsgWritev, (int __rcvid, const iov_t *__siov, size_t __sparts, size_t __offset));
__KC(ssize_t, MsgWrite, (int __rcvid, const void *__msg, size_t __bytes, size_t __offset));
__KC(int, MsgInfo, (int __rcvid, struct _msg_info *__info));
__KC(int, MsgSendPulse, (int __coid, int __priority, int __code, int __value));
__KC(int, MsgDeliverEvent, (int __rcvid, const struct __abi_sigevent *__event));
/*
 * QSOE extension (not in QNX): MsgReply(rcvid, status, smsg, sbytes), then
 * MsgReceive(chid, rmsg, rbytes, info), in one kernel call, for a server's
 * loop.  rcvid 0 (after a pulse) replies to nobody.  The receive happens
 * whatever the reply did; the result is the receive's.  *rerr (if rerr is
 * not NULL) gets the reply's outcome: 0, or the errno MsgReply would have
 * set (ESRCH: no such client, or it is gone; EFAULT: as MsgReply's, and if
 * the fault was in smsg the client still waits for an answer).
 * docs/kernel-calls.md.
 */
__KC(int, MsgReplyReceive, (int __rcvid, long __status, const void *__smsg, size_t __sbytes,
    int __chid, void *__rmsg, size_t __rbytes, struct _msg_info *__info, int *__rerr));

/* Scheduling. */
__KC(int, SchedYield, (void));
__KC(int, SchedGet, (pid_t __pid, int __tid, struct __abi_sched_param *__param));
__KC(int, SchedSet, (pid_t __pid, int __tid, int __policy,
    const struct __abi_sched_param *__param));

/* Clocks and timers (times in nanoseconds). */
__KC(int, ClockTime, (clockid_t __id, const uint64_t *__new, uint64_t *__old));
__KC(int, TimerTimeout, (clockid_t __id, int __flags, const struct __abi_sigevent *__notify,
    const uint64_t *__ntime, uint64_t *__otime));
__KC(int, TimerCreate, (clockid_t __id, const struct __abi_sigevent *__event));
__KC(int, TimerDestroy, (int __id));
__KC(int, TimerSettime, (int __id, int __flags, const struct _itimer *__itime,
    struct _itimer *__oitime));
__KC(int, ClockPeriod, (clockid_t __id, const struct _clockperiod *__new,
    struct _clockperiod *__old, int __reserved));

/* Skimmer's process-manager calls (abi/procmgr.h; the PROCMGR ability). */
__KC(int, ProcCreate, (const char *__name, unsigned __abilities));
__KC(int, ProcDestroy, (pid_t __pid, int __status));
__KC(int, MemMap, (pid_t __pid, uintptr_t __va, size_t __len, int __prot, int __flags,
    uint64_t __paddr));
__KC(int, MemUnmap, (pid_t __pid, uintptr_t __va, size_t __len));
__KC(ssize_t, MemWrite, (pid_t __pid, uintptr_t __va, const void *__src, size_t __len));
__KC(int, ProcNotify, (int __chid, unsigned __flags));
__KC(int, ThreadInfo, (pid_t __pid, int __tid, struct _thread_info *__info));
__KC(int, ProcSetGroup, (pid_t __pid, pid_t __pgid));
__KC(int, MemClone, (pid_t __dst, pid_t __src, uintptr_t __va, size_t __len));
__KC(int, ThreadClone, (pid_t __dst, pid_t __src, int __src_tid, long __a0));
__KC(int, ThreadExec, (pid_t __pid, int __tid, uintptr_t __pc, uintptr_t __sp,
    const char *__name));
__KC(int, ProcPager, (pid_t __pid, int __chid));
__KC(int, PageFaultInfo, (pid_t __pid, int __tid, struct _page_fault *__info));
__KC(int, PageResume, (pid_t __pid, int __tid, int __signo));
__KC(int, MemOffset, (pid_t __pid, uintptr_t __va, size_t __len, struct _mem_phys *__info));
__KC(int, ProcSetCred, (pid_t __pid, uid_t __ruid, uid_t __euid, uid_t __suid, pid_t __sid));
__KC(int, SysInfo, (struct _sys_info *__info));
__KC(int, MemShare, (pid_t __dst, uintptr_t __dva, pid_t __src, uintptr_t __sva, size_t __len,
    int __prot));
__KC(int, MemProtect, (pid_t __pid, uintptr_t __va, size_t __len, int __prot));
__KC(int, SysShutdownMode, (int __mode));

__KC(int, TimerItimer, (int __which, const struct _itimer *__itime, struct _itimer *__oitime));
__KC(int, TimerInfo, (pid_t __pid, int __id, int __flags, struct _timer_info *__info));
__KC(int, ThreadDetach, (int __tid));

/* The embedded stress test (the shell's `stress`; privileged). */
__KC(int, SysStress, (unsigned __seconds, uint64_t __seed));

/* Skimmer's futex-like wait and wake, keyed by physical address. */
__KC(int, FutexWait, (volatile int *__addr, int __expected));
__KC(int, FutexWake, (volatile int *__addr, int __count));

/* Interrupts for user-space drivers (_NTO_TCTL_IO first). */
__KC(int, InterruptAttachEvent, (int __intr, const struct __abi_sigevent *__event,
    unsigned __flags));
__KC(int, InterruptDetach, (int __id));
__KC(int, InterruptWait, (int __flags, const uint64_t *__timeout));
__KC(int, InterruptMask, (int __intr, int __id));
__KC(int, InterruptUnmask, (int __intr, int __id));

/*
 * Signals (abi/signal.h, docs/kernel-calls.md "Signals").  Sets are one
 * 64-bit word, the first word of a sigset_t; the handler frame is musl's
 * ucontext_t and siginfo_t.
 */
__KC(int, SignalKill, (uint32_t __nd, pid_t __pid, int __tid, int __signo, int __code,
    intptr_t __value));
__KC(int, SignalAction, (pid_t __pid, void (*__sigstub)(void), int __signo,
    const struct __abi_sigaction *__act, struct __abi_sigaction *__oact));
__KC(int, SignalProcmask, (pid_t __pid, int __tid, int __how, const uint64_t *__set,
    uint64_t *__oldset));
__KC(int, SignalSuspend, (const uint64_t *__set));
__KC(int, SignalWaitinfo, (const uint64_t *__set, siginfo_t *__info));
__KC(int, SignalReturn, (void *__ucontext));
__KC(int, SignalAltstack, (const struct __abi_stack *__ss, struct __abi_stack *__oss));

/* Sync objects (abi/sync.h): a mutex is taken in user space when free. */
__KC(int, SyncTypeCreate, (unsigned __type, sync_t *__sync, const struct _sync_attr *__attr));
__KC(int, SyncDestroy, (sync_t *__sync));
__KC(int, SyncMutexLock, (sync_t *__sync));
__KC(int, SyncMutexUnlock, (sync_t *__sync));
__KC(int, SyncCondvarWait, (sync_t *__cond, sync_t *__mutex));
__KC(int, SyncCondvarSignal, (sync_t *__cond, int __all));
__KC(int, SyncSemPost, (sync_t *__sem));
__KC(int, SyncSemWait, (sync_t *__sem, int __try));

#undef __KC

#ifdef __cplusplus
}
#endif

#endif
