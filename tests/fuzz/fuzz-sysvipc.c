/* fuzz-sysvipc.c: libFuzzer harness for /proc/sysvipc/shm through mem_parse_sysvipc_shm (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
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
	check_error(err);
	return 0;
}
