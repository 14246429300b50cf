/* fuzz-memcap-info.c: libFuzzer harness for a recording's memcap.info through mem_parse_memcap_info (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	MemRecInfo info;
	GError *err = NULL;

	if (!mem_parse_memcap_info((const char *)data, size, &info, &err)) {
		check_error(err);
		/* a failed parse leaves nothing to free */
		if (info.tool || info.cmdline || info.pids || info.has_time || info.has_pagesize)
			abort();
		return 0;
	}
	if (info.has_pagesize && (info.pagesize < 512 || (info.pagesize & (info.pagesize - 1)) != 0))
		abort();
	if ((info.tool && strchr(info.tool, '\n')) || (info.pids && strchr(info.pids, '\n')))
		abort();
	mem_rec_info_clear(&info);
	return 0;
}
