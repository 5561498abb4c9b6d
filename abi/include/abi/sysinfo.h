/*
 * abi/sysinfo.h - SysInfo(info): what the kernel knows of the machine,
 * for sysconf's _SC_NPROCESSORS_CONF/ONLN, _SC_PHYS_PAGES and
 * _SC_AVPHYS_PAGES (taskman asks and answers _SYS_CONF), and the CPUs'
 * idle time (make bench subtracts it from a boot's instruction count).
 * Any process may call it; it reveals nothing about other processes.
 */
#ifndef ABI_SYSINFO_H
#define ABI_SYSINFO_H

#include <abi/cdefs.h>

struct _sys_info {
	int32_t		si_ncpus_conf;	/* harts the device tree enables */
	int32_t		si_ncpus_onln;	/* CPUs running Skimmer now */
	uint32_t	si_pagesize;	/* bytes of a page (4096) */
	uint32_t	si_zero;	/* 0 */
	uint64_t	si_total_pages;	/* frames the kernel manages (RAM less itself) */
	uint64_t	si_free_pages;	/* of which free now */
	uint64_t	si_idle_ns;	/* time the CPUs have spent idle since they
					   started, summed over the CPUs; 0 if the
					   kernel does not know */
};
__ABI_SIZE(struct _sys_info, 40, 8);

#endif
