/* parse-util.h: number and line helpers shared by the parsers (parser layer) */
#pragma once

#include <string.h>

#include <glib.h>

/* Parses an unsigned decimal at p (no sign, no spaces); sets *end past the digits.
 * Returns FALSE when there is no digit or the value exceeds 64 bits. */
gboolean mem_parse_u64(const char *p, const char *limit, guint64 *out, const char **end);

/* Same, for hexadecimal digits (no 0x prefix). */
gboolean mem_parse_x64(const char *p, const char *limit, guint64 *out, const char **end);

/* Finds the end of the line starting at p (the '\n' or limit). */
static inline const char *mem_line_end(const char *p, const char *limit)
{
	const char *nl = memchr(p, '\n', (gsize)(limit - p));
	return nl ? nl : limit;
}
