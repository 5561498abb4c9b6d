#!/usr/bin/env python3
"""test_mkifs - host tests of tools/mkifs, the boot-image builder.

Each test writes a build file (and the files it names) into a fresh
temporary directory, runs tools/mkifs on it, and checks the newc archive it
writes (with `cpio -t`, `cpio -tv`, `cpio -i`, and by reading the headers
here), or the error: exit status 1 and a message naming file and line.

Output is the harness protocol of tests/host/unit.h:
    TEST START mkifs.<name> / TEST PASS mkifs.<name> / TEST FAIL mkifs.<name>: <reason>
    TEST DONE <p> passed, <f> failed
Standard library only.  Usage: test_mkifs.py [name-filter]
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import traceback

TOP = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MKIFS = os.environ.get("MKIFS") or os.path.join(TOP, "tools", "mkifs")
TESTS = []


class Fail(Exception):
    pass


def test(fn):
    TESTS.append(fn)
    return fn


def check(cond, why):
    if not cond:
        raise Fail(why)


def eq(got, want, what):
    if got != want:
        raise Fail(f"{what}: got {got!r}, want {want!r}")


class Build:
    """A scratch directory with a build file, host files, and mkifs's results."""

    def __init__(self, text, files=None, config=None, env=None, args=None, name="test.build",
                 mtime=None):
        self.dir = tempfile.mkdtemp(prefix="mkifs-test-")
        self.buildfile = os.path.join(self.dir, name)
        self.out = os.path.join(self.dir, "out.cpio")
        for path, content in (files or {}).items():
            full = os.path.join(self.dir, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(content if isinstance(content, bytes) else content.encode())
            if mtime is not None:
                os.utime(full, (mtime, mtime))
        with open(self.buildfile, "w") as f:
            f.write(text)
        cmd = [MKIFS, "--root", self.dir]
        if config is not None:
            cmd += ["--config", os.path.join(self.dir, "auto.conf")]
            with open(cmd[-1], "w") as f:
                f.write(config)
        cmd += (args or []) + [self.buildfile, self.out]
        e = dict(os.environ)
        e.pop("SOURCE_DATE_EPOCH", None)
        e.update(env or {})
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, cwd=self.dir)
        self.rc, self.stdout, self.stderr = r.returncode, r.stdout.decode(), r.stderr.decode()

    def ok(self):
        check(self.rc == 0, f"mkifs failed ({self.rc}): {self.stderr.strip()}")
        check(self.stderr == "", f"mkifs printed: {self.stderr.strip()}")
        return self

    def members(self):
        """{name: member} from the archive, read by hand."""
        with open(self.out, "rb") as f:
            return {m["name"]: m for m in read_newc(f.read())}

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


FIELDS = ("ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
          "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check")


def read_newc(data):
    """Parse a newc archive strictly; the members in order (without the trailer)."""
    out, off = [], 0
    while True:
        check(data[off:off + 6] == b"070701", f"no newc magic at offset {off}")
        h = {k: int(data[off + 6 + 8 * i:off + 14 + 8 * i], 16) for i, k in enumerate(FIELDS)}
        # The name ends at its first NUL; mkifs pads it with more (align_data).
        name = data[off + 110:off + 110 + h["namesize"] - 1].split(b"\0")[0].decode()
        check(data[off + 110 + h["namesize"] - 1] == 0, f"name of {name} not NUL-terminated")
        off = (off + 110 + h["namesize"] + 3) & ~3
        h["name"], h["data"], h["offset"] = name, data[off:off + h["filesize"]], off
        off = (off + h["filesize"] + 3) & ~3
        if name == "TRAILER!!!":
            check(not data[off:].strip(b"\0"), "bytes after the trailer")
            return out
        out.append(h)


def cpio_list(path, verbose=False):
    with open(path, "rb") as f:
        r = subprocess.run(["cpio", "-t"] + (["-v"] if verbose else []) + ["--quiet"],
                           stdin=f, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(r.returncode == 0, f"cpio -t failed: {r.stderr.decode().strip()}")
    return r.stdout.decode().splitlines()


def run_tests(pattern):
    passed = failed = 0
    for fn in TESTS:
        name = fn.__name__.removeprefix("test_")
        if pattern and pattern not in name:
            continue
        print(f"TEST START mkifs.{name}", flush=True)
        try:
            fn()
            print(f"TEST PASS mkifs.{name}", flush=True)
            passed += 1
        except Fail as e:
            print(f"TEST FAIL mkifs.{name}: {e}", flush=True)
            failed += 1
        except Exception as e:  # a bug in the test or in mkifs: still one line
            tb = traceback.extract_tb(e.__traceback__)[-1]
            print(f"TEST FAIL mkifs.{name}: {type(e).__name__}: {e} (line {tb.lineno})", flush=True)
            failed += 1
    print(f"TEST DONE {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


# ---- good build files ---------------------------------------------------------

GOOD = """\
# A build file with one of everything.
[type=dir perms=0755] /proc/boot
[type=dir perms=0700] /tmp

[perms=0755] /proc/boot/hello = host/hello
/proc/boot/data = host/data.bin
/etc/motd = host/motd
[perms=04755 uid=0] /bin/su = host/hello
[type=link] /bin/sh = /proc/boot/hello
[type=link] /lib = ../usr/lib
[type=link] /usr = /usr
[+script perms=0600] /proc/boot/startup = {
# a comment inside stays
  indented line = with [brackets]

}
/etc/empty = {
}
etc/relative-source-default
"""


def good_files():
    return {"host/hello": b"\x7fELF hello", "host/data.bin": bytes(range(256)) * 3,
            "host/motd": "welcome\n"}


@test
def test_names_listed_by_cpio():
    b = Build(GOOD.replace("etc/relative-source-default\n", ""), good_files()).ok()
    names = cpio_list(b.out)
    eq(sorted(names), sorted(["bin", "bin/sh", "bin/su", "etc", "etc/empty", "etc/motd", "lib",
                              "proc", "proc/boot", "proc/boot/data", "proc/boot/hello",
                              "proc/boot/startup", "tmp", "usr"]), "cpio -t")
    for n in names:     # a directory comes before what is in it
        parent = os.path.dirname(n)
        check(not parent or names.index(parent) < names.index(n), f"{n} listed before {parent}")
    b.cleanup()


@test
def test_modes_and_types():
    b = Build(GOOD.replace("etc/relative-source-default\n", ""), good_files()).ok()
    m = b.members()
    want = {
        "proc": stat.S_IFDIR | 0o755,           # implied by a path
        "proc/boot": stat.S_IFDIR | 0o755,
        "tmp": stat.S_IFDIR | 0o700,
        "proc/boot/hello": stat.S_IFREG | 0o755,
        "proc/boot/data": stat.S_IFREG | 0o644,  # the default
        "etc/motd": stat.S_IFREG | 0o644,
        "bin/su": stat.S_IFREG | 0o4755,
        "bin/sh": stat.S_IFLNK | 0o777,
        "proc/boot/startup": stat.S_IFREG | 0o600,
    }
    for name, mode in want.items():
        eq(oct(m[name]["mode"]), oct(mode), f"mode of {name}")
    for name, h in m.items():
        eq((h["uid"], h["gid"]), (0, 0), f"owner of {name}")
        eq(h["mtime"], 0, f"mtime of {name}")
    verbose = {line.split()[-1] if "->" not in line else line.split()[-3]: line.split()[0]
               for line in cpio_list(b.out, verbose=True)}
    eq(verbose["bin/su"], "-rwsr-xr-x", "cpio -tv of bin/su")
    eq(verbose["tmp"], "drwx------", "cpio -tv of tmp")
    eq(verbose["bin/sh"], "lrwxrwxrwx", "cpio -tv of bin/sh")
    b.cleanup()


@test
def test_contents_and_symlinks():
    b = Build(GOOD.replace("etc/relative-source-default\n", ""), good_files()).ok()
    m = b.members()
    eq(m["proc/boot/hello"]["data"], b"\x7fELF hello", "hello")
    eq(m["proc/boot/data"]["data"], bytes(range(256)) * 3, "data.bin")
    eq(m["etc/motd"]["data"], b"welcome\n", "motd")
    eq(m["proc/boot/startup"]["data"],
       b"# a comment inside stays\n  indented line = with [brackets]\n\n", "inline file")
    eq(m["etc/empty"]["data"], b"", "empty inline file")
    eq(m["bin/sh"]["data"], b"/proc/boot/hello", "symlink destination")
    eq(m["lib"]["data"], b"../usr/lib", "relative symlink")
    # A link whose destination is a directory on the build host is still a link.
    eq(stat.S_IFMT(m["usr"]["mode"]), stat.S_IFLNK, "/usr -> /usr type")
    eq(m["usr"]["data"], b"/usr", "/usr -> /usr")
    b.cleanup()


@test
def test_data_aligned_to_8():
    """Every file's data starts at a multiple of 8 (the kernel copies aligned
    words fastest), however long the names before it are."""
    text = "".join(f"/d/{'n' * i} = f{i % 3}\n" for i in range(1, 12))
    b = Build(text, {"f0": "", "f1": "x", "f2": "0123456789"}).ok()
    m = b.members()
    eq(len(m), 12, "members")
    for i in range(1, 12):
        h = m["d/" + "n" * i]
        eq(h["data"], [b"", b"x", b"0123456789"][i % 3], f"data of d/{'n' * i}")
        if h["filesize"]:
            eq(h["offset"] % 8, 0, f"data offset of d/{'n' * i}")
    eq(os.path.getsize(b.out) % 512, 0, "archive size (cpio's 512-byte blocks)")
    check("d/nnn" in cpio_list(b.out), "cpio -t reads the padded names")
    b.cleanup()


@test
def test_cpio_extracts_it():
    b = Build(GOOD.replace("etc/relative-source-default\n", ""), good_files()).ok()
    x = os.path.join(b.dir, "x")
    os.mkdir(x)
    with open(b.out, "rb") as f:
        r = subprocess.run(["cpio", "-id", "--quiet", "--no-absolute-filenames"], stdin=f, cwd=x,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    eq(r.returncode, 0, f"cpio -i ({r.stderr.decode().strip()})")
    with open(os.path.join(x, "proc/boot/data"), "rb") as f:
        eq(f.read(), bytes(range(256)) * 3, "extracted data.bin")
    eq(os.readlink(os.path.join(x, "bin/sh")), "/proc/boot/hello", "extracted link")
    eq(stat.S_IMODE(os.lstat(os.path.join(x, "bin/su")).st_mode), 0o4755, "extracted su mode")
    b.cleanup()


@test
def test_source_defaults_to_target():
    b = Build("/etc/motd\n[perms=0444] /a/b/c\n",
              {"etc/motd": "m\n", "a/b/c": "c\n"}).ok()
    m = b.members()
    eq(m["etc/motd"]["data"], b"m\n", "/etc/motd from etc/motd")
    eq(m["a/b/c"]["mode"], stat.S_IFREG | 0o444, "mode of a/b/c")
    b.cleanup()


@test
def test_global_and_local_attributes():
    text = """\
[perms=0600]
/a = f
[perms=0755] /b = f
/c = f
[uid=100 gid=200]
/d = f
[perms=0640 gid=7] /e = f
[perms=0444]
/f = f
[+script]
/g = f
[type=dir]
/h
/i/j
"""
    b = Build(text, {"f": "x"}).ok()
    m = b.members()
    eq(oct(m["a"]["mode"]), oct(0o100600), "global perms")
    eq(oct(m["b"]["mode"]), oct(0o100755), "per-line perms win")
    eq(oct(m["c"]["mode"]), oct(0o100600), "the global survives a per-line one")
    eq((m["d"]["uid"], m["d"]["gid"]), (100, 200), "global owner")
    eq(oct(m["d"]["mode"]), oct(0o100600), "globals accumulate")
    eq((m["e"]["uid"], m["e"]["gid"], m["e"]["mode"]), (100, 7, 0o100640), "mixed")
    eq((m["f"]["uid"], m["f"]["mode"]), (100, 0o100444), "a later global replaces one key")
    eq(oct(m["g"]["mode"]), oct(0o100444), "+script changes nothing else")
    eq(stat.S_IFMT(m["h"]["mode"]), stat.S_IFDIR, "global type=dir")
    eq(oct(m["i/j"]["mode"]), oct(stat.S_IFDIR | 0o444), "global type=dir, perms")
    eq((m["i"]["mode"], m["i"]["uid"]), (stat.S_IFDIR | 0o755, 0), "implied directory")
    b.cleanup()


CONFIG = """\
# Automatically generated file; DO NOT EDIT.
CONFIG_YES=y
CONFIG_MOD=m
CONFIG_NUM=0
CONFIG_STR="hello"
CONFIG_EMPTY=""
# CONFIG_NO is not set
"""


@test
def test_if_config():
    text = """\
[if=CONFIG_YES] /yes = f
[if=CONFIG_MOD] /mod = f
[if=CONFIG_NUM] /num = f
[if=CONFIG_STR] /str = f
[if=CONFIG_EMPTY] /empty = f
[if=CONFIG_NO] /no = missing-file
[if=CONFIG_ABSENT] /absent = missing-file
[if=CONFIG_NO] /dup = {
skipped body, with an = sign
}
/dup = f
[if=CONFIG_NO]
/g1 = f
[if=CONFIG_YES]
/g2 = f
[if=CONFIG_NO] [type=dir] /d
[if=CONFIG_YES perms=0700] [type=dir] /e
[if=!CONFIG_NO] /notno = f
[if=!CONFIG_ABSENT] /notabsent = f
[if=!CONFIG_YES] /notyes = f
[if=!CONFIG_EMPTY] /notempty = f
[if=CONFIG_YES,!CONFIG_NO] /both = f
[if=CONFIG_YES,CONFIG_NO] /onlyone = missing-file
[if=!CONFIG_YES,!CONFIG_NO] /neither = f
"""
    b = Build(text, {"f": "x"}, config=CONFIG).ok()
    eq(sorted(b.members()), ["both", "dup", "e", "g2", "mod", "notabsent", "notempty", "notno", "num", "str", "yes"],
       "kept entries")
    eq(b.members()["dup"]["data"], b"x", "the /dup that is kept")
    eq(b.members()["e"]["mode"], stat.S_IFDIR | 0o700, "two groups on one line")
    # Without --config nothing is set.
    b2 = Build(text, {"f": "x"}).ok()
    eq(sorted(b2.members()), ["dup", "neither", "notabsent", "notempty", "notno", "notyes"], "no config")
    b.cleanup()
    b2.cleanup()


@test
def test_if_in_a_script_body():
    text = """\
[+script] /s = {
first
[if=CONFIG_YES] kept
[if=CONFIG_NO] dropped
  [if=!CONFIG_NO,CONFIG_STR]   indented [+session] sh
[if=CONFIG_YES,CONFIG_NO] dropped too
[+session] other
}
"""
    b = Build(text, {}, config=CONFIG).ok()
    eq(b.members()["s"]["data"], b"first\nkept\n  indented [+session] sh\n[+session] other\n",
       "the body's conditional lines")
    b.cleanup()
    bad(PRELUDE + "[+script] /s = {\n[if=CONFIG_A,] x\n}\n", 10, ["bad condition", "CONFIG_A,"])


@test
def test_the_real_build_file():
    conf = os.path.join(TOP, "build", "include", "config", "auto.conf")
    out = tempfile.mkdtemp(prefix="mkifs-test-")
    cmd = [MKIFS, "--root", TOP] + (["--config", conf] if os.path.exists(conf) else []) + \
          [os.path.join(TOP, "boot", "qsoe.build"), os.path.join(out, "qsoe.cpio")]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    eq(r.returncode, 0, f"boot/qsoe.build ({r.stderr.decode().strip()})")
    names = cpio_list(os.path.join(out, "qsoe.cpio"))
    check("proc/boot" in names and "tmp" in names, f"listing {names}")
    shutil.rmtree(out)


@test
def test_reproducible():
    files = good_files()
    text = GOOD.replace("etc/relative-source-default\n", "")
    old = os.umask(0o077)       # implied directories must not depend on it
    try:
        a = Build(text, files, mtime=1000000000).ok()
    finally:
        os.umask(old)
    b = Build(text, files, mtime=12345).ok()
    b2 = Build(text, files).ok()    # files of now
    data = [open(x.out, "rb").read() for x in (a, b, b2)]
    check(data[0] == data[1] == data[2], "two builds of the same input differ")
    c = Build(text, files, env={"SOURCE_DATE_EPOCH": "1700000000"}).ok()
    for name, h in c.members().items():
        eq(h["mtime"], 1700000000, f"mtime of {name} with SOURCE_DATE_EPOCH")
    d = Build(text, files, env={"SOURCE_DATE_EPOCH": "yesterday"})
    eq(d.rc, 1, "bad SOURCE_DATE_EPOCH")
    for x in (a, b, b2, c, d):
        x.cleanup()


@test
def test_modes_that_lock_out_the_builder():
    """Modes are set in the archive, not on the staged files: a read-only
    directory listed before its contents, or an unreadable file, must work
    for a builder that is not root."""
    b = Build("[type=dir perms=0555] /ro\n/ro/x = f\n[perms=0200] /wo = f\n[perms=0000] /no = f\n",
              {"f": "x"}).ok()
    m = b.members()
    eq(oct(m["ro"]["mode"]), oct(stat.S_IFDIR | 0o555), "ro")
    eq(m["ro/x"]["data"], b"x", "ro/x")
    eq(oct(m["wo"]["mode"]), oct(stat.S_IFREG | 0o200), "wo")
    eq(oct(m["no"]["mode"]), oct(stat.S_IFREG), "no")
    eq(m["no"]["data"], b"x", "no")
    b.cleanup()


@test
def test_empty_build_file():
    b = Build("# nothing\n\n[perms=0600]\n").ok()
    eq(b.members(), {}, "members")
    eq(cpio_list(b.out), [], "cpio -t")
    b.cleanup()


@test
def test_names_with_spaces():
    b = Build("/a b/c d = f e\n", {"f e": "x"}).ok()
    eq(sorted(b.members()), ["a b", "a b/c d"], "names")
    b.cleanup()


@test
def test_normalised_targets():
    b = Build("/a//b/./c/ = f\n[type=dir] /d/\n", {"f": "x"}).ok()
    eq(sorted(b.members()), ["a", "a/b", "a/b/c", "d"], "names")
    b.cleanup()


# ---- bad build files ----------------------------------------------------------

def bad(text, line, words, files=None, config=None, name="test.build"):
    """mkifs must exit 1 with '<name>:<line>:' and every one of words in the message."""
    b = Build(text, {"f": "x"} | (files or {}), config=config, name=name)
    try:
        eq(b.rc, 1, f"exit status (stderr: {b.stderr.strip()!r})")
        msg = b.stderr.strip()
        check("Traceback" not in msg, f"a traceback, not a message: {msg}")
        check(len(msg.splitlines()) == 1, f"one line of error expected: {msg!r}")
        check(msg.startswith("mkifs: "), f"message not from mkifs: {msg!r}")
        if line is not None:
            check(f"{name}:{line}:" in msg, f"want line {line}: {msg!r}")
        for w in words:
            check(w in msg, f"want {w!r} in {msg!r}")
        check(not os.path.exists(b.out), "an output file was left behind")
        check(not os.path.exists(b.out + ".tmp"), "a temporary file was left behind")
        return msg
    finally:
        b.cleanup()


# Lines before the error, so that the line number has something to count.
PRELUDE = """\
# comment

[perms=0644]
/one = f
/two = {
inline 1
[not = an attribute]
}
"""                                             # 8 lines: errors below are on line 9+


@test
def test_unknown_attribute():
    bad(PRELUDE + "[colour=red] /x = f\n", 9, ["unknown attribute", "colour"])
    bad(PRELUDE + "\n[perms=0644 mode=0644]\n/x = f\n", 10, ["unknown attribute", "mode"])
    bad(PRELUDE + "[perms] /x = f\n", 9, ["bad attribute", "perms"])
    bad(PRELUDE + "[if=CONFIG_A,,CONFIG_B] /x = f\n", 9, ["bad condition", "CONFIG_A,,CONFIG_B"])
    bad(PRELUDE + "[if=FOO] /x = f\n", 9, ["bad condition", "FOO"])
    bad("[type=fifo] /x\n", 1, ["bad type", "fifo"])
    bad("[uid=root] /x = f\n", 1, ["bad uid", "root"])
    bad("[gid=-1] /x = f\n", 1, ["bad gid"])
    bad("[uid=4294967296] /x = f\n", 1, ["bad uid"])


@test
def test_bad_perms():
    for perms in ("0999", "rwxr-xr-x", "75", "077777", "0x755", "", "0o755"):
        bad(PRELUDE + f"[perms={perms}] /x = f\n", 9, ["bad perms", f"'{perms}'"])
    bad(PRELUDE + "[perms=9]\n", 9, ["bad perms"])


@test
def test_unterminated_inline_file():
    bad(PRELUDE + "/x = {\nline\n  } not a close\n", 9, ["/x", "no closing '}'"])
    bad("/x = {\n", 1, ["no closing"])


@test
def test_missing_source_file():
    bad(PRELUDE + "/x = f\n/y = no/such/file\n", 10, ["no/such/file", "not found"])
    bad("/usr/bin/nothing-here\n", 1, ["usr/bin/nothing-here", "not found"])
    bad("/d = dir\n", 1, ["not found"], files={"dir/inner": "x"})       # a directory


@test
def test_duplicate_target():
    bad(PRELUDE + "/x = f\n/one = f\n", 10, ["/one", "twice", "line 4"])
    bad("/a/b = f\n\n/a//b = f\n", 3, ["/a/b", "twice", "line 1"])
    bad("[type=dir] /d\n[type=link] /d/ = x\n", 2, ["/d", "twice"])


@test
def test_relative_target():
    bad(PRELUDE + "x = f\n", 9, ["'x'", "absolute"])
    bad(PRELUDE + "./x = f\n", 9, ["absolute"])
    bad(PRELUDE + "/a/../../etc/passwd = f\n", 9, ["'..'"])
    bad(PRELUDE + "= f\n", 9, ["absolute"])
    bad(PRELUDE + "[perms=0644]   \n[type=dir] /\n", 10, ["'/'"])


@test
def test_bracket_without_close():
    bad(PRELUDE + "[perms=0644 /x = f\n", 9, ["'[' without ']'"])
    bad(PRELUDE + "[perms=0644] [type=file /x = f\n", 9, ["'[' without ']'"])


@test
def test_other_mistakes():
    bad("[type=link] /x\n", 1, ["link", "/x", "destination"])
    bad("/x =\n", 1, ["nothing after '='"])
    bad("[type=link] /x = {\n}\n", 1, ["inline", "link"])
    bad("[type=dir] /x = {\n}\n", 1, ["inline", "dir"])
    bad("[type=dir] /x = f\n", 1, ["directory", "/x"])
    # Paths that collide with each other: the later line is named.
    bad("/a = f\n/a/b = f\n", 2, ["/a/b", "/a", "not a directory"])
    bad("/a/b = f\n/a = f\n", 2, ["/a", "directory"])
    bad("[type=link] /a = x\n[type=dir] /a/b\n", 2, ["/a/b", "symbolic link"])


@test
def test_no_writes_through_symlinks():
    """A link to a host directory must not let a later entry write into it."""
    host = tempfile.mkdtemp(prefix="mkifs-host-")
    try:
        bad(f"[type=link] /etc = {host}\n/etc/passwd = f\n", 2, ["/etc/passwd", "symbolic link"])
        bad("[type=link] /up = ../../../../../../..\n/up/tmp/mkifs-escape = f\n", 2,
            ["symbolic link"])
        eq(os.listdir(host), [], "files written on the build host")
        check(not os.path.exists("/tmp/mkifs-escape"), "/tmp/mkifs-escape written on the host")
    finally:
        shutil.rmtree(host)


@test
def test_missing_inputs():
    b = Build("/x = f\n", {"f": "x"}, args=["--config", "/nonexistent/auto.conf"])
    eq(b.rc, 1, "missing config")
    check("auto.conf" in b.stderr and "Traceback" not in b.stderr, b.stderr)
    b.cleanup()
    r = subprocess.run([MKIFS, "/nonexistent/x.build", "/tmp/never.cpio"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    eq(r.returncode, 1, "missing build file")
    check(b"x.build" in r.stderr and b"Traceback" not in r.stderr, r.stderr.decode())
    check(not os.path.exists("/tmp/never.cpio"), "output written")


if __name__ == "__main__":
    sys.exit(run_tests(sys.argv[1] if len(sys.argv) > 1 else None))
