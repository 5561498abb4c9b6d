// uses: lib/newc/newc.c taskman/common/imagefs.c
/*
 * Host tests of taskman's image file system (taskman/common/imagefs.c):
 * a good archive indexes and looks up; hostile archives (every
 * truncation, corrupted bytes, bad names, missing parents, duplicates,
 * unsupported types) give an error message and never a crash or a read
 * outside the buffer (archives sit in exact-size heap buffers under ASan).
 */
#include "unit.h"
#include "../../taskman/common/imagefs.h"
#include <errno.h>
#include <stdint.h>

/* A tiny newc writer: entries appended to a growing buffer. */
struct ar {
	uint8_t	*a_buf;
	size_t	a_len;
};

static void
ar_put(struct ar *a, const void *p, size_t n)
{
	a->a_buf = realloc(a->a_buf, a->a_len + n + 4);
	memcpy(a->a_buf + a->a_len, p, n);
	a->a_len += n;
	while (a->a_len & 3)
		a->a_buf[a->a_len++] = 0;
}

static void
ar_entry(struct ar *a, const char *name, unsigned mode, const char *data)
{
	char hdr[160];
	size_t dl = data ? strlen(data) : 0, nl = strlen(name) + 1;
	static unsigned ino = 100;

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
	    ino++, mode, 0, 0, 1, 0, (unsigned)dl, 0, 0, 0, 0, (unsigned)nl, 0);
	a->a_buf = realloc(a->a_buf, a->a_len + 110 + nl + 4);
	memcpy(a->a_buf + a->a_len, hdr, 110);
	memcpy(a->a_buf + a->a_len + 110, name, nl);
	a->a_len += 110 + nl;
	while (a->a_len & 3)
		a->a_buf[a->a_len++] = 0;
	if (dl)
		ar_put(a, data, dl);
}

static void
ar_trailer(struct ar *a)
{
	ar_entry(a, "TRAILER!!!", 0, NULL);
}

/* The image of the default boot: proc, proc/boot, two files, a link. */
static struct ar
good_archive(void)
{
	struct ar a = { 0 };

	ar_entry(&a, "proc", 0040755, NULL);
	ar_entry(&a, "proc/boot", 0040755, NULL);
	ar_entry(&a, "proc/boot/motd", 0100644, "hello\n");
	ar_entry(&a, "proc/boot/startup", 0100644, "display_msg hi\n");
	ar_entry(&a, "tmp", 0040755, NULL);
	ar_entry(&a, "proc/boot/sh", 0120777, "/proc/boot/mksh");
	ar_trailer(&a);
	return a;
}

static uint8_t *
exact_copy(const void *src, size_t n)
{
	uint8_t *b = malloc(n ? n : 1);

	memcpy(b, src, n);
	return b;
}

UNIT_TEST(good_image_indexes)
{
	struct ar a = good_archive();
	struct imagefs fs;
	const struct imagefs_node *n;

	CHECK_EQ(imagefs_init(&fs, a.a_buf, a.a_len), 0);
	CHECK_EQ(fs.if_count, 7);
	n = imagefs_lookup(&fs, "/proc/boot/motd");
	CHECK(n != NULL);
	CHECK_EQ(n->in_size, 6);
	CHECK(memcmp(n->in_data, "hello\n", 6) == 0);
	CHECK_STR(imagefs_basename(n), "motd");
	CHECK(imagefs_lookup(&fs, "proc//boot/motd/") == n);
	CHECK(imagefs_lookup(&fs, "/proc/boot/mot") == NULL);
	CHECK(imagefs_lookup(&fs, "/proc/boot/motdx") == NULL);
	CHECK(imagefs_lookup(&fs, "/") == &fs.if_nodes[0]);
	n = imagefs_lookup(&fs, "/proc/boot/sh");
	CHECK(n && (n->in_mode & IMAGEFS_MODE_TYPE) == IMAGEFS_MODE_LNK);
	imagefs_fini(&fs);
	free(a.a_buf);
}

UNIT_TEST(readdir_lists_children)
{
	struct ar a = good_archive();
	struct imagefs fs;
	const struct imagefs_node *d, *n;
	int i = 0, next, count = 0;
	char names[128] = "";

	CHECK_EQ(imagefs_init(&fs, a.a_buf, a.a_len), 0);
	d = imagefs_lookup(&fs, "/proc/boot");
	CHECK(d != NULL);
	while ((n = imagefs_readdir(&fs, d, i, &next)) != NULL) {
		strcat(names, imagefs_basename(n));
		strcat(names, " ");
		count++;
		i = next;
	}
	CHECK_EQ(count, 3);
	CHECK_STR(names, "motd startup sh ");
	/* The root holds proc and tmp. */
	CHECK(imagefs_readdir(&fs, &fs.if_nodes[0], 0, &next) == imagefs_lookup(&fs, "proc"));
	CHECK(imagefs_readdir(&fs, &fs.if_nodes[0], next, &next) == imagefs_lookup(&fs, "tmp"));
	CHECK(imagefs_readdir(&fs, &fs.if_nodes[0], next, &next) == NULL);
	imagefs_fini(&fs);
	free(a.a_buf);
}

/* Every prefix of a good archive is refused with a message, without a crash. */
UNIT_TEST(every_truncation_fails_cleanly)
{
	struct ar a = good_archive();

	for (size_t cut = 0; cut < a.a_len; cut++) {
		uint8_t *b = exact_copy(a.a_buf, cut);
		struct imagefs fs;
		int rc = imagefs_init(&fs, b, cut);

		if (rc != -1)
			unit_fail(__FILE__, __LINE__, "cut at %zu: rc %d", cut, rc);
		CHECK(fs.if_err[0] != '\0');
		imagefs_fini(&fs);
		free(b);
	}
	free(a.a_buf);
}

/* Flipping any byte of the headers gives either a valid image or an error. */
UNIT_TEST(corrupted_bytes_never_crash)
{
	struct ar a = good_archive();
	unsigned seed = 12345;

	for (int iter = 0; iter < 3000; iter++) {
		uint8_t *b = exact_copy(a.a_buf, a.a_len);
		struct imagefs fs;

		for (int k = 0; k < 1 + iter % 3; k++) {
			seed = seed * 1103515245 + 12345;
			b[(seed >> 8) % a.a_len] ^= (uint8_t)(1 + (seed >> 20) % 255);
		}
		int rc = imagefs_init(&fs, b, a.a_len);
		CHECK(rc == 0 || (rc == -1 && fs.if_err[0]));
		if (rc == 0)
			(void)imagefs_lookup(&fs, "/proc/boot/motd");
		imagefs_fini(&fs);
		free(b);
	}
	free(a.a_buf);
}

static int
init_error(struct ar *a, const char *want)
{
	struct imagefs fs;
	uint8_t *b = exact_copy(a->a_buf, a->a_len);
	int rc = imagefs_init(&fs, b, a->a_len);
	int ok = rc == -1 && strstr(fs.if_err, want) != NULL;

	if (!ok)
		printf("rc %d, error \"%s\", wanted \"%s\"\n", rc, fs.if_err, want);
	imagefs_fini(&fs);
	free(b);
	free(a->a_buf);
	return ok;
}

UNIT_TEST(bad_names_are_refused)
{
	const char *bad[] = { "proc/../etc", "./proc", "proc//boot", "proc/", "/abs" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ar a = { 0 };

		ar_entry(&a, "proc", 0040755, NULL);
		ar_entry(&a, bad[i], 0100644, "x");
		ar_trailer(&a);
		CHECK(init_error(&a, "bad name"));
	}
}

UNIT_TEST(structure_errors_are_refused)
{
	struct ar a = { 0 };

	ar_entry(&a, "proc/boot/x", 0100644, "x");
	ar_trailer(&a);
	CHECK(init_error(&a, "no parent directory"));

	a = (struct ar){ 0 };
	ar_entry(&a, "x", 0100644, "1");
	ar_entry(&a, "x", 0100644, "2");
	ar_trailer(&a);
	CHECK(init_error(&a, "twice"));

	a = (struct ar){ 0 };
	ar_entry(&a, "dev", 0020644, NULL);	/* a character device */
	ar_trailer(&a);
	CHECK(init_error(&a, "unsupported file type"));

	a = (struct ar){ 0 };
	ar_entry(&a, "x", 0100644, "1");	/* no trailer */
	CHECK(init_error(&a, ""));

	a = (struct ar){ 0 };
	ar_entry(&a, "f", 0100644, "1");
	ar_entry(&a, "f/g", 0100644, "2");	/* parent is not a directory */
	ar_trailer(&a);
	CHECK(init_error(&a, "no parent directory"));
}

UNIT_TEST(empty_archive_is_just_a_root)
{
	struct ar a = { 0 };
	struct imagefs fs;

	ar_trailer(&a);
	CHECK_EQ(imagefs_init(&fs, a.a_buf, a.a_len), 0);
	CHECK_EQ(fs.if_count, 1);
	CHECK(imagefs_lookup(&fs, "/proc/boot/taskman") == NULL);
	imagefs_fini(&fs);
	free(a.a_buf);
	CHECK_EQ(imagefs_init(&fs, "", 0), -1);
	imagefs_fini(&fs);
}

/* imagefs_follow: absolute and relative targets, chains, loops, dangling links. */
UNIT_TEST(follow_resolves_links)
{
	struct ar a = { 0 };
	struct imagefs fs;
	const struct imagefs_node *n = NULL, *tb;
	char longt[1100];

	ar_entry(&a, "proc", 0040755, NULL);
	ar_entry(&a, "proc/boot", 0040755, NULL);
	ar_entry(&a, "proc/boot/toybox", 0100755, "\177ELF");
	ar_entry(&a, "proc/boot/ls", 0120777, "/proc/boot/toybox");
	ar_entry(&a, "proc/boot/cat", 0120777, "toybox");	/* relative to proc/boot */
	ar_entry(&a, "proc/boot/dog", 0120777, "cat");		/* a chain */
	ar_entry(&a, "proc/boot/loop1", 0120777, "loop2");
	ar_entry(&a, "proc/boot/loop2", 0120777, "/proc/boot/loop1");
	ar_entry(&a, "proc/boot/dangling", 0120777, "nothing");
	memset(longt, 'x', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = '\0';
	ar_entry(&a, "proc/boot/long", 0120777, longt);
	ar_entry(&a, "top", 0120777, "proc/boot/ls");		/* a link in the root */
	ar_trailer(&a);
	CHECK_EQ(imagefs_init(&fs, a.a_buf, a.a_len), 0);
	tb = imagefs_lookup(&fs, "/proc/boot/toybox");
	CHECK(tb != NULL);
	CHECK_EQ(imagefs_follow(&fs, "/proc/boot/toybox", &n), 0);
	CHECK(n == tb);
	n = NULL;
	CHECK_EQ(imagefs_follow(&fs, "/proc/boot/ls", &n), 0);
	CHECK(n == tb);
	n = NULL;
	CHECK_EQ(imagefs_follow(&fs, "/proc/boot/cat", &n), 0);
	CHECK(n == tb);
	n = NULL;
	CHECK_EQ(imagefs_follow(&fs, "proc/boot/dog", &n), 0);
	CHECK(n == tb);
	n = NULL;
	CHECK_EQ(imagefs_follow(&fs, "/top", &n), 0);
	CHECK(n == tb);
	CHECK_EQ(imagefs_follow(&fs, "/proc/boot", &n), 0);	/* not a link: itself */
	CHECK(n == imagefs_lookup(&fs, "/proc/boot"));
	CHECK_EQ(imagefs_follow(&fs, "/proc/boot/loop1", &n), -ELOOP);
	CHECK_EQ(imagefs_follow(&fs, "/proc/boot/dangling", &n), -ENOENT);
	CHECK_EQ(imagefs_follow(&fs, "/proc/boot/none", &n), -ENOENT);
	CHECK_EQ(imagefs_follow(&fs, "/proc/boot/long", &n), -ENAMETOOLONG);
	imagefs_fini(&fs);
	free(a.a_buf);
}
