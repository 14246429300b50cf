/* check-object-id.c: Check unit tests for object identity and ids (object-id.c) and the maps file walk (mem_parse_maps) (model and parser layer tests) */
#include "config.h"

#include <check.h>
#include <string.h>

#include "error.h"
#include "object-id.h"
#include "parse.h"
#include "../common/check-run.h"

/* ---- identity and ids ---- */

static const struct {
	guint32 maj, min;
	guint64 inode;
	guint32 pid;
	guint64 start;
	gboolean anon;
	const char *id;
} ids[] = {
	{ 0, 0, 0, 42, 0x7f64bca00000, TRUE, "a:42:7f64bca00000" },            /* heap, anon, [vdso] */
	{ 0, 1, 0, 42, 0x7f0000000000, FALSE, "f:00:01:0" },                   /* SysV segment 0 */
	{ 0, 1, 32795, 42, 0x1000, FALSE, "f:00:01:32795" },                   /* another segment */
	{ 0xfe, 0, 4242, 1, 0x1000, FALSE, "f:fe:00:4242" },
	{ 0xfe, 1, 4242, 1, 0x1000, FALSE, "f:fe:01:4242" },                   /* same inode, other device */
	{ 0, 0, 7, 1, 0x1000, FALSE, "f:00:00:7" },                            /* an inode without a device */
	{ 0x103, 0xfffff, G_MAXUINT64, 1, 0, FALSE, "f:103:fffff:18446744073709551615" },
	{ 0, 0, 0, G_MAXUINT32, G_MAXUINT64, TRUE, "a:4294967295:ffffffffffffffff" },
	{ G_MAXUINT32, G_MAXUINT32, G_MAXUINT64, 1, 0, FALSE, "f:ffffffff:ffffffff:18446744073709551615" },
};

START_TEST(test_object_id)
{
	char buf[MEM_OBJECT_ID_LEN];
	gsize n;

	ck_assert_int_eq(mem_object_is_private_anon(ids[_i].maj, ids[_i].min, ids[_i].inode), ids[_i].anon);
	n = mem_object_id(buf, ids[_i].maj, ids[_i].min, ids[_i].inode, ids[_i].pid, ids[_i].start);
	ck_assert_str_eq(buf, ids[_i].id);
	ck_assert_uint_eq(n, strlen(ids[_i].id));
}
END_TEST

/* ---- mem_parse_maps ---- */

typedef struct {
	guint n;
	guint64 starts[4];
	guint lines[4];
	guint stop_at;           /* the callback fails on this line (0: never) */
} Seen;

static gboolean on_line(const MemMapsLine *line, guint lineno, gpointer user_data, GError **error)
{
	Seen *s = user_data;

	if (s->stop_at && lineno == s->stop_at) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "stop");
		return FALSE;
	}
	if (s->n < 4) {
		s->starts[s->n] = line->start;
		s->lines[s->n] = lineno;
	}
	s->n++;
	return TRUE;
}

static const char maps_two[] =
	"00400000-00401000 r-xp 00000000 fe:00 12 /bin/x\n"
	"7f0000000000-7f0000004000 rw-s 00000000 00:01 0                          /SYSV00000000 (deleted)\n";

START_TEST(test_maps_walk)
{
	Seen s = { 0 };
	GError *err = NULL;

	ck_assert(mem_parse_maps(maps_two, strlen(maps_two), on_line, &s, &err));
	ck_assert_uint_eq(s.n, 2);
	ck_assert_uint_eq(s.starts[0], 0x400000);
	ck_assert_uint_eq(s.starts[1], 0x7f0000000000);
	ck_assert_uint_eq(s.lines[1], 2);
}
END_TEST

START_TEST(test_maps_empty)
{
	Seen s = { 0 };
	GError *err = NULL;

	ck_assert(mem_parse_maps("", 0, on_line, &s, &err));
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(test_maps_cut)
{
	Seen s = { 0 };
	GError *err = NULL;

	/* The last line without its newline: TRUNCATED, after the whole lines were delivered. */
	ck_assert(!mem_parse_maps(maps_two, strlen(maps_two) - 1, on_line, &s, &err));
	ck_assert(g_error_matches(err, MEM_ERROR, MEM_ERROR_TRUNCATED));
	ck_assert_str_eq(err->message, "line 2: last line has no newline");
	ck_assert_uint_eq(s.n, 1);
	g_error_free(err);
}
END_TEST

START_TEST(test_maps_garbled)
{
	static const char bad[] = "00400000-00401000 r-xp 00000000 fe:00 12 /bin/x\nnot a mapping\n";
	Seen s = { 0 };
	GError *err = NULL;

	ck_assert(!mem_parse_maps(bad, strlen(bad), on_line, &s, &err));
	ck_assert(g_error_matches(err, MEM_ERROR, MEM_ERROR_PARSE));
	ck_assert_msg(g_str_has_prefix(err->message, "line 2: "), "%s", err->message);
	ck_assert_uint_eq(s.n, 1);
	g_error_free(err);
}
END_TEST

START_TEST(test_maps_callback_stops)
{
	Seen s = { .stop_at = 1 };
	GError *err = NULL;

	ck_assert(!mem_parse_maps(maps_two, strlen(maps_two), on_line, &s, &err));
	ck_assert_str_eq(err->message, "stop");
	ck_assert_uint_eq(s.n, 0);
	g_error_free(err);
}
END_TEST

static Suite *object_id_suite(void)
{
	Suite *s = suite_create("object-id");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_object_id, 0, G_N_ELEMENTS(ids));
	tcase_add_test(tc, test_maps_walk);
	tcase_add_test(tc, test_maps_empty);
	tcase_add_test(tc, test_maps_cut);
	tcase_add_test(tc, test_maps_garbled);
	tcase_add_test(tc, test_maps_callback_stops);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(object_id_suite());
}
