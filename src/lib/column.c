/* column.c: the column-list parser and --help list of every tool, and memps's process columns as data (columns layer) */
#include "config.h"

#include <string.h>

#include "column.h"
#include "error.h"

const char *mem_column_set_name(const MemColumnSet *set, guint i)
{
	return *(const char *const *)((const char *)set->table + i * set->stride + set->name_offset);
}

const char *mem_column_set_help(const MemColumnSet *set, guint i)
{
	return *(const char *const *)((const char *)set->table + i * set->stride + set->help_offset);
}

int mem_column_set_find(const MemColumnSet *set, const char *name)
{
	for (guint i = 0; i < set->n; i++)
		if (g_ascii_strcasecmp(mem_column_set_name(set, i), name) == 0)
			return (int)i;
	return -1;
}

GArray *mem_column_list_parse(const MemColumnSet *set, const char *list, MemColumnOtherFunc other,
                              gpointer data, GPtrArray *others, GError **error)
{
	g_autoptr(GArray) idx = g_array_new(FALSE, FALSE, sizeof(guint));
	g_auto(GStrv) names = g_strsplit(list, ",", -1);

	if (!names[0]) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "empty %s list", set->what);
		return NULL;
	}
	for (char **n = names; *n; n++) {
		const char *name = g_strstrip(*n);
		int i;
		if (!*name) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "empty %s name in '%s'", set->what, list);
			return NULL;
		}
		if ((i = mem_column_set_find(set, name)) >= 0) {
			g_array_append_val(idx, (guint){ (guint)i });
		} else if (other && other(name, data)) {
			g_array_append_val(idx, (guint){ G_MAXUINT });
			g_ptr_array_add(others, g_strdup(name));
		} else {
			g_autoptr(GString) valid = g_string_new(NULL);
			for (guint j = 0; j < set->n; j++)
				g_string_append_printf(valid, "%s%s", j ? " " : "", mem_column_set_name(set, j));
			g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "unknown %s '%s' (valid: %s)", set->what, name,
			            valid->str);
			return NULL;
		}
	}
	return g_steal_pointer(&idx);
}

void mem_column_set_help_text(const MemColumnSet *set, GString *out)
{
	gsize w = 0;

	for (guint i = 0; i < set->n; i++)
		w = MAX(w, strlen(mem_column_set_name(set, i)));
	for (guint i = 0; i < set->n; i++)
		g_string_append_printf(out, "  %-*s  %s\n", (int)w, mem_column_set_name(set, i), mem_column_set_help(set, i));
}

static const MemColumn columns[] = {
	{ "pss", "PSS", MEM_COL_BYTES, MEM_M_PSS, "proportional set size: Pss" },
	{ "private", "PRIVATE", MEM_COL_BYTES, MEM_M_PRIVATE, "Private_Clean + Private_Dirty" },
	{ "shared", "SHARED", MEM_COL_BYTES, MEM_M_SHARED, "Shared_Clean + Shared_Dirty" },
	{ "rss", "RSS", MEM_COL_BYTES, MEM_M_RSS, "resident set size: Rss" },
	{ "uss", "USS", MEM_COL_BYTES, MEM_M_USS, "unique set size: Private_Clean + Private_Dirty" },
	{ "swap", "SWAP", MEM_COL_BYTES, MEM_M_SWAP, "swapped out: Swap" },
	{ "swap_pss", "SWAP_PSS", MEM_COL_BYTES, MEM_M_SWAP_PSS, "proportional swap: SwapPss" },
	{ "pss_anon", "PSS_ANON", MEM_COL_BYTES, MEM_M_PSS_ANON, "Pss_Anon (kernel 5.3+)" },
	{ "pss_file", "PSS_FILE", MEM_COL_BYTES, MEM_M_PSS_FILE, "Pss_File (kernel 5.3+)" },
	{ "pss_shmem", "PSS_SHMEM", MEM_COL_BYTES, MEM_M_PSS_SHMEM, "Pss_Shmem (kernel 5.3+)" },
	{ "pss_dirty", "PSS_DIRTY", MEM_COL_BYTES, MEM_M_PSS_DIRTY, "Pss_Dirty (kernel 6.0+)" },
	{ "private_clean", "PRIV_CLEAN", MEM_COL_BYTES, MEM_M_PRIVATE_CLEAN, "Private_Clean" },
	{ "private_dirty", "PRIV_DIRTY", MEM_COL_BYTES, MEM_M_PRIVATE_DIRTY, "Private_Dirty" },
	{ "shared_clean", "SHR_CLEAN", MEM_COL_BYTES, MEM_M_SHARED_CLEAN, "Shared_Clean" },
	{ "shared_dirty", "SHR_DIRTY", MEM_COL_BYTES, MEM_M_SHARED_DIRTY, "Shared_Dirty" },
	{ "vss", "VSS", MEM_COL_BYTES, MEM_M_VSS, "virtual size: stat vsize" },
	{ "hugetlb", "HUGETLB", MEM_COL_BYTES, MEM_M_HUGETLB, "huge pages: Shared_Hugetlb + Private_Hugetlb (not in PSS or RSS)" },
	{ "pid", "PID", MEM_COL_PID, 0, "process id" },
	{ "ppid", "PPID", MEM_COL_PPID, 0, "parent process id" },
	{ "user", "USER", MEM_COL_USER, 0, "user name of the real uid (or the uid)" },
	{ "cmdline", "CMDLINE", MEM_COL_CMDLINE, 0, "command line, arguments joined by spaces" },
};

static const MemColumnSet column_set = MEM_COLUMN_SET(columns, MemColumn, id, help, "column");

const MemColumnSet *mem_columns_set(void)
{
	return &column_set;
}

const MemColumn *mem_columns(guint *n)
{
	*n = G_N_ELEMENTS(columns);
	return columns;
}

const MemColumn *mem_column_lookup(const char *id)
{
	int i = mem_column_set_find(&column_set, id);
	return i < 0 ? NULL : &columns[i];
}

GPtrArray *mem_columns_parse(const char *list, GError **error)
{
	g_autoptr(GArray) idx = mem_column_list_parse(&column_set, list, NULL, NULL, NULL, error);
	GPtrArray *cols;

	if (!idx)
		return NULL;
	cols = g_ptr_array_sized_new(idx->len);
	for (guint i = 0; i < idx->len; i++)
		g_ptr_array_add(cols, (gpointer)&columns[g_array_index(idx, guint, i)]);
	return cols;
}

GPtrArray *mem_columns_default(void)
{
	GPtrArray *cols = g_ptr_array_new();
	g_ptr_array_add(cols, (gpointer)&columns[0]);
	g_ptr_array_add(cols, (gpointer)&columns[1]);
	g_ptr_array_add(cols, (gpointer)&columns[2]);
	return cols;
}

gboolean mem_column_numeric(const MemColumn *col)
{
	return col->kind != MEM_COL_USER && col->kind != MEM_COL_CMDLINE;
}
