/* placeholder replaced below */
#include "ltest.h"
int main(void) { return lt_run_all() == 0 ? 0 : 1; }
