/* check-parse-misc.c: Check unit tests for meminfo, passwd, the number helpers and field lookup (parser layer tests) */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "check-parse-common.h"
#include "error.h"
#include "parse-util.h"
#include "parse.h"

/* ---- number helpers ---- */

static const struct {
	const char *text;
	gboolean ok;
	guint64 value;
	gsize consumed;
} u64_cases[] = {
	{ "0", TRUE, 0, 1 },
	{ "18446744073709551615", TRUE, G_MAXUINT64, 20 },
	{ "18446744073709551616", FALSE, 0, 0 },
	{ "18446744073709551620", FALSE, 0, 0 },
	{ "99999999999999999999", FALSE, 0, 0 },
	{ "000000000000000000000018446744073709551615", TRUE, G_MAXUINT64, 42 },
	{ "12 kB", TRUE, 12, 2 },
	{ "", FALSE, 0, 0 },
	{ "-1", FALSE, 0, 0 },
	{ "+1", FALSE, 0, 0 },
	{ " 1", FALSE, 0, 0 },
};

START_TEST(test_u64)
{
	const char *t = u64_cases[_i].text, *end;
	guint64 v = 12345;

	ck_assert_int_eq(mem_parse_u64(t, t + strlen(t), &v, &end), u64_cases[_i].ok);
	if (u64_cases[_i].ok) {
		ck_assert_uint_eq(v, u64_cases[_i].value);
		ck_assert_uint_eq((gsize)(end - t), u64_cases[_i].consumed);
	}
}
END_TEST

static const struct {
	const char *text;
	gboolean ok;
	guint64 value;
} x64_cases[] = {
	{ "0", TRUE, 0 },
	{ "ffffffffffffffff", TRUE, G_MAXUINT64 },
	{ "FFFFFFFFFFFFFFFF", TRUE, G_MAXUINT64 },
	{ "0000ffffffffffffffff", TRUE, G_MAXUINT64 },
	{ "10000000000000000", FALSE, 0 },
	{ "7f1c2a400000-", TRUE, 0x7f1c2a400000 },
	{ "g", FALSE, 0 },
	{ "", FALSE, 0 },
};

START_TEST(test_x64)
{
	const char *t = x64_cases[_i].text, *end;
	guint64 v = 12345;

	ck_assert_int_eq(mem_parse_x64(t, t + strlen(t), &v, &end), x64_cases[_i].ok);
	if (x64_cases[_i].ok)
		ck_assert_uint_eq(v, x64_cases[_i].value);
}
END_TEST

START_TEST(test_u64_limit)
{
	/* Digits past the limit are not read. */
	const char t[] = "123456";
	const char *end;
	guint64 v;

	ck_assert(mem_parse_u64(t, t + 3, &v, &end));
	ck_assert_uint_eq(v, 123);
	ck_assert_ptr_eq(end, t + 3);
	ck_assert(!mem_parse_u64(t, t, &v, &end));
}
END_TEST

static const struct {
	const char *text;
	gboolean unit_optional;
	MemNumStatus st;
	guint64 value;
	gboolean has_kb;
} kb_cases[] = {
	{ "   4 kB", FALSE, MEM_NUM_OK, KB(4), TRUE },
	{ "\t 4 kB  ", FALSE, MEM_NUM_OK, KB(4), TRUE },
	{ "18014398509481983 kB", FALSE, MEM_NUM_OK, G_MAXUINT64 - 1023, TRUE },
	{ "18014398509481984 kB", FALSE, MEM_NUM_OVERFLOW, 0, FALSE },
	{ "18446744073709551615 kB", FALSE, MEM_NUM_OVERFLOW, 0, FALSE },
	{ "18446744073709551616 kB", FALSE, MEM_NUM_OVERFLOW, 0, FALSE },
	{ "18446744073709551615", TRUE, MEM_NUM_OK, G_MAXUINT64, FALSE },
	{ "18446744073709551616", TRUE, MEM_NUM_OVERFLOW, 0, FALSE },
	{ "4", FALSE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "4", TRUE, MEM_NUM_OK, 4, FALSE },
	{ "4kB", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "4 KB", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "4 kB x", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "4 k", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "-4 kB", TRUE, MEM_NUM_NEGATIVE, 0, FALSE },
	{ "", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "kB", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
};

START_TEST(test_kb_value)
{
	const char *t = kb_cases[_i].text;
	guint64 v = 0;
	gboolean has_kb = FALSE;

	ck_assert_int_eq(mem_parse_kb_value(t, t + strlen(t), kb_cases[_i].unit_optional, &v, &has_kb),
	                 kb_cases[_i].st);
	if (kb_cases[_i].st == MEM_NUM_OK) {
		ck_assert_uint_eq(v, kb_cases[_i].value);
		ck_assert_int_eq(has_kb, kb_cases[_i].has_kb);
	}
}
END_TEST

START_TEST(test_excerpt)
{
	static const char raw[] = "a\x1b[31m\n\t\\'\x7f\xff\0z";
	char *s = mem_parse_excerpt(raw, sizeof raw - 1);
	GString *big = g_string_new(NULL);
	char *t;

	ck_assert_str_eq(s, "a\\x1b[31m\\n\\t\\\\\\'\\x7f\\xff\\x00z");
	g_free(s);
	for (int i = 0; i < 1000; i++)
		g_string_append_c(big, '\x01');
	t = mem_parse_excerpt(big->str, big->len);
	/* capped: 40 bytes of 4 characters each, then "..." */
	ck_assert_uint_eq(strlen(t), 40 * 4 + 3);
	ck_assert(g_str_has_suffix(t, "..."));
	g_free(t);
	g_string_free(big, TRUE);
}
END_TEST

/* ---- field names ---- */

START_TEST(test_field_lookup)
{
	for (int f = 0; f < MEM_F_COUNT; f++) {
		const char *n = mem_field_name((MemField)f);
		ck_assert_int_eq(mem_field_lookup(n, strlen(n)), f);
	}
	ck_assert_int_eq(mem_field_lookup("Pss_Anon", 8), MEM_F_PSS_ANON);
	ck_assert_int_eq(mem_field_lookup("Pss_Anon", 3), MEM_F_PSS);
	ck_assert_int_eq(mem_field_lookup("pss", 3), -1);
	ck_assert_int_eq(mem_field_lookup("PssX", 4), -1);
	ck_assert_int_eq(mem_field_lookup("THPeligible", 11), -1);
	ck_assert_int_eq(mem_field_lookup("VmFlags", 7), -1);
	ck_assert_int_eq(mem_field_lookup("", 0), -1);
	ck_assert_int_eq(mem_field_lookup("Rss\0", 4), -1);
	ck_assert_int_eq(mem_field_lookup("Size\0", 5), -1);   /* lengths no field has */
	ck_assert_int_eq(mem_field_lookup("ab", 2), -1);
	ck_assert_int_eq(mem_field_lookup("Private_Hugetlbx", 16), -1);
	ck_assert_int_eq(mem_field_lookup("Xss", 3), -1);
}
END_TEST

/* ---- meminfo ---- */

static const char meminfo_6_x[] =
	"MemTotal:        8130412 kB\n"
	"MemFree:         5821200 kB\n"
	"MemAvailable:    7400000 kB\n"
	"Buffers:           12345 kB\n"
	"Active(anon):     400000 kB\n"
	"Inactive(file):   900000 kB\n"
	"Committed_AS:    1234567 kB\n"
	"VmallocTotal:   34359738367 kB\n"
	"HugePages_Total:       0\n"
	"HugePages_Free:        0\n"
	"Hugepagesize:       2048 kB\n"
	"DirectMap1G:    18014398509481983 kB\n";

/* 2.6-era: no MemAvailable */
static const char meminfo_2_6[] =
	"MemTotal:       1026956 kB\n"
	"MemFree:         102864 kB\n"
	"Buffers:          45236 kB\n"
	"Cached:          524104 kB\n";

START_TEST(test_meminfo_ok)
{
	GError *err = NULL;
	GArray *a = mem_parse_meminfo(meminfo_6_x, strlen(meminfo_6_x), &err);
	guint64 v;

	ck_assert_msg(a != NULL, "%s", err ? err->message : "");
	ck_assert_uint_eq(a->len, 12);
	ck_assert_str_eq(g_array_index(a, MemMeminfoEntry, 0).key, "MemTotal");
	ck_assert_str_eq(g_array_index(a, MemMeminfoEntry, 11).key, "DirectMap1G");
	ck_assert(mem_meminfo_get(a, "MemTotal", &v));
	ck_assert_uint_eq(v, KB(8130412));
	ck_assert(mem_meminfo_get(a, "Active(anon)", &v));
	ck_assert_uint_eq(v, KB(400000));
	ck_assert(mem_meminfo_get(a, "VmallocTotal", &v));
	ck_assert_uint_eq(v, KB(34359738367));
	ck_assert(mem_meminfo_get(a, "HugePages_Total", &v));
	ck_assert_uint_eq(v, 0);
	ck_assert(!g_array_index(a, MemMeminfoEntry, 8).has_kb);
	ck_assert(g_array_index(a, MemMeminfoEntry, 10).has_kb);
	ck_assert(mem_meminfo_get(a, "DirectMap1G", &v));
	ck_assert_uint_eq(v, G_MAXUINT64 - 1023);
	ck_assert(!mem_meminfo_get(a, "Memtotal", &v));
	ck_assert(!mem_meminfo_get(a, "MemTotal:", &v));
	g_array_unref(a);

	a = mem_parse_meminfo(meminfo_2_6, strlen(meminfo_2_6), &err);
	ck_assert_ptr_nonnull(a);
	ck_assert(!mem_meminfo_get(a, "MemAvailable", &v));
	ck_assert(mem_meminfo_get(a, "Cached", &v));
	ck_assert_uint_eq(v, KB(524104));
	g_array_unref(a);
}
END_TEST

#define MT "MemTotal: 4 kB\n"
static const struct {
	const char *text;
	gsize len;
	int code;
	guint line;
	const char *needle;
} meminfo_bad[] = {
	{ "", 0, MEM_ERROR_PARSE, 1, "no MemTotal" },
	{ "MemFree: 4 kB\n", 0, MEM_ERROR_PARSE, 1, "no MemTotal" },
	{ MT "MemFree: 4 kB", 0, MEM_ERROR_TRUNCATED, 2, "no newline" },
	{ MT "MemFree: 18014398509481984 kB\n", 0, MEM_ERROR_PARSE, 2, "MemFree: value too large" },
	{ MT "MemFree: 18446744073709551616\n", 0, MEM_ERROR_PARSE, 2, "MemFree: value too large" },
	{ MT "Committed_AS: -4 kB\n", 0, MEM_ERROR_PARSE, 2, "Committed_AS: negative" },
	{ MT "MemFree: many\n", 0, MEM_ERROR_PARSE, 2, "MemFree: expected a number" },
	{ MT "MemFree 4 kB\n", 0, MEM_ERROR_PARSE, 2, "expected 'Key: value'" },
	{ MT ": 4 kB\n", 0, MEM_ERROR_PARSE, 2, "expected 'Key: value'" },
	{ MT "Mem\0Free: 4 kB\n", sizeof(MT "Mem\0Free: 4 kB\n") - 1, MEM_ERROR_PARSE, 2, "Mem\\x00Free" },
	{ MT "\x1b[2JMemFree: x\n", 0, MEM_ERROR_PARSE, 2, "\\x1b[2JMemFree" },
};

START_TEST(test_meminfo_bad)
{
	GError *err = NULL;
	const char *t = meminfo_bad[_i].text;
	GArray *a = mem_parse_meminfo(t, meminfo_bad[_i].len ? meminfo_bad[_i].len : strlen(t), &err);

	ck_assert_msg(a == NULL, "case %d parsed", _i);
	assert_error(err, meminfo_bad[_i].code, meminfo_bad[_i].line, meminfo_bad[_i].needle);
	g_error_free(err);
}
END_TEST

/* ---- passwd ---- */

START_TEST(test_passwd)
{
	static const char t[] =
		"root:x:0:0:root:/root:/bin/bash\n"
		"# a comment:x:5:5\n"
		"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
		"+nis::::::\n"
		"-other:x:7:7\n"
		"toor:x:0:0:second root:/root:/bin/sh\n"
		"bad:x:12x:0::/:\n"
		"big:x:4294967296:0::/:\n"
		"neg:x:-1:0::/:\n"
		":x:9:9::/:\n"
		"short:x\n"
		"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
		"max:x:4294967295:0::/:\n"
		"sp ace:x:1000:1000::/home/x:/bin/sh\n"
		"nul\0l:x:1001:1001::/:\n"
		"threefields:x:1002";
	GHashTable *users = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);

	mem_parse_passwd(t, sizeof t - 1, users);
	ck_assert_uint_eq(g_hash_table_size(users), 6);
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(0)), "root");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(1)), "daemon");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(65534)), "nobody");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(4294967295u)), "max");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(1000)), "sp ace");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(1002)), "threefields");
	ck_assert_ptr_null(g_hash_table_lookup(users, GUINT_TO_POINTER(5)));
	ck_assert_ptr_null(g_hash_table_lookup(users, GUINT_TO_POINTER(7)));
	ck_assert_ptr_null(g_hash_table_lookup(users, GUINT_TO_POINTER(9)));
	ck_assert_ptr_null(g_hash_table_lookup(users, GUINT_TO_POINTER(1001)));

	/* an empty buffer adds nothing */
	mem_parse_passwd("", 0, users);
	ck_assert_uint_eq(g_hash_table_size(users), 6);
	g_hash_table_unref(users);
}
END_TEST

static Suite *parse_misc_suite(void)
{
	Suite *s = suite_create("parse-misc");
	TCase *tc = tcase_create("util");

	tcase_add_loop_test(tc, test_u64, 0, G_N_ELEMENTS(u64_cases));
	tcase_add_loop_test(tc, test_x64, 0, G_N_ELEMENTS(x64_cases));
	tcase_add_test(tc, test_u64_limit);
	tcase_add_loop_test(tc, test_kb_value, 0, G_N_ELEMENTS(kb_cases));
	tcase_add_test(tc, test_excerpt);
	tcase_add_test(tc, test_field_lookup);
	suite_add_tcase(s, tc);

	tc = tcase_create("meminfo");
	tcase_add_test(tc, test_meminfo_ok);
	tcase_add_loop_test(tc, test_meminfo_bad, 0, G_N_ELEMENTS(meminfo_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("passwd");
	tcase_add_test(tc, test_passwd);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_misc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
