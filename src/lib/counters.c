/* counters.c: smaps field names and counter arithmetic (model layer, shared by parsers) */
#include "config.h"

#include <string.h>

#include "counters.h"

static const char *const field_names[MEM_F_COUNT] = {
	[MEM_F_SIZE] = "Size",
	[MEM_F_KERNEL_PAGE_SIZE] = "KernelPageSize",
	[MEM_F_MMU_PAGE_SIZE] = "MMUPageSize",
	[MEM_F_RSS] = "Rss",
	[MEM_F_PSS] = "Pss",
	[MEM_F_PSS_DIRTY] = "Pss_Dirty",
	[MEM_F_PSS_ANON] = "Pss_Anon",
	[MEM_F_PSS_FILE] = "Pss_File",
	[MEM_F_PSS_SHMEM] = "Pss_Shmem",
	[MEM_F_SHARED_CLEAN] = "Shared_Clean",
	[MEM_F_SHARED_DIRTY] = "Shared_Dirty",
	[MEM_F_PRIVATE_CLEAN] = "Private_Clean",
	[MEM_F_PRIVATE_DIRTY] = "Private_Dirty",
	[MEM_F_REFERENCED] = "Referenced",
	[MEM_F_ANONYMOUS] = "Anonymous",
	[MEM_F_KSM] = "KSM",
	[MEM_F_LAZY_FREE] = "LazyFree",
	[MEM_F_ANON_HUGE_PAGES] = "AnonHugePages",
	[MEM_F_SHMEM_PMD_MAPPED] = "ShmemPmdMapped",
	[MEM_F_FILE_PMD_MAPPED] = "FilePmdMapped",
	[MEM_F_SHARED_HUGETLB] = "Shared_Hugetlb",
	[MEM_F_PRIVATE_HUGETLB] = "Private_Hugetlb",
	[MEM_F_SWAP] = "Swap",
	[MEM_F_SWAP_PSS] = "SwapPss",
	[MEM_F_LOCKED] = "Locked",
};

const char *mem_field_name(MemField f)
{
	g_return_val_if_fail(f < MEM_F_COUNT, NULL);
	return field_names[f];
}

int mem_field_lookup(const char *key, gsize len)
{
	/* Linear over 25 short names, pre-filtered by length and first byte: cheaper than hashing. */
	for (int f = 0; f < MEM_F_COUNT; f++) {
		const char *n = field_names[f];
		if (n[0] == key[0] && strlen(n) == len && memcmp(n, key, len) == 0)
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
