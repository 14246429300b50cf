/* parse-zram.c: the source's "zram" file, one line per zram device: its name and its mm_stat (parser layer) */
#include "config.h"

#include "error.h"
#include "parse-util.h"
#include "parse-zram.h"

/* mm_stat's fields before Linux 5.x added huge_pages: the fewest a line may have. */
#define MIN_FIELDS 7
/* huge_pages_since (6.x) is the ninth; a later kernel may add more, which are checked and skipped. */
#define MAX_FIELDS 32

static gboolean bad_line(GError **error, guint lineno, const char *p, const char *le, const char *what)
{
	g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));

	mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "%s: '%s'", what, ex);
	return FALSE;
}

/* "zram" and decimal digits without a leading zero (zram0, zram12). */
static gboolean zram_name(const char *p, const char *e)
{
	if (e - p < 5 || memcmp(p, "zram", 4) != 0 || (p[4] == '0' && e - p > 5))
		return FALSE;
	for (const char *q = p + 4; q < e; q++)
		if (*q < '0' || *q > '9')
			return FALSE;
	return TRUE;
}

gboolean mem_parse_zram(const char *buf, gsize len, MemZram *out, GError **error)
{
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *p = buf, *limit = buf + len;
	guint lineno = 0;

	memset(out, 0, sizeof *out);
	if (memchr(buf, '\0', len))
		return mem_parse_fail(error, MEM_ERROR_PARSE, 1, "a NUL byte in the zram file"), FALSE;
	while (p < limit) {
		const char *le = mem_line_end(p, limit), *q, *e;
		guint64 f[MAX_FIELDS];
		guint n = 0;
		char *name;

		lineno++;
		if (le == limit) {
			mem_parse_fail(error, MEM_ERROR_TRUNCATED, lineno, "last line has no newline (the read was cut short)");
			return FALSE;
		}
		for (e = p; e < le && *e != ' ' && *e != '\t'; e++)
			;
		if (!zram_name(p, e))
			return bad_line(error, lineno, p, le, "expected a device name zram<N> first");
		name = g_strndup(p, (gsize)(e - p));
		if (!g_hash_table_add(names, name))
			return bad_line(error, lineno, p, le, "the device is listed twice");
		for (q = mem_skip_blanks(e, le); q < le; q = mem_skip_blanks(e, le)) {
			if (n == MAX_FIELDS)
				return bad_line(error, lineno, p, le, "more mm_stat fields than any kernel writes");
			if (!mem_parse_u64(q, le, &f[n], &e) || (e < le && *e != ' ' && *e != '\t'))
				return bad_line(error, lineno, p, le, "an mm_stat field is not a decimal below 2^64");
			n++;
		}
		if (n < MIN_FIELDS)
			return bad_line(error, lineno, p, le, "fewer than 7 mm_stat fields");
		if (__builtin_add_overflow(out->orig_bytes, f[0], &out->orig_bytes) ||
		    __builtin_add_overflow(out->compr_bytes, f[1], &out->compr_bytes) ||
		    __builtin_add_overflow(out->used_bytes, f[2], &out->used_bytes))
			return bad_line(error, lineno, p, le, "the devices' sizes add up to more than 2^64");
		out->n_devices++;
		p = le + 1;
	}
	return TRUE;
}
