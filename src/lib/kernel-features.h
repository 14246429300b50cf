/* kernel-features.h: which kernel features the files a tool read lacked, and what that costs (accounting layer)
 *
 * Older kernels write less: no smaps_rollup before 4.14, no SwapPss before 4.3, no Pss_Anon/Pss_File/
 * Pss_Shmem before 5.3, no Pss_Dirty before 6.0, no VmFlags before 3.8.  The tools then show those
 * figures as unknown (blank, null), never 0, and say so once: mem_cli_finish() prints a line per
 * missing feature and every JSON document lists them (render.h, "source"."missing").
 *
 * A feature is judged only from the files the load read, over processes whose figures are known
 * (state OK): the rollup only when the load asked for it (memobjs does not), the Pss parts only from
 * rollups (smaps never has them), VmFlags only from smaps kept as mappings (memps reads no mapping).
 * A feature counts as missing when one such process lacked it: a recording from one kernel lacks it
 * everywhere, and one process that lacks it is enough to blank a sum. */
#pragma once

#include <glib.h>

#include "model.h"

typedef enum {
	MEM_FEATURE_SMAPS_ROLLUP,  /* /proc/PID/smaps_rollup (4.14) */
	MEM_FEATURE_SWAP_PSS,      /* SwapPss (4.3) */
	MEM_FEATURE_PSS_PARTS,     /* Pss_Anon, Pss_File, Pss_Shmem in smaps_rollup (5.3) */
	MEM_FEATURE_PSS_DIRTY,     /* Pss_Dirty (6.0) */
	MEM_FEATURE_VMFLAGS,       /* VmFlags in smaps (3.8) */
	MEM_FEATURE_COUNT
} MemFeature;

typedef struct {
	guint lacking[MEM_FEATURE_COUNT]; /* processes whose files lacked the feature */
	guint judged[MEM_FEATURE_COUNT];  /* processes whose files could show it */
} MemFeatures;

/* Adds one process; `wanted` is the MemFileId bits the load asked for (MemSnapshot.wanted). */
void mem_features_add(MemFeatures *f, const MemProcess *p, guint32 wanted);

/* Every process of the snapshot (*f is reset first). */
void mem_features_from_snapshot(MemFeatures *f, const MemSnapshot *snap);

static inline gboolean mem_features_missing(const MemFeatures *f, MemFeature x)
{
	return f->lacking[x] > 0;
}

typedef struct {
	const char *id;       /* stable, for JSON: "smaps_rollup", "swap_pss", "pss_anon_file_shmem", "pss_dirty",
	                       * "vmflags" */
	const char *name;     /* as the kernel calls it: "smaps_rollup", "SwapPss", "Pss_Anon/File/Shmem", ... */
	const char *since;    /* the first kernel release that has it: "4.14", "4.3", "5.3", "6.0", "3.8" */
	const char *effect;   /* what its absence costs, for people: "PSS summed per mapping, ..." */
} MemFeatureInfo;

const MemFeatureInfo *mem_feature_info(MemFeature x);

/* One line per missing feature, without a newline at its end, for stderr:
 * "no smaps_rollup (new in Linux 4.14) in 10 of 10 processes: PSS summed per mapping, ..." (a recorder
 * that left the file out, as smemcap does, looks the same as an older kernel); NULL when none. */
GPtrArray *mem_features_lines(const MemFeatures *f);
