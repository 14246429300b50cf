/* fuzz-json.c: libFuzzer harness for the streaming JSON writer, checked by a small validating parser (rendering support layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "json-writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)
#define MAX_DEPTH 200

/*
 * The input is a little program: one opcode byte, then its operands.  The harness keeps its own
 * container stack so that it only asks the writer for what is legal, and records every scalar it
 * writes as an "event" string (strings repaired as the writer documents).  The validator below
 * parses the output with the JSON grammar and records the same events; both lists must agree.
 */

typedef struct {
	const guchar *p;
	gsize left;
} Input;

static gboolean take(Input *in, gsize n, const guchar **out)
{
	if (in->left < n)
		return FALSE;
	*out = in->p;
	in->p += n;
	in->left -= n;
	return TRUE;
}

/* The writer's documented repair: each invalid byte becomes U+FFFD, NUL stays (as \u0000). */
static void add_string_event(GPtrArray *events, const char *s, gsize len)
{
	GString *ev = g_string_new("s:");

	append_repaired(ev, s, len);
	g_ptr_array_add(events, ev);
}

static void add_event(GPtrArray *events, const char *text)
{
	g_ptr_array_add(events, g_string_new(text));
}

static gboolean read_bytes(Input *in, const guchar **s, gsize *len)
{
	const guchar *lenp;

	if (!take(in, 1, &lenp))
		return FALSE;
	*len = *lenp;
	if (*len == 0xff) {
		/* a long string: two more length bytes */
		const guchar *more;

		if (!take(in, 2, &more))
			return FALSE;
		*len = (gsize) more[0] << 8 | more[1];
	}
	if (*len > in->left)
		*len = in->left;
	return take(in, *len, s);
}

static void build(Input *in, MemJsonWriter *w, GPtrArray *events)
{
	GString *stack = g_string_new(NULL);    /* '{' or '[' per open container */
	gboolean want_value = FALSE;           /* a key was written */
	const guchar *op;

	mem_json_begin_array(w);
	g_string_append_c(stack, '[');
	while (take(in, 1, &op)) {
		gboolean in_object = stack->len > 0 && stack->str[stack->len - 1] == '{';
		const guchar *s;
		gsize len;

		/* inside an object without a key: every value op writes a key first */
		if (in_object && !want_value && *op % 9 != 1) {
			if (!read_bytes(in, &s, &len))
				break;
			{
				char *key = g_strndup((const char *) s, len);

				mem_json_key(w, key);
				add_string_event(events, key, strlen(key));
				g_free(key);
			}
			want_value = TRUE;
		}
		switch (*op % 9) {
		case 0:
			if (stack->len >= MAX_DEPTH)
				goto null_value;
			if (*op & 0x10) {
				mem_json_begin_object(w);
				g_string_append_c(stack, '{');
				add_event(events, "{");
			} else {
				mem_json_begin_array(w);
				g_string_append_c(stack, '[');
				add_event(events, "[");
			}
			want_value = FALSE;
			continue;
		case 1:
			if (stack->len <= 1 || want_value)
				continue;
			if (in_object) {
				mem_json_end_object(w);
				add_event(events, "}");
			} else {
				mem_json_end_array(w);
				add_event(events, "]");
			}
			g_string_truncate(stack, stack->len - 1);
			continue;
		case 2: case 3:
			if (!read_bytes(in, &s, &len))
				goto null_value;
			mem_json_string_len(w, (const char *) s, len);
			add_string_event(events, (const char *) s, len);
			break;
		case 4: {
			gint64 v = 0;

			if (!take(in, 8, &s))
				goto null_value;
			memcpy(&v, s, 8);
			mem_json_int(w, v);
			g_ptr_array_add(events, g_string_new(NULL));
			g_string_printf(events->pdata[events->len - 1], "n:%" G_GINT64_FORMAT, v);
			break;
		}
		case 5: {
			guint64 v = 0;

			if (!take(in, 8, &s))
				goto null_value;
			memcpy(&v, s, 8);
			mem_json_uint(w, v);
			g_ptr_array_add(events, g_string_new(NULL));
			g_string_printf(events->pdata[events->len - 1], "n:%" G_GUINT64_FORMAT, v);
			break;
		}
		case 6:
			mem_json_bool(w, (*op & 0x10) != 0);
			add_event(events, (*op & 0x10) ? "true" : "false");
			break;
		case 7:
			mem_json_string(w, NULL);
			add_event(events, "null");
			break;
		default:
		null_value:
			mem_json_null(w);
			add_event(events, "null");
			break;
		}
		want_value = FALSE;
	}
	if (want_value) {
		mem_json_null(w);
		add_event(events, "null");
	}
	while (stack->len > 0) {
		if (stack->str[stack->len - 1] == '{') {
			mem_json_end_object(w);
			if (stack->len > 1)
				add_event(events, "}");
		} else {
			mem_json_end_array(w);
			if (stack->len > 1)
				add_event(events, "]");
		}
		g_string_truncate(stack, stack->len - 1);
	}
	g_string_free(stack, TRUE);
}

/* --- a small validating JSON parser (RFC 8259, integers only, as the writer emits) --- */

typedef struct {
	const char *s;
	gsize len;
	gsize i;
	GPtrArray *events;
} Parser;

static void skip_ws(Parser *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\n' || p->s[p->i] == '\t' || p->s[p->i] == '\r'))
		p->i++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static gboolean parse_string(Parser *p)
{
	GString *ev = g_string_new("s:");

	if (p->i >= p->len || p->s[p->i] != '"')
		goto bad;
	p->i++;
	for (;;) {
		guchar b;

		if (p->i >= p->len)
			goto bad;
		b = (guchar) p->s[p->i++];
		if (b == '"')
			break;
		if (b < 0x20)
			goto bad;
		if (b != '\\') {
			g_string_append_c(ev, (char) b);
			continue;
		}
		if (p->i >= p->len)
			goto bad;
		b = (guchar) p->s[p->i++];
		switch (b) {
		case '"': case '\\': case '/': g_string_append_c(ev, (char) b); break;
		case 'b': g_string_append_c(ev, '\b'); break;
		case 'f': g_string_append_c(ev, '\f'); break;
		case 'n': g_string_append_c(ev, '\n'); break;
		case 'r': g_string_append_c(ev, '\r'); break;
		case 't': g_string_append_c(ev, '\t'); break;
		case 'u': {
			gunichar c = 0;

			if (p->i + 4 > p->len)
				goto bad;
			for (int k = 0; k < 4; k++) {
				int v = hexval(p->s[p->i++]);

				if (v < 0)
					goto bad;
				c = c * 16 + (gunichar) v;
			}
			if (c >= 0xd800 && c <= 0xdfff)
				goto bad;
			g_string_append_unichar(ev, c);
			break;
		}
		default:
			goto bad;
		}
	}
	g_ptr_array_add(p->events, ev);
	return TRUE;
bad:
	g_string_free(ev, TRUE);
	return FALSE;
}

static gboolean parse_number(Parser *p)
{
	gsize start = p->i;
	GString *ev;

	if (p->i < p->len && p->s[p->i] == '-')
		p->i++;
	if (p->i >= p->len || !g_ascii_isdigit(p->s[p->i]))
		return FALSE;
	if (p->s[p->i] == '0') {
		p->i++;
	} else {
		while (p->i < p->len && g_ascii_isdigit(p->s[p->i]))
			p->i++;
	}
	if (p->i - start == 2 && p->s[start] == '-' && p->s[start + 1] == '0')
		return FALSE;      /* the writer never writes -0 */
	ev = g_string_new("n:");
	g_string_append_len(ev, p->s + start, (gssize) (p->i - start));
	g_ptr_array_add(p->events, ev);
	return TRUE;
}

static gboolean parse_literal(Parser *p, const char *word)
{
	gsize n = strlen(word);

	if (p->len - p->i < n || memcmp(p->s + p->i, word, n) != 0)
		return FALSE;
	p->i += n;
	add_event(p->events, word);
	return TRUE;
}

static gboolean parse_value(Parser *p, guint depth);

static gboolean parse_container(Parser *p, guint depth, gboolean object)
{
	char close = object ? '}' : ']';
	gboolean first = TRUE;

	if (depth > 0)
		add_event(p->events, object ? "{" : "[");
	p->i++;
	for (;;) {
		skip_ws(p);
		if (p->i >= p->len)
			return FALSE;
		if (p->s[p->i] == close) {
			p->i++;
			if (depth > 0)
				add_event(p->events, object ? "}" : "]");
			return TRUE;
		}
		if (!first) {
			if (p->s[p->i] != ',')
				return FALSE;
			p->i++;
			skip_ws(p);
		}
		first = FALSE;
		if (object) {
			if (!parse_string(p))
				return FALSE;
			skip_ws(p);
			if (p->i >= p->len || p->s[p->i] != ':')
				return FALSE;
			p->i++;
			skip_ws(p);
		}
		if (!parse_value(p, depth + 1))
			return FALSE;
	}
}

static gboolean parse_value(Parser *p, guint depth)
{
	if (depth > MAX_DEPTH + 1 || p->i >= p->len)
		return FALSE;
	switch (p->s[p->i]) {
	case '{': return parse_container(p, depth, TRUE);
	case '[': return parse_container(p, depth, FALSE);
	case '"': return parse_string(p);
	case 't': return parse_literal(p, "true");
	case 'f': return parse_literal(p, "false");
	case 'n': return parse_literal(p, "null");
	default: return parse_number(p);
	}
}

static void free_gstring(gpointer s)
{
	g_string_free(s, TRUE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Input in = { data, size };
	GString *out = g_string_new(NULL);
	GPtrArray *want = g_ptr_array_new_with_free_func(free_gstring);
	GPtrArray *got = g_ptr_array_new_with_free_func(free_gstring);
	const guchar *mode;
	gboolean pretty = take(&in, 1, &mode) && (*mode & 1);
	MemJsonWriter *w = mem_json_writer_new(out, pretty);
	Parser p = { NULL, 0, 0, got };

	build(&in, w, want);
	FUZZ_ASSERT(mem_json_depth(w) == 0);
	mem_json_writer_free(w);

	FUZZ_ASSERT(g_utf8_validate(out->str, (gssize) out->len, NULL));
	for (gsize i = 0; i < out->len; i++) {
		guchar b = (guchar) out->str[i];

		FUZZ_ASSERT(b >= 0x20 || (pretty && b == '\n'));
		FUZZ_ASSERT(b != 0x7f);
	}
	if (!pretty)
		FUZZ_ASSERT(strchr(out->str, '\n') == NULL);

	p.s = out->str;
	p.len = out->len;
	FUZZ_ASSERT(out->len > 0 && out->str[0] == '[');
	FUZZ_ASSERT(parse_value(&p, 0));
	skip_ws(&p);
	FUZZ_ASSERT(p.i == p.len);

	FUZZ_ASSERT(got->len == want->len);
	for (guint i = 0; i < got->len; i++)
		FUZZ_ASSERT(g_string_equal(got->pdata[i], want->pdata[i]));

	g_ptr_array_unref(want);
	g_ptr_array_unref(got);
	g_string_free(out, TRUE);
	return 0;
}
