/* parse-util.h: number, line and error helpers shared by the parsers (parser layer) */
#pragma once

#include <string.h>

#include <glib.h>

#include "parse.h"

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

/* Skips spaces and tabs. */
static inline const char *mem_skip_blanks(const char *p, const char *limit)
{
	while (p < limit && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Outcome of parsing a number field; the callers turn it into a message with mem_parse_fail_number(). */
typedef enum {
	MEM_NUM_OK,
	MEM_NUM_SYNTAX,    /* no digits, a bad unit or junk after the value */
	MEM_NUM_NEGATIVE,  /* a '-' where the kernel never prints one */
	MEM_NUM_OVERFLOW,  /* above 2^64-1, or in kB a byte count above 2^64-1 */
	MEM_NUM_NARROW,    /* does not fit the 32-bit destination */
} MemNumStatus;

/* Parses the value part of a "Key:   N kB" line, from p to the end of the line (limit): blanks, the
 * digits, blanks, the unit "kB", trailing blanks.  With unit_optional a bare number is accepted too
 * (*has_kb tells which; has_kb may be NULL).  The result is in bytes when the unit was there. */
MemNumStatus mem_parse_kb_value(const char *p, const char *limit, gboolean unit_optional, guint64 *out,
                                gboolean *has_kb);

/* Parses a plain unsigned decimal with optional blanks around it, filling p..limit exactly. */
MemNumStatus mem_parse_dec_value(const char *p, const char *limit, guint64 *out);

/* Sets a MEM_ERROR error with code `code` whose message is "line N: " followed by the format. */
void mem_parse_fail(GError **error, int code, guint line, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* Sets a MEM_ERROR_PARSE error for a number that failed with status st: "line N: KEY: <reason> 'excerpt'".
 * key is escaped; value..limit is the offending text (excerpted and escaped). */
void mem_parse_fail_number(GError **error, guint line, const char *key, gsize key_len, MemNumStatus st,
                           const char *value, const char *limit);

/* Returns a short, printable excerpt of untrusted bytes: at most 40 input bytes, printable ASCII kept,
 * backslash and quote and every other byte escaped ("\n", "\t", "\xHH"), "..." appended when cut. */
char *mem_parse_excerpt(const char *p, gsize len);

/* mem_parse_maps_line() with the line number to put in error messages (parse.h's variant says
 * "line 1"); for callers that parse a whole maps file line by line. */
gboolean mem_parse_maps_line_at(const char *line, gsize len, guint lineno, MemMapsLine *out,
                                GError **error);
