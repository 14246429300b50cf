/* check-format.c: Check unit tests for Zircon's human sizes, format.c (rendering support layer tests) */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "../common/check-run.h"

#define KILO G_GUINT64_CONSTANT(1024)
#define MEGA (KILO * 1024)
#define GIGA (MEGA * 1024)
#define TERA (GIGA * 1024)
#define PETA (TERA * 1024)
#define EXA (PETA * 1024)

typedef struct {
	guint64 bytes;
	char unit;
	const char *expected;
} SizeCase;

/* Zircon's own vectors: zircon/system/ulib/pretty/test/test.c (format_size_test_cases). */
static const SizeCase zircon_cases[] = {
	{ 0, 0, "0B" },
	{ 1, 0, "1B" },
	{ KILO - 1, 0, "1023B" },
	{ KILO, 0, "1k" },
	{ KILO + 1, 0, "1025B" },
	{ KILO * 9, 0, "9k" },
	{ KILO * 9 + 1, 0, "9217B" },
	{ KILO * 10, 0, "10k" },
	{ MEGA - KILO, 0, "1023k" },
	{ MEGA, 0, "1M" },
	{ MEGA + KILO, 0, "1025k" },
	{ MEGA * 9, 0, "9M" },
	{ MEGA * 9 + KILO, 0, "9217k" },
	{ MEGA * 10, 0, "10M" },
	{ GIGA, 0, "1G" },
	{ TERA, 0, "1T" },
	{ PETA, 0, "1P" },
	{ EXA, 0, "1E" },
	{ MEGA - 1, 0, "1024.0k" },
	{ MEGA + MEGA / 3, 0, "1365.3k" },
	{ GIGA - 1, 0, "1024.0M" },
	{ TERA - 1, 0, "1024.0G" },
	{ PETA - 1, 0, "1024.0T" },
	{ EXA - 1, 0, "1024.0P" },
	{ G_MAXUINT64, 0, "16.0E" },
	{ 9999, 0, "9999B" },
	{ 10000, 0, "9.8k" },
	{ KILO * 9999, 0, "9999k" },
	{ KILO * 9999 + 1, 0, "9999.0k" },
	{ KILO * 10000, 0, "9.8M" },
	{ 10700, 0, "10.4k" },
	{ 10701, 0, "10.5k" },
	{ 69887590, 0, "66.6M" },
	{ 69887591, 0, "66.7M" },
	{ G_GUINT64_CONSTANT(18389097998479209267), 0, "15.9E" },
	{ G_GUINT64_CONSTANT(18389097998479209268), 0, "16.0E" },
	{ G_MAXUINT64, 'B', "18446744073709551615B" },
	{ G_MAXUINT64, 'k', "18014398509481984.0k" },
	{ G_MAXUINT64, 'M', "17592186044416.0M" },
	{ G_MAXUINT64, 'G', "17179869184.0G" },
	{ G_MAXUINT64, 'T', "16777216.0T" },
	{ G_MAXUINT64, 'P', "16384.0P" },
	{ G_MAXUINT64, 'E', "16.0E" },
	{ GIGA, 'k', "1048576k" },
	{ MEGA / 10, 'M', "0.1M" },
	{ GIGA, 'q', "?1G" },
	{ KILO, 'q', "?1k" },
	{ GIGA + 1, '#', "?1.0G" },
	{ KILO + 1, '#', "?1025B" },
};

/* memps's own cases: the task's examples, edges of the rounding and of each fixed unit. */
static const SizeCase memps_cases[] = {
	{ 0, 0, "0B" },
	{ 1023, 0, "1023B" },
	{ 1024, 0, "1k" },
	{ 28672, 0, "28k" },                 /* 28 * 1024 */
	{ 10000, 0, "9.8k" },                /* 9.765625k */
	{ 1419571, 0, "1386.3k" },           /* 1386.2998k */
	{ 2 * MEGA, 0, "2M" },
	{ 34498560, 0, "32.9M" },            /* 32.90039M */
	{ 10240 + 512, 0, "10.5k" },         /* exactly 10.5k */
	{ 10240 + 256, 0, "10.3k" },         /* 10.25k: a tenth exactly half way rounds up */
	{ 10240 + 511, 0, "10.5k" },         /* 10.499k: tenths 4.99 rounds to 5 */
	{ 10240 + 50, 0, "10.0k" },          /* 10.0488k */
	{ 10240 + 52, 0, "10.1k" },          /* 10.0508k */
	{ KILO * 9999 + 1000, 0, "10000.0k" },  /* 9999.98k: the carry reaches the integer part */
	{ KILO * 10239 + 1000, 0, "10.0M" },     /* 10239.98k is >= 10000k: 9.99999M */
	{ 10239, 0, "10.0k" },               /* 9.999k carries into 10 */
	{ KILO * 10000 - 1, 0, "10000.0k" },     /* 9999.999k stays in k, rounds up */
	{ 9216, 0, "9k" },
	{ 1025 * KILO, 0, "1025k" },
	{ EXA * 8, 0, "8E" },
	{ EXA * 15, 0, "15E" },
	{ EXA * 15 + 1, 0, "15.0E" },
	{ G_MAXUINT64 - EXA / 2, 0, "15.5E" },  /* 15.4999...E: tenths 4.99... round to 5 */
	{ EXA * 15 + EXA / 20, 0, "15.0E" },    /* 15.0499...E (EXA / 20 truncates) */
	{ 0, 'B', "0B" },
	{ 0, 'k', "0k" },
	{ 0, 'E', "0E" },
	{ 1, 'k', "0.0k" },
	{ 51, 'k', "0.0k" },                 /* 0.0498k */
	{ 52, 'k', "0.1k" },                 /* 0.0508k */
	{ 1023, 'k', "1.0k" },
	{ 1024, 'B', "1024B" },
	{ 2 * GIGA, 'M', "2048M" },
	{ 1, 'M', "0.0M" },
	{ 10000, 'B', "10000B" },
	{ MEGA, 'k', "1024k" },
	{ TERA, 'G', "1024G" },
	{ PETA, 'T', "1024T" },
	{ EXA, 'P', "1024P" },
	{ PETA, 'E', "0.0E" },
	{ EXA / 2, 'E', "0.5E" },
	{ EXA - 1, 'E', "1.0E" },
	{ 1419571, 'K', "?1386.3k" },        /* Zircon's unit is lower-case k */
	{ 1419571, '?', "?1386.3k" },
	{ 0, 'x', "?0B" },
	{ G_MAXUINT64, 'Z', "?16.0E" },
};

static void check_case(const SizeCase *c)
{
	char buf[MEM_FORMAT_SIZE_LEN];
	char *ret;

	memset(buf, 0x55, sizeof(buf));
	ret = mem_format_size_fixed(buf, c->bytes, c->unit);
	ck_assert_ptr_eq(ret, buf);
	ck_assert_msg(memchr(buf, '\0', sizeof(buf)) != NULL,
		"bytes=%" G_GUINT64_FORMAT " unit=%d: no NUL", c->bytes, c->unit);
	ck_assert_msg(strcmp(buf, c->expected) == 0,
		"bytes=%" G_GUINT64_FORMAT " unit='%c': got \"%s\", expected \"%s\"",
		c->bytes, c->unit ? c->unit : '0', buf, c->expected);
	if (c->unit == 0) {
		ret = mem_format_size(buf, c->bytes);
		ck_assert_ptr_eq(ret, buf);
		ck_assert_str_eq(buf, c->expected);
	}
}

START_TEST(test_zircon_vectors)
{
	check_case(&zircon_cases[_i]);
}
END_TEST

START_TEST(test_memps_vectors)
{
	check_case(&memps_cases[_i]);
}
END_TEST

START_TEST(test_unit_valid)
{
	const char *good = "BkMGTPE";

	for (const char *p = good; *p; p++)
		ck_assert_msg(mem_unit_valid(*p), "'%c' should be valid", *p);
	ck_assert(!mem_unit_valid('\0'));
	ck_assert(!mem_unit_valid('K'));
	ck_assert(!mem_unit_valid('b'));
	ck_assert(!mem_unit_valid('m'));
	ck_assert(!mem_unit_valid('?'));
	ck_assert(!mem_unit_valid('Z'));
}
END_TEST

/* Widest outputs fit the documented buffer, with the NUL. */
START_TEST(test_widest)
{
	char buf[MEM_FORMAT_SIZE_LEN];

	ck_assert_uint_eq(strlen(mem_format_size_fixed(buf, G_MAXUINT64, 'B')), MEM_FORMAT_SIZE_LEN - 1);
	ck_assert_uint_le(strlen(mem_format_size_fixed(buf, G_MAXUINT64, '!')), MEM_FORMAT_SIZE_LEN - 1);
	ck_assert_uint_le(strlen(mem_format_size_fixed(buf, G_MAXUINT64, 'k')), MEM_FORMAT_SIZE_LEN - 1);
}
END_TEST

/* Property: a natural size has at most four whole digits unless it is in E, and rounding back
 * gives a value within half a tenth of the unit. */
START_TEST(test_natural_properties)
{
	GRand *rand = g_rand_new_with_seed(20240601);

	for (int i = 0; i < 20000; i++) {
		char buf[MEM_FORMAT_SIZE_LEN];
		guint64 bytes = ((guint64) g_rand_int(rand) << 32 | g_rand_int(rand)) >> g_rand_int_range(rand, 0, 64);
		const char *units = "BkMGTPE";
		gsize len;
		char unit;
		const char *dot;
		guint whole_digits;

		mem_format_size(buf, bytes);
		len = strlen(buf);
		ck_assert_uint_ge(len, 2);
		unit = buf[len - 1];
		ck_assert_msg(strchr(units, unit) != NULL, "%s", buf);
		dot = strchr(buf, '.');
		whole_digits = dot ? (guint) (dot - buf) : (guint) (len - 1);
		if (unit != 'E')
			ck_assert_msg(whole_digits <= 5, "%" G_GUINT64_FORMAT " -> %s", bytes, buf);
		if (dot == NULL) {
			guint64 scale = 1;
			guint64 v = g_ascii_strtoull(buf, NULL, 10);

			for (const char *u = units; *u != unit; u++)
				scale *= 1024;
			ck_assert_msg(v * scale == bytes, "%" G_GUINT64_FORMAT " -> %s is not exact", bytes, buf);
		} else {
			ck_assert_uint_eq(strlen(dot), 3);
		}
	}
	g_rand_free(rand);
}
END_TEST

static Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format_size");

	tcase_add_loop_test(tc, test_zircon_vectors, 0, G_N_ELEMENTS(zircon_cases));
	tcase_add_loop_test(tc, test_memps_vectors, 0, G_N_ELEMENTS(memps_cases));
	tcase_add_test(tc, test_unit_valid);
	tcase_add_test(tc, test_widest);
	tcase_add_test(tc, test_natural_properties);
	suite_add_tcase(s, tc);
	return s;
}

/* --print: reads "BYTES UNIT" lines (UNIT 0 for the natural unit) and prints each formatted size,
 * for format_size.py's independent cross-check. */
static int print_sizes(void)
{
	char line[256];

	while (fgets(line, sizeof(line), stdin) != NULL) {
		char buf[MEM_FORMAT_SIZE_LEN];
		char *end;
		guint64 bytes = g_ascii_strtoull(line, &end, 10);
		char unit;

		if (end == line || *end != ' ' || end[1] == '\0')
			return 2;
		unit = end[1] == '0' ? 0 : end[1];
		printf("%s\n", mem_format_size_fixed(buf, bytes, unit));
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--print") == 0)
		return print_sizes();
	return mem_check_run(format_suite());
}
