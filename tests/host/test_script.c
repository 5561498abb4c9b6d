// uses: taskman/common/script.c
/*
 * Host tests of the startup script parser (taskman/common/script.c):
 * commands, background '&', quoting, built-ins, environment lines, and
 * errors that name the line.
 */
#include "unit.h"
#include "../../taskman/common/script.h"

static int
parse(struct script *s, const char *text)
{
	return script_parse(s, text, strlen(text));
}

UNIT_TEST(commands_and_builtins)
{
	struct script s;
	const char *text =
	    "# the startup script\n"
	    "\n"
	    "PATH=/proc/boot\n"
	    "devc-ser -b 115200 &   # console\n"
	    "waitfor /dev/ser1 5\n"
	    "waitfor /dev/null\n"
	    "display_msg   Welcome  to QSOE's \"test\n"
	    "echo 'a b' \"c \\\"d\\\"\" e\n"
	    "shutdown $?\n"
	    "shutdown 3\n"
	    "shutdown";

	CHECK_EQ(parse(&s, text), 0);
	CHECK_EQ(s.s_count, 9);
	CHECK_EQ(s.s_cmds[0].sc_kind, SC_SETENV);
	CHECK_STR(s.s_cmds[0].sc_argv[0], "PATH=/proc/boot");
	CHECK_EQ(s.s_cmds[1].sc_kind, SC_RUN);
	CHECK_EQ(s.s_cmds[1].sc_bg, 1);
	CHECK_EQ(s.s_cmds[1].sc_argc, 3);
	CHECK_STR(s.s_cmds[1].sc_argv[2], "115200");
	CHECK(s.s_cmds[1].sc_argv[3] == NULL);
	CHECK_EQ(s.s_cmds[1].sc_line, 4);
	CHECK_EQ(s.s_cmds[2].sc_kind, SC_WAITFOR);
	CHECK_EQ(s.s_cmds[2].sc_seconds, 5);
	CHECK_STR(s.s_cmds[2].sc_argv[1], "/dev/ser1");
	CHECK_EQ(s.s_cmds[3].sc_seconds, SCRIPT_WAITFOR_DEFAULT);
	CHECK_EQ(s.s_cmds[4].sc_kind, SC_DISPLAY);
	CHECK_STR(s.s_cmds[4].sc_argv[0], "Welcome  to QSOE's \"test");
	CHECK_EQ(s.s_cmds[5].sc_bg, 0);
	CHECK_EQ(s.s_cmds[5].sc_argc, 4);
	CHECK_STR(s.s_cmds[5].sc_argv[1], "a b");
	CHECK_STR(s.s_cmds[5].sc_argv[2], "c \"d\"");
	CHECK_EQ(s.s_cmds[6].sc_kind, SC_SHUTDOWN);
	CHECK_EQ(s.s_cmds[6].sc_status, -1);
	CHECK_EQ(s.s_cmds[7].sc_status, 3);
	CHECK_EQ(s.s_cmds[8].sc_status, 0);
	script_fini(&s);
}

static int
fails_at(const char *text, const char *want)
{
	struct script s;
	int rc = parse(&s, text), ok = rc == -1 && strstr(s.s_err, want) != NULL;

	if (!ok)
		printf("rc %d, \"%s\", wanted \"%s\"\n", rc, s.s_err, want);
	script_fini(&s);
	return ok;
}

UNIT_TEST(errors_name_the_line)
{
	CHECK(fails_at("a\nb 'open\n", "line 2: unterminated quote"));
	CHECK(fails_at("waitfor\n", "line 1: usage: waitfor"));
	CHECK(fails_at("waitfor dev\n", "line 1: usage: waitfor"));
	CHECK(fails_at("\n\nwaitfor /x 99999\n", "line 3: waitfor: bad number"));
	CHECK(fails_at("waitfor /x -1\n", "line 1: waitfor: bad number"));
	CHECK(fails_at("shutdown 256\n", "line 1: shutdown: status"));
	CHECK(fails_at("shutdown x\n", "line 1: shutdown: status"));
	CHECK(fails_at("shutdown 1 2\n", "line 1: usage: shutdown"));
	CHECK(fails_at("&\n", "line 1: '&' without a command"));
	CHECK(fails_at("a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h "
	    "i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o\n", "too many words"));
	char nul[] = "ok\nbad\0line\n";
	struct script s;
	CHECK_EQ(script_parse(&s, nul, sizeof(nul) - 1), -1);
	CHECK(strstr(s.s_err, "line 2: NUL byte") != NULL);
	script_fini(&s);
	char *big = malloc(3000);
	memset(big, 'x', 2999);
	big[2999] = '\0';
	CHECK(fails_at(big, "line 1: too long"));
	free(big);
}

UNIT_TEST(reopen_and_session)
{
	struct script s;

	CHECK_EQ(parse(&s, "reopen\nreopen /dev/ser1\n[+session] sh -i &\n[+session] prog\n"), 0);
	CHECK_EQ(s.s_count, 4);
	CHECK_EQ(s.s_cmds[0].sc_kind, SC_REOPEN);
	CHECK_STR(s.s_cmds[0].sc_argv[0], "/dev/console");
	CHECK_STR(s.s_cmds[1].sc_argv[0], "/dev/ser1");
	CHECK_EQ(s.s_cmds[2].sc_kind, SC_RUN);
	CHECK_EQ(s.s_cmds[2].sc_session, 1);
	CHECK_EQ(s.s_cmds[2].sc_bg, 1);
	CHECK_EQ(s.s_cmds[2].sc_argc, 2);
	CHECK_STR(s.s_cmds[2].sc_argv[0], "sh");
	CHECK_STR(s.s_cmds[2].sc_argv[1], "-i");
	CHECK_EQ(s.s_cmds[3].sc_session, 1);
	CHECK_EQ(s.s_cmds[3].sc_bg, 0);
	script_fini(&s);
	CHECK(fails_at("reopen a\n", "line 1: usage: reopen"));
	CHECK(fails_at("reopen /a /b\n", "line 1: usage: reopen"));
	CHECK(fails_at("x\n[+session]\n", "line 2: [+session] without a command"));
	CHECK(fails_at("[+session] &\n", "line 1: [+session] without a command"));
}

UNIT_TEST(not_assignments)
{
	struct script s;

	CHECK_EQ(parse(&s, "1A=b\n=x\nprog A=b\n"), 0);
	CHECK_EQ(s.s_count, 3);
	CHECK_EQ(s.s_cmds[0].sc_kind, SC_RUN);
	CHECK_EQ(s.s_cmds[1].sc_kind, SC_RUN);
	CHECK_EQ(s.s_cmds[2].sc_kind, SC_RUN);
	script_fini(&s);
}

UNIT_TEST(fuzz_never_crashes)
{
	const char alphabet[] = "ab /&#'\"\\\n\t=$?0123456789waitforshutdown";
	unsigned seed = 99;
	char buf[200];

	for (int iter = 0; iter < 5000; iter++) {
		struct script s;
		size_t n = (size_t)(iter % 200);

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		int rc = script_parse(&s, buf, n);
		CHECK(rc == 0 || (rc == -1 && strncmp(s.s_err, "line ", 5) == 0));
		script_fini(&s);
	}
}
