/* counters.c: smaps field names and counter arithmetic (model layer, shared by parsers) */
#include "config.h"

#include <string.h>

#include "counters.h"

/* Names with their lengths, so that a lookup compares lengths before bytes. */
#define FIELD(id, name) [id] = { name, sizeof(name) - 1 }
static const struct {
	const char *name;
	gsize len;
} fields[MEM_F_COUNT] = {
	FIELD(MEM_F_SIZE, "Size"),
	FIELD(MEM_F_KERNEL_PAGE_SIZE, "KernelPageSize"),
	FIELD(MEM_F_MMU_PAGE_SIZE, "MMUPageSize"),
	FIELD(MEM_F_RSS, "Rss"),
	FIELD(MEM_F_PSS, "Pss"),
	FIELD(MEM_F_PSS_DIRTY, "Pss_Dirty"),
	FIELD(MEM_F_PSS_ANON, "Pss_Anon"),
	FIELD(MEM_F_PSS_FILE, "Pss_File"),
	FIELD(MEM_F_PSS_SHMEM, "Pss_Shmem"),
	FIELD(MEM_F_SHARED_CLEAN, "Shared_Clean"),
	FIELD(MEM_F_SHARED_DIRTY, "Shared_Dirty"),
	FIELD(MEM_F_PRIVATE_CLEAN, "Private_Clean"),
	FIELD(MEM_F_PRIVATE_DIRTY, "Private_Dirty"),
	FIELD(MEM_F_REFERENCED, "Referenced"),
	FIELD(MEM_F_ANONYMOUS, "Anonymous"),
	FIELD(MEM_F_KSM, "KSM"),
	FIELD(MEM_F_LAZY_FREE, "LazyFree"),
	FIELD(MEM_F_ANON_HUGE_PAGES, "AnonHugePages"),
	FIELD(MEM_F_SHMEM_PMD_MAPPED, "ShmemPmdMapped"),
	FIELD(MEM_F_FILE_PMD_MAPPED, "FilePmdMapped"),
	FIELD(MEM_F_SHARED_HUGETLB, "Shared_Hugetlb"),
	FIELD(MEM_F_PRIVATE_HUGETLB, "Private_Hugetlb"),
	FIELD(MEM_F_SWAP, "Swap"),
	FIELD(MEM_F_SWAP_PSS, "SwapPss"),
	FIELD(MEM_F_LOCKED, "Locked"),
};
#undef FIELD

const char *mem_field_name(MemField f)
{
	g_return_val_if_fail(f < MEM_F_COUNT, NULL);
	return fields[f].name;
}

static inline gboolean same_bytes(const char *a, const char *b, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (a[i] != b[i])
			return FALSE;
	return TRUE;
}

int mem_field_lookup(const char *key, gsize len)
{
	/* Linear over 25 short names, filtered by length and first byte before comparing the rest inline:
	 * cheaper than hashing the key or calling memcmp on a dozen bytes. */
	if (len == 0)
		return -1;
	for (int f = 0; f < MEM_F_COUNT; f++) {
		if (fields[f].len == len && fields[f].name[0] == key[0] && same_bytes(fields[f].name, key, len))
			return f;
	}
	return -1;
}

void mem_counters_add(MemCounters *dst, const MemCounters *src)
{
	for (int f = 0; f < MEM_F_COUNT; f++) {
		if (!(src->known & MEM_FIELD_BIT(f)))
			continue;
		guint64 s = dst->v[f] + src->v[f];
		dst->v[f] = s < dst->v[f] ? G_MAXUINT64 : s;
	}
	dst->known |= src->known;
}
