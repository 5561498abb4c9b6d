/*
 * shtest - the shell (mksh, /proc/boot/sh; docs/shell.md) run
 * non-interactively: each test runs `sh -c SCRIPT` (or a script on stdin)
 * with stdout and stderr into one pipe and checks the exact output and the
 * wait status.  Runs under taskman; its script starts devnull and pipe.
 * The interactive side (job control, ^C, line editing) is tested through
 * the console (docs/testing.md).
 *
 * `shtest args A B ...` prints its arguments one per line, in brackets:
 * the external program the quoting tests run.  `shtest slog SEV TEXT`
 * logs TEXT with slogf; `shtest asuser UID CMD ARGS...` runs CMD as user
 * UID; `shtest sched` prints its priority, policy and CPU (ThreadInfo);
 * `shtest alloc N` mallocs and touches N MiB (prints ENOMEM or allocated).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/slog.h>
#include <sys/wait.h>
#include "ltest.h"

#define SH	"/proc/boot/sh"
#define SELF	"/proc/boot/shtest"

extern char **environ;

static char out[8192];
static int out_len;

/*
 * Run `sh ARGV...` with `in` (or nothing) on stdin and stdout+stderr
 * captured into out[]; returns the wait status, or -1.
 */
static int
run_sh(char *const argv[], const char *in)
{
	posix_spawn_file_actions_t fa;
	int po[2], pi[2], st = -1;
	pid_t pid;
	ssize_t n;

	if (pipe(po) < 0 || pipe(pi) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pi[0], 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, po[1], 2);
	posix_spawn_file_actions_addclose(&fa, po[0]);
	posix_spawn_file_actions_addclose(&fa, pi[1]);
	if (posix_spawn(&pid, SH, &fa, 0, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pi[0]);
	if (pid < 0) {
		close(po[0]);
		close(pi[1]);
		return -1;
	}
	if (in != NULL)
		(void)!write(pi[1], in, strlen(in));
	close(pi[1]);
	out_len = 0;
	while ((n = read(po[0], out + out_len, sizeof(out) - 1 - out_len)) > 0)
		out_len += (int)n;
	out[out_len] = '\0';
	close(po[0]);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static int
sh_c(const char *script)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };

	return run_sh(argv, NULL);
}

/* Record a mismatch with both strings, newlines shown as \n. */
static void
show(char *dst, size_t size, const char *s)
{
	size_t j = 0;

	for (; *s != '\0' && j + 3 < size; s++) {
		if (*s == '\n') {
			dst[j++] = '\\';
			dst[j++] = 'n';
		} else {
			dst[j++] = *s;
		}
	}
	dst[j] = '\0';
}

#define SH_EXPECT(script, want_out, want_code) do {			\
	int __st = sh_c(script);					\
	if (!WIFEXITED(__st) || WEXITSTATUS(__st) != (want_code) ||	\
	    strcmp(out, want_out) != 0) {				\
		char __g[96], __w[96];					\
		show(__g, sizeof(__g), out);				\
		show(__w, sizeof(__w), want_out);			\
		snprintf(lt_reason, sizeof(lt_reason),			\
		    "%d: status %#x, out \"%s\" (want %d, \"%s\")",	\
		    __LINE__, __st, __g, want_code, __w);		\
		return -1;						\
	}								\
} while (0)

/*
 * What a shell does for $(...) and pipelines, in C: fork, a pipe, dup2
 * and close in the child while the parent closes its write end at once.
 */
LTEST(libc, fork_pipe)
{
	int p[2], st;
	char b[16];
	pid_t pid;

	LT_EQ(pipe(p), 0);
	LT_CHECK(p[0] > 2 && p[1] > 2);
	pid = fork();
	LT_CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], 1) != 1)
			_exit(10);
		close(p[1]);
		_exit(write(1, "abc", 3) == 3 ? 0 : 11);
	}
	close(p[1]);
	LT_EQ(read(p[0], b, sizeof(b)), 3);
	LT_CHECK(memcmp(b, "abc", 3) == 0);
	LT_EQ(read(p[0], b, sizeof(b)), 0);
	close(p[0]);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	return 0;
}

LTEST(sh, echo)
{
	SH_EXPECT("echo hello world", "hello world\n", 0);
	SH_EXPECT("print -r -- 'a\\tb'", "a\\tb\n", 0);
	return 0;
}

LTEST(sh, exit_status)
{
	SH_EXPECT("exit 3", "", 3);
	SH_EXPECT("false; echo $?", "1\n", 0);
	SH_EXPECT("true && echo yes || echo no", "yes\n", 0);
	SH_EXPECT("false && echo yes || echo no", "no\n", 0);
	SH_EXPECT("(exit 9); echo $?", "9\n", 0);
	return 0;
}

LTEST(sh, variables_and_arith)
{
	SH_EXPECT("x=5; y=$((x * 3 + 1)); echo $y ${#y} ${z:-unset}", "16 2 unset\n", 0);
	SH_EXPECT("set -- a 'b c' d; echo $# \"$2\"", "3 b c\n", 0);
	SH_EXPECT("s=abcdef; echo ${s#ab} ${s%ef} ${s:1:3}", "cdef abcd bcd\n", 0);
	return 0;
}

LTEST(sh, control_flow)
{
	SH_EXPECT("for i in 1 2 3; do echo -n $i; done; echo", "123\n", 0);
	SH_EXPECT("i=0; while [ $i -lt 4 ]; do i=$((i+1)); done; echo $i", "4\n", 0);
	SH_EXPECT("case foo.c in *.h) echo h;; *.c) echo c;; esac", "c\n", 0);
	SH_EXPECT("f() { echo in-f \"$1\"; return 4; }; f arg; echo $?", "in-f arg\n4\n", 0);
	return 0;
}

/* Command substitution forks a subshell and reads it through a pipe. */
LTEST(sh, command_substitution)
{
	SH_EXPECT("a=$(echo sub; echo line2); echo \"[$a]\"", "[sub\nline2]\n", 0);
	SH_EXPECT("echo `echo back`-$(echo $(echo nested))", "back-nested\n", 0);
	return 0;
}

/* Pipelines: every element but the last is a forked child. */
LTEST(sh, pipelines)
{
	SH_EXPECT("echo one | { read x; echo got $x; }", "got one\n", 0);
	/* Five processes: four shells read, append and pass a line on. */
	SH_EXPECT("echo x | sh -c 'read l; echo $l.1' | sh -c 'read l; echo $l.2' |"
	    " sh -c 'read l; echo $l.3' | sh -c 'read l; echo $l.4'", "x.1.2.3.4\n", 0);
	/* A pipeline's status is its last command's; ! inverts it. */
	SH_EXPECT("true | false; echo $?; ! false | true; echo $?", "1\n1\n", 0);
	return 0;
}

LTEST(sh, tmpfiles)
{
	SH_EXPECT("read x <<EOF\nhere $((1+2))\nEOF\necho $x", "here 3\n", 0);
	SH_EXPECT("echo one >/tmp/f; echo two >>/tmp/f; while read l; do echo $l; done </tmp/f",
	    "one\ntwo\n", 0);
	SH_EXPECT("mkdir /tmp/d; cd /tmp && echo [df]", "d f\n", 0);	/* toybox's mkdir */
	SH_EXPECT("test -w /tmp/f && test -d /tmp && test ! -e /tmp/none && echo ok", "ok\n", 0);
	/* Programs start in the shell's directory: spawned, forked and exec'd. */
	SH_EXPECT("mkdir -p /tmp/cw && cd /tmp/cw && echo x >here && ls && cat here && "
	    "sh -c 'ls; (exec ls); cd /tmp && ls -d cw'", "here\nx\nhere\nhere\ncw\n", 0);
	return 0;
}

/* Scripts outside the image: "#!" (libc's, as Linux's binfmt_script), and without it (mksh's). */
LTEST(sh, scripts)
{
	SH_EXPECT("mkdir /tmp/sc; printf 'echo plain $1\\n' >/tmp/sc/s1; chmod +x /tmp/sc/s1; /tmp/sc/s1 one",
	    "plain one\n", 0);
	SH_EXPECT("printf '#!/bin/sh\\necho bang $0 $1\\nexit 5\\n' >/tmp/sc/s2; chmod 755 /tmp/sc/s2; "
	    "cd /tmp/sc && ./s2 x", "bang ./s2 x\n", 5);
	SH_EXPECT("printf '#!  /proc/boot/echo   -n  \\n' >/tmp/sc/s3; chmod +x /tmp/sc/s3; /tmp/sc/s3 a b",
	    "/tmp/sc/s3 a b", 0);		/* one argument, trimmed: echo -n */
	SH_EXPECT("printf '#!/tmp/sc/s2\\n' >/tmp/sc/s4; chmod +x /tmp/sc/s4; /tmp/sc/s4 y",
	    "bang /tmp/sc/s2 /tmp/sc/s4\n", 5);		/* an interpreter that is a script */
	SH_EXPECT("chmod 644 /tmp/sc/s2; /tmp/sc/s2", "E: sh: /tmp/sc/s2: can't execute: Permission denied\n", 126);
	SH_EXPECT("printf '#!/no/such\\n' >/tmp/sc/s5; chmod +x /tmp/sc/s5; /tmp/sc/s5",
	    "E: sh: /tmp/sc/s5: No such file or directory\n", 126);	/* the interpreter */
	SH_EXPECT("/bin/sh -c 'echo via /bin/sh'", "via /bin/sh\n", 0);
	return 0;
}

/* ELF programs outside the image: libc reads the file and taskman loads the copy. */
LTEST(sh, elf_outside_the_image)
{
	SH_EXPECT("mkdir -p /tmp/el; cp /proc/boot/sh /tmp/el/elf; chmod +x /tmp/el/elf; "
	    "/tmp/el/elf -c 'echo yes $0'", "yes /tmp/el/elf\n", 0);
	SH_EXPECT("cd /tmp/el && ./elf -c 'exit 4'", "", 4);			/* relative */
	SH_EXPECT("PATH=/tmp/el:$PATH; elf -c 'echo by PATH'", "by PATH\n", 0);	/* PATH */
	SH_EXPECT("exec /tmp/el/elf -c 'echo exec'", "exec\n", 0);		/* exec */
	SH_EXPECT("chmod 644 /tmp/el/elf; /tmp/el/elf -c 'echo no'",
	    "E: sh: /tmp/el/elf: can't execute: Permission denied\n", 126);
	SH_EXPECT("/tmp/el", "E: sh: /tmp/el: can't execute: Is a directory\n", 126);	/* mksh checks */
	SH_EXPECT("/bin/sh -c 'echo via /bin/sh'", "via /bin/sh\n", 0);
	return 0;
}

/* system() and popen() run /bin/sh -c. */
LTEST(sh, system_and_popen)
{
	char line[32];
	FILE *f;

	LT_EQ(WEXITSTATUS(system("exit 3")), 3);
	LT_CHECK(system(NULL) != 0);			/* a shell exists */
	f = popen("echo from-popen", "r");
	LT_CHECK(f != NULL);
	LT_CHECK(fgets(line, sizeof(line), f) && strcmp(line, "from-popen\n") == 0);
	LT_EQ(pclose(f), 0);
	return 0;
}

/* A named FIFO (toybox's mkfifo; fs-ram's name, the pipe manager's data). */
LTEST(sh, fifo)
{
	SH_EXPECT("mkfifo /tmp/p; cat /tmp/p & echo hi > /tmp/p; wait", "hi\n", 0);
	SH_EXPECT("mkfifo -m 600 /tmp/q && ls -l /tmp/q | cut -c1-10 && test -p /tmp/q && "
	    "echo fifo", "prw-------\nfifo\n", 0);
	SH_EXPECT("(echo one; echo two) >/tmp/q & while read l; do echo got $l; done </tmp/q; wait",
	    "got one\ngot two\n", 0);
	SH_EXPECT("mkfifo /tmp/q", "mkfifo: /tmp/q: File exists\n", 1);
	SH_EXPECT("rm /tmp/p /tmp/q && ls /tmp/p", "ls: /tmp/p: No such file or directory\n", 1);
	return 0;
}

LTEST(sh, redirections)
{
	SH_EXPECT("echo hidden >/dev/null; echo shown", "shown\n", 0);
	SH_EXPECT("{ echo to-err >&2; } 2>&1", "to-err\n", 0);
	SH_EXPECT("read x </dev/null; echo $?", "1\n", 0);
	SH_EXPECT("exec 3>&1; echo via-3 >&3; exec 3>&-; echo >&3", "via-3\n"
	    "W: sh: >&3 : bad file descriptor\n", 1);
	SH_EXPECT("cat </nonexistent/file", "W: sh: /nonexistent/file: open: No such file or directory\n", 1);
	return 0;
}

/* Programs from the image, with argv quoting kept exact. */
LTEST(sh, external_programs)
{
	SH_EXPECT(SELF " args 'a b' \"c\"'d' '' e", "[a b]\n[cd]\n[]\n[e]\n", 0);
	SH_EXPECT("PATH=/proc/boot; shtest args $((6*7))", "[42]\n", 0);
	SH_EXPECT("v=val " SELF " env v", "[val]\n", 0);
	SH_EXPECT("nonexistent_cmd_xyz; echo $?", "E: sh: nonexistent_cmd_xyz: inaccessible or not found\n127\n", 0);
	SH_EXPECT("/proc/boot/motd; echo $?", "E: sh: /proc/boot/motd: can't execute: Permission denied\n126\n", 0);
	return 0;
}

LTEST(sh, background_and_wait)
{
	SH_EXPECT("(exit 5) & wait $!; echo $?", "5\n", 0);
	SH_EXPECT("echo a & wait; echo b", "a\nb\n", 0);
	SH_EXPECT("(exit 2) & p=$!; (exit 3) & q=$!; wait $q; echo $?; wait $p; echo $?",
	    "3\n2\n", 0);
	return 0;
}

LTEST(sh, signals_and_traps)
{
	int st;

	SH_EXPECT("trap 'echo trapped' USR1; kill -USR1 $$; echo after", "trapped\nafter\n", 0);
	SH_EXPECT("trap 'echo bye' EXIT; exit 4", "bye\n", 4);
	/* mksh catches SIGTERM (to clean up) and exits with 128 + 15 */
	SH_EXPECT("kill -TERM $$; echo not-reached", "", 143);
	st = sh_c("kill -KILL $$; echo not-reached");
	LT_CHECK(WIFSIGNALED(st));
	LT_EQ(WTERMSIG(st), SIGKILL);
	LT_EQ(out_len, 0);
	SH_EXPECT("sh -c 'kill -KILL $$'; echo $?", "Killed \n137\n", 0);
	return 0;
}

LTEST(sh, cd_and_pwd)
{
	/* The image's directories and the names servers attach, from "/" down. */
	SH_EXPECT("cd / && echo *", "bin dev etc mnt proc tmp\n", 0);
	SH_EXPECT("cd /dev && echo *", "full null pipe random shmem urandom zero\n", 0);
	SH_EXPECT("cd /proc && echo [a-z]*", "boot mounts self\n", 0);
	SH_EXPECT("test -d /proc/$$ && test $(readlink /proc/self) != $$ && echo ok", "ok\n", 0);
	SH_EXPECT("echo /proc/boot/sht*", "/proc/boot/shtest /proc/boot/shtest.script\n", 0);
	SH_EXPECT("cd /proc/boot && pwd && cd .. && pwd", "/proc/boot\n/proc\n", 0);
	SH_EXPECT("cd /nonexistent; echo $?", "E: sh: cd: /nonexistent: No such file or directory\n2\n", 0);
	return 0;
}

/* mksh's ulimit over taskman's resource limits (docs/taskman.md). */
LTEST(sh, ulimit)
{
	SH_EXPECT("ulimit -n; ulimit -v; ulimit -c", "256\nunlimited\n0\n", 0);
	/* Set both limits; a child (cat) inherits them. */
	SH_EXPECT("ulimit -n 5; ulimit -n; grep 'open files' /proc/self/limits",
	    "5\nMax open files            5                    5                    files\n", 0);
	SH_EXPECT("ulimit -n 4; exec 3</dev/null; echo $?; exec 4</dev/null", "0\n"
	    "W: sh: /dev/null: open: No file descriptors available\nE: sh: redirection failure\n", 1);
	SH_EXPECT("ulimit -v 16384; ulimit -v; shtest alloc 32; echo $?; shtest alloc 1", "16384\nENOMEM\n1\nallocated\n", 0);
	SH_EXPECT("ulimit -Sv 16384; ulimit -Hv", "unlimited\n", 0);
	/* uid 1000 may lower a hard limit, not raise it (mksh itself refuses first). */
	SH_EXPECT("shtest asuser 1000 sh -c 'ulimit -n 100; ulimit -H -n 200; echo $?; ulimit -Hn'",
	    "E: sh: ulimit: 200 exceeds allowable nofiles(descriptors) limit\n1\n100\n", 0);
	/* A hard limit below the soft one is EINVAL, as on Linux. */
	SH_EXPECT("ulimit -H -n 100; echo $?",
	    "E: sh: ulimit: bad nofiles(descriptors) limit: Invalid argument\n1\n", 0);
	return 0;
}

/* QSOE's own utilities (utils/) from the shell. */
LTEST(utils, pidin_slay_waitfor)
{
	SH_EXPECT("pidin -p 1 family | { read h; read pid ppid rest; echo $pid $ppid; }", "1 0\n", 0);
	/* This program is REPLY-blocked on the pipe it reads sh's output from. */
	SH_EXPECT("pidin -p shtest | { read h; read pid tid name prio state rest; echo $name $state; }",
	    "shtest REPLY\n", 0);
	SH_EXPECT("pidin -p sh | { read h; read pid tid name rest; echo $name; }", "sh\n", 0);
	/* A program exec'd by a forked shell names its thread after itself, not sh. */
	SH_EXPECT("pidin -p pidin | { read h; read pid tid name prio state tname; echo $name $tname; }",
	    "pidin pidin\n", 0);
	SH_EXPECT("pidin -p nosuch", "     pid tid name               prio STATE       name\n"
	    "pidin: no process nosuch\n", 1);
	SH_EXPECT("pidin bogus", "usage: pidin [-p pid|name] [threads|family|mem|times|arg]\n", 2);
	SH_EXPECT("waitfor /dev/null 1; echo $?; waitfor /nope 0.1; echo $?",
	    "0\nwaitfor: /nope: not there after 0.1 s\n1\n", 0);
	/* (slay once the child has exec'd waitfor: until then it is an sh) */
	SH_EXPECT("waitfor /nope 30 & until pidin -p waitfor >/dev/null 2>&1; do :; done;"
	    " slay waitfor; echo $?; wait $!; echo $?", "0\nTerminated \n143\n", 0);
	SH_EXPECT("waitfor /nope 30 & until pidin -p waitfor >/dev/null 2>&1; do :; done;"
	    " slay -s KILL waitfor; wait $!; echo $?", "Killed \n137\n", 0);
	SH_EXPECT("slay nosuch; echo $?", "slay: unable to find process(es) nosuch\n1\n", 0);
	SH_EXPECT("slay -s BOGUS x; echo $?", "slay: unknown signal BOGUS\n2\n", 0);
	SH_EXPECT("shutdown 300; echo $?", "usage: shutdown [-S halt|reboot] [status]\n2\n", 0);
	return 0;
}

/* The system log from the shell: slogf entries, filters, following, clearing. */
LTEST(utils, sloginfo)
{
	SH_EXPECT("shtest slog 3 'sh-marker one' && sloginfo | grep sh-marker |"
	    " { read mon day time sev name pid text; echo $sev $name $text; }",
	    "3 shtest sh-marker one\n", 0);
	SH_EXPECT("shtest slog 7 dbg-marker; sloginfo -s 6 | grep -c dbg-marker;"
	    " sloginfo -s 7 | grep -c dbg-marker", "0\n1\n", 0);
	/* The time is the RTC's: after 2024. */
	SH_EXPECT("[ \"$(sloginfo | grep dbg-marker | { read mon day rest; echo $mon $day; })\" ="
	    " \"$(date +'%b %d')\" ] && echo same-day", "same-day\n", 0);
	SH_EXPECT("sloginfo -w >/tmp/slw & p=$!; shtest slog 4 follow-1;"
	    " until grep -q follow-1 /tmp/slw; do :; done; shtest slog 2 follow-2;"
	    " until grep -q follow-2 /tmp/slw; do :; done; kill $p; wait $p; echo $?;"
	    " grep follow- /tmp/slw | { while read a b c sev name pid text; do echo $sev $text; done; };"
	    " rm /tmp/slw",
	    "Terminated \n143\n4 follow-1\n2 follow-2\n", 0);
	SH_EXPECT("sloginfo -s 9; echo $?; sloginfo extra; echo $?",
	    "usage: sloginfo [-w] [-c] [-s severity]\n2\n"
	    "usage: sloginfo [-w] [-c] [-s severity]\n2\n", 0);
	SH_EXPECT("shtest asuser 1000 sloginfo -c >/dev/null; echo $?; sloginfo | grep -c dbg-marker",
	    "sloginfo: cannot clear the log: Operation not permitted\n1\n1\n", 0);
	SH_EXPECT("sloginfo -c >/dev/null; echo $?; sloginfo | grep -c marker", "0\n0\n", 1);
	return 0;
}

/* hostname (toybox's) on taskman's sethostname. */
LTEST(utils, hostname)
{
	SH_EXPECT("hostname; hostname shbox && hostname && uname -n; hostname qsoe; hostname",
	    "qsoe\nshbox\nshbox\nqsoe\n", 0);
	SH_EXPECT("shtest asuser 1000 hostname evil; echo $?; hostname",
	    "hostname: set 'evil': Operation not permitted\n1\nqsoe\n", 0);
	SH_EXPECT("hostname 12345678901234567890123456789012345678901234567890123456789012345;"
	    " echo $?; hostname", "hostname: set '12345678901234567890123456789012345678901234567890"
	    "123456789012345': Filename too long\n1\nqsoe\n", 0);
	return 0;
}

/* date shows the RTC's time; date -s sets it for root only. */
LTEST(utils, date)
{
	SH_EXPECT("[ $(date +%Y) -ge 2024 ] && echo after-2024", "after-2024\n", 0);
	SH_EXPECT("t=$(date +%s); date -s '2031-02-03 04:05:06' >/dev/null && date +%Y-%m-%d;"
	    " date -s @$t >/dev/null; [ $(date +%Y) -lt 2031 ] && echo back", "2031-02-03\nback\n", 0);
	SH_EXPECT("shtest asuser 1000 date -s '2031-02-03 04:05:06' >/dev/null; echo $?;"
	    " [ $(date +%Y) -lt 2031 ] && echo unchanged",
	    "date: cannot set date: Operation not permitted\n1\nunchanged\n", 0);
	return 0;
}

/* Whether this machine has a second CPU (a child moves there). */
static int
have_cpu1(void)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(ThreadCtl_r(_NTO_TCTL_RUNMASK, (void *)2UL) == 0 ? 0 : 1);
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* on: a command at a priority and policy, on a CPU. */
LTEST(utils, on)
{
	SH_EXPECT("on -p 15r shtest sched | { read p pol cpu; echo $p $pol; }", "15 2\n", 0);
	SH_EXPECT("on -p 20f shtest sched | { read p pol cpu; echo $p $pol; }", "20 1\n", 0);
	SH_EXPECT("on -p 12 shtest sched | { read p pol cpu; echo $p; }", "12\n", 0);
	SH_EXPECT("on -C 0 shtest sched | { read p pol cpu; echo $cpu; }", "0\n", 0);
	if (have_cpu1()) {
		SH_EXPECT("on -C 1 -p 11f shtest sched", "11 1 1\n", 0);
	} else {
		SH_EXPECT("on -C 1 shtest sched; echo $?", "on: cpu 1: Invalid argument\n1\n", 0);
	}
	SH_EXPECT("on -C 63 true; echo $?", "on: cpu 63: Invalid argument\n1\n", 0);
	SH_EXPECT("on -p 0 true; echo $?; on -p 10x true; echo $?; on; echo $?",
	    "usage: on [-p priority[r|f|o]] [-C cpu] command [args...]\n2\n"
	    "usage: on [-p priority[r|f|o]] [-C cpu] command [args...]\n2\n"
	    "usage: on [-p priority[r|f|o]] [-C cpu] command [args...]\n2\n", 0);
	SH_EXPECT("on -p 10 nosuch_cmd; echo $?", "on: nosuch_cmd: No such file or directory\n127\n", 0);
	return 0;
}

/* use: the usage text in each utility's ELF file. */
LTEST(utils, use)
{
	SH_EXPECT("use waitfor", "usage: waitfor path [seconds]\n"
	    "Wait until path exists, polling every 50 ms, for at most seconds (5).\n", 0);
	SH_EXPECT("for u in init login on pidin shutdown slay sloginfo use waitfor; do use /proc/boot/$u |"
	    " head -1 | cut -d' ' -f1-2; done", "usage: init\nusage: login\nusage: on\nusage: pidin\n"
	    "usage: shutdown\nusage: slay\nusage: sloginfo\nusage: use\nusage: waitfor\n", 0);
	SH_EXPECT("use sh; echo $?", "use: /proc/boot/sh: no usage information\n1\n", 0);
	SH_EXPECT("use nosuch; echo $?", "use: nosuch: not found\n1\n", 0);
	SH_EXPECT("use /proc/boot/motd; echo $?", "use: /proc/boot/motd: not an ELF file\n1\n", 0);
	SH_EXPECT("use /nonexistent/x; echo $?",
	    "use: /nonexistent/x: No such file or directory\n1\n", 0);
	SH_EXPECT("use; echo $?", "usage: use program\n2\n", 0);
	return 0;
}

/* A script on stdin, as `sh < file` or a pipe into sh. */
LTEST(sh, script_on_stdin)
{
	char *argv[] = { "sh", NULL };
	int st = run_sh(argv, "echo from-stdin\nx=7\necho $((x+1))\nexit 2\necho never\n");


	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 2);
	LT_CHECK(strcmp(out, "from-stdin\n8\n") == 0);
	return 0;
}

LTEST(sh, syntax_error)
{
	char *argv[] = { "sh", "-c", "if then fi", NULL };
	int st = run_sh(argv, NULL);

	LT_CHECK(WIFEXITED(st));
	LT_CHECK(WEXITSTATUS(st) != 0);
	LT_CHECK(strstr(out, "syntax error") != NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "args") == 0) {
		for (int i = 2; i < argc; i++)
			printf("[%s]\n", argv[i]);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "slog") == 0)
		return slogf(0, atoi(argv[2]), "%s", argv[3]) < 0;
	if (argc >= 4 && strcmp(argv[1], "asuser") == 0) {
		if (setuid(atoi(argv[2])) != 0)
			return 126;
		execvp(argv[3], argv + 3);
		return 127;
	}
	if (argc == 3 && strcmp(argv[1], "alloc") == 0) {	/* malloc and touch N MiB */
		size_t n = (size_t)atoi(argv[2]) << 20;
		char *p = malloc(n);

		if (p == NULL)
			return puts(errno == ENOMEM ? "ENOMEM" : "error"), 1;
		memset(p, 1, n);
		return puts("allocated"), 0;
	}
	if (argc == 2 && strcmp(argv[1], "sched") == 0) {
		struct _thread_info ti;

		if (ThreadInfo_r(getpid(), 1, &ti) < 0)
			return 1;
		printf("%d %d %d\n", ti.ti_base_priority, ti.ti_policy, ti.ti_cpu);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "env") == 0) {
		const char *v = getenv(argv[2]);

		printf("[%s]\n", v ? v : "(unset)");
		return 0;
	}
	/*
	 * taskman's script gives no fds: take 0-2 so the pipes get higher
	 * numbers, as they would under a shell.
	 */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			return 2;
	return lt_run_all() == 0 ? 0 : 1;
}
