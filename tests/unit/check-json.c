/* check-json.c: Check unit tests for the streaming JSON writer, json-writer.c (rendering support layer tests) */
#include "config.h"

#include <check.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "json-writer.h"
#include "../common/check-run.h"

/* ck_assert() records its location on every call (a write per check); loops test with this
 * instead and only call into Check on failure. */
#define FAST_CHECK_MSG(cond, ...) \
	do { if (G_UNLIKELY(!(cond))) ck_abort_msg(__VA_ARGS__); } while (0)

static JsonNode *parse_or_fail(const GString *doc)
{
	JsonParser *parser = json_parser_new();
	GError *error = NULL;
	JsonNode *root;

	FAST_CHECK_MSG(g_utf8_validate(doc->str, (gssize) doc->len, NULL), "output is not UTF-8");
	if (!json_parser_load_from_data(parser, doc->str, (gssize) doc->len, &error))
		ck_abort_msg("json-glib rejects the document: %s", error->message);
	root = json_node_copy(json_parser_get_root(parser));
	g_object_unref(parser);
	return root;
}

START_TEST(test_compact)
{
	GString *out = g_string_new(NULL);
	MemJsonWriter *w = mem_json_writer_new(out, FALSE);

	mem_json_begin_object(w);
	ck_assert_uint_eq(mem_json_depth(w), 1);
	mem_json_key(w, "schema");
	mem_json_string(w, "memps/1");
	mem_json_key(w, "n");
	mem_json_int(w, 42);
	mem_json_key(w, "flags");
	mem_json_begin_array(w);
	ck_assert_uint_eq(mem_json_depth(w), 2);
	mem_json_bool(w, TRUE);
	mem_json_bool(w, FALSE);
	mem_json_null(w);
	mem_json_string(w, NULL);
	mem_json_end_array(w);
	mem_json_key(w, "empty_o");
	mem_json_begin_object(w);
	mem_json_end_object(w);
	mem_json_key(w, "empty_a");
	mem_json_begin_array(w);
	mem_json_end_array(w);
	mem_json_key(w, "nested");
	mem_json_begin_array(w);
	mem_json_begin_array(w);
	mem_json_begin_object(w);
	mem_json_key(w, "x");
	mem_json_uint(w, 0);
	mem_json_end_object(w);
	mem_json_end_array(w);
	mem_json_begin_array(w);
	mem_json_end_array(w);
	mem_json_end_array(w);
	mem_json_end_object(w);
	ck_assert_uint_eq(mem_json_depth(w), 0);
	ck_assert_str_eq(out->str,
		"{\"schema\":\"memps/1\",\"n\":42,\"flags\":[true,false,null,null],\"empty_o\":{},"
		"\"empty_a\":[],\"nested\":[[{\"x\":0}],[]]}");
	json_node_unref(parse_or_fail(out));
	mem_json_writer_free(w);
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_pretty)
{
	GString *out = g_string_new(NULL);
	g_autoptr(MemJsonWriter) w = mem_json_writer_new(out, TRUE);

	mem_json_begin_object(w);
	mem_json_key(w, "a");
	mem_json_int(w, -1);
	mem_json_key(w, "list");
	mem_json_begin_array(w);
	mem_json_int(w, 1);
	mem_json_begin_object(w);
	mem_json_key(w, "k");
	mem_json_string(w, "v");
	mem_json_end_object(w);
	mem_json_begin_array(w);
	mem_json_end_array(w);
	mem_json_end_array(w);
	mem_json_key(w, "o");
	mem_json_begin_object(w);
	mem_json_end_object(w);
	mem_json_end_object(w);
	ck_assert_str_eq(out->str,
		"{\n"
		"  \"a\": -1,\n"
		"  \"list\": [\n"
		"    1,\n"
		"    {\n"
		"      \"k\": \"v\"\n"
		"    },\n"
		"    []\n"
		"  ],\n"
		"  \"o\": {}\n"
		"}");
	json_node_unref(parse_or_fail(out));
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_empty_top_level)
{
	GString *out = g_string_new(NULL);
	MemJsonWriter *w = mem_json_writer_new(out, TRUE);

	mem_json_begin_array(w);
	mem_json_end_array(w);
	ck_assert_str_eq(out->str, "[]");
	mem_json_writer_free(w);
	mem_json_writer_free(NULL);
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_scalar_top_level_and_lines)
{
	GString *out = g_string_new(NULL);
	MemJsonWriter *w = mem_json_writer_new(out, FALSE);

	mem_json_begin_object(w);
	mem_json_key(w, "i");
	mem_json_int(w, 1);
	mem_json_end_object(w);
	mem_json_begin_object(w);
	mem_json_key(w, "i");
	mem_json_int(w, 2);
	mem_json_end_object(w);
	mem_json_string(w, "x");
	ck_assert_str_eq(out->str, "{\"i\":1}\n{\"i\":2}\n\"x\"");
	mem_json_writer_free(w);
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_integer_extremes)
{
	GString *out = g_string_new(NULL);
	MemJsonWriter *w = mem_json_writer_new(out, FALSE);
	JsonNode *root;
	JsonArray *a;

	mem_json_begin_array(w);
	mem_json_int(w, G_MININT64);
	mem_json_int(w, G_MAXINT64);
	mem_json_int(w, 0);
	mem_json_int(w, -1);
	mem_json_int(w, G_MININT64 + 1);
	mem_json_uint(w, 0);
	mem_json_uint(w, 9);
	mem_json_uint(w, 10);
	mem_json_uint(w, (guint64) G_MAXINT64);
	mem_json_uint(w, G_MAXUINT64);
	mem_json_end_array(w);
	ck_assert_str_eq(out->str,
		"[-9223372036854775808,9223372036854775807,0,-1,-9223372036854775807,"
		"0,9,10,9223372036854775807,18446744073709551615]");
	/* json-glib reads integers as gint64: check the ones it can hold */
	g_string_truncate(out, out->len - 1);
	g_string_truncate(out, strrchr(out->str, ',') - out->str);
	g_string_append_c(out, ']');
	root = parse_or_fail(out);
	a = json_node_get_array(root);
	ck_assert_int_eq(json_array_get_int_element(a, 0), G_MININT64);
	ck_assert_int_eq(json_array_get_int_element(a, 1), G_MAXINT64);
	ck_assert_int_eq(json_array_get_int_element(a, 3), -1);
	ck_assert_int_eq(json_array_get_int_element(a, 4), G_MININT64 + 1);
	ck_assert_int_eq(json_array_get_int_element(a, 8), G_MAXINT64);
	json_node_unref(root);
	mem_json_writer_free(w);
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_keys_and_strings_escaped)
{
	GString *out = g_string_new(NULL);
	MemJsonWriter *w = mem_json_writer_new(out, FALSE);
	JsonNode *root;
	JsonObject *o;

	mem_json_begin_object(w);
	mem_json_key(w, "k\"\n\x1b\xff");
	mem_json_string(w, "v\\\t\xc2\x9b");
	mem_json_key(w, "nul");
	mem_json_string_len(w, "a\0b", 3);
	mem_json_key(w, "len");
	mem_json_string_len(w, "abcdef", 3);
	mem_json_key(w, "nolen");
	mem_json_string_len(w, NULL, 5);
	mem_json_end_object(w);
	ck_assert_str_eq(out->str,
		"{\"k\\\"\\n\\u001b\xef\xbf\xbd\":\"v\\\\\\t\\u009b\",\"nul\":\"a\\u0000b\","
		"\"len\":\"abc\",\"nolen\":null}");
	root = parse_or_fail(out);
	o = json_node_get_object(root);
	ck_assert_str_eq(json_object_get_string_member(o, "k\"\n\x1b\xef\xbf\xbd"), "v\\\t\xc2\x9b");
	ck_assert_str_eq(json_object_get_string_member(o, "len"), "abc");
	ck_assert(json_object_get_null_member(o, "nolen"));
	json_node_unref(root);
	mem_json_writer_free(w);
	g_string_free(out, TRUE);
}
END_TEST

static guint criticals;

static void count_critical(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	criticals++;
}

/* Misuse is refused with a critical and leaves the output unchanged. */
START_TEST(test_misuse_refused)
{
	GString *out = g_string_new(NULL);
	MemJsonWriter *w = mem_json_writer_new(out, FALSE);
	guint handler = g_log_set_handler(NULL, G_LOG_LEVEL_CRITICAL, count_critical, NULL);
	GString *before;

	criticals = 0;
	mem_json_key(w, "outside");
	mem_json_end_object(w);
	mem_json_end_array(w);
	ck_assert_str_eq(out->str, "");
	mem_json_begin_object(w);
	mem_json_int(w, 1);             /* value without a key */
	mem_json_end_array(w);          /* mismatched end */
	mem_json_key(w, "a");
	mem_json_key(w, "b");           /* two keys in a row */
	mem_json_end_object(w);         /* key without value */
	before = g_string_new(out->str);
	ck_assert_str_eq(out->str, "{\"a\":");
	mem_json_int(w, 1);
	mem_json_end_object(w);
	ck_assert_str_eq(out->str, "{\"a\":1}");
	ck_assert_uint_eq(criticals, 7);
	ck_assert_uint_eq(mem_json_depth(w), 0);
	g_log_remove_handler(NULL, handler);
	g_string_free(before, TRUE);
	mem_json_writer_free(w);
	g_string_free(out, TRUE);
}
END_TEST

/* Random documents: strings of arbitrary bytes (NUL-free: json-glib stops at NUL), keys too, at
 * random depth.  The expected tree is built alongside with json-glib's JsonBuilder, with invalid
 * UTF-8 repaired as the writer documents (one U+FFFD per bad byte, g_utf8_make_valid()). */
typedef struct {
	GRand *rand;
	MemJsonWriter *w;
	JsonBuilder *b;
	guint keyno;
	gboolean huge;
	guint huge_written;
} RandomDoc;

static char *random_string(RandomDoc *d, gsize *len_out)
{
	static const char *const pieces[] = {
		"\x1b[31m", "\x1b]0;title\x07", "\xc2\x9b", "\xc2\x85", "\xe6\x97\xa5", "\xf0\x9f\x98\x80",
		"\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\xe2\x80\xa8", "\"", "\\", "\\u0000",
		"(deleted)", " ", "\n",
	};
	gsize len;
	char *s;
	gsize i = 0;

	if (d->huge && g_rand_int_range(d->rand, 0, 8) == 0) {
		len = (gsize) 1 << 20;
		d->huge_written++;
	} else {
		len = (gsize) g_rand_int_range(d->rand, 0, 40);
	}
	s = g_malloc(len + 1);
	while (i < len) {
		guint kind = (guint) g_rand_int_range(d->rand, 0, 5);

		if (kind == 0) {
			const char *p = pieces[g_rand_int_range(d->rand, 0, G_N_ELEMENTS(pieces))];
			gsize n = MIN(strlen(p), len - i);

			memcpy(s + i, p, n);
			i += n;
		} else if (kind <= 2) {
			s[i++] = (char) g_rand_int_range(d->rand, 0x20, 0x7f);
		} else {
			s[i++] = (char) g_rand_int_range(d->rand, 1, 256);
		}
	}
	s[len] = '\0';
	*len_out = len;
	return s;
}

static void random_value(RandomDoc *d, guint depth);

static void random_container(RandomDoc *d, guint depth, gboolean object)
{
	guint n = (guint) g_rand_int_range(d->rand, 0, depth > 4 ? 1 : 6);

	if (object) {
		mem_json_begin_object(d->w);
		json_builder_begin_object(d->b);
	} else {
		mem_json_begin_array(d->w);
		json_builder_begin_array(d->b);
	}
	for (guint i = 0; i < n; i++) {
		if (object) {
			gsize len;
			char *raw = random_string(d, &len);
			char *key = g_strdup_printf("%u:%s", d->keyno++, raw);
			char *fixed = g_utf8_make_valid(key, -1);

			mem_json_key(d->w, key);
			json_builder_set_member_name(d->b, fixed);
			g_free(fixed);
			g_free(key);
			g_free(raw);
		}
		random_value(d, depth + 1);
	}
	if (object) {
		mem_json_end_object(d->w);
		json_builder_end_object(d->b);
	} else {
		mem_json_end_array(d->w);
		json_builder_end_array(d->b);
	}
}

static void random_value(RandomDoc *d, guint depth)
{
	switch (g_rand_int_range(d->rand, 0, 8)) {
	case 0:
		random_container(d, depth, TRUE);
		break;
	case 1:
		random_container(d, depth, FALSE);
		break;
	case 2: {
		gint64 v = (gint64) ((guint64) g_rand_int(d->rand) << 32 | g_rand_int(d->rand));

		mem_json_int(d->w, v);
		json_builder_add_int_value(d->b, v);
		break;
	}
	case 3: {
		guint64 v = g_rand_int(d->rand);

		mem_json_uint(d->w, v);
		json_builder_add_int_value(d->b, (gint64) v);
		break;
	}
	case 4:
		mem_json_bool(d->w, g_rand_boolean(d->rand));
		json_builder_add_boolean_value(d->b, FALSE);   /* replaced below */
		break;
	case 5:
		mem_json_null(d->w);
		json_builder_add_null_value(d->b);
		break;
	default: {
		gsize len;
		char *s = random_string(d, &len);
		char *fixed = g_utf8_make_valid(s, (gssize) len);

		mem_json_string_len(d->w, s, len);
		json_builder_add_string_value(d->b, fixed);
		g_free(fixed);
		g_free(s);
		break;
	}
	}
}

/* Booleans are random in the output but FALSE in the builder; compare them by type only. */
static gboolean nodes_match(JsonNode *got, JsonNode *want)
{
	if (JSON_NODE_TYPE(got) != JSON_NODE_TYPE(want))
		return FALSE;
	if (JSON_NODE_HOLDS_ARRAY(got)) {
		JsonArray *ga = json_node_get_array(got), *wa = json_node_get_array(want);

		if (json_array_get_length(ga) != json_array_get_length(wa))
			return FALSE;
		for (guint i = 0; i < json_array_get_length(ga); i++)
			if (!nodes_match(json_array_get_element(ga, i), json_array_get_element(wa, i)))
				return FALSE;
		return TRUE;
	}
	if (JSON_NODE_HOLDS_OBJECT(got)) {
		JsonObject *go = json_node_get_object(got), *wo = json_node_get_object(want);
		GList *members = json_object_get_members(wo);
		gboolean ok = json_object_get_size(go) == json_object_get_size(wo);

		for (GList *l = members; ok && l; l = l->next) {
			JsonNode *g = json_object_get_member(go, l->data);

			ok = g != NULL && nodes_match(g, json_object_get_member(wo, l->data));
		}
		g_list_free(members);
		return ok;
	}
	if (JSON_NODE_HOLDS_VALUE(got) && json_node_get_value_type(want) == G_TYPE_BOOLEAN)
		return json_node_get_value_type(got) == G_TYPE_BOOLEAN;
	return json_node_equal(got, want);
}

static guint random_documents(guint rounds, gboolean huge, guint32 seed)
{
	RandomDoc d = { 0 };

	d.rand = g_rand_new_with_seed(seed);
	d.huge = huge;
	for (guint round = 0; round < rounds; round++) {
		GString *out = g_string_new(NULL);
		JsonNode *got;
		JsonNode *want;

		d.w = mem_json_writer_new(out, g_rand_boolean(d.rand));
		d.b = json_builder_new();
		random_container(&d, 0, g_rand_boolean(d.rand));
		ck_assert_uint_eq(mem_json_depth(d.w), 0);
		for (gsize k = 0; k < out->len; k++) {
			guchar c = (guchar) out->str[k];

			FAST_CHECK_MSG((c >= 0x20 || c == '\n') && c != 0x7f, "raw control byte %02x in output", c);
		}
		got = parse_or_fail(out);
		want = json_builder_get_root(d.b);
		ck_assert_msg(nodes_match(got, want), "round %u: parsed document differs", round);
		json_node_unref(got);
		json_node_unref(want);
		g_object_unref(d.b);
		mem_json_writer_free(d.w);
		g_string_free(out, TRUE);
	}
	g_rand_free(d.rand);
	return d.huge_written;
}

START_TEST(test_random_documents)
{
	random_documents(3000, FALSE, 17);
}
END_TEST

START_TEST(test_random_documents_huge_strings)
{
	/* 1 MB strings and keys, mixed with short ones */
	ck_assert_uint_ge(random_documents(12, TRUE, 23), 3);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json-writer");
	TCase *tc = tcase_create("writer");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_compact);
	tcase_add_test(tc, test_pretty);
	tcase_add_test(tc, test_empty_top_level);
	tcase_add_test(tc, test_scalar_top_level_and_lines);
	tcase_add_test(tc, test_integer_extremes);
	tcase_add_test(tc, test_keys_and_strings_escaped);
	tcase_add_test(tc, test_misuse_refused);
	tcase_add_test(tc, test_random_documents);
	tcase_add_test(tc, test_random_documents_huge_strings);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(json_suite());
}
