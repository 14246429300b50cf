/* format.h: Zircon's human sizes (format_size / format_size_fixed) (rendering support layer) */
#pragma once

#include <glib.h>

/* Longest result including the NUL, as in Zircon. */
#define MEM_FORMAT_SIZE_LEN 22

/* Zircon's format_size_fixed(): units "BkMGTPE", powers of 1024.
 * unit == 0: natural unit: keep dividing by 1024 while the value is >= 10000 or (non-zero and) an
 * exact multiple of 1024.  A value that divides evenly by the final divisor prints without a decimal
 * ("28k", "2M", "1023B", "0B"); otherwise one decimal, rounded half up, a carry of 10 going into the
 * integer part ("1386.3k", "32.9M", "9.8k" for 10000 B).
 * unit in "BkMGTPE": divide until that unit ("2048M", "0.0M").  Any other unit: a '?' prefix, then the
 * natural unit.  Returns buf. */
char *mem_format_size_fixed(char buf[MEM_FORMAT_SIZE_LEN], guint64 bytes, char unit);
/* The same, returning the end of the text (its NUL) instead of buf. */
char *mem_format_size_end(char buf[MEM_FORMAT_SIZE_LEN], guint64 bytes, char unit);
/* A size as the tools show it: plain decimal bytes with --bytes (`plain`), else mem_format_size_end();
 * NUL-terminated, returns the end. */
char *mem_format_size_or_bytes(char buf[MEM_FORMAT_SIZE_LEN], guint64 bytes, gboolean plain, char unit);

static inline char *mem_format_size(char buf[MEM_FORMAT_SIZE_LEN], guint64 bytes)
{
	return mem_format_size_fixed(buf, bytes, 0);
}

/* Write v at p in decimal (at most 20 characters) or in lowercase hexadecimal without leading zeros
 * (at most 16), with no NUL; return the end.  printf without the cost, for per-row labels. */
char *mem_put_decimal(char *p, guint64 v);
char *mem_put_hex(char *p, guint64 v);

/* TRUE when c is one of "BkMGTPE". */
gboolean mem_unit_valid(char c);
