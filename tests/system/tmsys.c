/*
 * tests/system/tmsys.c - taskman's path manager, its /proc/boot resource
 * manager, anonymous mmap and the system services, through raw
 * sys/procmsg.h and sys/iomsg.h messages as libc will send them.  taskman
 * runs it from tmsys.script.
 */
#include <abi/neutrino.h>
#define SELF		"/proc/boot/tmsys"
#include "tmutil.h"

#define PAGE		4096UL
#define MOTD		"Welcome to QSOE, the QNX-Style Open Environment.\n"	/* boot/motd */

/* ---- the path manager ------------------------------------------------------------ */

UTEST(tms, attach_and_resolve_longest_prefix)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0), a, b;
	struct link_reply r;
	struct _proc_ids me;

	UT_CHECK(chid > 0);
	UT_EQ(ids_of(0, &me), 0);
	a = attach("/tmtest", chid, 10, _RESMGR_FLAG_DIR);
	b = attach("/tmtest/deep", chid, 11, _RESMGR_FLAG_DIR);
	UT_CHECK(a > 0 && b > 0 && a != b);
	UT_EQ(connect(sys_coid, 0, _IO_CONNECT_OPEN, "/tmtest/deep/file", 0, &r), _IO_CONNECT_RET_LINK);
	UT_EQ(r.lr.nentries, 3);		/* and last, taskman's image at "/" */
	UT_EQ(r.e[2].pid, SYSMGR_PID);
	UT_EQ(r.e[2].prefix_len, 1);
	UT_EQ(r.e[0].pid, me.pi_pid);
	UT_EQ(r.e[0].chid, chid);
	UT_EQ(r.e[0].handle, 11);
	UT_EQ(r.e[0].prefix_len, 12);
	UT_EQ(r.e[1].handle, 10);
	UT_EQ(r.e[1].prefix_len, 7);
	UT_EQ(connect(sys_coid, 0, _IO_CONNECT_OPEN, "/tmtest/deeper", 0, &r), _IO_CONNECT_RET_LINK);
	UT_EQ(r.lr.nentries, 2);
	UT_CHECK(!attached("/nothing/here", &r));
	UT_EQ(r.lr.nentries, 1);
	UT_EQ(connect(sys_coid, 0, _IO_CONNECT_OPEN, "relative", 0, &r), -EINVAL);
	UT_EQ(attach("/tmtest", chid, 10, _RESMGR_FLAG_DIR), -EEXIST);
	UT_EQ(attach("/tmtest/", chid, 12, 0), -EINVAL);
	UT_EQ(attach("/tmtest/x", chid, 0, 0), -EINVAL);	/* handle 0 is the path manager's */
	UT_EQ(detach(b), 0);
	UT_EQ(detach(b), -ENOENT);
	UT_EQ(connect(sys_coid, 0, _IO_CONNECT_OPEN, "/tmtest/deep/file", 0, &r), _IO_CONNECT_RET_LINK);
	UT_EQ(r.lr.nentries, 2);
	UT_EQ(detach(a), 0);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	return 0;
}

/* ---- /proc/boot through taskman's own resource manager --------------------------- */

UTEST(tms, read_proc_boot)
{
	struct link_reply r;
	struct _io_read rd = { .type = _IO_READ, .nbytes = 5 };
	struct _io_stat st = { .type = _IO_STAT };
	struct _io_lseek sk = { .type = _IO_LSEEK, .whence = 0, .offset = 1 };
	struct _io_close cl = { .type = _IO_CLOSE };
	struct _io_stat_buf sb;
	char buf[16];
	uint32_t h;
	long co;

	UT_EQ(connect(sys_coid, 0, _IO_CONNECT_OPEN, "/proc/boot/motd", 0, &r), _IO_CONNECT_RET_LINK);
	UT_EQ(r.lr.nentries, 1);
	UT_EQ(r.e[0].pid, SYSMGR_PID);
	UT_EQ(r.e[0].prefix_len, 1);		/* taskman serves the image at "/" */
	h = r.e[0].handle;
	co = KC(ConnectAttach, 0, r.e[0].pid, r.e[0].chid, 0, 0, 0);
	UT_CHECK(co >= 0);
	UT_EQ(connect(co, h, _IO_CONNECT_OPEN, "proc/boot/no-such-file", 0, &r), -ENOENT);
	UT_EQ(connect(co, h, _IO_CONNECT_OPEN, "proc/boot/motd", 1 /* O_WRONLY */, &r), -EROFS);
	UT_EQ(connect(co, h, _IO_CONNECT_UNLINK, "proc/boot/motd", 0, &r), -EROFS);
	UT_EQ(connect(co, h, _IO_CONNECT_OPEN, "proc/boot/motd", 0, &r), 0);
	UT_EQ(connect(co, h, _IO_CONNECT_OPEN, "proc/boot/motd", 0, &r), -EBUSY);	/* one file per connection */
	UT_EQ(KC(MsgSend, co, (long)&rd, sizeof(rd), (long)buf, sizeof(buf), 0), 5);
	UT_CHECK(memcmp(buf, MOTD, 5) == 0);
	UT_EQ(KC(MsgSend, co, (long)&st, sizeof(st), (long)&sb, sizeof(sb), 0), 0);
	UT_EQ(sb.sb_size, sizeof(MOTD) - 1);
	UT_EQ(sb.sb_mode & 0170000, 0100000);
	UT_EQ(KC(MsgSend, co, (long)&sk, sizeof(sk), (long)buf, 8, 0), 0);
	UT_EQ(KC(MsgSend, co, (long)&rd, sizeof(rd), (long)buf, sizeof(buf), 0), 5);
	UT_CHECK(memcmp(buf, MOTD + 1, 5) == 0);
	sk.offset = 1000;
	UT_EQ(KC(MsgSend, co, (long)&sk, sizeof(sk), (long)buf, 8, 0), 0);
	UT_EQ(KC(MsgSend, co, (long)&rd, sizeof(rd), (long)buf, sizeof(buf), 0), 0);	/* EOF */
	sk.offset = -1;
	UT_EQ(KC(MsgSend, co, (long)&sk, sizeof(sk), (long)buf, 8, 0), -EINVAL);
	UT_EQ(KC(MsgSend, co, (long)&cl, sizeof(cl), 0, 0, 0), 0);
	UT_EQ(KC(MsgSend, co, (long)&rd, sizeof(rd), (long)buf, sizeof(buf), 0), -EBADF);
	/* readlink, and the reserved fields and combine flag that are refused. */
	UT_EQ(connect(co, h, _IO_CONNECT_READLINK, "proc/boot/tmtest.link", 0, &r), 17);
	UT_CHECK(memcmp(&r, "/proc/boot/tmtest", 17) == 0);
	UT_EQ(connect(co, h, _IO_CONNECT_READLINK, "proc/boot/motd", 0, &r), -EINVAL);
	UT_EQ(connect(co, h, _IO_CONNECT_READLINK, "proc/boot/nothing", 0, &r), -ENOENT);
	/* Opening the link redirects to its target (a link reply with a new path). */
	UT_EQ(connect(co, h, _IO_CONNECT_OPEN, "proc/boot/tmtest.link", 0, &r), _IO_CONNECT_RET_LINK);
	UT_EQ(r.lr.nentries, 0);
	UT_EQ(r.lr.path_len, 18);
	UT_CHECK(strcmp((const char *)(&r.lr + 1), "/proc/boot/tmtest") == 0);
	UT_EQ(connect(co, h, _IO_CONNECT_OPEN, "proc/boot/tmtest.link", 0400000 /* O_NOFOLLOW */, &r), -ELOOP);
	UT_EQ(connect(co, h, _IO_CONNECT_OPEN, "proc/boot", 0, &r), 0);
	rd.combine_len = _IO_COMBINE_FLAG;
	UT_EQ(KC(MsgSend, co, (long)&rd, sizeof(rd), (long)buf, sizeof(buf), 0), -ENOSYS);
	UT_EQ(KC(MsgSend, co, (long)&cl, sizeof(cl), 0, 0, 0), 0);
	/* The directory lists this program. */
	UT_EQ(connect(co, h, _IO_CONNECT_OPEN, "proc/boot", 0, &r), 0);
	static uint64_t dbuf[1024];
	struct _io_read rdd = { .type = _IO_READ, .nbytes = sizeof(dbuf) };
	long n;
	int found = 0, reads = 0;

	/* As many reads as the listing takes (4 KiB of entries each), then 0: the end. */
	while ((n = KC(MsgSend, co, (long)&rdd, sizeof(rdd), (long)dbuf, sizeof(dbuf), 0)) > 0) {
		for (long off = 0; off < n;) {
			const struct _io_dirent *d = (const void *)((const char *)dbuf + off);

			UT_CHECK(d->d_reclen >= 24 && (d->d_reclen & 7) == 0);
			found |= strcmp(d->d_name, "tmtest") == 0;
			off += d->d_reclen;
		}
		UT_CHECK(++reads < 64);
	}
	UT_EQ(n, 0);
	UT_CHECK(reads > 0 && found);
	UT_EQ(KC(MsgSend, co, (long)&cl, sizeof(cl), 0, 0, 0), 0);
	/* "/" lists the image's proc and the dev that devnull's /dev/null adds. */
	UT_EQ(connect(co, h, _IO_CONNECT_OPEN, "", 0, &r), 0);
	n = KC(MsgSend, co, (long)&rdd, sizeof(rdd), (long)dbuf, sizeof(dbuf), 0);
	found = 0;
	UT_CHECK(n > 0);
	for (long off = 0; off < n;) {
		const struct _io_dirent *d = (const void *)((const char *)dbuf + off);

		found |= strcmp(d->d_name, "proc") == 0;
		off += d->d_reclen;
	}
	UT_CHECK(found);
	UT_EQ(KC(ConnectDetach, co, 0, 0, 0, 0, 0), 0);
	return 0;
}

/* ---- memory --------------------------------------------------------------------- */

static long
mmap_(uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags, int fd, uint64_t *out)
{
	struct _mem_map m = { .type = _MEM_MAP, .mm_addr = addr, .mm_len = len, .mm_prot = prot,
	    .mm_flags = flags, .mm_fd = fd };
	struct _mem_map_reply r = { 0 };
	long rc = sysmgr(&m, sizeof(m), &r, sizeof(r));

	*out = r.mr_addr;
	return rc;
}

static long
memctrl(int subtype, uint64_t addr, uint64_t len, uint32_t prot)
{
	struct _mem_ctrl c = { .type = _MEM_CTRL, .subtype = (uint16_t)subtype, .mc_addr = addr,
	    .mc_len = len, .mc_prot = prot };

	return sysmgr(&c, sizeof(c), NULL, 0);
}

UTEST(tms, mmap_anonymous)
{
	const uint32_t rw = _PROT_READ | _PROT_WRITE, anon = _MAP_PRIVATE | _MAP_ANONYMOUS;
	uint64_t a, b;
	volatile uint8_t *p;

	UT_EQ(mmap_(0, 3 * PAGE, rw, anon, -1, &a), 0);
	UT_CHECK(a != 0 && (a & (PAGE - 1)) == 0);
	p = (volatile uint8_t *)a;
	UT_EQ(p[0] | p[3 * PAGE - 1], 0);		/* zeroed */
	p[0] = 1;
	p[3 * PAGE - 1] = 2;
	UT_EQ(p[0] + p[3 * PAGE - 1], 3);
	UT_EQ(memctrl(_MEM_CTRL_UNMAP, a + PAGE, PAGE, 0), 0);
	UT_EQ(mmap_(a + PAGE, PAGE, rw, anon | _MAP_FIXED, -1, &b), 0);	/* the hole */
	UT_EQ(b, a + PAGE);
	UT_EQ(p[PAGE], 0);
	UT_EQ(p[0], 1);					/* the neighbours kept their data */
	UT_EQ(memctrl(_MEM_CTRL_PROTECT, a, 3 * PAGE, rw), 0);
	UT_EQ(memctrl(_MEM_CTRL_PROTECT, a + PAGE, PAGE, _PROT_READ), 0);	/* MemProtect */
	UT_EQ(memctrl(_MEM_CTRL_PROTECT, a, 3 * PAGE, _PROT_NONE), -ENOTSUP);	/* would lose data */
	UT_EQ(memctrl(_MEM_CTRL_PROTECT, a, 3 * PAGE, rw), 0);
	p[PAGE] = 5;
	UT_EQ(p[PAGE] + p[0], 6);
	UT_EQ(memctrl(_MEM_CTRL_UNMAP, a, 3 * PAGE, 0), 0);
	UT_EQ(memctrl(_MEM_CTRL_PROTECT, a, PAGE, rw), -ENOMEM);	/* gone */
	UT_EQ(memctrl(_MEM_CTRL_UNMAP, a, 3 * PAGE, 0), 0);		/* POSIX: not an error */
	/* Bad arguments. */
	UT_EQ(mmap_(0, 0, rw, anon, -1, &b), -EINVAL);
	UT_EQ(mmap_(0, PAGE, rw, _MAP_ANONYMOUS, -1, &b), -EINVAL);	/* neither private nor shared */
	UT_EQ(mmap_(0, PAGE, rw, _MAP_PRIVATE, 3, &b), -EBADF);	/* no such fd (files: libc's) */
	UT_EQ(mmap_(0, PAGE, rw, _MAP_SHARED, -1, &b), -EBADF);
	/* A PROT_NONE reservation opens with fresh zeroed memory. */
	UT_EQ(mmap_(0, 2 * PAGE, _PROT_NONE, anon, -1, &a), 0);
	UT_EQ(memctrl(_MEM_CTRL_PROTECT, a + PAGE, PAGE, rw), 0);
	p = (volatile uint8_t *)a;
	UT_EQ(p[PAGE], 0);
	p[PAGE + 1] = 3;
	UT_EQ(memctrl(_MEM_CTRL_UNMAP, a, 2 * PAGE, 0), 0);
	UT_EQ(mmap_(0, PAGE, rw, anon, 3, &b), -EINVAL);
	UT_EQ(mmap_(a + 1, PAGE, rw, anon | _MAP_FIXED, -1, &b), -EINVAL);
	UT_EQ(mmap_(0, PAGE, 0x10, anon, -1, &b), -EINVAL);
	UT_EQ(mmap_(0, 1UL << 40, rw, anon, -1, &b), -ENOMEM);
	UT_EQ(memctrl(_MEM_CTRL_UNMAP, a + 1, PAGE, 0), -EINVAL);
	UT_EQ(memctrl(_MEM_CTRL_UNMAP, a, 0, 0), -EINVAL);
	UT_EQ(memctrl(9, a, PAGE, 0), -EINVAL);
	return 0;
}

UTEST(tms, sysconf_and_uname)
{
	struct _sys_conf c = { .type = _SYS_CONF, .sc_name = _SYS_SC_PAGESIZE };
	struct _sys_conf_reply cr;
	struct _msg_hdr u = { _SYS_UNAME, 0 };
	struct _sys_uname_reply ur;
	struct _sys_shutdown s = { .type = _SYS_SHUTDOWN, .subtype = _SYS_SHUTDOWN_REBOOT };

	UT_EQ(sysmgr(&c, sizeof(c), &cr, sizeof(cr)), 0);
	UT_EQ(cr.cr_value, 4096);
	c.sc_name = 12345;
	UT_EQ(sysmgr(&c, sizeof(c), &cr, sizeof(cr)), -EINVAL);
	UT_EQ(sysmgr(&u, sizeof(u), &ur, sizeof(ur)), 0);
	UT_EQ(strcmp(ur.un_sysname, "QSOE"), 0);
	UT_EQ(strcmp(ur.un_machine, "riscv64"), 0);
	s.sd_status = -1;
	UT_EQ(sysmgr(&s, sizeof(s), NULL, 0), -EINVAL);		/* reboot, a bad status */
	s.subtype = 3;
	s.sd_status = 0;
	UT_EQ(sysmgr(&s, sizeof(s), NULL, 0), -EINVAL);		/* no such subtype */
	s.subtype = _SYS_SHUTDOWN_POWEROFF;
	s.sd_status = 300;
	UT_EQ(sysmgr(&s, sizeof(s), NULL, 0), -EINVAL);
	return 0;
}

int
umain(uint64_t arg)
{
	init_sp = (uint64_t *)(uintptr_t)arg;
	if (sysmgr_attach() < 0) {
		rt_printf("tmsys: cannot reach taskman (%ld)\n", sys_coid);
		return 2;
	}
	return utest_run_all() ? 1 : 0;
}
