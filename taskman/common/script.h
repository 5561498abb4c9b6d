/*
 * taskman/common/script.h - the startup script's parser (the
 * [+script] file of the boot image's build file, /proc/boot/startup).
 *
 * The syntax is a small subset of QNX's build-file script
 * (docs/taskman.md, "The startup script"); one command a line:
 *
 *	# comment			(also after a command, from a word starting with #)
 *	NAME=value			set a variable in later commands' environment
 *	prog arg ... [&]		run prog (no '/': /proc/boot/prog), wait for it
 *					to end unless the line ends with '&'
 *	waitfor path [seconds]		wait until path exists (default 10 s)
 *	display_msg text ...		print the rest of the line
 *	reopen [path]			later programs start with path (default
 *					/dev/console) open as fds 0, 1 and 2
 *	[+session] prog arg ... [&]	run prog as the leader of a new session
 *					whose controlling terminal is the
 *					reopen path (which must be set)
 *	shutdown [status|$?]		power off with status (default 0; $?: the
 *					last waited-for command's exit code, or
 *					128 + signal if a signal ended it)
 *
 * Words are separated by blanks; '...' quotes literally, "..." quotes
 * with \" and \\ escapes.  Generic (no kernel calls).
 */
#ifndef TM_SCRIPT_H
#define TM_SCRIPT_H

#include <stddef.h>

enum sc_kind {
	SC_RUN,		/* run sc_argv */
	SC_SETENV,	/* sc_argv[0] is "NAME=value" */
	SC_WAITFOR,	/* sc_argv[0] is the path; sc_seconds */
	SC_DISPLAY,	/* sc_argv[0] is the text */
	SC_SHUTDOWN,	/* sc_status (-1: $?) */
	SC_REOPEN,	/* sc_argv[0] is the path */
};

#define SCRIPT_WAITFOR_DEFAULT	10	/* seconds */
#define SCRIPT_WAITFOR_MAX	3600
#define SCRIPT_ARGS_MAX		64	/* words on one line */

struct sc_cmd {
	enum sc_kind	sc_kind;
	int		sc_line;	/* 1-based, for messages */
	int		sc_bg;		/* the line ended with '&' */
	int		sc_session;	/* SC_RUN: [+session] */
	int		sc_argc;
	char		**sc_argv;	/* sc_argc words, then NULL */
	int		sc_seconds;	/* SC_WAITFOR */
	int		sc_status;	/* SC_SHUTDOWN */
};

struct script {
	struct sc_cmd	*s_cmds;
	int		s_count;
	char		s_err[128];	/* "line N: why" when script_parse fails */
};

/*
 * Parse len bytes of text (not necessarily NUL-terminated; a NUL byte is
 * an error).  0, -1 with s_err set (the first bad line), or -2 out of
 * memory.  script_fini frees it either way.
 */
int script_parse(struct script *s, const char *text, size_t len);
void script_fini(struct script *s);

#endif
