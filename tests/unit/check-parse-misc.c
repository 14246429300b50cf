/* check-parse-misc.c: Check unit tests for meminfo, cgroup memory.stat and memory.current, passwd, a recording's fds/dev-shm/memcap.info, the number helpers and field lookup (parser layer tests) */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "check-parse-common.h"
#include "error.h"
#include "parse-memstat.h"
#include "parse-zram.h"
#include "parse-util.h"
#include "parse.h"
#include "../common/check-run.h"

/* ---- number helpers ---- */

static const struct {
	const char *text;
	gboolean ok;
	guint64 value;
	gsize consumed;
} u64_cases[] = {
	{ "0", TRUE, 0, 1 },
	{ "18446744073709551615", TRUE, G_MAXUINT64, 20 },
	{ "18446744073709551616", FALSE, 0, 0 },
	{ "18446744073709551620", FALSE, 0, 0 },
	{ "99999999999999999999", FALSE, 0, 0 },
	{ "000000000000000000000018446744073709551615", TRUE, G_MAXUINT64, 42 },
	{ "12 kB", TRUE, 12, 2 },
	{ "", FALSE, 0, 0 },
	{ "-1", FALSE, 0, 0 },
	{ "+1", FALSE, 0, 0 },
	{ " 1", FALSE, 0, 0 },
};

START_TEST(test_u64)
{
	const char *t = u64_cases[_i].text, *end;
	guint64 v = 12345;

	ck_assert_int_eq(mem_parse_u64(t, t + strlen(t), &v, &end), u64_cases[_i].ok);
	if (u64_cases[_i].ok) {
		ck_assert_uint_eq(v, u64_cases[_i].value);
		ck_assert_uint_eq((gsize)(end - t), u64_cases[_i].consumed);
	}
}
END_TEST

static const struct {
	const char *text;
	gboolean ok;
	guint64 value;
} x64_cases[] = {
	{ "0", TRUE, 0 },
	{ "ffffffffffffffff", TRUE, G_MAXUINT64 },
	{ "FFFFFFFFFFFFFFFF", TRUE, G_MAXUINT64 },
	{ "0000ffffffffffffffff", TRUE, G_MAXUINT64 },
	{ "10000000000000000", FALSE, 0 },
	{ "7f1c2a400000-", TRUE, 0x7f1c2a400000 },
	{ "g", FALSE, 0 },
	{ "", FALSE, 0 },
};

START_TEST(test_x64)
{
	const char *t = x64_cases[_i].text, *end;
	guint64 v = 12345;

	ck_assert_int_eq(mem_parse_x64(t, t + strlen(t), &v, &end), x64_cases[_i].ok);
	if (x64_cases[_i].ok)
		ck_assert_uint_eq(v, x64_cases[_i].value);
}
END_TEST

START_TEST(test_u64_limit)
{
	/* Digits past the limit are not read. */
	const char t[] = "123456";
	const char *end;
	guint64 v;

	ck_assert(mem_parse_u64(t, t + 3, &v, &end));
	ck_assert_uint_eq(v, 123);
	ck_assert_ptr_eq(end, t + 3);
	ck_assert(!mem_parse_u64(t, t, &v, &end));
}
END_TEST

static const struct {
	const char *text;
	gboolean unit_optional;
	MemNumStatus st;
	guint64 value;
	gboolean has_kb;
} kb_cases[] = {
	{ "   4 kB", FALSE, MEM_NUM_OK, KB(4), TRUE },
	{ "\t 4 kB  ", FALSE, MEM_NUM_OK, KB(4), TRUE },
	{ "18014398509481983 kB", FALSE, MEM_NUM_OK, G_MAXUINT64 - 1023, TRUE },
	{ "18014398509481984 kB", FALSE, MEM_NUM_OVERFLOW, 0, FALSE },
	{ "18446744073709551615 kB", FALSE, MEM_NUM_OVERFLOW, 0, FALSE },
	{ "18446744073709551616 kB", FALSE, MEM_NUM_OVERFLOW, 0, FALSE },
	{ "18446744073709551615", TRUE, MEM_NUM_OK, G_MAXUINT64, FALSE },
	{ "18446744073709551616", TRUE, MEM_NUM_OVERFLOW, 0, FALSE },
	{ "4", FALSE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "4", TRUE, MEM_NUM_OK, 4, FALSE },
	{ "4kB", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "4 KB", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "4 kB x", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "4 k", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "-4 kB", TRUE, MEM_NUM_NEGATIVE, 0, FALSE },
	{ "", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
	{ "kB", TRUE, MEM_NUM_SYNTAX, 0, FALSE },
};

START_TEST(test_kb_value)
{
	const char *t = kb_cases[_i].text;
	guint64 v = 0;
	gboolean has_kb = FALSE;

	ck_assert_int_eq(mem_parse_kb_value(t, t + strlen(t), kb_cases[_i].unit_optional, &v, &has_kb),
	                 kb_cases[_i].st);
	if (kb_cases[_i].st == MEM_NUM_OK) {
		ck_assert_uint_eq(v, kb_cases[_i].value);
		ck_assert_int_eq(has_kb, kb_cases[_i].has_kb);
	}
}
END_TEST

START_TEST(test_excerpt)
{
	static const char raw[] = "a\x1b[31m\n\t\\'\x7f\xff\0z";
	char *s = mem_parse_excerpt(raw, sizeof raw - 1);
	GString *big = g_string_new(NULL);
	char *t;

	ck_assert_str_eq(s, "a\\x1b[31m\\n\\t\\\\\\'\\x7f\\xff\\x00z");
	g_free(s);
	for (int i = 0; i < 1000; i++)
		g_string_append_c(big, '\x01');
	t = mem_parse_excerpt(big->str, big->len);
	/* capped: 40 bytes of 4 characters each, then "..." */
	ck_assert_uint_eq(strlen(t), 40 * 4 + 3);
	ck_assert(g_str_has_suffix(t, "..."));
	g_free(t);
	g_string_free(big, TRUE);
}
END_TEST

/* ---- field names ---- */

START_TEST(test_field_lookup)
{
	for (int f = 0; f < MEM_F_COUNT; f++) {
		const char *n = mem_field_name((MemField)f);
		ck_assert_int_eq(mem_field_lookup(n, strlen(n)), f);
	}
	ck_assert_int_eq(mem_field_lookup("Pss_Anon", 8), MEM_F_PSS_ANON);
	ck_assert_int_eq(mem_field_lookup("Pss_Anon", 3), MEM_F_PSS);
	ck_assert_int_eq(mem_field_lookup("pss", 3), -1);
	ck_assert_int_eq(mem_field_lookup("PssX", 4), -1);
	ck_assert_int_eq(mem_field_lookup("THPeligible", 11), -1);
	ck_assert_int_eq(mem_field_lookup("VmFlags", 7), -1);
	ck_assert_int_eq(mem_field_lookup("", 0), -1);
	ck_assert_int_eq(mem_field_lookup("Rss\0", 4), -1);
	ck_assert_int_eq(mem_field_lookup("Size\0", 5), -1);   /* lengths no field has */
	ck_assert_int_eq(mem_field_lookup("ab", 2), -1);
	ck_assert_int_eq(mem_field_lookup("Private_Hugetlbx", 16), -1);
	ck_assert_int_eq(mem_field_lookup("Xss", 3), -1);
}
END_TEST

/* ---- meminfo ---- */

static const char meminfo_6_x[] =
	"MemTotal:        8130412 kB\n"
	"MemFree:         5821200 kB\n"
	"MemAvailable:    7400000 kB\n"
	"Buffers:           12345 kB\n"
	"Active(anon):     400000 kB\n"
	"Inactive(file):   900000 kB\n"
	"Committed_AS:    1234567 kB\n"
	"VmallocTotal:   34359738367 kB\n"
	"HugePages_Total:       0\n"
	"HugePages_Free:        0\n"
	"Hugepagesize:       2048 kB\n"
	"DirectMap1G:    18014398509481983 kB\n";

/* 2.6-era: no MemAvailable */
static const char meminfo_2_6[] =
	"MemTotal:       1026956 kB\n"
	"MemFree:         102864 kB\n"
	"Buffers:          45236 kB\n"
	"Cached:          524104 kB\n";

START_TEST(test_meminfo_ok)
{
	GError *err = NULL;
	GArray *a = mem_parse_meminfo(meminfo_6_x, strlen(meminfo_6_x), &err);
	guint64 v;

	ck_assert_msg(a != NULL, "%s", err ? err->message : "");
	ck_assert_uint_eq(a->len, 12);
	ck_assert_str_eq(g_array_index(a, MemMeminfoEntry, 0).key, "MemTotal");
	ck_assert_str_eq(g_array_index(a, MemMeminfoEntry, 11).key, "DirectMap1G");
	ck_assert(mem_meminfo_get(a, "MemTotal", &v));
	ck_assert_uint_eq(v, KB(8130412));
	ck_assert(mem_meminfo_get(a, "Active(anon)", &v));
	ck_assert_uint_eq(v, KB(400000));
	ck_assert(mem_meminfo_get(a, "VmallocTotal", &v));
	ck_assert_uint_eq(v, KB(34359738367));
	ck_assert(mem_meminfo_get(a, "HugePages_Total", &v));
	ck_assert_uint_eq(v, 0);
	ck_assert(!g_array_index(a, MemMeminfoEntry, 8).has_kb);
	ck_assert(g_array_index(a, MemMeminfoEntry, 10).has_kb);
	ck_assert(mem_meminfo_get(a, "DirectMap1G", &v));
	ck_assert_uint_eq(v, G_MAXUINT64 - 1023);
	ck_assert(!mem_meminfo_get(a, "Memtotal", &v));
	ck_assert(!mem_meminfo_get(a, "MemTotal:", &v));
	g_array_unref(a);

	a = mem_parse_meminfo(meminfo_2_6, strlen(meminfo_2_6), &err);
	ck_assert_ptr_nonnull(a);
	ck_assert(!mem_meminfo_get(a, "MemAvailable", &v));
	ck_assert(mem_meminfo_get(a, "Cached", &v));
	ck_assert_uint_eq(v, KB(524104));
	g_array_unref(a);
}
END_TEST

/* A malformed input: its length (0: strlen), the error code, line and a part of the message. */
typedef struct {
	const char *text;
	gsize len;
	int code;
	guint line;
	const char *needle;
} BadCase;

#define MT "MemTotal: 4 kB\n"
static const BadCase meminfo_bad[] = {
	{ "", 0, MEM_ERROR_PARSE, 1, "no MemTotal" },
	{ "MemFree: 4 kB\n", 0, MEM_ERROR_PARSE, 1, "no MemTotal" },
	{ MT "MemFree: 4 kB", 0, MEM_ERROR_TRUNCATED, 2, "no newline" },
	{ MT "MemFree: 18014398509481984 kB\n", 0, MEM_ERROR_PARSE, 2, "MemFree: value too large" },
	{ MT "MemFree: 18446744073709551616\n", 0, MEM_ERROR_PARSE, 2, "MemFree: value too large" },
	{ MT "Committed_AS: -4 kB\n", 0, MEM_ERROR_PARSE, 2, "Committed_AS: negative" },
	{ MT "MemFree: many\n", 0, MEM_ERROR_PARSE, 2, "MemFree: expected a number" },
	{ MT "MemFree 4 kB\n", 0, MEM_ERROR_PARSE, 2, "expected 'Key: value'" },
	{ MT ": 4 kB\n", 0, MEM_ERROR_PARSE, 2, "expected 'Key: value'" },
	{ MT "Mem\0Free: 4 kB\n", sizeof(MT "Mem\0Free: 4 kB\n") - 1, MEM_ERROR_PARSE, 2, "Mem\\x00Free" },
	{ MT "\x1b[2JMemFree: x\n", 0, MEM_ERROR_PARSE, 2, "\\x1b[2JMemFree" },
};

START_TEST(test_meminfo_bad)
{
	GError *err = NULL;
	const char *t = meminfo_bad[_i].text;
	GArray *a = mem_parse_meminfo(t, meminfo_bad[_i].len ? meminfo_bad[_i].len : strlen(t), &err);

	ck_assert_msg(a == NULL, "case %d parsed", _i);
	assert_error(err, meminfo_bad[_i].code, meminfo_bad[_i].line, meminfo_bad[_i].needle);
	g_error_free(err);
}
END_TEST

/* ---- cgroup v2 memory.stat, memory.current ---- */

START_TEST(test_memstat_ok)
{
	static const char text[] = "anon 4096\nfile 8192\nkernel 12288\nkernel_stack 16384\nfuture_key 5\n"
	                           "slab 18446744073709551615\nsock 0\n";
	GError *err = NULL;
	MemCgStat st;
	guint64 v;

	ck_assert(mem_parse_memstat(text, strlen(text), &st, &err));
	ck_assert(mem_cgstat_get(&st, MEM_CGSTAT_ANON, &v) && v == 4096);
	ck_assert(mem_cgstat_get(&st, MEM_CGSTAT_FILE, &v) && v == 8192);
	ck_assert(mem_cgstat_get(&st, MEM_CGSTAT_KERNEL, &v) && v == 12288);
	ck_assert(mem_cgstat_get(&st, MEM_CGSTAT_SLAB, &v) && v == G_MAXUINT64);
	ck_assert(mem_cgstat_get(&st, MEM_CGSTAT_SOCK, &v) && v == 0);
	ck_assert(!mem_cgstat_get(&st, MEM_CGSTAT_SHMEM, &v)); /* absent: unknown, not 0 */
	ck_assert(!mem_cgstat_get(&st, MEM_CGSTAT_VMALLOC, &v));
	ck_assert(mem_parse_memstat("", 0, &st, &err) && st.known == 0);
	ck_assert(mem_parse_memcurrent("123456\n", 7, &v, &err) && v == 123456);
}
END_TEST

static const BadCase memstat_bad[] = {
	{ "anon 1\nfile", 0, MEM_ERROR_TRUNCATED, 2, "no newline" },
	{ "anon\n", 0, MEM_ERROR_PARSE, 1, "not 'key value'" },
	{ " 5\n", 0, MEM_ERROR_PARSE, 1, "not 'key value'" },
	{ "anon -1\n", 0, MEM_ERROR_PARSE, 1, "anon" },
	{ "anon 1\nfile 18446744073709551616\n", 0, MEM_ERROR_PARSE, 2, "file" },
	{ "anon 0x10\n", 0, MEM_ERROR_PARSE, 1, "anon" },
	{ "anon 1 2\n", 0, MEM_ERROR_PARSE, 1, "anon" },
	{ "anon 1\nanon 2\n", 0, MEM_ERROR_PARSE, 2, "'anon' given twice" },
	{ "anon 1\nfi\0le 2\n", sizeof("anon 1\nfi\0le 2\n") - 1, MEM_ERROR_PARSE, 2, "NUL" },
	{ "\x1b[2Janon x\n", 0, MEM_ERROR_PARSE, 1, "\\x1b[2Janon" },
	{ "future_key nope\n", 0, MEM_ERROR_PARSE, 1, "future_key" }, /* an unkept key is still checked */
};

/* A bad case of a parser that takes (text, length, error): refused with the case's code, line, words. */
typedef gboolean (*ParseText)(const char *text, gsize len, GError **error);

static void check_bad(const BadCase *c, int i, ParseText parse)
{
	GError *err = NULL;

	ck_assert_msg(!parse(c->text, c->len ? c->len : strlen(c->text), &err), "case %d parsed", i);
	assert_error(err, c->code, c->line, c->needle);
	g_error_free(err);
}

static gboolean parse_memstat(const char *text, gsize len, GError **error)
{
	MemCgStat st;
	return mem_parse_memstat(text, len, &st, error);
}

static gboolean parse_memcurrent(const char *text, gsize len, GError **error)
{
	guint64 v;
	return mem_parse_memcurrent(text, len, &v, error);
}

START_TEST(test_memstat_bad)
{
	check_bad(&memstat_bad[_i], _i, parse_memstat);
}
END_TEST

static const BadCase memcurrent_bad[] = {
	{ "", 0, MEM_ERROR_PARSE, 1, "empty" },
	{ "12", 0, MEM_ERROR_TRUNCATED, 1, "no newline" },
	{ "max\n", 0, MEM_ERROR_PARSE, 1, "memory.current" },
	{ "1\n2\n", 0, MEM_ERROR_PARSE, 2, "more than one line" },
	{ "1\0\n", 3, MEM_ERROR_PARSE, 1, "NUL" },
	{ "99999999999999999999\n", 0, MEM_ERROR_PARSE, 1, "memory.current" },
};

START_TEST(test_memcurrent_bad)
{
	check_bad(&memcurrent_bad[_i], _i, parse_memcurrent);
}
END_TEST

/* ---- the zram file: "zramN" and mm_stat per line ---- */

START_TEST(test_zram_ok)
{
#define ZRAM_A "zram0  104857600  20971520  23068672        0  23068672       12        0        3        5\n"
#define ZRAM_B "zram12\t4096 74 12288 0 12288 0 0\n"
	static const char two[] = ZRAM_A ZRAM_B;
	static const char big[] = "zram1 1 2 18446744073709551615 4 5 6 7 8 9 10\n";
	GError *err = NULL;
	MemZram z;

	ck_assert(mem_parse_zram(two, strlen(two), &z, &err));
	ck_assert_uint_eq(z.n_devices, 2);
	ck_assert_uint_eq(z.orig_bytes, 104857600 + 4096);
	ck_assert_uint_eq(z.compr_bytes, 20971520 + 74);
	ck_assert_uint_eq(z.used_bytes, 23068672 + 12288);
	ck_assert(!mem_parse_zram(two, strlen(two) - 1, &z, &err)); /* the last newline cut */
	assert_error(err, MEM_ERROR_TRUNCATED, 2, "no newline");
	g_clear_error(&err);
	ck_assert(mem_parse_zram("", 0, &z, &err) && z.n_devices == 0 && z.used_bytes == 0);
	ck_assert(mem_parse_zram(big, strlen(big), &z, &err)); /* 10 fields: a later kernel's, skipped */
	ck_assert_uint_eq(z.used_bytes, G_MAXUINT64);
#undef ZRAM_A
#undef ZRAM_B
}
END_TEST

static const BadCase zram_bad[] = {
	{ "zram0 1 2 3 4 5 6 7", 0, MEM_ERROR_TRUNCATED, 1, "no newline" },
	{ "zram0 1 2 3 4 5 6\n", 0, MEM_ERROR_PARSE, 1, "fewer than 7" },
	{ "zram0\n", 0, MEM_ERROR_PARSE, 1, "fewer than 7" },
	{ "loop0 1 2 3 4 5 6 7\n", 0, MEM_ERROR_PARSE, 1, "zram<N>" },
	{ "zram 1 2 3 4 5 6 7\n", 0, MEM_ERROR_PARSE, 1, "zram<N>" },
	{ "zram00 1 2 3 4 5 6 7\n", 0, MEM_ERROR_PARSE, 1, "zram<N>" },
	{ " zram0 1 2 3 4 5 6 7\n", 0, MEM_ERROR_PARSE, 1, "zram<N>" },
	{ "zram0 1 2 3 4 5 6 7\nzram0 1 2 3 4 5 6 7\n", 0, MEM_ERROR_PARSE, 2, "twice" },
	{ "zram0 1 2 -3 4 5 6 7\n", 0, MEM_ERROR_PARSE, 1, "decimal" },
	{ "zram0 1 2 3x 4 5 6 7\n", 0, MEM_ERROR_PARSE, 1, "decimal" },
	{ "zram0 1 2 18446744073709551616 4 5 6 7\n", 0, MEM_ERROR_PARSE, 1, "decimal" },
	{ "zram0 1 2 18446744073709551615 4 5 6 7\nzram1 1 2 1 4 5 6 7\n", 0, MEM_ERROR_PARSE, 2, "2^64" },
	{ "zram0 1 2 3 4 5 6 7\0\n", sizeof("zram0 1 2 3 4 5 6 7\0\n") - 1, MEM_ERROR_PARSE, 1, "NUL" },
	{ "zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", 0, MEM_ERROR_PARSE, 1, "more mm_stat" },
};

static gboolean parse_zram(const char *text, gsize len, GError **error)
{
	MemZram z;
	return mem_parse_zram(text, len, &z, error);
}

START_TEST(test_zram_bad)
{
	check_bad(&zram_bad[_i], _i, parse_zram);
}
END_TEST

/* ---- passwd ---- */

START_TEST(test_passwd)
{
	static const char t[] =
		"root:x:0:0:root:/root:/bin/bash\n"
		"# a comment:x:5:5\n"
		"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
		"+nis::::::\n"
		"-other:x:7:7\n"
		"toor:x:0:0:second root:/root:/bin/sh\n"
		"bad:x:12x:0::/:\n"
		"big:x:4294967296:0::/:\n"
		"neg:x:-1:0::/:\n"
		":x:9:9::/:\n"
		"short:x\n"
		"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
		"max:x:4294967295:0::/:\n"
		"sp ace:x:1000:1000::/home/x:/bin/sh\n"
		"nul\0l:x:1001:1001::/:\n"
		"threefields:x:1002";
	GHashTable *users = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);

	mem_parse_passwd(t, sizeof t - 1, users);
	ck_assert_uint_eq(g_hash_table_size(users), 6);
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(0)), "root");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(1)), "daemon");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(65534)), "nobody");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(4294967295u)), "max");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(1000)), "sp ace");
	ck_assert_str_eq(g_hash_table_lookup(users, GUINT_TO_POINTER(1002)), "threefields");
	ck_assert_ptr_null(g_hash_table_lookup(users, GUINT_TO_POINTER(5)));
	ck_assert_ptr_null(g_hash_table_lookup(users, GUINT_TO_POINTER(7)));
	ck_assert_ptr_null(g_hash_table_lookup(users, GUINT_TO_POINTER(9)));
	ck_assert_ptr_null(g_hash_table_lookup(users, GUINT_TO_POINTER(1001)));

	/* an empty buffer adds nothing */
	mem_parse_passwd("", 0, users);
	ck_assert_uint_eq(g_hash_table_size(users), 6);
	g_hash_table_unref(users);
}
END_TEST

/* ---- a recording's fds, dev-shm and memcap.info (devices from Python's os.makedev) ---- */

START_TEST(test_rec_files_ok)
{
	static const char fds[] = "3 286338160 101 81b6 65536 128 512 /memfd:a b\\nc \\\\ d (deleted)\n"
	                          "4 17592186275843 18446744073709551615 8180 0 0 4096 x\n";
	static const char shm[] = "27 1 43ff 40 0 512 .\n27 548 81a4 4096 8 512 name\n";
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) f = mem_parse_rec_files(fds, sizeof fds - 1, TRUE, &err);
	const MemRecFile *r;

	ck_assert_msg(f != NULL, "%s", err ? err->message : "?");
	ck_assert_uint_eq(f->len, 2);
	r = &g_array_index(f, MemRecFile, 0);
	ck_assert_int_eq(r->fd, 3);
	ck_assert_uint_eq(r->dev_major, 300);
	ck_assert_uint_eq(r->dev_minor, 70000);
	ck_assert_uint_eq(r->inode, 101);
	ck_assert_uint_eq(r->mode, 0100666);
	ck_assert_uint_eq(r->size, 65536);
	ck_assert_uint_eq(r->alloc, 65536);
	ck_assert_uint_eq(r->name_len, strlen("/memfd:a b\nc \\ d (deleted)"));
	ck_assert_str_eq(r->name, "/memfd:a b\nc \\ d (deleted)");
	r = &g_array_index(f, MemRecFile, 1);
	ck_assert_uint_eq(r->dev_major, 5000);
	ck_assert_uint_eq(r->dev_minor, 3);
	ck_assert_uint_eq(r->inode, G_MAXUINT64);
	ck_assert_uint_eq(r->line, 2);
	g_array_unref(f);
	f = mem_parse_rec_files(shm, sizeof shm - 1, FALSE, &err);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->len, 2);
	ck_assert_int_eq(g_array_index(f, MemRecFile, 0).fd, -1);
	ck_assert_str_eq(g_array_index(f, MemRecFile, 0).name, ".");
	ck_assert_uint_eq(g_array_index(f, MemRecFile, 1).alloc, 4096);
	g_array_unref(f);
	f = mem_parse_rec_files("", 0, TRUE, &err);
	ck_assert_uint_eq(f->len, 0);
}
END_TEST

static const struct {
	gboolean with_fd;
	const char *text;
	int code;
} rec_bad[] = {
	{ TRUE, "3 27 1 81a4 1 1 512 x", MEM_ERROR_TRUNCATED },          /* no newline */
	{ TRUE, "3 27 1 81a4 1 1 512\n", MEM_ERROR_PARSE },              /* no target */
	{ TRUE, "3 27 1 81a4 1 1 512 \n", MEM_ERROR_PARSE },             /* an empty target */
	{ TRUE, "3  27 1 81a4 1 1 512 x\n", MEM_ERROR_PARSE },           /* two spaces */
	{ TRUE, "-3 27 1 81a4 1 1 512 x\n", MEM_ERROR_PARSE },
	{ TRUE, "2147483648 27 1 81a4 1 1 512 x\n", MEM_ERROR_PARSE },   /* an fd above int */
	{ TRUE, "3 27 1 g1a4 1 1 512 x\n", MEM_ERROR_PARSE },
	{ TRUE, "3 27 1 100000000 1 1 512 x\n", MEM_ERROR_PARSE },       /* a mode above 32 bits */
	{ TRUE, "3 27 1 81a4 1 18446744073709551615 512 x\n", MEM_ERROR_PARSE }, /* blocks x blksize */
	{ TRUE, "3 27 18446744073709551616 81a4 1 1 512 x\n", MEM_ERROR_PARSE },
	{ TRUE, "3 27 1 81a4 1 1 512 a\\tb\n", MEM_ERROR_PARSE },      /* an unknown escape */
	{ TRUE, "3 27 1 81a4 1 1 512 a\\\n", MEM_ERROR_PARSE },        /* a lone backslash */
	{ FALSE, "27 1 43ff 40 0 512 \n", MEM_ERROR_PARSE },
	{ FALSE, "27 1 43ff 40 0 .\n", MEM_ERROR_PARSE },                /* a field missing */
};

START_TEST(test_rec_files_bad)
{
	g_autoptr(GError) err = NULL;
	GArray *f = mem_parse_rec_files(rec_bad[_i].text, strlen(rec_bad[_i].text), rec_bad[_i].with_fd, &err);

	ck_assert_msg(f == NULL, "case %d parsed", _i);
	ck_assert_msg(g_error_matches(err, MEM_ERROR, rec_bad[_i].code), "case %d: %s", _i, err->message);
	ck_assert_msg(g_str_has_prefix(err->message, "line 1: "), "case %d: %s", _i, err->message);
}
END_TEST

START_TEST(test_rec_files_bounds)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GString) s = g_string_new("3 27 1 81a4 1 1 512 ");
	GArray *f;

	/* a line of MEM_REC_MAX_LINE bytes is fine, one more is not (a NUL in the name is refused too) */
	while (s->len < MEM_REC_MAX_LINE)
		g_string_append_c(s, 'x');
	g_string_append_c(s, '\n');
	f = mem_parse_rec_files(s->str, s->len, TRUE, &err);
	ck_assert_ptr_nonnull(f);
	g_array_unref(f);
	g_string_insert_c(s, 30, 'x');
	ck_assert_ptr_null(mem_parse_rec_files(s->str, s->len, TRUE, &err));
	ck_assert_ptr_nonnull(strstr(err->message, "longer than"));
	g_clear_error(&err);
	ck_assert_ptr_null(mem_parse_rec_files("3 27 1 81a4 1 1 512 a\0b\n", 24, TRUE, &err));
}
END_TEST

START_TEST(test_memcap_info)
{
	static const char ok[] = "format 1\ntool memcap 1.0 (busybox)\ntime 1764300000\npagesize 16384\n"
	                         "cmdline scrubbed\nuid 1000\npids selected\nfuture thing\nlonely\n";
	g_autoptr(GError) err = NULL;
	MemRecInfo info;

	ck_assert_msg(mem_parse_memcap_info(ok, sizeof ok - 1, &info, &err), "%s", err ? err->message : "?");
	ck_assert(info.has_format && info.format == 1);
	ck_assert_str_eq(info.tool, "memcap 1.0 (busybox)");
	ck_assert(info.has_time && info.time == 1764300000);
	ck_assert(info.has_pagesize && info.pagesize == 16384);
	ck_assert_str_eq(info.cmdline, "scrubbed");
	ck_assert(info.has_uid && info.uid == 1000);
	ck_assert_str_eq(info.pids, "selected");
	mem_rec_info_clear(&info);
	ck_assert(mem_parse_memcap_info("", 0, &info, &err) && !info.tool && !info.has_time);
	ck_assert(!mem_parse_memcap_info("pagesize 4095\n", 14, &info, &err));
	ck_assert(g_error_matches(err, MEM_ERROR, MEM_ERROR_PARSE));
	ck_assert(!info.has_pagesize);
	g_clear_error(&err);
	ck_assert(!mem_parse_memcap_info("time 12x\n", 9, &info, &err));
	g_clear_error(&err);
	ck_assert(!mem_parse_memcap_info("uid 4294967296\n", 15, &info, &err));
	g_clear_error(&err);
	ck_assert(!mem_parse_memcap_info("tool\n", 5, &info, &err));
	g_clear_error(&err);
	ck_assert(!mem_parse_memcap_info("format 1", 8, &info, &err));
	ck_assert(g_error_matches(err, MEM_ERROR, MEM_ERROR_TRUNCATED));
}
END_TEST

static Suite *parse_misc_suite(void)
{
	Suite *s = suite_create("parse-misc");
	TCase *tc = tcase_create("util");

	tcase_add_loop_test(tc, test_u64, 0, G_N_ELEMENTS(u64_cases));
	tcase_add_loop_test(tc, test_x64, 0, G_N_ELEMENTS(x64_cases));
	tcase_add_test(tc, test_u64_limit);
	tcase_add_loop_test(tc, test_kb_value, 0, G_N_ELEMENTS(kb_cases));
	tcase_add_test(tc, test_excerpt);
	tcase_add_test(tc, test_field_lookup);
	suite_add_tcase(s, tc);

	tc = tcase_create("meminfo");
	tcase_add_test(tc, test_meminfo_ok);
	tcase_add_loop_test(tc, test_meminfo_bad, 0, G_N_ELEMENTS(meminfo_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("memstat");
	tcase_add_test(tc, test_memstat_ok);
	tcase_add_loop_test(tc, test_memstat_bad, 0, G_N_ELEMENTS(memstat_bad));
	tcase_add_loop_test(tc, test_memcurrent_bad, 0, G_N_ELEMENTS(memcurrent_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("zram");
	tcase_add_test(tc, test_zram_ok);
	tcase_add_loop_test(tc, test_zram_bad, 0, G_N_ELEMENTS(zram_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("passwd");
	tcase_add_test(tc, test_passwd);
	suite_add_tcase(s, tc);

	tc = tcase_create("recording");
	tcase_add_test(tc, test_rec_files_ok);
	tcase_add_loop_test(tc, test_rec_files_bad, 0, G_N_ELEMENTS(rec_bad));
	tcase_add_test(tc, test_rec_files_bounds);
	tcase_add_test(tc, test_memcap_info);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(parse_misc_suite());
}
