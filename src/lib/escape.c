/* escape.c: making untrusted bytes safe for text, JSON, CSV and HTML output (rendering support layer) */
#include "config.h"

#include <string.h>

#include "escape.h"

/*
 * Every escaper walks the input the same way: a run of plain ASCII is found by a scan and appended
 * with one g_string_append_len(); anything else is decoded as UTF-8 by hand.  The decoder follows
 * the well-formed byte sequences of Unicode (table 3-7): it rejects overlong forms, surrogates
 * (U+D800..U+DFFF), values above U+10FFFF, stray continuation bytes and truncated sequences.  On a
 * bad sequence exactly one byte is consumed and the walk resynchronises on the next byte, so every
 * byte that is not part of a valid character is reported on its own.
 */

static const char hex_digits[] = "0123456789abcdef";

/* Length (1..4) of the valid UTF-8 sequence at s, with its code point in *cp; 0 when invalid. */
static guint utf8_decode(const guchar *s, gsize len, gunichar *cp)
{
	guchar b0 = s[0];
	guint need;
	guchar lo = 0x80, hi = 0xbf;
	gunichar c;

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		need = 1;
		c = b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		need = 2;
		c = b0 & 0x0f;
		if (b0 == 0xe0)
			lo = 0xa0;        /* below: overlong */
		else if (b0 == 0xed)
			hi = 0x9f;        /* above: surrogates */
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		need = 3;
		c = b0 & 0x07;
		if (b0 == 0xf0)
			lo = 0x90;        /* below: overlong */
		else if (b0 == 0xf4)
			hi = 0x8f;        /* above: beyond U+10FFFF */
	} else {
		return 0;                 /* continuation byte, C0/C1 overlong lead, F5..FF */
	}
	if (len < need + 1)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	c = (c << 6) | (s[1] & 0x3f);
	for (guint k = 2; k <= need; k++) {
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
		c = (c << 6) | (s[k] & 0x3f);
	}
	*cp = c;
	return need + 1;
}

/* A valid character that may go to a terminal as is: not a control (C0, DEL, C1), not a format
 * character (bidi overrides, zero-width joiners), not unassigned, not a line or paragraph
 * separator. */
static gboolean char_printable(gunichar c)
{
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return FALSE;
	if (c == 0x2028 || c == 0x2029)
		return FALSE;
	return g_unichar_isprint(c);
}

static guint char_width(gunichar c)
{
	if (g_unichar_iszerowidth(c))
		return 0;
	return g_unichar_iswide(c) ? 2 : 1;
}

typedef enum {
	VISUAL_TEXT,
	VISUAL_CSV,
	VISUAL_HTML,
	VISUAL_OPENMETRICS,
} VisualMode;

/* "\xHH"; in an OpenMetrics label value "\\xHH", the format's escape of the backslash, so that the
 * value reads "\xHH" as in text output. */
static void append_hex_byte(GString *out, VisualMode mode, guchar b)
{
	char esc[5] = { '\\', '\\', 'x', hex_digits[b >> 4], hex_digits[b & 0x0f] };

	if (mode == VISUAL_OPENMETRICS)
		g_string_append_len(out, esc, 5);
	else
		g_string_append_len(out, esc + 1, 4);
}

/* Printable ASCII that the mode passes through unchanged. */
static inline gboolean visual_plain(VisualMode mode, guchar b)
{
	if (b < 0x20 || b >= 0x7f || b == '\\')
		return FALSE;
	switch (mode) {
	case VISUAL_TEXT:
		return TRUE;
	case VISUAL_CSV:
	case VISUAL_OPENMETRICS:
		return b != '"';
	case VISUAL_HTML:
		return b != '&' && b != '<' && b != '>' && b != '"' && b != '\'';
	}
	return FALSE;
}

/* Printable ASCII that the mode rewrites (backslash in every mode, so that "\x1b" written by the
 * escaper and the four bytes \ x 1 b of a name differ; CSV quote, HTML entities); returns its
 * display width. */
static gsize visual_special(GString *out, VisualMode mode, guchar b)
{
	const char *rep = NULL;

	if (b == '\\') {
		if (out)
			g_string_append_len(out, "\\\\", 2);
		return 2;
	}
	if (mode == VISUAL_CSV) {
		rep = "\"\"";
	} else if (mode == VISUAL_OPENMETRICS) {
		rep = "\\\"";
	} else {
		switch (b) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: break;
		}
	}
	if (rep == NULL) {
		if (out)
			g_string_append_c(out, (char) b);
		return 1;
	}
	if (out)
		g_string_append(out, rep);
	return mode == VISUAL_CSV || mode == VISUAL_OPENMETRICS ? 2 : 1;
}

/* Display width of printable ASCII byte b in this mode (what visual_special() writes for it). */
static gsize visual_special_width(VisualMode mode, guchar b)
{
	return b == '\\' || ((mode == VISUAL_CSV || mode == VISUAL_OPENMETRICS) && b == '"') ? 2 : 1;
}

/* The shared walk of the text, CSV and HTML escapers; out may be NULL to measure only.  The walk
 * stops before the first character (or \xHH escape) that would take the width past limit, and
 * *cut says whether it did. */
static gsize escape_visual_max(GString *out, const char *str, gsize len, VisualMode mode, gsize limit,
                               gboolean *cut)
{
	const guchar *s = (const guchar *) str;
	gsize i = 0;
	gsize width = 0;

	*cut = FALSE;
	while (i < len) {
		gsize start = i;
		gunichar c;
		guint n;

		while (i < len && visual_plain(mode, s[i]))
			i++;
		if (i > start) {
			if (i - start > limit - width) {
				i = start + (limit - width);
				*cut = TRUE;
			}
			if (out)
				g_string_append_len(out, str + start, (gssize) (i - start));
			width += i - start;
			if (i == len || *cut)
				break;
		}
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			if (visual_special_width(mode, s[i]) > limit - width) {
				*cut = TRUE;
				break;
			}
			width += visual_special(out, mode, s[i]);
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &c);
		if (n == 0) {
			n = 1;
		} else if (char_printable(c)) {
			if (char_width(c) > limit - width) {
				*cut = TRUE;
				break;
			}
			if (out)
				g_string_append_len(out, str + i, n);
			width += char_width(c);
			i += n;
			continue;
		}
		if (4 * (gsize) n > limit - width) {
			*cut = TRUE;
			break;
		}
		for (guint k = 0; k < n; k++) {
			if (out)
				append_hex_byte(out, mode, s[i + k]);
			width += 4;
		}
		i += n;
	}
	return width;
}

static gsize escape_visual(GString *out, const char *str, gsize len, VisualMode mode)
{
	gboolean cut;

	return escape_visual_max(out, str, len, mode, G_MAXSIZE, &cut);
}

gsize mem_escape_text(GString *out, const char *s, gsize len)
{
	g_return_val_if_fail(out != NULL, 0);
	g_return_val_if_fail(s != NULL || len == 0, 0);
	return escape_visual(out, s, len, VISUAL_TEXT);
}

/* A byte of x is zero (exact as a whole, though not per byte). */
#define SWAR_ONES G_GUINT64_CONSTANT(0x0101010101010101)
#define SWAR_HIGHS G_GUINT64_CONSTANT(0x8080808080808080)
#define SWAR_HAS_ZERO(x) (((x) - SWAR_ONES) & ~(x) & SWAR_HIGHS)

gboolean mem_escape_text_is_plain(const char *s, gsize len)
{
	gsize i = 0;

	/* eight bytes at a time: none below 0x20 (a zero after subtracting 0x20 from bytes below 0x80
	 * borrows), none at or above 0x7f, no backslash */
	for (; i + 8 <= len; i += 8) {
		guint64 x;

		memcpy(&x, s + i, 8);
		if (((x - 0x20 * SWAR_ONES) & ~x & SWAR_HIGHS) | (x & SWAR_HIGHS) | SWAR_HAS_ZERO(x ^ (0x7f * SWAR_ONES)) |
		    SWAR_HAS_ZERO(x ^ ('\\' * SWAR_ONES)))
			return FALSE;
	}
	for (; i < len; i++)
		if (!visual_plain(VISUAL_TEXT, (guchar)s[i]))
			return FALSE;
	return TRUE;
}

gsize mem_escape_text_width(const char *s, gsize len)
{
	g_return_val_if_fail(s != NULL || len == 0, 0);
	return escape_visual(NULL, s, len, VISUAL_TEXT);
}

static gsize ellipsis_width(const char *ellipsis)
{
	return g_utf8_strlen(ellipsis, -1);
}

gsize mem_escape_text_max(GString *out, const char *s, gsize len, gsize max_width, const char *ellipsis)
{
	gsize ell_width = ellipsis_width(ellipsis), width;
	gboolean cut;

	g_return_val_if_fail(out != NULL, 0);
	g_return_val_if_fail(s != NULL || len == 0, 0);
	g_return_val_if_fail(max_width >= ell_width, 0);
	/* Measure first: a value that fits is written whole, even when it ends exactly at the limit. */
	escape_visual_max(NULL, s, len, VISUAL_TEXT, max_width, &cut);
	if (!cut)
		return escape_visual(out, s, len, VISUAL_TEXT);
	width = escape_visual_max(out, s, len, VISUAL_TEXT, max_width - ell_width, &cut);
	g_string_append(out, ellipsis);
	return width + ell_width;
}

gsize mem_escape_text_width_max(const char *s, gsize len, gsize max_width, const char *ellipsis)
{
	gsize ell_width = ellipsis_width(ellipsis), width;
	gboolean cut;

	g_return_val_if_fail(s != NULL || len == 0, 0);
	g_return_val_if_fail(max_width >= ell_width, 0);
	width = escape_visual_max(NULL, s, len, VISUAL_TEXT, max_width, &cut);
	if (!cut)
		return width;
	return escape_visual_max(NULL, s, len, VISUAL_TEXT, max_width - ell_width, &cut) + ell_width;
}

void mem_escape_csv(GString *out, const char *s, gsize len)
{
	g_return_if_fail(out != NULL);
	g_return_if_fail(s != NULL || len == 0);
	g_string_append_c(out, '"');
	escape_visual(out, s, len, VISUAL_CSV);
	g_string_append_c(out, '"');
}

void mem_escape_openmetrics(GString *out, const char *s, gsize len)
{
	g_return_if_fail(out != NULL);
	g_return_if_fail(s != NULL || len == 0);
	escape_visual(out, s, len, VISUAL_OPENMETRICS);
}

void mem_escape_html(GString *out, const char *s, gsize len)
{
	g_return_if_fail(out != NULL);
	g_return_if_fail(s != NULL || len == 0);
	escape_visual(out, s, len, VISUAL_HTML);
}

static void append_json_u(GString *out, gunichar c)
{
	char esc[6] = {
		'\\', 'u',
		hex_digits[(c >> 12) & 0x0f], hex_digits[(c >> 8) & 0x0f],
		hex_digits[(c >> 4) & 0x0f], hex_digits[c & 0x0f],
	};

	g_string_append_len(out, esc, 6);
}

static inline gboolean json_plain(guchar b)
{
	return b >= 0x20 && b < 0x7f && b != '"' && b != '\\';
}

void mem_escape_json(GString *out, const char *str, gsize len)
{
	const guchar *s = (const guchar *) str;
	gsize i = 0;

	g_return_if_fail(out != NULL);
	g_return_if_fail(str != NULL || len == 0);

	while (i < len) {
		gsize start = i;
		gunichar c;
		guint n;

		while (i < len && json_plain(s[i]))
			i++;
		if (i > start) {
			g_string_append_len(out, str + start, (gssize) (i - start));
			if (i == len)
				break;
		}
		n = utf8_decode(s + i, len - i, &c);
		if (n == 0) {
			g_string_append(out, "\xef\xbf\xbd");        /* U+FFFD for each bad byte */
			i++;
			continue;
		}
		i += n;
		switch (c) {
		case '"': g_string_append(out, "\\\""); continue;
		case '\\': g_string_append(out, "\\\\"); continue;
		case '\n': g_string_append(out, "\\n"); continue;
		case '\t': g_string_append(out, "\\t"); continue;
		case '\r': g_string_append(out, "\\r"); continue;
		case '\b': g_string_append(out, "\\b"); continue;
		case '\f': g_string_append(out, "\\f"); continue;
		default: break;
		}
		/* C0, DEL, C1; and U+2028/U+2029, which JavaScript does not accept raw in strings. */
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029)
			append_json_u(out, c);
		else
			g_string_append_len(out, str + i - n, n);
	}
}
