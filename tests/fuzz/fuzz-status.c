/* fuzz-status.c: libFuzzer harness for /proc/PID/status through mem_parse_status (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	MemStatus st;
	GError *err = NULL;

	if (mem_parse_status((const char *)data, size, &st, &err)) {
		if (!(st.known & MEM_STATUS_NAME) || !(st.known & MEM_STATUS_UID) || st.tgid < 0 || st.ppid < 0)
			abort();
		check_inside(st.name, st.name_len, (const char *)data, size);
		if (memchr(st.name, '\n', st.name_len) != NULL)
			abort();
	} else {
		check_error(err);
	}
	return 0;
}
