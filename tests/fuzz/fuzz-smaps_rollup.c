/* fuzz-smaps_rollup.c: libFuzzer harness for /proc/PID/smaps_rollup through mem_parse_smaps_rollup (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	MemCounters c;
	GError *err = NULL;

	if (mem_parse_smaps_rollup((const char *)data, size, &c, &err)) {
		if (!mem_counters_has(&c, MEM_F_RSS) || !mem_counters_has(&c, MEM_F_PSS))
			abort();
	} else {
		check_error(err);
	}
	return 0;
}
