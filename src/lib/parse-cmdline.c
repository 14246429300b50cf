/* parse-cmdline.c: /proc/PID/cmdline, NUL-separated arguments (parser layer) */
#include "config.h"

#include "parse-util.h"

GPtrArray *mem_parse_cmdline(const char *buf, gsize len, MemCmdlineCut *cut)
{
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	const char *p = buf, *limit = buf + len;
	MemCmdlineCut c = { 0, 0 };
	gsize kept = 0;

	while (p < limit) {
		const char *nul = memchr(p, '\0', (gsize)(limit - p));
		const char *end = nul ? nul : limit;
		gsize n = (gsize)(end - p), take = MIN(n, MEM_CMDLINE_MAX_ARG);

		if (args->len == MEM_CMDLINE_MAX_ARGS || kept == MEM_CMDLINE_MAX_BYTES) {
			/* count what is left without keeping it */
			c.args_dropped++;
			c.bytes_dropped += n;
		} else {
			take = MIN(take, MEM_CMDLINE_MAX_BYTES - kept);
			/* A last argument without its NUL is kept: a process may have rewritten its argv. */
			g_ptr_array_add(args, g_strndup(p, take));
			kept += take;
			c.bytes_dropped += n - take;
		}
		p = nul ? nul + 1 : limit;
	}
	if (cut)
		*cut = c;
	return args;
}
