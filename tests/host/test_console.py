#!/usr/bin/env python3
"""Host tests of tools/console: scenarios run against small shell scripts
standing in for QEMU (they read what is typed on stdin and print), so each
directive is seen to pass when it should and to fail when it should.
Standard library only; speaks the test protocol (docs/testing.md)."""
import importlib.machinery
import os
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONSOLE = os.path.join(TOP, "tools", "console")
sys.path.insert(0, os.path.join(TOP, "tools"))

passed = failed = 0


def run(d, scenario, guest, timeout=30):
    scn = os.path.join(d, "s.scn")
    sh = os.path.join(d, "guest.sh")
    with open(scn, "w") as f:
        f.write(scenario)
    with open(sh, "w") as f:
        f.write("#!/bin/sh\n" + guest + "\n")
    os.chmod(sh, 0o755)
    p = subprocess.run([CONSOLE, scn, "--", sh], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout


def check(name, cond, why, out=""):
    global passed, failed
    print(f"TEST START console.{name}")
    if cond:
        print(f"TEST PASS console.{name}")
        passed += 1
    else:
        print(out)
        print(f"TEST FAIL console.{name}: {why}")
        failed += 1


# A guest that echoes a typed line back in upper case, then passes one test of its own.
ECHO_GUEST = ('echo "READY"; read l; echo "GOT $l" | tr a-z A-Z; '
              'echo "TEST START g.one"; echo "TEST PASS g.one"; echo "TEST DONE 1 passed, 0 failed"; exit 0')


def burst(lines, skip=None, mangle=None):
    loader = importlib.machinery.SourceFileLoader("console", CONSOLE)
    tool = loader.load_module()
    out = []
    for n in range(lines):
        if n == skip:
            continue
        s = tool.sequence_line("B", n)
        out.append(s[:-3] + "xyz" if n == mangle else s)
    return out


def main():
    with tempfile.TemporaryDirectory() as d:
        st, out = run(d, "test t.echo\nexpect READY\nsend hello\\n\nexpect GOT HELLO\nend\n", ECHO_GUEST)
        check("send_expect_and_guest_done", st == 0 and "TEST PASS t.echo" in out and
              "TEST DONE 2 passed, 0 failed" in out, f"status {st}", out)

        st, out = run(d, "timeout 1\ntest t.miss\nexpect NEVER\nend\n", ECHO_GUEST.replace("read l;", "sleep 3;"))
        check("expect_times_out", st == 1 and "TEST FAIL t.miss" in out and
              "TEST DONE 1 passed, 1 failed" in out, f"status {st}", out)

        st, out = run(d, "test t.rej\nexpect READY\nreject HELLO\nsend hello\\n\nexpect g.one\nend\n", ECHO_GUEST)
        check("reject_catches", st == 1 and "TEST FAIL t.rej" in out, f"status {st}", out)

        guest = 'echo READY; read -r l; printf "%s" "$l" | od -An -tx1'
        st, out = run(d, "test t.esc\nexpect READY\nsend ^C\\x41^^\\\\\\n\nexpect 03 41 5e 5c\nend\n",
                      guest + '; echo "TEST DONE 0 passed, 0 failed"')
        check("escapes", "TEST PASS t.esc" in out, f"status {st}", out)

        good = "\n".join(burst(50))
        for name, lines, ok in [("sequence_whole", good, True),
                                ("sequence_line_lost", "\n".join(burst(50, skip=17)), False),
                                ("sequence_line_mangled", "\n".join(burst(50, mangle=30)), False),
                                ("sequence_short", "\n".join(burst(49)), False)]:
            with open(os.path.join(d, "burst.txt"), "w") as f:
                f.write(lines + "\n")
            st, out = run(d, "timeout 2\ntest t.seq\nsequence B 50\nend\n",
                          f'cat {d}/burst.txt; echo "TEST DONE 0 passed, 0 failed"')
            check(name, ("TEST PASS t.seq" in out) == ok and st == (0 if ok else 1),
                  f"status {st}", out[-2000:])

        for name, n, ok in [("strip_counts", 3, True), ("strip_miscounted", 4, False)]:
            st, out = run(d, f"test t.s\nstrip ~\nexpect READY\nexpect ab\nstripped {n}\nend\n",
                          'echo "~RE~ADY"; echo "a~b"; echo "TEST DONE 0 passed, 0 failed"')
            check(name, ("TEST PASS t.s" in out) == ok, f"status {st}", out)

        st, out = run(d, "test t.a\nexpect READY\nend\n", 'echo READY; exit 99')
        check("panic_status_kept", st == 99, f"status {st}", out)

        st, out = run(d, "test t.a\nexpect READY\nend\n",
                      'echo READY; echo "TEST START g.x"; echo "TEST FAIL g.x: no"; '
                      'echo "TEST DONE 0 passed, 1 failed"; exit 1')
        check("guest_failure_counts", st == 1 and "TEST DONE 1 passed, 1 failed" in out, f"status {st}", out)

        st, out = run(d, "bogus directive\n", "exit 0")
        check("bad_scenario_refused", st == 2 and "s.scn:1: unknown directive" in out, f"status {st}", out)
    print(f"TEST DONE {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
