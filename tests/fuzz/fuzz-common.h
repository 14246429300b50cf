/* fuzz-common.h: checks and helpers the libFuzzer harnesses share (fuzzing) */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* A parse error must be ours, start with `prefix` and carry no raw control byte. */
G_GNUC_UNUSED static void check_error_prefixed(GError *err, const char *prefix)
{
	if (err == NULL || err->domain != MEM_ERROR ||
	    (err->code != MEM_ERROR_PARSE && err->code != MEM_ERROR_TRUNCATED) ||
	    strncmp(err->message, prefix, strlen(prefix)) != 0)
		abort();
	for (const char *p = err->message; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	g_error_free(err);
}

/* A parser's error says "line N: ". */
G_GNUC_UNUSED static void check_error(GError *err)
{
	check_error_prefixed(err, "line ");
}

/* A pointer the parser returns must lie inside the input. */
G_GNUC_UNUSED static void check_inside(const char *p, gsize n, const char *buf, gsize len)
{
	if (n > 0 && (p < buf || p + n > buf + len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the JSON escaper documents for a byte string: each NUL-free run made valid UTF-8 (each bad
 * byte a U+FFFD, as g_utf8_make_valid does), the NUL bytes kept.  Appends to out. */
G_GNUC_UNUSED static void append_repaired(GString *out, const char *s, gsize len)
{
	gsize start = 0;

	for (gsize i = 0; i <= len; i++) {
		if (i == len || s[i] == '\0') {
			char *fixed = g_utf8_make_valid(s + start, (gssize)(i - start));

			g_string_append(out, fixed);
			g_free(fixed);
			if (i < len)
				g_string_append_c(out, '\0');
			start = i + 1;
		}
	}
}
