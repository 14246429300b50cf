/* check-model.c: Check tests of the model's process states, thread pids, --max-rss and cgroup hierarchies (test layer) */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "source.h"

#include "snapdir.h"

/* stat with state, rss pages (24th field) and vsize; status with Tgid and VmRSS (kB). */
static void put_stat(guint pid, char state, guint rss_pages)
{
	char rel[64], buf[512];

	g_snprintf(rel, sizeof rel, "%u/stat", pid);
	g_snprintf(buf, sizeof buf,
	           "%u (p%u) %c 1 %u %u 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096000 %u 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
	           pid, pid, state, pid, pid, rss_pages);
	put(rel, buf);
}

static void put_status(guint pid, guint tgid, guint rss_kb)
{
	char rel[64], buf[256];

	g_snprintf(rel, sizeof rel, "%u/status", pid);
	g_snprintf(buf, sizeof buf, "Name:\tp%u\nState:\tS (sleeping)\nTgid:\t%u\nPPid:\t1\nUid:\t0\t0\t0\t0\nVmRSS:\t%u kB\n",
	           pid, tgid, rss_kb);
	put(rel, buf);
}

static void put_rollup(guint pid, guint rss, guint pss)
{
	char rel[64], buf[512];

	g_snprintf(rel, sizeof rel, "%u/smaps_rollup", pid);
	g_snprintf(buf, sizeof buf,
	           "00400000-7fff0000 ---p 00000000 00:00 0                          [rollup]\n"
	           "Rss:            %6u kB\nPss:            %6u kB\nShared_Clean:        0 kB\nShared_Dirty:        0 kB\n"
	           "Private_Clean:       0 kB\nPrivate_Dirty:  %6u kB\nSwap:                0 kB\nSwapPss:             0 kB\n",
	           rss, pss, rss);
	put(rel, buf);
}

/* One smaps record of `kb` resident private kB at address `i` MiB. */
static void add_record(GString *s, guint i, guint kb)
{
	g_string_append_printf(s,
	                       "%08x-%08x rw-p 00000000 00:00 0 \n"
	                       "Size:           %6u kB\nRss:            %6u kB\nPss:            %6u kB\n"
	                       "Shared_Clean:        0 kB\nShared_Dirty:        0 kB\nPrivate_Clean:       0 kB\n"
	                       "Private_Dirty:  %6u kB\nSwap:                0 kB\nSwapPss:             0 kB\n",
	                       i << 20, (i << 20) + kb * 1024, kb, kb, kb, kb);
}

static void put_smaps(guint pid, guint n, guint kb)
{
	g_autoptr(GString) s = g_string_new(NULL);
	char rel[64];

	for (guint i = 1; i <= n; i++)
		add_record(s, i, kb);
	g_snprintf(rel, sizeof rel, "%u/smaps", pid);
	put(rel, s->str);
}

/* A whole process: stat, status, rollup (rss kB, pss kB) and a smaps of one record. */
static void put_proc(guint pid, guint rss, guint pss)
{
	put_stat(pid, 'S', rss / 4);
	put_status(pid, pid, rss);
	put_rollup(pid, rss, pss);
	put_smaps(pid, 1, rss);
}

static MemSnapshot *load_from(MemSource *src, const MemLoadOptions *opts)
{
	g_autoptr(GError) err = NULL;
	MemSnapshot *snap;

	snap = mem_snapshot_load(src, opts, &err);
	ck_assert_msg(snap != NULL, "%s", err ? err->message : "");
	return snap;
}

/* The directory as a snapshot (-S DIR). */
static MemSnapshot *load_snapshot(const MemLoadOptions *opts)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = mem_source_open(snapdir, &err);

	ck_assert_msg(src != NULL, "%s", err ? err->message : "");
	return load_from(src, opts);
}

/* The directory as a live /proc (--proc-root DIR). */
static MemSnapshot *load_proc_root(const MemLoadOptions *opts)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = mem_source_open_proc_root(snapdir, &err);

	ck_assert_msg(src != NULL, "%s", err ? err->message : "");
	return load_from(src, opts);
}

/* A tar of the directory's members, in the order given (NULL-terminated), as a snapshot. */
static MemSnapshot *load_tar(const MemLoadOptions *opts, const char *const *members)
{
	g_autofree char *tar = g_strdup_printf("%s.tar", snapdir);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = NULL;
	MemSnapshot *snap;
	int status = -1;

	g_ptr_array_add(argv, (char *)"tar");
	g_ptr_array_add(argv, (char *)"-cf");
	g_ptr_array_add(argv, tar);
	g_ptr_array_add(argv, (char *)"-C");
	g_ptr_array_add(argv, snapdir);
	for (guint i = 0; members[i]; i++)
		g_ptr_array_add(argv, (char *)members[i]);
	g_ptr_array_add(argv, NULL);
	ck_assert(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
	                       &err));
	ck_assert_int_eq(status, 0);
	src = mem_source_open(tar, &err);
	ck_assert_msg(src != NULL, "%s", err ? err->message : "");
	snap = load_from(src, opts);
	unlink(tar);
	return snap;
}

static const MemProcess *find(MemSnapshot *snap, guint32 pid)
{
	const MemProcess *p = mem_snapshot_find(snap, pid);

	ck_assert_msg(p != NULL, "no process %u", pid);
	return p;
}

/* A memory figure of p, which must be known. */
static guint64 value_of(const MemProcess *p, MemField f)
{
	guint64 v = 0;

	ck_assert_msg(mem_process_value(p, f, &v), "%s of %u unknown", mem_field_name(f), p->pid);
	return v;
}

static void same_counters(const MemProcess *a, const MemProcess *b)
{
	MemCounters x, y;

	mem_process_counters(a, &x);
	mem_process_counters(b, &y);
	ck_assert_mem_eq(&x, &y, sizeof(MemCounters));
}

/* ---- item: a recording that lacks a file is not a vanished process ---- */

START_TEST(test_not_recorded_dir)
{
	put_proc(10, 400, 300);
	/* a `cp` of /proc that lacks both memory files */
	put_stat(11, 'S', 100);
	put_status(11, 11, 400);
	/* smemcap: a 0-byte smaps for pid 1, no rollup */
	put_stat(1, 'S', 100);
	put_status(1, 1, 400);
	put("1/smaps", "");
	/* the recorder says why: an I/O error, or the process went */
	put_stat(12, 'S', 100);
	put("12/memcap.errors", "smaps_rollup EIO\nsmaps EIO\n");
	put_stat(13, 'S', 100);
	put("13/memcap.errors", "smaps_rollup ESRCH\nsmaps ESRCH\n");
	/* the recorder's "file too large" is its reason, not bad input of the recording */
	put_stat(16, 'S', 100);
	put("16/memcap.errors", "smaps_rollup EFBIG\nsmaps EFBIG\n");
	/* an empty smaps, but the recorder says the process went */
	put_stat(15, 'S', 100);
	put("15/smaps", "");
	put("15/memcap.errors", "smaps_rollup ESRCH\n");
	/* a zombie: state Z, an empty smaps, no rollup */
	put_stat(14, 'Z', 0);
	put("14/smaps", "");
	{
		g_autoptr(MemSnapshot) snap = load_snapshot(NULL);
		const MemProcess *p;

		ck_assert_int_eq(find(snap, 10)->state, MEM_PROC_OK);
		ck_assert_uint_eq(value_of(find(snap, 10), MEM_F_PSS), 300 * 1024);
		for (guint32 pid = 1; pid <= 11; pid += 10) {
			p = find(snap, pid);
			ck_assert_int_eq(p->state, MEM_PROC_UNREADABLE);
			ck_assert(p->not_recorded);
			ck_assert_str_eq(mem_proc_state_note(p), "[unreadable: not recorded]");
			ck_assert_str_eq(mem_proc_error_name(p), "not_recorded");
			ck_assert_str_eq(mem_proc_state_name(p->state), "unreadable");
		}
		p = find(snap, 12);
		ck_assert_int_eq(p->state, MEM_PROC_UNREADABLE);
		ck_assert_int_eq(p->err, EIO);
		ck_assert_str_eq(mem_proc_state_note(p), "[unreadable: EIO]");
		ck_assert_str_eq(mem_proc_error_name(p), "EIO");
		p = find(snap, 13);
		ck_assert_int_eq(p->state, MEM_PROC_VANISHED);
		ck_assert_str_eq(mem_proc_state_note(p), "[vanished]");
		ck_assert_str_eq(mem_proc_error_name(p), "ESRCH");
		ck_assert_int_eq(find(snap, 15)->state, MEM_PROC_VANISHED);
		ck_assert_int_eq(find(snap, 16)->state, MEM_PROC_UNREADABLE);
		ck_assert(!find(snap, 16)->malformed);
		ck_assert_str_eq(mem_proc_state_note(find(snap, 16)), "[unreadable: EFBIG]");
		ck_assert_uint_eq(snap->n_problems, 0);
		p = find(snap, 14);
		ck_assert_int_eq(p->state, MEM_PROC_ZOMBIE);
		ck_assert_str_eq(mem_proc_state_note(p), "[zombie]");
		ck_assert_str_eq(mem_proc_state_name(p->state), "zombie");
		ck_assert_ptr_null(mem_proc_error_name(p));
	}
	{
		/* the same recording as a tar: the same states */
		static const char *const members[] = { "1/stat", "1/status", "1/smaps", "10/stat", "10/status",
			                               "10/smaps_rollup", "10/smaps", "11/stat", "11/status", "12/stat",
			                               "12/memcap.errors", "13/stat", "13/memcap.errors", "14/stat",
			                               "14/smaps", NULL };
		g_autoptr(MemSnapshot) snap = load_tar(NULL, members);

		ck_assert_int_eq(find(snap, 10)->state, MEM_PROC_OK);
		ck_assert(find(snap, 1)->not_recorded);
		ck_assert(find(snap, 11)->not_recorded);
		ck_assert_str_eq(mem_proc_state_note(find(snap, 11)), "[unreadable: not recorded]");
		ck_assert_int_eq(find(snap, 12)->err, EIO);
		ck_assert_int_eq(find(snap, 13)->state, MEM_PROC_VANISHED);
		ck_assert_int_eq(find(snap, 14)->state, MEM_PROC_ZOMBIE);
	}
}
END_TEST

START_TEST(test_live_missing_is_vanished)
{
	/* --proc-root reads as live: a file gone is a process gone */
	put_stat(20, 'S', 100);
	put_status(20, 20, 400);
	put_stat(21, 'Z', 0);
	put("21/smaps", "");
	{
		g_autoptr(MemSnapshot) snap = load_proc_root(NULL);

		ck_assert_int_eq(find(snap, 20)->state, MEM_PROC_VANISHED);
		ck_assert(!find(snap, 20)->not_recorded);
		ck_assert_int_eq(find(snap, 21)->state, MEM_PROC_ZOMBIE);
	}
}
END_TEST

/* ---- item: a process that exits while its smaps is read ---- */

START_TEST(test_cut_read_is_vanished)
{
	g_autoptr(GString) s = g_string_new(NULL);

	put_proc(30, 400, 300);
	for (guint i = 1; i <= 3; i++)
		add_record(s, i, 4);
	/* cut in the middle of the fourth record: the rollup must not be taken for the whole */
	g_string_append(s, "00500000-00501000 rw-p 00000000 00:00 0 \nSize:                  4 kB\nRss:   ");
	put("30/smaps", s->str);
	for (int mappings = 1; mappings >= 0; mappings--) {
		/* memmaps reads both (the rollup first); memps reads smaps when there is no rollup */
		MemLoadOptions lo = { .mappings = mappings };
		g_autoptr(MemSnapshot) snap = NULL;
		const MemProcess *p;

		if (!mappings)
			rm_rel("30/smaps_rollup");
		snap = load_proc_root(&lo);
		p = find(snap, 30);
		ck_assert_int_eq(p->state, MEM_PROC_VANISHED);
		ck_assert_int_eq(p->err, ESRCH);
		ck_assert(!(p->mem_known & MEM_FIELD_BIT(MEM_F_PSS)));
		ck_assert(!p->maps || p->maps->len == 0);
	}
	{
		/* a smaps that ends cleanly while the process is seen dead when it ends (the kernel stops an exiting
		 * process's smaps at a record boundary): vanished too, though the rollup was read */
		MemLoadOptions lo = { .mappings = TRUE };
		g_autoptr(MemSnapshot) snap = NULL;

		put_proc(31, 400, 300);
		put_stat(31, 'X', 100);
		snap = load_proc_root(&lo);
		ck_assert_int_eq(find(snap, 31)->state, MEM_PROC_VANISHED);
		ck_assert(!find(snap, 31)->maps || find(snap, 31)->maps->len == 0);
		/* Z: the process was a zombie before its files were read */
		put_stat(31, 'Z', 0);
		mem_snapshot_free(g_steal_pointer(&snap));
		snap = load_proc_root(&lo);
		ck_assert_int_eq(find(snap, 31)->state, MEM_PROC_ZOMBIE);
		rm_rel("31/stat");
		rm_rel("31/status");
		rm_rel("31/smaps_rollup");
		rm_rel("31/smaps");
		g_autofree char *dir = g_build_filename(snapdir, "31", NULL);
		ck_assert_int_eq(rmdir(dir), 0);
	}
	{
		/* in a snapshot the same file is bad input, not a process gone */
		MemLoadOptions lo = { .mappings = TRUE };
		g_autoptr(MemSnapshot) snap = load_snapshot(&lo);

		ck_assert_int_eq(find(snap, 30)->state, MEM_PROC_UNREADABLE);
		ck_assert(find(snap, 30)->malformed);
		ck_assert_uint_ge(snap->n_problems, 1);
	}
}
END_TEST

START_TEST(test_live_overlap_newer_wins)
{
	g_autoptr(GString) s = g_string_new(NULL);

	/* read live while the process merged two mappings: [2M, 2M+8k) then, resumed there, [2M, 2M+12k) */
	put_stat(32, 'S', 100);
	put_status(32, 32, 400);
	add_record(s, 1, 4);
	add_record(s, 2, 8);
	add_record(s, 2, 12);
	add_record(s, 3, 4);
	put("32/smaps", s->str);
	{
		MemLoadOptions lo = { .mappings = TRUE, .no_rollup = TRUE };
		g_autoptr(MemSnapshot) snap = load_proc_root(&lo);
		const MemProcess *p = find(snap, 32);
		const MemMapping *m;

		ck_assert_int_eq(p->state, MEM_PROC_OK);
		ck_assert_uint_eq(p->maps->len, 3);
		m = &g_array_index(p->maps, MemMapping, 1);
		ck_assert_uint_eq(m->end - m->start, 12 * 1024);
		ck_assert_uint_eq(mem_mapping_value(m, MEM_F_RSS), 12 * 1024);
		ck_assert_uint_eq(mem_mapping_value(&g_array_index(p->maps, MemMapping, 2), MEM_F_PSS), 4 * 1024);
		/* the sums are over the mappings kept: 4 + 12 + 4 kB */
		ck_assert_uint_eq(value_of(p, MEM_F_RSS), 20 * 1024);
		ck_assert_uint_eq(p->vss, 4096000); /* stat's */
	}
	{
		/* a recording keeps what it holds: the reports call the overlap bad input */
		MemLoadOptions lo = { .mappings = TRUE, .no_rollup = TRUE };
		g_autoptr(MemSnapshot) snap = load_snapshot(&lo);

		ck_assert_uint_eq(find(snap, 32)->maps->len, 4);
	}
}
END_TEST

/* ---- MemLoadOptions.map_fields: each mapping keeps the fields asked for (and Size), the rest unknown ---- */

START_TEST(test_map_fields)
{
	g_autoptr(GString) s = g_string_new(NULL);
	guint32 pss_only = MEM_FIELD_BIT(MEM_F_PSS);

	put_proc(33, 400, 300);
	for (guint i = 1; i <= 3; i++)
		add_record(s, i, 4 * i);
	put("33/smaps", s->str);
	{
		MemLoadOptions lo = { .mappings = TRUE, .map_fields = pss_only };
		g_autoptr(MemSnapshot) snap = load_proc_root(&lo);
		const MemProcess *p = find(snap, 33);

		ck_assert_int_eq(p->state, MEM_PROC_OK);
		ck_assert_uint_eq(p->maps->len, 3);
		for (guint i = 0; i < 3; i++) {
			const MemMapping *m = &g_array_index(p->maps, MemMapping, i);

			ck_assert_uint_eq(m->known, pss_only | MEM_FIELD_BIT(MEM_F_SIZE));
			ck_assert_uint_eq(mem_mapping_value(m, MEM_F_PSS), 4 * (i + 1) * 1024);
			ck_assert_uint_eq(mem_mapping_value(m, MEM_F_SIZE), 4 * (i + 1) * 1024);
			ck_assert(!mem_mapping_has(m, MEM_F_RSS));
		}
		/* the process's figures are the rollup's, whole */
		ck_assert(p->mem_from_rollup);
		ck_assert_uint_eq(value_of(p, MEM_F_RSS), 400 * 1024);
		ck_assert_uint_eq(value_of(p, MEM_F_PRIVATE_DIRTY), 400 * 1024);
	}
	{
		/* without the rollup they are the sum over every record, every field */
		MemLoadOptions lo = { .mappings = TRUE, .no_rollup = TRUE, .map_fields = pss_only };
		g_autoptr(MemSnapshot) snap = load_proc_root(&lo);
		const MemProcess *p = find(snap, 33);

		ck_assert(!p->mem_from_rollup);
		ck_assert_uint_eq(value_of(p, MEM_F_RSS), 24 * 1024);
		ck_assert_uint_eq(value_of(p, MEM_F_PRIVATE_DIRTY), 24 * 1024);
		ck_assert_uint_eq(value_of(p, MEM_F_PSS), 24 * 1024);
	}
	{
		/* 0 keeps every field */
		MemLoadOptions lo = { .mappings = TRUE };
		g_autoptr(MemSnapshot) snap = load_proc_root(&lo);
		const MemMapping *m = &g_array_index(find(snap, 33)->maps, MemMapping, 2);

		ck_assert_uint_eq(mem_mapping_value(m, MEM_F_RSS), 12 * 1024);
		ck_assert_uint_eq(mem_mapping_value(m, MEM_F_PRIVATE_DIRTY), 12 * 1024);
	}
}
END_TEST

START_TEST(test_map_fields_repaired)
{
	g_autoptr(GString) s = g_string_new(NULL);
	MemLoadOptions lo = { .mappings = TRUE, .no_rollup = TRUE, .map_fields = MEM_FIELD_BIT(MEM_F_PSS) };
	g_autoptr(MemSnapshot) snap = NULL;
	const MemProcess *p;

	/* a live read that dropped a record for a newer one sums the mappings kept: a field they do not
	 * keep is unknown there, never a wrong number */
	put_stat(34, 'S', 100);
	put_status(34, 34, 400);
	add_record(s, 1, 4);
	add_record(s, 2, 8);
	add_record(s, 2, 12);
	put("34/smaps", s->str);
	snap = load_proc_root(&lo);
	p = find(snap, 34);
	ck_assert_int_eq(p->state, MEM_PROC_OK);
	ck_assert_uint_eq(p->maps->len, 2);
	ck_assert_uint_eq(value_of(p, MEM_F_PSS), 16 * 1024);
	ck_assert(!(p->mem_known & MEM_FIELD_BIT(MEM_F_RSS)));
}
END_TEST

/* ---- item: smaps_rollup wins by rule, not by the order of a tar ---- */

static void check_rollup_won(MemSnapshot *snap)
{
	const MemProcess *p = find(snap, 40);

	ck_assert_int_eq(p->state, MEM_PROC_OK);
	ck_assert(p->mem_from_rollup);
	ck_assert_uint_eq(value_of(p, MEM_F_PSS), 300 * 1024);
	ck_assert_uint_eq(value_of(p, MEM_F_RSS), 400 * 1024);
	ck_assert(p->has_vss);
	ck_assert_uint_eq(p->vss, 4096000);
}

START_TEST(test_rollup_wins_any_order)
{
	static const char *const rollup_first[] = { "40/stat", "40/status", "40/smaps_rollup", "40/smaps", NULL };
	static const char *const smaps_first[] = { "40/smaps", "40/stat", "40/status", "40/smaps_rollup", NULL };

	put_stat(40, 'S', 100);
	put_status(40, 40, 400);
	put_rollup(40, 400, 300);
	/* smaps sums differ from the rollup: 3 x 8 kB */
	put_smaps(40, 3, 8);
	for (int mappings = 0; mappings < 2; mappings++) {
		MemLoadOptions lo = { .mappings = mappings };
		g_autoptr(MemSnapshot) a = load_tar(&lo, rollup_first);
		g_autoptr(MemSnapshot) b = load_tar(&lo, smaps_first);
		g_autoptr(MemSnapshot) d = load_snapshot(&lo);

		check_rollup_won(a);
		check_rollup_won(b);
		check_rollup_won(d);
		same_counters(find(a, 40), find(b, 40));
		same_counters(find(a, 40), find(d, 40));
		if (mappings) {
			ck_assert_uint_eq(find(a, 40)->maps->len, 3);
			ck_assert_uint_eq(find(b, 40)->maps->len, 3);
		}
	}
}
END_TEST

/* ---- item: --max-rss ---- */

START_TEST(test_max_rss_skips)
{
	put_proc(50, 400, 300);
	/* 2000 pages resident: 8000 kB with 4 KiB pages; its rollup is garbled, so reading it would show */
	put_stat(51, 'S', 2000);
	put_status(51, 51, 8000);
	put("51/smaps_rollup", "garbage\n");
	put("51/smaps", "garbage\n");
	{
		MemLoadOptions lo = { .max_rss = 4 * 1024 * 1024 };
		g_autoptr(MemSnapshot) snap = load_proc_root(&lo);
		const MemProcess *p = find(snap, 51);

		ck_assert_int_eq(find(snap, 50)->state, MEM_PROC_OK);
		ck_assert_int_eq(p->state, MEM_PROC_SKIPPED);
		ck_assert(!p->malformed);
		ck_assert_uint_eq(snap->n_problems, 0); /* the garbled files were never read */
		ck_assert(p->has_status_rss);
		ck_assert_uint_eq(p->status_rss, 8000 * 1024);
		ck_assert(!(p->mem_known & MEM_FIELD_BIT(MEM_F_PSS)));
		ck_assert_str_eq(mem_proc_state_note(p), "[skipped]");
		ck_assert_str_eq(mem_proc_state_name(p->state), "skipped");
		ck_assert_ptr_null(mem_proc_error_name(p));
	}
	{
		/* a snapshot directory: status VmRSS decides, before the memory files are read */
		MemLoadOptions lo = { .max_rss = 4 * 1024 * 1024 };
		g_autoptr(MemSnapshot) snap = load_snapshot(&lo);

		ck_assert_int_eq(find(snap, 51)->state, MEM_PROC_SKIPPED);
		ck_assert_uint_eq(snap->n_problems, 0);
	}
	{
		/* the bound is exclusive, and no bound reads everything */
		MemLoadOptions lo = { .max_rss = 8000 * 1024 };
		g_autoptr(MemSnapshot) snap = load_proc_root(&lo);
		g_autoptr(MemSnapshot) all = load_proc_root(NULL);

		ck_assert_int_eq(find(snap, 51)->state, MEM_PROC_UNREADABLE);
		ck_assert_int_eq(find(all, 51)->state, MEM_PROC_UNREADABLE);
		ck_assert(find(all, 51)->malformed);
	}
}
END_TEST

/* ---- item: a thread is not a process ---- */

START_TEST(test_thread_resolved)
{
	put_proc(60, 400, 300);
	/* 61 and 62 are threads of 60: /proc/TID has the process's memory files */
	put_proc(61, 400, 300);
	put_status(61, 60, 400);
	put_proc(62, 400, 300);
	put_status(62, 60, 400);
	put_proc(70, 100, 100);
	{
		static const guint32 pids[] = { 60, 61, 62 };
		MemLoadOptions lo = { .pids = pids, .n_pids = 3 };
		g_autoptr(MemSnapshot) snap = load_proc_root(&lo);
		const MemThreadOf *t = (const MemThreadOf *)(gconstpointer)snap->threads->data;

		ck_assert_uint_eq(snap->procs->len, 1);
		ck_assert_uint_eq(find(snap, 60)->state, MEM_PROC_OK);
		ck_assert_uint_eq(snap->threads->len, 2);
		ck_assert_uint_eq(t[0].tgid, 60);
		ck_assert_uint_eq(t[1].tgid, 60);
		ck_assert_uint_eq(t[0].tid + t[1].tid, 61 + 62);
	}
	{
		/* only a thread given: its process is loaded instead, once */
		static const guint32 pids[] = { 61, 62, 70 };
		MemLoadOptions lo = { .pids = pids, .n_pids = 3 };
		g_autoptr(MemSnapshot) snap = load_proc_root(&lo);

		ck_assert_uint_eq(snap->procs->len, 2);
		ck_assert_uint_eq(find(snap, 60)->pid, 60);
		ck_assert_uint_eq(find(snap, 70)->pid, 70);
		ck_assert_ptr_null(mem_snapshot_find(snap, 61));
		ck_assert_uint_eq(snap->threads->len, 2);
	}
	{
		/* hostile: Tgid 0 is no process to resolve to; a cycle of two is resolved once, not forever */
		static const guint32 pids[] = { 90, 91 };
		MemLoadOptions lo = { .pids = pids, .n_pids = 2 };
		g_autoptr(MemSnapshot) snap = NULL;

		put_proc(90, 100, 100);
		put_status(90, 0, 100);
		put_proc(91, 100, 100);
		put_status(91, 92, 100);
		put_proc(92, 100, 100);
		put_status(92, 91, 100);
		snap = load_proc_root(&lo);
		ck_assert_uint_eq(snap->procs->len, 2);
		ck_assert_uint_eq(find(snap, 90)->state, MEM_PROC_OK);
		ck_assert_uint_eq(find(snap, 92)->pid, 92);
		ck_assert_uint_eq(snap->threads->len, 1);
	}
	{
		/* without a pid list nothing is resolved (readdir lists processes only) */
		g_autoptr(MemSnapshot) snap = load_proc_root(NULL);

		ck_assert_uint_eq(snap->threads->len, 0);
	}
}
END_TEST

/* ---- item: which cgroup hierarchy a job comes from ---- */

START_TEST(test_cgroup_hierarchy)
{
	put_proc(80, 400, 300);
	/* hybrid host: v2 tree empty, the systemd v1 path is the job */
	put("80/cgroup", "12:memory:/mem/a\n1:name=systemd:/system.slice/a.service\n0::/\n");
	put_proc(81, 400, 300);
	/* v2 path set: v2 wins */
	put("81/cgroup", "12:memory:/mem/b\n1:name=systemd:/system.slice/b.service\n0::/user.slice/b\n");
	put_proc(82, 400, 300);
	/* only the memory controller's path is not the root */
	put("82/cgroup", "12:memory:/mem/c\n1:name=systemd:/\n0::/\n");
	put_proc(83, 400, 300);
	put("83/cgroup", "1:name=systemd:/\n0::/\n");
	put_proc(84, 400, 300);
	put("84/cgroup", "");
	{
		MemLoadOptions lo = { .files = MEM_FILE_CGROUP };
		g_autoptr(MemSnapshot) snap = load_proc_root(&lo);

		ck_assert_str_eq(find(snap, 80)->job, "/system.slice/a.service");
		ck_assert_int_eq(find(snap, 80)->job_hierarchy, MEM_JOB_V1_SYSTEMD);
		ck_assert_str_eq(find(snap, 81)->job, "/user.slice/b");
		ck_assert_int_eq(find(snap, 81)->job_hierarchy, MEM_JOB_V2);
		ck_assert_str_eq(find(snap, 82)->job, "/mem/c");
		ck_assert_int_eq(find(snap, 82)->job_hierarchy, MEM_JOB_V1_MEMORY);
		ck_assert_str_eq(find(snap, 83)->job, "/");
		ck_assert_int_eq(find(snap, 83)->job_hierarchy, MEM_JOB_V2);
		ck_assert_str_eq(find(snap, 84)->job, "/");
		ck_assert_int_eq(find(snap, 84)->job_hierarchy, MEM_JOB_NONE);
		ck_assert_str_eq(mem_job_hierarchy_name(MEM_JOB_V1_SYSTEMD), "v1:name=systemd");
		ck_assert_str_eq(mem_job_hierarchy_name(MEM_JOB_V1_MEMORY), "v1:memory");
		ck_assert_str_eq(mem_job_hierarchy_name(MEM_JOB_V2), "v2");
		ck_assert_ptr_null(mem_job_hierarchy_name(MEM_JOB_NONE));
		ck_assert_str_eq(mem_job_hierarchy_prefix(MEM_JOB_V1_SYSTEMD), "v1:");
		ck_assert_str_eq(mem_job_hierarchy_prefix(MEM_JOB_V2), "");
	}
}
END_TEST

/* Names are interned in the snapshot: processes of one name share one copy (a snapshot is read on one
 * thread); a name from status stands in for an empty comm; a missing name is "". */
START_TEST(test_names_interned)
{
	put_proc(90, 400, 300);
	put_proc(91, 400, 300);
	put_proc(92, 400, 300);
	put_proc(93, 400, 300);
	put("90/stat", "90 (same) S 1 90 90 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
	put("91/stat", "91 (same) S 1 91 91 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
	put("92/stat", "92 () S 1 92 92 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
	put("92/status", "Name:\tfrom-status\nState:\tS (sleeping)\nTgid:\t92\nPPid:\t1\nUid:\t0\t0\t0\t0\nVmRSS:\t400 kB\n");
	rm_rel("93/stat");
	rm_rel("93/status");
	{
		MemLoadOptions lo = { .files = MEM_FILE_STATUS };
		g_autoptr(MemSnapshot) snap = load_snapshot(&lo);

		ck_assert_str_eq(find(snap, 90)->name, "same");
		ck_assert_str_eq(find(snap, 91)->name, "same");
		ck_assert_ptr_eq(find(snap, 90)->name, find(snap, 91)->name);
		ck_assert_str_eq(find(snap, 92)->name, "from-status");
		ck_assert_str_eq(find(snap, 93)->name, "");
	}
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_not_recorded_dir,
		test_live_missing_is_vanished,
		test_cut_read_is_vanished,
		test_live_overlap_newer_wins,
		test_map_fields,
		test_map_fields_repaired,
		test_rollup_wins_any_order,
		test_max_rss_skips,
		test_thread_resolved,
		test_cgroup_hierarchy,
		test_names_interned,
	};

	return snapdir_run("model", tests, G_N_ELEMENTS(tests));
}
