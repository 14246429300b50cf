/* fuzz-escape.c: libFuzzer harness for the text, JSON, CSV and HTML escapers (rendering support layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

static gboolean is_raw_control(guchar b)
{
	return b < 0x20 || b == 0x7f;
}

static int hex_value(guchar c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes JSON string contents (no quotes) into out; FALSE when they are not valid JSON. */
static gboolean json_string_decode(const GString *s, GString *out)
{
	gsize i = 0;

	while (i < s->len) {
		guchar b = (guchar) s->str[i++];

		if (b == '"' || b < 0x20)
			return FALSE;
		if (b != '\\') {
			g_string_append_c(out, (char) b);
			continue;
		}
		if (i >= s->len)
			return FALSE;
		b = (guchar) s->str[i++];
		switch (b) {
		case '"': case '\\': case '/': g_string_append_c(out, (char) b); break;
		case 'b': g_string_append_c(out, '\b'); break;
		case 'f': g_string_append_c(out, '\f'); break;
		case 'n': g_string_append_c(out, '\n'); break;
		case 'r': g_string_append_c(out, '\r'); break;
		case 't': g_string_append_c(out, '\t'); break;
		case 'u': {
			gunichar c = 0;

			if (i + 4 > s->len)
				return FALSE;
			for (int k = 0; k < 4; k++) {
				int v = hex_value((guchar) s->str[i++]);

				if (v < 0)
					return FALSE;
				c = c * 16 + (gunichar) v;
			}
			if (c >= 0xd800 && c <= 0xdfff)
				return FALSE;      /* the escaper never writes surrogate pairs */
			g_string_append_unichar(out, c);
			break;
		}
		default:
			return FALSE;
		}
	}
	return TRUE;
}

static void check_text(const char *s, gsize len)
{
	GString *out = g_string_new(NULL);
	gsize width = mem_escape_text(out, s, len);

	FUZZ_ASSERT(width == mem_escape_text_width(s, len));
	FUZZ_ASSERT(g_utf8_validate(out->str, (gssize) out->len, NULL));
	for (gsize i = 0; i < out->len; i++)
		FUZZ_ASSERT(!is_raw_control((guchar) out->str[i]));
	/* C1 controls never reach the terminal as characters */
	for (const char *p = out->str; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		FUZZ_ASSERT(!(c >= 0x80 && c <= 0x9f));
	}
	FUZZ_ASSERT(width <= 4 * len);
	g_string_free(out, TRUE);
}

static void check_json(const char *s, gsize len)
{
	GString *out = g_string_new(NULL);
	GString *decoded = g_string_new(NULL);
	GString *want = g_string_new(NULL);

	mem_escape_json(out, s, len);
	FUZZ_ASSERT(g_utf8_validate(out->str, (gssize) out->len, NULL));
	for (gsize i = 0; i < out->len; i++)
		FUZZ_ASSERT(!is_raw_control((guchar) out->str[i]));
	FUZZ_ASSERT(json_string_decode(out, decoded));
	append_repaired(want, s, len);
	FUZZ_ASSERT(g_string_equal(decoded, want));
	g_string_free(out, TRUE);
	g_string_free(decoded, TRUE);
	g_string_free(want, TRUE);
}

static void check_csv(const char *s, gsize len)
{
	GString *out = g_string_new(NULL);

	mem_escape_csv(out, s, len);
	FUZZ_ASSERT(g_utf8_validate(out->str, (gssize) out->len, NULL));
	FUZZ_ASSERT(out->len >= 2 && out->str[0] == '"' && out->str[out->len - 1] == '"');
	for (gsize i = 1; i + 1 < out->len; i++) {
		FUZZ_ASSERT(!is_raw_control((guchar) out->str[i]));
		if (out->str[i] == '"') {
			/* quotes inside come in pairs */
			FUZZ_ASSERT(i + 2 < out->len && out->str[i + 1] == '"');
			i++;
		}
	}
	g_string_free(out, TRUE);
}

static void check_html(const char *s, gsize len)
{
	static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	GString *out = g_string_new(NULL);

	mem_escape_html(out, s, len);
	FUZZ_ASSERT(g_utf8_validate(out->str, (gssize) out->len, NULL));
	for (gsize i = 0; i < out->len; i++) {
		guchar b = (guchar) out->str[i];

		FUZZ_ASSERT(!is_raw_control(b) && b != '<' && b != '>' && b != '"' && b != '\'');
		if (b == '&') {
			gboolean known = FALSE;

			for (gsize k = 0; k < G_N_ELEMENTS(entities); k++)
				known |= strncmp(out->str + i, entities[k], strlen(entities[k])) == 0;
			FUZZ_ASSERT(known);
		}
	}
	g_string_free(out, TRUE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;

	check_text(s, size);
	check_json(s, size);
	check_csv(s, size);
	check_html(s, size);
	return 0;
}
