/* format.c: Zircon's human sizes, format_size / format_size_fixed (rendering support layer) */
#include "config.h"

#include <string.h>

#include "format.h"

static const char mem_units[] = "BkMGTPE";
#define MEM_N_UNITS ((guint) (sizeof(mem_units) - 1))

gboolean mem_unit_valid(char c)
{
	return c != '\0' && strchr(mem_units, c) != NULL;
}

/* n / d rounded half up; d is a power of two here, so d / 2 is exact. */
static guint64 div_round_half_up(guint64 n, guint64 d)
{
	return n / d + (n % d >= d / 2 ? 1 : 0);
}

char *mem_put_decimal(char *p, guint64 v)
{
	char digits[20];
	guint n = sizeof(digits);

	do {
		digits[--n] = (char) ('0' + v % 10);
		v /= 10;
	} while (v != 0);
	memcpy(p, digits + n, sizeof(digits) - n);
	return p + (sizeof(digits) - n);
}

char *mem_put_hex(char *p, guint64 v)
{
	static const char hex[] = "0123456789abcdef";
	char digits[16];
	guint n = sizeof(digits);

	do {
		digits[--n] = hex[v & 15];
		v >>= 4;
	} while (v != 0);
	memcpy(p, digits + n, sizeof(digits) - n);
	return p + (sizeof(digits) - n);
}

char *mem_format_size_end(char buf[MEM_FORMAT_SIZE_LEN], guint64 bytes, char unit)
{
	char *p = buf;
	guint64 value = bytes;
	guint64 divisor = 1;
	guint index = 0;
	guint target = MEM_N_UNITS;

	if (unit != 0) {
		if (mem_unit_valid(unit)) {
			target = (guint) (strchr(mem_units, unit) - mem_units);
		} else {
			*p++ = '?';
		}
	}

	if (target < MEM_N_UNITS) {
		while (index < target) {
			value /= 1024;
			divisor *= 1024;
			index++;
		}
	} else {
		while (index + 1 < MEM_N_UNITS && (value >= 10000 || (value != 0 && value % 1024 == 0))) {
			value /= 1024;
			divisor *= 1024;
			index++;
		}
	}

	if (bytes % divisor == 0) {
		p = mem_put_decimal(p, value);
	} else {
		/* The remainder is below 2^60, so ten times it still fits in 64 bits. */
		guint64 whole = bytes / divisor;
		guint64 tenths = div_round_half_up((bytes % divisor) * 10, divisor);

		if (tenths == 10) {
			whole++;
			tenths = 0;
		}
		p = mem_put_decimal(p, whole);
		*p++ = '.';
		*p++ = (char) ('0' + tenths);
	}
	*p++ = mem_units[index];
	*p = '\0';
	return p;
}

char *mem_format_size_or_bytes(char buf[MEM_FORMAT_SIZE_LEN], guint64 bytes, gboolean plain, char unit)
{
	char *end;

	if (!plain)
		return mem_format_size_end(buf, bytes, unit);
	end = mem_put_decimal(buf, bytes);
	*end = '\0';
	return end;
}

char *mem_format_size_fixed(char buf[MEM_FORMAT_SIZE_LEN], guint64 bytes, char unit)
{
	mem_format_size_end(buf, bytes, unit);
	return buf;
}
