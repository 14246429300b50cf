/* check-escape.c: Check unit tests for the text, JSON, CSV, HTML and OpenMetrics escapers, escape.c (rendering support layer tests) */
#include "config.h"

#include <check.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "escape.h"
#include "../common/check-run.h"

/* ck_assert() records its location on every call (a write per check); loops over millions of
 * inputs test with these instead and only call into Check on failure. */
#define FAST_CHECK(cond) \
	do { if (G_UNLIKELY(!(cond))) ck_abort_msg("%s:%d: failed: %s", __FILE__, __LINE__, #cond); } while (0)
#define FAST_CHECK_MSG(cond, ...) \
	do { if (G_UNLIKELY(!(cond))) ck_abort_msg(__VA_ARGS__); } while (0)

typedef struct {
	const char *in;
	gsize len;        /* 0: strlen(in) */
	const char *out;
	gsize width;
} EscCase;

#define S(lit) lit, sizeof(lit) - 1

static const EscCase text_cases[] = {
	{ S(""), "", 0 },
	{ S("sshd"), "sshd", 4 },
	{ S("a b~"), "a b~", 4 },
	{ S("back\\slash"), "back\\\\slash", 11 },
	/* the four bytes \ x 1 b and the byte ESC must not print the same (issue 8) */
	{ S("a\\x1b"), "a\\\\x1b", 6 },
	{ S("a\x1b"), "a\\x1b", 5 },
	{ S("\\012"), "\\\\012", 5 },
	{ S("a\nb"), "a\\x0ab", 6 },
	{ S("\t\r"), "\\x09\\x0d", 8 },
	{ S("\x1b[31mred"), "\\x1b[31mred", 11 },
	{ S("del\x7f"), "del\\x7f", 7 },
	{ S("nul\0in"), "nul\\x00in", 9 },
	{ S("\x01\x1f"), "\\x01\\x1f", 8 },
	/* valid UTF-8 */
	{ S("h\xc3\xa9llo"), "h\xc3\xa9llo", 5 },
	{ S("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac", 4 },   /* two wide CJK */
	{ S("e\xcc\x81"), "e\xcc\x81", 1 },                             /* combining acute */
	{ S("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80", 2 },               /* U+1F600, wide */
	{ S("\xee\x80\x80"), "\xee\x80\x80", 1 },                       /* U+E000 private use */
	{ S("\xf4\x8f\xbf\xbd"), "\xf4\x8f\xbf\xbd", 1 },               /* U+10FFFD private use */
	{ S("\xef\xbf\xbd"), "\xef\xbf\xbd", 1 },                       /* U+FFFD itself */
	{ S("\xed\x9e\xa3"), "\xed\x9e\xa3", 2 },                       /* U+D7A3, below surrogates, wide */
	/* C1 controls, valid UTF-8 but acted on by terminals */
	{ S("\xc2\x80"), "\\xc2\\x80", 8 },
	{ S("\xc2\x85"), "\\xc2\\x85", 8 },
	{ S("\xc2\x9b" "2J"), "\\xc2\\x9b2J", 10 },
	{ S("\xc2\x9f"), "\\xc2\\x9f", 8 },
	{ S("\xc2\xa0"), "\xc2\xa0", 1 },                               /* NBSP is printable */
	/* format and separator characters */
	{ S("\xe2\x80\xae" "abc"), "\\xe2\\x80\\xaeabc", 15 },          /* U+202E RLO */
	{ S("\xe2\x80\xa8"), "\\xe2\\x80\\xa8", 12 },                   /* U+2028 */
	{ S("\xe2\x80\xa9"), "\\xe2\\x80\\xa9", 12 },                   /* U+2029 */
	/* invalid: raw C1 bytes, stray continuations, bad leads */
	{ S("\x9b"), "\\x9b", 4 },
	{ S("a\x80z"), "a\\x80z", 6 },
	{ S("\xbf"), "\\xbf", 4 },
	{ S("\xfe\xff"), "\\xfe\\xff", 8 },
	{ S("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80", 16 },
	{ S("\xf8\x88\x80\x80\x80"), "\\xf8\\x88\\x80\\x80\\x80", 20 },
	/* overlongs */
	{ S("\xc0\xaf"), "\\xc0\\xaf", 8 },
	{ S("\xc1\xbf"), "\\xc1\\xbf", 8 },
	{ S("\xc0\x80"), "\\xc0\\x80", 8 },
	{ S("\xe0\x80\xaf"), "\\xe0\\x80\\xaf", 12 },
	{ S("\xe0\x9f\xbf"), "\\xe0\\x9f\\xbf", 12 },
	{ S("\xe0\xa0\x80"), "\xe0\xa0\x80", 1 },                       /* U+0800, the first 3-byte form */
	{ S("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf", 16 },
	{ S("\xf0\x8f\xbf\xbf"), "\\xf0\\x8f\\xbf\\xbf", 16 },
	/* surrogates */
	{ S("\xed\xa0\x80"), "\\xed\\xa0\\x80", 12 },
	{ S("\xed\xbf\xbf"), "\\xed\\xbf\\xbf", 12 },
	{ S("\xed\xa0\xbd\xed\xb8\x80"), "\\xed\\xa0\\xbd\\xed\\xb8\\x80", 24 },
	/* above U+10FFFF */
	{ S("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80", 16 },
	{ S("\xf7\xbf\xbf\xbf"), "\\xf7\\xbf\\xbf\\xbf", 16 },
	/* truncated sequences, and resynchronisation on the next byte */
	{ S("ab\xe6\x97"), "ab\\xe6\\x97", 10 },
	{ S("\xe6\x97" "a"), "\\xe6\\x97a", 9 },
	{ S("\xf0\x9f\x98"), "\\xf0\\x9f\\x98", 12 },
	{ S("\xff\xe6\x97\xa5"), "\\xff\xe6\x97\xa5", 6 },
	{ S("\xe6\xc3\xa9"), "\\xe6\xc3\xa9", 5 },
	{ S("\xc3"), "\\xc3", 4 },
	{ S("name (deleted)"), "name (deleted)", 14 },
};

static void check_text_case(const EscCase *c)
{
	GString *out = g_string_new("<");
	gsize width = mem_escape_text(out, c->in, c->len);

	ck_assert_msg(strcmp(out->str + 1, c->out) == 0, "case %s: got \"%s\"", c->out, out->str + 1);
	ck_assert_msg(width == c->width, "case %s: width %zu, expected %zu", c->out, width, c->width);
	ck_assert_uint_eq(mem_escape_text_width(c->in, c->len), c->width);
	g_string_free(out, TRUE);
}

START_TEST(test_text_table)
{
	check_text_case(&text_cases[_i]);
}
END_TEST

/* The same printable rule as escape.c, stated on its own. */
static gboolean ref_printable(gunichar c)
{
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029)
		return FALSE;
	return g_unichar_isprint(c);
}

/* Reference text escaper built on glib's own UTF-8 validation (g_utf8_get_char_validated), to
 * check that the hand-written decoder accepts exactly the well-formed sequences. */
static void ref_hex(GString *out, guchar b)
{
	static const char digits[] = "0123456789abcdef";

	g_string_append_c(out, '\\');
	g_string_append_c(out, 'x');
	g_string_append_c(out, digits[b >> 4]);
	g_string_append_c(out, digits[b & 15]);
}

static void ref_escape_text(GString *out, const char *s, gsize len)
{
	gsize i = 0;

	while (i < len) {
		gunichar c = g_utf8_get_char_validated(s + i, (gssize) (len - i));
		gsize n;

		/* glib decodes a NUL byte as U+0000 only when a length is given; treat it as a control */
		if (c == (gunichar) -1 || c == (gunichar) -2 || (s[i] == '\0')) {
			ref_hex(out, (guchar) s[i]);
			i++;
			continue;
		}
		if (s[i] == '\\') {
			g_string_append(out, "\\\\");
			i++;
			continue;
		}
		n = (gsize) g_unichar_to_utf8(c, NULL);
		if (ref_printable(c)) {
			g_string_append_len(out, s + i, (gssize) n);
		} else {
			for (gsize k = 0; k < n; k++)
				ref_hex(out, (guchar) s[i + k]);
		}
		i += n;
	}
}

static void compare_with_ref(const char *s, gsize len)
{
	static GString *got, *want;

	if (got == NULL) {
		got = g_string_new(NULL);
		want = g_string_new(NULL);
	}
	g_string_truncate(got, 0);
	g_string_truncate(want, 0);
	mem_escape_text(got, s, len);
	ref_escape_text(want, s, len);
	if (!g_string_equal(got, want)) {
		GString *hex = g_string_new(NULL);

		for (gsize k = 0; k < len; k++)
			g_string_append_printf(hex, "%02x ", (guchar) s[k]);
		ck_abort_msg("input %s: got \"%s\", reference \"%s\"", hex->str, got->str, want->str);
	}
}

/* Every 1, 2 and 3 byte input whose first byte is not ASCII, and 4 byte inputs with every lead
 * F0..F7 and second byte, against the glib reference. */
START_TEST(test_text_exhaustive)
{
	static const guchar tails[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc3, 0xe6, 0xf0, 0xff };
	char b[4];

	for (guint x = 0; x < 256; x++) {
		b[0] = (char) x;
		compare_with_ref(b, 1);
		for (guint y = 0; y < 256; y++) {
			b[1] = (char) y;
			compare_with_ref(b, 2);
			if (x < 0xc0)
				continue;
			for (guint z = 0; z < 256; z++) {
				b[2] = (char) z;
				compare_with_ref(b, 3);
			}
		}
	}
	for (guint x = 0xf0; x < 0xf8; x++) {
		b[0] = (char) x;
		for (guint y = 0; y < 256; y++) {
			b[1] = (char) y;
			for (gsize k = 0; k < G_N_ELEMENTS(tails); k++) {
				b[2] = (char) tails[k];
				for (gsize m = 0; m < G_N_ELEMENTS(tails); m++) {
					b[3] = (char) tails[m];
					compare_with_ref(b, 4);
				}
			}
		}
	}
}
END_TEST

/* Every code point: its encoding passes unchanged exactly when it is printable, and is one
 * character wide, two, or zero as glib says. */
START_TEST(test_text_every_code_point)
{
	GString *out = g_string_new(NULL);

	for (gunichar c = 0; c <= 0x10ffff; c++) {
		char enc[6];
		gint n;
		gsize width;

		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		n = g_unichar_to_utf8(c, enc);
		g_string_truncate(out, 0);
		width = mem_escape_text(out, enc, (gsize) n);
		if (c == '\\') {
			FAST_CHECK_MSG(strcmp(out->str, "\\\\") == 0 && width == 2, "backslash not doubled");
		} else if (ref_printable(c)) {
			FAST_CHECK_MSG(out->len == (gsize) n && memcmp(out->str, enc, (gsize) n) == 0, "U+%04X changed", c);
			FAST_CHECK((width) == (g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1));
		} else {
			FAST_CHECK_MSG(out->len == 4 * (gsize) n, "U+%04X not escaped per byte", c);
			FAST_CHECK((width) == (4 * (gsize) n));
		}
	}
	g_string_free(out, TRUE);
}
END_TEST

static void random_bytes(GRand *rand, char *buf, gsize len, gboolean no_nul)
{
	static const char *const pieces[] = {
		"\x1b[2J", "\xc2\x9b", "\xe6\x97\xa5", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\xaf",
		"\xe2\x80\xae", "\"", "\\", "\n", "<&>'", "\xef\xbf\xbd", "\xf4\x90\x80\x80",
	};
	gsize i = 0;

	while (i < len) {
		guint kind = (guint) g_rand_int_range(rand, 0, 4);

		if (kind == 0) {
			const char *p = pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces))];
			gsize n = MIN(strlen(p), len - i);

			memcpy(buf + i, p, n);
			i += n;
		} else if (kind == 1) {
			buf[i++] = (char) g_rand_int_range(rand, 0x20, 0x7f);
		} else {
			buf[i++] = (char) g_rand_int_range(rand, 0, 256);
		}
		if (no_nul && i > 0 && buf[i - 1] == '\0')
			buf[i - 1] = '\x01';
	}
}

START_TEST(test_text_random)
{
	GRand *rand = g_rand_new_with_seed(7);
	char buf[64];

	for (int round = 0; round < 100000; round++) {
		gsize len = (gsize) g_rand_int_range(rand, 0, sizeof(buf));
		GString *out = g_string_new(NULL);
		gsize width;

		random_bytes(rand, buf, len, FALSE);
		compare_with_ref(buf, len);
		width = mem_escape_text(out, buf, len);
		FAST_CHECK(width == mem_escape_text_width(buf, len));
		FAST_CHECK(g_utf8_validate(out->str, (gssize) out->len, NULL));
		for (gsize k = 0; k < out->len; k++)
			FAST_CHECK((guchar) out->str[k] >= 0x20 && out->str[k] != 0x7f);
		g_string_free(out, TRUE);
	}
	g_rand_free(rand);
}
END_TEST

/* Reads escaped text back: "\\\\" is a backslash, "\\xHH" a byte, anything else itself.  FALSE on
 * a backslash that starts neither (the escaper never writes one). */
static gboolean unescape_text(const char *s, gsize len, GString *out)
{
	for (gsize i = 0; i < len; i++) {
		if (s[i] != '\\') {
			g_string_append_c(out, s[i]);
			continue;
		}
		if (i + 1 < len && s[i + 1] == '\\') {
			g_string_append_c(out, '\\');
			i++;
		} else if (i + 3 < len && s[i + 1] == 'x' && g_ascii_isxdigit(s[i + 2]) && g_ascii_isxdigit(s[i + 3])) {
			g_string_append_c(out, (char) (g_ascii_xdigit_value(s[i + 2]) * 16 + g_ascii_xdigit_value(s[i + 3])));
			i += 3;
		} else {
			return FALSE;
		}
	}
	return TRUE;
}

/* Unambiguous: the text (and CSV field) of any input reads back as that input, so two different
 * names never print the same ("a\\x1b" and "a" ESC did before issue 8). */
START_TEST(test_text_csv_roundtrip)
{
	GRand *rand = g_rand_new_with_seed(11);
	char buf[64];

	for (int round = 0; round < 50000; round++) {
		gsize len = (gsize) g_rand_int_range(rand, 0, sizeof(buf));
		GString *out = g_string_new(NULL), *back = g_string_new(NULL);
		GString *csv = g_string_new(NULL), *field = g_string_new(NULL);

		random_bytes(rand, buf, len, FALSE);
		if (len && g_rand_boolean(rand))
			buf[g_rand_int_range(rand, 0, (gint32) len)] = '\\';
		mem_escape_text(out, buf, len);
		FAST_CHECK(unescape_text(out->str, out->len, back));
		FAST_CHECK(back->len == len && memcmp(back->str, buf, len) == 0);
		/* CSV: drop the quotes, undouble "", then the same reading */
		mem_escape_csv(csv, buf, len);
		for (gsize k = 1; k + 1 < csv->len; k++) {
			g_string_append_c(field, csv->str[k]);
			if (csv->str[k] == '"')
				k++;
		}
		g_string_truncate(back, 0);
		FAST_CHECK(unescape_text(field->str, field->len, back));
		FAST_CHECK(back->len == len && memcmp(back->str, buf, len) == 0);
		g_string_free(out, TRUE);
		g_string_free(back, TRUE);
		g_string_free(csv, TRUE);
		g_string_free(field, TRUE);
	}
	g_rand_free(rand);
}
END_TEST

typedef struct {
	const char *in;
	gsize len;
	gsize max;
	const char *ellipsis;
	const char *out;
	gsize width;
} MaxCase;

static const MaxCase max_cases[] = {
	{ S("abcdef"), 6, "...", "abcdef", 6 },             /* fits exactly: whole */
	{ S("abcdefg"), 6, "...", "abc...", 6 },
	{ S("abcdefg"), 6, "\xe2\x80\xa6", "abcde\xe2\x80\xa6", 6 },
	{ S("ab\x1b" "cdef"), 6, "\xe2\x80\xa6", "ab\xe2\x80\xa6", 3 },   /* \x1b does not fit: cut before it */
	{ S("ab\\cdef"), 5, "\xe2\x80\xa6", "ab\\\\\xe2\x80\xa6", 5 },
	{ S("a\xe6\x97\xa5\xe6\x9c\xac"), 4, "\xe2\x80\xa6", "a\xe6\x97\xa5\xe2\x80\xa6", 4 }, /* wide */
	{ S("a\xe6\x97\xa5\xe6\x9c\xac" "b"), 5, "...", "a...", 4 },
	{ S(""), 3, "...", "", 0 },
	{ S("abc"), 3, "...", "abc", 3 },
	{ S("abcd"), 3, "...", "...", 3 },
};

START_TEST(test_text_max)
{
	const MaxCase *c = &max_cases[_i];
	GString *out = g_string_new("<");
	gsize width = mem_escape_text_max(out, c->in, c->len, c->max, c->ellipsis);

	ck_assert_msg(strcmp(out->str + 1, c->out) == 0, "case %u: got \"%s\", expected \"%s\"", _i, out->str + 1, c->out);
	ck_assert_uint_eq(width, c->width);
	ck_assert_uint_eq(mem_escape_text_width_max(c->in, c->len, c->max, c->ellipsis), c->width);
	g_string_free(out, TRUE);
}
END_TEST

/* A 16 MB value is cut to the limit, and measuring it does not walk it. */
START_TEST(test_text_max_large)
{
	gsize len = 16 << 20;
	char *big = g_malloc(len);
	GString *out = g_string_new(NULL);

	memset(big, 'x', len);
	ck_assert_uint_eq(mem_escape_text_max(out, big, len, 64, "..."), 64);
	ck_assert_uint_eq(out->len, 64);
	ck_assert(memcmp(out->str + 61, "...", 3) == 0);
	ck_assert_uint_eq(mem_escape_text_width_max(big, len, 64, "..."), 64);
	g_free(big);
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_text_appends)
{
	GString *out = g_string_new("prefix:");

	mem_escape_text(out, "a\x01", 2);
	mem_escape_text(out, NULL, 0);
	ck_assert_str_eq(out->str, "prefix:a\\x01");
	ck_assert_uint_eq(mem_escape_text_width(NULL, 0), 0);
	g_string_free(out, TRUE);
}
END_TEST

/* mem_escape_text_is_plain() says TRUE exactly when mem_escape_text() copies the bytes unchanged:
 * every byte value at every position of texts of 1 to 19 bytes (the 8-byte steps and the tail). */
START_TEST(test_text_is_plain)
{
	char buf[20];

	for (gsize len = 1; len < sizeof buf; len++)
		for (gsize at = 0; at < len; at++)
			for (int b = 0; b < 256; b++) {
				GString *out = g_string_new(NULL);
				gboolean same;

				memset(buf, 'a', len);
				buf[at] = (char)b;
				mem_escape_text(out, buf, len);
				same = out->len == len && memcmp(out->str, buf, len) == 0;
				ck_assert_msg(mem_escape_text_is_plain(buf, len) == same, "byte 0x%02x at %zu of %zu", b, at, len);
				g_string_free(out, TRUE);
			}
	ck_assert(mem_escape_text_is_plain(NULL, 0));
}
END_TEST

START_TEST(test_text_large)
{
	gsize len = 1 << 20;
	char *big = g_malloc(len);
	GString *out = g_string_new(NULL);

	memset(big, 'x', len);
	big[len / 2] = '\n';
	ck_assert_uint_eq(mem_escape_text(out, big, len), len + 3);
	ck_assert_uint_eq(out->len, len + 3);
	ck_assert(memcmp(out->str + len / 2, "\\x0a", 4) == 0);
	g_free(big);
	g_string_free(out, TRUE);
}
END_TEST

static const EscCase json_cases[] = {
	{ S(""), "", 0 },
	{ S("sshd"), "sshd", 0 },
	{ S("a\"b"), "a\\\"b", 0 },
	{ S("a\\b"), "a\\\\b", 0 },
	{ S("/usr/bin"), "/usr/bin", 0 },
	{ S("\n\t\r\b\f"), "\\n\\t\\r\\b\\f", 0 },
	{ S("\x01\x1b[0m\x1f"), "\\u0001\\u001b[0m\\u001f", 0 },
	{ S("\x7f"), "\\u007f", 0 },
	{ S("n\0l"), "n\\u0000l", 0 },
	{ S("\xc2\x80\xc2\x9f"), "\\u0080\\u009f", 0 },
	{ S("\xc2\xa0"), "\xc2\xa0", 0 },
	{ S("h\xc3\xa9"), "h\xc3\xa9", 0 },
	{ S("\xe6\x97\xa5"), "\xe6\x97\xa5", 0 },
	{ S("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80", 0 },
	{ S("\xe2\x80\xa8\xe2\x80\xa9"), "\\u2028\\u2029", 0 },
	{ S("\xe2\x80\xae"), "\xe2\x80\xae", 0 },
	{ S("\xff"), "\xef\xbf\xbd", 0 },
	{ S("a\x80" "b"), "a\xef\xbf\xbd" "b", 0 },
	{ S("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd", 0 },
	{ S("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 0 },
	{ S("\xf4\x90\x80\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 0 },
	{ S("\xe6\x97"), "\xef\xbf\xbd\xef\xbf\xbd", 0 },
	{ S("\xe6\x97\"\xe6\x97\xa5"), "\xef\xbf\xbd\xef\xbf\xbd\\\"\xe6\x97\xa5", 0 },
	{ S("\xef\xbf\xbd"), "\xef\xbf\xbd", 0 },
};

START_TEST(test_json_table)
{
	const EscCase *c = &json_cases[_i];
	GString *out = g_string_new(NULL);

	mem_escape_json(out, c->in, c->len);
	ck_assert_msg(strcmp(out->str, c->out) == 0, "case %s: got \"%s\"", c->out, out->str);
	g_string_free(out, TRUE);
}
END_TEST

/* Parses ["<escaped>"] with json-glib and returns the string, or NULL when it does not parse. */
static char *json_glib_roundtrip(const char *s, gsize len)
{
	GString *doc = g_string_new("[\"");
	JsonParser *parser = json_parser_new();
	GError *error = NULL;
	char *result = NULL;

	mem_escape_json(doc, s, len);
	g_string_append(doc, "\"]");
	FAST_CHECK_MSG(g_utf8_validate(doc->str, (gssize) doc->len, NULL), "escaped JSON is not UTF-8");
	if (json_parser_load_from_data(parser, doc->str, (gssize) doc->len, &error)) {
		JsonNode *root = json_parser_get_root(parser);
		JsonArray *array = json_node_get_array(root);

		FAST_CHECK((json_array_get_length(array)) == (1));
		result = g_strdup(json_array_get_string_element(array, 0));
	} else {
		ck_abort_msg("json-glib rejects %s: %s", doc->str, error->message);
	}
	g_clear_error(&error);
	g_object_unref(parser);
	g_string_free(doc, TRUE);
	return result;
}

START_TEST(test_json_random_roundtrip)
{
	GRand *rand = g_rand_new_with_seed(11);
	char buf[48];

	for (int round = 0; round < 20000; round++) {
		gsize len = (gsize) g_rand_int_range(rand, 0, sizeof(buf));
		char *back;
		char *want;

		random_bytes(rand, buf, len, TRUE);
		back = json_glib_roundtrip(buf, len);
		/* glib's own repair replaces each invalid byte with U+FFFD, as the escaper does */
		want = g_utf8_make_valid(buf, (gssize) len);
		FAST_CHECK_MSG(strcmp(back, want) == 0, "round %d: round trip differs", round);
		if (g_utf8_validate(buf, (gssize) len, NULL))
			FAST_CHECK(strlen(back) == len && memcmp(back, buf, len) == 0);
		g_free(back);
		g_free(want);
	}
	g_rand_free(rand);
}
END_TEST

START_TEST(test_json_every_control)
{
	for (guint b = 1; b < 0x20; b++) {
		char in[1] = { (char) b };
		GString *out = g_string_new(NULL);
		char *back;

		mem_escape_json(out, in, 1);
		ck_assert_msg(out->str[0] == '\\', "byte %02x not escaped", b);
		for (gsize k = 0; k < out->len; k++)
			ck_assert((guchar) out->str[k] >= 0x20);
		back = json_glib_roundtrip(in, 1);
		ck_assert_uint_eq(strlen(back), 1);
		ck_assert_uint_eq((guchar) back[0], b);
		g_free(back);
		g_string_free(out, TRUE);
	}
}
END_TEST

START_TEST(test_json_large)
{
	gsize len = 1 << 20;
	char *big = g_malloc(len);
	GRand *rand = g_rand_new_with_seed(3);
	char *back;
	char *want;

	random_bytes(rand, big, len, TRUE);
	back = json_glib_roundtrip(big, len);
	want = g_utf8_make_valid(big, (gssize) len);
	ck_assert(strcmp(back, want) == 0);
	g_free(back);
	g_free(want);
	g_free(big);
	g_rand_free(rand);
}
END_TEST

static const EscCase csv_cases[] = {
	{ S(""), "\"\"", 0 },
	{ S("abc"), "\"abc\"", 0 },
	{ S("a,b"), "\"a,b\"", 0 },
	{ S("say \"hi\""), "\"say \"\"hi\"\"\"", 0 },
	{ S("\"\""), "\"\"\"\"\"\"", 0 },
	{ S("two\r\nlines"), "\"two\\x0d\\x0alines\"", 0 },
	{ S("h\xc3\xa9"), "\"h\xc3\xa9\"", 0 },
	{ S("\xff\x1b"), "\"\\xff\\x1b\"", 0 },
	{ S("back\\slash"), "\"back\\\\slash\"", 0 },
	{ S("a\\x1b"), "\"a\\\\x1b\"", 0 },
	{ S("a\x1b"), "\"a\\x1b\"", 0 },
};

START_TEST(test_csv_table)
{
	const EscCase *c = &csv_cases[_i];
	GString *out = g_string_new(NULL);

	mem_escape_csv(out, c->in, c->len);
	ck_assert_msg(strcmp(out->str, c->out) == 0, "case %s: got %s", c->out, out->str);
	g_string_free(out, TRUE);
}
END_TEST

static const EscCase html_cases[] = {
	{ S(""), "", 0 },
	{ S("plain"), "plain", 0 },
	{ S("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", 0 },
	{ S("a&b \"q\""), "a&amp;b &quot;q&quot;", 0 },
	{ S("&amp;"), "&amp;amp;", 0 },
	{ S("\x1b]0;t\x07"), "\\x1b]0;t\\x07", 0 },
	{ S("h\xc3\xa9\xe6\x97\xa5"), "h\xc3\xa9\xe6\x97\xa5", 0 },
	{ S("\xc0<"), "\\xc0&lt;", 0 },
	{ S("\xc2\x9b"), "\\xc2\\x9b", 0 },
	{ S("a\\x1b"), "a\\\\x1b", 0 },       /* a backslash is doubled: not the ESC byte below */
	{ S("a\x1b"), "a\\x1b", 0 },
};

START_TEST(test_html_table)
{
	const EscCase *c = &html_cases[_i];
	GString *out = g_string_new(NULL);

	mem_escape_html(out, c->in, c->len);
	ck_assert_msg(strcmp(out->str, c->out) == 0, "case %s: got %s", c->out, out->str);
	g_string_free(out, TRUE);
}
END_TEST

/* CSV and HTML: never a raw control or special byte, always valid UTF-8, over random input. */
START_TEST(test_csv_html_random)
{
	GRand *rand = g_rand_new_with_seed(5);
	char buf[64];

	for (int round = 0; round < 50000; round++) {
		gsize len = (gsize) g_rand_int_range(rand, 0, sizeof(buf));
		GString *csv = g_string_new(NULL);
		GString *html = g_string_new(NULL);
		guint quotes = 0;

		random_bytes(rand, buf, len, FALSE);
		mem_escape_csv(csv, buf, len);
		mem_escape_html(html, buf, len);
		FAST_CHECK(g_utf8_validate(csv->str, (gssize) csv->len, NULL));
		FAST_CHECK(g_utf8_validate(html->str, (gssize) html->len, NULL));
		FAST_CHECK(csv->len >= 2 && csv->str[0] == '"' && csv->str[csv->len - 1] == '"');
		for (gsize k = 1; k + 1 < csv->len; k++) {
			FAST_CHECK((guchar) csv->str[k] >= 0x20 && csv->str[k] != 0x7f);
			if (csv->str[k] == '"')
				quotes++;
		}
		FAST_CHECK_MSG(quotes % 2 == 0, "unpaired quote in %s", csv->str);
		for (gsize k = 0; k < html->len; k++) {
			guchar b = (guchar) html->str[k];

			FAST_CHECK(b >= 0x20 && b != 0x7f && b != '<' && b != '>' && b != '"' && b != '\'');
		}
		g_string_free(csv, TRUE);
		g_string_free(html, TRUE);
	}
	g_rand_free(rand);
}
END_TEST

/* OpenMetrics label values: the format's \" and \\, everything unprintable as the text \xHH (its
 * backslash escaped: \\xHH), a backslash of the name one backslash. */
static const EscCase om_cases[] = {
	{ S(""), "", 0 },
	{ S("/system.slice/a.service"), "/system.slice/a.service", 0 },
	{ S("say \"hi\""), "say \\\"hi\\\"", 0 },
	{ S("sys\\x2dfsck"), "sys\\\\x2dfsck", 0 },       /* systemd's \x2d reads \x2d */
	{ S("a\x1b"), "a\\\\x1b", 0 },                  /* the byte ESC: the same value */
	{ S("nl\nx"), "nl\\\\x0ax", 0 },
	{ S("\xff\xfe"), "\\\\xff\\\\xfe", 0 },
	{ S("c1\xc2\x9b"), "c1\\\\xc2\\\\x9b", 0 },
	{ S("h\xc3\xa9 \xe5\xad\x97"), "h\xc3\xa9 \xe5\xad\x97", 0 },
	{ "n\0ul", 4, "n\\\\x00ul", 0 },
};

START_TEST(test_openmetrics)
{
	GRand *rand = g_rand_new_with_seed(11);
	char buf[64];

	for (gsize i = 0; i < G_N_ELEMENTS(om_cases); i++) {
		g_autoptr(GString) out = g_string_new("x");

		mem_escape_openmetrics(out, om_cases[i].in, om_cases[i].len);
		ck_assert_msg(strcmp(out->str + 1, om_cases[i].out) == 0, "case %s: got %s", om_cases[i].out, out->str + 1);
	}
	/* Random bytes: valid UTF-8, no control byte, and the label-value grammar: a backslash starts
	 * \\ or \", a quote is escaped. */
	for (int round = 0; round < 50000; round++) {
		gsize len = (gsize) g_rand_int_range(rand, 0, sizeof(buf));
		g_autoptr(GString) out = g_string_new(NULL);

		random_bytes(rand, buf, len, FALSE);
		mem_escape_openmetrics(out, buf, len);
		FAST_CHECK(g_utf8_validate(out->str, (gssize) out->len, NULL));
		for (gsize k = 0; k < out->len; k++) {
			guchar b = (guchar) out->str[k];

			FAST_CHECK(b >= 0x20 && b != 0x7f && b != '"');
			if (b == '\\') {
				FAST_CHECK_MSG(k + 1 < out->len && (out->str[k + 1] == '\\' || out->str[k + 1] == '"'),
				               "a lone backslash in %s", out->str);
				k++;
			}
		}
	}
	g_rand_free(rand);
}
END_TEST

static Suite *escape_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("text");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_text_table, 0, G_N_ELEMENTS(text_cases));
	tcase_add_test(tc, test_text_exhaustive);
	tcase_add_test(tc, test_text_every_code_point);
	tcase_add_test(tc, test_text_random);
	tcase_add_test(tc, test_text_appends);
	tcase_add_test(tc, test_text_is_plain);
	tcase_add_test(tc, test_text_csv_roundtrip);
	tcase_add_loop_test(tc, test_text_max, 0, G_N_ELEMENTS(max_cases));
	tcase_add_test(tc, test_text_max_large);
	tcase_add_test(tc, test_text_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_json_table, 0, G_N_ELEMENTS(json_cases));
	tcase_add_test(tc, test_json_random_roundtrip);
	tcase_add_test(tc, test_json_every_control);
	tcase_add_test(tc, test_json_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv-html");
	tcase_add_loop_test(tc, test_csv_table, 0, G_N_ELEMENTS(csv_cases));
	tcase_add_loop_test(tc, test_html_table, 0, G_N_ELEMENTS(html_cases));
	tcase_add_test(tc, test_csv_html_random);
	tcase_add_test(tc, test_openmetrics);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(escape_suite());
}
