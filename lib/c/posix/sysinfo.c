/*
 * The machine's CPUs and memory, from the kernel's SysInfo
 * (abi/sysinfo.h): what musl's sysconf(_SC_NPROCESSORS_CONF/ONLN) reads
 * through sched_getaffinity and sysconf(_SC_PHYS_PAGES/AVPHYS_PAGES)
 * through sysinfo.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/sysinfo.h>
#include <sys/neutrino.h>
#include "px.h"

/*
 * SYS_sched_getaffinity: every thread may run on every online CPU, so
 * the mask is CPUs 0..n-1.  The bytes written (a multiple of 8), or
 * -EINVAL if size cannot hold them.
 */
long __px_sched_getaffinity(int tid, size_t size, void *set)
{
	struct _sys_info si;
	unsigned char *b = set;
	size_t bytes;
	long r;

	if (tid < 0)
		return -ESRCH;
	if ((r = SysInfo_r(&si)) < 0)
		return r;
	bytes = ((size_t)si.si_ncpus_onln + 63) / 64 * 8;
	if (size < bytes)
		return -EINVAL;
	memset(b, 0, bytes);
	for (int i = 0; i < si.si_ncpus_onln; i++)
		b[i / 8] |= (unsigned char)(1u << (i % 8));
	return (long)bytes;
}

/*
 * SYS_sysinfo: uptime, total and free RAM (in si_pagesize units).  The
 * load averages, swap, shared and buffer memory and the process count
 * are not kept: 0 (docs/libc.md).
 */
long __px_sysinfo(struct sysinfo *out)
{
	struct _sys_info si;
	struct timespec ts;
	long r;

	if ((r = SysInfo_r(&si)) < 0)
		return r;
	if ((r = __px_clock_gettime(CLOCK_MONOTONIC, &ts)) < 0)
		return r;
	memset(out, 0, sizeof(*out));
	out->uptime = ts.tv_sec;
	out->totalram = si.si_total_pages;
	out->freeram = si.si_free_pages;
	out->mem_unit = si.si_pagesize;
	return 0;
}
