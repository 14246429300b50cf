/* parse-util.c: number, line and error helpers shared by the parsers (parser layer) */
#include "config.h"

#include <stdarg.h>

#include "error.h"
#include "parse-util.h"

gboolean mem_parse_u64(const char *p, const char *limit, guint64 *out, const char **end)
{
	const char *start = p;
	guint64 v = 0;

	while (p < limit && *p >= '0' && *p <= '9') {
		guint d = (guint)(*p - '0');
		/* G_MAXUINT64 is 18446744073709551615: v*10+d must not pass it. */
		if (v > G_MAXUINT64 / 10 || (v == G_MAXUINT64 / 10 && d > G_MAXUINT64 % 10)) {
			*end = p;
			return FALSE;
		}
		v = v * 10 + d;
		p++;
	}
	*end = p;
	if (p == start)
		return FALSE;
	*out = v;
	return TRUE;
}

/* Each byte's value as a hex digit plus one, 0 for any other byte: one lookup a digit where there
 * were three range checks (the four hex fields of every smaps header were 7% of memmaps's
 * instructions). */
static const guint8 hex_digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

gboolean mem_parse_x64(const char *p, const char *limit, guint64 *out, const char **end)
{
	const char *start = p;
	guint64 v = 0;
	guint d;

	while (p < limit && (d = hex_digit1[(guchar)*p]) != 0) {
		if (v >> 60) {
			*end = p;
			return FALSE;
		}
		v = (v << 4) | (guint64)(d - 1);
		p++;
	}
	*end = p;
	if (p == start)
		return FALSE;
	*out = v;
	return TRUE;
}

MemNumStatus mem_parse_kb_value(const char *p, const char *limit, gboolean unit_optional, guint64 *out,
                                gboolean *has_kb)
{
	guint64 v;
	const char *e;

	p = mem_skip_blanks(p, limit);
	if (p < limit && *p == '-')
		return MEM_NUM_NEGATIVE;
	if (!mem_parse_u64(p, limit, &v, &e))
		return e > p ? MEM_NUM_OVERFLOW : MEM_NUM_SYNTAX;
	p = mem_skip_blanks(e, limit);
	if (p == limit) {
		if (!unit_optional)
			return MEM_NUM_SYNTAX;
		if (has_kb)
			*has_kb = FALSE;
		*out = v;
		return MEM_NUM_OK;
	}
	if (limit - p < 2 || p[0] != 'k' || p[1] != 'B' || p == e)
		return MEM_NUM_SYNTAX;
	if (mem_skip_blanks(p + 2, limit) != limit)
		return MEM_NUM_SYNTAX;
	if (v > G_MAXUINT64 / 1024)
		return MEM_NUM_OVERFLOW;
	if (has_kb)
		*has_kb = TRUE;
	*out = v * 1024;
	return MEM_NUM_OK;
}

MemNumStatus mem_parse_dec_value(const char *p, const char *limit, guint64 *out)
{
	const char *e;

	p = mem_skip_blanks(p, limit);
	if (p < limit && *p == '-')
		return MEM_NUM_NEGATIVE;
	if (!mem_parse_u64(p, limit, out, &e))
		return e > p ? MEM_NUM_OVERFLOW : MEM_NUM_SYNTAX;
	if (mem_skip_blanks(e, limit) != limit)
		return MEM_NUM_SYNTAX;
	return MEM_NUM_OK;
}

void mem_parse_fail(GError **error, int code, guint line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (error == NULL)
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, MEM_ERROR, code, "line %u: %s", line, msg);
	g_free(msg);
}

void mem_parse_fail_number(GError **error, guint line, const char *key, gsize key_len, MemNumStatus st,
                           const char *value, const char *limit)
{
	static const char *const reasons[] = {
		[MEM_NUM_OK] = "no error",
		[MEM_NUM_SYNTAX] = "expected a number",
		[MEM_NUM_NEGATIVE] = "negative value",
		[MEM_NUM_OVERFLOW] = "value too large for 64 bits",
		[MEM_NUM_NARROW] = "value too large for 32 bits",
	};
	g_autofree char *k = mem_parse_excerpt(key, key_len);
	g_autofree char *v = NULL;

	value = mem_skip_blanks(value, limit);
	v = mem_parse_excerpt(value, (gsize)(limit - value));

	mem_parse_fail(error, MEM_ERROR_PARSE, line, "%s: %s, got '%s'", k, reasons[st], v);
}

char *mem_parse_excerpt(const char *p, gsize len)
{
	enum { MAX_EXCERPT = 40 };
	GString *s = g_string_sized_new(MAX_EXCERPT + 8);
	gsize n = len < MAX_EXCERPT ? len : MAX_EXCERPT;

	for (gsize i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		switch (c) {
		case '\\':
			g_string_append(s, "\\\\");
			break;
		case '\'':
			g_string_append(s, "\\'");
			break;
		case '\n':
			g_string_append(s, "\\n");
			break;
		case '\t':
			g_string_append(s, "\\t");
			break;
		default:
			if (c >= 0x20 && c < 0x7f)
				g_string_append_c(s, (char)c);
			else
				g_string_append_printf(s, "\\x%02x", c);
		}
	}
	if (n < len)
		g_string_append(s, "...");
	return g_string_free(s, FALSE);
}
