/* check-arena.c: Check unit tests of the arena allocator: zeroed, aligned, disjoint records, small and huge chunks (base layer tests) */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "../common/check-run.h"

/* Records of assorted sizes up to 5 MiB in all: past the malloc'd chunks into the 2 MiB ones, and one
 * record larger than a huge chunk.  Each is zero when handed out, 16-aligned, and does not overlap
 * any other (each is filled with its own byte and checked at the end). */
START_TEST(test_arena_records)
{
	g_autoptr(MemArena) a = mem_arena_new();
	enum { N = 4000 };
	static const gsize sizes[] = { 1, 16, 24, 296, 184, 4096, 70000 };
	guchar *rec[N + 1];
	gsize len[N + 1], total = 0;

	for (guint i = 0; i <= N; i++) {
		len[i] = i == N ? (gsize)3 * 1024 * 1024 : sizes[i % G_N_ELEMENTS(sizes)];
		rec[i] = mem_arena_alloc0(a, len[i]);
		ck_assert_ptr_nonnull(rec[i]);
		ck_assert_uint_eq((guintptr)rec[i] % 16, 0);
		ck_assert_msg(rec[i][0] == 0 && memcmp(rec[i], rec[i] + 1, len[i] - 1) == 0, "record %u not zeroed", i);
		memset(rec[i], (int)(i % 251) + 1, len[i]);
		total += len[i];
	}
	for (guint i = 0; i <= N; i++)
		ck_assert_msg(rec[i][0] == (guchar)((i % 251) + 1) && memcmp(rec[i], rec[i] + 1, len[i] - 1) == 0,
		              "record %u overwritten", i);
	ck_assert_uint_ge(mem_arena_used(a), total);
	ck_assert_uint_ge(total, (gsize)5 * 1024 * 1024);
}
END_TEST

START_TEST(test_arena_empty)
{
	MemArena *a = mem_arena_new();

	ck_assert_uint_eq(mem_arena_used(a), 0);
	ck_assert_ptr_nonnull(mem_arena_alloc0(a, 0));
	mem_arena_free(a);
	mem_arena_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("arena");

	tcase_add_test(tc, test_arena_records);
	tcase_add_test(tc, test_arena_empty);
	suite_add_tcase(s, tc);
	return mem_check_run(s);
}
