/* check-watch.c: Check unit tests of -w's core: a figure over samples, processes matched by pid and start time or by pidfd, signed sizes, the option parsers, the JSON merge (front-end support tests) */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "watch.h"
#include "../common/check-run.h"

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

/* Begins a sample of the n processes of ps. */
static void begin(MemWatchTracker *t, MemProcess *ps, guint n)
{
	g_autoptr(GPtrArray) procs = g_ptr_array_new();

	if (!ps)
		n = 0;
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(procs, &ps[i]);
	mem_watch_tracker_begin(t, procs);
}

START_TEST(test_tracker)
{
	g_autoptr(MemWatchTracker) t = mem_watch_tracker_new(NULL);
	MemProcess a = proc(10, 500, "a"), b = proc(20, 600, "b"), b2 = proc(20, 900, "reused"), c = proc(30, 700, "c");
	MemWatchEntry *e;
	GPtrArray *gone;
	MemDelta d;

	begin(t, (MemProcess[]){ a, b }, 2);
	ck_assert_int_eq(mem_watch_tracker_see(t, &a, TRUE, 1000)->change, MEM_WATCH_FIRST);
	ck_assert_int_eq(mem_watch_tracker_see(t, &b, TRUE, 2000)->change, MEM_WATCH_FIRST);
	ck_assert_uint_eq(mem_watch_tracker_end(t)->len, 0);

	/* b's pid given to another process, c started: b vanished, b2 and c new */
	begin(t, (MemProcess[]){ a, b2, c }, 3);
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
	begin(t, (MemProcess[]){ a, b2, c }, 3);
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
	g_autoptr(MemWatchTracker) t = mem_watch_tracker_new(NULL);
	MemProcess p[4] = { proc(1, 1, "x"), proc(2, 1, "x"), proc(3, 1, "x"), proc(4, 1, "x") };
	gint64 first[4] = { 100, 100, 100, 100 }, then[4] = { 150, 0, 400, 0 };
	gboolean known[4] = { TRUE, TRUE, TRUE, FALSE };
	g_autoptr(GPtrArray) e = g_ptr_array_new();
	guint32 want[4] = { 3, 1, 2, 4 }, want_rev[4] = { 2, 1, 3, 4 };

	begin(t, p, 4);
	for (int i = 0; i < 4; i++)
		mem_watch_tracker_see(t, &p[i], TRUE, first[i]);
	mem_watch_tracker_end(t);
	begin(t, p, 4);
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

/* ---- processes followed by pidfd ---- */

/* The descriptors this process has open. */
static guint count_fds(void)
{
	g_autoptr(GDir) d = g_dir_open("/proc/self/fd", 0, NULL);
	guint n = 0;

	ck_assert(d != NULL);
	while (g_dir_read_name(d))
		n++;
	return n;
}

/* Writes DIR/PID/stat, a stat line of this start time. */
static void write_stat(const char *dir, pid_t pid, guint64 start)
{
	g_autofree char *pdir = g_strdup_printf("%s/%d", dir, (int)pid);
	g_autofree char *path = g_build_filename(pdir, "stat", NULL);
	g_autofree char *line = g_strdup_printf("%d (fake) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 %" G_GUINT64_FORMAT
	                                        " 1000 10 18446744073709551615\n", (int)pid, start);

	ck_assert_int_eq(g_mkdir_with_parents(pdir, 0755), 0);
	ck_assert(g_file_set_contents(path, line, -1, NULL));
}

/* A child that waits to be killed. */
static pid_t spawn_child(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* Kills the child and waits for its end without reaping it: a zombie, its pidfd readable. */
static void make_zombie(pid_t pid)
{
	siginfo_t si;

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
}

/* A process of a lazy scan (no start time), or of one that read stat. */
static MemProcess lazy(pid_t pid)
{
	MemProcess p = proc((guint32)pid, 0, "fake");

	p.has_start_time = FALSE;
	return p;
}

static MemWatchChange see(MemWatchTracker *t, MemProcess *p)
{
	return mem_watch_tracker_see(t, p, TRUE, 0)->change;
}

START_TEST(test_tracker_pidfd)
{
	g_autofree char *root = g_dir_make_tmp("check-watch-XXXXXX", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = NULL;
	MemWatchTracker *t;
	MemWatchTrackerStats st;
	MemWatchEntry *e;
	GPtrArray *gone;
	guint fds = count_fds(), fds_src;
	pid_t a = spawn_child(), b = spawn_child();
	MemProcess pa = lazy(a), pb = proc((guint32)b, 300, "fake");

	ck_assert(root != NULL);
	write_stat(root, a, 500);
	write_stat(root, b, 300);
	src = mem_source_open_proc_root(root, &err);
	ck_assert_msg(src != NULL, "%s", err ? err->message : "");
	fds_src = count_fds();
	t = mem_watch_tracker_new(src);
	if (!mem_watch_tracker_has_pidfds(t)) {
		mem_watch_tracker_free(t);
		kill(a, SIGKILL);
		kill(b, SIGKILL);
		waitpid(a, NULL, 0);
		waitpid(b, NULL, 0);
		return; /* a kernel without pidfd_open (< 5.3) */
	}

	/* first sample: a's start time read once (b's came with its scan), a pidfd each */
	begin(t, (MemProcess[]){ pa, pb }, 2);
	ck_assert_int_eq(see(t, &pa), MEM_WATCH_FIRST);
	ck_assert_int_eq(see(t, &pb), MEM_WATCH_FIRST);
	mem_watch_tracker_end(t);
	e = mem_watch_tracker_find(t, &pa);
	ck_assert(e->has_start_time && e->start_time == 500);
	mem_watch_tracker_stats(t, &st);
	ck_assert_uint_eq(st.stat_reads, 1);
	ck_assert_uint_eq(st.pidfds, 2);
	ck_assert_uint_eq(count_fds(), fds_src + 2);

	/* alive: the same process, stat not read (were it read, its start time would differ) */
	write_stat(root, a, 900);
	begin(t, (MemProcess[]){ pa, pb }, 2);
	ck_assert_int_eq(see(t, &pa), MEM_WATCH_SEEN);
	ck_assert_int_eq(see(t, &pb), MEM_WATCH_SEEN);
	ck_assert_uint_eq(mem_watch_tracker_end(t)->len, 0);
	mem_watch_tracker_stats(t, &st);
	ck_assert_uint_eq(st.stat_reads, 1);

	/* a zombie: its pidfd fired, stat read, the same start time: the same process */
	make_zombie(a);
	write_stat(root, a, 500);
	begin(t, (MemProcess[]){ pa, pb }, 2);
	ck_assert_int_eq(see(t, &pa), MEM_WATCH_SEEN);
	ck_assert_int_eq(see(t, &pb), MEM_WATCH_SEEN);
	ck_assert_uint_eq(mem_watch_tracker_end(t)->len, 0);
	mem_watch_tracker_stats(t, &st);
	ck_assert_uint_eq(st.stat_reads, 2);

	/* b's pidfd fired and its scan gives another start time: b vanished, a new process of its pid
	 * (no stat read: the scan's start time decides) */
	make_zombie(b);
	pb.start_time = 301;
	begin(t, (MemProcess[]){ pa, pb }, 2);
	see(t, &pa);
	ck_assert_int_eq(see(t, &pb), MEM_WATCH_NEW);
	gone = mem_watch_tracker_end(t);
	ck_assert_uint_eq(gone->len, 1);
	e = g_ptr_array_index(gone, 0);
	ck_assert(e->pid == (guint32)b && e->start_time == 300 && e->change == MEM_WATCH_VANISHED);
	ck_assert_uint_eq(mem_watch_tracker_find(t, &pb)->start_time, 301);
	mem_watch_tracker_stats(t, &st);
	ck_assert_uint_eq(st.stat_reads, 3); /* a's: its pidfd still fired */

	/* a's pid given to another process (stat says so): a vanished, the other new */
	write_stat(root, a, 900);
	begin(t, (MemProcess[]){ pa, pb }, 2);
	ck_assert_int_eq(see(t, &pa), MEM_WATCH_NEW);
	see(t, &pb);
	gone = mem_watch_tracker_end(t);
	ck_assert_uint_eq(gone->len, 1);
	e = g_ptr_array_index(gone, 0);
	ck_assert(e->pid == (guint32)a && e->start_time == 500);
	ck_assert_uint_eq(mem_watch_tracker_find(t, &pa)->start_time, 900);

	/* both gone: vanished, every pidfd closed */
	ck_assert_int_eq(waitpid(a, NULL, 0), a);
	ck_assert_int_eq(waitpid(b, NULL, 0), b);
	begin(t, NULL, 0);
	ck_assert_uint_eq(mem_watch_tracker_end(t)->len, 2);
	mem_watch_tracker_stats(t, &st);
	ck_assert_uint_eq(st.pidfds, 0);
	mem_watch_tracker_free(t);
	g_clear_pointer(&src, mem_source_free);
	ck_assert_uint_eq(count_fds(), fds);
}
END_TEST

/* No pidfd (descriptors spent): stat decides at every sample; one freed, the process gets its pidfd. */
START_TEST(test_tracker_no_pidfd)
{
	g_autofree char *root = g_dir_make_tmp("check-watch-XXXXXX", NULL);
	g_autoptr(MemSource) src = mem_source_open_proc_root(root, NULL);
	g_autoptr(MemWatchTracker) t = mem_watch_tracker_new(src);
	MemWatchTrackerStats st;
	pid_t a = spawn_child(), b = spawn_child();
	MemProcess ps[2] = { lazy(a), lazy(b) };

	write_stat(root, a, 500);
	write_stat(root, b, 600);
	if (!mem_watch_tracker_has_pidfds(t))
		goto out; /* a kernel without pidfd_open */
	mem_watch_tracker_limit_pidfds(t, 1);
	begin(t, ps, 2);
	see(t, &ps[0]);
	see(t, &ps[1]);
	mem_watch_tracker_end(t);
	mem_watch_tracker_stats(t, &st);
	ck_assert_uint_eq(st.pidfds, 1);
	ck_assert_uint_eq(st.stat_reads, 2);
	ck_assert_int_ge(mem_watch_tracker_find(t, &ps[0])->pidfd, 0);
	ck_assert_int_lt(mem_watch_tracker_find(t, &ps[1])->pidfd, 0);

	/* b without a pidfd: its stat read, the same start time */
	begin(t, ps, 2);
	ck_assert_int_eq(see(t, &ps[0]), MEM_WATCH_SEEN);
	ck_assert_int_eq(see(t, &ps[1]), MEM_WATCH_SEEN);
	mem_watch_tracker_end(t);
	mem_watch_tracker_stats(t, &st);
	ck_assert_uint_eq(st.stat_reads, 3);

	/* another start time: a new process of b's pid */
	write_stat(root, b, 601);
	begin(t, ps, 2);
	see(t, &ps[0]);
	ck_assert_int_eq(see(t, &ps[1]), MEM_WATCH_NEW);
	ck_assert_uint_eq(mem_watch_tracker_end(t)->len, 1);

	/* room again: b's pidfd opened, stat no more read */
	mem_watch_tracker_limit_pidfds(t, 10);
	begin(t, ps, 2);
	see(t, &ps[0]);
	ck_assert_int_eq(see(t, &ps[1]), MEM_WATCH_SEEN);
	mem_watch_tracker_end(t);
	mem_watch_tracker_stats(t, &st);
	ck_assert_uint_eq(st.pidfds, 2);
	ck_assert_uint_eq(st.stat_reads, 5);
	begin(t, ps, 2);
	see(t, &ps[0]);
	see(t, &ps[1]);
	mem_watch_tracker_end(t);
	mem_watch_tracker_stats(t, &st);
	ck_assert_uint_eq(st.stat_reads, 5);
out:
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
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
	tcase_add_test(tc, test_tracker_pidfd);
	tcase_add_test(tc, test_tracker_no_pidfd);
	tcase_add_loop_test(tc, test_delta_format, 0, G_N_ELEMENTS(delta_cases));
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_json_merge);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(watch_suite());
}
