/* fuzz-maps.c: libFuzzer harness for /proc/PID/maps, line by line through mem_parse_maps_line (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *p = buf, *limit = buf + size;

	while (p < limit) {
		const char *nl = memchr(p, '\n', (gsize)(limit - p));
		const char *le = nl ? nl : limit;
		MemMapsLine m;
		GError *err = NULL;

		if (mem_parse_maps_line(p, (gsize)(le - p), &m, &err)) {
			check_inside(m.name, m.name_len, p, (gsize)(le - p));
			if (m.perms[4] != '\0')
				abort();
		} else {
			check_error(err);
		}
		p = nl ? nl + 1 : limit;
	}
	return 0;
}
