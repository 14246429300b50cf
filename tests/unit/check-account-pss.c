/* check-account-pss.c: Check unit tests of Σ PSS over processes as signed bytes (account-pss.c) (accounting layer tests) */
#include "config.h"

#include <check.h>
#include <string.h>

#include "account-pss.h"
#include "../common/check-run.h"

#define KB(n) ((guint64)(n) * 1024u)

/* An OK process with these figures (a field is unknown when its value is G_MAXUINT64 here). */
static void make_ok(MemProcess *p, guint64 *store, guint64 pss, guint64 anon, guint64 file, guint64 shmem)
{
	MemCounters c;

	memset(p, 0, sizeof *p);
	memset(&c, 0, sizeof c);
	p->state = MEM_PROC_OK;
	p->ppid = -1;
	p->tgid = -1;
	const struct { MemField f; guint64 v; } in[] = {
		{ MEM_F_PSS, pss }, { MEM_F_PSS_ANON, anon }, { MEM_F_PSS_FILE, file }, { MEM_F_PSS_SHMEM, shmem },
	};
	for (guint i = 0; i < G_N_ELEMENTS(in); i++)
		if (in[i].v != G_MAXUINT64) {
			c.v[in[i].f] = in[i].v;
			c.known |= MEM_FIELD_BIT(in[i].f);
		}
	mem_process_pack_counters(p, &c, MEM_FIELDS_ALL, store);
}

START_TEST(test_sum_split)
{
	MemProcess a, b;
	guint64 sa[MEM_F_COUNT], sb[MEM_F_COUNT];
	MemPssSum s;

	make_ok(&a, sa, KB(100), KB(60), KB(30), KB(10));
	make_ok(&b, sb, KB(50), KB(50), 0, 0);
	mem_pss_sum_init(&s);
	mem_pss_sum_add(&s, &a);
	mem_pss_sum_add(&s, &b);
	ck_assert_int_eq(s.pss, (gint64)KB(150));
	ck_assert_int_eq(s.anon, (gint64)KB(110));
	ck_assert_int_eq(s.file, (gint64)KB(30));
	ck_assert_int_eq(s.shmem, (gint64)KB(10));
	ck_assert(s.split && !s.overflow);
	ck_assert_uint_eq(s.readable, 2);
	/* a process without Pss_Anon (before Linux 5.8): the split is unknown, the PSS still counts */
	make_ok(&b, sb, KB(7), G_MAXUINT64, KB(7), 0);
	mem_pss_sum_add(&s, &b);
	ck_assert(!s.split);
	ck_assert_int_eq(s.pss, (gint64)KB(157));
}
END_TEST

START_TEST(test_left_out)
{
	MemProcess u = { .state = MEM_PROC_UNREADABLE, .has_status_rss = 1, .status_rss = KB(300) };
	MemProcess skipped = { .state = MEM_PROC_SKIPPED, .has_status_rss = 1, .status_rss = KB(5) };
	MemProcess norss = { .state = MEM_PROC_UNREADABLE };
	MemProcess k = { .state = MEM_PROC_KERNEL }, z = { .state = MEM_PROC_ZOMBIE }, v = { .state = MEM_PROC_VANISHED };
	MemProcess nopss;
	guint64 store[MEM_F_COUNT];
	MemPssSum s;

	make_ok(&nopss, store, G_MAXUINT64, 0, 0, 0);
	mem_pss_sum_init(&s);
	mem_pss_sum_add(&s, &u);
	mem_pss_sum_add(&s, &skipped);
	mem_pss_sum_add(&s, &norss);
	mem_pss_sum_add(&s, &nopss);
	mem_pss_sum_add(&s, &k);
	mem_pss_sum_add(&s, &z);
	mem_pss_sum_add(&s, &v);
	ck_assert_uint_eq(s.readable, 0);
	ck_assert_uint_eq(s.unreadable, 4);      /* unreadable, skipped, and OK without a PSS */
	ck_assert_uint_eq(s.other, 3);           /* no user memory to count */
	ck_assert_int_eq(s.unreadable_rss, (gint64)KB(305));
	ck_assert_uint_eq(s.unreadable_rss_n, 2);
	ck_assert_int_eq(s.pss, 0);
}
END_TEST

START_TEST(test_figure_bounds)
{
	MemProcess p;
	guint64 store[MEM_F_COUNT];
	gint64 v = 7;
	MemPssSum s;

	/* a figure beyond 2^63 - 1 is unknown, not wrapped */
	make_ok(&p, store, (guint64)G_MAXINT64 + 1, 0, 0, 0);
	ck_assert(!mem_process_figure(&p, MEM_F_PSS, &v));
	ck_assert_int_eq(v, 7);
	make_ok(&p, store, (guint64)G_MAXINT64, 0, 0, 0);
	ck_assert(mem_process_figure(&p, MEM_F_PSS, &v));
	ck_assert_int_eq(v, G_MAXINT64);
	ck_assert(!mem_process_figure(&p, MEM_F_SWAP_PSS, &v)); /* not known */
	/* two of them overflow the sum: said, not hidden */
	mem_pss_sum_init(&s);
	mem_pss_sum_add(&s, &p);
	ck_assert(!s.overflow);
	mem_pss_sum_add(&s, &p);
	ck_assert(s.overflow);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("account-pss");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sum_split);
	tcase_add_test(tc, test_left_out);
	tcase_add_test(tc, test_figure_bounds);
	suite_add_tcase(s, tc);
	return mem_check_run(s);
}
