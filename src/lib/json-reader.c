/* json-reader.c: a JSON document read through json-glib, opened on demand, and copied into our own read-only tree (parsers layer) */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dl.h"
#include "error.h"
#include "json-reader.h"
#include "source.h"

/* json-glib's types stay opaque here: only pointers and the enum values it documents pass through. */
enum { JG_NODE_OBJECT, JG_NODE_ARRAY, JG_NODE_VALUE, JG_NODE_NULL };

/* A GType is a gsize; the fundamental ones are fixed numbers (G_TYPE_MAKE_FUNDAMENTAL(n) = n << 2), the
 * same in every copy of glib (the tools link glib statically, json-glib brings the shared one), so
 * gobject's headers are not needed. */
enum { JG_TYPE_BOOLEAN = 5 << 2, JG_TYPE_INT64 = 10 << 2, JG_TYPE_DOUBLE = 15 << 2 };
static gpointer (*jg_parser_new)(void);
static gboolean (*jg_parser_load_from_data)(gpointer parser, const char *data, gssize length, GError **error);
static gpointer (*jg_parser_get_root)(gpointer parser);
static int (*jg_node_get_node_type)(gpointer node);
static gsize (*jg_node_get_value_type)(gpointer node);
static gint64 (*jg_node_get_int)(gpointer node);
static double (*jg_node_get_double)(gpointer node);
static gboolean (*jg_node_get_boolean)(gpointer node);
static const char *(*jg_node_get_string)(gpointer node);
static gpointer (*jg_node_get_object)(gpointer node);
static gpointer (*jg_node_get_array)(gpointer node);
static GList *(*jg_object_get_members)(gpointer object);
static gpointer (*jg_object_get_member)(gpointer object, const char *name);
static guint (*jg_array_get_length)(gpointer array);
static gpointer (*jg_array_get_element)(gpointer array, guint index);
/* From json-glib's own glib, so that what it allocated is freed by the allocator that made it. */
static void (*jg_object_unref)(gpointer object);
static void (*jg_list_free)(GList *list);
static void (*jg_error_free)(GError *error);

static const MemDlSymbol jsonglib_symbols[] = {
	{ "json_parser_new", (gpointer *)&jg_parser_new },
	{ "json_parser_load_from_data", (gpointer *)&jg_parser_load_from_data },
	{ "json_parser_get_root", (gpointer *)&jg_parser_get_root },
	{ "json_node_get_node_type", (gpointer *)&jg_node_get_node_type },
	{ "json_node_get_value_type", (gpointer *)&jg_node_get_value_type },
	{ "json_node_get_int", (gpointer *)&jg_node_get_int },
	{ "json_node_get_double", (gpointer *)&jg_node_get_double },
	{ "json_node_get_boolean", (gpointer *)&jg_node_get_boolean },
	{ "json_node_get_string", (gpointer *)&jg_node_get_string },
	{ "json_node_get_object", (gpointer *)&jg_node_get_object },
	{ "json_node_get_array", (gpointer *)&jg_node_get_array },
	{ "json_object_get_members", (gpointer *)&jg_object_get_members },
	{ "json_object_get_member", (gpointer *)&jg_object_get_member },
	{ "json_array_get_length", (gpointer *)&jg_array_get_length },
	{ "json_array_get_element", (gpointer *)&jg_array_get_element },
	{ "g_object_unref", (gpointer *)&jg_object_unref },
	{ "g_list_free", (gpointer *)&jg_list_free },
	{ "g_error_free", (gpointer *)&jg_error_free },
	{ NULL, NULL },
};

struct MemJsonValue {
	MemJsonType type;
	guint n;                   /* array items, object members, string bytes */
	union {
		gboolean b;
		gint64 i;
		double d;
		char *s;
		MemJsonValue **items;
	} u;
	char **keys;               /* object member names, in document order */
	GHashTable *index;         /* key -> value, for objects of more than a few members */
};

struct MemJsonDoc {
	MemArena *arena;
	GPtrArray *indexes;        /* the objects' hash tables, freed with the document */
	MemJsonValue *root;
};

/* Bounds json-glib is not trusted with: nesting (its parser recurses) and integers outside gint64
 * (it would wrap them).  A lexical pass: strings are skipped with their escapes, so brackets and
 * digits inside names do not count.  The line is 1-based, for the message. */
static gboolean prescan(const char *p, gsize len, const char *what, GError **error)
{
	guint depth = 0, line = 1;

	for (gsize i = 0; i < len; i++) {
		char c = p[i];

		if (c == '\n') {
			line++;
		} else if (c == '"') {
			for (i++; i < len && p[i] != '"'; i++)
				if (p[i] == '\\')
					i++;
		} else if (c == '[' || c == '{') {
			if (++depth > MEM_JSON_MAX_DEPTH) {
				g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s:%u: nested deeper than %d levels", what,
				            line, MEM_JSON_MAX_DEPTH);
				return FALSE;
			}
		} else if (c == ']' || c == '}') {
			if (depth)
				depth--;
		} else if (c == '-' || g_ascii_isdigit(c)) {
			gsize start = i, digits = 0;
			gboolean integer = TRUE;
			char buf[32];
			gint64 v;

			while (i < len && (g_ascii_isdigit(p[i]) || strchr("-+.eE", p[i]))) {
				if (!g_ascii_isdigit(p[i]) && p[i] != '-')
					integer = FALSE;
				digits++;
				i++;
			}
			i--;
			if (!integer)
				continue;
			if (digits < sizeof buf) {
				memcpy(buf, p + start, digits);
				buf[digits] = '\0';
				errno = 0;
				v = g_ascii_strtoll(buf, NULL, 10);
				(void)v;
			}
			if (digits >= sizeof buf || errno == ERANGE) {
				g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE,
				            "%s:%u: the integer %.*s%s is out of range (at most 19 digits, |n| < 2^63)", what,
				            line, (int)MIN(digits, 24), p + start, digits > 24 ? "..." : "");
				return FALSE;
			}
		}
	}
	return TRUE;
}

static MemJsonValue *copy_node(MemJsonDoc *doc, gpointer node);

static MemJsonValue *copy_object(MemJsonDoc *doc, gpointer object)
{
	MemJsonValue *v = mem_arena_alloc0(doc->arena, sizeof *v);
	GList *members = jg_object_get_members(object);
	guint n = g_list_length(members), k = 0;

	v->type = MEM_JSON_OBJECT;
	v->n = n;
	v->keys = mem_arena_alloc0(doc->arena, (n ? n : 1) * sizeof *v->keys);
	v->u.items = mem_arena_alloc0(doc->arena, (n ? n : 1) * sizeof *v->u.items);
	for (GList *l = members; l; l = l->next, k++) {
		gsize klen = strlen(l->data);

		v->keys[k] = mem_arena_alloc0(doc->arena, klen + 1);
		memcpy(v->keys[k], l->data, klen);
		v->u.items[k] = copy_node(doc, jg_object_get_member(object, l->data));
	}
	jg_list_free(members);
	if (n > 8) {
		v->index = g_hash_table_new(g_str_hash, g_str_equal);
		for (k = 0; k < n; k++)
			g_hash_table_insert(v->index, v->keys[k], v->u.items[k]);
		g_ptr_array_add(doc->indexes, v->index);
	}
	return v;
}

/* Recursion is bounded by the prescan's depth limit. */
static MemJsonValue *copy_node(MemJsonDoc *doc, gpointer node)
{
	MemJsonValue *v;

	if (jg_node_get_node_type(node) == JG_NODE_OBJECT)
		return copy_object(doc, jg_node_get_object(node));
	v = mem_arena_alloc0(doc->arena, sizeof *v);
	switch (jg_node_get_node_type(node)) {
	case JG_NODE_ARRAY: {
		gpointer array = jg_node_get_array(node);

		v->type = MEM_JSON_ARRAY;
		v->n = jg_array_get_length(array);
		v->u.items = mem_arena_alloc0(doc->arena, (v->n ? v->n : 1) * sizeof *v->u.items);
		for (guint i = 0; i < v->n; i++)
			v->u.items[i] = copy_node(doc, jg_array_get_element(array, i));
		break;
	}
	case JG_NODE_VALUE: {
		gsize t = jg_node_get_value_type(node);

		if (t == JG_TYPE_INT64) {
			v->type = MEM_JSON_INT;
			v->u.i = jg_node_get_int(node);
		} else if (t == JG_TYPE_DOUBLE) {
			v->type = MEM_JSON_DOUBLE;
			v->u.d = jg_node_get_double(node);
		} else if (t == JG_TYPE_BOOLEAN) {
			v->type = MEM_JSON_BOOL;
			v->u.b = jg_node_get_boolean(node);
		} else {
			const char *s = jg_node_get_string(node);
			char *repaired = NULL;

			if (!s)
				s = "";
			if (!g_utf8_validate(s, -1, NULL)) /* json-glib lets some broken sequences through */
				s = repaired = g_utf8_make_valid(s, -1);
			v->type = MEM_JSON_STRING;
			v->n = (guint)strlen(s);
			v->u.s = mem_arena_alloc0(doc->arena, v->n + 1);
			memcpy(v->u.s, s, v->n);
			g_free(repaired);
		}
		break;
	}
	default:
		v->type = MEM_JSON_NULL;
		break;
	}
	return v;
}

MemJsonDoc *mem_json_parse(const char *data, gsize len, const char *what, GError **error)
{
	GError *jerr = NULL;
	MemJsonDoc *doc;
	gpointer parser, root;

	if (len > MEM_JSON_MAX_SIZE) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_TOO_LARGE, "%s: larger than %" G_GSIZE_FORMAT " bytes", what,
		            MEM_JSON_MAX_SIZE);
		return NULL;
	}
	if (memchr(data, '\0', len)) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: a NUL byte is not JSON", what);
		return NULL;
	}
	if (!prescan(data, len, what, error))
		return NULL;
	if (!mem_dl_open(MEM_JSONGLIB_SONAME, "libjson-glib-1.0-0", jsonglib_symbols, error))
		return NULL;
	parser = jg_parser_new();
	if (!jg_parser_load_from_data(parser, data, (gssize)len, &jerr)) {
		/* json-glib quotes the offending character: a control byte or a broken sequence would reach
		 * the terminal through our message. */
		char *msg = g_strdup(jerr ? jerr->message : "unknown error");

		for (char *c = msg; *c; c++)
			if ((guchar)*c < 0x20 || (guchar)*c >= 0x7f)
				*c = '?';
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: not valid JSON: %s", what, msg);
		g_free(msg);
		if (jerr)
			jg_error_free(jerr);
		jg_object_unref(parser);
		return NULL;
	}
	root = jg_parser_get_root(parser);
	if (!root) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: empty input, no JSON value", what);
		jg_object_unref(parser);
		return NULL;
	}
	doc = g_new0(MemJsonDoc, 1);
	doc->arena = mem_arena_new();
	doc->indexes = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_unref);
	doc->root = copy_node(doc, root);
	jg_object_unref(parser);
	return doc;
}

MemJsonDoc *mem_json_load(const char *path, GError **error)
{
	gsize len;
	char *data = mem_source_read_input(path, MEM_JSON_MAX_SIZE, &len, error);
	MemJsonDoc *doc;

	if (!data)
		return NULL;
	doc = mem_json_parse(data, len, strcmp(path, "-") == 0 ? "stdin" : path, error);
	g_free(data);
	return doc;
}

void mem_json_doc_free(MemJsonDoc *doc)
{
	if (!doc)
		return;
	g_ptr_array_free(doc->indexes, TRUE);
	mem_arena_free(doc->arena);
	g_free(doc);
}

const MemJsonValue *mem_json_doc_root(const MemJsonDoc *doc)
{
	return doc->root;
}

MemJsonType mem_json_type(const MemJsonValue *v)
{
	return v ? v->type : MEM_JSON_NULL;
}

const char *mem_json_type_name(MemJsonType t)
{
	static const char *const names[] = { "null", "boolean", "integer", "number", "string", "array", "object" };

	return (guint)t < G_N_ELEMENTS(names) ? names[t] : "?";
}

gboolean mem_json_get_bool(const MemJsonValue *v, gboolean *out)
{
	if (!v || v->type != MEM_JSON_BOOL)
		return FALSE;
	*out = v->u.b;
	return TRUE;
}

gboolean mem_json_get_int(const MemJsonValue *v, gint64 *out)
{
	if (!v || v->type != MEM_JSON_INT)
		return FALSE;
	*out = v->u.i;
	return TRUE;
}

gboolean mem_json_get_double(const MemJsonValue *v, double *out)
{
	if (!v || (v->type != MEM_JSON_INT && v->type != MEM_JSON_DOUBLE))
		return FALSE;
	*out = v->type == MEM_JSON_INT ? (double)v->u.i : v->u.d;
	return TRUE;
}

gboolean mem_json_get_bytes(const MemJsonValue *v, guint64 *out)
{
	if (!v || v->type != MEM_JSON_INT || v->u.i < 0)
		return FALSE;
	*out = (guint64)v->u.i;
	return TRUE;
}

const char *mem_json_get_string(const MemJsonValue *v, gsize *len)
{
	if (!v || v->type != MEM_JSON_STRING)
		return NULL;
	if (len)
		*len = v->n;
	return v->u.s;
}

guint mem_json_array_length(const MemJsonValue *v)
{
	return v && v->type == MEM_JSON_ARRAY ? v->n : 0;
}

const MemJsonValue *mem_json_array_get(const MemJsonValue *v, guint i)
{
	return v && v->type == MEM_JSON_ARRAY && i < v->n ? v->u.items[i] : NULL;
}

guint mem_json_object_size(const MemJsonValue *v)
{
	return v && v->type == MEM_JSON_OBJECT ? v->n : 0;
}

const char *mem_json_object_key(const MemJsonValue *v, guint i)
{
	return v && v->type == MEM_JSON_OBJECT && i < v->n ? v->keys[i] : NULL;
}

const MemJsonValue *mem_json_object_value(const MemJsonValue *v, guint i)
{
	return v && v->type == MEM_JSON_OBJECT && i < v->n ? v->u.items[i] : NULL;
}

const MemJsonValue *mem_json_object_get(const MemJsonValue *v, const char *key)
{
	if (!v || v->type != MEM_JSON_OBJECT)
		return NULL;
	if (v->index)
		return g_hash_table_lookup(v->index, key);
	for (guint i = v->n; i-- > 0;)
		if (strcmp(v->keys[i], key) == 0)
			return v->u.items[i];
	return NULL;
}
