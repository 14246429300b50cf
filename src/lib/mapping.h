/* mapping.h: the mappings of a process, kept from smaps (or maps) and classified by kind (model layer) */
#pragma once

#include <glib.h>

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

/* One mapping.  Its counters are packed: `cv` holds the values of the fields set in `known`, in field
 * order, and nothing else (a minimal smaps record has 2 fields of 26), so that a process of 4 million
 * mappings fits in about twice its smaps (issue 8): 96 bytes plus 8 per field, where a whole
 * MemCounters made it 304.  Read them with mem_mapping_has/_value/_counters. */
typedef struct {
	guint64 start, end, offset, inode;
	const char *name;      /* exact bytes as the kernel wrote them (interned in the snapshot) */
	const guint64 *cv;     /* the known fields' values (owned by the process: MemProcess.map_values) */
	char *vmflags;         /* NULL when absent */
	MemMapExtra *extra;    /* n_extra entries */
	guint32 dev_major, dev_minor;
	guint32 name_len;
	guint32 known;         /* MemField bits of cv; 0 when the mapping came from maps only */
	guint32 n_extra;
	guint32 line;          /* line of the header in its file */
	char perms[5];
	MemMapKind kind : 8;   /* a byte: with perms, the struct is 96 bytes, not 104 */
} MemMapping;

/* Whether field f of the mapping is known. */
static inline gboolean mem_mapping_has(const MemMapping *m, MemField f)
{
	return (m->known >> f) & 1u;
}

/* The value of field f (bytes), 0 when unknown (check mem_mapping_has). */
static inline guint64 mem_mapping_value(const MemMapping *m, MemField f)
{
	if (!mem_mapping_has(m, f))
		return 0;
	return m->cv[__builtin_popcount(m->known & (MEM_FIELD_BIT(f) - 1u))];
}

/* The mapping's counters, unpacked. */
void mem_mapping_counters(const MemMapping *m, MemCounters *out);

/* mem_counters_add() of the mapping's counters. */
void mem_counters_add_mapping(MemCounters *dst, const MemMapping *m);

/* Frees what a MemMapping owns (set as the clear func of the arrays holding them). */
void mem_mapping_clear(gpointer mapping);

/* New array of MemMapping with the clear func set. */
GArray *mem_mappings_new(void);
