/* meminfo-categories.h: /proc/meminfo split into kinds of physical memory that add up to MemTotal (accounting layer)
 *
 * The categories (Zircon's kstats -m for Linux) are disjoint meminfo fields or differences of fields;
 * `other` is MemTotal minus all the known ones, unclamped (negative when the kernel's own counters
 * overlap or over-count).  A category whose fields the kernel lacks is unknown, never 0; `other` is
 * then still MemTotal minus the known categories, and so includes the unknown ones (`other_includes`).
 * The formula of each category is in its info entry and, field by field, in man/memsys.1. */
#pragma once

#include <glib.h>

#include "parse-zram.h"

typedef enum {
	MEM_SYS_FREE,
	MEM_SYS_ANON,
	MEM_SYS_FILE,
	MEM_SYS_SHMEM,
	MEM_SYS_SLAB_R,
	MEM_SYS_SLAB_U,
	MEM_SYS_KRECLAIM,
	MEM_SYS_KSTACK,
	MEM_SYS_PTABLES,
	MEM_SYS_SECPTABLES,
	MEM_SYS_VMALLOC,
	MEM_SYS_PERCPU,
	MEM_SYS_HUGE_USED,
	MEM_SYS_HUGE_FREE,
	MEM_SYS_ZSWAP,
	MEM_SYS_ZRAM,
	MEM_SYS_OTHER,
	MEM_SYS_N,
} MemSysCategory;

typedef struct {
	const char *id;       /* "slab_r": the -o name, the text title, the JSON key stem ("slab_r_bytes") */
	const char *formula;  /* "SReclaimable": the meminfo fields it is made of */
	const char *help;     /* one line for --help */
} MemSysCategoryInfo;

/* The categories in MemSysCategory order. */
const MemSysCategoryInfo *mem_sys_category_info(void);

typedef struct {
	guint64 total;                 /* MemTotal, bytes */
	gboolean has_avail;
	guint64 avail;                 /* MemAvailable, bytes (an estimate: not a category) */
	gboolean known[MEM_SYS_N];     /* MEM_SYS_OTHER is always known */
	gint64 bytes[MEM_SYS_N];       /* signed: a difference of counters, and `other`, may be negative */
} MemSysCategories;

/* Computes the categories from parsed meminfo entries (mem_parse_meminfo()).  Errors
 * (MEM_ERROR_PARSE): no MemTotal; a value whose bytes do not fit in 63 bits, or a sum that does not
 * (no saturation: the sum must stay exact). */
gboolean mem_sys_categories(GArray *meminfo, MemSysCategories *out, GError **error);

/* Carves zram (the devices' mem_used_total, parse-zram.h) out of `other`, once, after
 * mem_sys_categories(); without this call zram is unknown, and so inside other.  Error (MEM_ERROR_PARSE): a size that does not fit 63 bits. */
gboolean mem_sys_categories_zram(MemSysCategories *c, const MemZram *z, GError **error);
