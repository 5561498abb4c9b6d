/*
 * QSOE overlay of musl's src/process/posix_spawn.c: there is no clone of
 * the caller to exec in; taskman starts the program from one message
 * (the POSIX layer's spawn.c).  posix_spawnp (musl's) comes here too,
 * with attr->__fn set, and the layer searches PATH for it.
 */
#include <spawn.h>
#include "libc.h"

hidden int __qsoe_posix_spawn(pid_t *, const char *, const void *, const void *,
	char *const [], char *const []);

int posix_spawn(pid_t *restrict res, const char *restrict path,
	const posix_spawn_file_actions_t *fa,
	const posix_spawnattr_t *restrict attr,
	char *const argv[restrict], char *const envp[restrict])
{
	return __qsoe_posix_spawn(res, path, fa, attr, argv, envp);
}
