/* kernel-features.c: the kernel features a snapshot's files lacked and what that costs (accounting layer) */
#include "config.h"

#include <string.h>

#include "kernel-features.h"

static const MemFeatureInfo info[MEM_FEATURE_COUNT] = {
	[MEM_FEATURE_SMAPS_ROLLUP] = { "smaps_rollup", "smaps_rollup", "4.14",
	                               "PSS summed per mapping, low by up to 1 kB per mapping; "
	                               "Pss_Anon/File/Shmem unknown" },
	[MEM_FEATURE_SWAP_PSS] = { "swap_pss", "SwapPss", "4.3", "swap PSS unknown (blank, not 0)" },
	[MEM_FEATURE_PSS_PARTS] = { "pss_anon_file_shmem", "Pss_Anon/File/Shmem", "5.3",
	                            "PSS of anonymous, file and shmem pages unknown" },
	[MEM_FEATURE_PSS_DIRTY] = { "pss_dirty", "Pss_Dirty", "6.0", "PSS of dirty pages unknown" },
	[MEM_FEATURE_VMFLAGS] = { "vmflags", "VmFlags", "3.8",
	                          "mapping kinds guessed from names alone (hugetlbfs files show as files)" },
};

static void judge(MemFeatures *f, MemFeature x, gboolean has)
{
	f->judged[x]++;
	if (!has)
		f->lacking[x]++;
}

void mem_features_add(MemFeatures *f, const MemProcess *p, guint32 wanted)
{
	if (p->state != MEM_PROC_OK)
		return;
	if (wanted & MEM_FILE_SMAPS_ROLLUP)
		judge(f, MEM_FEATURE_SMAPS_ROLLUP, p->mem_from_rollup);
	/* the fields the kernel wrote, whether the tool kept their figures or not */
	judge(f, MEM_FEATURE_SWAP_PSS, (p->mem_read & MEM_FIELD_BIT(MEM_F_SWAP_PSS)) != 0);
	judge(f, MEM_FEATURE_PSS_DIRTY, (p->mem_read & MEM_FIELD_BIT(MEM_F_PSS_DIRTY)) != 0);
	/* smaps never carries the Pss parts: only a rollup can tell */
	if (p->mem_from_rollup)
		judge(f, MEM_FEATURE_PSS_PARTS, (p->mem_read & MEM_FIELD_BIT(MEM_F_PSS_ANON)) &&
		                                    (p->mem_read & MEM_FIELD_BIT(MEM_F_PSS_FILE)) &&
		                                    (p->mem_read & MEM_FIELD_BIT(MEM_F_PSS_SHMEM)));
	if (p->maps_from_smaps)
		judge(f, MEM_FEATURE_VMFLAGS, p->smaps_vmflags);
}

void mem_features_from_snapshot(MemFeatures *f, const MemSnapshot *snap)
{
	memset(f, 0, sizeof *f);
	for (guint i = 0; i < snap->procs->len; i++)
		mem_features_add(f, g_ptr_array_index(snap->procs, i), snap->wanted);
}

const MemFeatureInfo *mem_feature_info(MemFeature x)
{
	g_return_val_if_fail(x < MEM_FEATURE_COUNT, &info[0]);
	return &info[x];
}

GPtrArray *mem_features_lines(const MemFeatures *f)
{
	GPtrArray *lines = NULL;

	for (int x = 0; x < MEM_FEATURE_COUNT; x++) {
		if (!mem_features_missing(f, (MemFeature)x))
			continue;
		if (!lines)
			lines = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(lines, g_strdup_printf("no %s (new in Linux %s) in %u of %u process%s: %s", info[x].name,
		                                       info[x].since, f->lacking[x], f->judged[x],
		                                       f->judged[x] == 1 ? "" : "es", info[x].effect));
	}
	return lines;
}
