/*
 * tests/libc/libcabort.c - abort() ends the process with SIGABRT, even
 * when a SIGABRT handler returns (the libc-abort boot expects the
 * handler's line and wait status 6).  Not a test suite.
 */
#include <signal.h>
#include <stdlib.h>
#include "ltest.h"

static void on_abrt(int signo)
{
	lt_printf("libcabort: SIGABRT handler ran (signal %d)\n", signo);
}

int main(void)
{
	signal(SIGABRT, on_abrt);
	abort();
}
