/*
 * A compile-time check, no code: every call in abi/kercalls.def has its
 * Name and Name_r declared in <sys/neutrino.h>.  A call added to the list
 * without a prototype stops the libc build here.
 */
#include <sys/neutrino.h>

#define KERCALL(num, name, nargs) (void)name; (void)name##_r;
static __attribute__((used)) void kercall_decls(void)
{
#include <abi/kercalls.def>
}
#undef KERCALL
