#!/bin/sh
# tests/footprint.sh: the default path loads only glib and libc; libarchive and libproc2 only on demand
set -eu
memps="$top_builddir/memps"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Eager dependencies: glib (+gmodule and glib's own pcre2 and libm) when it is linked shared, libc,
# the loader.  With static glib (the default where Debian ships it) only libc remains.
deps=$(ldd "$memps" | awk '{print $1}')
case "$deps" in
*libasan*|*libubsan*) echo "sanitizer build: the footprint is measured on the plain build"; exit 77 ;;
esac
for d in $deps; do
	case "$d" in
	linux-vdso.so.*|linux-gate.so.*|/lib*/ld-linux*|ld-linux*) ;;
	libglib-2.0.so.*|libgmodule-2.0.so.*|libpcre2-8.so.*|libc.so.*|libm.so.*) ;;
	*) bad "eager dependency $d" ;;
	esac
done

# What the dynamic loader really opens (LD_DEBUG=files), per mode.
loaded() { LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\).*/\1/p' | sort -u; }
libs=$(loaded "$memps" --json -p $$)
echo "$libs" | grep -Eq 'libarchive|libproc2|json-glib|gobject|gio' && bad "default run loads: $libs"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/snap/$$"
cat /proc/meminfo >"$tmp/snap/meminfo"
for f in stat status cmdline cgroup smaps_rollup; do cat "/proc/$$/$f" >"$tmp/snap/$$/$f"; done
tar -C "$tmp/snap" -czf "$tmp/snap.tar.gz" .
libs=$(loaded "$memps" -S "$tmp/snap" --json)
echo "$libs" | grep -q libarchive && bad "a snapshot directory loads libarchive"
libs=$(loaded "$memps" -S "$tmp/snap.tar.gz" --json)
echo "$libs" | grep -q libarchive || bad "a tar snapshot did not load libarchive: $libs"
if [ -r /proc/1/stat ]; then
	libs=$(loaded "$memps" --cross-check -p $$)
	echo "$libs" | grep -q libproc2 || bad "--cross-check did not load libproc2: $libs"
fi
[ $fail -eq 0 ] && echo "footprint ok: $(echo $deps | tr '\n' ' ')"
exit $fail
