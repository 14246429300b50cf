/* fuzz-meminfo.c: libFuzzer harness for /proc/meminfo through mem_parse_meminfo and memsys's categories (parser and accounting layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "meminfo-categories.h"
#include "parse.h"

/* The categories of parsed meminfo add up to MemTotal exactly, or fail with an error (overflow). */
static void check_categories(GArray *entries)
{
	GError *err = NULL;
	MemSysCategories c;
	__int128 sum = 0;

	if (!mem_sys_categories(entries, &c, &err)) {
		if (err == NULL || err->domain != MEM_ERROR || err->code != MEM_ERROR_PARSE || !strstr(err->message, "63 bits"))
			abort();
		g_error_free(err);
		return;
	}
	if (!c.known[MEM_SYS_OTHER])
		abort();
	for (guint i = 0; i < MEM_SYS_N; i++)
		if (c.known[i])
			sum += c.bytes[i];
	if (sum != (__int128)c.total)
		abort();
}

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
		check_categories(entries);
		g_array_unref(entries);
	} else {
		check_error(err);
	}
	return 0;
}
