/* fuzz-cmdline.c: libFuzzer harness for /proc/PID/cmdline through mem_parse_cmdline (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GPtrArray *args = mem_parse_cmdline((const char *)data, size, NULL);
	gsize total = 0;

	if (args == NULL)
		abort();
	for (guint i = 0; i < args->len; i++)
		total += strlen(g_ptr_array_index(args, i)) + 1;
	/* every byte is an argument byte or a separator; a final NUL is optional */
	if (total != size && total != size + 1)
		abort();
	g_ptr_array_unref(args);
	return 0;
}
