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

gsize mem_field_name_len(MemField f)
{
	return fields[f].len;
}

static inline gboolean same_bytes(const char *a, const char *b, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (a[i] != b[i])
			return FALSE;
	return TRUE;
}

/* Candidates by key length, -1 ending each row (at most 4 share one), so that a lookup compares against one to four
 * names instead of all of them: this runs for every line of every smaps. */
#define MAX_FIELD_LEN 15
static const signed char by_len[MAX_FIELD_LEN + 1][5] = {
	[0] = { -1 },
	[1] = { -1 },
	[2] = { -1 },
	[3] = { MEM_F_RSS, MEM_F_PSS, MEM_F_KSM, -1 },
	[4] = { MEM_F_SIZE, MEM_F_SWAP, -1 },
	[5] = { -1 },
	[6] = { MEM_F_LOCKED, -1 },
	[7] = { MEM_F_SWAP_PSS, -1 },
	[8] = { MEM_F_PSS_ANON, MEM_F_PSS_FILE, MEM_F_LAZY_FREE, -1 },
	[9] = { MEM_F_PSS_DIRTY, MEM_F_PSS_SHMEM, MEM_F_ANONYMOUS, -1 },
	[10] = { MEM_F_REFERENCED, -1 },
	[11] = { MEM_F_MMU_PAGE_SIZE, -1 },
	[12] = { MEM_F_SHARED_CLEAN, MEM_F_SHARED_DIRTY, -1 },
	[13] = { MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY, MEM_F_ANON_HUGE_PAGES, MEM_F_FILE_PMD_MAPPED, -1 },
	[14] = { MEM_F_KERNEL_PAGE_SIZE, MEM_F_SHMEM_PMD_MAPPED, MEM_F_SHARED_HUGETLB, -1 },
	[15] = { MEM_F_PRIVATE_HUGETLB, -1 },
};

int mem_field_lookup(const char *key, gsize len)
{
	if (len == 0 || len > MAX_FIELD_LEN)
		return -1;
	for (const signed char *f = by_len[len]; *f >= 0; f++)
		if (fields[*f].name[0] == key[0] && same_bytes(fields[*f].name, key, len))
			return *f;
	return -1;
}

gboolean mem_counters_hugetlb(const MemCounters *c, guint64 *v)
{
	guint64 s, p;

	if (!mem_counters_has(c, MEM_F_SHARED_HUGETLB) || !mem_counters_has(c, MEM_F_PRIVATE_HUGETLB))
		return FALSE;
	s = c->v[MEM_F_SHARED_HUGETLB];
	p = c->v[MEM_F_PRIVATE_HUGETLB];
	*v = s + p < s ? G_MAXUINT64 : s + p;
	return TRUE;
}

void mem_counters_add(MemCounters *dst, const MemCounters *src)
{
	/* Without branches (twice per mapping of every process in memobjs): an unknown field adds 0. */
	for (int f = 0; f < MEM_F_COUNT; f++) {
		guint64 add = src->v[f] & (0 - (guint64)((src->known >> f) & 1u));
		guint64 s = dst->v[f] + add;
		dst->v[f] = s < add ? G_MAXUINT64 : s;
	}
	dst->known |= src->known;
}
