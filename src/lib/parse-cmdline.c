/* parse-cmdline.c: /proc/PID/cmdline, NUL-separated arguments (parser layer) */
#include "config.h"

#include "parse-util.h"

GPtrArray *mem_parse_cmdline(const char *buf, gsize len)
{
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	const char *p = buf, *limit = buf + len;

	while (p < limit) {
		const char *nul = memchr(p, '\0', (gsize)(limit - p));
		const char *end = nul ? nul : limit;

		/* A last argument without its NUL is kept: a process may have rewritten its argv. */
		g_ptr_array_add(args, g_strndup(p, (gsize)(end - p)));
		p = nul ? nul + 1 : limit;
	}
	return args;
}
