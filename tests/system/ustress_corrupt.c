/*
 * tests/system/ustress_corrupt.c - ustress (ustress.c) with a fault
 * injected to prove that its checks fire: each server flips one byte of
 * its first few replies after checksumming them.  The clients must report
 * "ustress: VIOLATION reply-checksum" and the run must fail (status 1);
 * tests/boots.conf boots it as ustress-corrupt.
 */
#define USTRESS_INJECT	INJ_CORRUPT
#define USTRESS_SECONDS	1
#define USTRESS_PATH	"/proc/boot/ustress_corrupt"
#include "ustress.c"
