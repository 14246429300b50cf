/* fuzz-meminfo.c: libFuzzer harness for /proc/meminfo through mem_parse_meminfo (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	GArray *entries = mem_parse_meminfo((const char *)data, size, &err);

	if (entries != NULL) {
		guint64 v;
		if (!mem_meminfo_get(entries, "MemTotal", &v))
			abort();
		for (guint i = 0; i < entries->len; i++) {
			const MemMeminfoEntry *e = &g_array_index(entries, MemMeminfoEntry, i);
			if (e->key[0] == '\0' || strchr(e->key, ':') != NULL || strchr(e->key, '\n') != NULL)
				abort();
		}
		g_array_unref(entries);
	} else {
		check_error(err);
	}
	return 0;
}
