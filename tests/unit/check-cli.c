/* check-cli.c: Check unit tests of the front-end core: column-list parser, state tally and summary, unit parser, JSON header (front-end support tests) */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <string.h>

#include "account.h"
#include "cli.h"
#include "column.h"
#include "error.h"
#include "json-writer.h"
#include "render.h"
#include "../common/check-run.h"

/* ---- the generic column-list parser over a tool's own table ---- */

typedef struct {
	int id;
	const char *help;
	const char *name;
} Col;

static const Col cols[] = {
	{ 10, "first", "alpha" },
	{ 20, "second", "beta_2" },
	{ 30, "third", "gamma" },
};
static const MemColumnSet set = MEM_COLUMN_SET(cols, Col, name, help, "column");

static gboolean accept_upper(const char *name, gpointer data)
{
	(*(int *)data)++;
	return g_ascii_isupper(name[0]);
}

START_TEST(test_parse_any_case)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) idx = mem_column_list_parse(&set, "GAMMA, alpha ,Beta_2,gamma", NULL, NULL, NULL, &err);

	ck_assert_ptr_nonnull(idx);
	ck_assert_uint_eq(idx->len, 4);
	ck_assert_uint_eq(g_array_index(idx, guint, 0), 2);
	ck_assert_uint_eq(g_array_index(idx, guint, 1), 0);
	ck_assert_uint_eq(g_array_index(idx, guint, 2), 1);
	ck_assert_uint_eq(g_array_index(idx, guint, 3), 2);
	ck_assert_str_eq(mem_column_set_name(&set, 1), "beta_2");
	ck_assert_str_eq(mem_column_set_help(&set, 2), "third");
	ck_assert_int_eq(mem_column_set_find(&set, "Alpha"), 0);
	ck_assert_int_eq(mem_column_set_find(&set, "alph"), -1);
}
END_TEST

START_TEST(test_parse_errors)
{
	g_autoptr(GError) err = NULL;
	GArray *idx = mem_column_list_parse(&set, "alpha,bogus", NULL, NULL, NULL, &err);

	ck_assert_ptr_null(idx);
	ck_assert(g_error_matches(err, MEM_ERROR, MEM_ERROR_INVALID));
	ck_assert_str_eq(err->message, "unknown column 'bogus' (valid: alpha beta_2 gamma)");
	g_clear_error(&err);
	ck_assert_ptr_null(mem_column_list_parse(&set, "", NULL, NULL, NULL, &err));
	ck_assert_str_eq(err->message, "empty column list");
	g_clear_error(&err);
	ck_assert_ptr_null(mem_column_list_parse(&set, "alpha,,gamma", NULL, NULL, NULL, &err));
	ck_assert_str_eq(err->message, "empty column name in 'alpha,,gamma'");
	g_clear_error(&err);
	ck_assert_ptr_null(mem_column_list_parse(&set, "alpha,", NULL, NULL, NULL, &err));
	g_clear_error(&err);
	/* a bad name is in the message as it was given: mem_cli_error() escapes every message it prints
	 * (tests/common/options.sh and tests/memmaps/escaping.sh check stderr) */
	ck_assert_ptr_null(mem_column_list_parse(&set, "a\033b", NULL, NULL, NULL, &err));
	ck_assert_str_eq(err->message, "unknown column 'a\033b' (valid: alpha beta_2 gamma)");
}
END_TEST

START_TEST(test_parse_others)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func(g_free);
	int calls = 0;
	g_autoptr(GArray) idx = mem_column_list_parse(&set, "Writeback,beta_2,THPeligible", accept_upper, &calls, others, &err);

	ck_assert_ptr_nonnull(idx);
	ck_assert_int_eq(calls, 2); /* only names not in the table are offered */
	ck_assert_uint_eq(g_array_index(idx, guint, 0), G_MAXUINT);
	ck_assert_uint_eq(g_array_index(idx, guint, 1), 1);
	ck_assert_uint_eq(g_array_index(idx, guint, 2), G_MAXUINT);
	ck_assert_uint_eq(others->len, 2);
	ck_assert_str_eq(g_ptr_array_index(others, 0), "Writeback");
	ck_assert_str_eq(g_ptr_array_index(others, 1), "THPeligible");
	ck_assert_ptr_null(mem_column_list_parse(&set, "beta_2,lower", accept_upper, &calls, others, NULL));
}
END_TEST

START_TEST(test_help_text)
{
	g_autoptr(GString) out = g_string_new(NULL);

	mem_column_set_help_text(&set, out);
	ck_assert_str_eq(out->str, "  alpha   first\n  beta_2  second\n  gamma   third\n");
}
END_TEST

START_TEST(test_memps_columns)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) c = mem_columns_parse("PSS,user,Swap_Pss", &err);
	const MemColumnSet *s = mem_columns_set();
	guint n;

	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->len, 3);
	ck_assert_int_eq(((const MemColumn *)g_ptr_array_index(c, 0))->metric, MEM_M_PSS);
	ck_assert_int_eq(((const MemColumn *)g_ptr_array_index(c, 1))->kind, MEM_COL_USER);
	ck_assert_int_eq(((const MemColumn *)g_ptr_array_index(c, 2))->metric, MEM_M_SWAP_PSS);
	mem_columns(&n);
	ck_assert_uint_eq(s->n, n);
	for (guint i = 0; i < s->n; i++)
		ck_assert(strlen(mem_column_set_help(s, i)) > 0); /* every column has a help line */
	ck_assert_ptr_null(mem_columns_parse("pss,bogus", &err));
	ck_assert_ptr_nonnull(strstr(err->message, "unknown column 'bogus' (valid: pss private shared"));
}
END_TEST

/* ---- state tally and the summary line ---- */

static void add(MemStateTally *t, MemProcState state, int err, gboolean malformed, guint n)
{
	MemProcess p = { 0 };

	p.state = state;
	p.err = err;
	p.malformed = malformed;
	while (n--)
		mem_state_tally_add(t, &p);
}

START_TEST(test_tally_nothing_left_out)
{
	MemStateTally t = { 0 };

	add(&t, MEM_PROC_OK, 0, FALSE, 5);
	add(&t, MEM_PROC_KERNEL, 0, FALSE, 3); /* no user memory: nothing is missing */
	ck_assert_uint_eq(t.n[MEM_PROC_OK], 5);
	ck_assert_uint_eq(t.n[MEM_PROC_KERNEL], 3);
	ck_assert_uint_eq(mem_state_tally_left_out(&t), 0);
	ck_assert_ptr_null(mem_state_tally_summary(&t));
}
END_TEST

START_TEST(test_tally_one_reason)
{
	MemStateTally t = { 0 };
	g_autofree char *s = NULL;

	add(&t, MEM_PROC_UNREADABLE, EACCES, FALSE, 2);
	add(&t, MEM_PROC_UNREADABLE, EPERM, TRUE, 1); /* permission first: EPERM wins over a garbled file */
	add(&t, MEM_PROC_VANISHED, ESRCH, FALSE, 1);
	ck_assert_uint_eq(t.n_reason[0], 3);
	ck_assert_int_eq(strncmp(t.reason[0], "permission denied", t.reason_len[0]), 0);
	ck_assert_uint_eq(t.reason_len[0], strlen("permission denied"));
	ck_assert_ptr_null(t.reason[1]);
	ck_assert_uint_eq(mem_state_tally_left_out(&t), 4);
	s = mem_state_tally_summary(&t);
	ck_assert_str_eq(s, "3 processes unreadable (permission denied), 1 vanished; totals exclude them");
}
END_TEST

START_TEST(test_tally_mixed_reasons)
{
	MemStateTally t = { 0 };
	g_autofree char *s = NULL;

	add(&t, MEM_PROC_UNREADABLE, EACCES, FALSE, 2);
	add(&t, MEM_PROC_UNREADABLE, 0, TRUE, 1);
	add(&t, MEM_PROC_UNREADABLE, 0, FALSE, 1); /* no reason: "[unreadable]" */
	s = mem_state_tally_summary(&t);
	ck_assert_str_eq(s, "4 processes unreadable (2 permission denied, 1 malformed, 1 other); totals exclude them");
}
END_TEST

/* The reason is the row's note ("[unreadable: ...]"): the summary and the rows say the same. */
START_TEST(test_tally_reason_is_the_note)
{
	MemStateTally t = { 0 };
	MemProcess p = { 0 };
	g_autofree char *s = NULL;
	const char *note;

	p.state = MEM_PROC_UNREADABLE;
	p.malformed = TRUE;
	note = mem_proc_state_note(&p);
	mem_state_tally_add(&t, &p);
	ck_assert_uint_eq(t.reason_len[0] + strlen("[unreadable: ]"), strlen(note));
	ck_assert_int_eq(strncmp(note + strlen("[unreadable: "), t.reason[0], t.reason_len[0]), 0);
	p.malformed = FALSE; /* no reason at all: "[unreadable]" */
	mem_state_tally_add(&t, &p);
	ck_assert_uint_eq(t.n_other, 1);
	s = mem_state_tally_summary(&t);
	ck_assert_str_eq(s, "2 processes unreadable (1 malformed, 1 other); totals exclude them");
}
END_TEST

START_TEST(test_tally_no_reason)
{
	MemStateTally t = { 0 };
	g_autofree char *s = NULL;

	add(&t, MEM_PROC_UNREADABLE, 0, FALSE, 2);
	s = mem_state_tally_summary(&t);
	ck_assert_str_eq(s, "2 processes unreadable; totals exclude them");
}
END_TEST

START_TEST(test_tally_vanished_only)
{
	MemStateTally t = { 0 };
	g_autofree char *one = NULL, *two = NULL;

	add(&t, MEM_PROC_VANISHED, ENOENT, FALSE, 1);
	one = mem_state_tally_summary(&t);
	ck_assert_str_eq(one, "1 process vanished; totals exclude them");
	add(&t, MEM_PROC_UNREADABLE, 0, TRUE, 1);
	two = mem_state_tally_summary(&t);
	ck_assert_str_eq(two, "1 process unreadable (malformed), 1 vanished; totals exclude them");
}
END_TEST

/* ---- -u ---- */

START_TEST(test_units)
{
	static const struct {
		const char *arg;
		char want;
	} ok[] = {
		{ "B", 'B' }, { "b", 'B' }, { "k", 'k' }, { "K", 'k' }, { "m", 'M' }, { "M", 'M' }, { "g", 'G' },
		{ "G", 'G' }, { "t", 'T' }, { "T", 'T' }, { "p", 'P' }, { "P", 'P' }, { "e", 'E' }, { "E", 'E' },
	};
	static const char *const bad[] = { "", "X", "kb", "KiB", "MM", "1", " k" };

	for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
		char u = 0;
		ck_assert_msg(mem_cli_parse_unit(ok[i].arg, &u, NULL), "%s refused", ok[i].arg);
		ck_assert_int_eq(u, ok[i].want);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) err = NULL;
		char u = 0;
		ck_assert_msg(!mem_cli_parse_unit(bad[i], &u, &err), "'%s' accepted", bad[i]);
		ck_assert(g_error_matches(err, MEM_ERROR, MEM_ERROR_INVALID));
	}
}
END_TEST

/* ---- the JSON header of every tool ---- */

static char *header(MemSourceKind kind, const char *path, const char *kernel, const MemFeatures *missing)
{
	GString *out = g_string_new(NULL);
	g_autoptr(MemJsonWriter) w = mem_json_writer_new(out, FALSE);

	mem_json_begin_object(w);
	mem_json_header(w, "tool/1", kind, path, kernel, missing);
	mem_json_end_object(w);
	g_clear_pointer(&w, mem_json_writer_free);
	return g_string_free(out, FALSE);
}

START_TEST(test_json_header)
{
	static const struct {
		MemSourceKind kind;
		const char *path, *kernel, *want;
	} cases[] = {
		{ MEM_SOURCE_LIVE, NULL, "6.1.0",
		  "{\"schema\":\"tool/1\",\"source\":{\"kind\":\"live\",\"format\":\"proc\",\"path\":null,\"kernel\":\"6.1.0\",\"missing\":[]}}" },
		{ MEM_SOURCE_LIVE, "/tmp/p", NULL,
		  "{\"schema\":\"tool/1\",\"source\":{\"kind\":\"live\",\"format\":\"proc\",\"path\":\"/tmp/p\",\"kernel\":null,\"missing\":[]}}" },
		{ MEM_SOURCE_DIR, "rec", "5.10",
		  "{\"schema\":\"tool/1\",\"source\":{\"kind\":\"snapshot\",\"format\":\"dir\",\"path\":\"rec\",\"kernel\":\"5.10\",\"missing\":[]}}" },
		{ MEM_SOURCE_TAR, "r.tar.gz", NULL,
		  "{\"schema\":\"tool/1\",\"source\":{\"kind\":\"snapshot\",\"format\":\"tar\",\"path\":\"r.tar.gz\",\"kernel\":null,\"missing\":[]}}" },
		{ MEM_SOURCE_TAR, "-", NULL,
		  "{\"schema\":\"tool/1\",\"source\":{\"kind\":\"snapshot\",\"format\":\"stdin\",\"path\":null,\"kernel\":null,\"missing\":[]}}" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = header(cases[i].kind, cases[i].path, cases[i].kernel, NULL);
		ck_assert_str_eq(got, cases[i].want);
	}
}
END_TEST

/* "missing": the features lacked, in MemFeature order, with their counts; none lacked: [] */
START_TEST(test_json_header_missing)
{
	MemFeatures f = { 0 };
	g_autofree char *none = NULL, *got = NULL;

	f.judged[MEM_FEATURE_SWAP_PSS] = 3;
	none = header(MEM_SOURCE_DIR, "rec", "4.1", &f);
	ck_assert_str_eq(none, "{\"schema\":\"tool/1\",\"source\":{\"kind\":\"snapshot\",\"format\":\"dir\","
	                       "\"path\":\"rec\",\"kernel\":\"4.1\",\"missing\":[]}}");
	f.lacking[MEM_FEATURE_SWAP_PSS] = 2;
	f.judged[MEM_FEATURE_SMAPS_ROLLUP] = f.lacking[MEM_FEATURE_SMAPS_ROLLUP] = 3;
	got = header(MEM_SOURCE_DIR, "rec", "4.1", &f);
	ck_assert_str_eq(got, "{\"schema\":\"tool/1\",\"source\":{\"kind\":\"snapshot\",\"format\":\"dir\","
	                      "\"path\":\"rec\",\"kernel\":\"4.1\",\"missing\":["
	                      "{\"feature\":\"smaps_rollup\",\"since\":\"4.14\",\"processes\":3,\"judged\":3,"
	                      "\"effect\":\"PSS summed per mapping, low by up to 1 kB per mapping; Pss_Anon/File/Shmem unknown\"},"
	                      "{\"feature\":\"swap_pss\",\"since\":\"4.3\",\"processes\":2,\"judged\":3,"
	                      "\"effect\":\"swap PSS unknown (blank, not 0)\"}]}}");
}
END_TEST

START_TEST(test_kernel_release)
{
	g_autofree char *k = NULL;
	static const char v[] = "Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) #1 SMP\n";

	k = mem_kernel_release(v, strlen(v));
	ck_assert_str_eq(k, "6.1.0-13-amd64");
	ck_assert_ptr_null(mem_kernel_release("", 0));
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_any_case);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_parse_others);
	tcase_add_test(tc, test_help_text);
	tcase_add_test(tc, test_memps_columns);
	tcase_add_test(tc, test_tally_nothing_left_out);
	tcase_add_test(tc, test_tally_one_reason);
	tcase_add_test(tc, test_tally_mixed_reasons);
	tcase_add_test(tc, test_tally_vanished_only);
	tcase_add_test(tc, test_tally_reason_is_the_note);
	tcase_add_test(tc, test_tally_no_reason);
	tcase_add_test(tc, test_units);
	tcase_add_test(tc, test_json_header);
	tcase_add_test(tc, test_json_header_missing);
	tcase_add_test(tc, test_kernel_release);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(cli_suite());
}
