/* mapping.h: the mappings of a process, kept from smaps (or maps) and classified by kind (model layer) */
#pragma once

#include <glib.h>
#include <string.h>

#include "counters.h"
#include "parse.h"

/* What a mapping maps, from its name, device, inode and permissions. */
typedef enum {
	MEM_MAP_FILE,          /* a file */
	MEM_MAP_DELETED,       /* a file unlinked while mapped: "... (deleted)" */
	MEM_MAP_ANON,          /* private anonymous, unnamed */
	MEM_MAP_ANON_NAMED,    /* "[anon:NAME]" (5.17+, Android) */
	MEM_MAP_HEAP,          /* "[heap]" */
	MEM_MAP_STACK,         /* "[stack]", "[stack:TID]" */
	MEM_MAP_MEMFD,         /* "/memfd:NAME (deleted)" */
	MEM_MAP_SYSV_SHM,      /* "/SYSV%08x (deleted)": the inode is the shmid */
	MEM_MAP_SHARED_ANON,   /* MAP_SHARED|MAP_ANONYMOUS or /dev/zero shared: "/dev/zero (deleted)" */
	MEM_MAP_SHMEM_NAMED,   /* "[anon_shmem:NAME]" (6.2+) */
	MEM_MAP_VDSO,          /* "[vdso]" */
	MEM_MAP_VVAR,          /* "[vvar]", "[vvar_vclock]" */
	MEM_MAP_VSYSCALL,      /* "[vsyscall]" */
	MEM_MAP_SPECIAL,       /* any other "[...]": [vectors], [sigpage], [uprobes] */
	MEM_MAP_HUGETLB,       /* huge pages: "/anon_hugepage" (MAP_HUGETLB), or a file with VmFlags "ht"
	                        * (hugetlbfs); memfd and SysV segments keep their own kind */
	MEM_MAP_ASHMEM,        /* Android's "/dev/ashmem/NAME" (shmem, with or without " (deleted)") */
	MEM_MAP_DMABUF,        /* a DMA buffer mapped by a process: "/dmabuf:NAME" (Android, GPU drivers) */
	MEM_MAP_KIND_COUNT
} MemMapKind;

/* "file", "deleted", "anon", "anon-named", "heap", "stack", "memfd", "sysv-shm", "shared-anon",
 * "shmem-named", "vdso", "vvar", "vsyscall", "special", "hugetlb", "ashmem", "dmabuf". */
const char *mem_map_kind_name(MemMapKind kind);

/* The kind from what maps says (name, perms).  Android's "[anon:dalvik-...]" and "[anon:scudo:...]"
 * are "anon-named" like every "[anon:...]". */
MemMapKind mem_map_classify(const MemMapsLine *line);

/* The kind once smaps's VmFlags are known: a file or deleted file whose flags hold "ht" is on hugetlbfs
 * (hugetlb); any other kind is kept.  `flags` is VmFlags's text ("rd wr sh ht "). */
MemMapKind mem_map_classify_flags(MemMapKind kind, const char *flags, gsize len);

/* A field of smaps memps does not know (or that is not in kB), kept for -X. */
typedef struct {
	const char *key;       /* interned in the snapshot */
	char *value;
} MemMapExtra;

/* What a mapping carries beyond its counters, kept only when asked (MemLoadOptions.details) and
 * present: one pointer in every mapping instead of three fields. */
typedef struct {
	char *vmflags;         /* NULL when absent; in the same block as the details */
	guint n_extra;
	MemMapExtra extra[];   /* n_extra entries */
} MemMapDetails;

/* One mapping.  Its counters are packed: `cv` holds the values of the fields set in `known`, in field
 * order, and nothing else (a minimal smaps record has 2 fields of 26), so that a process of 4 million
 * mappings fits in well under twice its smaps (issue 8): 80 bytes plus 8 per field, where a whole
 * MemCounters made it 304.  Read them with mem_mapping_has/_value/_counters. */
typedef struct {
	guint64 start, end, offset, inode;
	const char *name;      /* exact bytes as the kernel wrote them (interned in the snapshot) */
	const guint64 *cv;     /* the known fields' values (owned by the process: MemProcess.map_values) */
	MemMapDetails *details; /* VmFlags and unknown fields; NULL when none were kept */
	guint32 dev_major, dev_minor;
	guint32 name_len;
	guint32 line;          /* line of the header in its file */
	guint32 known : 27;    /* MemField bits of cv; 0 when the mapping came from maps only */
	guint32 kind : 5;      /* MemMapKind */
	char perms[4];         /* "r-xp": four bytes, no NUL (the struct is 80 bytes, not 88) */
} MemMapping;

/* VmFlags's text, NULL when absent or not kept. */
static inline const char *mem_mapping_vmflags(const MemMapping *m)
{
	return m->details ? m->details->vmflags : NULL;
}

/* How many unknown fields were kept; mem_mapping_extra(m)[i] is each. */
static inline guint mem_mapping_n_extra(const MemMapping *m)
{
	return m->details ? m->details->n_extra : 0;
}

static inline const MemMapExtra *mem_mapping_extra(const MemMapping *m)
{
	return m->details ? m->details->extra : NULL;
}

/* New details with room for n_extra fields (filled by the caller) and a copy of VmFlags (may be NULL). */
MemMapDetails *mem_map_details_new(const char *vmflags, gsize vmflags_len, guint n_extra);

/* Whether the permissions are `p` ("rw-p"). */
static inline gboolean mem_mapping_perms_are(const MemMapping *m, const char p[4])
{
	return memcmp(m->perms, p, 4) == 0;
}

/* Whether field f of the mapping is known. */
static inline gboolean mem_mapping_has(const MemMapping *m, MemField f)
{
	return (m->known >> f) & 1u;
}

/* Bits set in x, inline: without -mpopcnt __builtin_popcount is a call into libgcc, and memmaps
 * reads a value this way for every cell of every mapping. */
static inline guint mem_bits_set(guint32 x)
{
#ifdef __POPCNT__
	return (guint)__builtin_popcount(x);
#else
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0fu;
	return (x * 0x01010101u) >> 24;
#endif
}

/* The value of field f (bytes), 0 when unknown (check mem_mapping_has). */
static inline guint64 mem_mapping_value(const MemMapping *m, MemField f)
{
	if (!mem_mapping_has(m, f))
		return 0;
	return m->cv[mem_bits_set(m->known & (MEM_FIELD_BIT(f) - 1u))];
}

/* The mapping's counters, unpacked. */
void mem_mapping_counters(const MemMapping *m, MemCounters *out);

/* mem_counters_add() of the mapping's counters. */
void mem_counters_add_mapping(MemCounters *dst, const MemMapping *m);

/* Frees what a MemMapping owns (set as the clear func of the arrays holding them). */
void mem_mapping_clear(gpointer mapping);

/* New array of MemMapping with the clear func set. */
GArray *mem_mappings_new(void);
