#!/bin/sh
# golden-json.sh: memps --json over the recorded fixtures (dir, proc/-wrapped dir, .tar.gz) vs expect.py (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

for fx in debian12-workload smemcap-style; do
	dir=$FIXTURES/$fx
	run_memps "$fx-dir" -S "$dir" --json
	expect_rc "$fx-dir" 0
	"$PYTHON3" "$MEMPS_TESTDIR/check-json.py" "$dir" "$T/$fx-dir.out" "$dir" || fail "$fx: directory"

	mkdir -p "$T/wrap-$fx"
	cp -a "$dir" "$T/wrap-$fx/proc"
	run_memps "$fx-wrap" -S "$T/wrap-$fx" --json
	expect_rc "$fx-wrap" 0
	"$PYTHON3" "$MEMPS_TESTDIR/check-json.py" "$dir" "$T/$fx-wrap.out" "$T/wrap-$fx" || fail "$fx: dir holding proc/"

	make_tar "$dir" "$T/$fx.tar.gz"
	run_memps "$fx-tgz" -S "$T/$fx.tar.gz" --json
	expect_rc "$fx-tgz" 0
	"$PYTHON3" "$MEMPS_TESTDIR/check-json.py" "$dir" "$T/$fx-tgz.out" "$T/$fx.tar.gz" || fail "$fx: .tar.gz"

	# groups and parent subtrees: every sum from expect.py
	for view in --group=program --group=user --tree=parent; do
		run_memps "$fx$view" -S "$dir" --json "$view"
		expect_rc "$fx$view" 0
		"$PYTHON3" "$MEMPS_TESTDIR/check-json.py" "$dir" "$T/$fx$view.out" "$dir" -- "$view" || fail "$fx: $view"
	done

	make_tar "$dir" "$T/$fx.tar"
	"$MEMPS" -S - --json <"$T/$fx.tar" >"$T/$fx-stdin.out" 2>"$T/$fx-stdin.err"
	RC=$?
	no_crash "$fx-stdin" "$RC" "$T/$fx-stdin.err"
	expect_rc "$fx-stdin" 0

	# Tar and directory give the same document except source.path and source.format.
	"$PYTHON3" - "$T/$fx-dir.out" "$T/$fx-tgz.out" "$T/$fx-stdin.out" <<'PY' || fail "$fx: tar and dir differ"
import json, sys
docs = []
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    d["source"].pop("path", None)
    d["source"].pop("format", None)
    docs.append(d)
for name, d in zip(sys.argv[2:], docs[1:]):
    if d != docs[0]:
        for k in docs[0]:
            if d.get(k) != docs[0][k]:
                print("%s differs from the directory's output in %r" % (name, k))
        sys.exit(1)
PY
done
finish
