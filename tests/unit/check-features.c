/* check-features.c: unit tests of the kernel-feature detection, and of 32-bit, large-page and past-4-GiB figures (test layer) */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "account.h"
#include "kernel-features.h"
#include "mapping.h"
#include "model.h"
#include "snapdir.h"

/* smaps records in the layouts of three kernels: before 3.8 (no VmFlags, no SwapPss, Size then Rss and
 * the page sizes after Swap), 4.4 (SwapPss, VmFlags) and 6.x (Pss_Dirty, page sizes first). */
static const char smaps_3_2[] =
	"08048000-08050000 r-xp 00000000 08:01 12         /bin/old\n"
	"Size:                 32 kB\nRss:                  32 kB\nPss:                  16 kB\n"
	"Shared_Clean:         32 kB\nShared_Dirty:          0 kB\nPrivate_Clean:         0 kB\n"
	"Private_Dirty:         0 kB\nReferenced:           32 kB\nAnonymous:             0 kB\n"
	"AnonHugePages:         0 kB\nSwap:                  0 kB\nKernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\nLocked:                0 kB\n";
static const char smaps_4_4[] =
	"08048000-08050000 r-xp 00000000 08:01 12         /bin/old\n"
	"Size:                 32 kB\nRss:                  32 kB\nPss:                  16 kB\n"
	"Shared_Clean:         32 kB\nShared_Dirty:          0 kB\nPrivate_Clean:         0 kB\n"
	"Private_Dirty:         0 kB\nSwap:                  0 kB\nSwapPss:               0 kB\n"
	"KernelPageSize:        4 kB\nMMUPageSize:           4 kB\nLocked:                0 kB\n"
	"VmFlags: rd ex mr mw me \n";
static const char smaps_6[] =
	"55d000000000-55d000008000 r-xp 00000000 08:01 12                         /bin/new\n"
	"Size:                 32 kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\n"
	"Rss:                  32 kB\nPss:                  16 kB\nPss_Dirty:             0 kB\n"
	"Shared_Clean:         32 kB\nShared_Dirty:          0 kB\nPrivate_Clean:         0 kB\n"
	"Private_Dirty:         0 kB\nSwap:                  0 kB\nSwapPss:               0 kB\n"
	"Locked:                0 kB\nVmFlags: rd ex mr mw me \n";
/* a 4.19 rollup: no Pss_Dirty, no Pss_Anon/File/Shmem */
static const char rollup_4_19[] =
	"08048000-ffff1000 ---p 00000000 00:00 0          [rollup]\n"
	"Rss:                  32 kB\nPss:                  17 kB\nShared_Clean:         32 kB\n"
	"Shared_Dirty:          0 kB\nPrivate_Clean:         0 kB\nPrivate_Dirty:         0 kB\n"
	"Swap:                  0 kB\nSwapPss:               0 kB\nLocked:                0 kB\n";
static const char rollup_6[] =
	"55d000000000-55d000008000 ---p 00000000 00:00 0                          [rollup]\n"
	"Rss:                  32 kB\nPss:                  17 kB\nPss_Dirty:             0 kB\n"
	"Pss_Anon:              0 kB\nPss_File:             17 kB\nPss_Shmem:             0 kB\n"
	"Shared_Clean:         32 kB\nShared_Dirty:          0 kB\nPrivate_Clean:         0 kB\n"
	"Private_Dirty:         0 kB\nSwap:                  0 kB\nSwapPss:               0 kB\n"
	"Locked:                0 kB\n";

static void put_pid(guint pid, const char *smaps, const char *rollup)
{
	g_autofree char *stat = g_strdup_printf("%u (p%u) S 1 %u %u 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 1 "
	                                        "32768 8 4294967295\n", pid, pid, pid, pid);
	g_autofree char *rel = NULL;

	g_free(rel), rel = g_strdup_printf("%u/stat", pid);
	put(rel, stat);
	g_free(rel), rel = g_strdup_printf("%u/smaps", pid);
	put(rel, smaps);
	g_free(rel), rel = g_strdup_printf("%u/maps", pid);
	put(rel, "");
	if (rollup) {
		g_free(rel), rel = g_strdup_printf("%u/smaps_rollup", pid);
		put(rel, rollup);
	}
}

static MemSnapshot *load(gboolean mappings, gboolean no_rollup)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = mem_source_open(snapdir, &err);
	MemLoadOptions lo = { 0 };
	MemSnapshot *snap;

	ck_assert_msg(src != NULL, "%s", err ? err->message : "");
	lo.mappings = mappings;
	lo.no_rollup = no_rollup;
	snap = mem_snapshot_load(src, &lo, &err);
	ck_assert_msg(snap != NULL, "%s", err ? err->message : "");
	return snap;
}

static void expect(const MemFeatures *f, MemFeature x, guint lacking, guint judged)
{
	ck_assert_msg(f->lacking[x] == lacking && f->judged[x] == judged, "%s: %u of %u, expected %u of %u",
	              mem_feature_info(x)->id, f->lacking[x], f->judged[x], lacking, judged);
}

/* A 3.2 process (smaps only), a 4.4 one (smaps only), a 4.19 one and a 6.x one (with rollups), read as
 * memps (rollup, no mappings), memmaps (rollup and mappings) and memobjs (mappings, no rollup). */
START_TEST(test_features_by_reader)
{
	MemFeatures f;

	put_pid(10, smaps_3_2, NULL);
	put_pid(11, smaps_4_4, NULL);
	put_pid(12, smaps_4_4, rollup_4_19);
	put_pid(13, smaps_6, rollup_6);
	{
		g_autoptr(MemSnapshot) snap = load(FALSE, FALSE);
		mem_features_from_snapshot(&f, snap);
		expect(&f, MEM_FEATURE_SMAPS_ROLLUP, 2, 4);
		expect(&f, MEM_FEATURE_SWAP_PSS, 1, 4);
		expect(&f, MEM_FEATURE_PSS_PARTS, 1, 2); /* judged from the rollups only */
		expect(&f, MEM_FEATURE_PSS_DIRTY, 3, 4);
		expect(&f, MEM_FEATURE_VMFLAGS, 0, 0);   /* no mapping kept: nothing to judge */
	}
	{
		g_autoptr(MemSnapshot) snap = load(TRUE, FALSE);
		mem_features_from_snapshot(&f, snap);
		expect(&f, MEM_FEATURE_SMAPS_ROLLUP, 2, 4);
		expect(&f, MEM_FEATURE_VMFLAGS, 1, 4);
	}
	{
		g_autoptr(MemSnapshot) snap = load(TRUE, TRUE);
		g_autoptr(GPtrArray) lines = NULL;
		mem_features_from_snapshot(&f, snap);
		expect(&f, MEM_FEATURE_SMAPS_ROLLUP, 0, 0); /* not asked for: not missing */
		expect(&f, MEM_FEATURE_PSS_PARTS, 0, 0);
		expect(&f, MEM_FEATURE_SWAP_PSS, 1, 4);
		lines = mem_features_lines(&f);
		ck_assert_ptr_nonnull(lines);
		ck_assert_uint_eq(lines->len, 3);
		ck_assert_str_eq(g_ptr_array_index(lines, 0),
		                 "no SwapPss (new in Linux 4.3) in 1 of 4 processes: swap PSS unknown (blank, not 0)");
		ck_assert_str_eq(g_ptr_array_index(lines, 2),
		                 "no VmFlags (new in Linux 3.8) in 1 of 4 processes: mapping kinds guessed from names "
		                 "alone (hugetlbfs files show as files)");
	}
}
END_TEST

/* Only processes with figures are judged: an unreadable one says nothing of the kernel. */
START_TEST(test_features_only_ok)
{
	MemFeatures f;

	put_pid(20, smaps_6, rollup_6);
	put("21/stat", "21 (x) S 1 21 21 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 1 32768 8 4294967295\n");
	put("21/memcap.errors", "smaps_rollup EACCES\nsmaps EACCES\n");
	{
		g_autoptr(MemSnapshot) snap = load(FALSE, FALSE);
		mem_features_from_snapshot(&f, snap);
		for (int x = 0; x < MEM_FEATURE_COUNT; x++)
			ck_assert_uint_eq(f.lacking[x], 0);
		ck_assert_ptr_null(mem_features_lines(&f));
		expect(&f, MEM_FEATURE_SMAPS_ROLLUP, 0, 1);
	}
}
END_TEST

/* 32-bit addresses, 64 kB pages, values past 2^31 and 2^32 bytes: exact bytes everywhere. */
START_TEST(test_32bit_large_pages)
{
	/* two 3 GiB mappings of 64 kB pages would not fit one 32-bit address space, but a board's two
	 * processes of 3 GiB each do: 3145728 kB is above 2^31 bytes, the two together above 2^32 */
	static const char big[] =
		"00010000-c0010000 rw-p 00000000 00:00 0 \n"
		"Size:            3145728 kB\nKernelPageSize:       64 kB\nMMUPageSize:          64 kB\n"
		"Rss:             3145728 kB\nPss:             3145728 kB\nShared_Clean:          0 kB\n"
		"Shared_Dirty:          0 kB\nPrivate_Clean:         0 kB\nPrivate_Dirty:   3145728 kB\n"
		"Swap:                  0 kB\nSwapPss:               0 kB\nLocked:                0 kB\n"
		"VmFlags: rd wr mr mw me ac \n"
		"ffff0000-ffff1000 r-xp 00000000 00:00 0          [vectors]\n"
		"Size:                 64 kB\nKernelPageSize:       64 kB\nMMUPageSize:          64 kB\n"
		"Rss:                  64 kB\nPss:                   0 kB\nShared_Clean:         64 kB\n"
		"Shared_Dirty:          0 kB\nPrivate_Clean:         0 kB\nPrivate_Dirty:         0 kB\n"
		"Swap:                  0 kB\nSwapPss:               0 kB\nLocked:                0 kB\n"
		"VmFlags: rd ex mr me de \n";
	const guint64 gib3 = 3ull << 30;
	MemTally t;
	MemMetrics m;
	guint64 rss = 0;

	put_pid(30, big, NULL);
	put_pid(31, big, NULL);
	{
		g_autoptr(MemSnapshot) snap = load(TRUE, FALSE);
		MemProcess *p = mem_snapshot_find(snap, 30);
		const MemMapping *v;

		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(p->state, MEM_PROC_OK);
		ck_assert_uint_eq(p->maps->len, 2);
		v = &g_array_index(p->maps, MemMapping, 0);
		ck_assert_uint_eq(v->start, 0x10000);
		ck_assert_uint_eq(v->end, 0xc0010000u);
		ck_assert_uint_eq(v->end - v->start, gib3);
		ck_assert_uint_eq(mem_mapping_value(v, MEM_F_KERNEL_PAGE_SIZE), 65536);
		ck_assert_uint_eq(mem_mapping_value(v, MEM_F_MMU_PAGE_SIZE), 65536);
		ck_assert_uint_eq(mem_mapping_value(v, MEM_F_RSS), gib3);
		v = &g_array_index(p->maps, MemMapping, 1);
		ck_assert_uint_eq(v->start, 0xffff0000u);
		ck_assert_int_eq(v->kind, MEM_MAP_SPECIAL);
		ck_assert(mem_process_value(p, MEM_F_RSS, &rss));
		ck_assert_uint_eq(rss, gib3 + 65536);
		mem_process_metrics(p, &m);
		ck_assert_uint_eq(m.v[MEM_M_PSS], gib3);
		ck_assert_uint_eq(m.v[MEM_M_PRIVATE], gib3);
		mem_tally_init(&t);
		mem_tally_add(&t, p);
		mem_tally_add(&t, mem_snapshot_find(snap, 31));
		ck_assert(mem_metrics_has(&t.sum, MEM_M_PSS));
		ck_assert_uint_eq(t.sum.v[MEM_M_PSS], 2 * gib3);       /* 6 GiB: past 2^32 */
		ck_assert_uint_eq(t.sum.v[MEM_M_PRIVATE], 2 * gib3);
		ck_assert_uint_eq(t.n_ok, 2);
	}
}
END_TEST

/* The kinds of the names older, 32-bit and Android kernels write. */
START_TEST(test_kinds_of_old_names)
{
	static const struct {
		const char *name, *perms;
		MemMapKind kind;
	} cases[] = {
		{ "[stack:1234]", "rw-p", MEM_MAP_STACK },
		{ "[vectors]", "r-xp", MEM_MAP_SPECIAL },
		{ "[sigpage]", "r-xp", MEM_MAP_SPECIAL },
		{ "[anon:dalvik-main space]", "rw-p", MEM_MAP_ANON_NAMED },
		{ "[anon:scudo:primary]", "rw-p", MEM_MAP_ANON_NAMED },
		{ "[anon:stack_and_tls:1925]", "rw-p", MEM_MAP_ANON_NAMED },
		{ "/dev/ashmem/dalvik-zygote space (deleted)", "rw-s", MEM_MAP_ASHMEM },
		{ "/dev/ashmem/CursorWindow", "rw-s", MEM_MAP_ASHMEM },
		{ "/dmabuf:", "rw-s", MEM_MAP_DMABUF },
		{ "/dmabuf:qcom,system", "rw-s", MEM_MAP_DMABUF },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		MemMapsLine l = { 0 };
		l.name = cases[i].name;
		l.name_len = strlen(cases[i].name);
		memcpy(l.perms, cases[i].perms, 5);
		ck_assert_msg(mem_map_classify(&l) == cases[i].kind, "%s: %s", cases[i].name,
		              mem_map_kind_name(mem_map_classify(&l)));
	}
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_features_by_reader,
		test_features_only_ok,
		test_32bit_large_pages,
		test_kinds_of_old_names,
	};

	return snapdir_run("features", tests, G_N_ELEMENTS(tests));
}
