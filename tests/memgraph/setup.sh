# setup.sh: what the memgraph tests share: the binaries, and a python that has jsonschema (test layer; sourced after lib.sh)
# shellcheck disable=SC2034 # sourced: the variables are the caller's
MEMGRAPH=${MEMGRAPH:-$top_builddir/memgraph}
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
[ -x "$MEMGRAPH" ] || { echo "FAIL: $MEMGRAPH is not built"; exit 1; }
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
# Debian's python3-jsonschema (tools/install-deps) validates against doc/memgraph.schema.json; the
# set-up installs it when missing, as the other tests do with their packages.
PYTHON_JS=$PYTHON3
if ! "$PYTHON_JS" -c 'import jsonschema' 2>/dev/null; then
	PYTHON_JS=/usr/bin/python3
	if ! "$PYTHON_JS" -c 'import jsonschema' 2>/dev/null && [ "$(id -u)" -eq 0 ]; then
		apt-get install -y --no-install-recommends python3-jsonschema >/dev/null 2>&1
	fi
	"$PYTHON_JS" -c 'import jsonschema' 2>/dev/null || { echo "FAIL: no python3-jsonschema"; exit 1; }
fi
export top_srcdir
