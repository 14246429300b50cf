/* parse-memstat.h: a cgroup v2's memory.current and memory.stat (parser layer)
 *
 * memory.stat is "key value\n" lines, values in bytes (event counters like pgfault are counts; none
 * of those is kept here).  Only the keys below are kept; any other key is checked like them and
 * skipped, so a newer kernel's additions do not break the parse.  A kept key absent from the file (an
 * older kernel) is unknown, never 0.  Bad input (a line without a value, a value that is not a
 * decimal below 2^64, a kept key given twice, a NUL byte) is an error naming the line.
 */
#pragma once

#include <glib.h>

typedef enum {
	MEM_CGSTAT_ANON,            /* anon: anonymous pages (and swap cache of them) charged here */
	MEM_CGSTAT_FILE,            /* file: page cache, shmem and tmpfs included */
	MEM_CGSTAT_SHMEM,           /* shmem: shmem, tmpfs and shared anonymous mappings (within file) */
	MEM_CGSTAT_FILE_MAPPED,     /* file_mapped: page cache mapped by some process */
	MEM_CGSTAT_KERNEL,          /* kernel (5.18+): all kernel memory charged here, sock excepted */
	MEM_CGSTAT_KERNEL_STACK,    /* kernel_stack */
	MEM_CGSTAT_PAGETABLES,      /* pagetables */
	MEM_CGSTAT_SEC_PAGETABLES,  /* sec_pagetables (6.2+): secondary (KVM, IOMMU) page tables */
	MEM_CGSTAT_PERCPU,          /* percpu */
	MEM_CGSTAT_SOCK,            /* sock: network buffers */
	MEM_CGSTAT_VMALLOC,         /* vmalloc (5.19+) */
	MEM_CGSTAT_SLAB,            /* slab: reclaimable and unreclaimable */
	MEM_CGSTAT_N
} MemCgStatKey;

typedef struct {
	guint64 v[MEM_CGSTAT_N];  /* bytes */
	guint32 known;            /* bit k: key k was in the file */
} MemCgStat;

/* The key's name as memory.stat spells it. */
const char *mem_cgstat_key_name(MemCgStatKey k);

/* Whether key k is known, and its value. */
static inline gboolean mem_cgstat_get(const MemCgStat *s, MemCgStatKey k, guint64 *v)
{
	*v = s->v[k];
	return (s->known >> k) & 1u;
}

/* Parses memory.stat; FALSE with MEM_ERROR_PARSE. */
gboolean mem_parse_memstat(const char *buf, gsize len, MemCgStat *out, GError **error);

/* Parses memory.current: one decimal number of bytes and a newline; FALSE with MEM_ERROR_PARSE. */
gboolean mem_parse_memcurrent(const char *buf, gsize len, guint64 *out, GError **error);
