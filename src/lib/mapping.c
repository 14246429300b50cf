/* mapping.c: classifying mappings by kind and owning their fields (model layer) */
#include "config.h"

#include <string.h>

#include "mapping.h"

static const char *const kind_names[MEM_MAP_KIND_COUNT] = {
	[MEM_MAP_FILE] = "file",
	[MEM_MAP_DELETED] = "deleted",
	[MEM_MAP_ANON] = "anon",
	[MEM_MAP_ANON_NAMED] = "anon-named",
	[MEM_MAP_HEAP] = "heap",
	[MEM_MAP_STACK] = "stack",
	[MEM_MAP_MEMFD] = "memfd",
	[MEM_MAP_SYSV_SHM] = "sysv-shm",
	[MEM_MAP_SHARED_ANON] = "shared-anon",
	[MEM_MAP_SHMEM_NAMED] = "shmem-named",
	[MEM_MAP_VDSO] = "vdso",
	[MEM_MAP_VVAR] = "vvar",
	[MEM_MAP_VSYSCALL] = "vsyscall",
	[MEM_MAP_SPECIAL] = "special",
	[MEM_MAP_HUGETLB] = "hugetlb",
	[MEM_MAP_ASHMEM] = "ashmem",
	[MEM_MAP_DMABUF] = "dmabuf",
};

const char *mem_map_kind_name(MemMapKind kind)
{
	g_return_val_if_fail(kind < MEM_MAP_KIND_COUNT, "?");
	return kind_names[kind];
}

static gboolean starts(const char *s, gsize len, const char *prefix)
{
	gsize n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

static gboolean ends(const char *s, gsize len, const char *suffix)
{
	gsize n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static gboolean is(const char *s, gsize len, const char *word)
{
	return len == strlen(word) && memcmp(s, word, len) == 0;
}

MemMapKind mem_map_classify(const MemMapsLine *l)
{
	const char *n = l->name;
	gsize len = l->name_len;
	gboolean shared = l->perms[3] == 's';

	if (len == 0)
		return shared ? MEM_MAP_SHARED_ANON : MEM_MAP_ANON;
	if (n[0] == '[') {
		if (is(n, len, "[heap]"))
			return MEM_MAP_HEAP;
		if (is(n, len, "[stack]") || starts(n, len, "[stack:"))
			return MEM_MAP_STACK;
		if (is(n, len, "[vdso]"))
			return MEM_MAP_VDSO;
		if (is(n, len, "[vvar]") || starts(n, len, "[vvar_"))
			return MEM_MAP_VVAR;
		if (is(n, len, "[vsyscall]"))
			return MEM_MAP_VSYSCALL;
		if (starts(n, len, "[anon_shmem:"))
			return MEM_MAP_SHMEM_NAMED;
		if (starts(n, len, "[anon:"))
			return MEM_MAP_ANON_NAMED;
		return MEM_MAP_SPECIAL;
	}
	if (starts(n, len, "/memfd:"))
		return MEM_MAP_MEMFD;
	/* MAP_HUGETLB memory is a file of the kernel's internal hugetlbfs mount, "anon_hugepage"; it is
	 * written with " (deleted)" in most kernels and without it in some. */
	if (is(n, len, "/anon_hugepage") || is(n, len, "/anon_hugepage (deleted)"))
		return MEM_MAP_HUGETLB;
	if (starts(n, len, "/dev/ashmem/") || is(n, len, "/dev/ashmem") || is(n, len, "/dev/ashmem (deleted)"))
		return MEM_MAP_ASHMEM;
	if (starts(n, len, "/dmabuf:") || is(n, len, "/dmabuf"))
		return MEM_MAP_DMABUF;
	if (starts(n, len, "/SYSV") && ends(n, len, " (deleted)"))
		return MEM_MAP_SYSV_SHM;
	/* Shared anonymous memory is a shmem file named /dev/zero on the internal mount (dev 00:01). */
	if (is(n, len, "/dev/zero (deleted)") && shared)
		return MEM_MAP_SHARED_ANON;
	if (ends(n, len, " (deleted)"))
		return MEM_MAP_DELETED;
	return MEM_MAP_FILE;
}

MemMapKind mem_map_classify_flags(MemMapKind kind, const char *flags, gsize len)
{
	if (kind != MEM_MAP_FILE && kind != MEM_MAP_DELETED)
		return kind;
	/* two-letter flags separated by blanks */
	for (gsize i = 0; i + 1 < len; i++) {
		if (flags[i] == ' ')
			continue;
		if (flags[i] == 'h' && flags[i + 1] == 't' && (i + 2 == len || flags[i + 2] == ' '))
			return MEM_MAP_HUGETLB;
		while (i < len && flags[i] != ' ')
			i++;
	}
	return kind;
}

MemMapDetails *mem_map_details_new(const char *vmflags, gsize vmflags_len, guint n_extra)
{
	/* one block: the details, the extra fields, then VmFlags's text */
	gsize head = sizeof(MemMapDetails) + n_extra * sizeof(MemMapExtra);
	MemMapDetails *d = g_malloc(head + (vmflags ? vmflags_len + 1 : 0));

	d->vmflags = NULL;
	if (vmflags) {
		d->vmflags = (char *)d + head;
		memcpy(d->vmflags, vmflags, vmflags_len);
		d->vmflags[vmflags_len] = '\0';
	}
	d->n_extra = n_extra;
	return d;
}

void mem_mapping_clear(gpointer data)
{
	MemMapping *m = data;
	MemMapDetails *d = m->details;

	if (!d)
		return;
	for (guint i = 0; i < d->n_extra; i++)
		g_free(d->extra[i].value);
	g_free(d);
	m->details = NULL;
}

G_STATIC_ASSERT(MEM_MAP_KIND_COUNT <= 32); /* MemMapping.kind is 5 bits */
G_STATIC_ASSERT(MEM_F_COUNT <= 27);        /* MemMapping.known is 27 bits */
G_STATIC_ASSERT(sizeof(MemMapping) == 80); /* 4 million mappings: 320 MB, not 384 */

void mem_mapping_counters(const MemMapping *m, MemCounters *out)
{
	guint32 rest = m->known;
	guint i = 0;

	memset(out, 0, sizeof *out);
	out->known = m->known;
	while (rest) {
		int f = __builtin_ctz(rest);

		out->v[f] = m->cv[i++];
		rest &= rest - 1;
	}
}

/* dst[k] += v[k] for k < n, saturating. */
static inline void add_run(guint64 *dst, const guint64 *v, guint n)
{
	for (guint k = 0; k < n; k++) {
		guint64 s = dst[k] + v[k];
		dst[k] = s < v[k] ? G_MAXUINT64 : s;
	}
}

void mem_counters_add_mapping(MemCounters *dst, const MemMapping *m)
{
	/* the values in order, a run of neighbouring fields at a time */
	guint32 rest = m->known;
	const guint64 *v = m->cv;

	while (rest) {
		guint f = (guint)__builtin_ctz(rest), n = (guint)__builtin_ctz(~(rest >> f));
		add_run(&dst->v[f], v, n);
		v += n;
		rest &= ~(((1u << n) - 1u) << f);
	}
	dst->known |= m->known;
}

GArray *mem_mappings_new(void)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(MemMapping));
	g_array_set_clear_func(a, mem_mapping_clear);
	return a;
}
