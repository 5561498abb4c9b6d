// uses:
/*
 * Host tests of the message headers (abi/include/sys/iomsg.h, procmsg.h).
 *
 * Layouts are checked at compile time by the headers; compiling them here,
 * after the host libc's headers, checks that they coexist with a libc and
 * hold on x86_64 too.  At run time we check that the values documented as
 * "musl's (Linux) numbers" really are the host libc's, and the few layout
 * facts the headers promise in words.
 */
#include "unit.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <sys/iomsg.h>
#include <sys/procmsg.h>

UNIT_TEST(wait_values_are_linux)
{
	CHECK_EQ(_WAIT_WNOHANG, WNOHANG);
	CHECK_EQ(_WAIT_WUNTRACED, WUNTRACED);
	CHECK_EQ(_WAIT_WEXITED, WEXITED);
	CHECK_EQ(_WAIT_WCONTINUED, WCONTINUED);
	CHECK_EQ(_WAIT_WNOWAIT, WNOWAIT);
	CHECK_EQ(_WAIT_P_ALL, P_ALL);
	CHECK_EQ(_WAIT_P_PID, P_PID);
	CHECK_EQ(_WAIT_P_PGID, P_PGID);
	CHECK_EQ(_WAIT_CLD_EXITED, CLD_EXITED);
	CHECK_EQ(_WAIT_CLD_KILLED, CLD_KILLED);
	CHECK_EQ(_WAIT_CLD_STOPPED, CLD_STOPPED);
	CHECK_EQ(_WAIT_CLD_CONTINUED, CLD_CONTINUED);
	/* The wait status encoding taskman uses is the one W* macros decode. */
	int st = (3 & 0xff) << 8;
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	st = 11;
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == 11);
	st = 19 << 8 | 0x7f;			/* the kernel's stop status (SIGSTOP) */
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == 19 && !WIFSIGNALED(st) && !WIFEXITED(st));
	st = 0xffff;				/* ... and its continue status */
	CHECK(WIFCONTINUED(st) && !WIFSTOPPED(st) && !WIFSIGNALED(st));
}

UNIT_TEST(mmap_values_are_linux)
{
	CHECK_EQ(_MAP_SHARED, MAP_SHARED);
	CHECK_EQ(_MAP_PRIVATE, MAP_PRIVATE);
	CHECK_EQ(_MAP_FIXED, MAP_FIXED);
	CHECK_EQ(_MAP_ANONYMOUS, MAP_ANONYMOUS);
	CHECK_EQ(_PROT_READ, PROT_READ);
	CHECK_EQ(_PROT_WRITE, PROT_WRITE);
	CHECK_EQ(_PROT_EXEC, PROT_EXEC);
	/* _MAP_FILEOBJ is qsoe's own: no flag libc passes on may be it. */
	CHECK_EQ(_MAP_FILEOBJ & (_MAP_SHARED | _MAP_PRIVATE | _MAP_FIXED | _MAP_ANONYMOUS |
	    _MAP_POPULATE | _MAP_PHYS), 0);
	/* A file mapping's message starts with the plain _MEM_MAP. */
	CHECK_EQ(offsetof(struct _mem_map_file, mf_map), 0);
	CHECK(sizeof(struct _mem_map_file) > sizeof(struct _mem_map));
	CHECK_EQ(offsetof(struct _mem_map_file, mf_server), 64);
	CHECK_EQ(sizeof(struct _mem_map_file), 72);
	/* A grant is a _MEM_CTRL: the same type and subtype words. */
	CHECK_EQ(offsetof(struct _mem_file_grant, subtype), offsetof(struct _mem_ctrl, subtype));
	CHECK_EQ(sizeof(struct _mem_file_grant), 32);
	CHECK(_MEM_FILL_DATA_MAX % 4096 == 0);
}

UNIT_TEST(io_mmap_layout)
{
	CHECK_EQ(_IO_MMAP, 0x112);
	CHECK_EQ(sizeof(struct _io_mmap), 24);
	CHECK_EQ(offsetof(struct _io_mmap, prot), 4);
	CHECK_EQ(sizeof(struct _io_mmap_reply), 24);
	CHECK_EQ(offsetof(struct _io_mmap_reply, allowed_prot), 0);
	CHECK_EQ(offsetof(struct _io_mmap_reply, dev), 8);
	CHECK_EQ(offsetof(struct _io_mmap_reply, ino), 16);
}

UNIT_TEST(sysconf_names_are_linux)
{
	CHECK_EQ(_SYS_SC_ARG_MAX, _SC_ARG_MAX);
	CHECK_EQ(_SYS_SC_CHILD_MAX, _SC_CHILD_MAX);
	CHECK_EQ(_SYS_SC_CLK_TCK, _SC_CLK_TCK);
	CHECK_EQ(_SYS_SC_OPEN_MAX, _SC_OPEN_MAX);
	CHECK_EQ(_SYS_SC_PAGESIZE, _SC_PAGESIZE);
	CHECK_EQ(_SYS_SC_NPROCESSORS_CONF, _SC_NPROCESSORS_CONF);
	CHECK_EQ(_SYS_SC_NPROCESSORS_ONLN, _SC_NPROCESSORS_ONLN);
	CHECK_EQ(_SYS_SC_PHYS_PAGES, _SC_PHYS_PAGES);
	CHECK_EQ(_SYS_SC_AVPHYS_PAGES, _SC_AVPHYS_PAGES);
	CHECK_EQ(_RLIMIT_STACK, RLIMIT_STACK);
	CHECK_EQ(_RLIMIT_CORE, RLIMIT_CORE);
	CHECK_EQ(_RLIMIT_NPROC, RLIMIT_NPROC);
	CHECK_EQ(_RLIMIT_NOFILE, RLIMIT_NOFILE);
	CHECK_EQ(_RLIMIT_AS, RLIMIT_AS);
	CHECK_EQ(_RLIMIT_NLIMITS, RLIM_NLIMITS);
	CHECK_EQ(_RLIMIT_INFINITY, (uint64_t)RLIM_INFINITY);
}

UNIT_TEST(uname_is_utsname)
{
	struct utsname u;

	CHECK_EQ(sizeof(struct _sys_uname_reply), sizeof(u));
	CHECK_EQ(offsetof(struct _sys_uname_reply, un_machine), offsetof(struct utsname, machine));
	CHECK_EQ(_SYS_UTS_LEN, sizeof(u.sysname));
}

UNIT_TEST(dirent_is_linux_dirent64)
{
	/* glibc's struct dirent on LP64 Linux is linux_dirent64's layout. */
	CHECK_EQ(offsetof(struct _io_dirent, d_ino), offsetof(struct dirent, d_ino));
	CHECK_EQ(offsetof(struct _io_dirent, d_off), offsetof(struct dirent, d_off));
	CHECK_EQ(offsetof(struct _io_dirent, d_reclen), offsetof(struct dirent, d_reclen));
	CHECK_EQ(offsetof(struct _io_dirent, d_type), offsetof(struct dirent, d_type));
	CHECK_EQ(offsetof(struct _io_dirent, d_name), offsetof(struct dirent, d_name));
	CHECK_EQ(_IO_DIRENT_NAME_OFF, offsetof(struct dirent, d_name));
}

UNIT_TEST(flock_is_linux)
{
	/* glibc's struct flock on LP64 Linux is the generic layout musl's riscv64 one has. */
	CHECK_EQ(sizeof(struct _io_flock), sizeof(struct flock));
	CHECK_EQ(offsetof(struct _io_flock, l_type), offsetof(struct flock, l_type));
	CHECK_EQ(offsetof(struct _io_flock, l_whence), offsetof(struct flock, l_whence));
	CHECK_EQ(offsetof(struct _io_flock, l_start), offsetof(struct flock, l_start));
	CHECK_EQ(offsetof(struct _io_flock, l_len), offsetof(struct flock, l_len));
	CHECK_EQ(offsetof(struct _io_flock, l_pid), offsetof(struct flock, l_pid));
	CHECK_EQ(F_GETLK, 5);		/* _io_lock.subtype: musl's numbers */
	CHECK_EQ(F_SETLK, 6);
	CHECK_EQ(F_SETLKW, 7);
	CHECK_EQ(F_RDLCK, 0);
	CHECK_EQ(F_WRLCK, 1);
	CHECK_EQ(F_UNLCK, 2);
}

UNIT_TEST(types_are_disjoint)
{
	int sysmgr[] = { _PROC_SPAWN, _PROC_WAIT, _PROC_GETSETID, _PROC_SPAWN_DONE, _PROC_FORK,
	    _PROC_EXEC, _PROC_TIMES, _PROC_PIDINFO, _PROC_UMASK, _PROC_CWD, _PROC_RLIMIT,
	    _SYS_CONF, _SYS_UNAME, _SYS_SHUTDOWN, _MEM_MAP, _MEM_CTRL, _PATH_ATTACH, _PATH_DETACH };

	for (size_t i = 0; i < sizeof(sysmgr) / sizeof(sysmgr[0]); i++) {
		CHECK(sysmgr[i] >= _MSG_TYPE_SYSMGR_MIN && sysmgr[i] <= _MSG_TYPE_SYSMGR_MAX);
		for (size_t j = 0; j < i; j++)
			CHECK(sysmgr[i] != sysmgr[j]);
	}
	CHECK_EQ(_IO_CONNECT, _MSG_TYPE_IO_MIN);
	CHECK(_IO_POWER <= _MSG_TYPE_IO_MAX);
	CHECK_EQ(SYSMGR_COID, _NTO_SIDE_CHANNEL);
	/* A redirect status must not read as an error. */
	CHECK(_IO_CONNECT_RET_LINK > 0);
	/* Connect extra data starts 8-aligned after the path. */
	CHECK_EQ(_IO_CONNECT_EXTRA_OFF(1), 48);
	CHECK_EQ(_IO_CONNECT_EXTRA_OFF(8), 48);
	CHECK_EQ(_IO_CONNECT_EXTRA_OFF(9), 56);
}
