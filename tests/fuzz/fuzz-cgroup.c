/* fuzz-cgroup.c: libFuzzer harness for /proc/PID/cgroup through mem_parse_cgroup (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	char *path = mem_parse_cgroup((const char *)data, size, &err);

	if (path != NULL) {
		if (path[0] != '/' || err != NULL)
			abort();
		g_free(path);
	} else {
		check_error(err);
	}
	return 0;
}
