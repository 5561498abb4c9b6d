/*
 * lib/newc/newc.c - strict newc cpio reader.
 *
 * A record is a 110-byte ASCII header ("070701" and 13 eight-digit hex
 * fields), the name (namesize bytes including the NUL), padding to a
 * multiple of 4, the data (filesize bytes), padding to a multiple of 4.
 */
#include "newc.h"

#define HDR_LEN		110
#define FIELDS		13

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJ,
	F_DEVMIN, F_RDEVMAJ, F_RDEVMIN, F_NAMESIZE, F_CHECK };

static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static int
hexfield(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
set_err(struct newc_iter *it, const char *what, size_t off)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	char num[20];
	int n = 0;

	/* Leave room for " at offset 0x", 16 hex digits and the NUL. */
	while (*what && i < sizeof(it->ni_err) - 30)
		it->ni_err[i++] = *what++;
	for (const char *s = " at offset 0x"; *s; s++)
		it->ni_err[i++] = *s;
	do {
		num[n++] = hex[off & 15];
		off >>= 4;
	} while (off && n < (int)sizeof(num));
	while (n)
		it->ni_err[i++] = num[--n];
	it->ni_err[i] = '\0';
}

void
newc_iter_init(struct newc_iter *it, const void *archive, size_t size)
{
	it->ni_base = archive;
	it->ni_size = size;
	it->ni_off = 0;
	it->ni_err[0] = '\0';
}

static int
is_magic(const uint8_t *p)
{
	static const char magic[6] = { '0', '7', '0', '7', '0', '1' };

	for (int i = 0; i < 6; i++)
		if (p[i] != (uint8_t)magic[i])
			return 0;
	return 1;
}

static int
name_is(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int
newc_next(struct newc_iter *it, struct newc_entry *e)
{
	size_t off = it->ni_off, left = it->ni_size - off, namepos, datapos;
	uint32_t f[FIELDS];
	const uint8_t *h;

	if (it->ni_off > it->ni_size || left < HDR_LEN) {
		set_err(it, "archive ends without a TRAILER!!! record", off);
		return -1;
	}
	h = it->ni_base + off;
	if (!is_magic(h)) {
		set_err(it, "bad magic (not a newc cpio header)", off);
		return -1;
	}
	for (int i = 0; i < FIELDS; i++) {
		if (hexfield(h + 6 + 8 * i, &f[i]) < 0) {
			set_err(it, "non-hex digit in a header field", off + 6 + 8 * i);
			return -1;
		}
	}
	namepos = off + HDR_LEN;
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > left - HDR_LEN) {
		set_err(it, "name runs past the end of the archive", off);
		return -1;
	}
	if (it->ni_base[namepos + f[F_NAMESIZE] - 1] != '\0') {
		set_err(it, "name is not NUL-terminated", namepos);
		return -1;
	}
	datapos = pad4(namepos + f[F_NAMESIZE]);
	if (datapos > it->ni_size || f[F_FILESIZE] > it->ni_size - datapos) {
		set_err(it, "file data runs past the end of the archive", off);
		return -1;
	}
	e->ne_name = (const char *)it->ni_base + namepos;
	e->ne_data = it->ni_base + datapos;
	e->ne_size = f[F_FILESIZE];
	e->ne_mode = f[F_MODE];
	e->ne_uid = f[F_UID];
	e->ne_gid = f[F_GID];
	e->ne_mtime = f[F_MTIME];
	e->ne_ino = f[F_INO];
	e->ne_nlink = f[F_NLINK];
	it->ni_off = pad4(datapos + f[F_FILESIZE]);
	if (name_is(e->ne_name, "TRAILER!!!"))
		return 0;
	return 1;
}

int
newc_find(const void *archive, size_t size, const char *path,
    struct newc_entry *e, char *err, size_t errlen)
{
	struct newc_iter it;
	int rc;

	while (*path == '/')
		path++;
	newc_iter_init(&it, archive, size);
	while ((rc = newc_next(&it, e)) > 0) {
		const char *n = e->ne_name;

		if (n[0] == '.' && n[1] == '/')
			n += 2;
		if (name_is(n, path))
			return 1;
	}
	if (rc < 0 && err && errlen) {
		size_t i = 0;

		for (; i + 1 < errlen && it.ni_err[i]; i++)
			err[i] = it.ni_err[i];
		err[i] = '\0';
	}
	return rc;
}
