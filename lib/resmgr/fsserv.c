/*
 * fsserv.c - the file-system server layer (sys/fsserv.h): the server a
 * process runs, its OCBs, the -d detach, the periodic tick and the
 * dispatch loop.  The message handlers are fsconnect.c's and fsio.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/neutrino.h>
#include "fsint.h"

#define CODE_TICK	(_PULSE_CODE_MINAVAIL + 1)	/* fs_tick's timer */

struct fs_server *fs_srv;
resmgr_io_funcs_t fs_io;
static resmgr_connect_funcs_t fs_connect;
static iofunc_attr_t fs_attr;	/* every OCB's attr, for the library's defaults */

int fs_res(int r)
{
	if (r > 0 && fs_srv->ops->failed)
		fs_srv->ops->failed(r);
	return r;
}

int fs_ocb_new(resmgr_context_t *ctp, void *node, unsigned ioflag)
{
	struct fs_ocb *ocb = calloc(1, sizeof(*ocb));
	int r;

	if (ocb == NULL) {
		fs_srv->ops->close(node);
		return ENOMEM;
	}
	fs_srv->nocbs++;
	ocb->o_ocb.attr = &fs_attr;
	ocb->o_ocb.ioflag = ioflag;
	ocb->o_node = node;
	if ((r = resmgr_open_bind(ctp, &ocb->o_ocb, &fs_io)) != EOK) {
		fs_srv->ops->close(node);
		free(ocb);
		fs_srv->nocbs--;
	}
	return r;
}

void fs_detach(const char *mount, unsigned secs)
{
	struct timespec ts = { 0, 20000000 };
	pid_t pid = fork();

	if (pid <= 0) {
		if (pid < 0)
			exit(4);
		return;
	}
	for (unsigned i = 0; i < secs * 50; i++) {
		struct stat st;
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid)
			exit(1);
		if (stat(mount, &st) == 0 && st.st_dev == (dev_t)pid)
			exit(0);
		nanosleep(&ts, NULL);
	}
	exit(1);
}

int fs_start(struct fs_server *srv)
{
	fs_srv = srv;
	srv->attach_id = -1;
	if ((srv->dpp = dispatch_create()) == NULL ||
	    (srv->ctp = dispatch_context_alloc(srv->dpp)) == NULL)
		return 2;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &fs_connect, _RESMGR_IO_NFUNCS, &fs_io);
	fs_connect_init(&fs_connect);
	fs_io_init(&fs_io);
	iofunc_attr_init(&fs_attr, srv->rootmode, NULL, NULL);
	if ((srv->attach_id = resmgr_attach(srv->dpp, NULL, srv->path, _FTYPE_ANY,
	    _RESMGR_FLAG_DIR | _RESMGR_FLAG_OPAQUE, &fs_connect, &fs_io, &fs_attr)) < 0)
		return 3;
	return 0;
}

int fs_tick(struct fs_server *srv, unsigned secs)
{
	struct __abi_sigevent ev = { 0 };
	struct _itimer it = { (uint64_t)secs * 1000000000ULL, (uint64_t)secs * 1000000000ULL };
	int coid, id;

	if (secs == 0)
		return 0;
	if ((coid = ConnectAttach(0, 0, dispatch_chid(srv->dpp), _NTO_SIDE_CHANNEL, 0)) < 0)
		return -1;
	ev.sigev_notify = __ABI_SIGEV_PULSE;
	ev.__sigev_un1.__sigev_coid = coid;
	ev.__sigev_un2.__st.__sigev_code = CODE_TICK;
	ev.__sigev_un2.__st.__sigev_priority = __ABI_SIGEV_PULSE_PRIO_INHERIT;
	if ((id = TimerCreate(CLOCK_MONOTONIC, &ev)) < 0)
		return -1;
	return TimerSettime(id, 0, &it, NULL) < 0 ? -1 : 0;
}

void fs_run(struct fs_server *srv)
{
	dispatch_context_t *ctp = srv->ctp;

	dispatch_replyrecv(ctp, 1);	/* each reply goes with the next receive */
	while (!srv->umounted) {
		if (dispatch_block(ctp) == NULL)
			continue;
		if (ctp->rcvid == 0 && ctp->msg->pulse.code == CODE_TICK && srv->ops->tick)
			srv->ops->tick();
		else
			dispatch_handler(ctp);
	}
	dispatch_replyrecv(ctp, 0);	/* the umount's reply, now */
}
