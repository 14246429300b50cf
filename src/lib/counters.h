/* counters.h: the smaps fields a memory record carries, as typed counters (model layer, shared by parsers) */
#pragma once

#include <glib.h>

/* Every kB-valued field of smaps/smaps_rollup that memps knows.  Values are kept in bytes.
 * The order is the kernel's modern order; mem_field_name() gives the exact kernel spelling. */
typedef enum {
	MEM_F_SIZE,
	MEM_F_KERNEL_PAGE_SIZE,
	MEM_F_MMU_PAGE_SIZE,
	MEM_F_RSS,
	MEM_F_PSS,
	MEM_F_PSS_DIRTY,
	MEM_F_PSS_ANON,
	MEM_F_PSS_FILE,
	MEM_F_PSS_SHMEM,
	MEM_F_SHARED_CLEAN,
	MEM_F_SHARED_DIRTY,
	MEM_F_PRIVATE_CLEAN,
	MEM_F_PRIVATE_DIRTY,
	MEM_F_REFERENCED,
	MEM_F_ANONYMOUS,
	MEM_F_KSM,
	MEM_F_LAZY_FREE,
	MEM_F_ANON_HUGE_PAGES,
	MEM_F_SHMEM_PMD_MAPPED,
	MEM_F_FILE_PMD_MAPPED,
	MEM_F_SHARED_HUGETLB,
	MEM_F_PRIVATE_HUGETLB,
	MEM_F_SWAP,
	MEM_F_SWAP_PSS,
	MEM_F_LOCKED,
	MEM_F_COUNT
} MemField;

#define MEM_FIELD_BIT(f) (1u << (f))

/* A set of counters in bytes.  Bit f of `known` is set when field f was present in the input:
 * a clear bit means "unknown", never zero. */
typedef struct {
	guint64 v[MEM_F_COUNT];
	guint32 known;
} MemCounters;

/* Exact kernel spelling of a field ("Pss_Anon"), without the colon. */
const char *mem_field_name(MemField f);

/* Length of mem_field_name(f), without checks (f must be valid): for the parsers' hot path. */
gsize mem_field_name_len(MemField f);

/* Looks up a key (without colon) by exact, case-sensitive match; returns -1 when unknown. */
int mem_field_lookup(const char *key, gsize len);

/* dst += src for every field known in src (saturating at G_MAXUINT64); dst->known |= src->known. */
void mem_counters_add(MemCounters *dst, const MemCounters *src);

static inline gboolean mem_counters_has(const MemCounters *c, MemField f)
{
	return (c->known & MEM_FIELD_BIT(f)) != 0;
}

/* Memory in huge pages (hugetlbfs, MAP_HUGETLB, SHM_HUGETLB): Shared_Hugetlb + Private_Hugetlb
 * (saturating).  These pages are in neither Rss nor Pss.  FALSE (unknown) unless both fields are known. */
gboolean mem_counters_hugetlb(const MemCounters *c, guint64 *v);
