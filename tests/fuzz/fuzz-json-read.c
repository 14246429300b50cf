/* fuzz-json-read.c: libFuzzer harness for the JSON reader: any input gives a tree or a clean error, and the whole tree can be walked (parsers layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "json-reader.h"

/* Visits every value with an explicit stack (the tree is at most MEM_JSON_MAX_DEPTH deep anyway) and
 * checks each accessor against the value's type. */
static void walk(const MemJsonValue *root)
{
	GPtrArray *stack = g_ptr_array_new();

	g_ptr_array_add(stack, (gpointer)root);
	while (stack->len) {
		const MemJsonValue *v = g_ptr_array_steal_index(stack, stack->len - 1);
		MemJsonType t = mem_json_type(v);
		const char *s;
		gsize len = 0;
		guint64 b;
		gint64 i;

		s = mem_json_get_string(v, &len);
		if ((s != NULL) != (t == MEM_JSON_STRING) || (s && (strlen(s) != len || !g_utf8_validate(s, (gssize)len, NULL))))
			abort();
		if (mem_json_get_bytes(v, &b) && (!mem_json_get_int(v, &i) || i < 0 || (guint64)i != b))
			abort();
		if (t == MEM_JSON_ARRAY)
			for (guint k = 0; k < mem_json_array_length(v); k++)
				g_ptr_array_add(stack, (gpointer)mem_json_array_get(v, k));
		if (t == MEM_JSON_OBJECT)
			for (guint k = 0; k < mem_json_object_size(v); k++) {
				const char *key = mem_json_object_key(v, k);

				if (!key || !mem_json_object_get(v, key))
					abort();
				g_ptr_array_add(stack, (gpointer)mem_json_object_value(v, k));
			}
	}
	g_ptr_array_free(stack, TRUE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	MemJsonDoc *doc = mem_json_parse((const char *)data, size, "fuzz", &err);

	if (doc) {
		walk(mem_json_doc_root(doc));
		mem_json_doc_free(doc);
		return 0;
	}
	check_error_prefixed(err, "fuzz");
	return 0;
}
