/* fuzz-passwd.c: libFuzzer harness for a snapshot passwd file through mem_parse_passwd (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GHashTable *users = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	GHashTableIter it;
	gpointer key, value;

	mem_parse_passwd((const char *)data, size, users);
	g_hash_table_iter_init(&it, users);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		const char *name = value;
		if (name[0] == '\0' || strchr(name, ':') != NULL || strchr(name, '\n') != NULL)
			abort();
	}
	g_hash_table_unref(users);
	return 0;
}
