/* fuzz-sysvipc.c: libFuzzer harness for /proc/sysvipc/shm through mem_parse_sysvipc_shm (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	GArray *segs = mem_parse_sysvipc_shm((const char *)data, size, &err);

	if (segs) {
		/* Success means a header then one row per line: never more rows than lines. */
		gsize lines = 0;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n';
		if (err || segs->len + 1 > lines)
			abort();
		for (guint i = 0; i < segs->len; i++) {
			const MemShmSegment *s = &g_array_index(segs, MemShmSegment, i);
			if (s->line < 2 || s->line > lines || (!s->has_rss_swap && (s->rss || s->swap)))
				abort();
		}
		g_array_unref(segs);
		return 0;
	}
	/* A parse error is ours, says "line N: " and carries no raw control byte. */
	if (err == NULL || err->domain != MEM_ERROR ||
	    (err->code != MEM_ERROR_PARSE && err->code != MEM_ERROR_TRUNCATED) || strncmp(err->message, "line ", 5) != 0)
		abort();
	for (const char *p = err->message; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	g_error_free(err);
	return 0;
}
