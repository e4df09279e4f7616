#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
#
# load.sh: uringblk_sqlite.so loads where users load it, the sqlite3 shell
# (.load) and Python's sqlite3 module (load_extension()), and answers as
# an ordinary table imported from the same file does, with its terms
# pushed (EXPLAIN QUERY PLAN says so).  OUT=<out tree>.
set -eu
OUT=${OUT:-$(cd "$(dirname "$0")/../.." && pwd)/out}
ext=$OUT/lib/uringblk_sqlite
test -f "$ext.so" || { echo "load.sh: $ext.so not built (make -C lib/sqlite)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "load.sh: SKIP: no sqlite3 shell (apt-get install sqlite3)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0

# 3000 rows of id|qty|price|day|flag, from a seeded awk
awk 'BEGIN { srand(76); for (i = 1; i <= 3000; i++)
	printf "%d|%d|%d.%02d|1994-%02d-%02d|%s\n", i, int(rand() * 50),
	       int(rand() * 1000), int(rand() * 100), 1 + int(rand() * 12),
	       1 + int(rand() * 28), substr("ANR", 1 + int(rand() * 3), 1) }' > "$tmp/t.tbl"
create="CREATE VIRTUAL TABLE t USING uringblk(file='$tmp/t.tbl', sep='|', columns='id INT, qty INT, price DEC2, day DATE, flag TEXT')"
ref="CREATE TABLE r(id INTEGER, qty INTEGER, price REAL, day TEXT, flag TEXT)"
where="qty < 24 AND price BETWEEN 100.5 AND 700 AND day >= '1994-03-01' AND flag <> 'N'"
query="SELECT flag, count(*), sum(qty), min(day), max(price) FROM %s WHERE $where GROUP BY flag ORDER BY flag"

# the sqlite3 shell
sqlite3 -batch :memory: ".load $ext" "$create" "$ref" ".separator |" ".import $tmp/t.tbl r" \
	"$(printf "$query" t)" > "$tmp/shell-t"
sqlite3 -batch :memory: ".separator |" "$ref" ".import $tmp/t.tbl r" \
	"$(printf "$query" r)" > "$tmp/shell-r"
if test -s "$tmp/shell-t" && cmp -s "$tmp/shell-t" "$tmp/shell-r"; then
	echo "ok: sqlite3 .load: $(wc -l < "$tmp/shell-t") groups as the ordinary table's"; pass=$((pass + 1))
else
	echo "FAIL: sqlite3 .load: the uringblk table and the ordinary one differ"; fail=$((fail + 1))
	diff "$tmp/shell-t" "$tmp/shell-r" || true
fi
plan=$(sqlite3 -batch :memory: ".load $ext" "$create" "EXPLAIN QUERY PLAN SELECT * FROM t WHERE $where")
ok=1
for t in "qty < ?" "price >= ?" "price <= ?" "day >= ?" "flag <> ?"; do
	case $plan in *"pushed: "*"$t"*"; pushed, checked again"*) ;; *) ok=0 ;; esac
done
case $plan in *"SQLite: ") ;; *) ok=0 ;; esac
if test $ok = 1; then
	echo "ok: sqlite3: EXPLAIN QUERY PLAN shows the five terms pushed, none left"; pass=$((pass + 1))
else
	echo "FAIL: sqlite3: plan '$plan'"; fail=$((fail + 1))
fi

# Python's sqlite3 module: the first python3 whose module can load extensions
py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null &&
	   "$p" -c 'import sqlite3; sqlite3.connect(":memory:").enable_load_extension' 2>/dev/null; then
		py=$p
		break
	fi
done
if test -z "$py"; then
	echo "load.sh: SKIP: Python: no python3 with sqlite3 load_extension"
else
	if EXT=$ext TBL=$tmp/t.tbl CREATE=$create WHERE=$where QUERY=$query "$py" - <<'EOF'; then
import csv, os, sqlite3
c = sqlite3.connect(":memory:")
c.enable_load_extension(True)
c.load_extension(os.environ["EXT"])
c.enable_load_extension(False)
c.execute(os.environ["CREATE"])
c.execute("CREATE TABLE r(id INTEGER, qty INTEGER, price REAL, day TEXT, flag TEXT)")
with open(os.environ["TBL"]) as f:
    c.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)",
                  ([int(a), int(b), float(p), d, fl] for a, b, p, d, fl in csv.reader(f, delimiter="|")))
q = os.environ["QUERY"]
got = c.execute(q % "t").fetchall()
want = c.execute(q % "r").fetchall()
pushed = c.execute("SELECT DISTINCT pushed FROM t WHERE " + os.environ["WHERE"]).fetchall()
# a parameter is bound after planning: pushed in xFilter, SQLite checks it again
par = c.execute("SELECT count(*) FROM t WHERE qty < ?", (10,)).fetchone()
par_want = c.execute("SELECT count(*) FROM r WHERE qty < ?", (10,)).fetchone()
if got and got == want and len(pushed) == 1 and "WHERE" in pushed[0][0] and par == par_want:
    print("ok: Python: %d groups as the ordinary table's; pushed: %s" % (len(got), pushed[0][0]))
else:
    print("FAIL: Python:", got, want, pushed, par, par_want)
    raise SystemExit(1)
EOF
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
fi
echo "load: $pass checks passed, $fail failed"
[ $fail -eq 0 ]
