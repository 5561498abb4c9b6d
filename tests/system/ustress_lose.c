/*
 * tests/system/ustress_lose.c - ustress (ustress.c) with a fault injected
 * to prove that the end-of-run ledger check fires: servers leave each
 * sender's first request out of their ledgers, as if the kernel had lost
 * it.  The coordinator must report "ustress: VIOLATION message-count" and
 * the run must fail (status 1); tests/boots.conf boots it as ustress-lose.
 */
#define USTRESS_INJECT	INJ_LOSE
#define USTRESS_SECONDS	1
#define USTRESS_PATH	"/proc/boot/ustress_lose"
#include "ustress.c"
