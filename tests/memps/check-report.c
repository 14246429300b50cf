/* check-report.c: Check unit tests of the model, accounting and memps report over built snapshots (model/accounting tests) */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "model.h"
#include "columns-ps.h"
#include "render-ps.h"
#include "proctree.h"
#include "source.h"

#include "snapdir.h"
#include "../common/check-run.h"

/* A process with a rollup: sizes in kB. flags 0x00200000 makes a kernel thread. */
static void proc_full(guint pid, guint ppid, const char *comm, char state, guint flags, guint uid,
                      const char *cgroup, guint pss, guint priv_clean, guint priv_dirty, guint shared)
{
	char rel[64], buf[1024];

	g_snprintf(rel, sizeof rel, "%u/stat", pid);
	g_snprintf(buf, sizeof buf,
	           "%u (%s) %c %u %u %u 0 -1 %u 0 0 0 0 0 0 0 0 20 0 1 0 100 4096000 25 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
	           pid, comm, state, ppid, pid, pid, flags);
	put(rel, buf);
	g_snprintf(rel, sizeof rel, "%u/status", pid);
	g_snprintf(buf, sizeof buf, "Name:\t%s\nState:\t%c (x)\nPPid:\t%u\nUid:\t%u\t%u\t%u\t%u\n", comm, state,
	           ppid, uid, uid, uid, uid);
	put(rel, buf);
	if (cgroup) {
		g_snprintf(rel, sizeof rel, "%u/cgroup", pid);
		g_snprintf(buf, sizeof buf, "0::%s\n", cgroup);
		put(rel, buf);
	}
	if (flags & 0x00200000)
		return;
	g_snprintf(rel, sizeof rel, "%u/smaps_rollup", pid);
	g_snprintf(buf, sizeof buf,
	           "00400000-7fff0000 ---p 00000000 00:00 0                          [rollup]\n"
	           "Rss:            %6u kB\nPss:            %6u kB\nShared_Clean:   %6u kB\nShared_Dirty:        0 kB\n"
	           "Private_Clean:  %6u kB\nPrivate_Dirty:  %6u kB\nSwap:                0 kB\nSwapPss:             0 kB\n",
	           priv_clean + priv_dirty + shared, pss, shared, priv_clean, priv_dirty);
	put(rel, buf);
}

static void proc(guint pid, guint ppid, const char *comm, const char *cgroup, guint pss, guint priv, guint shared)
{
	proc_full(pid, ppid, comm, 'S', 0, 0, cgroup, pss, 0, priv, shared);
}

static MemSnapshot *load(void)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = mem_source_open(snapdir, &err);
	MemLoadOptions lo = { .files = MEM_FILE_STATUS | MEM_FILE_CMDLINE | MEM_FILE_CGROUP };
	MemSnapshot *snap;

	ck_assert_msg(src != NULL, "%s", err ? err->message : "");
	snap = mem_snapshot_load(src, &lo, &err);
	ck_assert_msg(snap != NULL, "%s", err ? err->message : "");
	return snap;
}

static MemPsReport *report(MemSnapshot *snap, MemTreeMode tree, const char *sort, gboolean reverse)
{
	MemPsOptions o = { .tree = tree, .reverse = reverse };
	if (sort)
		o.sort = mem_ps_sort_for_column(mem_column_lookup(sort));
	return mem_ps_report_new(snap, &o);
}

static void report_done(MemPsReport *r)
{
	mem_ps_report_free(r);
}

/* The default columns' table of a report. */
static MemTable *default_table(const MemPsReport *r)
{
	g_autoptr(GPtrArray) cols = mem_columns_default();
	return mem_ps_report_table(r, cols);
}

static const MemPsNode *job(MemPsReport *r, const char *id)
{
	for (guint i = 0; i < r->jobs->len; i++) {
		const MemPsNode *n = g_ptr_array_index(r->jobs, i);
		if (strcmp(n->id, id) == 0)
			return n;
	}
	ck_abort_msg("no job %s", id);
	return NULL;
}

/* Display order as "p:PID" / "j:ID" joined by spaces. */
static char *order(MemPsReport *r)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < r->nodes->len; i++) {
		const MemPsNode *n = g_ptr_array_index(r->nodes, i);
		if (s->len)
			g_string_append_c(s, ' ');
		if (n->kind == MEM_PS_PROC)
			g_string_append_printf(s, "p:%u", n->proc->pid);
		else if (n->kind == MEM_PS_SUBTREE)
			g_string_append_printf(s, "s:%u", n->proc->pid);
		else
			g_string_append_printf(s, "j:%s", n->id);
	}
	return g_string_free(s, FALSE);
}

START_TEST(test_cgroup_tree_sums)
{
	proc(10, 1, "a", "/sys/x", 100, 60, 40);
	proc(11, 1, "b", "/sys/x", 300, 200, 100);
	proc(12, 1, "c", "/sys", 50, 50, 0);
	proc(13, 1, "d", "/", 7, 7, 0);
	proc(14, 1, "e", "/sysx", 1000, 900, 100); /* a sibling, not a child of /sys */
	g_autoptr(MemSnapshot) snap = load();
	MemPsReport *r = report(snap, MEM_TREE_CGROUP, NULL, FALSE);
	g_autofree char *ord = order(r);
	MemMetrics m;

	/* processes before child jobs, each level largest PSS first */
	ck_assert_str_eq(ord, "j:/ p:13 j:/sysx p:14 j:/sys p:12 j:/sys/x p:11 p:10");
	mem_ps_node_metrics(job(r, "/sys"), &m);
	ck_assert_uint_eq(m.v[MEM_M_PSS], (100 + 300 + 50) * 1024ull);
	ck_assert_uint_eq(m.v[MEM_M_PRIVATE], (60 + 200 + 50) * 1024ull);
	ck_assert(!mem_metrics_has(&m, MEM_M_SHARED)); /* blank for jobs */
	mem_ps_node_metrics(job(r, "/"), &m);
	ck_assert_uint_eq(m.v[MEM_M_PSS], 1457 * 1024ull);
	ck_assert_uint_eq(r->totals.sum.v[MEM_M_SHARED], 240 * 1024ull);
	ck_assert_uint_eq(r->totals.n_ok, 5);
	ck_assert(job(r, "/sys")->parent == job(r, "/"));
	report_done(r);

	r = report(snap, MEM_TREE_CGROUP, "pid", FALSE);
	g_free(ord);
	ord = order(r);
	ck_assert_str_eq(ord, "j:/ p:13 j:/sys p:12 j:/sys/x p:10 p:11 j:/sysx p:14");
	report_done(r);
}
END_TEST

START_TEST(test_unreadable_is_not_zero)
{
	proc(20, 1, "ok", "/a", 100, 100, 0);
	proc(21, 1, "denied", "/a", 999, 999, 0);
	put("21/memcap.errors", "smaps_rollup EACCES\nsmaps EACCES\n");
	proc_full(22, 2, "kworker/0", 'I', 0x00200000, 0, "/", 0, 0, 0, 0);
	proc(23, 1, "gone", "/a", 5, 5, 0);
	put("23/memcap.errors", "smaps_rollup ENOENT\nsmaps ENOENT\n");
	proc_full(24, 1, "zombie", 'Z', 0, 0, "/a", 0, 0, 0, 0);
	rm_rel("24/smaps_rollup");
	put("24/smaps", "");
	g_autoptr(MemSnapshot) snap = load();
	MemPsReport *r = report(snap, MEM_TREE_CGROUP, NULL, FALSE);
	g_autofree char *summary = mem_ps_report_summary(r);
	MemMetrics m;

	ck_assert_int_eq(mem_snapshot_find(snap, 21)->state, MEM_PROC_UNREADABLE);
	ck_assert_int_eq(mem_snapshot_find(snap, 21)->err, EACCES);
	ck_assert_int_eq(mem_snapshot_find(snap, 22)->state, MEM_PROC_KERNEL);
	ck_assert_int_eq(mem_snapshot_find(snap, 23)->state, MEM_PROC_VANISHED);
	ck_assert_int_eq(mem_snapshot_find(snap, 24)->state, MEM_PROC_ZOMBIE);
	mem_process_metrics(mem_snapshot_find(snap, 21), &m);
	ck_assert(!mem_metrics_has(&m, MEM_M_PSS));
	ck_assert_uint_eq(r->states.n[MEM_PROC_UNREADABLE], 1);
	ck_assert_uint_eq(r->states.n[MEM_PROC_VANISHED], 1);
	ck_assert_uint_eq(r->states.n[MEM_PROC_ZOMBIE], 1);
	ck_assert_uint_eq(r->states.n[MEM_PROC_KERNEL], 1);
	ck_assert(job(r, "/a")->tally->n_missing == 3);
	mem_ps_node_metrics(job(r, "/a"), &m);
	ck_assert_uint_eq(m.v[MEM_M_PSS], 100 * 1024ull);
	ck_assert_str_eq(summary, "1 process unreadable (permission denied), 1 vanished, 1 zombie; totals exclude them");
	/* the kernel thread is hidden, the others are listed */
	g_autofree char *ord = order(r);
	ck_assert_ptr_null(strstr(ord, "p:22"));
	ck_assert_ptr_nonnull(strstr(ord, "p:21"));
	report_done(r);
}
END_TEST

START_TEST(test_parent_cycle_terminates)
{
	/* 30 <-> 31 form a cycle, 32 is its own parent, 33 hangs below 31 */
	proc(30, 31, "a", "/", 10, 10, 0);
	proc(31, 30, "b", "/", 20, 20, 0);
	proc(32, 32, "c", "/", 30, 30, 0);
	proc(33, 31, "d", "/", 40, 40, 0);
	g_autoptr(MemSnapshot) snap = load();
	MemPsReport *r = report(snap, MEM_TREE_PARENT, NULL, FALSE);
	g_autofree char *ord = order(r);
	guint seen = 0;

	for (guint i = 0; i < r->nodes->len; i++)
		seen += ((MemPsNode *)g_ptr_array_index(r->nodes, i))->kind == MEM_PS_PROC;
	ck_assert_uint_eq(seen, 4);
	ck_assert_uint_eq(r->jobs->len, 0);
	ck_assert_ptr_nonnull(strstr(ord, "p:31 p:33")); /* 33 directly below its parent */
	report_done(r);
}
END_TEST

START_TEST(test_deep_hostile_cgroup)
{
	GString *deep = g_string_new("0::");
	for (int i = 0; i < 3000; i++)
		g_string_append(deep, "/d");
	g_string_append_c(deep, '\n');
	proc(40, 1, "deep", NULL, 10, 10, 0);
	put("40/cgroup", deep->str);
	g_string_free(deep, TRUE);
	g_autoptr(MemSnapshot) snap = load();
	MemPsReport *r = report(snap, MEM_TREE_CGROUP, NULL, FALSE);
	MemTextOptions to = { .max_indent = 64 };
	g_autoptr(MemTable) t = default_table(r);
	g_autoptr(GString) out = g_string_new(NULL);

	ck_assert_uint_le(r->jobs->len, 65); /* the path is cut at 64 levels */
	mem_render_text(t, &to, out);
	ck_assert_ptr_nonnull(strstr(out->str, "p:40"));
	report_done(r);
}
END_TEST

START_TEST(test_groups_and_filters)
{
	put("passwd", "root:x:0:0\nalice:x:1000:1000\n");
	proc_full(50, 1, "py", 'S', 0, 1000, "/u", 100, 0, 100, 0);
	proc_full(51, 1, "py", 'S', 0, 1000, "/u", 200, 0, 150, 50);
	proc_full(52, 1, "sh", 'S', 0, 0, "/s", 10, 0, 10, 0);
	g_autoptr(MemSnapshot) snap = load();
	MemPsOptions o = { .group = MEM_GROUP_USER };
	MemPsReport *r;
	guint32 uid = 0;

	r = mem_ps_report_new(snap, &o);
	ck_assert_uint_eq(r->roots->len, 2);
	{
		const MemPsNode *g = g_ptr_array_index(r->roots, 0);
		ck_assert_str_eq(g->id, "alice");
		ck_assert_uint_eq(g->tally->n_ok, 2);
		ck_assert_uint_eq(g->tally->sum.v[MEM_M_PSS], 300 * 1024ull);
	}
	mem_ps_report_free(r);

	ck_assert(mem_snapshot_user_id(snap, "alice", &uid));
	ck_assert_uint_eq(uid, 1000);
	o.group = MEM_GROUP_NONE;
	o.has_uid = TRUE;
	o.uid = 1000;
	o.cgroup = "/u/";
	r = mem_ps_report_new(snap, &o);
	ck_assert_uint_eq(r->selected->len, 2);
	mem_ps_report_free(r);

	o.has_uid = FALSE;
	o.cgroup = NULL;
	o.pattern = g_regex_new("^s", G_REGEX_RAW, 0, NULL);
	r = mem_ps_report_new(snap, &o);
	ck_assert_uint_eq(r->selected->len, 1);
	ck_assert_uint_eq(((MemProcess *)g_ptr_array_index(r->selected, 0))->pid, 52);
	mem_ps_report_free(r);
	g_regex_unref(o.pattern);
}
END_TEST

static void put_cmdline(guint pid, const char *args, gsize len)
{
	g_autofree char *path = g_strdup_printf("%s/%u/cmdline", snapdir, pid);
	ck_assert(g_file_set_contents(path, args, (gssize)len, NULL));
}

#define CMDLINE(pid, lit) put_cmdline(pid, lit, sizeof(lit) - 1)

static const MemPsNode *subtree(MemPsReport *r, guint32 pid)
{
	for (guint i = 0; i < r->subtrees->len; i++) {
		const MemPsNode *n = g_ptr_array_index(r->subtrees, i);
		if (n->proc->pid == pid)
			return n;
	}
	ck_abort_msg("no subtree %u", pid);
	return NULL;
}

/* Issue 8: a sum with no measured member is unknown; only additive metrics are summed; parent
 * subtrees; program groups; the tool itself left out of pattern matches. */
START_TEST(test_sums_subtrees_programs)
{
	proc(60, 1, "top", "/t", 100, 100, 7);
	proc(61, 60, "mid", "/t", 20, 20, 7);
	proc(62, 61, "leaf", "/t", 999, 999, 0);
	put("62/memcap.errors", "smaps_rollup EACCES\nsmaps EACCES\n");
	proc(63, 60, "renamed", "/t", 3, 3, 7);
	proc(64, 1, "deny1", "/none", 1, 1, 0);
	put("64/memcap.errors", "smaps_rollup EACCES\nsmaps EACCES\n");
	proc(65, 1, "deny2", "/none", 1, 1, 0);
	put("65/memcap.errors", "smaps_rollup EACCES\nsmaps EACCES\n");
	CMDLINE(60, "/usr/bin/prog\0--serve\0");
	CMDLINE(61, "sshd: root@pts/0\0");
	CMDLINE(62, "-bash\0");
	CMDLINE(63, "prog\0");
	CMDLINE(64, "");
	g_autoptr(MemSnapshot) snap = load();
	MemPsReport *r = report(snap, MEM_TREE_PARENT, NULL, FALSE);
	g_autofree char *ord = order(r);
	MemMetrics m;
	gsize len;
	const char *prog;

	ck_assert_str_eq(ord, "p:64 p:65 s:60 p:60 p:63 s:61 p:61 p:62");
	mem_ps_node_metrics(subtree(r, 60), &m);
	ck_assert_uint_eq(m.v[MEM_M_PSS], 123 * 1024ull);
	ck_assert(!mem_metrics_has(&m, MEM_M_SHARED));
	ck_assert(!mem_metrics_has(&m, MEM_M_RSS));
	ck_assert_uint_eq(subtree(r, 60)->tally->n_missing, 1);
	ck_assert(subtree(r, 61)->parent == subtree(r, 60));
	mem_ps_sum_metrics(&r->totals, &m);
	ck_assert_uint_eq(m.v[MEM_M_PSS], 123 * 1024ull);
	ck_assert(!mem_metrics_has(&m, MEM_M_SHARED)); /* the TOTAL does not add up SHARED either */
	report_done(r);

	r = report(snap, MEM_TREE_CGROUP, NULL, FALSE);
	mem_ps_node_metrics(job(r, "/none"), &m);
	ck_assert_uint_eq(m.known, 0); /* two unreadable processes: unknown, not 0 */
	{
		g_autoptr(MemTable) t = default_table(r);
		g_autoptr(GString) out = g_string_new(NULL);
		MemTextOptions to = { .ascii = TRUE };
		mem_render_text(t, &to, out);
		ck_assert_msg(strstr(out->str, "  j:none       -       -         /none [not measured]\n") != NULL, "%s", out->str);
	}
	report_done(r);

	prog = mem_ps_program_name(mem_snapshot_find(snap, 60), &len);
	ck_assert_int_eq((int)len, 4);
	ck_assert(strncmp(prog, "prog", len) == 0);
	prog = mem_ps_program_name(mem_snapshot_find(snap, 61), &len);
	ck_assert(len == 4 && strncmp(prog, "sshd", len) == 0);
	prog = mem_ps_program_name(mem_snapshot_find(snap, 62), &len);
	ck_assert(len == 4 && strncmp(prog, "bash", len) == 0);
	prog = mem_ps_program_name(mem_snapshot_find(snap, 64), &len);
	ck_assert(len == 5 && strncmp(prog, "deny1", len) == 0); /* empty cmdline: comm */
	prog = mem_ps_program_name(mem_snapshot_find(snap, 65), &len);
	ck_assert(len == 5 && strncmp(prog, "deny2", len) == 0); /* no cmdline file: comm */

	{
		MemPsOptions o = { .tree = MEM_TREE_NONE, .self_pid = 60 };
		o.pattern = g_regex_new("prog", G_REGEX_RAW, 0, NULL);
		r = mem_ps_report_new(snap, &o);
		ck_assert_uint_eq(r->selected->len, 1); /* 63 only: 60 is "the tool itself" */
		ck_assert_uint_eq(((MemProcess *)g_ptr_array_index(r->selected, 0))->pid, 63);
		g_regex_unref(o.pattern);
		report_done(r);
	}
}
END_TEST

START_TEST(test_smaps_fallback_and_malformed)
{
	/* no rollup: Σ smaps; a garbled rollup: unreadable, malformed, a problem naming the file */
	proc(60, 1, "old", "/", 0, 0, 0);
	rm_rel("60/smaps_rollup");
	put("60/smaps",
	    "00400000-00401000 r-xp 00000000 08:01 12 /bin/x\nSize: 4 kB\nRss: 4 kB\nPss: 2 kB\n"
	    "Shared_Clean: 4 kB\nShared_Dirty: 0 kB\nPrivate_Clean: 0 kB\nPrivate_Dirty: 0 kB\n"
	    "00601000-00603000 rw-p 00000000 00:00 0 [heap]\nSize: 8 kB\nRss: 8 kB\nPss: 8 kB\n"
	    "Shared_Clean: 0 kB\nShared_Dirty: 0 kB\nPrivate_Clean: 0 kB\nPrivate_Dirty: 8 kB\n");
	proc(61, 1, "bad", "/", 1, 1, 0);
	put("61/smaps_rollup", "junk\x01\x02 here\n");
	g_autoptr(MemSnapshot) snap = load();
	MemProcess *p = mem_snapshot_find(snap, 60);
	MemMetrics m;

	ck_assert_int_eq(p->state, MEM_PROC_OK);
	ck_assert(!p->mem_from_rollup);
	mem_process_metrics(p, &m);
	ck_assert_uint_eq(m.v[MEM_M_PSS], 10 * 1024ull);
	ck_assert_uint_eq(m.v[MEM_M_PRIVATE], 8 * 1024ull);
	ck_assert_uint_eq(m.v[MEM_M_SHARED], 4 * 1024ull);
	p = mem_snapshot_find(snap, 61);
	ck_assert_int_eq(p->state, MEM_PROC_UNREADABLE);
	ck_assert(p->malformed);
	ck_assert_uint_eq(snap->n_problems, 1);
	ck_assert_ptr_nonnull(strstr(g_ptr_array_index(snap->problems, 0), "61/smaps_rollup"));
}
END_TEST

/* mem_metric_fields(m) is exactly what mem_process_metrics() reads for m: with those fields kept the
 * metric is known and the same as with every field, without any one of them it is unknown. */
START_TEST(test_metric_fields)
{
	MemCounters c = { 0 };
	guint64 all_packed[MEM_F_COUNT], some_packed[MEM_F_COUNT];
	MemProcess all = { .state = MEM_PROC_OK }, some = { .state = MEM_PROC_OK };
	MemMetrics want, got;

	for (int f = 0; f < MEM_F_COUNT; f++)
		c.v[f] = 4096ull * (guint64)(f + 1);
	c.known = MEM_FIELDS_ALL;
	mem_process_pack_counters(&all, &c, MEM_FIELDS_ALL, all_packed);
	mem_process_metrics(&all, &want);
	for (int m = 0; m < MEM_M_COUNT; m++) {
		guint32 fields = mem_metric_fields(m);

		if (m == MEM_M_VSS) {
			ck_assert_uint_eq(fields, 0);
			continue;
		}
		ck_assert_msg(fields != 0, "metric %d reads no field", m);
		mem_process_pack_counters(&some, &c, fields, some_packed);
		mem_process_metrics(&some, &got);
		ck_assert_msg(mem_metrics_has(&got, m), "metric %d unknown with its fields", m);
		ck_assert_uint_eq(got.v[m], want.v[m]);
		for (guint32 rest = fields; rest; rest &= rest - 1) {
			mem_process_pack_counters(&some, &c, fields & ~(rest & -rest), some_packed);
			mem_process_metrics(&some, &got);
			ck_assert_msg(!mem_metrics_has(&got, m), "metric %d known without field %d", m,
			              __builtin_ctz(rest));
		}
	}
}
END_TEST

/* The text and CSV drawn a piece at a time (mem_render_ps_table) are the whole table's, byte for byte,
 * for more processes than a piece holds; and a load that keeps only the default columns' figures
 * (MemLoadOptions.fields, as memps does) gives the same table as one that keeps every figure. */
START_TEST(test_pieces_and_fields)
{
	const guint n = MEM_PS_PIECE_ROWS + 300;
	g_autoptr(GPtrArray) cols = mem_columns_default();
	MemTextOptions o = { 0 };

	for (guint i = 0; i < n; i++) {
		char cg[32];

		g_snprintf(cg, sizeof cg, "/g%u", i % 7);
		proc_full(100 + i, 1, i % 3 ? "w" : "long name", 'S', 0, 0, cg, 10 + i, i % 5, 3 * i, i % 11);
	}
	rm_rel("150/smaps_rollup"); /* an unreadable one among them */
	for (int csv = 0; csv <= 1; csv++) {
		g_autoptr(MemSnapshot) snap = load();
		g_autoptr(GError) err = NULL;
		g_autoptr(MemSource) src = mem_source_open(snapdir, &err);
		MemLoadOptions lo = { .files = MEM_FILE_CGROUP, .fields = mem_metric_fields(MEM_M_PSS) |
		                                                          mem_metric_fields(MEM_M_PRIVATE) |
		                                                          mem_metric_fields(MEM_M_SHARED) };
		g_autoptr(MemSnapshot) small = mem_snapshot_load(src, &lo, &err);
		MemPsReport *r = report(snap, MEM_TREE_CGROUP, NULL, FALSE);
		MemPsReport *rs = report(small, MEM_TREE_CGROUP, NULL, FALSE);
		g_autoptr(MemTable) whole = mem_ps_report_table(r, cols);
		g_autoptr(GString) expect = g_string_new(NULL), pieces = g_string_new(NULL), fields = g_string_new(NULL);

		ck_assert_msg(small != NULL, "%s", err ? err->message : "");
		ck_assert_uint_eq(mem_snapshot_find(small, 100)->mem_known, lo.fields);
		ck_assert_uint_gt(mem_snapshot_find(snap, 100)->mem_known, lo.fields);
		if (csv)
			mem_render_csv(whole, NULL, expect);
		else
			mem_render_text(whole, &o, expect);
		mem_render_ps_table(r, cols, csv, &o, pieces);
		mem_render_ps_table(rs, cols, csv, &o, fields);
		ck_assert_uint_gt(expect->len, n * 20);
		ck_assert_str_eq(pieces->str, expect->str);
		ck_assert_str_eq(fields->str, expect->str);
		report_done(r);
		report_done(rs);
	}
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, snapdir_setup, snapdir_teardown);
	tcase_add_test(tc, test_cgroup_tree_sums);
	tcase_add_test(tc, test_unreadable_is_not_zero);
	tcase_add_test(tc, test_parent_cycle_terminates);
	tcase_add_test(tc, test_deep_hostile_cgroup);
	tcase_add_test(tc, test_groups_and_filters);
	tcase_add_test(tc, test_smaps_fallback_and_malformed);
	tcase_add_test(tc, test_sums_subtrees_programs);
	tcase_add_test(tc, test_metric_fields);
	tcase_add_test(tc, test_pieces_and_fields);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(report_suite());
}
