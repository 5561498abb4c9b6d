// uses: lib/newc/newc.c
/*
 * Host tests of the newc cpio reader (lib/newc): archives written by GNU
 * cpio (-o -H newc) and records crafted by hand, then hostile input: every
 * truncation, bad magic, non-hex digits, bad name and file sizes, a missing
 * trailer, and a fuzz loop.  Archives live in exact-size heap buffers, so
 * ASan reports any read outside them.
 */
#include "unit.h"
#include "../../lib/newc/newc.h"
#include <stdint.h>
#include <sys/stat.h>
#include <utime.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define FUZZ_ITERS	4000

/* Undefined behaviour must fail the test, also when built by hand. */
const char *__ubsan_default_options(void);
const char *
__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

/* ---- helpers ---------------------------------------------------------------- */

static uint8_t *
exact_copy(const void *src, size_t size)
{
	uint8_t *b = malloc(size);	/* ASan: malloc(0) has no readable byte */

	CHECK(b != NULL);
	if (size)
		memcpy(b, src, size);
	return b;
}

/* Run a shell command; fail the test if it fails. */
static void __attribute__((format(printf, 1, 2)))
sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		unit_fail(__FILE__, __LINE__, "command failed: %s", cmd);
}

/* Everything f gives, malloc'd (NULL if nothing). */
static uint8_t *
slurp(FILE *f, size_t *size)
{
	size_t cap = 4096, n = 0, r;
	uint8_t *buf = malloc(cap);

	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	*size = n;
	return buf;
}

/* The offset an error message names ("... at offset 0x7c"), or -1. */
static long long
err_offset(const char *err)
{
	const char *p = strstr(err, " at offset 0x");

	return p ? strtoll(p + 13, NULL, 16) : -1;
}

#define CHECK_ERR(err, text, off) do {					\
	const char *__e = (err);					\
	if (strstr(__e, (text)) == NULL || err_offset(__e) != (long long)(off)) \
		unit_fail(__FILE__, __LINE__, "error \"%s\", wanted \"%s\" at offset 0x%llx", \
		    __e, (text), (long long)(off));			\
} while (0)

/* ---- a hand-made archive builder -------------------------------------------- */

struct ar {
	uint8_t		a_buf[1 << 16];
	size_t		a_len;
	size_t		a_rec[32];	/* offset of each record's header */
	int		a_nrec;
};

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJ,
	F_DEVMIN, F_RDEVMAJ, F_RDEVMIN, F_NAMESIZE, F_CHECK };

static void
ar_pad(struct ar *a)
{
	while (a->a_len & 3)
		a->a_buf[a->a_len++] = 0;
}

/* Append a record with explicit header fields; name is namelen bytes as given. */
static void
ar_rec(struct ar *a, const uint32_t f[13], const void *name, size_t namelen,
    const void *data, size_t size)
{
	a->a_rec[a->a_nrec++] = a->a_len;
	a->a_len += sprintf((char *)a->a_buf + a->a_len, "070701");
	for (int i = 0; i < 13; i++)
		a->a_len += sprintf((char *)a->a_buf + a->a_len, "%08X", f[i]);
	memcpy(a->a_buf + a->a_len, name, namelen);
	a->a_len += namelen;
	ar_pad(a);
	if (size)
		memcpy(a->a_buf + a->a_len, data, size);
	a->a_len += size;
	ar_pad(a);
}

static void
ar_file(struct ar *a, const char *name, uint32_t mode, const void *data, size_t size)
{
	uint32_t f[13] = { 0 };

	f[F_INO] = 100 + a->a_nrec;
	f[F_MODE] = mode;
	f[F_NLINK] = 1;
	f[F_MTIME] = 1700000000;
	f[F_FILESIZE] = size;
	f[F_NAMESIZE] = strlen(name) + 1;
	ar_rec(a, f, name, strlen(name) + 1, data, size);
}

static void
ar_trailer(struct ar *a)
{
	ar_file(a, "TRAILER!!!", 0, NULL, 0);
}

/* Overwrite header field i of record r with an exact 8-character string. */
static void
ar_field(struct ar *a, int r, int i, const char *digits)
{
	memcpy(a->a_buf + a->a_rec[r] + 6 + 8 * i, digits, 8);
}

static void
ar_field_hex(struct ar *a, int r, int i, uint32_t v)
{
	char s[9];

	snprintf(s, sizeof(s), "%08x", v);
	ar_field(a, r, i, s);
}

/* A small archive of four files and a trailer, used by many tests. */
static const char text_a[] = "alpha";
static const char text_b[] = "bravo bravo bravo!";
static void
ar_sample(struct ar *a)
{
	memset(a, 0, sizeof(*a));
	ar_file(a, "proc", 040755, NULL, 0);
	ar_file(a, "proc/boot/a", 0100644, text_a, 5);
	ar_file(a, "proc/boot/b", 0100755, text_b, 18);
	ar_file(a, "proc/boot/empty", 0100600, NULL, 0);
	ar_trailer(a);
}

/* Walk an archive with newc_next; returns the last rc and counts the entries. */
static int
walk(const uint8_t *b, size_t size, int *count, struct newc_iter *it)
{
	struct newc_entry e;
	int rc;

	*count = 0;
	newc_iter_init(it, b, size);
	while ((rc = newc_next(it, &e)) > 0)
		++*count;
	return rc;
}

/* ---- archives written by GNU cpio ------------------------------------------- */

static const char *const tree_names[] = {
	"hello.txt", "empty", "sub", "sub/three", "sub/big", "link",
};

/* A cpio archive of a small tree, and lstat() of every file that went in. */
struct tree {
	uint8_t		*t_buf;		/* the archive, exact-size */
	size_t		t_size;
	struct stat	t_st[ARRAY_SIZE(tree_names)];
};

static uint8_t big[5000];

/*
 * Make the tree (fixed modes and mtimes), archive it with names as listed
 * or (dot) as "find ." gives them, read everything needed, and remove it
 * all before any check can fail.
 */
static void
tree_make(struct tree *t, int dot)
{
	char dir[64], path[128], cmd[256];
	struct utimbuf ut = { 1234567890, 1234567890 };
	uint8_t *raw = NULL;
	FILE *f;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	snprintf(dir, sizeof(dir), "/tmp/test_newc.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 3);
	snprintf(path, sizeof(path), "%s/big", dir);
	if ((f = fopen(path, "wb")) != NULL) {
		fwrite(big, 1, sizeof(big), f);
		fclose(f);
	}
	sh("cd %s && printf 'hello, world\\n' > hello.txt && : > empty && mkdir sub && "
	    "printf abc > sub/three && mv big sub/big && ln -s hello.txt link && "
	    "chmod 644 hello.txt && chmod 600 empty && chmod 750 sub && chmod 755 sub/three && "
	    "chmod 640 sub/big || { rm -rf %s; false; }", dir, dir);
	for (size_t i = 0; i < ARRAY_SIZE(tree_names) - 1; i++) {	/* not the link */
		snprintf(path, sizeof(path), "%s/%s", dir, tree_names[i]);
		utime(path, &ut);
	}
	for (size_t i = 0; i < ARRAY_SIZE(tree_names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, tree_names[i]);
		lstat(path, &t->t_st[i]);
	}
	snprintf(cmd, sizeof(cmd), "cd %s && %s | cpio -o -H newc --quiet", dir, dot ?
	    "find . | LC_ALL=C sort" :
	    "printf 'hello.txt\\nempty\\nsub\\nsub/three\\nsub/big\\nlink\\n'");
	if ((f = popen(cmd, "r")) != NULL) {
		raw = slurp(f, &t->t_size);
		rc = pclose(f);
	}
	sh("rm -rf %s", dir);
	CHECK(rc == 0 && raw != NULL && t->t_size > 0);
	t->t_buf = exact_copy(raw, t->t_size);
	free(raw);
	for (size_t i = 0; i < ARRAY_SIZE(tree_names); i++)
		CHECK(t->t_st[i].st_mode != 0);
}

static const void *
want_data(const char *name, size_t *size)
{
	static const struct { const char *n; const char *d; size_t s; } w[] = {
		{ "hello.txt", "hello, world\n", 13 }, { "empty", "", 0 }, { "sub", "", 0 },
		{ "sub/three", "abc", 3 }, { "link", "hello.txt", 9 },
	};

	if (strcmp(name, "sub/big") == 0) {
		*size = sizeof(big);
		return big;
	}
	for (size_t i = 0; i < ARRAY_SIZE(w); i++)
		if (strcmp(name, w[i].n) == 0) {
			*size = w[i].s;
			return w[i].d;
		}
	unit_fail(__FILE__, __LINE__, "unexpected name %s", name);
}

/* One entry against lstat() of the file it came from. */
static void
check_entry(const struct tree *t, const uint8_t *base, const struct newc_entry *e, const char *name)
{
	const struct stat *st = NULL;
	size_t size;
	const void *data = want_data(name, &size);

	for (size_t i = 0; i < ARRAY_SIZE(tree_names); i++)
		if (strcmp(name, tree_names[i]) == 0)
			st = &t->t_st[i];
	CHECK(st != NULL);
	CHECK_EQ(e->ne_mode, st->st_mode);
	CHECK_EQ(e->ne_uid, st->st_uid);
	CHECK_EQ(e->ne_gid, st->st_gid);
	CHECK_EQ(e->ne_nlink, st->st_nlink);
	if (!S_ISLNK(st->st_mode))
		CHECK_EQ(e->ne_mtime, 1234567890);
	CHECK_EQ(e->ne_size, size);
	CHECK(memcmp(e->ne_data, data, size) == 0);
	CHECK_EQ(((const uint8_t *)e->ne_data - base) % 4, 0);	/* data is 4-aligned */
}

UNIT_TEST(cpio_lists_every_entry)
{
	struct tree t;
	struct newc_iter it;
	struct newc_entry e;
	size_t size;
	uint8_t *b;

	tree_make(&t, 0);
	b = t.t_buf;
	size = t.t_size;
	CHECK_EQ(size % 512, 0);			/* cpio pads to its block size */
	newc_iter_init(&it, b, size);
	for (size_t i = 0; i < ARRAY_SIZE(tree_names); i++) {
		CHECK_EQ(newc_next(&it, &e), 1);
		CHECK_STR(e.ne_name, tree_names[i]);
		check_entry(&t, b, &e, tree_names[i]);
	}
	CHECK_EQ(newc_next(&it, &e), 0);
	CHECK_STR(e.ne_name, "TRAILER!!!");
	CHECK_STR(it.ni_err, "");
	CHECK(it.ni_off <= size);
	free(b);
}

UNIT_TEST(cpio_find_with_and_without_slash)
{
	static const char *const absent[] = {
		"nope", "hello", "hello.txt/", "sub/", "sub/thre", "sub/threee", "ub/big",
		"TRAILER!!!", "/TRAILER!!!", "sub/big/x", "Link",
	};
	struct tree t;
	struct newc_entry e;
	char err[96], path[64];
	size_t size;
	uint8_t *b;

	tree_make(&t, 0);
	b = t.t_buf;
	size = t.t_size;
	for (size_t i = 0; i < ARRAY_SIZE(tree_names); i++) {
		memset(&e, 0, sizeof(e));
		CHECK_EQ(newc_find(b, size, tree_names[i], &e, err, sizeof(err)), 1);
		CHECK_STR(e.ne_name, tree_names[i]);
		check_entry(&t, b, &e, tree_names[i]);
		snprintf(path, sizeof(path), "/%s", tree_names[i]);
		CHECK_EQ(newc_find(b, size, path, &e, err, sizeof(err)), 1);
		CHECK_STR(e.ne_name, tree_names[i]);
		snprintf(path, sizeof(path), "//%s", tree_names[i]);
		CHECK_EQ(newc_find(b, size, path, &e, err, sizeof(err)), 1);
		CHECK_STR(e.ne_name, tree_names[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(absent); i++) {
		strcpy(err, "untouched");
		CHECK_EQ(newc_find(b, size, absent[i], &e, err, sizeof(err)), 0);
		CHECK_STR(err, "untouched");		/* no error to report */
	}
	/* No error buffer at all is fine. */
	CHECK_EQ(newc_find(b, size, "/sub/big", &e, NULL, 0), 1);
	CHECK_EQ(newc_find(b, size, "/sub/nope", &e, NULL, 0), 0);
	free(b);
}

/*
 * "find . | cpio" starts with "."; GNU cpio strips "./" from the other names
 * but other writers (Linux's gen_init_cpio lists, bsdcpio) keep it: either
 * way "name" and "/name" find the file.
 */
UNIT_TEST(cpio_find_dot_slash_names)
{
	struct tree t;
	struct newc_entry e;
	char err[96], path[64];
	size_t size;
	uint8_t *b;
	int n;
	struct newc_iter it;

	tree_make(&t, 1);
	b = t.t_buf;
	size = t.t_size;
	CHECK_EQ(walk(b, size, &n, &it), 0);
	CHECK_EQ(n, (int)ARRAY_SIZE(tree_names) + 1);	/* and "." */
	newc_iter_init(&it, b, size);
	CHECK_EQ(newc_next(&it, &e), 1);
	CHECK_STR(e.ne_name, ".");
	for (size_t i = 0; i < ARRAY_SIZE(tree_names); i++) {
		CHECK_EQ(newc_find(b, size, tree_names[i], &e, err, sizeof(err)), 1);
		CHECK_STR(e.ne_name + (strncmp(e.ne_name, "./", 2) == 0 ? 2 : 0), tree_names[i]);
		check_entry(&t, b, &e, tree_names[i]);
		snprintf(path, sizeof(path), "/%s", tree_names[i]);
		CHECK_EQ(newc_find(b, size, path, &e, err, sizeof(err)), 1);
		check_entry(&t, b, &e, tree_names[i]);
	}
	CHECK_EQ(newc_find(b, size, "nope", &e, err, sizeof(err)), 0);
	CHECK_EQ(newc_find(b, size, "sub/nope", &e, err, sizeof(err)), 0);
	free(b);
}

/* Names stored with "./", as gen_init_cpio-style lists write them. */
UNIT_TEST(handmade_dot_slash_names)
{
	static struct ar a;
	struct newc_entry e;
	char err[96];
	uint8_t *b;

	memset(&a, 0, sizeof(a));
	ar_file(&a, ".", 040755, NULL, 0);
	ar_file(&a, "./proc", 040755, NULL, 0);
	ar_file(&a, "./proc/boot/a", 0100644, text_a, 5);
	ar_file(&a, "proc/boot/b", 0100755, text_b, 18);
	ar_trailer(&a);
	b = exact_copy(a.a_buf, a.a_len);
	CHECK_EQ(newc_find(b, a.a_len, "proc/boot/a", &e, err, sizeof(err)), 1);
	CHECK_STR(e.ne_name, "./proc/boot/a");
	CHECK(memcmp(e.ne_data, text_a, 5) == 0);
	CHECK_EQ(newc_find(b, a.a_len, "/proc/boot/a", &e, err, sizeof(err)), 1);
	CHECK_STR(e.ne_name, "./proc/boot/a");
	CHECK_EQ(newc_find(b, a.a_len, "/proc", &e, err, sizeof(err)), 1);
	CHECK_STR(e.ne_name, "./proc");
	CHECK_EQ(newc_find(b, a.a_len, "proc/boot/b", &e, err, sizeof(err)), 1);
	CHECK_STR(e.ne_name, "proc/boot/b");
	/* "." itself is not an empty name. */
	CHECK_EQ(newc_find(b, a.a_len, ".", &e, err, sizeof(err)), 1);
	CHECK_STR(e.ne_name, ".");
	CHECK_EQ(newc_find(b, a.a_len, "/", &e, err, sizeof(err)), 0);
	CHECK_EQ(newc_find(b, a.a_len, "boot/a", &e, err, sizeof(err)), 0);
	free(b);
}

/*
 * Every prefix of a cpio archive: an error naming an offset inside (or just
 * past, for a cut in padding) the prefix, until the cut falls at or after
 * the end of the trailer record.  newc_find finds a file iff its data is
 * inside the prefix.
 */
static void
truncate_every_length(const uint8_t *full, size_t size, const char *name)
{
	struct newc_iter it;
	struct newc_entry e;
	size_t trailer_end, name_end = 0;
	int n, nfull;

	CHECK_EQ(walk(full, size, &nfull, &it), 0);
	trailer_end = it.ni_off;
	CHECK(trailer_end <= size);
	CHECK_EQ(newc_find(full, size, name, &e, NULL, 0), 1);
	name_end = (const uint8_t *)e.ne_data - full + e.ne_size;
	for (size_t len = 0; len <= size; len++) {
		uint8_t *b = exact_copy(full, len);
		char err[96] = "";
		int rc = walk(b, len, &n, &it);

		if (len < trailer_end) {
			CHECK_EQ(rc, -1);
			CHECK(n <= nfull);
			CHECK(it.ni_err[0] != '\0');
			CHECK(err_offset(it.ni_err) >= 0 && err_offset(it.ni_err) <= (long long)len + 3);
		} else {
			CHECK_EQ(rc, 0);
			CHECK_EQ(n, nfull);
		}
		rc = newc_find(b, len, name, &e, err, sizeof(err));
		CHECK_EQ(rc, len >= name_end ? 1 : -1);
		if (rc < 0)
			CHECK(err_offset(err) >= 0);
		rc = newc_find(b, len, "/no/such/file", &e, err, sizeof(err));
		CHECK_EQ(rc, len >= trailer_end ? 0 : -1);
		free(b);
	}
}

UNIT_TEST(cpio_truncated_at_every_length)
{
	struct tree t;
	size_t size;
	uint8_t *b;

	tree_make(&t, 0);
	b = t.t_buf;
	size = t.t_size;
	truncate_every_length(b, size, "sub/three");
	free(b);
}

UNIT_TEST(handmade_truncated_at_every_length)
{
	static struct ar a;
	uint8_t *b;

	ar_sample(&a);
	b = exact_copy(a.a_buf, a.a_len);
	truncate_every_length(b, a.a_len, "proc/boot/b");
	free(b);
}

/* ---- hand-made records -------------------------------------------------------- */

UNIT_TEST(every_header_field)
{
	static struct ar a;
	uint32_t f[13];
	struct newc_iter it;
	struct newc_entry e;

	memset(&a, 0, sizeof(a));
	for (int i = 0; i < 13; i++)
		f[i] = 0x01020304u * (i + 1);
	f[F_FILESIZE] = 3;
	f[F_NAMESIZE] = 2;
	ar_rec(&a, f, "x", 2, "abc", 3);
	ar_trailer(&a);
	/* Upper- and lower-case hex both parse. */
	ar_field(&a, 0, F_MODE, "000081aB");
	ar_field(&a, 0, F_UID, "DeadBeef");
	uint8_t *b = exact_copy(a.a_buf, a.a_len);
	newc_iter_init(&it, b, a.a_len);
	CHECK_EQ(newc_next(&it, &e), 1);
	CHECK_STR(e.ne_name, "x");
	CHECK(e.ne_name == (const char *)b + 110);
	CHECK(e.ne_data == b + 112);
	CHECK_EQ(e.ne_size, 3);
	CHECK_EQ(e.ne_ino, f[F_INO]);
	CHECK_EQ(e.ne_mode, 0x81ab);
	CHECK_EQ(e.ne_uid, 0xdeadbeef);
	CHECK_EQ(e.ne_gid, f[F_GID]);
	CHECK_EQ(e.ne_nlink, f[F_NLINK]);
	CHECK_EQ(e.ne_mtime, f[F_MTIME]);
	CHECK_EQ(it.ni_off, 116);
	CHECK_EQ(newc_next(&it, &e), 0);
	free(b);
}

UNIT_TEST(handmade_list_and_find)
{
	static struct ar a;
	struct newc_entry e;
	char err[96];
	uint8_t *b;

	ar_sample(&a);
	b = exact_copy(a.a_buf, a.a_len);
	CHECK_EQ(newc_find(b, a.a_len, "/proc/boot/b", &e, err, sizeof(err)), 1);
	CHECK_EQ(e.ne_size, 18);
	CHECK(memcmp(e.ne_data, text_b, 18) == 0);
	CHECK_EQ(e.ne_mode, 0100755);
	CHECK_EQ(newc_find(b, a.a_len, "proc/boot/empty", &e, err, sizeof(err)), 1);
	CHECK_EQ(e.ne_size, 0);
	CHECK_EQ(newc_find(b, a.a_len, "proc", &e, err, sizeof(err)), 1);
	CHECK_EQ(e.ne_mode, 040755);
	CHECK_EQ(newc_find(b, a.a_len, "proc/boot", &e, err, sizeof(err)), 0);
	CHECK_EQ(newc_find(b, a.a_len, "proc/boot/c", &e, err, sizeof(err)), 0);
	CHECK_EQ(newc_find(b, a.a_len, "proc/boot/bb", &e, err, sizeof(err)), 0);
	free(b);
}

UNIT_TEST(trailer_only_and_empty)
{
	static struct ar a;
	struct newc_iter it;
	struct newc_entry e;
	char err[96];
	uint8_t *b;

	memset(&a, 0, sizeof(a));
	ar_trailer(&a);
	CHECK_EQ(a.a_len, 124);
	b = exact_copy(a.a_buf, a.a_len);
	newc_iter_init(&it, b, a.a_len);
	CHECK_EQ(newc_next(&it, &e), 0);
	CHECK_EQ(newc_find(b, a.a_len, "x", &e, err, sizeof(err)), 0);
	free(b);
	/* Size 0: an error at offset 0, with or without a buffer behind it. */
	b = exact_copy("", 0);
	newc_iter_init(&it, b, 0);
	CHECK_EQ(newc_next(&it, &e), -1);
	CHECK_ERR(it.ni_err, "TRAILER", 0);
	CHECK_EQ(newc_find(b, 0, "x", &e, err, sizeof(err)), -1);
	CHECK_ERR(err, "TRAILER", 0);
	CHECK_EQ(newc_find(NULL, 0, "x", &e, err, sizeof(err)), -1);
	free(b);
}

UNIT_TEST(bad_magic)
{
	static const char *const magics[] = { "070707", "070702", "070700", "07070 ", "\0\0\0\0\0\0" };
	static struct ar a;
	struct newc_iter it;
	struct newc_entry e;
	char err[96];

	for (size_t m = 0; m < ARRAY_SIZE(magics); m++) {
		for (int r = 0; r < 3; r++) {
			ar_sample(&a);
			memcpy(a.a_buf + a.a_rec[r], magics[m], 6);
			uint8_t *b = exact_copy(a.a_buf, a.a_len);
			int n;

			CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
			CHECK_EQ(n, r);
			CHECK_ERR(it.ni_err, "bad magic", a.a_rec[r]);
			CHECK_EQ(newc_find(b, a.a_len, "zzz", &e, err, sizeof(err)), -1);
			CHECK_ERR(err, "bad magic", a.a_rec[r]);
			/* A file before the bad record is still found. */
			CHECK_EQ(newc_find(b, a.a_len, "proc", &e, err, sizeof(err)), r > 0 ? 1 : -1);
			free(b);
		}
	}
}

/* A bad character in any digit of any field, reported at that field's offset. */
UNIT_TEST(non_hex_digits)
{
	static const char bad[] = { 'g', 'G', 'x', ' ', '-', '+', '\0', '/', ':', '@', '`', '\xff' };
	static struct ar a;
	struct newc_iter it;
	int n;

	for (int r = 0; r < 2; r++)
		for (int field = 0; field < 13; field++)
			for (int d = 0; d < 8; d++) {
				ar_sample(&a);
				a.a_buf[a.a_rec[r] + 6 + 8 * field + d] = bad[(field + d) % ARRAY_SIZE(bad)];
				uint8_t *b = exact_copy(a.a_buf, a.a_len);

				CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
				CHECK_EQ(n, r);
				CHECK_ERR(it.ni_err, "non-hex", a.a_rec[r] + 6 + 8 * field);
				free(b);
			}
	/* "0x" prefixes are not hex digits either. */
	ar_sample(&a);
	ar_field(&a, 1, F_FILESIZE, "0x000005");
	uint8_t *b = exact_copy(a.a_buf, a.a_len);
	CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
	CHECK_ERR(it.ni_err, "non-hex", a.a_rec[1] + 6 + 8 * F_FILESIZE);
	free(b);
}

UNIT_TEST(bad_namesize)
{
	static struct ar a;
	struct newc_iter it;
	uint8_t *b;
	int n;

	/* Zero. */
	ar_sample(&a);
	ar_field_hex(&a, 1, F_NAMESIZE, 0);
	b = exact_copy(a.a_buf, a.a_len);
	CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
	CHECK_EQ(n, 1);
	CHECK_ERR(it.ni_err, "name", a.a_rec[1]);
	free(b);
	/* Past the end, by one and by a lot. */
	static const uint32_t sizes[] = { 1, 2, 0x1000, 0x7fffffff, 0xfffffffe, 0xffffffff };
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		ar_sample(&a);
		size_t last = a.a_rec[a.a_nrec - 1];
		uint32_t ns = sizes[i] <= 2 ? a.a_len - last - 110 + sizes[i] : sizes[i];

		ar_field_hex(&a, a.a_nrec - 1, F_NAMESIZE, ns);
		b = exact_copy(a.a_buf, a.a_len);
		CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
		CHECK_EQ(n, a.a_nrec - 1);
		CHECK_ERR(it.ni_err, "name runs past the end", last);
		free(b);
	}
	/* A name filling the archive exactly (ends with NUL, no room for padding). */
	memset(&a, 0, sizeof(a));
	uint32_t f[13] = { 0 };
	f[F_NAMESIZE] = 3;
	ar_rec(&a, f, "ab", 3, NULL, 0);
	b = exact_copy(a.a_buf, 113);
	newc_iter_init(&it, b, 113);
	struct newc_entry e;
	CHECK_EQ(newc_next(&it, &e), -1);
	CHECK_ERR(it.ni_err, "data runs past", 0);
	free(b);
}

UNIT_TEST(name_not_nul_terminated)
{
	static struct ar a;
	struct newc_iter it;
	uint32_t f[13] = { 0 };
	uint8_t *b;
	int n;

	/* namesize one short: the last counted byte is the name's last letter. */
	ar_sample(&a);
	ar_field_hex(&a, 2, F_NAMESIZE, strlen("proc/boot/b"));
	b = exact_copy(a.a_buf, a.a_len);
	CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
	CHECK_EQ(n, 2);
	CHECK_ERR(it.ni_err, "not NUL-terminated", a.a_rec[2] + 110);
	free(b);
	/* A name running right up to the end of the buffer, no NUL anywhere. */
	memset(&a, 0, sizeof(a));
	f[F_NAMESIZE] = 7;
	ar_rec(&a, f, "abcdefg", 7, NULL, 0);
	b = exact_copy(a.a_buf, 117);
	newc_iter_init(&it, b, 117);
	struct newc_entry e;
	CHECK_EQ(newc_next(&it, &e), -1);
	CHECK_ERR(it.ni_err, "not NUL-terminated", 110);
	free(b);
}

UNIT_TEST(filesize_past_the_end)
{
	static const uint32_t sizes[] = { 0, 1, 4, 0x10000, 0x7fffffff, 0xfffffff0, 0xffffffff };
	static struct ar a;
	struct newc_iter it;
	uint8_t *b;
	int n;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		/* The last file before the trailer claims the rest and more. */
		ar_sample(&a);
		int r = a.a_nrec - 2;
		size_t datapos = a.a_rec[r] + 128;	/* 110 + 16-byte name, padded */
		uint32_t fs = sizes[i] < 8 ? a.a_len - datapos + 1 + sizes[i] : sizes[i];

		CHECK_EQ(datapos % 4, 0);
		ar_field_hex(&a, r, F_FILESIZE, fs);
		b = exact_copy(a.a_buf, a.a_len);
		CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
		CHECK_EQ(n, r);
		CHECK_ERR(it.ni_err, "file data runs past the end", a.a_rec[r]);
		free(b);
	}
	/* Claiming exactly the rest swallows the trailer: then it is missing. */
	ar_sample(&a);
	int r = a.a_nrec - 2;
	size_t datapos = a.a_rec[r] + 128;
	ar_field_hex(&a, r, F_FILESIZE, a.a_len - datapos);
	b = exact_copy(a.a_buf, a.a_len);
	CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
	CHECK_EQ(n, r + 1);
	CHECK_ERR(it.ni_err, "without a TRAILER", a.a_len);
	free(b);
}

UNIT_TEST(missing_trailer)
{
	static struct ar a;
	struct newc_iter it;
	struct newc_entry e;
	char err[96];
	uint8_t *b;
	int n;

	ar_sample(&a);
	a.a_len = a.a_rec[a.a_nrec - 1];	/* drop the trailer */
	b = exact_copy(a.a_buf, a.a_len);
	CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
	CHECK_EQ(n, 4);
	CHECK_ERR(it.ni_err, "without a TRAILER!!! record", a.a_len);
	/* Files present are found; an absent one is an error, not "absent". */
	CHECK_EQ(newc_find(b, a.a_len, "proc/boot/empty", &e, err, sizeof(err)), 1);
	CHECK_EQ(newc_find(b, a.a_len, "proc/boot/zz", &e, err, sizeof(err)), -1);
	CHECK_ERR(err, "without a TRAILER", a.a_len);
	free(b);
	/* A trailer whose name is misspelt is just another file. */
	ar_sample(&a);
	memcpy(a.a_buf + a.a_rec[a.a_nrec - 1] + 110, "TRAILER!!?", 10);
	b = exact_copy(a.a_buf, a.a_len);
	CHECK_EQ(walk(b, a.a_len, &n, &it), -1);
	CHECK_EQ(n, 5);
	free(b);
}

/* The error text is cut to fit, and a long offset is printed in full. */
UNIT_TEST(error_text_bounds)
{
	static struct ar a;
	struct newc_entry e;
	char err[8];
	uint8_t *b;

	ar_sample(&a);
	a.a_buf[0] = 'x';
	b = exact_copy(a.a_buf, a.a_len);
	memset(err, 'q', sizeof(err));
	CHECK_EQ(newc_find(b, a.a_len, "a", &e, err, 5), -1);
	CHECK_STR(err, "bad ");
	CHECK_EQ(err[5], 'q');
	CHECK_EQ(newc_find(b, a.a_len, "a", &e, err, 1), -1);
	CHECK_STR(err, "");
	CHECK_EQ(newc_find(b, a.a_len, "a", &e, NULL, 96), -1);
	CHECK_EQ(newc_find(b, a.a_len, "a", &e, err, 0), -1);
	free(b);

	/* An iterator past its end, in an exact-size heap object. */
	struct newc_iter *it = malloc(sizeof(*it));
	newc_iter_init(it, "", 0);
	it->ni_off = SIZE_MAX;
	CHECK_EQ(newc_next(it, &e), -1);
	CHECK(strstr(it->ni_err, "at offset 0xffffffffffffffff") != NULL);
	CHECK(strlen(it->ni_err) < sizeof(it->ni_err));
	free(it);
}

/* ---- fuzzing ------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state >> 11;
}

/* Whatever came back must lie inside the buffer. */
static void
check_inside(const uint8_t *b, size_t size, const struct newc_entry *e)
{
	const uint8_t *name = (const uint8_t *)e->ne_name, *data = e->ne_data;
	size_t i, sum = 0;

	CHECK(name >= b + 110 && name < b + size);
	for (i = name - b; i < size && b[i]; i++)
		;
	CHECK(i < size);			/* the NUL is inside */
	CHECK(data >= b && data <= b + size && e->ne_size <= (size_t)(b + size - data));
	for (i = 0; i < e->ne_size; i++)
		sum += data[i];			/* ASan checks every byte */
	(void)sum;
}

static void
exercise(const uint8_t *b, size_t size)
{
	static const char *const paths[] = {
		"proc", "/proc/boot/a", "proc/boot/b", "/proc/boot/empty", "absent", "",
	};
	struct newc_iter it;
	struct newc_entry e;
	size_t last = 0;
	int rc, steps = 0;
	char err[96];

	newc_iter_init(&it, b, size);
	while ((rc = newc_next(&it, &e)) > 0) {
		check_inside(b, size, &e);
		CHECK(it.ni_off >= last + 112);	/* progress: no endless walk */
		last = it.ni_off;
		CHECK(++steps < 1000);
	}
	if (rc == 0)
		check_inside(b, size, &e);
	else
		CHECK(err_offset(it.ni_err) >= 0);
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		err[0] = '\0';
		rc = newc_find(b, size, paths[i], &e, err, 1 + rnd() % sizeof(err));
		if (rc > 0)
			check_inside(b, size, &e);
		CHECK(rc >= -1 && rc <= 1);
		CHECK(strlen(err) < sizeof(err));
	}
}

UNIT_TEST(fuzz)
{
	static const uint32_t words[] = { 0, 1, 2, 3, 4, 5, 11, 0x70, 0x100, 0x7fffffff,
	    0x80000000, 0xfffffffc, 0xffffffff };
	static struct ar a;

	if (getenv("NEWC_FUZZ_SEED"))
		rng_state = strtoull(getenv("NEWC_FUZZ_SEED"), NULL, 0) | 1;
	ar_sample(&a);
	for (int iter = 0; iter < FUZZ_ITERS; iter++) {
		uint8_t m[sizeof(a.a_buf)];
		size_t size = a.a_len;
		int nmut = 1 + rnd() % 4;

		memcpy(m, a.a_buf, a.a_len);
		for (int k = 0; k < nmut; k++) {
			size_t rec = a.a_rec[rnd() % a.a_nrec];
			char digits[9];

			switch (rnd() % 4) {
			case 0:		/* a random byte anywhere */
				m[rnd() % a.a_len] = rnd();
				break;
			case 1:		/* one hex digit of a header changed to another */
				m[rec + 6 + rnd() % (13 * 8)] = "0123456789abcdefABCDEF"[rnd() % 22];
				break;
			case 2:		/* a size field set to an edge value */
				snprintf(digits, sizeof(digits), "%08x", rnd() & 1 ?
				    words[rnd() % ARRAY_SIZE(words)] : rnd() % 0x200);
				memcpy(m + rec + 6 + 8 * (rnd() & 1 ? F_NAMESIZE : F_FILESIZE), digits, 8);
				break;
			default:	/* cut short */
				size = rnd() % (size + 1);
				break;
			}
		}
		uint8_t *b = exact_copy(m, size);
		exercise(b, size);
		free(b);
	}
}
