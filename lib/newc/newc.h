/*
 * lib/newc/newc.h - a strict reader of "newc" cpio archives (the format
 * of Linux's initramfs, and of QSOE's boot image).
 *
 * Pure code with no allocation, shared by the kernel (to find taskman) and
 * taskman (to serve /proc/boot).  Every header field is checked; a
 * truncated or malformed archive gives an error and a message that says
 * where, never a read outside the buffer.
 */
#ifndef NEWC_H
#define NEWC_H

#include <stddef.h>
#include <stdint.h>

struct newc_entry {
	const char	*ne_name;	/* NUL-terminated, as stored ("proc/boot/x") */
	const void	*ne_data;	/* file contents (or link target) */
	size_t		ne_size;
	uint32_t	ne_mode;	/* st_mode bits: type and permissions */
	uint32_t	ne_uid, ne_gid;
	uint32_t	ne_mtime;
	uint32_t	ne_ino;
	uint32_t	ne_nlink;
};

struct newc_iter {
	const uint8_t	*ni_base;
	size_t		ni_size;
	size_t		ni_off;		/* offset of the next header */
	char		ni_err[96];	/* why the last call failed */
};

void newc_iter_init(struct newc_iter *it, const void *archive, size_t size);

/*
 * The next entry: 1 and *e filled, 0 at the TRAILER!!! record, or -1 on a
 * malformed archive (ni_err says what and at which offset).  An archive
 * that ends without a trailer is malformed.
 */
int newc_next(struct newc_iter *it, struct newc_entry *e);

/*
 * Find path (with or without a leading '/') in the archive: 1 and *e, 0 if
 * absent, -1 if the archive is malformed before it was found (err set).
 */
int newc_find(const void *archive, size_t size, const char *path,
    struct newc_entry *e, char *err, size_t errlen);

#endif
