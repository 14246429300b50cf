#!/bin/sh
# sums.sh: issue 8's reproducers for memps's sums, groups, subtrees, escaping and wide cells, on snapshots from make-hostile.py (test layer)
#
# Each reproducer is checked literally (the row the issue quoted, fixed), then the same views go
# through check-text.py and check-json.py, whose expected values come from expect.py's reading of
# the raw files.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

"$PYTHON3" "$MEMPS_TESTDIR/make-hostile.py" "$T/h" >/dev/null || { echo "FAIL: make-hostile.py"; exit 99; }
H=$T/h

# row NAME TASK: the line of $T/NAME.out whose first word is TASK, blanks squeezed.
row() {
	awk -v t="$2" '$1 == t { $1 = $1; print; exit }' "$T/$1.out"
}

# same NAME WANT GOT
same() {
	[ "$2" = "$3" ] || fail "$1: got '$3', expected '$2'"
}

# 1. Unknown is not zero in sums: `memps -p 1` of an unreadable pid printed "TOTAL 0B".
run_memps p-unreadable -S "$H/sums" -p 10,11
expect_rc p-unreadable 0
same "TOTAL of unreadable processes" "TOTAL - - 0 processes, 2 not measured [not measured]" \
	"$(row p-unreadable TOTAL)"
same "job of unreadable processes" "j:none - - /none [not measured]" "$(row p-unreadable j:none)"
run_memps g-unreadable -S "$H/sums" -g program -p 10
same "group of an unreadable process" "c:deny-a - - 0 processes, 1 not measured [not measured]" \
	"$(row g-unreadable c:deny-a)"
run_memps sums -S "$H/sums"
same "job with some measured" "j:some 300k 300k /some [partial]" "$(row sums j:some)"
same "TOTAL with some measured" "TOTAL 2030k 2030k 5 processes, 4 not measured [partial]" "$(row sums TOTAL)"
run_memps sums-csv -S "$H/sums" -p 10,11 --csv
same "CSV TOTAL of unreadable processes" '"TOTAL",0,,,,"0 processes, 2 not measured","[not measured]"' \
	"$(grep '^"TOTAL"' "$T/sums-csv.out" | tr -d '\r')"
run_memps sums-json -S "$H/sums" -p 10,11 --json
"$PYTHON3" - "$T/sums-json.out" <<'PY' || fail "JSON totals of unreadable processes"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["totals"]
bad = [k for k in t if k.endswith("_bytes") and t[k] is not None]
if bad or t["processes"] != 0 or t["missing"] != 2 or t["partial"] is not True:
    print("totals %r: expected every figure null, 0 processes, 2 missing" % t)
    sys.exit(1)
PY

# 2. Only additive figures are summed: TOTAL and group rows added up SHARED and RSS.
run_memps shared -S "$FIXTURES/debian12-workload" -o pss,shared,rss,swap,vss,uss
same "TOTAL SHARED, RSS, SWAP, VSS blank" "TOTAL 27.2M 16.8M 10 processes, 1 not measured [partial]" \
	"$(row shared TOTAL)"
run_memps shared-g -S "$FIXTURES/debian12-workload" -g program -o pss,shared,rss
same "group SHARED and RSS blank" "c:workload 26.7M 7 processes" "$(row shared-g c:workload)"

# 3. --tree=parent: subtree rows with the sums, the process's own row first inside.
run_memps parent -S "$H/sums" --tree=parent
same "subtree of 50" "s:50 1230k 1230k top [subtree: 3 processes, 1 not measured] [partial]" "$(row parent s:50)"
same "own row of 50" "p:50 1000k 1000k 1000k top" "$(sed -n '/^s:50 /{n;p;q}' "$T/parent.out" | tr -s ' ' | sed 's/^ //')"

# 4. --group=program groups renamed forks and process titles by their program.
run_memps prog -S "$H/programs" -g program
for want in "c:prog 123k 123k 3 processes" "c:sshd 90k 90k 2 processes" "c:bash 130k 130k 2 processes" \
	"c:nocmd 80k 80k 1 process"; do
	same "program group" "$want" "$(row prog "${want%% *}")"
done
grep -q '^c:run me ' "$T/prog.out" || fail "program in a directory with a space: $(cat "$T/prog.out")"
run_memps prog-fx -S "$FIXTURES/debian12-workload" -g program
same "renamed forks of workload" "c:workload 26.7M 16.5M 7 processes" "$(row prog-fx c:workload)"

# 5. The name "a\x1b" (four bytes) and the name "a"+ESC print differently, in text and CSV.
run_memps bs -S "$H/backslash" --tree=none -o cmdline
same "text: backslash name" 'p:60 /bin/a\\x1b a\\x1b' "$(row bs p:60)"
same "text: ESC name" 'p:61 /bin/a\x1b a\x1b' "$(row bs p:61)"
run_memps bs-csv -S "$H/backslash" --tree=none -o cmdline --csv
same "CSV: backslash name" '"p:60",0,"/bin/a\\x1b","a\\x1b",""' "$(grep '^"p:60"' "$T/bs-csv.out" | tr -d '\r')"
same "CSV: ESC name" '"p:61",0,"/bin/a\x1b","a\x1b",""' "$(grep '^"p:61"' "$T/bs-csv.out" | tr -d '\r')"

# 6. Output amplification: one 1 MB command line among 14 processes printed 14 MB (here 896 KiB).
run_memps wide -S "$H/long-cmdline" -t none -o cmdline,pss
expect_rc wide 0
bytes=$(wc -c <"$T/wide.out")
[ "$bytes" -le 3000 ] || fail "-o cmdline,pss: $bytes bytes for 14 processes (a 1 MB command line padded every row)"
# 64 columns: "/usr/bin/huge " (14), 47 A, "..." (LC_ALL=C: not UTF-8)
same "cut command line" "p:70 /usr/bin/huge $(printf '%047d' 0 | tr 0 A)... 100k huge" "$(row wide p:70)"
awk 'length($0) > 120 { bad = 1 } END { exit bad }' "$T/wide.out" || fail "a row wider than 120 columns"
LC_ALL=C.UTF-8 "$MEMPS" -S "$H/long-cmdline" -t none -o cmdline,pss >"$T/wide-utf8.out" 2>"$T/wide-utf8.err"
grep -q "AAA$(printf '\342\200\246') " "$T/wide-utf8.out" || fail "UTF-8 locale: no U+2026 ellipsis: $(head -3 "$T/wide-utf8.out")"
# whole in CSV and JSON
run_memps wide-csv -S "$H/long-cmdline" -t none -o cmdline,pss --csv
run_memps wide-json -S "$H/long-cmdline" --json
"$PYTHON3" - "$T/wide-csv.out" "$T/wide-json.out" <<'PY' || fail "the long command line is not whole in CSV and JSON"
import csv, json, sys
csv.field_size_limit(1 << 24)
rows = list(csv.reader(open(sys.argv[1], newline="")))
args = ["/usr/bin/huge"] + ["A" * (128 << 10)] * 7
want = " ".join(args)
if not any(r[0] == "p:70" and r[2] == want for r in rows):
    sys.exit(1)
doc = json.load(open(sys.argv[2]))
if [p["cmdline"] for p in doc["processes"] if p["pid"] == 70] != [args]:
    sys.exit(1)
PY

# A numeric CSV column holds numbers only (unknown: an empty cell), in every view.
ALL=pss,private,shared,rss,uss,swap,swap_pss,pss_anon,pss_file,pss_shmem,pss_dirty,private_clean,private_dirty,shared_clean,shared_dirty,vss,pid,ppid,user,cmdline
for view in "" --tree=parent --tree=none --group=program --group=user; do
	for fx in "$H/sums" "$H/backslash" "$FIXTURES/debian12-workload"; do
		# shellcheck disable=SC2086
		run_memps csvn -S "$fx" --csv -o "$ALL" $view
		"$PYTHON3" - "$T/csvn.out" <<'PY' || fail "memps --csv $view on $fx: a numeric column holds text"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
text = {"TASK", "USER", "CMDLINE", "NAME", "NOTE"}
bad = [(r[0], h, v) for r in rows[1:] for h, v in zip(rows[0], r) if h not in text and v != "" and not v.isdigit()]
if bad or len(rows) < 2:
    print(bad[:5] or "no rows")
    sys.exit(1)
PY
	done
done

# 7. The oracle over every view of these snapshots.
n=0
for fx in sums programs backslash long-cmdline; do
	for args in "" "--tree=none -o pss,cmdline,shared,rss" "--tree=parent -o pss,private,cmdline" \
		"--group=program -o pss,rss,uss" "--group=user" "--bytes -o cmdline,pss,swap_pss"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		run_memps "o$n" -S "$H/$fx" $args
		# shellcheck disable=SC2086
		"$PYTHON3" "$MEMPS_TESTDIR/check-text.py" "$H/$fx" "$T/o$n.out" -- $args ||
			fail "$fx: memps $args"
	done
	for args in "" "--group=program" "--group=user" "--tree=parent"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		run_memps "o$n" -S "$H/$fx" --json $args
		# shellcheck disable=SC2086
		"$PYTHON3" "$MEMPS_TESTDIR/check-json.py" "$H/$fx" "$T/o$n.out" "$H/$fx" -- $args ||
			fail "$fx: memps --json $args"
	done
done
finish
