/* check-parse-proc.c: Check unit tests for the status, stat, cmdline and cgroup parsers (parser layer tests) */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "check-parse-common.h"
#include "error.h"
#include "parse.h"
#include "../common/check-run.h"

/* ---- status ---- */

static const char status_6_x[] =
	"Name:\tcat\n"
	"Umask:\t0022\n"
	"State:\tR (running)\n"
	"Tgid:\t21375\n"
	"Ngid:\t0\n"
	"Pid:\t21375\n"
	"PPid:\t21369\n"
	"TracerPid:\t0\n"
	"Uid:\t1000\t1001\t1002\t1003\n"
	"Gid:\t0\t0\t0\t0\n"
	"FDSize:\t256\n"
	"Groups:\t \n"
	"NStgid:\t21375\n"
	"Kthread:\t0\n"
	"VmPeak:\t    3060 kB\n"
	"VmSize:\t    3060 kB\n"
	"VmLck:\t       0 kB\n"
	"VmHWM:\t    1696 kB\n"
	"VmRSS:\t    1696 kB\n"
	"RssAnon:\t     116 kB\n"
	"RssFile:\t    1580 kB\n"
	"RssShmem:\t       0 kB\n"
	"VmData:\t     360 kB\n"
	"VmSwap:\t       4 kB\n"
	"THP_enabled:\t1\n"
	"untag_mask:\t0xffffffffffffffff\n"
	"Threads:\t1\n"
	"SigQ:\t0/96365\n"
	"Cpus_allowed_list:\t0-1\n"
	"voluntary_ctxt_switches:\t0\n";

/* 2.6-era: no RssAnon/RssFile/RssShmem, no VmSwap, no Kthread; a name with an escaped newline. */
static const char status_2_6[] =
	"Name:\tmy\\nproc\n"
	"State:\tS (sleeping)\n"
	"SleepAVG:\t98%\n"
	"Tgid:\t812\n"
	"Pid:\t812\n"
	"PPid:\t1\n"
	"TracerPid:\t0\n"
	"Uid:\t0\t0\t0\t0\n"
	"Gid:\t0\t0\t0\t0\n"
	"FDSize:\t32\n"
	"Groups:\t\n"
	"VmPeak:\t    5000 kB\n"
	"VmSize:\t    4000 kB\n"
	"VmLck:\t       0 kB\n"
	"VmHWM:\t    1200 kB\n"
	"VmRSS:\t    1100 kB\n"
	"VmData:\t     300 kB\n"
	"Threads:\t1\n";

/* a kernel thread on 6.x: no Vm lines at all */
static const char status_kthread[] =
	"Name:\tkworker/0:1H\n"
	"State:\tI (idle)\n"
	"Tgid:\t42\n"
	"PPid:\t2\n"
	"Uid:\t0\t0\t0\t0\n"
	"Kthread:\t1\n"
	"Threads:\t1\n";

/* extremes: a name starting with a blank, the largest kB values and uids */
static const char status_extreme[] =
	"Name:\t  two spaces)\n"
	"State:\tZ (zombie)\n"
	"Tgid:\t9223372036854775807\n"
	"PPid:\t0\n"
	"Uid:\t4294967295\t4294967294\t0\t0\n"
	"VmRSS:\t18014398509481983 kB\n";

static const struct {
	const char *text;
	guint32 known;
	const char *name;
	char state;
	gint64 tgid, ppid;
	guint32 uid, euid;
	guint64 vm_size, vm_rss, rss_anon, rss_file, vm_swap;
	gboolean kthread;
} status_ok[] = {
	{ status_6_x,
	  MEM_STATUS_NAME | MEM_STATUS_STATE | MEM_STATUS_TGID | MEM_STATUS_PPID | MEM_STATUS_UID | MEM_STATUS_KTHREAD |
	      MEM_STATUS_VM_SIZE | MEM_STATUS_VM_RSS | MEM_STATUS_RSS_ANON | MEM_STATUS_RSS_FILE |
	      MEM_STATUS_RSS_SHMEM | MEM_STATUS_VM_SWAP,
	  "cat", 'R', 21375, 21369, 1000, 1001, KB(3060), KB(1696), KB(116), KB(1580), KB(4), FALSE },
	{ status_2_6,
	  MEM_STATUS_NAME | MEM_STATUS_STATE | MEM_STATUS_TGID | MEM_STATUS_PPID | MEM_STATUS_UID | MEM_STATUS_VM_SIZE |
	      MEM_STATUS_VM_RSS,
	  "my\\nproc", 'S', 812, 1, 0, 0, KB(4000), KB(1100), 0, 0, 0, FALSE },
	{ status_kthread,
	  MEM_STATUS_NAME | MEM_STATUS_STATE | MEM_STATUS_TGID | MEM_STATUS_PPID | MEM_STATUS_UID | MEM_STATUS_KTHREAD,
	  "kworker/0:1H", 'I', 42, 2, 0, 0, 0, 0, 0, 0, 0, TRUE },
	{ status_extreme,
	  MEM_STATUS_NAME | MEM_STATUS_STATE | MEM_STATUS_TGID | MEM_STATUS_PPID | MEM_STATUS_UID | MEM_STATUS_VM_RSS,
	  "  two spaces)", 'Z', G_MAXINT64, 0, G_MAXUINT32, G_MAXUINT32 - 1, 0, G_MAXUINT64 - 1023, 0, 0, 0, FALSE },
};

START_TEST(test_status_ok)
{
	MemStatus st;
	GError *err = NULL;
	const char *t = status_ok[_i].text;

	ck_assert_msg(mem_parse_status(t, strlen(t), &st, &err), "%s", err ? err->message : "");
	ck_assert_uint_eq(st.known, status_ok[_i].known);
	ck_assert_uint_eq(st.name_len, strlen(status_ok[_i].name));
	ck_assert(memcmp(st.name, status_ok[_i].name, st.name_len) == 0);
	ck_assert_int_eq(st.state, status_ok[_i].state);
	ck_assert_int_eq(st.tgid, status_ok[_i].tgid);
	ck_assert_int_eq(st.ppid, status_ok[_i].ppid);
	ck_assert_uint_eq(st.uid_real, status_ok[_i].uid);
	ck_assert_uint_eq(st.uid_effective, status_ok[_i].euid);
	ck_assert_uint_eq(st.vm_size, status_ok[_i].vm_size);
	ck_assert_uint_eq(st.vm_rss, status_ok[_i].vm_rss);
	ck_assert_uint_eq(st.rss_anon, status_ok[_i].rss_anon);
	ck_assert_uint_eq(st.rss_file, status_ok[_i].rss_file);
	ck_assert_uint_eq(st.vm_swap, status_ok[_i].vm_swap);
	ck_assert_int_eq(st.kthread, status_ok[_i].kthread);
}
END_TEST

#define SNAME "Name:\tx\n"
#define SUID "Uid:\t0\t0\t0\t0\n"
static const struct {
	const char *text;
	gsize len;
	int code;
	guint line;
	const char *needle;
} status_bad[] = {
	{ "", 0, MEM_ERROR_PARSE, 1, "no Name field" },
	{ SUID, 0, MEM_ERROR_PARSE, 1, "no Name field" },
	{ SNAME "State:\tS\n", 0, MEM_ERROR_PARSE, 2, "no Uid field" },
	{ SNAME SUID "VmRSS:\t 12", 0, MEM_ERROR_TRUNCATED, 3, "no newline" },
	{ SNAME "Uid:\t0\t0\t0\n", 0, MEM_ERROR_PARSE, 2, "Uid: expected a number" },
	{ SNAME "Uid:\t0\t0\t0\t0\t0\n", 0, MEM_ERROR_PARSE, 2, "Uid: expected a number" },
	{ SNAME "Uid:\t4294967296\t0\t0\t0\n", 0, MEM_ERROR_PARSE, 2, "Uid: value too large for 32 bits" },
	{ SNAME "Uid:\t-1\t0\t0\t0\n", 0, MEM_ERROR_PARSE, 2, "Uid: negative" },
	{ SNAME "Uid:\t18446744073709551616\t0\t0\t0\n", 0, MEM_ERROR_PARSE, 2, "Uid: value too large for 64" },
	{ SNAME SUID "PPid:\t-1\n", 0, MEM_ERROR_PARSE, 3, "PPid: negative" },
	{ SNAME SUID "Tgid:\t9223372036854775808\n", 0, MEM_ERROR_PARSE, 3, "Tgid: value too large" },
	{ SNAME SUID "PPid:\t12x\n", 0, MEM_ERROR_PARSE, 3, "PPid: expected a number" },
	{ SNAME SUID "VmRSS:\t18014398509481984 kB\n", 0, MEM_ERROR_PARSE, 3, "VmRSS: value too large" },
	{ SNAME SUID "VmRSS:\t18446744073709551615 kB\n", 0, MEM_ERROR_PARSE, 3, "VmRSS: value too large" },
	{ SNAME SUID "VmSwap:\t12\n", 0, MEM_ERROR_PARSE, 3, "VmSwap: expected a number" },
	{ SNAME SUID "Kthread:\t2\n", 0, MEM_ERROR_PARSE, 3, "Kthread" },
	{ SNAME SUID "State:\t\n", 0, MEM_ERROR_PARSE, 3, "State" },
	{ SNAME SUID "garbage\x1b]0;title\a\n", 0, MEM_ERROR_PARSE, 3, "garbage\\x1b]0;title\\x07" },
	{ SNAME SUID "VmRSS:\t1\0 kB\n", sizeof(SNAME SUID "VmRSS:\t1\0 kB\n") - 1, MEM_ERROR_PARSE, 3, "\\x00" },
};

START_TEST(test_status_bad)
{
	MemStatus st;
	GError *err = NULL;
	const char *t = status_bad[_i].text;

	ck_assert_msg(!mem_parse_status(t, status_bad[_i].len ? status_bad[_i].len : strlen(t), &st, &err),
	              "case %d parsed", _i);
	assert_error(err, status_bad[_i].code, status_bad[_i].line, status_bad[_i].needle);
	g_error_free(err);
}
END_TEST

/* ---- stat ---- */

static const char stat_cat[] =
	"21374 (cat) R 21369 21369 7129 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 57175 3133440 359 "
	"18446744073709551615 94374213955584 94374213975465 140720455633584 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

static const struct {
	const char *text;
	gsize len;
	gint64 pid, ppid;
	const char *comm;
	gsize comm_len;
	char state;
	guint64 flags, starttime, vsize;
	gint64 rss;
	gboolean has_flags;
} stat_ok[] = {
	{ stat_cat, 0, 21374, 21369, "cat", 3, 'R', 4194304, 57175, 3133440, 359, TRUE },
	/* comm with spaces and ')' */
	{ "42 (a) b) c) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 4096 1\n", 0, 42, 1, "a) b) c", 7, 'S',
	  4194560, 100, 4096, 1, TRUE },
	/* comm with a newline and ESC, '(' inside */
	{ "7 (x\n\x1b[2J(y) D 6 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n", 0, 7, 6, "x\n\x1b[2J(y", 8, 'D', 0, 5, 0,
	  0, TRUE },
	/* an empty comm, a kernel thread, negative priority and nice */
	{ "2 () S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 -100 -20 1 0 3 0 0 18446744073709551615 1\n", 0, 2, 0, "", 0, 'S',
	  2129984, 3, 0, 0, TRUE },
	/* a comm with a NUL byte and no final newline */
	{ "9 (a\0b) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 18446744073709551615 18446744073709551615 "
	  "9223372036854775807",
	  sizeof("9 (a\0b) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 18446744073709551615 18446744073709551615 "
	         "9223372036854775807") - 1,
	  9, 1, "a\0b", 3, 'S', 0, G_MAXUINT64, G_MAXUINT64, G_MAXINT64, TRUE },
	/* short: fields stop before flags */
	{ "1 (init) S 0\n", 0, 1, 0, "init", 4, 'S', 0, 0, 0, 0, FALSE },
	{ "1 (init) S 0 1 1 0 -1 256 \n", 0, 1, 0, "init", 4, 'S', 256, 0, 0, 0, FALSE },
};

START_TEST(test_stat_ok)
{
	MemStat st;
	GError *err = NULL;
	const char *t = stat_ok[_i].text;

	ck_assert_msg(mem_parse_stat(t, stat_ok[_i].len ? stat_ok[_i].len : strlen(t), &st, &err), "case %d: %s", _i,
	              err ? err->message : "");
	ck_assert_int_eq(st.pid, stat_ok[_i].pid);
	ck_assert_int_eq(st.ppid, stat_ok[_i].ppid);
	ck_assert_uint_eq(st.comm_len, stat_ok[_i].comm_len);
	ck_assert(memcmp(st.comm, stat_ok[_i].comm, st.comm_len) == 0);
	ck_assert_int_eq(st.state, stat_ok[_i].state);
	ck_assert_int_eq(st.has_flags, stat_ok[_i].has_flags);
	if (st.has_flags) {
		ck_assert_uint_eq(st.flags, stat_ok[_i].flags);
		ck_assert_uint_eq(st.starttime, stat_ok[_i].starttime);
		ck_assert_uint_eq(st.vsize, stat_ok[_i].vsize);
		ck_assert_int_eq(st.rss_pages, stat_ok[_i].rss);
	}
}
END_TEST

START_TEST(test_stat_kthread_flag)
{
	MemStat st;
	GError *err = NULL;
	const char *t = stat_ok[3].text;

	ck_assert(mem_parse_stat(t, strlen(t), &st, &err));
	ck_assert(st.flags & MEM_PF_KTHREAD);
	ck_assert(mem_parse_stat(stat_cat, strlen(stat_cat), &st, &err));
	ck_assert(!(st.flags & MEM_PF_KTHREAD));
}
END_TEST

static const struct {
	const char *text;
	int code;
	const char *needle;
} stat_bad[] = {
	{ "", MEM_ERROR_PARSE, "stat field 1: expected a number" },
	{ "\n", MEM_ERROR_PARSE, "stat field 1: expected a number" },
	{ "-1 (x) S 0\n", MEM_ERROR_PARSE, "stat field 1: negative" },
	{ "18446744073709551616 (x) S 0\n", MEM_ERROR_PARSE, "stat field 1: value too large" },
	{ "9223372036854775808 (x) S 0\n", MEM_ERROR_PARSE, "stat field 1: value too large" },
	{ "12 x) S 0\n", MEM_ERROR_PARSE, "expected ' ('" },
	{ "12 (x S 0\n", MEM_ERROR_PARSE, "no ')'" },
	{ "12 (\x1b[1mx S 0\n", MEM_ERROR_PARSE, "\\x1b[1mx" },
	{ "12 (x)\n", MEM_ERROR_PARSE, "one-letter state" },
	{ "12 (x) SS 0\n", MEM_ERROR_PARSE, "one-letter state" },
	{ "12 (x)  S 0\n", MEM_ERROR_PARSE, "one-letter state" },
	{ "12 (x) S\n", MEM_ERROR_TRUNCATED, "before the parent pid" },
	{ "12 (x) S -1\n", MEM_ERROR_PARSE, "stat field 4: negative" },
	{ "12 (x) S 1x\n", MEM_ERROR_PARSE, "stat field 4: expected a number" },
	{ "12 (x) S 1 1 1 0 -1 -5\n", MEM_ERROR_PARSE, "stat field 9: negative" },
	{ "12 (x) S 1 1 1 0 -1 18446744073709551616\n", MEM_ERROR_PARSE, "stat field 9: value too large" },
	{ "12 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 18446744073709551616 0\n", MEM_ERROR_PARSE,
	  "stat field 23: value too large" },
	{ "12 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 -1\n", MEM_ERROR_PARSE, "stat field 24: negative" },
	{ "12 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 9223372036854775808\n", MEM_ERROR_PARSE,
	  "stat field 24: value too large" },
	{ "12 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 -- 20 0 1 0 5 0 0\n", MEM_ERROR_PARSE, "stat field 17" },
	{ "12 (x) S 1  1\n", MEM_ERROR_PARSE, "stat field 5" },
};

START_TEST(test_stat_bad)
{
	MemStat st;
	GError *err = NULL;
	const char *t = stat_bad[_i].text;

	ck_assert_msg(!mem_parse_stat(t, strlen(t), &st, &err), "case %d parsed", _i);
	assert_error(err, stat_bad[_i].code, 1, stat_bad[_i].needle);
	g_error_free(err);
}
END_TEST

/* ---- comm: the name as stat has it ---- */

START_TEST(test_comm_as_stat)
{
	/* comm is the name and a newline; stat has the same bytes between "(" and the last ")" */
	static const char *const names[] = { "bash", "", "a) (b", "x\ny", "\n", "))", "kworker/0:1-events" };
	g_autoptr(GString) stat = g_string_new(NULL);
	g_autoptr(GString) comm = g_string_new(NULL);
	g_autofree char *longname = g_strnfill(300, 'n');
	MemStat st;
	GError *err = NULL;

	for (guint i = 0; i <= G_N_ELEMENTS(names); i++) {
		const char *name = i < G_N_ELEMENTS(names) ? names[i] : longname;
		gsize n;

		g_string_printf(stat, "12 (%s) S 1\n", name);
		g_string_printf(comm, "%s\n", name);
		ck_assert_msg(mem_parse_stat(stat->str, stat->len, &st, &err), "%s", err ? err->message : "");
		n = mem_parse_comm(comm->str, comm->len);
		ck_assert_uint_eq(n, st.comm_len);
		ck_assert(memcmp(comm->str, st.comm, n) == 0);
	}
	ck_assert_uint_eq(mem_parse_comm(longname, 300), MEM_NAME_MAX);
	ck_assert_uint_eq(mem_parse_comm("ab", 2), 2); /* no newline: all of it */
	ck_assert_uint_eq(mem_parse_comm("", 0), 0);
}
END_TEST

/* ---- cmdline ---- */

static const struct {
	const char *text;
	gsize len;
	guint n;
	const char *args[4];
} cmdline_cases[] = {
	{ "", 0, 0, { NULL } },
	{ "/bin/sh\0-c\0echo hi\0", 19, 3, { "/bin/sh", "-c", "echo hi" } },
	/* argv rewritten by the process: no final NUL */
	{ "nginx: worker process", 21, 1, { "nginx: worker process" } },
	{ "a\0b", 3, 2, { "a", "b" } },
	/* empty arguments are arguments */
	{ "\0", 1, 1, { "" } },
	{ "a\0\0b\0", 5, 3, { "a", "", "b" } },
	/* control bytes are kept raw (escaping is the renderer's job) */
	{ "\x1b[31m\0\n\0", 8, 2, { "\x1b[31m", "\n" } },
};

START_TEST(test_cmdline)
{
	MemCmdlineCut cut = { 1, 1 };
	GPtrArray *a = mem_parse_cmdline(cmdline_cases[_i].text, cmdline_cases[_i].len, &cut);

	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(cut.args_dropped, 0);
	ck_assert_uint_eq(cut.bytes_dropped, 0);
	ck_assert_uint_eq(a->len, cmdline_cases[_i].n);
	for (guint i = 0; i < a->len; i++)
		ck_assert_str_eq(g_ptr_array_index(a, i), cmdline_cases[_i].args[i]);
	g_ptr_array_unref(a);
}
END_TEST

/* Issue 8, hostile input 1: limits apply before allocation, and what they leave out is counted. */
START_TEST(test_cmdline_limits)
{
	gsize n = 64 * 1024 * 1024;
	g_autofree char *zeros = g_malloc0(n);
	g_autoptr(GString) s = g_string_new(NULL);
	MemCmdlineCut cut;
	GPtrArray *a;

	/* 64 MiB of NULs: 64 Mi empty arguments, 4096 kept */
	a = mem_parse_cmdline(zeros, n, &cut);
	ck_assert_uint_eq(a->len, MEM_CMDLINE_MAX_ARGS);
	ck_assert_str_eq(g_ptr_array_index(a, MEM_CMDLINE_MAX_ARGS - 1), "");
	ck_assert_uint_eq(cut.args_dropped, n - MEM_CMDLINE_MAX_ARGS);
	ck_assert_uint_eq(cut.bytes_dropped, 0);
	g_ptr_array_unref(a);
	/* exactly the limit: whole */
	a = mem_parse_cmdline(zeros, MEM_CMDLINE_MAX_ARGS, &cut);
	ck_assert_uint_eq(a->len, MEM_CMDLINE_MAX_ARGS);
	ck_assert_uint_eq(cut.args_dropped, 0);
	g_ptr_array_unref(a);
	/* one argument longer than the kernel allows is cut to MEM_CMDLINE_MAX_ARG, the rest counted;
	 * the next one is kept */
	memset(zeros, 'a', MEM_CMDLINE_MAX_ARG + 10);
	zeros[MEM_CMDLINE_MAX_ARG + 10] = '\0';
	memcpy(zeros + MEM_CMDLINE_MAX_ARG + 11, "b\0", 2);
	a = mem_parse_cmdline(zeros, MEM_CMDLINE_MAX_ARG + 13, &cut);
	ck_assert_uint_eq(a->len, 2);
	ck_assert_uint_eq(strlen(g_ptr_array_index(a, 0)), MEM_CMDLINE_MAX_ARG);
	ck_assert_str_eq(g_ptr_array_index(a, 1), "b");
	ck_assert_uint_eq(cut.args_dropped, 0);
	ck_assert_uint_eq(cut.bytes_dropped, 10);
	g_ptr_array_unref(a);
	/* the total: 20 arguments of 100 KiB keep 1 MiB, the 11th cut, 9 dropped */
	for (int i = 0; i < 20; i++) {
		for (int k = 0; k < 100 * 1024; k++)
			g_string_append_c(s, (char)('a' + i));
		g_string_append_c(s, '\0');
	}
	a = mem_parse_cmdline(s->str, s->len, &cut);
	ck_assert_uint_eq(a->len, 11);
	ck_assert_uint_eq(strlen(g_ptr_array_index(a, 10)), MEM_CMDLINE_MAX_BYTES - 10 * 100 * 1024);
	ck_assert_uint_eq(cut.args_dropped, 9);
	ck_assert_uint_eq(cut.bytes_dropped, 20 * 100 * 1024 - MEM_CMDLINE_MAX_BYTES);
	g_ptr_array_unref(a);
	/* NULL cut is allowed */
	g_ptr_array_unref(mem_parse_cmdline("a\0b", 3, NULL));
}
END_TEST

/* Names are cut to MEM_NAME_MAX bytes before anyone copies them; a 64-byte kernel thread name is whole. */
START_TEST(test_name_limits)
{
	g_autoptr(GString) stat = g_string_new("42 (");
	g_autoptr(GString) status = g_string_new("Name:\t");
	g_autofree char *long_name = g_strnfill(1 << 20, 'n');
	g_autofree char *kname = g_strnfill(64, 'k');
	MemStat st;
	MemStatus ss;
	GError *err = NULL;

	g_string_append(stat, long_name);
	g_string_append(stat, ") S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 1000000 10\n");
	ck_assert_msg(mem_parse_stat(stat->str, stat->len, &st, &err), "%s", err ? err->message : "");
	ck_assert_uint_eq(st.comm_len, MEM_NAME_MAX);
	ck_assert_int_eq(st.ppid, 1);
	ck_assert_uint_eq(st.rss_pages, 10);
	g_string_append(status, long_name);
	g_string_append(status, "\nUid:\t0\t0\t0\t0\n");
	ck_assert_msg(mem_parse_status(status->str, status->len, &ss, &err), "%s", err ? err->message : "");
	ck_assert_uint_eq(ss.name_len, MEM_NAME_MAX);
	ck_assert_uint_eq(ss.uid_real, 0);
	g_string_printf(stat, "7 (%s) S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0\n", kname);
	ck_assert(mem_parse_stat(stat->str, stat->len, &st, &err));
	ck_assert_uint_eq(st.comm_len, 64);
}
END_TEST

/* ---- cgroup ---- */

static const struct {
	const char *text;
	const char *path;
} cgroup_ok[] = {
	{ "", "/" },
	{ "0::/\n", "/" },
	{ "0::/user.slice/user-1000.slice/session-2.scope\n", "/user.slice/user-1000.slice/session-2.scope" },
	/* this machine's hybrid layout: v2 and systemd at the root, memory below */
	{ "9:name=systemd:/\n8:pids:/\n7:blkio:/\n4:memory:/process_api/79baf633\n3:cpuset:/\n0::/\n",
	  "/process_api/79baf633" },
	/* v1 with systemd: systemd wins over memory */
	{ "12:memory:/system.slice/foo\n1:name=systemd:/system.slice/ssh.service\n", "/system.slice/ssh.service" },
	/* v2 wins over both, whatever the line order */
	{ "1:name=systemd:/a\n4:memory:/b\n0::/c\n", "/c" },
	/* v1 with memory in a list of controllers; substrings do not count */
	{ "5:nomemory:/x\n6:cpu,memory,io:/mem/job\n", "/mem/job" },
	{ "5:memoryfoo:/x\n", "/" },
	/* all at the root */
	{ "1:name=systemd:/\n2:memory:/\n0::/\n", "/" },
	/* paths with ':' and spaces; a last line without newline */
	{ "0::/a:b c/d (deleted)", "/a:b c/d (deleted)" },
	/* the first of duplicate lines counts */
	{ "0::/first\n0::/second\n", "/first" },
	/* the v2 line is "0::" exactly; a v1 hierarchy 0 with controllers is not it */
	{ "0:cpu:/x\n", "/" },
	/* a cgroup namespace view */
	{ "0::/../../sibling\n", "/../../sibling" },
};

START_TEST(test_cgroup_ok)
{
	GError *err = NULL;
	const char *t = cgroup_ok[_i].text;
	char *path = mem_parse_cgroup(t, strlen(t), &err);

	ck_assert_msg(path != NULL, "%s", err ? err->message : "");
	ck_assert_str_eq(path, cgroup_ok[_i].path);
	g_free(path);
}
END_TEST

static const struct {
	const char *text;
	gsize len;
	guint line;
	const char *needle;
} cgroup_bad[] = {
	{ "garbage\n", 0, 1, "expected 'id:controllers:path'" },
	{ "0::/\n\n", 0, 2, "expected 'id:controllers:path'" },
	{ "0:/\n", 0, 1, "expected 'id:controllers:path'" },
	{ "x:memory:/\n", 0, 1, "bad hierarchy id" },
	{ ":memory:/\n", 0, 1, "bad hierarchy id" },
	{ "-1::/\n", 0, 1, "bad hierarchy id" },
	{ "18446744073709551616::/\n", 0, 1, "bad hierarchy id" },
	{ "0::/\n1:memory:relative\n", 0, 2, "does not start with '/'" },
	{ "0::\n", 0, 1, "does not start with '/'" },
	{ "0::/a\0b\n", 8, 1, "NUL byte" },
	{ "0::/\n\x1b[2J\n", 0, 2, "\\x1b[2J" },
};

START_TEST(test_cgroup_bad)
{
	GError *err = NULL;
	const char *t = cgroup_bad[_i].text;
	char *path = mem_parse_cgroup(t, cgroup_bad[_i].len ? cgroup_bad[_i].len : strlen(t), &err);

	ck_assert_msg(path == NULL, "case %d gave %s", _i, path);
	assert_error(err, MEM_ERROR_PARSE, cgroup_bad[_i].line, cgroup_bad[_i].needle);
	g_error_free(err);
}
END_TEST

static Suite *parse_proc_suite(void)
{
	Suite *s = suite_create("parse-proc");
	TCase *tc = tcase_create("status");

	tcase_add_loop_test(tc, test_status_ok, 0, G_N_ELEMENTS(status_ok));
	tcase_add_loop_test(tc, test_status_bad, 0, G_N_ELEMENTS(status_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("stat");
	tcase_add_loop_test(tc, test_stat_ok, 0, G_N_ELEMENTS(stat_ok));
	tcase_add_test(tc, test_stat_kthread_flag);
	tcase_add_loop_test(tc, test_stat_bad, 0, G_N_ELEMENTS(stat_bad));
	tcase_add_test(tc, test_comm_as_stat);
	suite_add_tcase(s, tc);

	tc = tcase_create("cmdline");
	tcase_add_loop_test(tc, test_cmdline, 0, G_N_ELEMENTS(cmdline_cases));
	tcase_add_test(tc, test_cmdline_limits);
	tcase_add_test(tc, test_name_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("cgroup");
	tcase_add_loop_test(tc, test_cgroup_ok, 0, G_N_ELEMENTS(cgroup_ok));
	tcase_add_loop_test(tc, test_cgroup_bad, 0, G_N_ELEMENTS(cgroup_bad));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(parse_proc_suite());
}
