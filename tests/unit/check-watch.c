/* check-watch.c: Check unit tests of -w's core: a figure over samples, processes matched by pid and start time, signed sizes, the option parsers, the JSON merge (front-end support tests) */
#include "config.h"

#include <check.h>
#include <string.h>

#include "watch.h"

/* ---- a figure over the samples ---- */

/* A figure's samples (known, value) and, after each, the change since the previous sample and since
 * the start (UNKNOWN: not known). */
#define UNKNOWN G_MININT64
static const struct {
	int n;
	gboolean known[4];
	gint64 x[4], delta[4], growth[4];
} value_cases[] = {
	/* unreadable at the third sample: unknown, never a change of -70; readable again: no previous value,
	 * growth from the first */
	{ 4, { TRUE, TRUE, FALSE, TRUE }, { 100, 70, 0, 250 }, { UNKNOWN, -30, UNKNOWN, UNKNOWN }, { 0, -30, UNKNOWN, 150 } },
	/* the start is the first sample that knew it */
	{ 3, { FALSE, TRUE, TRUE }, { 0, 40, 50 }, { UNKNOWN, UNKNOWN, 10 }, { UNKNOWN, 0, 10 } },
};

START_TEST(test_value)
{
	MemWatchValue v = { 0 };

	for (int k = 0; k < value_cases[_i].n; k++) {
		MemDelta d, g;

		mem_watch_value_push(&v, value_cases[_i].known[k], value_cases[_i].x[k]);
		d = mem_watch_value_delta(&v);
		g = mem_watch_value_growth(&v);
		ck_assert_int_eq(d.known ? d.v : UNKNOWN, value_cases[_i].delta[k]);
		ck_assert_int_eq(g.known ? g.v : UNKNOWN, value_cases[_i].growth[k]);
	}
}
END_TEST

START_TEST(test_value_extremes)
{
	MemWatchValue v = { 0 };
	MemDelta d;

	mem_watch_value_push(&v, TRUE, G_MININT64 + 1);
	mem_watch_value_push(&v, TRUE, G_MAXINT64);
	ck_assert(!mem_watch_value_delta(&v).known); /* does not fit: unknown, never wrapped */
	mem_watch_value_push(&v, TRUE, 0);
	d = mem_watch_value_delta(&v);
	ck_assert(d.known && d.v == -G_MAXINT64);
}
END_TEST

/* ---- processes ---- */

static MemProcess proc(guint32 pid, guint64 start, const char *name)
{
	MemProcess p = { 0 };

	p.pid = pid;
	p.start_time = start;
	p.has_start_time = TRUE;
	p.name = (char *)name;
	return p;
}

START_TEST(test_tracker)
{
	g_autoptr(MemWatchTracker) t = mem_watch_tracker_new();
	MemProcess a = proc(10, 500, "a"), b = proc(20, 600, "b"), b2 = proc(20, 900, "reused"), c = proc(30, 700, "c");
	MemWatchEntry *e;
	GPtrArray *gone;
	MemDelta d;

	mem_watch_tracker_begin(t);
	ck_assert_int_eq(mem_watch_tracker_see(t, &a, TRUE, 1000)->change, MEM_WATCH_FIRST);
	ck_assert_int_eq(mem_watch_tracker_see(t, &b, TRUE, 2000)->change, MEM_WATCH_FIRST);
	ck_assert_uint_eq(mem_watch_tracker_end(t)->len, 0);

	/* b's pid given to another process, c started: b vanished, b2 and c new */
	mem_watch_tracker_begin(t);
	e = mem_watch_tracker_see(t, &a, TRUE, 1500);
	ck_assert_int_eq(e->change, MEM_WATCH_SEEN);
	d = mem_watch_value_delta(&e->value);
	ck_assert(d.known && d.v == 500);
	e = mem_watch_tracker_see(t, &b2, TRUE, 10);
	ck_assert_int_eq(e->change, MEM_WATCH_NEW);
	ck_assert(!mem_watch_value_delta(&e->value).known);
	ck_assert_str_eq(e->name, "reused");
	ck_assert_int_eq(mem_watch_tracker_see(t, &c, FALSE, 0)->change, MEM_WATCH_NEW);
	gone = mem_watch_tracker_end(t);
	ck_assert(mem_watch_tracker_find(t, &b) == NULL);
	ck_assert_uint_eq(gone->len, 1);
	e = g_ptr_array_index(gone, 0);
	ck_assert(e->pid == 20 && e->start_time == 600 && e->change == MEM_WATCH_VANISHED);
	ck_assert_str_eq(e->name, "b"); /* its own copy: the snapshot that named it is gone */

	/* listed once: the next sample forgets it */
	mem_watch_tracker_begin(t);
	mem_watch_tracker_see(t, &a, TRUE, 1500);
	mem_watch_tracker_see(t, &b2, TRUE, 10);
	mem_watch_tracker_see(t, &c, TRUE, 5);
	gone = mem_watch_tracker_end(t);
	ck_assert_uint_eq(gone->len, 0);
	ck_assert_int_eq(mem_watch_tracker_find(t, &b2)->change, MEM_WATCH_SEEN);
}
END_TEST

START_TEST(test_growth_order)
{
	g_autoptr(MemWatchTracker) t = mem_watch_tracker_new();
	MemProcess p[4] = { proc(1, 1, "x"), proc(2, 1, "x"), proc(3, 1, "x"), proc(4, 1, "x") };
	gint64 first[4] = { 100, 100, 100, 100 }, then[4] = { 150, 0, 400, 0 };
	gboolean known[4] = { TRUE, TRUE, TRUE, FALSE };
	g_autoptr(GPtrArray) e = g_ptr_array_new();
	guint32 want[4] = { 3, 1, 2, 4 }, want_rev[4] = { 2, 1, 3, 4 };

	mem_watch_tracker_begin(t);
	for (int i = 0; i < 4; i++)
		mem_watch_tracker_see(t, &p[i], TRUE, first[i]);
	mem_watch_tracker_end(t);
	mem_watch_tracker_begin(t);
	for (int i = 0; i < 4; i++)
		g_ptr_array_add(e, mem_watch_tracker_see(t, &p[i], known[i], then[i]));
	mem_watch_tracker_end(t);
	g_ptr_array_sort_with_data(e, mem_watch_entry_compare_growth, NULL);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(((MemWatchEntry *)g_ptr_array_index(e, i))->pid, want[i]);
	g_ptr_array_sort_with_data(e, mem_watch_entry_compare_growth, e); /* -r: unknown still last */
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(((MemWatchEntry *)g_ptr_array_index(e, i))->pid, want_rev[i]);
}
END_TEST

/* ---- text ---- */

static const struct {
	gint64 v;
	char unit;
	gboolean bytes;
	const char *want;
} delta_cases[] = {
	{ 0, 0, FALSE, "0B" },
	{ 1258291, 0, FALSE, "+1228.8k" },
	{ 12582912, 0, FALSE, "+12M" },
	{ -28672, 0, FALSE, "-28k" },
	{ -1, 0, FALSE, "-1B" },
	{ 3 * 1048576, 'k', FALSE, "+3072k" },
	{ -1234, 0, TRUE, "-1234" },
	{ G_MAXINT64, 0, TRUE, "+9223372036854775807" },
	{ -G_MAXINT64, 0, TRUE, "-9223372036854775807" },
};

START_TEST(test_delta_format)
{
	MemTextOptions o = { 0 };
	g_autoptr(GString) s = g_string_new(NULL);

	o.unit = delta_cases[_i].unit;
	o.bytes = delta_cases[_i].bytes;
	mem_delta_format(s, delta_cases[_i].v, &o);
	ck_assert_str_eq(s->str, delta_cases[_i].want);
}
END_TEST

START_TEST(test_parse)
{
	static const char *const bad[] = { "", "-1", "nan", "inf", "0x10", "1e", "86400.5", "1 ", " 1", "1s", "p1" };
	double sec;
	gint64 n;

	ck_assert(mem_watch_parse_interval("-w", "0", &sec, NULL) && sec == 0);
	ck_assert(mem_watch_parse_interval("-w", ".25", &sec, NULL) && sec == 0.25);
	ck_assert(mem_watch_parse_interval("-w", "86400", &sec, NULL) && sec == 86400);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) err = NULL;
		ck_assert_msg(!mem_watch_parse_interval("-d", bad[i], &sec, &err), "'%s' taken", bad[i]);
		ck_assert(g_str_has_prefix(err->message, "-d takes a number of seconds"));
	}
	ck_assert(mem_watch_parse_count("1", &n, NULL) && n == 1);
	ck_assert(!mem_watch_parse_count("0", &n, NULL));
	ck_assert(!mem_watch_parse_count("2147483648", &n, NULL));
	ck_assert(!mem_watch_parse_count("-3", &n, NULL));
}
END_TEST

START_TEST(test_json_merge)
{
	g_autoptr(GString) doc = g_string_new("{\"a\":1,\"b\":{\"c\":[]}}\n");
	g_autoptr(GString) more = g_string_new("{\"sample\":2,\"watch\":{}}");
	g_autoptr(GString) empty = g_string_new("{}\n");

	mem_watch_json_merge(doc, more);
	ck_assert_str_eq(doc->str, "{\"a\":1,\"b\":{\"c\":[]},\"sample\":2,\"watch\":{}}\n");
	mem_watch_json_merge(empty, more);
	ck_assert_str_eq(empty->str, "{\"sample\":2,\"watch\":{}}\n");
}
END_TEST

static Suite *watch_suite(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("watch");

	tcase_add_loop_test(tc, test_value, 0, G_N_ELEMENTS(value_cases));
	tcase_add_test(tc, test_value_extremes);
	tcase_add_test(tc, test_tracker);
	tcase_add_test(tc, test_growth_order);
	tcase_add_loop_test(tc, test_delta_format, 0, G_N_ELEMENTS(delta_cases));
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_json_merge);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(watch_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
