/* meminfo-categories.c: /proc/meminfo split into kinds of physical memory that add up to MemTotal (accounting layer) */
#include "config.h"

#include "error.h"
#include "meminfo-categories.h"
#include "parse.h"

/* A category that is a signed sum of kB fields; every field must be present. */
typedef struct {
	const char *field[3];
	int sign[3];
} Terms;

static const MemSysCategoryInfo infos[MEM_SYS_N] = {
	[MEM_SYS_FREE] = { "free", "MemFree", "free pages" },
	[MEM_SYS_ANON] = { "anon", "AnonPages", "anonymous pages mapped by processes (heap, stacks, private copies)" },
	[MEM_SYS_FILE] = { "file", "Buffers + Cached - Shmem", "page cache of files and block devices (mapped or not)" },
	[MEM_SYS_SHMEM] = { "shmem", "Shmem", "shared memory: tmpfs, /dev/shm, SysV shm, shared anonymous mappings" },
	[MEM_SYS_SLAB_R] = { "slab_r", "SReclaimable", "kernel heap (slab), reclaimable: dentries, inodes" },
	[MEM_SYS_SLAB_U] = { "slab_u", "SUnreclaim", "kernel heap (slab), unreclaimable" },
	[MEM_SYS_KRECLAIM] = { "kreclaim", "KReclaimable - SReclaimable", "other reclaimable kernel memory, outside the slab" },
	[MEM_SYS_KSTACK] = { "kstack", "KernelStack", "kernel stacks of every thread" },
	[MEM_SYS_PTABLES] = { "ptables", "PageTables", "page tables of processes" },
	[MEM_SYS_SECPTABLES] = { "secptables", "SecPageTables", "secondary page tables (KVM, IOMMU)" },
	[MEM_SYS_VMALLOC] = { "vmalloc", "VmallocUsed (0 is unknown)", "vmalloc pages (modules, BPF, large buffers; kernel stacks too with VMAP_STACK)" },
	[MEM_SYS_PERCPU] = { "percpu", "Percpu", "per-CPU allocations of the kernel" },
	[MEM_SYS_HUGE_USED] = { "huge_used", "Hugetlb - HugePages_Free x Hugepagesize, else (HugePages_Total - HugePages_Free) x Hugepagesize",
	                        "hugetlb pool pages in use (every huge page size)" },
	[MEM_SYS_HUGE_FREE] = { "huge_free", "HugePages_Free x Hugepagesize", "hugetlb pool pages free (the default size)" },
	[MEM_SYS_ZSWAP] = { "zswap", "Zswap", "compressed swap pool in memory (zswap)" },
	[MEM_SYS_ZRAM] = { "zram", "sum of mem_used_total (3rd field) of /sys/block/zram*/mm_stat",
	                   "memory held by zram devices (compressed swap or disks in RAM; in no meminfo field)" },
	[MEM_SYS_OTHER] = { "other", "MemTotal - all the known categories above", "the remainder, unclamped: negative when counters overlap" },
};

static const Terms terms[MEM_SYS_N] = {
	[MEM_SYS_FREE] = { { "MemFree" }, { 1 } },
	[MEM_SYS_ANON] = { { "AnonPages" }, { 1 } },
	[MEM_SYS_FILE] = { { "Buffers", "Cached", "Shmem" }, { 1, 1, -1 } },
	[MEM_SYS_SHMEM] = { { "Shmem" }, { 1 } },
	[MEM_SYS_SLAB_R] = { { "SReclaimable" }, { 1 } },
	[MEM_SYS_SLAB_U] = { { "SUnreclaim" }, { 1 } },
	[MEM_SYS_KRECLAIM] = { { "KReclaimable", "SReclaimable" }, { 1, -1 } },
	[MEM_SYS_KSTACK] = { { "KernelStack" }, { 1 } },
	[MEM_SYS_PTABLES] = { { "PageTables" }, { 1 } },
	[MEM_SYS_SECPTABLES] = { { "SecPageTables" }, { 1 } },
	[MEM_SYS_VMALLOC] = { { "VmallocUsed" }, { 1 } },
	[MEM_SYS_PERCPU] = { { "Percpu" }, { 1 } },
	[MEM_SYS_ZSWAP] = { { "Zswap" }, { 1 } },
};

const MemSysCategoryInfo *mem_sys_category_info(void)
{
	return infos;
}

static gboolean too_large(GError **error, const char *what)
{
	g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "meminfo: %s does not fit in 63 bits of bytes", what);
	return FALSE;
}

/* bytes * mult as signed bytes, checked (the parser made kB fields bytes). */
static gboolean signed_bytes(guint64 bytes, guint64 mult, const char *field, gint64 *out, GError **error)
{
	guint64 b;

	if (__builtin_mul_overflow(bytes, mult, &b) || b > (guint64)G_MAXINT64)
		return too_large(error, field);
	*out = (gint64)b;
	return TRUE;
}

/* Reads one field as bytes: FALSE with *present FALSE when the kernel lacks it, FALSE with an error
 * when it is too large. */
static gboolean field_bytes(GArray *mi, const char *field, gint64 *out, gboolean *present, GError **error)
{
	guint64 kb;

	*present = mem_meminfo_get(mi, field, &kb);
	return *present && signed_bytes(kb, 1, field, out, error);
}

/* Fills known/bytes of one category from its terms.  FALSE only on an error. */
static gboolean sum_terms(GArray *mi, MemSysCategory c, MemSysCategories *out, GError **error)
{
	const Terms *t = &terms[c];
	gint64 sum = 0;

	for (guint i = 0; i < G_N_ELEMENTS(t->field) && t->field[i]; i++) {
		gboolean present;
		gint64 v;

		if (!field_bytes(mi, t->field[i], &v, &present, error))
			return !present; /* absent: the category stays unknown */
		if (t->sign[i] < 0 ? __builtin_sub_overflow(sum, v, &sum) : __builtin_add_overflow(sum, v, &sum))
			return too_large(error, infos[c].formula);
	}
	out->known[c] = TRUE;
	out->bytes[c] = sum;
	return TRUE;
}

/* The hugetlb pool: the default size's free pages from HugePages_Free, what is in use from Hugetlb
 * (every size, Linux 5.x) when present, else from the default size's HugePages_Total. */
static gboolean hugetlb(GArray *mi, MemSysCategories *out, GError **error)
{
	guint64 size_kb, total, free, hugetlb_kb;
	gint64 free_b, used_b;

	if (!mem_meminfo_get(mi, "Hugepagesize", &size_kb) || !mem_meminfo_get(mi, "HugePages_Free", &free))
		return TRUE;
	if (!signed_bytes(size_kb, free, "HugePages_Free x Hugepagesize", &free_b, error))
		return FALSE;
	out->known[MEM_SYS_HUGE_FREE] = TRUE;
	out->bytes[MEM_SYS_HUGE_FREE] = free_b;
	if (mem_meminfo_get(mi, "Hugetlb", &hugetlb_kb)) {
		if (!signed_bytes(hugetlb_kb, 1, "Hugetlb", &used_b, error))
			return FALSE;
		used_b -= free_b; /* both within 0..2^63-1: no overflow */
	} else if (mem_meminfo_get(mi, "HugePages_Total", &total)) {
		if (total < free) { /* a torn read; kept signed rather than wrapped */
			if (!signed_bytes(size_kb, free - total, "HugePages_Free x Hugepagesize", &used_b, error))
				return FALSE;
			used_b = -used_b;
		} else if (!signed_bytes(size_kb, total - free, "HugePages_Total x Hugepagesize", &used_b, error)) {
			return FALSE;
		}
	} else {
		return TRUE;
	}
	out->known[MEM_SYS_HUGE_USED] = TRUE;
	out->bytes[MEM_SYS_HUGE_USED] = used_b;
	return TRUE;
}

gboolean mem_sys_categories(GArray *mi, MemSysCategories *out, GError **error)
{
	guint64 kb;
	gint64 v, other;
	gboolean present;

	memset(out, 0, sizeof *out);
	if (!mem_meminfo_get(mi, "MemTotal", &kb)) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "meminfo: no MemTotal field");
		return FALSE;
	}
	if (!signed_bytes(kb, 1, "MemTotal", &v, error))
		return FALSE;
	out->total = (guint64)v;
	if (field_bytes(mi, "MemAvailable", &v, &present, error)) {
		out->has_avail = TRUE;
		out->avail = (guint64)v;
	} else if (present) {
		return FALSE;
	}
	for (guint c = 0; c < MEM_SYS_OTHER; c++)
		if (terms[c].field[0] && !sum_terms(mi, c, out, error))
			return FALSE;
	/* Linux 4.4 to 5.2 write 0 for VmallocUsed: no system runs without vmalloc pages. */
	if (out->known[MEM_SYS_VMALLOC] && out->bytes[MEM_SYS_VMALLOC] == 0)
		out->known[MEM_SYS_VMALLOC] = FALSE;
	if (!hugetlb(mi, out, error))
		return FALSE;
	other = (gint64)out->total;
	for (guint c = 0; c < MEM_SYS_OTHER; c++)
		if (out->known[c] && __builtin_sub_overflow(other, out->bytes[c], &other))
			return too_large(error, "MemTotal minus the categories");
	out->known[MEM_SYS_OTHER] = TRUE;
	out->bytes[MEM_SYS_OTHER] = other;
	return TRUE;
}

gboolean mem_sys_categories_zram(MemSysCategories *c, const MemZram *z, GError **error)
{
	gint64 used, other;

	g_return_val_if_fail(!c->known[MEM_SYS_ZRAM], FALSE);
	if (!signed_bytes(z->used_bytes, 1, "zram mem_used_total", &used, error))
		return FALSE;
	if (__builtin_sub_overflow(c->bytes[MEM_SYS_OTHER], used, &other))
		return too_large(error, "MemTotal minus the categories");
	c->bytes[MEM_SYS_OTHER] = other;
	c->known[MEM_SYS_ZRAM] = TRUE;
	c->bytes[MEM_SYS_ZRAM] = used;
	return TRUE;
}
