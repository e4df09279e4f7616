#!/bin/bash
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
#
# The CLI's progress line on a real terminal (a pseudo-terminal from
# python3's pty module) and not on a pipe, through a path that needs no
# drive: `uringblk query FILE --host` over a file off any drive (its
# line counts bytes: uringblk_query_host_args()'s progress).  Checks
# that the line appears on a terminal, is erased before the result is
# printed, never reaches stdout, and that --no-progress, --progress,
# URINGBLK_PROGRESS and TERM=dumb decide as documented (uringblk(8)).
# URINGBLK_PROGRESS_DELAY_MS=0 draws the first line at the start, and a
# stalled host's redraws are accepted, so no check depends on how fast
# the host is.
#
# usage: tests/tools/progress-tty.sh path/to/uringblk

bin=${1:?usage: $0 path/to/uringblk}
tmp=$(mktemp -d /tmp/uringblk-progress.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
printf 'k,v\nA,1.5\nB,2\nA,3\n' >"$tmp/t.csv"

python3 - "$bin" "$tmp/t.csv" <<'PY'
import os, pty, re, subprocess, sys

cli, csv = sys.argv[1:3]
q = ["query", csv, "SELECT k, count(*) GROUP BY k:str", "--host", "--header"]
passed = failed = 0
LINE = b"\rquery on the host: 0 B of 18 B (0%), 0s\x1b[K"
ERASE = b"\r\x1b[K"

def drawn(b, line=LINE):
    """b is the line, redraws of it with more done or more time (every
    0.5 s, should the host stall), then the erase; and nothing else."""
    head = re.escape(line[1:line.index(b": ") + 2])	# "query on the host: "
    return re.fullmatch(re.escape(line) + rb"(?:\r" + head +
                        rb"[^\r\x1b]*\x1b\[K)*" + re.escape(ERASE), b) is not None

def check(ok, what, detail=b""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s: %r" % (what, detail), file=sys.stderr, flush=True)

def run(args, tty_err=True, tty_out=False, env=None, delay="0"):
    """Run the CLI; stderr (and stdout with tty_out) on a pseudo-terminal
    or a pipe.  Returns (status, stdout bytes, stderr bytes); with tty_out
    the terminal's bytes are the stderr ones and stdout is empty."""
    e = dict(os.environ, TERM="xterm")
    e.pop("URINGBLK_PROGRESS", None)
    if delay is not None:
        e["URINGBLK_PROGRESS_DELAY_MS"] = delay
    e.update(env or {})
    master = slave = None
    if tty_err:
        master, slave = pty.openpty()
    p = subprocess.Popen([cli] + args, stdin=subprocess.DEVNULL,
                         stdout=slave if tty_out else subprocess.PIPE,
                         stderr=slave if tty_err else subprocess.PIPE,
                         env=e)
    out = err = b""
    if tty_err:
        os.close(slave)
        chunks = []
        while True:
            try:
                b = os.read(master, 65536)
            except OSError:		# EIO: the child closed the terminal
                break
            if not b:
                break
            chunks.append(b)
        os.close(master)
        err = b"".join(chunks)
        if not tty_out:
            out = p.stdout.read()
    else:
        out, err = p.communicate()
    st = p.wait(timeout=600)	# a hang guard only
    return st, out, err

# the reference: stdout and stderr pipes, nothing asked for
st, ref, referr = run(q, tty_err=False)
check(st == 0 and b"# records 3" in ref, "the query runs", ref + referr)
check(referr == b"", "a pipe: nothing on stderr", referr)

# a terminal: the line, then erased, and stdout as on a pipe
st, out, err = run(q)
check(st == 0, "tty: exit 0", err)
check(drawn(err), "tty: the line, then erased", err)
check(out == ref, "tty: stdout unchanged", out)

# both on the terminal: erased before the result is printed
st, _, term = run(q, tty_out=True)
i = term.find(b"k  count(*)")
check(st == 0 and i > 0 and drawn(term[:i]), "tty: erased before the result", term)

# switched off
for args, env, what in ((["--no-progress"] + q, {}, "--no-progress"),
                        (q, {"URINGBLK_PROGRESS": "never"}, "URINGBLK_PROGRESS=never"),
                        (q, {"URINGBLK_PROGRESS": "0"}, "URINGBLK_PROGRESS=0"),
                        (q, {"TERM": "dumb"}, "TERM=dumb"),
                        (["--progress", "--no-progress"] + q, {}, "the last option wins")):
    st, out, err = run(args, env=env)
    check(st == 0 and err == b"" and out == ref, "tty, " + what + ": nothing", err)

# forced: also into a pipe; the option beats the environment
for args, env, tty, what in ((["--progress"] + q, {}, False, "--progress, pipe"),
                             (q, {"URINGBLK_PROGRESS": "always"}, False, "always, pipe"),
                             (["--progress"] + q, {"URINGBLK_PROGRESS": "never"}, True,
                              "--progress over never")):
    st, out, err = run(args, tty_err=tty, env=env)
    check(st == 0 and drawn(err) and out == ref, what + ": drawn", err)

# the default delay: an operation shorter than it draws nothing (an hour)
st, out, err = run(q, delay="3600000")
check(st == 0 and err == b"", "tty, within the delay: nothing", err)

# a bad mode is a usage error, named
st, out, err = run(q, tty_err=False, env={"URINGBLK_PROGRESS": "maybe"})
check(st == 2 and b"URINGBLK_PROGRESS='maybe' is not auto, always (1) or never (0)" in err,
      "a bad URINGBLK_PROGRESS", err)

# a query refused before it runs: its message, no line
st, out, err = run(["query", csv, "SELECT sum(nope)", "--host", "--header"])
check(st == 2 and LINE not in err and err.startswith(b"uringblk: query:"),
      "a refused query: no line", err)

print("progress-tty: %d checks passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
