/* check-parse-common.h: assertions shared by the parser unit tests (parser layer tests) */
#pragma once

#include <check.h>
#include <string.h>

#include "error.h"

#define KB(n) ((guint64)(n) * 1024u)

/* The error is MEM_ERROR/code, says "line N: ", names `needle`, and holds no raw control byte. */
G_GNUC_UNUSED static void assert_error(const GError *err, int code, guint line, const char *needle)
{
	char prefix[32];

	ck_assert_ptr_nonnull(err);
	ck_assert_msg(err->domain == MEM_ERROR, "domain %s", g_quark_to_string(err->domain));
	ck_assert_msg(err->code == code, "code %d, want %d: %s", err->code, code, err->message);
	g_snprintf(prefix, sizeof prefix, "line %u: ", line);
	ck_assert_msg(g_str_has_prefix(err->message, prefix), "'%s' does not start with '%s'", err->message,
	              prefix);
	if (needle)
		ck_assert_msg(strstr(err->message, needle) != NULL, "'%s' lacks '%s'", err->message, needle);
	for (const char *p = err->message; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 && *p != 0x7f, "control byte in '%s'", err->message);
}
