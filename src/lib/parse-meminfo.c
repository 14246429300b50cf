/* parse-meminfo.c: /proc/meminfo, "Key:   N kB" or a bare number (parser layer) */
#include "config.h"

#include "error.h"
#include "parse-util.h"

static void entry_clear(gpointer data)
{
	MemMeminfoEntry *e = data;

	if (e->owns_keys)
		g_free(e->key);
	e->key = NULL;
}

GArray *mem_parse_meminfo(const char *buf, gsize len, GError **error)
{
	g_autoptr(GArray) entries = g_array_sized_new(FALSE, FALSE, sizeof(MemMeminfoEntry), 64);
	/* The keys: one copy of the file, each key cut at its colon (a malloc per key was most of the
	 * parse, and of memsys's own work); the first entry owns it. */
	g_autofree char *keys = g_malloc(len + 1);
	char *block = keys;
	const char *p = buf, *limit = buf + len;
	guint lineno = 0;
	guint64 total;

	g_array_set_clear_func(entries, entry_clear);
	while (p < limit) {
		const char *le = mem_line_end(p, limit), *colon;
		MemMeminfoEntry ent;
		MemNumStatus st;

		lineno++;
		if (le == limit) {
			mem_parse_fail(error, MEM_ERROR_TRUNCATED, lineno, "last line has no newline (the read was cut short)");
			return NULL;
		}
		colon = memchr(p, ':', (gsize)(le - p));
		if (colon == NULL || colon == p || memchr(p, '\0', (gsize)(colon - p)) != NULL) {
			g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));
			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "expected 'Key: value', got '%s'", ex);
			return NULL;
		}
		st = mem_parse_kb_value(colon + 1, le, TRUE, &ent.value, &ent.has_kb);
		if (st != MEM_NUM_OK) {
			mem_parse_fail_number(error, lineno, p, (gsize)(colon - p), st, colon + 1, le);
			return NULL;
		}
		ent.key = block + (p - buf);
		memcpy(ent.key, p, (gsize)(colon - p));
		ent.key[colon - p] = '\0';
		if ((ent.owns_keys = entries->len == 0))
			keys = NULL; /* the array frees it from now on */
		g_array_append_val(entries, ent);
		p = le + 1;
	}
	if (!mem_meminfo_get(entries, "MemTotal", &total)) {
		mem_parse_fail(error, MEM_ERROR_PARSE, lineno ? lineno : 1, "no MemTotal field");
		return NULL;
	}
	return g_steal_pointer(&entries);
}

gboolean mem_meminfo_get(GArray *entries, const char *key, guint64 *value)
{
	for (guint i = 0; i < entries->len; i++) {
		const MemMeminfoEntry *e = &g_array_index(entries, MemMeminfoEntry, i);
		if (e->key[0] == key[0] && strcmp(e->key, key) == 0) { /* (most keys differ at once) */
			if (value)
				*value = e->value;
			return TRUE;
		}
	}
	return FALSE;
}
