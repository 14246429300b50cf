/* fuzz-zram.c: libFuzzer harness for the source's zram file (a line "zramN" + mm_stat per device) through mem_parse_zram (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse-zram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	MemZram z;

	if (mem_parse_zram((const char *)data, size, &z, &err)) {
		/* a device per line, each line ending in a newline and naming a zram device */
		gsize lines = 0;

		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n';
		if (err != NULL || z.n_devices != lines || (size && data[size - 1] != '\n') ||
		    (z.n_devices && !memmem(data, size, "zram", 4)))
			abort();
	} else {
		check_error(err); /* frees it */
	}
	return 0;
}
