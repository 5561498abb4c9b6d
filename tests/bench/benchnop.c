/*
 * tests/bench/benchnop.c - the smallest program: what `make bench` spawns
 * and execs (procbench.c) to time the process paths.
 */
int main(void)
{
	return 0;
}
