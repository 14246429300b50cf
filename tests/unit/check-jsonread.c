/* check-jsonread.c: Check unit tests of the JSON reader: the tree, member order, bounds, refused input and the user-input reader (parsers layer tests) */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "json-reader.h"
#include "json-writer.h"
#include "source.h"
#include "../common/check-run.h"

static MemJsonDoc *parse(const char *text, GError **error)
{
	return mem_json_parse(text, strlen(text), "test", error);
}

START_TEST(test_tree)
{
	g_autoptr(GError) error = NULL;
	MemJsonDoc *doc = parse("[{\"id\":\"p/1\",\"size\":4096,\"neg\":-5,\"f\":1.5,\"ok\":true,\"none\":null,"
	                        "\"name\":\"a\\u00e9\\n\\\"b\"},[],{}]",
	                        &error);
	const MemJsonValue *root, *rec;
	gint64 i;
	guint64 b;
	double d;
	gboolean t;
	gsize len;
	const char *s;

	ck_assert_msg(doc, "%s", error ? error->message : "");
	root = mem_json_doc_root(doc);
	ck_assert_int_eq(mem_json_type(root), MEM_JSON_ARRAY);
	ck_assert_uint_eq(mem_json_array_length(root), 3);
	ck_assert_ptr_null(mem_json_array_get(root, 3));
	rec = mem_json_array_get(root, 0);
	ck_assert_uint_eq(mem_json_object_size(rec), 7);
	/* document order, not hash order */
	ck_assert_str_eq(mem_json_object_key(rec, 0), "id");
	ck_assert_str_eq(mem_json_object_key(rec, 6), "name");
	ck_assert(mem_json_get_int(mem_json_object_get(rec, "size"), &i) && i == 4096);
	ck_assert(mem_json_get_bytes(mem_json_object_get(rec, "size"), &b) && b == 4096);
	ck_assert(!mem_json_get_bytes(mem_json_object_get(rec, "neg"), &b));
	ck_assert(!mem_json_get_bytes(mem_json_object_get(rec, "f"), &b));
	ck_assert(!mem_json_get_bytes(mem_json_object_get(rec, "name"), &b));
	ck_assert(mem_json_get_double(mem_json_object_get(rec, "f"), &d) && d == 1.5);
	ck_assert(mem_json_get_double(mem_json_object_get(rec, "neg"), &d) && d == -5.0);
	ck_assert(mem_json_get_bool(mem_json_object_get(rec, "ok"), &t) && t);
	ck_assert_int_eq(mem_json_type(mem_json_object_get(rec, "none")), MEM_JSON_NULL);
	ck_assert_ptr_nonnull(mem_json_object_get(rec, "none"));
	ck_assert_ptr_null(mem_json_object_get(rec, "absent"));
	s = mem_json_get_string(mem_json_object_get(rec, "name"), &len);
	ck_assert_uint_eq(len, strlen("a\xc3\xa9\n\"b"));
	ck_assert_str_eq(s, "a\xc3\xa9\n\"b");
	ck_assert_ptr_null(mem_json_get_string(mem_json_object_get(rec, "size"), NULL));
	ck_assert_int_eq(mem_json_type(mem_json_array_get(root, 2)), MEM_JSON_OBJECT);
	ck_assert_uint_eq(mem_json_object_size(mem_json_array_get(root, 2)), 0);
	ck_assert_str_eq(mem_json_type_name(MEM_JSON_OBJECT), "object");
	mem_json_doc_free(doc);
}
END_TEST

/* Objects of many members are looked up through an index; a repeated key keeps its last value. */
START_TEST(test_large_object)
{
	g_autoptr(GError) error = NULL;
	GString *text = g_string_new("{\"k\":1");
	MemJsonDoc *doc;
	gint64 v;

	for (int i = 0; i < 100; i++)
		g_string_append_printf(text, ",\"m%d\":%d", i, i * 3);
	g_string_append(text, ",\"k\":2}");
	doc = parse(text->str, &error);
	ck_assert_msg(doc, "%s", error ? error->message : "");
	for (int i = 0; i < 100; i++) {
		char key[16];

		g_snprintf(key, sizeof key, "m%d", i);
		ck_assert(mem_json_get_int(mem_json_object_get(mem_json_doc_root(doc), key), &v) && v == i * 3);
	}
	ck_assert(mem_json_get_int(mem_json_object_get(mem_json_doc_root(doc), "k"), &v) && v == 2);
	mem_json_doc_free(doc);
	g_string_free(text, TRUE);
}
END_TEST

static void refused(const char *text, gsize len, int code, const char *needle)
{
	g_autoptr(GError) error = NULL;
	MemJsonDoc *doc = mem_json_parse(text, len, "in.json", &error);

	ck_assert_ptr_null(doc);
	ck_assert_msg(error && error->domain == MEM_ERROR && error->code == code, "code %d for %.40s: %s",
	              error ? error->code : -1, text, error ? error->message : "none");
	ck_assert_msg(strstr(error->message, needle), "\"%s\" lacks \"%s\"", error->message, needle);
}

START_TEST(test_refused)
{
	GString *deep = g_string_new(NULL);

	refused("", 0, MEM_ERROR_PARSE, "in.json");
	refused("   \n", 4, MEM_ERROR_PARSE, "in.json");
	refused("[1,2", 4, MEM_ERROR_PARSE, "not valid JSON");
	refused("{\"a\":}", 6, MEM_ERROR_PARSE, "not valid JSON");
	refused("[1]\0[2]", 7, MEM_ERROR_PARSE, "NUL");
	refused("[9223372036854775808]", 21, MEM_ERROR_PARSE, "out of range");
	refused("[-9223372036854775809]", 22, MEM_ERROR_PARSE, "out of range");
	refused("[18446744073709551615]", 22, MEM_ERROR_PARSE, "out of range");
	for (int i = 0; i <= MEM_JSON_MAX_DEPTH; i++)
		g_string_append_c(deep, i % 2 ? '[' : '{');
	refused(deep->str, deep->len, MEM_ERROR_PARSE, "nested deeper");
	g_string_free(deep, TRUE);
}
END_TEST

/* The limits themselves are accepted: 2^63 - 1, its negative bound, and exactly the maximum depth;
 * brackets and digits inside strings are text. */
START_TEST(test_limits)
{
	g_autoptr(GError) error = NULL;
	GString *deep = g_string_new(NULL);
	MemJsonDoc *doc;
	const MemJsonValue *v;
	gint64 i;

	doc = parse("[9223372036854775807,-9223372036854775808,\"[[[[ 99999999999999999999999\"]", &error);
	ck_assert_msg(doc, "%s", error ? error->message : "");
	v = mem_json_doc_root(doc);
	ck_assert(mem_json_get_int(mem_json_array_get(v, 0), &i) && i == G_MAXINT64);
	ck_assert(mem_json_get_int(mem_json_array_get(v, 1), &i) && i == G_MININT64);
	mem_json_doc_free(doc);
	for (int k = 0; k < MEM_JSON_MAX_DEPTH; k++)
		g_string_append_c(deep, '[');
	for (int k = 0; k < MEM_JSON_MAX_DEPTH; k++)
		g_string_append_c(deep, ']');
	doc = mem_json_parse(deep->str, deep->len, "deep", &error);
	ck_assert_msg(doc, "%s", error ? error->message : "");
	mem_json_doc_free(doc);
	g_string_free(deep, TRUE);
}
END_TEST

/* mem_json_load through the source's input reader: a file, a size bound, a directory refused. */
START_TEST(test_load)
{
	g_autoptr(GError) error = NULL;
	char path[] = "/tmp/check-jsonread-XXXXXX";
	int fd = g_mkstemp(path);
	MemJsonDoc *doc;
	char *data;
	gsize len;
	gint64 v;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "{\"x\": 42}\n", 10), 10);
	close(fd);
	doc = mem_json_load(path, &error);
	ck_assert_msg(doc, "%s", error ? error->message : "");
	ck_assert(mem_json_get_int(mem_json_object_get(mem_json_doc_root(doc), "x"), &v) && v == 42);
	mem_json_doc_free(doc);

	data = mem_source_read_input(path, 9, &len, &error);
	ck_assert_ptr_null(data);
	ck_assert_int_eq(error->code, MEM_ERROR_TOO_LARGE);
	g_clear_error(&error);
	data = mem_source_read_input(path, 10, &len, &error);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(data[10], '\0');
	g_free(data);
	unlink(path);

	ck_assert_ptr_null(mem_json_load(path, &error));
	ck_assert_int_eq(error->code, MEM_ERROR_NOT_FOUND);
	g_clear_error(&error);
	ck_assert_ptr_null(mem_source_read_input("/tmp", 100, &len, &error));
	ck_assert_int_eq(error->code, MEM_ERROR_INVALID);
}
END_TEST

/* A document written again through our writer: the same values, strings escaped our way, doubles
 * that are whole numbers as integers, others as strings, infinity as null. */
START_TEST(test_write_again)
{
	g_autoptr(GError) error = NULL;
	GString *out = g_string_new(NULL);
	MemJsonWriter *w = mem_json_writer_new(out, FALSE);
	MemJsonDoc *doc = parse("{\"a\":[1,-2,4096.0,-8.0,1.5,1e999,true,null],\"b\":\"x\\u001b\\\"\",\"c\":{}}", &error);

	ck_assert_msg(doc, "%s", error ? error->message : "");
	mem_json_value(w, mem_json_doc_root(doc));
	mem_json_writer_free(w);
	ck_assert_str_eq(out->str, "{\"a\":[1,-2,4096,-8,\"1.5\",null,true,null],\"b\":\"x\\u001b\\\"\",\"c\":{}}");
	g_string_free(out, TRUE);
	mem_json_doc_free(doc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonread");
	TCase *tc = tcase_create("jsonread");

	tcase_add_test(tc, test_tree);
	tcase_add_test(tc, test_large_object);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_write_again);
	suite_add_tcase(s, tc);
	return mem_check_run(s);
}
