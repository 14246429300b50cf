/* dl.c: opening heavy optional libraries on demand through GModule (base layer) */
#include "config.h"

#include <gmodule.h>

#include "dl.h"
#include "error.h"

gboolean mem_dl_open(const char *soname, const char *package, const MemDlSymbol *symbols,
                     GError **error)
{
	static GHashTable *opened; /* soname -> GModule*, kept for the life of the process */
	GModule *module;

	if (!opened)
		opened = g_hash_table_new(g_str_hash, g_str_equal);
	module = g_hash_table_lookup(opened, soname);
	if (!module) {
		module = g_module_open(soname, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
		if (!module) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_LIBRARY,
			            "cannot load %s (install the Debian package %s): %s", soname, package,
			            g_module_error());
			return FALSE;
		}
		g_hash_table_insert(opened, (gpointer)soname, module);
	}
	for (const MemDlSymbol *s = symbols; s->name; s++) {
		if (*s->slot)
			continue;
		if (!g_module_symbol(module, s->name, s->slot) || !*s->slot) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_LIBRARY, "%s lacks the symbol %s (package %s too old?)",
			            soname, s->name, package);
			return FALSE;
		}
	}
	return TRUE;
}
