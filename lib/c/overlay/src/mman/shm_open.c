/*
 * QSOE overlay of musl's shm_open.c: the objects are taskman's, under
 * /dev/shmem (QNX's place, docs/taskman.md), not /dev/shm.  Names are at
 * most NAME_MAX - 2 bytes, so "/dev/shmem/" + name fits the NAME_MAX + 10
 * buffers of musl's callers (sem_open).
 */
#include <sys/mman.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <limits.h>
#include <pthread.h>

char *__shm_mapname(const char *name, char *buf)
{
	char *p;
	while (*name == '/') name++;
	if (*(p = __strchrnul(name, '/')) || p==name ||
	    (p-name <= 2 && name[0]=='.' && p[-1]=='.')) {
		errno = EINVAL;
		return 0;
	}
	if (p-name > NAME_MAX - 2) {	/* sem_open's buffer is NAME_MAX+10 */
		errno = ENAMETOOLONG;
		return 0;
	}
	memcpy(buf, "/dev/shmem/", 11);
	memcpy(buf+11, name, p-name+1);
	return buf;
}

int shm_open(const char *name, int flag, mode_t mode)
{
	int cs;
	char buf[NAME_MAX+10];
	if (!(name = __shm_mapname(name, buf))) return -1;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	int fd = open(name, flag|O_NOFOLLOW|O_CLOEXEC|O_NONBLOCK, mode);
	pthread_setcancelstate(cs, 0);
	return fd;
}

int shm_unlink(const char *name)
{
	char buf[NAME_MAX+10];
	if (!(name = __shm_mapname(name, buf))) return -1;
	return unlink(name);
}
