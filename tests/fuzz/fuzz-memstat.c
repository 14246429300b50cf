/* fuzz-memstat.c: libFuzzer harness for a cgroup's memory.stat and memory.current through mem_parse_memstat and mem_parse_memcurrent (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse-memstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	MemCgStat st;
	guint64 v;

	if (mem_parse_memstat((const char *)data, size, &st, &err)) {
		/* only the kept keys are known, and only those the input spells */
		if (err != NULL || (st.known >> MEM_CGSTAT_N) != 0)
			abort();
		for (guint k = 0; k < MEM_CGSTAT_N; k++)
			if (mem_cgstat_get(&st, k, &v) &&
			    !memmem(data, size, mem_cgstat_key_name(k), strlen(mem_cgstat_key_name(k))))
				abort();
	} else {
		check_error(err); /* frees it */
		err = NULL;
	}
	if (mem_parse_memcurrent((const char *)data, size, &v, &err)) {
		if (err != NULL || size == 0 || data[size - 1] != '\n')
			abort();
	} else {
		check_error(err);
	}
	return 0;
}
