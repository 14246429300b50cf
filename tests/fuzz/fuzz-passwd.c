/* fuzz-passwd.c: libFuzzer harness for a snapshot passwd file through mem_parse_passwd (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "parse.h"

/* A parse error must be ours, say "line N: " and carry no raw control byte. */
G_GNUC_UNUSED static void check_error(GError *err)
{
	if (err == NULL || err->domain != MEM_ERROR ||
	    (err->code != MEM_ERROR_PARSE && err->code != MEM_ERROR_TRUNCATED) ||
	    strncmp(err->message, "line ", 5) != 0)
		abort();
	for (const char *p = err->message; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	g_error_free(err);
}

/* A pointer the parser returns must lie inside the input. */
G_GNUC_UNUSED static void check_inside(const char *p, gsize n, const char *buf, gsize len)
{
	if (n > 0 && (p < buf || p + n > buf + len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
