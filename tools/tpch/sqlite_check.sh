#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
#
# sqlite_check.sh FILE q6|q1 - TPC-H Q6 or Q1 over a dbgen lineitem text
# file, computed by sqlite3 (an independent engine: its own parser, its
# own filter, group-by and sums), printed in uringblk-tpch's format so
# that the outputs compare with cmp.  sqlite3 reads the decimals as REAL;
# the query turns each into an exact integer of its scale (round(x * 100):
# exact for values with two decimals) before any arithmetic, and sums in
# 64-bit integers, as bpf/tpch.h says the drive does.
set -eu
file=$1
q=$2
command -v sqlite3 >/dev/null || {
	echo "sqlite_check.sh: sqlite3 not found: apt-get install sqlite3 (or tools/deps.sh)" >&2
	exit 2
}
schema='create table lineitem (l_orderkey integer, l_partkey integer,
 l_suppkey integer, l_linenumber integer, l_quantity integer,
 l_extendedprice real, l_discount real, l_tax real, l_returnflag text,
 l_linestatus text, l_shipdate text, l_commitdate text, l_receiptdate text,
 l_shipinstruct text, l_shipmode text, l_comment text, l_end text);'
case $q in
q6) query="select printf('%d.%04d', s / 10000, s % 10000) from (
 select sum(cast(round(l_extendedprice * 100) as integer) *
            cast(round(l_discount * 100) as integer)) as s
 from lineitem
 where l_shipdate >= '1994-01-01' and l_shipdate < '1995-01-01'
   and l_discount between 0.05 and 0.07 and l_quantity < 24);" ;;
q1) query="with t as (select l_returnflag rf, l_linestatus ls, l_quantity q,
   cast(round(l_extendedprice * 100) as integer) p,
   cast(round(l_discount * 100) as integer) d,
   cast(round(l_tax * 100) as integer) x
 from lineitem where l_shipdate <= '1998-09-02'),
 g as (select rf, ls, sum(q) sq, sum(p) sp, sum(p * (100 - d)) sdp,
   sum(p * (100 - d) * (100 + x)) sc, sum(d) sd, count(*) c
 from t group by rf, ls)
 select rf, ls, sq, printf('%d.%02d', sp / 100, sp % 100),
   printf('%d.%04d', sdp / 10000, sdp % 10000),
   printf('%d.%06d', sc / 1000000, sc % 1000000),
   printf('%d.%04d', sq * 10000 / c / 10000, sq * 10000 / c % 10000),
   printf('%d.%04d', sp * 100 / c / 10000, sp * 100 / c % 10000),
   printf('%d.%04d', sd * 100 / c / 10000, sd * 100 / c % 10000), c
 from g order by rf, ls;" ;;
*) echo "usage: sqlite_check.sh FILE q6|q1" >&2; exit 2 ;;
esac
# dbgen's lines end in '|': the 17th column, l_end, takes the empty rest
sqlite3 -batch :memory: ".separator |" "$schema" ".import $file lineitem" "$query"
