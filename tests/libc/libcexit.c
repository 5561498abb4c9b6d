/*
 * tests/libc/libcexit.c - exit() from a second thread ends the whole
 * process while other threads still run, and the status reaches the
 * harness (the libc-exit boot expects status 7).  Not a test suite.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "ltest.h"

static void *spin(void *arg)
{
	for (;;)
		sched_yield();
	return arg;
}

static void *quit(void *arg)
{
	lt_printf("libcexit: exiting with 7\n");
	exit(7);
}

int main(void)
{
	pthread_t t;

	for (int i = 0; i < 3; i++)
		pthread_create(&t, 0, spin, 0);
	pthread_create(&t, 0, quit, 0);
	for (;;)
		usleep(100000);
}
