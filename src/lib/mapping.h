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

typedef struct {
	guint64 start, end, offset, inode;
	guint32 dev_major, dev_minor;
	char perms[5];
	MemMapKind kind;
	const char *name;      /* exact bytes as the kernel wrote them (interned in the snapshot) */
	gsize name_len;
	MemCounters c;         /* known is 0 when the mapping came from maps only */
	char *vmflags;         /* NULL when absent */
	MemMapExtra *extra;    /* n_extra entries */
	guint n_extra;
	guint line;            /* line of the header in its file */
} MemMapping;

/* Frees what a MemMapping owns (set as the clear func of the arrays holding them). */
void mem_mapping_clear(gpointer mapping);

/* New array of MemMapping with the clear func set. */
GArray *mem_mappings_new(void);
