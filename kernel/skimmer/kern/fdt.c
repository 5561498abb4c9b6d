/*
 * kern/fdt.c - flattened device tree parser (devicetree specification v0.3,
 * structure block version 17).
 */
#include <kern/fdt.h>
#include <kern/string.h>
#include <abi/errno.h>

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

static uint32_t
be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t
fdt_read_cells(const void *p, int cells)
{
	const uint8_t *b = p;

	return cells == 2 ? (uint64_t)be32(b) << 32 | be32(b + 4) : be32(b);
}

int
fdt_init(struct fdt *fdt, const void *p, size_t maxsize)
{
	const uint8_t *h = p;
	uint32_t size, off_struct, off_strings, sz_struct, sz_strings, off_rsv;

	if (p == NULL || maxsize < 40 || be32(h) != FDT_MAGIC)
		return -EINVAL;
	size = be32(h + 4);
	off_struct = be32(h + 8);
	off_strings = be32(h + 12);
	off_rsv = be32(h + 16);
	sz_strings = be32(h + 32);
	sz_struct = be32(h + 36);
	/* Offsets inside the blob are ints: no larger than INT32_MAX. */
	if (size > maxsize || size < 40 || size > INT32_MAX ||
	    be32(h + 20) < 17 || be32(h + 24) > 17)
		return -EINVAL;
	if (off_struct > size || sz_struct > size - off_struct ||
	    off_strings > size || sz_strings > size - off_strings ||
	    off_rsv > size - 16 || (off_struct & 3) || (off_rsv & 7))
		return -EINVAL;
	fdt->fd_blob = h;
	fdt->fd_size = size;
	fdt->fd_struct = off_struct;
	fdt->fd_struct_size = sz_struct;
	fdt->fd_strings = off_strings;
	fdt->fd_strings_size = sz_strings;
	fdt->fd_rsvmap = off_rsv;
	return 0;
}

/* Token at structure offset off, or -1 when off is out of bounds. */
static int
token_at(const struct fdt *fdt, int off)
{
	if (off < 0 || (uint32_t)off + 4 > fdt->fd_struct_size || (off & 3))
		return -1;
	return (int)be32(fdt->fd_blob + fdt->fd_struct + off);
}

/* NUL-terminated string at structure offset off, length in *len; NULL if unterminated. */
static const char *
struct_str(const struct fdt *fdt, int off, int *len)
{
	const char *s = (const char *)fdt->fd_blob + fdt->fd_struct + off;
	size_t max = fdt->fd_struct_size - off;
	size_t n = strnlen(s, max);

	if (n == max)
		return NULL;
	*len = (int)n;
	return s;
}

/*
 * Offset of the token after the one at off, or -1 if malformed.  For a
 * BEGIN_NODE this is the first token inside the node.
 */
static int
next_token(const struct fdt *fdt, int off)
{
	int tok = token_at(fdt, off), len;

	switch (tok) {
	case FDT_BEGIN_NODE:
		if (struct_str(fdt, off + 4, &len) == NULL)
			return -1;
		return ALIGN_UP(off + 4 + len + 1, 4);
	case FDT_PROP:
		if (token_at(fdt, off + 4) < 0 || token_at(fdt, off + 8) < 0)
			return -1;
		len = (int)be32(fdt->fd_blob + fdt->fd_struct + off + 4);
		if (len < 0 || (uint32_t)len > fdt->fd_struct_size - off - 12)
			return -1;
		return ALIGN_UP(off + 12 + len, 4);
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return -1;
	}
}

/* Offset just past the END_NODE that closes the node at off, or -1. */
static int
skip_node(const struct fdt *fdt, int off)
{
	int depth = 0;

	do {
		int tok = token_at(fdt, off);

		if (tok == FDT_BEGIN_NODE)
			depth++;
		else if (tok == FDT_END_NODE)
			depth--;
		else if (tok != FDT_PROP && tok != FDT_NOP)
			return -1;
		off = next_token(fdt, off);
		if (off < 0)
			return -1;
	} while (depth > 0);
	return off;
}

int
fdt_root(const struct fdt *fdt)
{
	int off = 0;

	while (token_at(fdt, off) == FDT_NOP)
		off += 4;
	return token_at(fdt, off) == FDT_BEGIN_NODE ? off : -1;
}

/* From a token offset inside a node, the next BEGIN_NODE at this level, or -1. */
static int
next_node_from(const struct fdt *fdt, int off)
{
	for (;;) {
		int tok = token_at(fdt, off);

		if (tok == FDT_BEGIN_NODE)
			return off;
		if (tok != FDT_PROP && tok != FDT_NOP)
			return -1;
		off = next_token(fdt, off);
	}
}

int
fdt_first_child(const struct fdt *fdt, int node)
{
	if (token_at(fdt, node) != FDT_BEGIN_NODE)
		return -1;
	return next_node_from(fdt, next_token(fdt, node));
}

int
fdt_next_sibling(const struct fdt *fdt, int node)
{
	if (token_at(fdt, node) != FDT_BEGIN_NODE)
		return -1;
	return next_node_from(fdt, skip_node(fdt, node));
}

const char *
fdt_node_name(const struct fdt *fdt, int node)
{
	int len;
	const char *s;

	if (token_at(fdt, node) != FDT_BEGIN_NODE)
		return NULL;
	s = struct_str(fdt, node + 4, &len);
	return s;
}

/* Child of node whose name matches [name, name+len): exact, or before '@'. */
static int
find_child(const struct fdt *fdt, int node, const char *name, size_t len)
{
	int child;

	for (child = fdt_first_child(fdt, node); child >= 0;
	    child = fdt_next_sibling(fdt, child)) {
		const char *cn = fdt_node_name(fdt, child);

		if (cn && strncmp(cn, name, len) == 0 &&
		    (cn[len] == '\0' || (cn[len] == '@' && memchr(name, '@', len) == NULL)))
			return child;
	}
	return -1;
}

int
fdt_path(const struct fdt *fdt, const char *path)
{
	int node = fdt_root(fdt);

	if (path[0] != '/')
		return -1;
	while (node >= 0 && *path) {
		const char *end;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		end = strchr(path, '/');
		if (end == NULL)
			end = path + strlen(path);
		node = find_child(fdt, node, path, end - path);
		path = end;
	}
	return node;
}

const void *
fdt_getprop(const struct fdt *fdt, int node, const char *name, int *lenp)
{
	int off;

	if (token_at(fdt, node) != FDT_BEGIN_NODE)
		return NULL;
	for (off = next_token(fdt, node); off >= 0; off = next_token(fdt, off)) {
		int tok = token_at(fdt, off);
		uint32_t nameoff;

		if (tok == FDT_NOP)
			continue;
		if (tok != FDT_PROP)
			return NULL;
		if (next_token(fdt, off) < 0)
			return NULL;
		nameoff = be32(fdt->fd_blob + fdt->fd_struct + off + 8);
		if (nameoff >= fdt->fd_strings_size)
			return NULL;
		const char *pn = (const char *)fdt->fd_blob + fdt->fd_strings + nameoff;
		size_t maxn = fdt->fd_strings_size - nameoff;
		if (strnlen(pn, maxn) == maxn)
			return NULL;
		if (strcmp(pn, name) == 0) {
			if (lenp)
				*lenp = (int)be32(fdt->fd_blob + fdt->fd_struct + off + 4);
			return fdt->fd_blob + fdt->fd_struct + off + 12;
		}
	}
	return NULL;
}

bool
fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	int len;
	const char *p = fdt_getprop(fdt, node, "compatible", &len);
	const char *end;

	if (p == NULL)
		return false;
	for (end = p + len; p < end; p += strnlen(p, end - p) + 1)
		if (strnlen(p, end - p) < (size_t)(end - p) && strcmp(p, compat) == 0)
			return true;
	return false;
}

int
fdt_find_compatible(const struct fdt *fdt, int from, const char *compat)
{
	int off = from < 0 ? fdt_root(fdt) : next_token(fdt, from);

	for (; off >= 0; off = next_token(fdt, off)) {
		int tok = token_at(fdt, off);

		if (tok == FDT_BEGIN_NODE && fdt_is_compatible(fdt, off, compat))
			return off;
		if (tok != FDT_BEGIN_NODE && tok != FDT_END_NODE &&
		    tok != FDT_PROP && tok != FDT_NOP)
			return -1;
	}
	return -1;
}

int
fdt_getprop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	if (p == NULL || len < 4)
		return -EINVAL;
	*out = be32(p);
	return 0;
}

bool
fdt_rsvmap_entry(const struct fdt *fdt, int i, uint64_t *base, uint64_t *size)
{
	uint64_t off = fdt->fd_rsvmap + (uint64_t)i * 16;

	if (i < 0 || off + 16 > fdt->fd_size)
		return false;
	*base = fdt_read_cells(fdt->fd_blob + off, 2);
	*size = fdt_read_cells(fdt->fd_blob + off + 8, 2);
	return *base != 0 || *size != 0;
}
