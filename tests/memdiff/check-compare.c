/* check-compare.c: Check unit tests of memdiff's comparison and limits at the edges the fixtures do not reach: medians, presence, unknowns, 64-bit values (accounting tests) */
#include "config.h"

#include <check.h>
#include <string.h>

#include "compare-diff.h"
#include "gate-diff.h"
#include "load-diff.h"
#include "../common/check-run.h"

/* A side of hand-made processes: "job cmdline pss" entries, pss G_MAXUINT64 for "not measured". */
static MemDiffSide *side(const char *arg, guint n, const char *const *jobs, const char *const *cmds, const guint64 *pss)
{
	MemDiffSide *s = g_new0(MemDiffSide, 1);

	s->arg = g_strdup(arg);
	s->procs = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		MemDiffProc *p = g_new0(MemDiffProc, 1);
		p->pid = 100 + i;
		p->job = g_strdup(jobs[i]);
		p->name = g_strdup("comm");
		p->argv = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(p->argv, g_strdup(cmds[i]));
		p->measured = pss[i] != G_MAXUINT64;
		if (p->measured) {
			p->known = (1u << MEM_DIFF_N_FIGURES) - 1;
			p->v[MEM_DIFF_PSS] = pss[i];
		}
		g_ptr_array_add(s->procs, p);
	}
	return s;
}

static void side_free(MemDiffSide *s)
{
	for (guint i = 0; i < s->procs->len; i++) {
		MemDiffProc *p = g_ptr_array_index(s->procs, i);
		g_free(p->job);
		g_free(p->name);
		g_ptr_array_unref(p->argv);
		g_free(p);
	}
	g_ptr_array_unref(s->procs);
	g_free(s->arg);
	g_free(s);
}

static const MemDiffRow *program_row(const MemDiffReport *r, const char *cmd)
{
	for (guint i = 0; i < r->rows->len; i++) {
		const MemDiffRow *row = g_ptr_array_index(r->rows, i);
		if (row->kind == MEM_DIFF_PROGRAM && strcmp(row->cmdline, cmd) == 0)
			return row;
	}
	return NULL;
}

START_TEST(test_median_even_and_presence)
{
	static const char *const jobs[] = { "/a", "/a" };
	static const char *const cmds[] = { "x", "y" };
	static const guint64 o[] = { 10, 10 }, n1[] = { 3, 7 }, n2[] = { 4, 7 }, n3[] = { 100, 7 }, n4[] = { 5, 7 };
	MemDiffSide *old = side("old", 2, jobs, cmds, o);
	MemDiffSide *news[] = { side("n1", 2, jobs, cmds, n1), side("n2", 2, jobs, cmds, n2), side("n3", 1, jobs + 1, cmds + 1, n3 + 1),
	                        side("n4", 1, jobs + 1, cmds + 1, n4 + 1) };
	g_autoptr(GPtrArray) nv = g_ptr_array_new();
	g_autoptr(MemDiffReport) r = NULL;
	const MemDiffRow *x, *y;
	gint64 d;

	for (guint i = 0; i < G_N_ELEMENTS(news); i++)
		g_ptr_array_add(nv, news[i]);
	r = mem_diff_report_new(old, nv);
	/* x is in 2 of 4 NEW sides: not more than half, absent */
	x = program_row(r, "x");
	ck_assert_ptr_nonnull(x);
	ck_assert(x->old.present && !x->new.present);
	ck_assert(mem_diff_row_delta(x, MEM_DIFF_PSS, &d) && d == -10);
	/* y in all 4: 7 7 7 7 */
	y = program_row(r, "y");
	ck_assert(y->new.present && y->new.v[MEM_DIFF_PSS] == 7);
	/* the total's median over 4: 10, 11, 7, 7 -> (7 + 10) / 2 rounded down = 8 */
	ck_assert_uint_eq(((const MemDiffRow *)g_ptr_array_index(r->rows, 0))->new.v[MEM_DIFF_PSS], 8);
	ck_assert_str_eq(mem_diff_row_status(x), "disappeared");
	side_free(old);
	for (guint i = 0; i < G_N_ELEMENTS(news); i++)
		side_free(news[i]);
}
END_TEST

START_TEST(test_unknown_and_huge)
{
	static const char *const jobs[] = { "/a/b", "/c" };
	static const char *const cmds[] = { "x", "y" };
	static const guint64 o[] = { G_MAXUINT64, (guint64)1 << 62 }, n[] = { 5, ((guint64)1 << 62) + ((guint64)1 << 40) };
	MemDiffSide *old = side("old", 2, jobs, cmds, o), *nw = side("new", 2, jobs, cmds, n);
	g_autoptr(GPtrArray) nv = g_ptr_array_new();
	g_autoptr(MemDiffReport) r = NULL;
	g_autoptr(GError) err = NULL;
	const MemDiffRow *x, *y;
	MemDiffCheck c;
	gint64 d;

	g_ptr_array_add(nv, nw);
	r = mem_diff_report_new(old, nv);
	x = program_row(r, "x");
	ck_assert(!mem_diff_row_delta(x, MEM_DIFF_PSS, &d));           /* unmeasured on OLD: unknown, never +5 */
	ck_assert_str_eq(mem_diff_row_status(x), "unknown");
	ck_assert_ptr_nonnull(mem_diff_report_find(r, MEM_DIFF_JOB, "/a"));
	ck_assert(!mem_diff_row_delta(mem_diff_report_find(r, MEM_DIFF_JOB, "/"), MEM_DIFF_PSS, &d));
	y = program_row(r, "y");
	ck_assert(mem_diff_row_delta(y, MEM_DIFF_PSS, &d) && d == (gint64)1 << 40);
	/* 2^40 / 2^62 = 2^-22 = 0.238 ppm: 1 ppm passes, 0% fails; products far above 2^64 */
	{
		g_autoptr(MemDiffGate) pass = mem_diff_gate_parse("program:y=+0.0001%", "t", &err);
		g_autoptr(MemDiffGate) fail = mem_diff_gate_parse("program:y=0%", "t", &err);
		g_autoptr(MemDiffGate) unk = mem_diff_gate_parse("program:x=+1G", "t", &err);
		g_autoptr(MemDiffGate) none = mem_diff_gate_parse("job:/nowhere=+1G", "t", &err);
		ck_assert_ptr_nonnull(pass);
		ck_assert_uint_eq(pass->ppm, 1);
		mem_diff_gate_check(pass, r, &c);
		ck_assert_int_eq(c.verdict, MEM_DIFF_PASS);
		mem_diff_gate_check(fail, r, &c);
		ck_assert_int_eq(c.verdict, MEM_DIFF_EXCEEDED);
		mem_diff_gate_check(unk, r, &c);
		ck_assert_int_eq(c.verdict, MEM_DIFF_UNKNOWN);
		ck_assert(mem_diff_verdict_fails(c.verdict, FALSE) && !mem_diff_verdict_fails(c.verdict, TRUE));
		mem_diff_gate_check(none, r, &c);
		ck_assert_int_eq(c.verdict, MEM_DIFF_NO_MATCH);
	}
	side_free(old);
	side_free(nw);
}
END_TEST

START_TEST(test_limit_grammar)
{
	static const struct {
		const char *spec;
		MemDiffKind kind;
		const char *target;
		MemDiffFigure fig;
		gboolean percent;
		guint64 value;
	} cases[] = {
		{ "pss=+5%", MEM_DIFF_TOTAL, NULL, MEM_DIFF_PSS, TRUE, 50000 },
		{ "USS=2.5%", MEM_DIFF_TOTAL, NULL, MEM_DIFF_USS, TRUE, 25000 },
		{ "swap_pss=0", MEM_DIFF_TOTAL, NULL, MEM_DIFF_SWAP_PSS, FALSE, 0 },
		{ "job:/a=b/=+20M", MEM_DIFF_JOB, "/a=b", MEM_DIFF_PSS, FALSE, 20u << 20 },
		{ "uss:job:/x=1k", MEM_DIFF_JOB, "/x", MEM_DIFF_USS, FALSE, 1024 },
		{ "swap_pss:program:a:b=3", MEM_DIFF_PROGRAM, "a:b", MEM_DIFF_SWAP_PSS, FALSE, 3 },
		{ "program:uss:job:x=3", MEM_DIFF_PROGRAM, "uss:job:x", MEM_DIFF_PSS, FALSE, 3 },
	};
	static const char *const bad[] = {
		"pss=0.00001%", "pss=-5%", "pss=5%%", "pss=", "=5M", "job:=5M", "program:=5M", "rss=1M",
		"pss=18446744073709551616", "pss=99999999999999999999%", "pss", "job:x=1M",
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(MemDiffGate) g = mem_diff_gate_parse(cases[i].spec, "t", &err);
		ck_assert_msg(g != NULL, "%s", cases[i].spec);
		ck_assert_int_eq(g->kind, cases[i].kind);
		ck_assert_str_eq(g->target ? g->target : "-", cases[i].target ? cases[i].target : "-");
		ck_assert_int_eq(g->figure, cases[i].fig);
		ck_assert_int_eq(g->percent, cases[i].percent);
		ck_assert_uint_eq(g->percent ? g->ppm : g->bytes, cases[i].value);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(MemDiffGate) g = mem_diff_gate_parse(bad[i], "t", &err);
		ck_assert_msg(g == NULL, "%s parsed", bad[i]);
		ck_assert(g_str_has_prefix(err->message, "t: bad limit '"));
	}
}
END_TEST

START_TEST(test_budget_lines)
{
	static const char text[] = "# c\n\n  pss=+5%  # why\r\njob:/a#b=1M\n\t# x\nprogram:p=0";
	static const char bad[] = "pss=1%\nnonsense\n";
	g_autoptr(GPtrArray) gates = g_ptr_array_new_with_free_func((GDestroyNotify)mem_diff_gate_free);
	g_autoptr(GError) err = NULL;

	ck_assert(mem_diff_budget_parse("b", text, sizeof text - 1, gates, &err));
	ck_assert_uint_eq(gates->len, 3);
	ck_assert_str_eq(((MemDiffGate *)g_ptr_array_index(gates, 0))->origin, "b:3");
	ck_assert_str_eq(((MemDiffGate *)g_ptr_array_index(gates, 1))->target, "/a#b");   /* no blank before '#' */
	ck_assert_str_eq(((MemDiffGate *)g_ptr_array_index(gates, 2))->origin, "b:6");   /* no newline at the end */
	ck_assert(!mem_diff_budget_parse("b", bad, sizeof bad - 1, gates, &err));
	ck_assert(g_str_has_prefix(err->message, "b:2: bad limit 'nonsense'"));
	g_clear_error(&err);
	ck_assert(!mem_diff_budget_parse("b", "pss=1%\0x", 8, gates, &err));
	ck_assert_str_eq(err->message, "b:1: a NUL byte in the line");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("memdiff");
	TCase *tc = tcase_create("compare");

	tcase_add_test(tc, test_median_even_and_presence);
	tcase_add_test(tc, test_unknown_and_huge);
	tcase_add_test(tc, test_limit_grammar);
	tcase_add_test(tc, test_budget_lines);
	suite_add_tcase(s, tc);
	return mem_check_run(s);
}
