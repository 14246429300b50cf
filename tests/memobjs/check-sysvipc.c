/* check-sysvipc.c: Check unit tests of the sysvipc/shm parser: old and new kernels, 64-bit extremes, garbled rows (parser layer tests) */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "parse.h"
#include "../common/check-run.h"

#define HDR_NEW "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
#define HDR_OLD "       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime\n"

static GArray *parse(const char *text, GError **err)
{
	return mem_parse_sysvipc_shm(text, strlen(text), err);
}

START_TEST(test_new_kernel)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) a = parse(HDR_NEW
	                            "         0         10   600               1048576 17489 17489      2     0     0     0     0 1795593388          0 1795593388               1048576                     0\n"
	                            "  -1234567     131083  1777  18446744073709551615     1     0      0 4294967295     7     0     0          0          0          0  18446744073709551615  18446744073709551615\n",
	                            &err);
	const MemShmSegment *s;

	ck_assert_msg(a != NULL, "%s", err ? err->message : "");
	ck_assert_uint_eq(a->len, 2);
	s = &g_array_index(a, MemShmSegment, 0);
	ck_assert_int_eq(s->key, 0);
	ck_assert_uint_eq(s->shmid, 10);
	ck_assert_uint_eq(s->perms, 0600);
	ck_assert_uint_eq(s->size, 1048576);
	ck_assert_uint_eq(s->cpid, 17489);
	ck_assert_uint_eq(s->nattch, 2);
	ck_assert(s->has_rss_swap);
	ck_assert_uint_eq(s->rss, 1048576);
	ck_assert_uint_eq(s->swap, 0);
	ck_assert_uint_eq(s->line, 2);
	s = &g_array_index(a, MemShmSegment, 1);
	ck_assert_int_eq(s->key, -1234567);
	ck_assert_uint_eq(s->perms, 01777);
	ck_assert_uint_eq(s->size, G_MAXUINT64);
	ck_assert_uint_eq(s->uid, G_MAXUINT32);
	ck_assert_uint_eq(s->gid, 7);
	ck_assert_uint_eq(s->rss, G_MAXUINT64);
	ck_assert_uint_eq(s->swap, G_MAXUINT64);
	ck_assert_uint_eq(s->nattch, 0);
}
END_TEST

START_TEST(test_old_kernel)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) a = parse(HDR_OLD "         0      32768   600     524288  1000  1001      1  1000  1000  1000  1000 1 2 3\n", &err);

	ck_assert_msg(a != NULL, "%s", err ? err->message : "");
	ck_assert_uint_eq(a->len, 1);
	ck_assert(!g_array_index(a, MemShmSegment, 0).has_rss_swap);
	ck_assert_uint_eq(g_array_index(a, MemShmSegment, 0).size, 524288);
	ck_assert_uint_eq(g_array_index(a, MemShmSegment, 0).lpid, 1001);
}
END_TEST

START_TEST(test_header_only_and_reordered)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) a = parse(HDR_NEW, &err);
	g_autoptr(GArray) b = NULL;

	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->len, 0);
	/* Columns are found by name; an unknown one (a future kernel) is skipped. */
	b = parse("nattch future shmid key perms size cpid lpid uid gid\n0 99 5 -1 644 4096 1 2 3 4\n", &err);
	ck_assert_msg(b != NULL, "%s", err ? err->message : "");
	ck_assert_uint_eq(g_array_index(b, MemShmSegment, 0).shmid, 5);
	ck_assert_int_eq(g_array_index(b, MemShmSegment, 0).key, -1);
	ck_assert_uint_eq(g_array_index(b, MemShmSegment, 0).perms, 0644);
}
END_TEST

static const struct {
	const char *text;
	int code;
	guint line;
	const char *needle;
} bad[] = {
	{ "", MEM_ERROR_PARSE, 1, "no header" },
	{ HDR_NEW "         0         10   600", MEM_ERROR_TRUNCATED, 2, "no newline" },
	{ HDR_NEW "         0         10   600\n", MEM_ERROR_PARSE, 2, "fields" },
	{ HDR_OLD "0 1 600 2 3 4 5 6 7 8 9 10 11 12 13\n", MEM_ERROR_PARSE, 2, "more fields" },
	{ HDR_OLD "0 1 800 2 3 4 5 6 7 8 9 10 11 12\n", MEM_ERROR_PARSE, 2, "perms" },
	{ HDR_OLD "0 1 600 18446744073709551616 3 4 5 6 7 8 9 10 11 12\n", MEM_ERROR_PARSE, 2, "size" },
	{ HDR_OLD "0 1 600 2 4294967296 4 5 6 7 8 9 10 11 12\n", MEM_ERROR_PARSE, 2, "cpid" },
	{ HDR_OLD "4294967296 1 600 2 3 4 5 6 7 8 9 10 11 12\n", MEM_ERROR_PARSE, 2, "key" },
	{ HDR_OLD "-2147483649 1 600 2 3 4 5 6 7 8 9 10 11 12\n", MEM_ERROR_PARSE, 2, "key" },
	{ HDR_OLD "0 -1 600 2 3 4 5 6 7 8 9 10 11 12\n", MEM_ERROR_PARSE, 2, "shmid" },
	{ HDR_OLD "0 1 600 2 3 4 x5 6 7 8 9 10 11 12\n", MEM_ERROR_PARSE, 2, "nattch" },
	{ "key shmid perms size cpid lpid uid gid\n", MEM_ERROR_PARSE, 1, "nattch" },
	{ "key key shmid perms size cpid lpid nattch uid gid\n", MEM_ERROR_PARSE, 1, "twice" },
	{ "key shmid perms size cpid lpid nattch uid gid rss\n", MEM_ERROR_PARSE, 1, "rss" },
	{ "key shmid perms size cpid lpid nattch uid gid\n0 1 6\0000 2 3 4 5 6 7\n", MEM_ERROR_PARSE, 2, "NUL" },
};

START_TEST(test_bad)
{
	GError *err = NULL;
	const char *t = bad[_i].text;
	gsize len = strlen(t);
	GArray *a;
	char prefix[32];

	if (_i == G_N_ELEMENTS(bad) - 1) /* the case with a NUL inside */
		len = strlen(t) + 1 + strlen(t + strlen(t) + 1);
	a = mem_parse_sysvipc_shm(t, len, &err);
	ck_assert_msg(a == NULL, "case %d parsed", _i);
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(err->domain, MEM_ERROR);
	ck_assert_msg(err->code == bad[_i].code, "case %d: code %d: %s", _i, err->code, err->message);
	g_snprintf(prefix, sizeof prefix, "line %u: ", bad[_i].line);
	ck_assert_msg(g_str_has_prefix(err->message, prefix), "case %d: '%s'", _i, err->message);
	ck_assert_msg(strstr(err->message, bad[_i].needle) != NULL, "case %d: '%s' lacks '%s'", _i, err->message,
	              bad[_i].needle);
	g_error_free(err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysvipc");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_new_kernel);
	tcase_add_test(tc, test_old_kernel);
	tcase_add_test(tc, test_header_only_and_reordered);
	tcase_add_loop_test(tc, test_bad, 0, G_N_ELEMENTS(bad));
	suite_add_tcase(s, tc);
	return mem_check_run(s);
}
