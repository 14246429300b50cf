/* column.c: the process columns as a table of data (columns layer) */
#include "config.h"

#include "column.h"
#include "error.h"

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

const MemColumn *mem_columns(guint *n)
{
	*n = G_N_ELEMENTS(columns);
	return columns;
}

const MemColumn *mem_column_lookup(const char *id)
{
	for (gsize i = 0; i < G_N_ELEMENTS(columns); i++)
		if (g_ascii_strcasecmp(columns[i].id, id) == 0)
			return &columns[i];
	return NULL;
}

GPtrArray *mem_columns_parse(const char *list, GError **error)
{
	g_autoptr(GPtrArray) cols = g_ptr_array_new();
	g_auto(GStrv) names = g_strsplit(list, ",", -1);

	for (char **n = names; *n; n++) {
		const char *name = g_strstrip(*n);
		const MemColumn *col;
		if (!*name)
			continue;
		col = mem_column_lookup(name);
		if (!col) {
			g_autoptr(GString) valid = g_string_new(NULL);
			g_autofree char *shown = g_strescape(name, NULL);
			for (gsize i = 0; i < G_N_ELEMENTS(columns); i++)
				g_string_append_printf(valid, "%s%s", i ? " " : "", columns[i].id);
			g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "unknown column '%s' (valid: %s)", shown,
			            valid->str);
			return NULL;
		}
		g_ptr_array_add(cols, (gpointer)col);
	}
	if (cols->len == 0) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "empty column list");
		return NULL;
	}
	return g_steal_pointer(&cols);
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
