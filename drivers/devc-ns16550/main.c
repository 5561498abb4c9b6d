/*
 * drivers/devc-ns16550/main.c - the console driver (docs/console.md):
 * an NS16550 UART driven by interrupts, with a termios line discipline,
 * serving /dev/ser<unit>, /dev/console and /dev/tty.
 *
 *	devc-ns16550 [-u unit] [-C] [port[^shift][,irq]]
 *
 * As QNX's devc-ser8250: port is the physical address of the registers,
 * shift their spacing (reg << shift), irq the interrupt source.  The
 * defaults are QEMU virt's first UART: 0x10000000^0,10.  -u names
 * /dev/ser<unit> (1); -C leaves out /dev/console and /dev/tty (a second
 * port).  It needs the I/O ability (programs of the startup script have it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/neutrino.h>
#include "devc.h"

static int
parse_port(const char *s, uint64_t *base, unsigned *shift, int *irq)
{
	char *e;

	*base = strtoull(s, &e, 0);
	if (*e == '^')
		*shift = (unsigned)strtoul(e + 1, &e, 0);
	if (*e == ',')
		*irq = (int)strtol(e + 1, &e, 0);
	return *e == '\0' && *shift <= 3 && *irq > 0 ? 0 : -1;
}

/*
 * /dev/tty is the caller's controlling terminal: this one, if the
 * caller's session has it; ENXIO for a process with no controlling
 * terminal (or another one), as on Linux.
 */
static int
ctty_open(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *attr, void *extra)
{
	if (tty.t_sid <= 0 || getsid(ctp->info.pid) != tty.t_sid)
		return ENXIO;
	return iofunc_open_default(ctp, msg, attr, extra);
}

static int
attach(dispatch_t *dpp, const char *path, resmgr_connect_funcs_t *cf)
{
	if (resmgr_attach(dpp, NULL, path, _FTYPE_ANY, 0, cf, &tty_io, &tty.t_attr) < 0) {
		fprintf(stderr, "devc-ns16550: attach %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static resmgr_connect_funcs_t cf, ctty_cf;
	uint64_t base = 0x10000000;
	unsigned shift = 0;
	int unit = 1, console = 1, c;
	char name[32];
	dispatch_t *dpp;
	dispatch_context_t *ctp;

	tty.t_irq = 10;
	while ((c = getopt(argc, argv, "u:C")) != -1) {
		if (c == 'u')
			unit = atoi(optarg);
		else if (c == 'C')
			console = 0;
		else
			return 2;
	}
	if (optind < argc && parse_port(argv[optind], &base, &shift, &tty.t_irq) < 0) {
		fprintf(stderr, "devc-ns16550: bad port %s (port[^shift][,irq])\n", argv[optind]);
		return 2;
	}
	tty.t_shift = shift;
	if ((dpp = dispatch_create()) == NULL || (ctp = dispatch_context_alloc(dpp)) == NULL)
		return 1;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &tty_io);
	ctty_cf = cf;
	ctty_cf.open = ctty_open;
	tty_init(&tty, dispatch_chid(dpp));
	if (uart_init(&tty, base, dispatch_chid(dpp)) < 0) {
		fprintf(stderr, "devc-ns16550: UART at %#llx irq %d: %s\n",
		    (unsigned long long)base, tty.t_irq, strerror(errno));
		return 1;
	}
	iofunc_attr_init(&tty.t_attr, S_IFCHR | 0666, NULL, NULL);
	snprintf(name, sizeof(name), "/dev/ser%d", unit);
	if (attach(dpp, name, &cf) < 0 ||
	    (console && (attach(dpp, "/dev/console", &cf) < 0 || attach(dpp, "/dev/tty", &ctty_cf) < 0)))
		return 1;
	for (;;) {
		if (dispatch_block(ctp) == NULL)
			continue;
		if (ctp->rcvid == 0 && ctp->msg->pulse.code == CODE_INTR)
			uart_service(&tty);
		else if (ctp->rcvid == 0 && ctp->msg->pulse.code == CODE_VTIME)
			tty_vtime(&tty);
		else
			dispatch_handler(ctp);
	}
}
