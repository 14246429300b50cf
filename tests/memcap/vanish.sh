#!/bin/sh
# vanish.sh: processes that exit while memcap records them are whole or absent, never half there: a churn of short-lived processes during captures under dash, busybox and mksh with toybox (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memcap/lib-memcap.sh"
need_userlands

# The churn: processes living from a few milliseconds to two seconds (some outlive a capture), started all the
# time, counted in $T/churn.count (one line per process started).
: >"$T/churn.count"
(
	while [ ! -e "$T/churn.stop" ]; do
		sleep 0.05 &
		sleep 0.2 &
		sleep 2 &
		/bin/true
		echo x >>"$T/churn.count"
		sleep 0.01
	done
	wait
) &
churn=$!
trap 'touch "$T/churn.stop"; wait; cleanup_tmp' EXIT
sleep 0.5

i=0
for run in "sh|/usr/bin:/bin" "$BUSYBOX sh|$T/bb" "$MKSH|$T/tb"; do
	i=$((i + 1))
	sh_cmd=${run%|*}
	path=${run#*|}
	before=$(wc -l <"$T/churn.count")
	# shellcheck disable=SC2086
	env -i PATH="$path" $sh_cmd "$MEMCAP" -o "$T/cap$i" 2>"$T/cap$i.err" || fail "run $i ($sh_cmd): exit $?"
	# shellcheck disable=SC2086
	env -i PATH="$path" $sh_cmd -s <"$MEMCAP" >"$T/cap$i.tar" 2>>"$T/cap$i.err" || fail "run $i ($sh_cmd) piped: exit $?"
	after=$(wc -l <"$T/churn.count")
	[ $((after - before)) -ge 3 ] || fail "run $i: the churn did not run during the capture ($before, $after)"
	[ -s "$T/cap$i.err" ] && fail "run $i: stderr: $(head -3 "$T/cap$i.err")"
	for c in "$T/cap$i" "$T/cap$i.tar"; do
		"$PYTHON3" "$CHECK_CAPTURE" whole "$c" 5 >"$T/whole.out" || { fail "run $i: $c"; cat "$T/whole.out"; }
	done
	# The churn's sleeps that made it in are whole: at least one, over the runs (checked at the end).
	grep -l '^sleep' "$T/cap$i"/*/comm >>"$T/sleeps" 2>/dev/null
done
[ -s "$T/sleeps" ] || fail "no short-lived process in any capture: the test checked nothing of them"
touch "$T/churn.stop"
wait "$churn"
finish
