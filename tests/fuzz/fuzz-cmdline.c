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
	MemCmdlineCut cut = { 7, 7 };
	GPtrArray *args = mem_parse_cmdline((const char *)data, size, &cut);
	gsize total = 0, kept = 0;

	if (args == NULL || args->len > MEM_CMDLINE_MAX_ARGS)
		abort();
	for (guint i = 0; i < args->len; i++) {
		gsize n = strlen(g_ptr_array_index(args, i));
		if (n > MEM_CMDLINE_MAX_ARG)
			abort();
		kept += n;
		total += n + 1;
	}
	if (kept > MEM_CMDLINE_MAX_BYTES)
		abort();
	/* every byte is an argument byte kept or counted as left out, or a separator (of a kept or a
	 * dropped argument); a final NUL is optional */
	total += cut.bytes_dropped + cut.args_dropped;
	if (total != size && total != size + 1)
		abort();
	g_ptr_array_unref(args);
	return 0;
}
