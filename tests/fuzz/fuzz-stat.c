/* fuzz-stat.c: libFuzzer harness for /proc/PID/stat through mem_parse_stat (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	MemStat st;
	GError *err = NULL;

	if (mem_parse_stat((const char *)data, size, &st, &err)) {
		check_inside(st.comm, st.comm_len, (const char *)data, size);
		if (st.pid < 0 || st.ppid < 0 || st.rss_pages < 0)
			abort();
	} else {
		check_error(err);
	}
	return 0;
}
