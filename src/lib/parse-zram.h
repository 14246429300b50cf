/* parse-zram.h: the zram devices' memory: the source's "zram" file, one "zramN MM_STAT" line per device (parser layer)
 *
 * The live source builds the file from /sys/block/zram<N>/mm_stat (memcap records the same lines):
 * the device name, then mm_stat's fields as the kernel writes them (Linux 4.1+; 7 fields, 8 from 5.x,
 * 9 from 6.x): orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages
 * pages_compacted [huge_pages [huge_pages_since]], the first three in bytes.  mem_used_total is the
 * memory the device's allocator (zsmalloc) holds, which no /proc/meminfo field counts.  An empty file
 * is no device (0 bytes, known).  Bad input (a name that is not zram<digits> or is given twice, fewer
 * than 7 fields, a field that is not a decimal below 2^64, a NUL byte, a last line without a newline,
 * sums above 2^64) is an error naming the line. */
#pragma once

#include <glib.h>

typedef struct {
	guint n_devices;
	guint64 orig_bytes;    /* Σ orig_data_size: what was stored, uncompressed */
	guint64 compr_bytes;   /* Σ compr_data_size: the same, compressed */
	guint64 used_bytes;    /* Σ mem_used_total: the memory the devices hold (compressed data and overhead) */
} MemZram;

/* Parses the zram file; FALSE with MEM_ERROR_PARSE (MEM_ERROR_TRUNCATED for a cut last line). */
gboolean mem_parse_zram(const char *buf, gsize len, MemZram *out, GError **error);
