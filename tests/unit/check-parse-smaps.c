/* check-parse-smaps.c: Check unit tests for the maps, smaps and smaps_rollup parsers (parser layer tests) */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "account.h"
#include "check-parse-common.h"
#include "error.h"
#include "parse-util.h"
#include "parse.h"
#include "../fuzz/window-drip.h"
#include "../common/check-run.h"

/* ---- maps lines ---- */

static const struct {
	const char *line;
	guint64 start, end, offset, inode;
	guint32 major, minor;
	const char *perms, *name;
} maps_ok[] = {
	{ "7f1c2a400000-7f1c2a428000 r--p 00000000 fd:01 1835037                    /usr/lib/x86_64-linux-gnu/libc.so.6",
	  0x7f1c2a400000, 0x7f1c2a428000, 0, 1835037, 0xfd, 1, "r--p", "/usr/lib/x86_64-linux-gnu/libc.so.6" },
	/* 32-bit ARM: 8-digit addresses, special names */
	{ "ffff0000-ffff1000 r-xp 00000000 00:00 0          [vectors]", 0xffff0000, 0xffff1000, 0, 0, 0, 0, "r-xp",
	  "[vectors]" },
	{ "b6f9e000-b6f9f000 r-xp 00000000 00:00 0          [sigpage]", 0xb6f9e000, 0xb6f9f000, 0, 0, 0, 0, "r-xp",
	  "[sigpage]" },
	{ "00010000-00011000 r-xp 00000000 b3:02 5243       /system/bin/sh", 0x10000, 0x11000, 0, 5243, 0xb3, 2,
	  "r-xp", "/system/bin/sh" },
	/* minor wider than two hex digits, major above 0xff */
	{ "7f0000000000-7f0000001000 rw-s 00001000 103:10a 42 /dev/shm/x", 0x7f0000000000, 0x7f0000001000, 0x1000,
	  42, 0x103, 0x10a, "rw-s", "/dev/shm/x" },
	/* names with spaces and (deleted) */
	{ "7f0000000000-7f0000200000 rw-s 00000000 00:01 3072 /memfd:my memfd (deleted)", 0x7f0000000000,
	  0x7f0000200000, 0, 3072, 0, 1, "rw-s", "/memfd:my memfd (deleted)" },
	{ "7f0000000000-7f0000001000 rw-s 00000000 00:01 5 /memfd:x (deleted)", 0x7f0000000000, 0x7f0000001000, 0, 5,
	  0, 1, "rw-s", "/memfd:x (deleted)" },
	{ "7f0000000000-7f0000001000 rw-p 00000000 00:00 0   [anon:foo bar]", 0x7f0000000000, 0x7f0000001000, 0, 0,
	  0, 0, "rw-p", "[anon:foo bar]" },
	{ "7f0000000000-7f0000100000 rw-s 00000000 00:01 65538                      /SYSV00000000 (deleted)",
	  0x7f0000000000, 0x7f0000100000, 0, 65538, 0, 1, "rw-s", "/SYSV00000000 (deleted)" },
	{ "55d0c4e4a000-55d0c4e6b000 rw-p 00000000 00:00 0                          [heap]", 0x55d0c4e4a000,
	  0x55d0c4e6b000, 0, 0, 0, 0, "rw-p", "[heap]" },
	{ "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]", 0xffffffffff600000,
	  0xffffffffff601000, 0, 0, 0, 0, "--xp", "[vsyscall]" },
	/* no name: the kernel leaves one trailing space */
	{ "7ffd5e000000-7ffd5e001000 rw-p 00000000 00:00 0 ", 0x7ffd5e000000, 0x7ffd5e001000, 0, 0, 0, 0, "rw-p", "" },
	{ "7ffd5e000000-7ffd5e001000 rw-p 00000000 00:00 0", 0x7ffd5e000000, 0x7ffd5e001000, 0, 0, 0, 0, "rw-p", "" },
	/* 64-bit extremes */
	{ "ffffffffffffffff-ffffffffffffffff rwxs ffffffffffffffff ffffffff:ffffffff 18446744073709551615 x",
	  G_MAXUINT64, G_MAXUINT64, G_MAXUINT64, G_MAXUINT64, G_MAXUINT32, G_MAXUINT32, "rwxs", "x" },
	/* the start above the end is the caller's business */
	{ "2000-1000 ---p 00000000 00:00 0", 0x2000, 0x1000, 0, 0, 0, 0, "---p", "" },
};

START_TEST(test_maps_ok)
{
	MemMapsLine m;
	GError *err = NULL;
	const char *line = maps_ok[_i].line;

	ck_assert_msg(mem_parse_maps_line(line, strlen(line), &m, &err), "%s", err ? err->message : "");
	ck_assert_uint_eq(m.start, maps_ok[_i].start);
	ck_assert_uint_eq(m.end, maps_ok[_i].end);
	ck_assert_uint_eq(m.offset, maps_ok[_i].offset);
	ck_assert_uint_eq(m.inode, maps_ok[_i].inode);
	ck_assert_uint_eq(m.dev_major, maps_ok[_i].major);
	ck_assert_uint_eq(m.dev_minor, maps_ok[_i].minor);
	ck_assert_str_eq(m.perms, maps_ok[_i].perms);
	ck_assert_uint_eq(m.name_len, strlen(maps_ok[_i].name));
	ck_assert(memcmp(m.name, maps_ok[_i].name, m.name_len) == 0);
	ck_assert(m.name >= line && m.name + m.name_len <= line + strlen(line));
}
END_TEST

static const struct {
	const char *line;
	const char *needle;
} maps_bad[] = {
	{ "", "no start address" },
	{ "7f00", "no '-'" },
	{ "7f00-", "no end address" },
	{ "10000000000000000-10000000000000001 r--p 00000000 00:00 0", "start address too large" },
	{ "1000-10000000000000000 r--p 00000000 00:00 0", "end address too large" },
	{ "1000-2000", "no permissions" },
	{ "1000-2000 r--", "no permissions" },
	{ "1000-2000 rwzp 00000000 00:00 0", "bad permissions" },
	{ "1000-2000 r--p", "no permissions" },
	{ "1000-2000 r--p zz 00:00 0", "no offset" },
	{ "1000-2000 r--p 10000000000000000 00:00 0", "offset too large" },
	{ "1000-2000 r--p 0 0000 0", "no ':'" },
	{ "1000-2000 r--p 0 100000000:00 0", "bad device major" },
	{ "1000-2000 r--p 0 00:100000000 0", "bad device minor" },
	{ "1000-2000 r--p 0 00:00", "no space after the device" },
	{ "1000-2000 r--p 0 00:00 -1 /x", "negative inode" },
	{ "1000-2000 r--p 0 00:00 18446744073709551616 /x", "inode too large" },
	{ "1000-2000 r--p 0 00:00 12x /x", "junk after the inode" },
	{ "1000-2000 r--p 0 00:00 /x", "no inode" },
	{ "\x1b[31m-2000 r--p 0 00:00 0", "\\x1b[31m" },
};

START_TEST(test_maps_bad)
{
	MemMapsLine m;
	GError *err = NULL;

	ck_assert(!mem_parse_maps_line(maps_bad[_i].line, strlen(maps_bad[_i].line), &m, &err));
	assert_error(err, MEM_ERROR_PARSE, 1, maps_bad[_i].needle);
	g_error_free(err);
}
END_TEST

START_TEST(test_maps_line_number)
{
	MemMapsLine m;
	GError *err = NULL;

	ck_assert(!mem_parse_maps_line_at("x", 1, 42, &m, &err));
	assert_error(err, MEM_ERROR_PARSE, 42, NULL);
	g_error_free(err);
}
END_TEST

START_TEST(test_maps_not_terminated)
{
	/* The line need not be NUL-terminated: the parser stops at len. */
	const char buf[] = "1000-2000 r--p 00000000 00:00 123456789";
	MemMapsLine m;
	GError *err = NULL;

	ck_assert(mem_parse_maps_line(buf, strlen("1000-2000 r--p 00000000 00:00 123"), &m, &err));
	ck_assert_uint_eq(m.inode, 123);
	ck_assert_uint_eq(m.name_len, 0);
}
END_TEST

/* ---- smaps ---- */

typedef struct {
	guint n;
	MemCounters sum;
	guint32 known[8];
	guint lines[8];
	char names[8][64];
	char vmflags[8][64];
	gboolean has_vmflags[8];
	guint n_extra[8], n_dropped[8];
	char extra[8][4][32]; /* "key=value" */
	guint64 start[8], end[8];
	int stop_after;       /* > 0: the callback fails on that record */
} Collect;

static gboolean collect(const MemVma *vma, gpointer user_data, GError **error)
{
	Collect *c = user_data;

	if (c->stop_after > 0 && c->n + 1 == (guint)c->stop_after) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "stopped by the callback");
		return FALSE;
	}
	mem_counters_add(&c->sum, &vma->c);
	if (c->n < 8) {
		guint i = c->n;
		c->known[i] = vma->c.known;
		c->lines[i] = vma->line;
		c->start[i] = vma->map.start;
		c->end[i] = vma->map.end;
		g_snprintf(c->names[i], sizeof c->names[i], "%.*s", (int)MIN(vma->map.name_len, 63), vma->map.name);
		c->has_vmflags[i] = vma->vmflags != NULL;
		if (vma->vmflags)
			g_snprintf(c->vmflags[i], sizeof c->vmflags[i], "%.*s", (int)vma->vmflags_len, vma->vmflags);
		c->n_extra[i] = vma->n_extra;
		c->n_dropped[i] = vma->n_extra_dropped;
		for (guint k = 0; k < vma->n_extra && k < 4; k++)
			g_snprintf(c->extra[i][k], sizeof c->extra[i][k], "%.*s=%.*s", (int)vma->extra[k].key_len,
			           vma->extra[k].key, (int)vma->extra[k].value_len, vma->extra[k].value);
	}
	c->n++;
	return TRUE;
}

/* 4.4-era: old order (Size, Rss, Pss, ..., KernelPageSize, MMUPageSize, Locked last), no THPeligible. */
static const char smaps_4_4[] =
	"00400000-0040b000 r-xp 00000000 08:01 1234                               /bin/cat\n"
	"Size:                 44 kB\n"
	"Rss:                  40 kB\n"
	"Pss:                  20 kB\n"
	"Shared_Clean:         40 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:         0 kB\n"
	"Private_Dirty:         0 kB\n"
	"Referenced:           40 kB\n"
	"Anonymous:             0 kB\n"
	"AnonHugePages:         0 kB\n"
	"Shared_Hugetlb:        0 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"Swap:                  0 kB\n"
	"SwapPss:               0 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Locked:                0 kB\n"
	"VmFlags: rd ex mr mw me dw \n"
	"7ffc1d6e9000-7ffc1d70a000 rw-p 00000000 00:00 0                          [stack:1234]\n"
	"Size:                132 kB\n"
	"Rss:                  12 kB\n"
	"Pss:                  12 kB\n"
	"Shared_Clean:          0 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:         0 kB\n"
	"Private_Dirty:        12 kB\n"
	"Referenced:           12 kB\n"
	"Anonymous:            12 kB\n"
	"AnonHugePages:         0 kB\n"
	"Shared_Hugetlb:        0 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"Swap:                  8 kB\n"
	"SwapPss:               8 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Locked:                0 kB\n"
	"VmFlags: rd wr mr mw me gd ac \n";

/* 5.10: new order, LazyFree, FilePmdMapped, THPeligible as %d, no Pss_Dirty or KSM. */
static const char smaps_5_10[] =
	"7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0 \n"
	"Size:                132 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Rss:                   8 kB\n"
	"Pss:                   8 kB\n"
	"Shared_Clean:          0 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:         0 kB\n"
	"Private_Dirty:         8 kB\n"
	"Referenced:            8 kB\n"
	"Anonymous:             8 kB\n"
	"LazyFree:              0 kB\n"
	"AnonHugePages:         0 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"FilePmdMapped:        0 kB\n"
	"Shared_Hugetlb:        0 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"Swap:                  0 kB\n"
	"SwapPss:               0 kB\n"
	"Locked:                0 kB\n"
	"THPeligible:		0\n"
	"VmFlags: rd wr mr mw me ac sd \n";

/* 6.x: Pss_Dirty, KSM, THPeligible as %8u, ProtectionKey, a vendor field; memfd and SysV names. */
static const char smaps_6_x[] =
	"7f0000000000-7f0000200000 rw-s 00000000 00:01 3072                       /memfd:my memfd (deleted)\n"
	"Size:               2048 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Rss:                1024 kB\n"
	"Pss:                 512 kB\n"
	"Pss_Dirty:           512 kB\n"
	"Shared_Clean:          0 kB\n"
	"Shared_Dirty:       1024 kB\n"
	"Private_Clean:         0 kB\n"
	"Private_Dirty:         0 kB\n"
	"Referenced:         1024 kB\n"
	"Anonymous:             0 kB\n"
	"KSM:                   0 kB\n"
	"LazyFree:              0 kB\n"
	"AnonHugePages:         0 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"FilePmdMapped:         0 kB\n"
	"Shared_Hugetlb:        0 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"Swap:                  0 kB\n"
	"SwapPss:               0 kB\n"
	"Locked:                0 kB\n"
	"THPeligible:           0\n"
	"ProtectionKey:         0\n"
	"Writeback:             0 kB\n"
	"VmFlags: rd wr sh mr mw me ms sd \n"
	"7f0000200000-7f0000300000 rw-s 00000000 00:01 65538                      /SYSV00000000 (deleted)\n"
	"Size:               1024 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Rss:                 100 kB\n"
	"Pss:                  50 kB\n"
	"Pss_Dirty:            50 kB\n"
	"Shared_Clean:          0 kB\n"
	"Shared_Dirty:        100 kB\n"
	"Private_Clean:         0 kB\n"
	"Private_Dirty:         0 kB\n"
	"Referenced:          100 kB\n"
	"Anonymous:             0 kB\n"
	"KSM:                   4 kB\n"
	"LazyFree:              0 kB\n"
	"AnonHugePages:         0 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"FilePmdMapped:         0 kB\n"
	"Shared_Hugetlb:        0 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"Swap:                  0 kB\n"
	"SwapPss:               0 kB\n"
	"Locked:                0 kB\n"
	"THPeligible:           1\n"
	"ProtectionKey:         0\n"
	"Writeback:             0 kB\n"
	"VmFlags: rd wr sh mr mw me ms sd \n";

/* 2.6.3x-era: no VmFlags line at all, few fields. */
static const char smaps_2_6[] =
	"08048000-08050000 r-xp 00000000 03:01 12345      /bin/sh\n"
	"Size:                 32 kB\n"
	"Rss:                  28 kB\n"
	"Pss:                  14 kB\n"
	"Shared_Clean:         28 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:         0 kB\n"
	"Private_Dirty:         0 kB\n"
	"Referenced:           28 kB\n"
	"Swap:                  0 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"b7f00000-b7f01000 rw-p 00000000 00:00 0 \n"
	"Size:                  4 kB\n"
	"Rss:                   4 kB\n"
	"Pss:                   4 kB\n"
	"Shared_Clean:          0 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:         0 kB\n"
	"Private_Dirty:         4 kB\n"
	"Referenced:            4 kB\n"
	"Swap:                  0 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n";

static const struct {
	const char *name;
	const char *text;
	guint n;
	guint64 pss, rss, swap, size, ksm, locked;
	gboolean has_pss_dirty, has_ksm, has_locked, has_vmflags;
	const char *first_name, *first_vmflags, *first_extra0;
	guint n_extra;
	guint second_line;
} smaps_ok[] = {
	{ "4.4", smaps_4_4, 2, KB(32), KB(52), KB(8), KB(176), 0, 0, FALSE, FALSE, TRUE, TRUE, "/bin/cat",
	  "rd ex mr mw me dw ", NULL, 0, 20 },
	{ "5.10", smaps_5_10, 1, KB(8), KB(8), 0, KB(132), 0, 0, FALSE, FALSE, TRUE, TRUE, "", "rd wr mr mw me ac sd ",
	  "THPeligible=0", 1, 0 },
	{ "6.x", smaps_6_x, 2, KB(562), KB(1124), 0, KB(3072), KB(4), 0, TRUE, TRUE, TRUE, TRUE,
	  "/memfd:my memfd (deleted)", "rd wr sh mr mw me ms sd ", "THPeligible=0", 3, 28 },
	{ "2.6", smaps_2_6, 2, KB(18), KB(32), 0, KB(36), 0, 0, FALSE, FALSE, FALSE, FALSE, "/bin/sh", NULL, NULL, 0,
	  13 },
};

/* mem_counters_add_mapping() (a run of neighbouring fields at a time) against the sum field by field
 * through mem_mapping_value(): random field sets (gaps, runs, the first and last field), values that
 * saturate. */
START_TEST(test_add_mapping_runs)
{
	GRand *r = g_rand_new_with_seed(8);

	for (int round = 0; round < 20000; round++) {
		guint64 cv[MEM_F_COUNT];
		MemMapping m = { 0 };
		MemCounters got = { 0 }, want = { 0 };
		guint n = 0;

		m.known = g_rand_int(r) & (MEM_FIELD_BIT(MEM_F_COUNT) - 1u);
		if (round % 3 == 0)
			m.known |= MEM_FIELD_BIT(0) | MEM_FIELD_BIT(MEM_F_COUNT - 1);
		for (guint32 rest = m.known; rest; rest &= rest - 1)
			cv[n++] = g_rand_boolean(r) ? G_MAXUINT64 - g_rand_int_range(r, 0, 8) : g_rand_int(r);
		m.cv = cv;
		for (int f = 0; f < MEM_F_COUNT; f++) {
			got.v[f] = want.v[f] = round % 2 ? G_MAXUINT64 / 2 + (guint64)f : (guint64)f;
			if (mem_mapping_has(&m, f)) {
				guint64 v = mem_mapping_value(&m, f);
				want.v[f] = want.v[f] + v < v ? G_MAXUINT64 : want.v[f] + v;
			}
		}
		want.known = m.known;
		mem_counters_add_mapping(&got, &m);
		ck_assert_uint_eq(got.known, want.known);
		for (int f = 0; f < MEM_F_COUNT; f++)
			ck_assert_msg(got.v[f] == want.v[f], "round %d field %d", round, f);
	}
	g_rand_free(r);
}
END_TEST

START_TEST(test_smaps_ok)
{
	Collect c = { 0 };
	GError *err = NULL;
	const char *t = smaps_ok[_i].text;

	ck_assert_msg(mem_parse_smaps(t, strlen(t), collect, &c, &err), "%s: %s", smaps_ok[_i].name,
	              err ? err->message : "");
	ck_assert_uint_eq(c.n, smaps_ok[_i].n);
	ck_assert_uint_eq(c.sum.v[MEM_F_PSS], smaps_ok[_i].pss);
	ck_assert_uint_eq(c.sum.v[MEM_F_RSS], smaps_ok[_i].rss);
	ck_assert_uint_eq(c.sum.v[MEM_F_SWAP], smaps_ok[_i].swap);
	ck_assert_uint_eq(c.sum.v[MEM_F_SIZE], smaps_ok[_i].size);
	ck_assert_uint_eq(c.sum.v[MEM_F_KSM], smaps_ok[_i].ksm);
	ck_assert_int_eq(mem_counters_has(&c.sum, MEM_F_PSS_DIRTY), smaps_ok[_i].has_pss_dirty);
	ck_assert_int_eq(mem_counters_has(&c.sum, MEM_F_KSM), smaps_ok[_i].has_ksm);
	ck_assert_int_eq(mem_counters_has(&c.sum, MEM_F_LOCKED), smaps_ok[_i].has_locked);
	/* smaps never carries the rollup-only split of Pss */
	ck_assert(!mem_counters_has(&c.sum, MEM_F_PSS_ANON));
	ck_assert_int_eq(c.has_vmflags[0], smaps_ok[_i].has_vmflags);
	if (smaps_ok[_i].first_vmflags)
		ck_assert_str_eq(c.vmflags[0], smaps_ok[_i].first_vmflags);
	ck_assert_str_eq(c.names[0], smaps_ok[_i].first_name);
	ck_assert_uint_eq(c.n_extra[0], smaps_ok[_i].n_extra);
	if (smaps_ok[_i].first_extra0)
		ck_assert_str_eq(c.extra[0][0], smaps_ok[_i].first_extra0);
	ck_assert_uint_eq(c.lines[0], 1);
	if (c.n > 1)
		ck_assert_uint_eq(c.lines[1], smaps_ok[_i].second_line);
	/* every record has the same field set */
	for (guint i = 1; i < c.n && i < 8; i++)
		ck_assert_uint_eq(c.known[i], c.known[0]);
}
END_TEST

START_TEST(test_smaps_6x_details)
{
	Collect c = { 0 };
	GError *err = NULL;

	ck_assert(mem_parse_smaps(smaps_6_x, strlen(smaps_6_x), collect, &c, &err));
	ck_assert_str_eq(c.extra[0][0], "THPeligible=0");
	ck_assert_str_eq(c.extra[0][1], "ProtectionKey=0");
	ck_assert_str_eq(c.extra[0][2], "Writeback=0 kB");
	ck_assert_str_eq(c.extra[1][0], "THPeligible=1");
	ck_assert_str_eq(c.names[1], "/SYSV00000000 (deleted)");
	ck_assert_uint_eq(c.start[1], 0x7f0000200000);
	ck_assert_uint_eq(c.end[1], 0x7f0000300000);
}
END_TEST

START_TEST(test_smaps_empty)
{
	Collect c = { 0 };
	GError *err = NULL;

	ck_assert(mem_parse_smaps("", 0, collect, &c, &err));
	ck_assert_uint_eq(c.n, 0);
}
END_TEST

START_TEST(test_smaps_many_extra)
{
	GString *s = g_string_new("1000-2000 rw-p 00000000 00:00 0 \nSize: 4 kB\nRss: 4 kB\n");
	Collect c = { 0 };
	GError *err = NULL;

	for (int i = 0; i < MEM_VMA_MAX_EXTRA + 5; i++)
		g_string_append_printf(s, "Vendor%d: %d\n", i, i);
	ck_assert(mem_parse_smaps(s->str, s->len, collect, &c, &err));
	ck_assert_uint_eq(c.n_extra[0], MEM_VMA_MAX_EXTRA);
	ck_assert_uint_eq(c.n_dropped[0], 5);
	ck_assert_str_eq(c.extra[0][3], "Vendor3=3");
	g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_smaps_huge_name)
{
	/* A 1 MB name is just a long line. */
	gsize n = 1024 * 1024;
	GString *s = g_string_new("1000-2000 rw-p 00000000 00:00 0 /");
	Collect c = { 0 };
	GError *err = NULL;

	for (gsize i = 0; i < n; i++)
		g_string_append_c(s, (char)('a' + i % 26));
	g_string_append(s, "\nSize: 4 kB\nRss: 4 kB\n");
	ck_assert(mem_parse_smaps(s->str, s->len, collect, &c, &err));
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.sum.v[MEM_F_RSS], KB(4));
	ck_assert(g_str_has_prefix(c.names[0], "/abcdefghijklmnopqrstuvwxyzabc"));
	g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_smaps_nul_in_name)
{
	static const char t[] = "1000-2000 rw-p 00000000 00:00 0 /a\0b\nSize: 4 kB\nRss: 4 kB\n";
	Collect c = { 0 };
	GError *err = NULL;

	ck_assert(mem_parse_smaps(t, sizeof t - 1, collect, &c, &err));
	ck_assert_uint_eq(c.n, 1);
}
END_TEST

START_TEST(test_smaps_extremes)
{
	/* 2^54-1 kB is the largest kB value whose byte count fits 64 bits. */
	static const char t[] = "1000-2000 rw-p 00000000 00:00 0 \nSize: 18014398509481983 kB\nRss: 0 kB\n";
	Collect c = { 0 };
	GError *err = NULL;

	ck_assert(mem_parse_smaps(t, strlen(t), collect, &c, &err));
	ck_assert_uint_eq(c.sum.v[MEM_F_SIZE], G_MAXUINT64 - 1023);
}
END_TEST

START_TEST(test_smaps_callback_stops)
{
	Collect c = { .stop_after = 2 };
	GError *err = NULL;

	ck_assert(!mem_parse_smaps(smaps_4_4, strlen(smaps_4_4), collect, &c, &err));
	ck_assert_uint_eq(c.n, 1);
	ck_assert(g_error_matches(err, MEM_ERROR, MEM_ERROR_INVALID));
	g_error_free(err);
}
END_TEST

#define HDR "1000-2000 rw-p 00000000 00:00 0 \n"
/* Lines as the kernel writes them: the name and colon padded to 16 columns, the value in 8, " kB". */
#define K_SIZE "Size:                  4 kB\n"
#define K_RSS "Rss:                   4 kB\n"
#define HDR2 "2000-3000 rw-p 00000000 00:00 0 \n"
static const struct {
	const char *text;
	gsize len; /* 0: strlen */
	int code;
	guint line;
	const char *needle;
	guint delivered; /* records handed to the callback before the error */
} smaps_bad[] = {
	{ "Size: 4 kB\n", 0, MEM_ERROR_PARSE, 1, "before any mapping header", 0 },
	{ "2000-1000 rw-p 00000000 00:00 0 \nSize: 4 kB\nRss: 4 kB\n", 0, MEM_ERROR_PARSE, 1, "below its start", 0 },
	{ HDR "Size: 4 kB\nRss: 4 kB", 0, MEM_ERROR_TRUNCATED, 3, "no newline", 0 },
	{ HDR "Size: 4 kB\nRss: 4", 0, MEM_ERROR_TRUNCATED, 3, "no newline", 0 },
	{ HDR "Size: 4 kB\nRss: 4 kB\n" HDR2 "Size: 4 kB\n", 0, MEM_ERROR_TRUNCATED, 4, "no Rss", 1 },
	{ HDR "Size: 4 kB\nRss: 4 kB\n" HDR2, 0, MEM_ERROR_TRUNCATED, 4, "cut short", 1 },
	{ HDR "Size: 4 kB\nRss: 4 kB\nPss: 1 kB\n" HDR2 "Size: 4 kB\nRss: 4 kB\n" HDR "Size: 4 kB\nRss: 4 kB\nPss: 1 kB\n",
	  0, MEM_ERROR_PARSE, 5, "no Pss field", 1 },
	{ HDR "Size: 4 kB\nRss: 4 kB\n" HDR2 "Size: 4 kB\nRss: 4 kB\nSwap: 0 kB\n", 0, MEM_ERROR_PARSE, 4,
	  "a Swap field", 1 },
	{ HDR "Size: 4 kB\n" HDR2 "Size: 4 kB\nRss: 4 kB\n", 0, MEM_ERROR_PARSE, 1, "no Rss field", 0 },
	{ HDR "Rss: 4 kB\n", 0, MEM_ERROR_TRUNCATED, 1, "no Size", 0 },
	{ HDR "Size: 4 kB\nRss: 18014398509481984 kB\n", 0, MEM_ERROR_PARSE, 3, "Rss: value too large", 0 },
	{ HDR "Size: 4 kB\nRss: 18446744073709551615 kB\n", 0, MEM_ERROR_PARSE, 3, "Rss: value too large", 0 },
	{ HDR "Size: 4 kB\nRss: 18446744073709551616 kB\n", 0, MEM_ERROR_PARSE, 3, "Rss: value too large", 0 },
	{ HDR "Size: 4 kB\nRss: -4 kB\n", 0, MEM_ERROR_PARSE, 3, "Rss: negative", 0 },
	{ HDR "Size: 4 kB\nRss: 4\n", 0, MEM_ERROR_PARSE, 3, "Rss: expected a number", 0 },
	{ HDR "Size: 4 kB\nRss: 4 MB\n", 0, MEM_ERROR_PARSE, 3, "Rss: expected a number", 0 },
	{ HDR "Size: 4 kB\nRss: kB\n", 0, MEM_ERROR_PARSE, 3, "Rss: expected a number", 0 },
	{ HDR "Size: 4 kB\nRss: 4 kB junk\n", 0, MEM_ERROR_PARSE, 3, "Rss: expected a number", 0 },
	{ HDR "Size: 4 kB\nRss:\0 4 kB\n", sizeof(HDR "Size: 4 kB\nRss:\0 4 kB\n") - 1, MEM_ERROR_PARSE, 3, "\\x00", 0 },
	{ HDR "Size: 4 kB\nRss: 4 kB\nRss: 4 kB\n", 0, MEM_ERROR_PARSE, 4, "repeated", 0 },
	{ HDR "Size: 4 kB\nRss: 4 kB\nVmFlags: rd\nVmFlags: wr\n", 0, MEM_ERROR_PARSE, 5, "repeated", 0 },
	{ HDR "Size: 4 kB\nno colon here\x1b[2J\n", 0, MEM_ERROR_PARSE, 3, "no colon here\\x1b[2J", 0 },
	{ HDR "Size: 4 kB\n\n", 0, MEM_ERROR_PARSE, 3, "expected 'Key: value'", 0 },
	{ "1000-2000 rw-p 00000000 00:00\nSize: 4 kB\n", 0, MEM_ERROR_PARSE, 1, "bad mapping line", 0 },
	/* The kernel's own 28-byte layout, in a second record, where the fast path has a hint: it must
	 * leave these lines to the general parser, which reports them. */
	{ HDR K_SIZE K_RSS HDR2 K_RSS K_RSS, 0, MEM_ERROR_PARSE, 6, "repeated", 1 },
	{ HDR K_SIZE K_RSS HDR2 K_SIZE "Rss:                 1 2 kB\n", 0, MEM_ERROR_PARSE, 6, "Rss: expected a number", 1 },
	{ HDR K_SIZE K_RSS HDR2 K_SIZE "Rss:                     kB\n", 0, MEM_ERROR_PARSE, 6, "Rss: expected a number", 1 },
};

/* Parses file[0, total) through a drip of `step`; returns the parse's result. */
static gboolean parse_drip(const char *file, gsize total, gsize step, gsize fail_at, Collect *c, WindowDrip *d,
                           GError **err)
{
	gboolean ok;

	window_drip_init(d, file, total, step, fail_at);
	ok = mem_parse_smaps_more(file, 0, window_drip_more, d, collect, c, err);
	window_drip_clear(d);
	return ok;
}

static void assert_same_records(const Collect *a, const Collect *b)
{
	ck_assert_uint_eq(a->n, b->n);
	ck_assert_mem_eq(&a->sum, &b->sum, sizeof a->sum);
	ck_assert_mem_eq(a->known, b->known, sizeof a->known);
	ck_assert_mem_eq(a->lines, b->lines, sizeof a->lines);
	ck_assert_mem_eq(a->names, b->names, sizeof a->names);
	ck_assert_mem_eq(a->vmflags, b->vmflags, sizeof a->vmflags);
	ck_assert_mem_eq(a->has_vmflags, b->has_vmflags, sizeof a->has_vmflags);
	ck_assert_mem_eq(a->n_extra, b->n_extra, sizeof a->n_extra);
	ck_assert_mem_eq(a->n_dropped, b->n_dropped, sizeof a->n_dropped);
	ck_assert_mem_eq(a->extra, b->extra, sizeof a->extra);
	ck_assert_mem_eq(a->start, b->start, sizeof a->start);
	ck_assert_mem_eq(a->end, b->end, sizeof a->end);
}

/* The kernel's layout (taken by the fast path from the second record on) and the compact one give the
 * same values, up to 8 digits; a 9-digit value makes a longer line, parsed the general way. */
START_TEST(test_smaps_kernel_layout)
{
	static const char kernel[] = HDR "Size:                  4 kB\n" "Rss:            99999999 kB\n" "Pss:                   0 kB\n" HDR2 "Size:                  8 kB\n" "Rss:                   1 kB\n" "Pss:            12345678 kB\n"
	                             "3000-4000 rw-p 00000000 00:00 0 \n" "Size:                  4 kB\n" "Rss:                 123456789 kB\n" "Pss:                   0 kB\n";
	static const char compact[] = HDR "Size: 4 kB\nRss: 99999999 kB\nPss: 0 kB\n" HDR2 "Size: 8 kB\nRss: 1 kB\nPss: 12345678 kB\n"
	                              "3000-4000 rw-p 00000000 00:00 0 \nSize: 4 kB\nRss: 123456789 kB\nPss: 0 kB\n";
	Collect a = { 0 }, b = { 0 };
	GError *err = NULL;

	ck_assert_msg(mem_parse_smaps(kernel, strlen(kernel), collect, &a, &err), "%s", err ? err->message : "?");
	ck_assert_msg(mem_parse_smaps(compact, strlen(compact), collect, &b, &err), "%s", err ? err->message : "?");
	ck_assert_uint_eq(a.n, 3);
	ck_assert_uint_eq(a.sum.v[MEM_F_RSS], (99999999ull + 1 + 123456789ull) * 1024);
	ck_assert_uint_eq(a.sum.v[MEM_F_PSS], 12345678ull * 1024);
	ck_assert_mem_eq(&a.sum, &b.sum, sizeof a.sum);
	ck_assert_mem_eq(a.known, b.known, sizeof a.known);
	ck_assert_mem_eq(a.lines, b.lines, sizeof a.lines);
}
END_TEST

START_TEST(test_smaps_bad)
{
	Collect c = { 0 };
	GError *err = NULL;
	const char *t = smaps_bad[_i].text;
	gsize len = smaps_bad[_i].len ? smaps_bad[_i].len : strlen(t);

	ck_assert_msg(!mem_parse_smaps(t, len, collect, &c, &err), "case %d parsed", _i);
	assert_error(err, smaps_bad[_i].code, smaps_bad[_i].line, smaps_bad[_i].needle);
	ck_assert_uint_eq(c.n, smaps_bad[_i].delivered);
	g_error_free(err);
	/* The same through a moving window, a few bytes at a time. */
	for (gsize step = 1; step < 9; step += 4) {
		Collect d = { 0 };
		WindowDrip drip;

		err = NULL;
		ck_assert_msg(!parse_drip(t, len, step, 0, &d, &drip, &err), "case %d parsed in pieces", _i);
		assert_error(err, smaps_bad[_i].code, smaps_bad[_i].line, smaps_bad[_i].needle);
		assert_same_records(&d, &c);
		g_error_free(err);
	}
}
END_TEST

START_TEST(test_smaps_every_cut)
{
	/* Cutting a valid file anywhere gives a clean result.  A cut is accepted only at the end of a line
	 * and, in the second record, only at its end; the first record sets the field set, so a cut in it
	 * is caught only before its Rss line (a known limit of the consistency rule). */
	const char *second = strstr(smaps_6_x, "\n7f0000200000") + 1;
	const char *first_rss_end = strchr(strstr(smaps_6_x, "Rss:"), '\n') + 1;

	for (gsize cut = 0; cut < sizeof smaps_6_x - 1; cut++) {
		Collect c = { 0 };
		GError *err = NULL;
		const char *at = smaps_6_x + cut;
		gboolean ok = mem_parse_smaps(smaps_6_x, cut, collect, &c, &err);

		if (ok) {
			ck_assert_msg(cut == 0 || at[-1] == '\n', "cut %zu accepted mid-line", cut);
			ck_assert_msg(cut == 0 || (at >= first_rss_end && at <= second), "cut %zu accepted", cut);
			ck_assert_uint_eq(c.n, cut == 0 ? 0 : 1);
		} else {
			ck_assert_msg(err->code == MEM_ERROR_TRUNCATED, "cut %zu: %s", cut, err->message);
			g_error_free(err);
		}
	}
}
END_TEST

START_TEST(test_smaps_more_matches_whole)
{
	/* Parsing while the file arrives gives exactly what parsing it whole gives, for any chunking: the
	 * window moves inside header lines, field lines, VmFlags and the other fields of open records. */
	static const gsize steps[] = { 1, 3, 7, 64, 100, 4096 };
	const char *files[] = { smaps_4_4, smaps_5_10, smaps_6_x, smaps_2_6 };

	for (gsize f = 0; f < G_N_ELEMENTS(files); f++) {
		Collect whole = { 0 };
		GError *err = NULL;

		ck_assert(mem_parse_smaps(files[f], strlen(files[f]), collect, &whole, &err));
		for (gsize k = 0; k < G_N_ELEMENTS(steps); k++) {
			Collect c = { 0 };
			WindowDrip d;

			ck_assert_msg(parse_drip(files[f], strlen(files[f]), steps[k], 0, &c, &d, &err),
			              "file %zu step %zu: %s", f, steps[k], err ? err->message : "");
			assert_same_records(&c, &whole);
			ck_assert_uint_ge(d.calls, 1);
		}
	}
}
END_TEST

START_TEST(test_smaps_more_bounded)
{
	/* The window holds the open record and what arrived, not the file: for 2000 records of about 100
	 * bytes dripped 4 KiB at a time it never exceeds a step plus a record. */
	GString *s = g_string_new(NULL);
	Collect whole = { 0 }, c = { 0 };
	GError *err = NULL;
	WindowDrip d;

	for (guint i = 0; i < 2000; i++)
		g_string_append_printf(s, "%08x-%08x rw-p 00000000 00:00 0 name%u\nSize: 4 kB\nRss: 4 kB\nVmFlags: rd wr \n",
		                       (i + 1) * 4096, (i + 2) * 4096, i);
	ck_assert(mem_parse_smaps(s->str, s->len, collect, &whole, &err));
	ck_assert(parse_drip(s->str, s->len, 4096, 0, &c, &d, &err));
	assert_same_records(&c, &whole);
	ck_assert_uint_eq(c.n, 2000);
	ck_assert_uint_le(d.max_len, 4096 + 200);
	g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_smaps_more_huge_name)
{
	/* A record with a 1 MB name between ordinary ones: the window grows to hold it while the record is
	 * open (its name is rebased at every move), then shrinks back. */
	gsize n = 1024 * 1024;
	GString *s = g_string_new("1000-2000 rw-p 00000000 00:00 0 first\nSize: 4 kB\nRss: 4 kB\nVmFlags: rd \n");
	Collect whole = { 0 }, c = { 0 };
	GError *err = NULL;
	g_autofree char *name = g_malloc(n);
	WindowDrip d;

	for (gsize i = 0; i < n; i++)
		name[i] = (char)('a' + i % 26);
	g_string_append(s, "2000-3000 rw-p 00000000 00:00 0 /");
	g_string_append_len(s, name, (gssize)n);
	g_string_append(s, "\nSize: 4 kB\nRss: 4 kB\nTHPeligible: 0\nVmFlags: rd wr \n");
	for (guint i = 0; i < 100; i++)
		g_string_append_printf(s, "%08x-%08x rw-p 00000000 00:00 0 after%u\nSize: 4 kB\nRss: 4 kB\nVmFlags: rd \n",
		                       (i + 3) * 4096, (i + 4) * 4096, i);
	ck_assert(mem_parse_smaps(s->str, s->len, collect, &whole, &err));
	for (gsize step = 1000; step <= 300000; step *= 17) {
		Collect each = { 0 };
		WindowDrip e;

		ck_assert(parse_drip(s->str, s->len, step, 0, &each, &e, &err));
		assert_same_records(&each, &whole);
		ck_assert_uint_le(e.max_len, n + 200 + step);
	}
	ck_assert(parse_drip(s->str, s->len, 65536, 0, &c, &d, &err));
	ck_assert_uint_eq(c.n, 102);
	ck_assert(g_str_has_prefix(c.names[1], "/abcdefghijklmnopqrstuvwxyzabc"));
	ck_assert_str_eq(c.extra[1][0], "THPeligible=0");
	ck_assert_str_eq(c.vmflags[1], "rd wr ");
	g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_smaps_more_cut_and_error)
{
	Collect c = { 0 };
	GError *err = NULL;
	gsize cut = (gsize)(strchr(strstr(smaps_6_x, "Pss:"), '\n') - smaps_6_x) - 2;
	gsize second = (gsize)(strstr(smaps_6_x, "\n7f0000200000") + 1 - smaps_6_x);
	gsize in_second = (gsize)(strchr(strstr(smaps_6_x + second, "Rss:"), '\n') + 1 - smaps_6_x);
	WindowDrip d;

	/* The file ends mid-line: truncated, as for a whole buffer. */
	ck_assert(!parse_drip(smaps_6_x, cut, 5, 0, &c, &d, &err));
	ck_assert_int_eq(err->code, MEM_ERROR_TRUNCATED);
	g_clear_error(&err);
	/* The file ends after a whole line inside the second record: that record is cut short, the first
	 * one came through. */
	for (gsize step = 1; step < 200; step += 37) {
		memset(&c, 0, sizeof c);
		ck_assert(!parse_drip(smaps_6_x, in_second, step, 0, &c, &d, &err));
		ck_assert_int_eq(err->code, MEM_ERROR_TRUNCATED);
		ck_assert_ptr_nonnull(strstr(err->message, "cut short"));
		ck_assert_uint_eq(c.n, 1);
		g_clear_error(&err);
	}
	/* A failing read stops the parse with the reader's error. */
	memset(&c, 0, sizeof c);
	ck_assert(!parse_drip(smaps_6_x, strlen(smaps_6_x), 16, 100, &c, &d, &err));
	ck_assert_int_eq(err->code, MEM_ERROR_IO);
	ck_assert_uint_eq(c.n, 0);
	g_clear_error(&err);
	/* ... also once a record went through, with the next one open across the failing move. */
	for (gsize step = 1; step < 300; step += 41) {
		Collect whole = { 0 };
		gsize after_header = (gsize)(strchr(smaps_6_x + second, '\n') + 1 - smaps_6_x);

		ck_assert(mem_parse_smaps(smaps_6_x, second, collect, &whole, &err));
		memset(&c, 0, sizeof c);
		ck_assert(!parse_drip(smaps_6_x, strlen(smaps_6_x), step, after_header, &c, &d, &err));
		ck_assert_int_eq(err->code, MEM_ERROR_IO);
		assert_same_records(&c, &whole);
		g_clear_error(&err);
	}
}
END_TEST

/* Android kernels write a "Name:" line in named anonymous records only (issue 8, item 1): the first
 * record has one, the last has none, and the file is whole.  Lines in the kernel's layout, so the fast
 * path's hints have to follow the records in and out of step. */
#define A_REC(hdr, name, pss)                                                                             \
	hdr "\n" name "Size:                  8 kB\n"                                                            \
	    "KernelPageSize:        4 kB\n"                                                                      \
	    "MMUPageSize:           4 kB\n"                                                                      \
	    "Rss:                   8 kB\n"                                                                      \
	    "Pss:                   " pss " kB\n"                                                                \
	    "Shared_Clean:          0 kB\n"                                                                      \
	    "Private_Dirty:         8 kB\n"                                                                      \
	    "VmFlags: rd wr mr mw me ac \n"
static const char smaps_android[] =
	A_REC("12c00000-12c02000 rw-p 00000000 00:00 0          [anon:dalvik-main space]",
	      "Name:           [anon:dalvik-main space]\n", "       1")
	A_REC("12c02000-12c04000 rw-p 00000000 00:00 0 ", "", "       2")
	A_REC("12c04000-12c06000 rw-p 00000000 00:00 0          [anon:scudo:primary]",
	      "Name:           [anon:scudo:primary]\n", "       3")
	A_REC("12c06000-12c08000 rw-s 00000000 00:05 4242       /dev/ashmem/CursorWindow (deleted)", "",
	      "       4")
	A_REC("12c08000-12c0a000 rw-p 00000000 00:00 0 ", "", "       5");

START_TEST(test_smaps_vendor_lines)
{
	Collect c = { 0 };
	GError *err = NULL;
	/* the reproducer: two records, a Name line in the first only */
	const char *second = strstr(smaps_android, "12c02000-");
	const char *third = strstr(smaps_android, "12c04000-");

	ck_assert_msg(mem_parse_smaps(smaps_android, (gsize)(third - smaps_android), collect, &c, &err), "%s",
	              err ? err->message : "");
	ck_assert_uint_eq(c.n, 2);
	ck_assert_uint_eq(c.sum.v[MEM_F_PSS], KB(3));
	memset(&c, 0, sizeof c);
	ck_assert_msg(mem_parse_smaps(smaps_android, strlen(smaps_android), collect, &c, &err), "%s",
	              err ? err->message : "");
	ck_assert_uint_eq(c.n, 5);
	ck_assert_uint_eq(c.sum.v[MEM_F_PSS], KB(15));
	ck_assert_uint_eq(c.sum.v[MEM_F_RSS], KB(40));
	ck_assert_uint_eq(c.sum.v[MEM_F_PRIVATE_DIRTY], KB(40));
	ck_assert_uint_eq(c.n_extra[0], 1);
	ck_assert_str_eq(c.extra[0][0], "Name=[anon:dalvik-main space]");
	ck_assert_uint_eq(c.n_extra[1], 0);
	ck_assert_uint_eq(c.n_extra[2], 1);
	ck_assert_str_eq(c.extra[2][0], "Name=[anon:scudo:primary]");
	ck_assert_uint_eq(c.n_extra[4], 0);
	ck_assert_str_eq(c.names[3], "/dev/ashmem/CursorWindow (deleted)");
	for (guint i = 0; i < 5; i++) {
		ck_assert_uint_eq(c.known[i], c.known[0]);
		ck_assert(c.has_vmflags[i]);
	}
	/* the same through a moving window, whatever the chunking */
	for (gsize step = 1; step < 400; step += 29) {
		Collect d = { 0 };
		WindowDrip w;

		ck_assert(parse_drip(smaps_android, strlen(smaps_android), step, 0, &d, &w, &err));
		assert_same_records(&d, &c);
	}
	/* A record cut before its VmFlags is still cut, Name line or not. */
	memset(&c, 0, sizeof c);
	ck_assert(!mem_parse_smaps(smaps_android, (gsize)(strstr(second, "VmFlags") - smaps_android), collect, &c,
	                           &err));
	ck_assert_int_eq(err->code, MEM_ERROR_TRUNCATED);
	ck_assert_ptr_nonnull(strstr(err->message, "no VmFlags"));
	ck_assert_uint_eq(c.n, 1);
	g_clear_error(&err);
}
END_TEST

/* ---- smaps_rollup ---- */

static const char rollup_4_19[] =
	"00400000-ffffffffff601000 ---p 00000000 00:00 0                          [rollup]\n"
	"Rss:                1532 kB\n"
	"Pss:                 187 kB\n"
	"Shared_Clean:       1344 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:        80 kB\n"
	"Private_Dirty:       108 kB\n"
	"Referenced:         1532 kB\n"
	"Anonymous:           108 kB\n"
	"LazyFree:              0 kB\n"
	"AnonHugePages:         0 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"Shared_Hugetlb:        0 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"Swap:                 16 kB\n"
	"SwapPss:               4 kB\n"
	"Locked:              187 kB\n";

/* 6.x: Pss_Dirty, Pss_Anon/File/Shmem, KSM; each Pss_* differs from Pss. */
static const char rollup_6_x[] =
	"561cd05d8000-7ffe468af000 ---p 00000000 00:00 0                          [rollup]\n"
	"Rss:                1668 kB\n"
	"Pss:                 385 kB\n"
	"Pss_Dirty:           112 kB\n"
	"Pss_Anon:            111 kB\n"
	"Pss_File:            273 kB\n"
	"Pss_Shmem:             1 kB\n"
	"Shared_Clean:       1484 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:        72 kB\n"
	"Private_Dirty:       112 kB\n"
	"Referenced:         1668 kB\n"
	"Anonymous:           112 kB\n"
	"KSM:                   3 kB\n"
	"LazyFree:              0 kB\n"
	"AnonHugePages:         0 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"FilePmdMapped:         0 kB\n"
	"Shared_Hugetlb:        0 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"Swap:                  0 kB\n"
	"SwapPss:               5 kB\n"
	"Locked:                0 kB\n";

/* Hand-made: the Pss look-alikes come first, an unknown key sits in the middle. */
static const char rollup_odd_order[] =
	"00400000-00401000 ---p 00000000 00:00 0 [rollup]\n"
	"Pss_Anon:              1 kB\n"
	"Pss_File:              2 kB\n"
	"Pss_Shmem:             3 kB\n"
	"Pss_Dirty:             4 kB\n"
	"SwapPss:               5 kB\n"
	"PssX:                  6 kB\n"
	"ProtectionKey:         0\n"
	"Pss:                   7 kB\n"
	"Rss:                   8 kB\n";

START_TEST(test_rollup_4_19)
{
	MemCounters c;
	GError *err = NULL;

	ck_assert_msg(mem_parse_smaps_rollup(rollup_4_19, strlen(rollup_4_19), &c, &err), "%s",
	              err ? err->message : "");
	ck_assert_uint_eq(c.v[MEM_F_RSS], KB(1532));
	ck_assert_uint_eq(c.v[MEM_F_PSS], KB(187));
	ck_assert_uint_eq(c.v[MEM_F_SWAP_PSS], KB(4));
	ck_assert_uint_eq(c.v[MEM_F_PRIVATE_DIRTY], KB(108));
	ck_assert(!mem_counters_has(&c, MEM_F_PSS_ANON));
	ck_assert(!mem_counters_has(&c, MEM_F_PSS_DIRTY));
	ck_assert(!mem_counters_has(&c, MEM_F_SIZE));
	ck_assert(!mem_counters_has(&c, MEM_F_KSM));
	ck_assert(mem_counters_has(&c, MEM_F_LOCKED));
}
END_TEST

START_TEST(test_rollup_6_x)
{
	MemCounters c;
	GError *err = NULL;

	ck_assert(mem_parse_smaps_rollup(rollup_6_x, strlen(rollup_6_x), &c, &err));
	ck_assert_uint_eq(c.v[MEM_F_PSS], KB(385));
	ck_assert_uint_eq(c.v[MEM_F_PSS_DIRTY], KB(112));
	ck_assert_uint_eq(c.v[MEM_F_PSS_ANON], KB(111));
	ck_assert_uint_eq(c.v[MEM_F_PSS_FILE], KB(273));
	ck_assert_uint_eq(c.v[MEM_F_PSS_SHMEM], KB(1));
	ck_assert_uint_eq(c.v[MEM_F_KSM], KB(3));
	ck_assert_uint_eq(c.v[MEM_F_SWAP_PSS], KB(5));
	ck_assert(!mem_counters_has(&c, MEM_F_SIZE));
	ck_assert(!mem_counters_has(&c, MEM_F_MMU_PAGE_SIZE));
}
END_TEST

/* Issue 8, item 3: huge pages are outside Rss and Pss; HUGETLB = Shared_Hugetlb + Private_Hugetlb, known
 * only when both fields are, and never added to PSS. */
START_TEST(test_rollup_hugetlb)
{
	static const char rollup[] = "55e91604e000-7ffd22368000 ---p 00000000 00:00 0                          [rollup]\n"
	                             "Rss:               14108 kB\n"
	                             "Pss:                9820 kB\n"
	                             "Shared_Clean:       6648 kB\n"
	                             "Shared_Dirty:          0 kB\n"
	                             "Private_Clean:       112 kB\n"
	                             "Private_Dirty:      7348 kB\n"
	                             "Shared_Hugetlb:     2048 kB\n"
	                             "Private_Hugetlb:   16384 kB\n";
	MemProcess p = { .state = MEM_PROC_OK };
	MemCounters c = { 0 };
	guint64 packed[MEM_F_COUNT];
	MemMetrics m;
	GError *err = NULL;
	guint64 v = 1;

	ck_assert(mem_parse_smaps_rollup(rollup, strlen(rollup), &c, &err));
	ck_assert(mem_counters_hugetlb(&c, &v));
	ck_assert_uint_eq(v, KB(18432));
	mem_process_pack_counters(&p, &c, MEM_FIELDS_ALL, packed);
	mem_process_metrics(&p, &m);
	ck_assert(mem_metrics_has(&m, MEM_M_HUGETLB));
	ck_assert_uint_eq(m.v[MEM_M_HUGETLB], KB(18432));
	ck_assert_uint_eq(m.v[MEM_M_PSS], KB(9820));
	ck_assert_uint_eq(m.v[MEM_M_RSS], KB(14108));
	ck_assert(!mem_metric_additive(MEM_M_HUGETLB));
	/* a kernel without the fields (before 4.4): unknown, not 0 */
	c.known &= ~MEM_FIELD_BIT(MEM_F_SHARED_HUGETLB);
	v = 1;
	ck_assert(!mem_counters_hugetlb(&c, &v));
	ck_assert_uint_eq(v, 1);
	mem_process_pack_counters(&p, &c, MEM_FIELDS_ALL, packed);
	mem_process_metrics(&p, &m);
	ck_assert(!mem_metrics_has(&m, MEM_M_HUGETLB));
	/* saturating */
	c.known |= MEM_FIELD_BIT(MEM_F_SHARED_HUGETLB);
	c.v[MEM_F_SHARED_HUGETLB] = G_MAXUINT64 - 1;
	ck_assert(mem_counters_hugetlb(&c, &v));
	ck_assert_uint_eq(v, G_MAXUINT64);
}
END_TEST

START_TEST(test_rollup_exact_keys)
{
	MemCounters c;
	GError *err = NULL;

	ck_assert(mem_parse_smaps_rollup(rollup_odd_order, strlen(rollup_odd_order), &c, &err));
	ck_assert_uint_eq(c.v[MEM_F_PSS], KB(7));
	ck_assert_uint_eq(c.v[MEM_F_RSS], KB(8));
	ck_assert_uint_eq(c.v[MEM_F_PSS_ANON], KB(1));
	ck_assert_uint_eq(c.v[MEM_F_SWAP_PSS], KB(5));
}
END_TEST

#define RHDR "00400000-00401000 ---p 00000000 00:00 0 [rollup]\n"
static const struct {
	const char *text;
	int code;
	guint line;
	const char *needle;
} rollup_bad[] = {
	{ "", MEM_ERROR_PARSE, 1, "empty" },
	{ RHDR, MEM_ERROR_TRUNCATED, 1, "ends after its header" },
	{ RHDR "Rss: 4 kB\n", MEM_ERROR_PARSE, 2, "no Pss field" },
	{ RHDR "Pss: 4 kB\nPss_Anon: 4 kB\n", MEM_ERROR_PARSE, 3, "no Rss field" },
	{ RHDR "Rss: 4 kB\nPss: 4 kB", MEM_ERROR_TRUNCATED, 3, "no newline" },
	{ "Rss: 4 kB\nPss: 4 kB\n", MEM_ERROR_PARSE, 1, "expected the [rollup] header" },
	{ RHDR "Rss: 4 kB\n" RHDR "Pss: 4 kB\n", MEM_ERROR_PARSE, 3, "second header" },
	{ RHDR "Rss: 4 kB\nPss: 18014398509481984 kB\n", MEM_ERROR_PARSE, 3, "Pss: value too large" },
	{ RHDR "Rss: 4 kB\nPss: -1 kB\n", MEM_ERROR_PARSE, 3, "Pss: negative" },
	{ RHDR "Rss: 4 kB\nPss: 1 kB\nPss: 1 kB\n", MEM_ERROR_PARSE, 4, "repeated" },
	{ RHDR "Rss: 4 kB\nPss 1 kB\n", MEM_ERROR_PARSE, 3, "expected 'Key: value'" },
	/* in the kernel's layout, where the fast path would take the line if it did not check */
	{ RHDR "Pss:                   4 kB\nRss:                   4 kB\nPss:                   4 kB\n", MEM_ERROR_PARSE, 4, "repeated" },
};

/* The kernel's 28-byte lines (taken by the fast path, the next field in order as its hint) and the
 * compact form give the same counters: a 9-digit value makes a longer line, and fields out of order
 * (Pss_Anon after Shared_Clean) miss the hint; both go the general way. */
START_TEST(test_rollup_kernel_layout)
{
	static const char kernel[] = RHDR
		"Rss:            99999999 kB\n"
		"Pss:            123456789 kB\n"
		"Pss_Dirty:             7 kB\n"
		"Shared_Clean:   12345678 kB\n"
		"Pss_Anon:              3 kB\n"
		"Referenced:            0 kB\n"
		"Swap:                  1 kB\n"
		"SwapPss:               2 kB\n";
	g_autoptr(GString) compact = g_string_new(NULL);
	MemCounters a, b;
	GError *err = NULL;

	ck_assert_msg(mem_parse_smaps_rollup(kernel, strlen(kernel), &a, &err), "%s", err ? err->message : "");
	for (const char *p = kernel; *p; p++) /* the compact form: every run of blanks made one */
		if (*p != ' ' || p[1] != ' ')
			g_string_append_c(compact, *p);
	ck_assert_msg(mem_parse_smaps_rollup(compact->str, compact->len, &b, &err), "%s", err ? err->message : "");
	ck_assert_uint_eq(a.v[MEM_F_RSS], KB(99999999));
	ck_assert_uint_eq(a.v[MEM_F_PSS], KB(123456789));
	ck_assert_uint_eq(a.v[MEM_F_SHARED_CLEAN], KB(12345678));
	ck_assert_uint_eq(a.v[MEM_F_PSS_ANON], KB(3));
	ck_assert_uint_eq(a.v[MEM_F_SWAP_PSS], KB(2));
	ck_assert(!mem_counters_has(&a, MEM_F_PSS_FILE));
	ck_assert_mem_eq(&a, &b, sizeof a);
}
END_TEST

/* The kernel's header is taken by a short check (kernel_rollup_header); any other maps line the general
 * parser takes is a header too, and a line neither takes is an error. */
START_TEST(test_rollup_header_forms)
{
	static const char *const good[] = {
		"561cd05d8000-7ffe468af000 ---p 00000000 00:00 0                          [rollup]\n",
		"00400000-00401000 ---p 00000000 00:00 0 [rollup]\n",
		"400000-401000 ---p 00000000 00:00 0 [rollup]\n",       /* short addresses */
		"00400000-00401000 r--p 00000000 00:00 0 [rollup]\n",   /* other permissions */
		"00400000-00401000 ---p 00000000 00:00 0\n",            /* no name */
	};
	static const char *const bad[] = {
		"00400000-0040100g ---p 00000000 00:00 0 [rollup]\n",
		"00400000-00401000 ---p 0000000z 00:00 0 [rollup]\n",
		"0040000000000000000-00401000 ---p 00000000 00:00 0 [rollup]\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(good) + G_N_ELEMENTS(bad); i++) {
		gboolean ok = i < G_N_ELEMENTS(good);
		g_autofree char *text = g_strconcat(ok ? good[i] : bad[i - G_N_ELEMENTS(good)],
		                                    "Rss:                   8 kB\nPss:                   4 kB\n", NULL);
		g_autoptr(GError) err = NULL;
		MemCounters c;

		ck_assert_msg(mem_parse_smaps_rollup(text, strlen(text), &c, &err) == ok, "%s", text);
		if (ok)
			ck_assert_uint_eq(c.v[MEM_F_PSS], KB(4));
		else
			ck_assert_int_eq(err->code, MEM_ERROR_PARSE);
	}
}
END_TEST

START_TEST(test_rollup_bad)
{
	MemCounters c;
	GError *err = NULL;
	const char *t = rollup_bad[_i].text;

	ck_assert_msg(!mem_parse_smaps_rollup(t, strlen(t), &c, &err), "case %d parsed", _i);
	assert_error(err, rollup_bad[_i].code, rollup_bad[_i].line, rollup_bad[_i].needle);
	g_error_free(err);
}
END_TEST

static Suite *parse_smaps_suite(void)
{
	Suite *s = suite_create("parse-smaps");
	TCase *tc = tcase_create("maps");

	tcase_add_loop_test(tc, test_maps_ok, 0, G_N_ELEMENTS(maps_ok));
	tcase_add_loop_test(tc, test_maps_bad, 0, G_N_ELEMENTS(maps_bad));
	tcase_add_test(tc, test_maps_line_number);
	tcase_add_test(tc, test_add_mapping_runs);
	tcase_add_test(tc, test_maps_not_terminated);
	suite_add_tcase(s, tc);

	tc = tcase_create("smaps");
	tcase_add_loop_test(tc, test_smaps_ok, 0, G_N_ELEMENTS(smaps_ok));
	tcase_add_test(tc, test_smaps_6x_details);
	tcase_add_test(tc, test_smaps_empty);
	tcase_add_test(tc, test_smaps_many_extra);
	tcase_add_test(tc, test_smaps_huge_name);
	tcase_add_test(tc, test_smaps_nul_in_name);
	tcase_add_test(tc, test_smaps_extremes);
	tcase_add_test(tc, test_smaps_callback_stops);
	tcase_add_loop_test(tc, test_smaps_bad, 0, G_N_ELEMENTS(smaps_bad));
	tcase_add_test(tc, test_smaps_kernel_layout);
	tcase_add_test(tc, test_smaps_every_cut);
	tcase_add_test(tc, test_smaps_more_matches_whole);
	tcase_add_test(tc, test_smaps_more_cut_and_error);
	tcase_add_test(tc, test_smaps_more_bounded);
	tcase_add_test(tc, test_smaps_more_huge_name);
	tcase_add_test(tc, test_smaps_vendor_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("rollup");
	tcase_add_test(tc, test_rollup_4_19);
	tcase_add_test(tc, test_rollup_6_x);
	tcase_add_test(tc, test_rollup_hugetlb);
	tcase_add_test(tc, test_rollup_exact_keys);
	tcase_add_test(tc, test_rollup_kernel_layout);
	tcase_add_test(tc, test_rollup_header_forms);
	tcase_add_loop_test(tc, test_rollup_bad, 0, G_N_ELEMENTS(rollup_bad));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(parse_smaps_suite());
}
