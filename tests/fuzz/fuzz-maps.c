/* fuzz-maps.c: libFuzzer harness for /proc/PID/maps, line by line through mem_parse_maps_line (parser layer fuzzing) */
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
