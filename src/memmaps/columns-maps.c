/* columns-maps.c: memmaps's column table (the short names of -o) and its column list, through the core's one parser (columns layer) */
#include "config.h"

#include <string.h>

#include "columns-maps.h"
#include "error.h"

/* The short names of -o, after Zircon's tags and pmap's columns: memmaps's column table. */
typedef struct {
	const char *name;
	MemMapsColKind kind;
	MemField f0, f1;
	const char *help;
} MapsAlias;

static const MapsAlias aliases[] = {
	{ "sz", MEM_MAPS_COL_FIELD, MEM_F_SIZE, MEM_F_SIZE, "mapped size: Size" },
	{ "res", MEM_MAPS_COL_FIELD, MEM_F_RSS, MEM_F_RSS, "resident: Rss" },
	{ "pss", MEM_MAPS_COL_FIELD, MEM_F_PSS, MEM_F_PSS, "proportional set size: Pss" },
	{ "priv", MEM_MAPS_COL_SUM, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY, "Private_Clean + Private_Dirty" },
	{ "shr", MEM_MAPS_COL_SUM, MEM_F_SHARED_CLEAN, MEM_F_SHARED_DIRTY, "Shared_Clean + Shared_Dirty" },
	{ "dirty", MEM_MAPS_COL_SUM, MEM_F_SHARED_DIRTY, MEM_F_PRIVATE_DIRTY, "Shared_Dirty + Private_Dirty" },
	{ "swap", MEM_MAPS_COL_FIELD, MEM_F_SWAP, MEM_F_SWAP, "swapped out: Swap" },
	{ "swappss", MEM_MAPS_COL_FIELD, MEM_F_SWAP_PSS, MEM_F_SWAP_PSS, "proportional swap: SwapPss" },
	{ "hugetlb", MEM_MAPS_COL_SUM, MEM_F_SHARED_HUGETLB, MEM_F_PRIVATE_HUGETLB,
	  "hugetlb pages: Shared_Hugetlb + Private_Hugetlb (outside res and pss)" },
};

static const MemColumnSet alias_set = MEM_COLUMN_SET(aliases, MapsAlias, name, help, "field");

const MemColumnSet *mem_maps_columns_set(void)
{
	return &alias_set;
}

static MemMapsColumn *alias_column(const MapsAlias *a)
{
	MemMapsColumn *col = g_new0(MemMapsColumn, 1);

	col->kind = a->kind;
	col->f[0] = a->f0;
	col->f[1] = a->f1;
	col->tag = g_strdup(a->name);
	return col;
}

MemMapsColumn *mem_maps_column_new(const char *name)
{
	int a = mem_column_set_find(&alias_set, name);

	return a >= 0 ? alias_column(&aliases[a]) : mem_maps_column_key(name, strlen(name));
}

gboolean mem_maps_smaps_key_like(const char *name)
{
	gsize n = 0;

	if (!g_ascii_isalpha(name[0]))
		return FALSE;
	for (; name[n]; n++)
		if (!g_ascii_isalnum(name[n]) && name[n] != '_')
			return FALSE;
	return n <= 64;
}

static gboolean accept_key(const char *name, gpointer data)
{
	(void)data;
	return mem_maps_smaps_key_like(name);
}

GPtrArray *mem_maps_columns_parse(const char *list, GError **error)
{
	g_autoptr(GPtrArray) cols = g_ptr_array_new_with_free_func(mem_maps_column_free);
	g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) idx = mem_column_list_parse(&alias_set, list, accept_key, NULL, others, error);
	guint k = 0;

	if (!idx) {
		if (error && *error) {
			char *m = g_strconcat((*error)->message, "; or a smaps key as the kernel writes it (Anonymous, "
			                      "Pss_Dirty, ...), or VmFlags", NULL);
			g_free((*error)->message);
			(*error)->message = m;
		}
		return NULL;
	}
	for (guint i = 0; i < idx->len; i++) {
		guint a = g_array_index(idx, guint, i);
		if (a != G_MAXUINT) {
			g_ptr_array_add(cols, alias_column(&aliases[a]));
		} else {
			const char *name = g_ptr_array_index(others, k++);
			g_ptr_array_add(cols, mem_maps_column_key(name, strlen(name)));
		}
	}
	return g_steal_pointer(&cols);
}
