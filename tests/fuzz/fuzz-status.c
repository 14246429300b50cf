/* fuzz-status.c: libFuzzer harness for /proc/PID/status through mem_parse_status (parser layer fuzzing) */
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
