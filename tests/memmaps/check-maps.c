/* check-maps.c: Check unit tests of memmaps's report: columns, regions, order checks, sorting, range (accounting tests) */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "columns-maps.h"
#include "model.h"
#include "report-maps.h"
#include "source.h"

#include "snapdir.h"
#include "../common/check-run.h"

/* One smaps record with the given VmFlags: Size from the range, Rss and Pss given in kB. */
static void record_flags(GString *s, guint64 start, guint64 end, const char *perms, const char *dev, guint64 inode,
                         const char *name, guint rss, guint pss, const char *flags)
{
	g_string_append_printf(s, "%012" G_GINT64_MODIFIER "x-%012" G_GINT64_MODIFIER "x %s 00000000 %s %" G_GUINT64_FORMAT
	                       "%s%s\n", start, end, perms, dev, inode, *name ? "    " : "", name);
	g_string_append_printf(s, "Size: %" G_GUINT64_FORMAT " kB\nRss: %u kB\nPss: %u kB\n"
	                       "Private_Clean: 0 kB\nPrivate_Dirty: %u kB\nWriteback: 3 kB\nTHPeligible: 0\n"
	                       "VmFlags: %s\n", (end - start) / 1024, rss, pss, rss, flags);
}

static void record(GString *s, guint64 start, guint64 end, const char *perms, const char *dev, guint64 inode,
                   const char *name, guint rss, guint pss)
{
	record_flags(s, start, end, perms, dev, inode, name, rss, pss, "rd wr ");
}

static MemSnapshot *load(const char *smaps)
{
	g_autoptr(MemSource) src = NULL;
	g_autoptr(GError) err = NULL;
	static const guint32 pid = 42;
	MemLoadOptions lo = { .mappings = TRUE, .details = TRUE, .pids = &pid, .n_pids = 1 };
	MemSnapshot *snap;

	put("42/stat", "42 (t) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 1000000 10 0 0\n");
	put("42/smaps", smaps);
	src = mem_source_open(snapdir, &err);
	ck_assert_ptr_nonnull(src);
	snap = mem_snapshot_load(src, &lo, &err);
	ck_assert_ptr_nonnull(snap);
	return snap;
}

/* The report of pid 42 over smaps text s (freed here), with the columns "sz"; *snap holds the snapshot. */
static MemMapsReport *report_sz(GString *s, MemSnapshot **snap, GPtrArray **cols)
{
	static const guint32 pid = 42;
	static MemMapsOptions o;

	*snap = load(s->str);
	g_string_free(s, TRUE);
	*cols = mem_maps_columns_parse("sz", NULL);
	o = (MemMapsOptions){ .columns = *cols };
	return mem_maps_report_new(*snap, &pid, 1, &o);
}

/* A library (4 segments + .bss), a thread stack, a lone file mapping, a heap. */
static GString *layout(void)
{
	GString *s = g_string_new(NULL);

	record(s, 0x10000, 0x11000, "r--p", "fe:00", 5, "/lib/a.so", 4, 2);
	record(s, 0x11000, 0x13000, "r-xp", "fe:00", 5, "/lib/a.so", 8, 3);
	record(s, 0x13000, 0x14000, "r--p", "fe:00", 5, "/lib/a.so", 4, 4);
	record(s, 0x14000, 0x15000, "rw-p", "fe:00", 5, "/lib/a.so", 4, 4);
	record(s, 0x15000, 0x17000, "rw-p", "00:00", 0, "", 8, 8);          /* .bss */
	record(s, 0x20000, 0x21000, "---p", "00:00", 0, "", 0, 0);          /* guard */
	record(s, 0x21000, 0x31000, "rw-p", "00:00", 0, "", 12, 12);        /* stack */
	record(s, 0x40000, 0x41000, "rw-s", "fe:00", 9, "/data/one file", 4, 1);
	record(s, 0x41000, 0x42000, "rw-p", "00:00", 0, "", 4, 4);          /* not a .bss: after rw-s */
	record(s, 0x50000, 0x70000, "rw-p", "00:00", 0, "[heap]", 100, 100);
	return s;
}

START_TEST(test_columns)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) cols = mem_maps_columns_parse("sz,priv,pss_dirty,Writeback,vmflags", &err);
	MemMapsColumn *c;
	guint64 v;

	ck_assert_ptr_nonnull(cols);
	ck_assert_uint_eq(cols->len, 5);
	c = g_ptr_array_index(cols, 1);
	ck_assert_int_eq(c->kind, MEM_MAPS_COL_SUM);
	ck_assert_int_eq(c->f[0], MEM_F_PRIVATE_CLEAN);
	ck_assert_int_eq(c->f[1], MEM_F_PRIVATE_DIRTY);
	c = g_ptr_array_index(cols, 2);
	ck_assert_int_eq(c->kind, MEM_MAPS_COL_FIELD);
	ck_assert_int_eq(c->f[0], MEM_F_PSS_DIRTY);
	ck_assert_str_eq(c->tag, "Pss_Dirty");
	c = g_ptr_array_index(cols, 3);
	ck_assert_int_eq(c->kind, MEM_MAPS_COL_EXTRA);
	ck_assert_str_eq(c->key, "Writeback");
	ck_assert_int_eq(((MemMapsColumn *)g_ptr_array_index(cols, 4))->kind, MEM_MAPS_COL_VMFLAGS);
	ck_assert_ptr_null(mem_maps_columns_parse("sz,,pss", NULL));
	ck_assert_ptr_null(mem_maps_columns_parse("", NULL));
	ck_assert_ptr_null(mem_maps_columns_parse("sz,bo gus", NULL)); /* cannot be a smaps key */
	ck_assert_ptr_null(mem_maps_columns_parse("sz,1x", NULL));
	ck_assert_ptr_null(mem_maps_columns_parse("sz,a:b", NULL));
	{
		g_autoptr(GPtrArray) upper = mem_maps_columns_parse("SZ,Res,PSS", NULL); /* any case */
		ck_assert_ptr_nonnull(upper);
		ck_assert_str_eq(((MemMapsColumn *)g_ptr_array_index(upper, 0))->tag, "sz");
		ck_assert_int_eq(((MemMapsColumn *)g_ptr_array_index(upper, 1))->f[0], MEM_F_RSS);
	}
	ck_assert(mem_maps_extra_kb("12 kB", &v));
	ck_assert_uint_eq(v, 12 * 1024);
	ck_assert(!mem_maps_extra_kb("12", &v));
	ck_assert(!mem_maps_extra_kb("12 kB x", &v));
	ck_assert(!mem_maps_extra_kb("99999999999999999999 kB", &v));
}
END_TEST

START_TEST(test_regions)
{
	g_autoptr(GString) s = layout();
	g_autoptr(MemSnapshot) snap = load(s->str);
	g_autoptr(GPtrArray) cols = mem_maps_columns_parse("sz,res,pss,Writeback", NULL);
	MemMapsOptions o = { .columns = cols };
	static const guint32 pid = 42;
	g_autoptr(MemMapsReport) r = mem_maps_report_new(snap, &pid, 1, &o);
	const MemMapsProc *p;
	const MemMapsRegion *g;
	guint64 v;

	ck_assert_uint_eq(r->procs->len, 1);
	p = g_ptr_array_index(r->procs, 0);
	ck_assert_ptr_null(p->problem);
	ck_assert_uint_eq(p->n_shown, 10);
	ck_assert_uint_eq(p->regions->len, 2);
	g = &g_array_index(p->regions, MemMapsRegion, 0);
	ck_assert_int_eq(g->kind, MEM_REGION_FILE);
	ck_assert_uint_eq(g->first, 0);
	ck_assert_uint_eq(g->n, 5);
	ck_assert_uint_eq(g->start, 0x10000);
	ck_assert_uint_eq(g->end, 0x17000);
	ck_assert_uint_eq(g->sum.c.v[MEM_F_PSS], (2 + 3 + 4 + 4 + 8) * 1024);
	ck_assert(mem_maps_sum_value(p, &g->sum, g_ptr_array_index(cols, 3), &v));
	ck_assert_uint_eq(v, 5 * 3 * 1024);
	g = &g_array_index(p->regions, MemMapsRegion, 1);
	ck_assert_int_eq(g->kind, MEM_REGION_STACK);
	ck_assert_uint_eq(g->first, 5);
	ck_assert_uint_eq(g->n, 2);
	ck_assert_ptr_null(g->name);
	/* top level: region, region, the lone file, the anon after it, the heap */
	ck_assert_uint_eq(p->items->len, 5);
	ck_assert(g_array_index(p->items, MemMapsItem, 0).is_region);
	ck_assert(g_array_index(p->items, MemMapsItem, 1).is_region);
	ck_assert(!g_array_index(p->items, MemMapsItem, 2).is_region);
	ck_assert_uint_eq(g_array_index(p->items, MemMapsItem, 2).index, 7);
	ck_assert_uint_eq(p->region_of[8], G_MAXUINT);
	ck_assert_uint_eq(p->sum.c.v[MEM_F_RSS], (4 + 8 + 4 + 4 + 8 + 0 + 12 + 4 + 4 + 100) * 1024);
	ck_assert(!mem_maps_sum_value(p, &p->sum, &(MemMapsColumn){ .kind = MEM_MAPS_COL_FIELD,
	                                                             .f = { MEM_F_MMU_PAGE_SIZE, MEM_F_MMU_PAGE_SIZE } }, &v));
}
END_TEST

START_TEST(test_sort_and_range)
{
	g_autoptr(GString) s = layout();
	g_autoptr(MemSnapshot) snap = load(s->str);
	g_autoptr(GPtrArray) cols = mem_maps_columns_parse("pss", NULL);
	MemMapsOptions o = { .columns = cols, .sort = g_ptr_array_index(cols, 0) };
	static const guint32 pid = 42;
	g_autoptr(MemMapsReport) r = mem_maps_report_new(snap, &pid, 1, &o);
	const MemMapsProc *p = g_ptr_array_index(r->procs, 0);
	const MemMapsRegion *g = &g_array_index(p->regions, MemMapsRegion, 0);

	/* heap (100k) first, then the library (21k), the stack (12k), then the 4k anon, the 1k file */
	ck_assert(!g_array_index(p->items, MemMapsItem, 0).is_region);
	ck_assert_uint_eq(g_array_index(p->items, MemMapsItem, 0).index, 9);
	ck_assert(g_array_index(p->items, MemMapsItem, 1).is_region);
	ck_assert_uint_eq(g_array_index(p->items, MemMapsItem, 1).index, 0);
	ck_assert_uint_eq(g_array_index(p->items, MemMapsItem, 4).index, 7);
	/* inside the region: the .bss (8k) first; 4k ties by address */
	ck_assert_uint_eq(g_array_index(g->shown, guint, 0), 4);
	ck_assert_uint_eq(g_array_index(g->shown, guint, 1), 2);
	ck_assert_uint_eq(g_array_index(g->shown, guint, 2), 3);

	{
		MemMapsOptions ro = { .columns = cols, .has_range = TRUE, .low = 0x12000, .high = 0x21000 };
		g_autoptr(MemMapsReport) rr = mem_maps_report_new(snap, &pid, 1, &ro);
		const MemMapsProc *rp = g_ptr_array_index(rr->procs, 0);
		const MemMapsRegion *rg = &g_array_index(rp->regions, MemMapsRegion, 0);
		/* a.so's r-xp (overlaps 0x12000), r--p, rw-p, .bss, the guard (ends at 0x21000) */
		ck_assert_uint_eq(rp->n_shown, 5);
		ck_assert_uint_eq(rg->shown->len, 4);
		ck_assert_uint_eq(rg->start, 0x11000);
		ck_assert_uint_eq(rg->sum.c.v[MEM_F_PSS], (3 + 4 + 4 + 8) * 1024);
		ck_assert(!rp->use_rollup);
	}
}
END_TEST

START_TEST(test_overlap)
{
	GString *s = g_string_new(NULL);
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(GPtrArray) cols = NULL;
	g_autoptr(MemMapsReport) r = NULL;
	const MemMapsProc *p;

	record(s, 0x10000, 0x20000, "rw-p", "00:00", 0, "", 4, 4);
	record(s, 0x18000, 0x30000, "rw-p", "00:00", 0, "", 4, 4);
	record(s, 0x40000, 0x50000, "rw-p", "00:00", 0, "", 4, 4);
	r = report_sz(s, &snap, &cols);
	p = g_ptr_array_index(r->procs, 0);
	ck_assert_ptr_nonnull(p->problem);
	ck_assert_ptr_nonnull(strstr(p->problem, "42/smaps: line 10: "));
	ck_assert_uint_eq(p->n_shown, 1);
	ck_assert_uint_eq(r->n_bad, 1);
}
END_TEST

/* Issue 8, item 2: glibc malloc arenas side by side (heap rw-p, then its ---p reserve, then the next
 * arena) are arenas, not thread stacks, even when a reserve is small; a real guard below its stack
 * still makes a stack.
 * Huge pages, ashmem and dma-bufs have kinds of their own. */
START_TEST(test_arenas_and_kinds)
{
	GString *s = g_string_new(NULL);
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(GPtrArray) cols = NULL;
	g_autoptr(MemMapsReport) r = NULL;
	const MemMapsProc *p;
	const MemMapsRegion *g;
	static const char *const kinds[] = { "anon", "anon", "anon", "anon", "anon", "anon", "anon", "anon",
	                                     "hugetlb", "hugetlb", "ashmem", "dmabuf", "anon-named", "memfd",
	                                     "deleted", "anon", "anon", "anon", "anon", "anon" };

	record(s, 0x7f0000000000, 0x7f0000021000, "rw-p", "00:00", 0, "", 132, 132);  /* arena 1 */
	record(s, 0x7f0000021000, 0x7f0004000000, "---p", "00:00", 0, "", 0, 0);      /* its reserve */
	record(s, 0x7f0004000000, 0x7f0007f80000, "rw-p", "00:00", 0, "", 8, 8);      /* arena 2, nearly full */
	record(s, 0x7f0007f80000, 0x7f0008000000, "---p", "00:00", 0, "", 0, 0);      /* 512 KiB reserve */
	record(s, 0x7f0008000000, 0x7f0008100000, "rw-p", "00:00", 0, "", 8, 8);      /* arena 3 */
	record(s, 0x7f0008100000, 0x7f000c000000, "---p", "00:00", 0, "", 0, 0);
	record(s, 0x7f0010000000, 0x7f0010001000, "---p", "00:00", 0, "", 0, 0);      /* a stack's guard */
	record(s, 0x7f0010001000, 0x7f0010801000, "rw-p", "00:00", 0, "", 16, 16);    /* its stack */
	record_flags(s, 0x7f0020000000, 0x7f0020200000, "rw-p", "00:0f", 1234, "/anon_hugepage (deleted)", 0, 0,
	             "rd wr mr mw me ac ht ");
	record_flags(s, 0x7f0020200000, 0x7f0020400000, "rw-s", "00:2a", 77, "/dev/hugepages/buf", 0, 0,
	             "rd wr sh mr mw me ms ht");
	record(s, 0x7f0020400000, 0x7f0020401000, "rw-s", "00:05", 88, "/dev/ashmem/dalvik-x (deleted)", 4, 2);
	record(s, 0x7f0020401000, 0x7f0020402000, "rw-s", "00:0c", 99, "/dmabuf:", 4, 4);
	record(s, 0x7f0020402000, 0x7f0020403000, "rw-p", "00:00", 0, "[anon:dalvik-main space]", 4, 4);
	record_flags(s, 0x7f0020600000, 0x7f0020800000, "rw-s", "00:01", 5, "/memfd:huge (deleted)", 0, 0,
	             "rd wr sh ht ");
	record_flags(s, 0x7f0020800000, 0x7f0020801000, "rw-s", "00:01", 6, "/x (deleted)", 4, 4, "rd wr sh htx ");
	/* a guard above 1 MiB is not a guard */
	record(s, 0x7f0030000000, 0x7f0030200000, "---p", "00:00", 0, "", 0, 0);
	record(s, 0x7f0030200000, 0x7f0030300000, "rw-p", "00:00", 0, "", 4, 4);
	/* a guard right below an arena's heap guards nothing: the heap is the arena's */
	record(s, 0x7f003ffff000, 0x7f0040000000, "---p", "00:00", 0, "", 0, 0);
	record(s, 0x7f0040000000, 0x7f0040100000, "rw-p", "00:00", 0, "", 8, 8);
	record(s, 0x7f0040100000, 0x7f0044000000, "---p", "00:00", 0, "", 0, 0);
	r = report_sz(s, &snap, &cols);
	p = g_ptr_array_index(r->procs, 0);
	ck_assert_ptr_null(p->problem);
	ck_assert_uint_eq(p->proc->maps->len, G_N_ELEMENTS(kinds));
	/* three arenas (heap and reserve), the stack, the last arena */
	ck_assert_uint_eq(p->regions->len, 5);
	g = &g_array_index(p->regions, MemMapsRegion, 4);
	ck_assert_int_eq(g->kind, MEM_REGION_ARENA);
	ck_assert_uint_eq(g->first, 18);
	for (guint i = 0; i < 3; i++) {
		g = &g_array_index(p->regions, MemMapsRegion, i);
		ck_assert_int_eq(g->kind, MEM_REGION_ARENA);
		ck_assert_uint_eq(g->first, 2 * i);
		ck_assert_uint_eq(g->n, 2);
		ck_assert_ptr_null(g->name);
	}
	ck_assert_uint_eq(g_array_index(p->regions, MemMapsRegion, 0).sum.c.v[MEM_F_SIZE], 64 * 1024 * 1024);
	g = &g_array_index(p->regions, MemMapsRegion, 3);
	ck_assert_int_eq(g->kind, MEM_REGION_STACK);
	ck_assert_uint_eq(g->first, 6);
	ck_assert_uint_eq(g->n, 2);
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
		ck_assert_str_eq(mem_map_kind_name(g_array_index(p->proc->maps, MemMapping, i).kind), kinds[i]);
	/* the flags scan: a whole two-letter flag, at the end with or without its blank */
	ck_assert_int_eq(mem_map_classify_flags(MEM_MAP_FILE, "ht", 2), MEM_MAP_HUGETLB);
	ck_assert_int_eq(mem_map_classify_flags(MEM_MAP_FILE, "rd ht", 5), MEM_MAP_HUGETLB);
	ck_assert_int_eq(mem_map_classify_flags(MEM_MAP_FILE, "rd hth", 6), MEM_MAP_FILE);
	ck_assert_int_eq(mem_map_classify_flags(MEM_MAP_FILE, "rd h", 4), MEM_MAP_FILE);
	ck_assert_int_eq(mem_map_classify_flags(MEM_MAP_FILE, "", 0), MEM_MAP_FILE);
	ck_assert_int_eq(mem_map_classify_flags(MEM_MAP_SYSV_SHM, "rd sh ht ", 9), MEM_MAP_SYSV_SHM);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("memmaps");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, snapdir_setup, snapdir_teardown);
	tcase_add_test(tc, test_columns);
	tcase_add_test(tc, test_regions);
	tcase_add_test(tc, test_sort_and_range);
	tcase_add_test(tc, test_overlap);
	tcase_add_test(tc, test_arenas_and_kinds);
	suite_add_tcase(s, tc);
	return mem_check_run(s);
}
