/* parse-memstat.c: a cgroup v2's memory.stat ("key value" lines, bytes) and memory.current (parser layer) */
#include "config.h"

#include "error.h"
#include "parse-memstat.h"
#include "parse-util.h"

static const char *const key_names[MEM_CGSTAT_N] = {
	[MEM_CGSTAT_ANON] = "anon",
	[MEM_CGSTAT_FILE] = "file",
	[MEM_CGSTAT_SHMEM] = "shmem",
	[MEM_CGSTAT_FILE_MAPPED] = "file_mapped",
	[MEM_CGSTAT_KERNEL] = "kernel",
	[MEM_CGSTAT_KERNEL_STACK] = "kernel_stack",
	[MEM_CGSTAT_PAGETABLES] = "pagetables",
	[MEM_CGSTAT_SEC_PAGETABLES] = "sec_pagetables",
	[MEM_CGSTAT_PERCPU] = "percpu",
	[MEM_CGSTAT_SOCK] = "sock",
	[MEM_CGSTAT_VMALLOC] = "vmalloc",
	[MEM_CGSTAT_SLAB] = "slab",
};

const char *mem_cgstat_key_name(MemCgStatKey k)
{
	return k < MEM_CGSTAT_N ? key_names[k] : NULL;
}

/* The kept key spelled [p, p + n), or MEM_CGSTAT_N. */
static MemCgStatKey find_key(const char *p, gsize n)
{
	for (guint k = 0; k < MEM_CGSTAT_N; k++)
		if (strlen(key_names[k]) == n && memcmp(key_names[k], p, n) == 0)
			return (MemCgStatKey)k;
	return MEM_CGSTAT_N;
}

/* FALSE, naming the line, when [buf, buf + len) holds a NUL byte (no key holds one). */
static gboolean nul_free(const char *buf, gsize len, GError **error)
{
	const char *nul = memchr(buf, '\0', len);
	guint line = 1;

	if (!nul)
		return TRUE;
	for (const char *p = buf; p < nul; p++)
		line += *p == '\n';
	mem_parse_fail(error, MEM_ERROR_PARSE, line, "a NUL byte");
	return FALSE;
}

gboolean mem_parse_memstat(const char *buf, gsize len, MemCgStat *out, GError **error)
{
	const char *p = buf, *limit = buf + len;
	guint lineno = 0;

	memset(out, 0, sizeof *out);
	if (!nul_free(buf, len, error))
		return FALSE;
	while (p < limit) {
		const char *le = mem_line_end(p, limit), *sp;
		MemCgStatKey k;
		MemNumStatus st;
		guint64 v;

		lineno++;
		if (le == limit) {
			mem_parse_fail(error, MEM_ERROR_TRUNCATED, lineno, "last line has no newline (the read was cut short)");
			return FALSE;
		}
		sp = memchr(p, ' ', (gsize)(le - p));
		if (!sp || sp == p) {
			g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));

			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "not 'key value': '%s'", ex);
			return FALSE;
		}
		if ((st = mem_parse_dec_value(sp + 1, le, &v)) != MEM_NUM_OK) {
			mem_parse_fail_number(error, lineno, p, (gsize)(sp - p), st, sp + 1, le);
			return FALSE;
		}
		k = find_key(p, (gsize)(sp - p));
		if (k < MEM_CGSTAT_N) {
			if (out->known & (1u << k)) {
				mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "'%s' given twice", key_names[k]);
				return FALSE;
			}
			out->known |= 1u << k;
			out->v[k] = v;
		}
		p = le + 1;
	}
	return TRUE;
}

gboolean mem_parse_memcurrent(const char *buf, gsize len, guint64 *out, GError **error)
{
	const char *limit = buf + len;
	MemNumStatus st;

	if (len == 0 || buf[len - 1] != '\n') {
		mem_parse_fail(error, len ? MEM_ERROR_TRUNCATED : MEM_ERROR_PARSE, 1,
		               len ? "no newline (the read was cut short)" : "empty");
		return FALSE;
	}
	if (!nul_free(buf, len, error))
		return FALSE;
	if (memchr(buf, '\n', len - 1)) {
		mem_parse_fail(error, MEM_ERROR_PARSE, 2, "more than one line");
		return FALSE;
	}
	if ((st = mem_parse_dec_value(buf, limit - 1, out)) != MEM_NUM_OK) {
		mem_parse_fail_number(error, 1, "memory.current", 14, st, buf, limit - 1);
		return FALSE;
	}
	return TRUE;
}
