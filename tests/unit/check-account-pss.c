/* check-account-pss.c: Check unit tests of Σ PSS over processes as signed bytes (account-pss.c) and of the metrics (account.c) (accounting layer tests) */
#include "config.h"

#include <check.h>
#include <string.h>

#include "account.h"
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

/* mem_process_metrics against the sums the man page gives, written out here, for processes whose known
 * fields change from one to the next and values that saturate. */
START_TEST(test_metrics_from_fields)
{
	static const struct {
		MemMetric m;
		MemField a, b; /* b == a: the field alone */
	} rule[] = {
		{ MEM_M_PSS, MEM_F_PSS, MEM_F_PSS },
		{ MEM_M_PRIVATE, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY },
		{ MEM_M_USS, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY },
		{ MEM_M_SHARED, MEM_F_SHARED_CLEAN, MEM_F_SHARED_DIRTY },
		{ MEM_M_RSS, MEM_F_RSS, MEM_F_RSS },
		{ MEM_M_SWAP, MEM_F_SWAP, MEM_F_SWAP },
		{ MEM_M_SWAP_PSS, MEM_F_SWAP_PSS, MEM_F_SWAP_PSS },
		{ MEM_M_PSS_ANON, MEM_F_PSS_ANON, MEM_F_PSS_ANON },
		{ MEM_M_PSS_FILE, MEM_F_PSS_FILE, MEM_F_PSS_FILE },
		{ MEM_M_PSS_SHMEM, MEM_F_PSS_SHMEM, MEM_F_PSS_SHMEM },
		{ MEM_M_PSS_DIRTY, MEM_F_PSS_DIRTY, MEM_F_PSS_DIRTY },
		{ MEM_M_PRIVATE_CLEAN, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_CLEAN },
		{ MEM_M_PRIVATE_DIRTY, MEM_F_PRIVATE_DIRTY, MEM_F_PRIVATE_DIRTY },
		{ MEM_M_SHARED_CLEAN, MEM_F_SHARED_CLEAN, MEM_F_SHARED_CLEAN },
		{ MEM_M_SHARED_DIRTY, MEM_F_SHARED_DIRTY, MEM_F_SHARED_DIRTY },
		{ MEM_M_HUGETLB, MEM_F_SHARED_HUGETLB, MEM_F_PRIVATE_HUGETLB },
	};
	GRand *rng = g_rand_new_with_seed(20261128);

	for (guint round = 0; round < 2000; round++) {
		MemCounters c;
		MemProcess p;
		MemMetrics m;
		guint64 store[MEM_F_COUNT];

		memset(&c, 0, sizeof c);
		memset(&p, 0, sizeof p);
		/* a few sets of fields in turn, as processes of several kernels in one recording would come */
		c.known = round % 3 == 0 ? MEM_FIELDS_ALL : g_rand_int(rng) & MEM_FIELDS_ALL;
		for (int f = 0; f < MEM_F_COUNT; f++)
			c.v[f] = g_rand_int_range(rng, 0, 8) == 0 ? G_MAXUINT64 - g_rand_int_range(rng, 0, 4)
			                                           : (guint64)g_rand_int(rng) * 4096;
		p.state = MEM_PROC_OK;
		mem_process_pack_counters(&p, &c, MEM_FIELDS_ALL, store);
		mem_process_metrics(&p, &m);
		for (guint i = 0; i < G_N_ELEMENTS(rule); i++) {
			gboolean known = (c.known & MEM_FIELD_BIT(rule[i].a)) && (c.known & MEM_FIELD_BIT(rule[i].b));
			guint64 want = c.v[rule[i].a];

			if (rule[i].b != rule[i].a)
				want = want > G_MAXUINT64 - c.v[rule[i].b] ? G_MAXUINT64 : want + c.v[rule[i].b];
			ck_assert_int_eq(mem_metrics_has(&m, rule[i].m), known);
			if (known)
				ck_assert_uint_eq(m.v[rule[i].m], want);
			else
				ck_assert_uint_eq(m.v[rule[i].m], 0);
			ck_assert_uint_eq(mem_metric_fields(rule[i].m), MEM_FIELD_BIT(rule[i].a) | MEM_FIELD_BIT(rule[i].b));
		}
		ck_assert(!mem_metrics_has(&m, MEM_M_VSS));
	}
	ck_assert_uint_eq(mem_metric_fields(MEM_M_VSS), 0);
	g_rand_free(rng);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("account-pss");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sum_split);
	tcase_add_test(tc, test_left_out);
	tcase_add_test(tc, test_figure_bounds);
	tcase_add_test(tc, test_metrics_from_fields);
	suite_add_tcase(s, tc);
	return mem_check_run(s);
}
