/*
 * libcpool - libresmgr's thread pool (docs/resmgr.md, "Thread pools"):
 * a small resource manager, forked from the test, serves /tpN from a
 * pool whose read handler holds each client (the thread waits until the
 * test opens the gate), so the pool must grow; /tpN.ctl, served by one
 * thread of its own, gives the server's counts and takes commands.
 * Checked: growth to maximum and never beyond, the shrink towards
 * hi_water, every request answered once, a client killed while held,
 * POOL_FLAG_USE_SELF / _EXIT_SELF / none and thread_pool_destroy,
 * thread_pool_limits, many clients on the library's tables at once, and
 * the bad attributes (EINVAL).  Runs under taskman; links libresmgr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/iofunc.h>
#include <sys/dispatch.h>
#include "ltest.h"

/* ---- the server (a forked child) ----------------------------------------- */

struct pstats {
	unsigned	alive;		/* threads with a context now */
	unsigned	peak;		/* most alive at once */
	unsigned	held;		/* reads waiting in a handler */
	unsigned	received;	/* reads that reached the handler */
	unsigned	replied;	/* reads answered */
	unsigned	gone;		/* held reads whose client died */
	unsigned	opens;		/* OCBs open on /tpN */
	int		destroyed;	/* thread_pool_destroy's result, +1 (0: not yet) */
};

static struct {
	pthread_mutex_t	m;
	pthread_cond_t	cv;
	struct pstats	st;
	int		gate;		/* 1: reads are answered at once */
	uint64_t	token;
	thread_pool_t	*tp;
} srv = { .m = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static iofunc_attr_t hold_attr, ctl_attr;

static dispatch_context_t *ctx_alloc(dispatch_t *dpp)
{
	dispatch_context_t *ctp = dispatch_context_alloc(dpp);

	pthread_mutex_lock(&srv.m);
	if (ctp && ++srv.st.alive > srv.st.peak)
		srv.st.peak = srv.st.alive;
	pthread_mutex_unlock(&srv.m);
	return ctp;
}

static void ctx_free(dispatch_context_t *ctp)
{
	pthread_mutex_lock(&srv.m);
	srv.st.alive--;
	pthread_mutex_unlock(&srv.m);
	dispatch_context_free(ctp);
}

/*
 * A read of /tpN: wait (the attribute unlocked, so other threads serve
 * other clients) until the gate opens, the client is gone or wants to
 * be unblocked; answer with a fresh token.
 */
static int hold_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	struct _msg_info mi;
	struct timespec ts;
	uint64_t tok;
	int r = iofunc_read_verify(ctp, msg, ocb, NULL);

	if (r != EOK)
		return r;
	iofunc_attr_unlock(ocb->attr);
	pthread_mutex_lock(&srv.m);
	srv.st.received++;
	srv.st.held++;
	while (!srv.gate) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20000000;
		if (ts.tv_nsec >= 1000000000)
			ts.tv_sec++, ts.tv_nsec -= 1000000000;
		pthread_cond_timedwait(&srv.cv, &srv.m, &ts);
		if (MsgInfo(ctp->rcvid, &mi) < 0) {
			r = _RESMGR_NOREPLY;	/* the client died */
			srv.st.gone++;
			break;
		}
		if (mi.flags & _NTO_MI_UNBLOCK_REQ) {
			r = EINTR;
			break;
		}
	}
	srv.st.held--;
	tok = ++srv.token;
	if (r == EOK)
		srv.st.replied++;
	pthread_mutex_unlock(&srv.m);
	iofunc_attr_lock(ocb->attr);
	if (r != EOK)
		return r;
	memcpy(ctp->msg, &tok, sizeof(tok));
	SETIOV(&ctp->iov[0], ctp->msg, sizeof(tok));
	_RESMGR_STATUS(ctp, (long)sizeof(tok));
	return _RESMGR_NPARTS(1);
}

/* The read handler answers its own unblocks (it polls MsgInfo). */
static int hold_unblock(resmgr_context_t *ctp, io_pulse_t *msg, iofunc_ocb_t *ocb)
{
	(void)ctp, (void)msg, (void)ocb;
	return _RESMGR_NOREPLY;
}

/* A read of /tpN.ctl: the counts. */
static int ctl_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	struct pstats *st = (struct pstats *)ctp->msg;

	(void)msg, (void)ocb;
	pthread_mutex_lock(&srv.m);
	*st = srv.st;
	pthread_mutex_unlock(&srv.m);
	iofunc_attr_lock(&hold_attr);
	st->opens = hold_attr.count;
	iofunc_attr_unlock(&hold_attr);
	SETIOV(&ctp->iov[0], st, sizeof(*st));
	_RESMGR_STATUS(ctp, (long)sizeof(*st));
	return _RESMGR_NPARTS(1);
}

/* A write to /tpN.ctl: "open", "close", "destroy", "limits LO HI MAX INC". */
static int ctl_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	char cmd[64] = "";
	size_t n = msg->i.nbytes < sizeof(cmd) - 1 ? msg->i.nbytes : sizeof(cmd) - 1;
	int lo, hi, max, inc, r = 0;

	(void)ocb;
	if (resmgr_msgread(ctp, cmd, n, sizeof(msg->i)) < 0)
		return EFAULT;
	cmd[n] = '\0';
	if (strcmp(cmd, "open") == 0 || strcmp(cmd, "close") == 0) {
		pthread_mutex_lock(&srv.m);
		srv.gate = cmd[0] == 'o';
		pthread_cond_broadcast(&srv.cv);
		pthread_mutex_unlock(&srv.m);
	} else if (strcmp(cmd, "destroy") == 0) {
		r = thread_pool_destroy(srv.tp);
		srv.st.destroyed = r == 0 ? 1 : -errno;
	} else if (sscanf(cmd, "limits %d %d %d %d", &lo, &hi, &max, &inc) == 4) {
		if (thread_pool_limits(srv.tp, lo, hi, max, inc, THREAD_POOL_CONTROL_NONBLOCK) != 0)
			return errno;
	} else {
		return EINVAL;
	}
	_RESMGR_STATUS(ctp, (long)msg->i.nbytes);
	return _RESMGR_NPARTS(0);
}

static dispatch_t *ctl_dpp;

static void *ctl_loop(void *arg)
{
	dispatch_context_t *ctp = dispatch_context_alloc(ctl_dpp);

	(void)arg;
	for (;;)
		if (ctp && dispatch_block(ctp) != NULL)
			dispatch_handler(ctp);
	return NULL;
}

static thread_pool_attr_t pool_attr;

static void *exit_self_starter(void *arg)
{
	(void)arg;
	thread_pool_start(srv.tp);	/* the thread exits here */
	_exit(40);
}

/* The server: never returns.  flags: thread_pool_create's. */
static void server(const char *path, unsigned flags, unsigned lo, unsigned hi,
    unsigned inc, unsigned max)
{
	static resmgr_connect_funcs_t hc, cc;
	static resmgr_io_funcs_t hio, cio;
	char ctl[64];
	dispatch_t *dpp = dispatch_create();
	pthread_t t;

	ctl_dpp = dispatch_create();
	if (dpp == NULL || ctl_dpp == NULL)
		_exit(30);
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &hc, _RESMGR_IO_NFUNCS, &hio);
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cc, _RESMGR_IO_NFUNCS, &cio);
	hio.read = hold_read;
	hio.unblock = hold_unblock;
	cio.read = ctl_read;
	cio.write = ctl_write;
	iofunc_attr_init(&hold_attr, S_IFCHR | 0666, NULL, NULL);
	iofunc_attr_init(&ctl_attr, S_IFCHR | 0666, NULL, NULL);
	snprintf(ctl, sizeof(ctl), "%s.ctl", path);
	if (resmgr_attach(dpp, NULL, path, _FTYPE_ANY, 0, &hc, &hio, &hold_attr) < 0 ||
	    resmgr_attach(ctl_dpp, NULL, ctl, _FTYPE_ANY, 0, &cc, &cio, &ctl_attr) < 0)
		_exit(31);
	pool_attr = (thread_pool_attr_t){ .handle = dpp, .block_func = dispatch_block,
	    .handler_func = dispatch_handler, .context_alloc = ctx_alloc,
	    .context_free = ctx_free, .lo_water = (unsigned short)lo,
	    .hi_water = (unsigned short)hi, .increment = (unsigned short)inc,
	    .maximum = (unsigned short)max };
	if ((srv.tp = thread_pool_create(&pool_attr, flags)) == NULL)
		_exit(32);
	if (flags & POOL_FLAG_USE_SELF) {
		if (pthread_create(&t, NULL, ctl_loop, NULL) != 0)
			_exit(33);
		thread_pool_start(srv.tp);
		for (;;)		/* destroyed: the ctl thread goes on */
			pause();
	}
	if (flags & POOL_FLAG_EXIT_SELF) {
		if (pthread_create(&t, NULL, exit_self_starter, NULL) != 0)
			_exit(34);
	} else if (thread_pool_start(srv.tp) != 0) {
		_exit(35);
	}
	ctl_loop(NULL);
	_exit(36);
}

/* ---- the client side -------------------------------------------------- */

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Fork a server at path and wait until it serves; its pid, or -1. */
static pid_t start_server(const char *path, unsigned flags, unsigned lo, unsigned hi,
    unsigned inc, unsigned max)
{
	char ctl[64];
	struct stat st;
	pid_t pid = fork();

	if (pid == 0)
		server(path, flags, lo, hi, inc, max);
	snprintf(ctl, sizeof(ctl), "%s.ctl", path);
	for (int i = 0; pid > 0 && i < 500; i++, msleep(10))
		if (stat(ctl, &st) == 0 && stat(path, &st) == 0)
			return pid;
	return -1;
}

static void stop_server(pid_t pid)
{
	int st;

	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
}

static int stats(const char *path, struct pstats *ps)
{
	char ctl[64];
	int fd, n;
	snprintf(ctl, sizeof(ctl), "%s.ctl", path);
	if ((fd = open(ctl, O_RDONLY)) < 0)
		return -1;
	n = (int)read(fd, ps, sizeof(*ps));
	close(fd);
	return n == (int)sizeof(*ps) ? 0 : -1;
}

static int command(const char *path, const char *cmd)
{
	char ctl[64];
	int fd, n;

	snprintf(ctl, sizeof(ctl), "%s.ctl", path);
	if ((fd = open(ctl, O_WRONLY)) < 0)
		return -1;
	n = (int)write(fd, cmd, strlen(cmd));
	close(fd);
	return n == (int)strlen(cmd) ? 0 : -1;
}

/* Poll the counts until field op value holds (up to ms); 0 if it did. */
#define WAIT_FOR(path, ps, cond, ms) ({					\
	int __ok = 0;							\
	for (int __i = 0; __i < (ms) / 10 && !__ok; __i++) {		\
		if (stats(path, &(ps)) == 0 && (cond))			\
			__ok = 1;					\
		else							\
			msleep(10);					\
	}								\
	__ok ? 0 : -1; })

/* One read of path: its token, or 0. */
static uint64_t read_token(const char *path)
{
	uint64_t tok = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	if (read(fd, &tok, sizeof(tok)) != (ssize_t)sizeof(tok))
		tok = 0;
	close(fd);
	return tok;
}

#define NTHREADS	12
#define NPROCS		4

static const char *reader_path;
static uint64_t thread_tok[NTHREADS];

static void *reader(void *arg)
{
	thread_tok[(long)arg] = read_token(reader_path);
	return NULL;
}

/* Bad attributes and calls: EINVAL (and EDEADLK), no pool made. */
LTEST(pool, bad_attrs)
{
	dispatch_t *dpp = dispatch_create();
	thread_pool_attr_t a = { .handle = dpp, .block_func = dispatch_block,
	    .handler_func = dispatch_handler, .context_alloc = dispatch_context_alloc,
	    .context_free = dispatch_context_free, .lo_water = 1, .hi_water = 2,
	    .increment = 1, .maximum = 4 }, b;
	thread_pool_t *tp;

	LT_CHECK(dpp != NULL);
	errno = 0;
	LT_CHECK(thread_pool_create(NULL, 0) == NULL);
	LT_EQ(errno, EINVAL);
	b = a, b.handle = NULL, errno = 0;
	LT_CHECK(thread_pool_create(&b, 0) == NULL);
	LT_EQ(errno, EINVAL);
	b = a, b.lo_water = 3, errno = 0;		/* lo_water > hi_water */
	LT_CHECK(thread_pool_create(&b, 0) == NULL);
	LT_EQ(errno, EINVAL);
	b = a, b.maximum = 0, errno = 0;
	LT_CHECK(thread_pool_create(&b, 0) == NULL);
	LT_EQ(errno, EINVAL);
	b = a, b.increment = 0, errno = 0;
	LT_CHECK(thread_pool_create(&b, 0) == NULL);
	LT_EQ(errno, EINVAL);
	b = a, b.block_func = NULL, errno = 0;
	LT_CHECK(thread_pool_create(&b, 0) == NULL);
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_CHECK(thread_pool_create(&a, POOL_FLAG_EXIT_SELF | POOL_FLAG_USE_SELF) == NULL);
	LT_EQ(errno, EINVAL);
	LT_EQ(thread_pool_start(NULL), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(thread_pool_destroy(NULL), -1);
	LT_EQ(errno, EINVAL);
	LT_CHECK((tp = thread_pool_create(&a, 0)) != NULL);
	b = a, b.lo_water = 5;
	LT_EQ(thread_pool_control(tp, &b, 0, 0, THREAD_POOL_CONTROL_LOWATER |
	    THREAD_POOL_CONTROL_NONBLOCK), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(thread_pool_limits(tp, -1, -1, 0, -1, THREAD_POOL_CONTROL_NONBLOCK), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(thread_pool_destroy(tp), 0);		/* never started */
	LT_EQ(dispatch_destroy(dpp), 0);
	return 0;
}

/*
 * 12 threads and 4 processes read at once (16 > maximum 8): the pool
 * grows to 8 and no further, the other reads wait in the kernel; once
 * the gate opens every read is answered once (16 distinct tokens) and
 * the pool shrinks back to at most hi_water.
 */
LTEST(pool, grow_shrink)
{
	const char *path = "/tp1";
	pid_t srvpid = start_server(path, POOL_FLAG_USE_SELF, 2, 4, 2, 8), kids[NPROCS];
	pthread_t th[NTHREADS];
	struct pstats ps;
	int fds[2], st, r = -1;
	uint64_t toks[NTHREADS + NPROCS];

	LT_CHECK(srvpid > 0);
	/* lo_water to start; start_server's stat may have made a few more */
	LT_EQ(WAIT_FOR(path, ps, ps.alive >= 2 && ps.alive <= 4, 2000), 0);
	LT_EQ(pipe(fds), 0);
	/*
	 * The processes first: a fork re-creates the parent's fds with
	 * _IO_DUP, which a server whose every thread is held cannot answer.
	 */
	for (int i = 0; i < NPROCS; i++) {
		if ((kids[i] = fork()) == 0) {
			uint64_t tok = read_token(path);

			_exit(write(fds[1], &tok, sizeof(tok)) == sizeof(tok) ? 0 : 1);
		}
		LT_CHECK(kids[i] > 0);
	}
	close(fds[1]);
	reader_path = path;
	for (long i = 0; i < NTHREADS; i++)
		LT_EQ(pthread_create(&th[i], NULL, reader, (void *)i), 0);
	if (WAIT_FOR(path, ps, ps.held == 8, 5000) != 0)
		goto out;
	msleep(300);					/* still 8: no more threads */
	LT_EQ(stats(path, &ps), 0);
	LT_EQ(ps.held, 8);
	LT_EQ(ps.alive, 8);
	LT_EQ(ps.peak, 8);
	LT_EQ(command(path, "open"), 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < NPROCS; i++) {
		LT_EQ(read(fds[0], &toks[NTHREADS + i], sizeof(toks[0])), sizeof(toks[0]));
		LT_EQ(waitpid(kids[i], &st, 0), kids[i]);
		LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	close(fds[0]);
	memcpy(toks, thread_tok, sizeof(thread_tok));
	for (int i = 0; i < NTHREADS + NPROCS; i++) {
		LT_CHECK(toks[i] != 0);
		for (int j = 0; j < i; j++)
			LT_CHECK(toks[i] != toks[j]);
	}
	LT_EQ(WAIT_FOR(path, ps, ps.alive <= 4 && ps.opens == 0, 3000), 0);
	LT_CHECK(ps.alive >= 2);
	LT_EQ(ps.peak, 8);
	LT_EQ(ps.received, NTHREADS + NPROCS);
	LT_EQ(ps.replied, NTHREADS + NPROCS);
	LT_EQ(ps.held, 0);
	r = 0;
out:
	if (r != 0)
		snprintf(lt_reason, sizeof(lt_reason), "held %u alive %u peak %u received %u",
		    ps.held, ps.alive, ps.peak, ps.received);
	stop_server(srvpid);
	return r;
}

/* A client killed while its read is held: the server lets it go, its OCB is closed. */
LTEST(pool, client_killed)
{
	const char *path = "/tp2";
	pid_t srvpid = start_server(path, 0, 1, 2, 1, 4), kid;
	struct pstats ps;
	int st;

	LT_CHECK(srvpid > 0);
	if ((kid = fork()) == 0)
		_exit(read_token(path) ? 0 : 1);
	LT_CHECK(kid > 0);
	LT_EQ(WAIT_FOR(path, ps, ps.held == 1 && ps.opens == 1, 3000), 0);
	LT_EQ(kill(kid, SIGKILL), 0);
	LT_EQ(waitpid(kid, &st, 0), kid);
	LT_CHECK(WIFSIGNALED(st));
	LT_EQ(WAIT_FOR(path, ps, ps.held == 0 && ps.opens == 0, 3000), 0);
	LT_EQ(ps.gone, 1);
	LT_EQ(ps.replied, 0);
	LT_EQ(command(path, "open"), 0);
	LT_CHECK(read_token(path) != 0);		/* the pool still serves */
	LT_EQ(stats(path, &ps), 0);
	LT_EQ(ps.replied, 1);
	stop_server(srvpid);
	return 0;
}

/*
 * POOL_FLAG_EXIT_SELF (the starting thread goes), thread_pool_limits
 * (a new maximum is kept), then thread_pool_destroy: every thread
 * gone, their contexts freed.
 */
LTEST(pool, exit_self_limits_destroy)
{
	const char *path = "/tp3";
	pid_t srvpid = start_server(path, POOL_FLAG_EXIT_SELF, 1, 1, 1, 2);
	pthread_t th[NTHREADS];
	struct pstats ps;

	LT_CHECK(srvpid > 0);
	LT_EQ(WAIT_FOR(path, ps, ps.alive == 1, 2000), 0);
	LT_EQ(command(path, "limits 1 2 3 1"), 0);
	reader_path = path;
	memset(thread_tok, 0, sizeof(thread_tok));
	for (long i = 0; i < 6; i++)
		LT_EQ(pthread_create(&th[i], NULL, reader, (void *)i), 0);
	LT_EQ(WAIT_FOR(path, ps, ps.held == 3, 3000), 0);
	msleep(200);
	LT_EQ(stats(path, &ps), 0);
	LT_EQ(ps.peak, 3);
	LT_EQ(command(path, "bogus"), -1);			/* unknown: EINVAL */
	LT_EQ(command(path, "limits 3 2 -1 -1"), -1);		/* lo_water > hi_water */
	LT_EQ(command(path, "open"), 0);
	for (int i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		LT_CHECK(thread_tok[i] != 0);
	}
	LT_EQ(WAIT_FOR(path, ps, ps.alive <= 2, 3000), 0);
	LT_EQ(command(path, "destroy"), 0);
	LT_EQ(stats(path, &ps), 0);
	LT_EQ(ps.destroyed, 1);
	LT_EQ(ps.alive, 0);
	LT_EQ(ps.replied, 6);
	stop_server(srvpid);
	return 0;
}

#define NSTRESS		8
#define STRESS_ITER	150

static void *stresser(void *arg)
{
	struct stat st;
	uint64_t tok;
	long bad = 0;

	(void)arg;
	for (int i = 0; i < STRESS_ITER; i++) {
		int fd = open(reader_path, O_RDONLY), fd2;

		if (fd < 0) {
			bad++;
			continue;
		}
		fd2 = dup(fd);
		bad += fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode);
		bad += lseek(fd2, 0, SEEK_SET) != 0;
		bad += read(fd2, &tok, sizeof(tok)) != (ssize_t)sizeof(tok);
		bad += close(fd) != 0;
		bad += close(fd2) != 0;
	}
	return (void *)bad;
}

/*
 * Eight threads open, dup, fstat, lseek, read and close at once against
 * a pool of up to six: the library's tables and the attribute's counts
 * come out right (no OCB left, every read answered).
 */
LTEST(pool, concurrent_clients)
{
	const char *path = "/tp4";
	pid_t srvpid = start_server(path, 0, 2, 3, 1, 6);
	pthread_t th[NSTRESS];
	struct pstats ps;
	void *bad;

	LT_CHECK(srvpid > 0);
	LT_EQ(command(path, "open"), 0);
	reader_path = path;
	for (int i = 0; i < NSTRESS; i++)
		LT_EQ(pthread_create(&th[i], NULL, stresser, NULL), 0);
	for (int i = 0; i < NSTRESS; i++) {
		LT_EQ(pthread_join(th[i], &bad), 0);
		LT_EQ((long)bad, 0);
	}
	LT_EQ(WAIT_FOR(path, ps, ps.opens == 0, 3000), 0);
	LT_EQ(ps.received, NSTRESS * STRESS_ITER);
	LT_EQ(ps.replied, NSTRESS * STRESS_ITER);
	LT_CHECK(ps.peak <= 6);
	stop_server(srvpid);
	return 0;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	return lt_run_all() ? 1 : 0;
}
