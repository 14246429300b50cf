/* columns-objs.c: memobjs's columns as data and their list parser, the core's (columns layer) */
#include "config.h"

#include "columns-objs.h"

static const MemObjsColumn columns[] = {
	{ MEM_OCOL_MAPS, "maps", "#MAP", FALSE, "mappings of the object (in the process, or in all sharers)" },
	{ MEM_OCOL_SHR, "shr", "#SHR", FALSE, "processes of the source that map the object" },
	{ MEM_OCOL_PIDS, "pids", "PIDS", FALSE, "those processes" },
	{ MEM_OCOL_SIZE, "size", "SIZE", TRUE, "extent mapped: largest offset+length (anonymous: its length)" },
	{ MEM_OCOL_ALLOC, "alloc", "ALLOC", TRUE, "resident (Rss) in the process, or summed over sharers" },
	{ MEM_OCOL_PSS, "pss", "PSS", TRUE, "proportional set size" },
	{ MEM_OCOL_SWAP, "swap", "SWAP", TRUE, "swapped out" },
	{ MEM_OCOL_SWAP_PSS, "swap_pss", "SWAPPSS", TRUE, "proportional swap" },
	{ MEM_OCOL_PRIVATE, "private", "PRIVATE", TRUE, "object level: alloc when #shr is 1, else 0" },
	{ MEM_OCOL_SHARED, "shared", "SHARED", TRUE, "object level: alloc when #shr is above 1, else 0" },
	{ MEM_OCOL_USS, "uss", "USS", TRUE, "page level: Private_Clean + Private_Dirty" },
	{ MEM_OCOL_PAGE_SHARED, "page_shared", "PGSHARED", TRUE, "page level: Shared_Clean + Shared_Dirty" },
	{ MEM_OCOL_DIRTY, "dirty", "DIRTY", TRUE, "Private_Dirty + Shared_Dirty" },
	{ MEM_OCOL_HUGETLB, "hugetlb", "HUGETLB", TRUE, "hugetlb pages: Shared_Hugetlb + Private_Hugetlb (outside Rss and PSS)" },
	{ MEM_OCOL_KIND, "kind", "KIND", FALSE, "file, memfd, sysv-shm, shared-anon, heap, stack, anon, ..." },
	{ MEM_OCOL_DEV, "dev", "DEV", FALSE, "device major:minor (hex)" },
	{ MEM_OCOL_INODE, "inode", "INODE", FALSE, "inode (the shmid for SysV segments; 0 for anonymous)" },
};

static const MemColumnSet column_set = MEM_COLUMN_SET(columns, MemObjsColumn, name, help, "column");

const MemObjsColumn *mem_objs_columns(guint *n)
{
	*n = G_N_ELEMENTS(columns);
	return columns;
}

const MemColumnSet *mem_objs_column_set(void)
{
	return &column_set;
}

/* "rss", the name memps and smaps give it, is accepted for alloc. */
static gboolean is_alias(const char *name, gpointer data)
{
	(void)data;
	return g_ascii_strcasecmp(name, "rss") == 0;
}

const MemObjsColumn *mem_objs_column_lookup(const char *name)
{
	int i = mem_column_set_find(&column_set, is_alias(name, NULL) ? "alloc" : name);

	return i < 0 ? NULL : &columns[i];
}

GArray *mem_objs_columns_parse(const char *list, GError **error)
{
	g_autoptr(GPtrArray) aliases = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) idx = mem_column_list_parse(&column_set, list, is_alias, NULL, aliases, error);
	GArray *cols;

	if (!idx)
		return NULL;
	cols = g_array_sized_new(FALSE, FALSE, sizeof(MemObjsColId), idx->len);
	for (guint i = 0; i < idx->len; i++) {
		guint k = g_array_index(idx, guint, i);
		MemObjsColId id = k == G_MAXUINT ? MEM_OCOL_ALLOC : columns[k].id;
		g_array_append_val(cols, id);
	}
	return cols;
}
