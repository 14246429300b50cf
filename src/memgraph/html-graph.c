/* html-graph.c: the memgraph treemap page: checks the records whole, then writes one self-contained HTML file (renderers layer) */
#include "config.h"

#include <math.h>
#include <string.h>

#include "error.h"
#include "escape.h"
#include "html-graph.h"
#include "json-reader.h"
#include "json-writer.h"
#include "treemap-assets.h"   /* treemap.js and treemap.css, embedded at build time */

/* The page computes in JavaScript numbers: integers are exact up to 2^53 - 1, so every size, and
 * every sum of one key over all records (a job's shared bytes are summed on the page), stays within. */
#define GRAPH_MAX_BYTES G_GINT64_CONSTANT(9007199254740991)
/* Deeper than any memgraph writes (a cgroup path is under PATH_MAX, so under 2048 levels). */
#define GRAPH_MAX_DEPTH 4096

typedef struct {
	const char *what;
	const MemJsonValue *records;
	guint n;
	GHashTable *index;        /* id -> record number + 1 */
	GHashTable *sums;         /* "_bytes" key -> guint64 * (sum of absolute values) */
	guint *parent;            /* record number of the parent, G_MAXUINT for a root */
	gint *depth;              /* -1 unknown, -2 on the walk in progress */
} GraphCheck;

static const char *rec_string(const MemJsonValue *rec, const char *key)
{
	return mem_json_get_string(mem_json_object_get(rec, key), NULL);
}

/* The record named in a message: its number (1-based) and id.  Raw: the front end escapes messages. */
static char *rec_label(const GraphCheck *c, guint i)
{
	const char *id = rec_string(mem_json_array_get(c->records, i), "id");

	if (id)
		return g_strdup_printf("%s: record %u (id \"%s\")", c->what, i + 1, id);
	return g_strdup_printf("%s: record %u", c->what, i + 1);
}

G_GNUC_PRINTF(4, 5)
static gboolean refuse(const GraphCheck *c, guint i, GError **error, const char *fmt, ...)
{
	g_autofree char *label = rec_label(c, i);
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: %s", label, msg);
	return FALSE;
}

/* "an integer", "null", ... for messages */
static const char *a_type(const MemJsonValue *v)
{
	switch (mem_json_type(v)) {
	case MEM_JSON_NULL:
		return "null";
	case MEM_JSON_BOOL:
		return "a boolean";
	case MEM_JSON_INT:
		return "an integer";
	case MEM_JSON_DOUBLE:
		return "a number";
	case MEM_JSON_STRING:
		return "a string";
	case MEM_JSON_ARRAY:
		return "an array";
	case MEM_JSON_OBJECT:
		return "an object";
	}
	return "?";
}

static gboolean str_ends(const char *s, const char *end)
{
	gsize ls = strlen(s), le = strlen(end);

	return ls >= le && memcmp(s + ls - le, end, le) == 0;
}

/* One size: null (unknown), or an integer within the page's exact range; negative only where allowed.
 * `summed`: the page adds this key's values up (an object record's figures it only shows: their
 * virtual sizes may add up to more than 2^53, 20 TB per ASan process). */
static gboolean check_size(GraphCheck *c, guint i, const char *key, const MemJsonValue *v, gboolean signed_ok,
                           gboolean summed, GError **error)
{
	MemJsonType t = mem_json_type(v);
	guint64 *sum;
	gint64 n;
	double d;

	if (t == MEM_JSON_NULL)
		return TRUE;
	if (t == MEM_JSON_DOUBLE) {
		mem_json_get_double(v, &d);
		if (!isfinite(d) || fabs(d) > (double)GRAPH_MAX_BYTES)
			return refuse(c, i, error, "\"%s\" is %g: beyond the page's limit of 2^53 - 1 bytes", key, d);
		if (d != floor(d))
			return refuse(c, i, error, "\"%s\" is %.17g, not a whole number of bytes", key, d);
		return refuse(c, i, error, "\"%s\" is written as a fraction (%.1f), not as an integer", key, d);
	}
	if (t != MEM_JSON_INT)
		return refuse(c, i, error, "\"%s\" is %s, not a number of bytes or null", key, a_type(v));
	mem_json_get_int(v, &n);
	if (n < 0 && !signed_ok)
		return refuse(c, i, error, "\"%s\" is negative (%" G_GINT64_FORMAT ")", key, n);
	if (n > GRAPH_MAX_BYTES || n < -GRAPH_MAX_BYTES)
		return refuse(c, i, error, "\"%s\" is %" G_GINT64_FORMAT ": beyond the page's limit of 2^53 - 1 bytes",
		              key, n);
	if (!summed)
		return TRUE;
	sum = g_hash_table_lookup(c->sums, key);
	if (!sum) {
		sum = g_new0(guint64, 1);
		g_hash_table_insert(c->sums, (gpointer)key, sum);
	}
	*sum += (guint64)(n < 0 ? -n : n);
	if (*sum > (guint64)GRAPH_MAX_BYTES)
		return refuse(c, i, error, "the \"%s\" sizes add up to more than 2^53 - 1 bytes, the page's limit", key);
	return TRUE;
}

/* A process's "objects": [{"id": "o/...", "pss_bytes": N}, ...]; the ids are looked up later. */
static gboolean check_object_refs(GraphCheck *c, guint i, const MemJsonValue *objs, GError **error)
{
	guint n = mem_json_array_length(objs);

	if (mem_json_type(objs) != MEM_JSON_ARRAY)
		return refuse(c, i, error, "\"objects\" is %s, not an array", a_type(objs));
	for (guint k = 0; k < n; k++) {
		const MemJsonValue *o = mem_json_array_get(objs, k);
		const MemJsonValue *pss = mem_json_object_get(o, "pss_bytes");

		if (mem_json_type(o) != MEM_JSON_OBJECT || !mem_json_get_string(mem_json_object_get(o, "id"), NULL))
			return refuse(c, i, error, "\"objects\" entry %u is not an object with a string \"id\"", k + 1);
		if (!pss)
			return refuse(c, i, error, "\"objects\" entry %u has no \"pss_bytes\"", k + 1);
		if (!check_size(c, i, "objects.pss_bytes", pss, FALSE, TRUE, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean known_type(const char *t)
{
	static const char *const types[] = { "kernel", "j", "p", "o", "t", "__META" };

	for (guint k = 0; k < G_N_ELEMENTS(types); k++)
		if (strcmp(t, types[k]) == 0)
			return TRUE;
	return FALSE;
}

/* First pass: each record alone, and the index of ids. */
static gboolean check_record(GraphCheck *c, guint i, gboolean *seen_meta, GError **error)
{
	static const char *const required[] = { "id", "type", "parent", "name" };
	const MemJsonValue *rec = mem_json_array_get(c->records, i);
	const char *id, *type;
	gsize id_len;
	gpointer other;

	if (mem_json_type(rec) != MEM_JSON_OBJECT)
		return refuse(c, i, error, "%s, not an object", a_type(rec));
	for (guint k = 0; k < G_N_ELEMENTS(required); k++) {
		const MemJsonValue *v = mem_json_object_get(rec, required[k]);

		if (!v)
			return refuse(c, i, error, "no \"%s\"", required[k]);
		if (mem_json_type(v) != MEM_JSON_STRING)
			return refuse(c, i, error, "\"%s\" is %s, not a string", required[k], a_type(v));
	}
	id = mem_json_get_string(mem_json_object_get(rec, "id"), &id_len);
	type = rec_string(rec, "type");
	if (id_len == 0)
		return refuse(c, i, error, "the id is empty");
	if (!known_type(type))
		return refuse(c, i, error, "type \"%s\" is none of kernel, j, p, o, t, __META", type);
	if (strcmp(type, "__META") == 0) {
		if (*seen_meta)
			return refuse(c, i, error, "a second __META record");
		if (strcmp(id, "__META") != 0 || rec_string(rec, "parent")[0] != '\0')
			return refuse(c, i, error, "the __META record has id \"__META\" and parent \"\"");
		*seen_meta = TRUE;
	}
	if (g_hash_table_lookup_extended(c->index, id, NULL, &other))
		return refuse(c, i, error, "the same id as record %u", GPOINTER_TO_UINT(other));
	g_hash_table_insert(c->index, (gpointer)id, GUINT_TO_POINTER(i + 1));

	/* A key given twice arrives once, with its last value (json-glib's rule), and that one is checked. */
	for (guint k = 0; k < mem_json_object_size(rec); k++) {
		const char *key = mem_json_object_key(rec, k);
		gboolean signed_ok = strcmp(id, "kernel/other") == 0 && strcmp(type, "kernel") == 0;

		if (str_ends(key, "_bytes") &&
		    !check_size(c, i, key, mem_json_object_value(rec, k), signed_ok, strcmp(type, "o") != 0, error))
			return FALSE;
		if (strcmp(key, "objects") == 0 && strcmp(type, "p") != 0)
			return refuse(c, i, error, "\"objects\" in a record of type %s: only processes map objects", type);
		if (strcmp(key, "objects") == 0 && !check_object_refs(c, i, mem_json_object_value(rec, k), error))
			return FALSE;
	}
	return TRUE;
}

static guint lookup(const GraphCheck *c, const char *id)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(c->index, id));   /* record number + 1, 0 when absent */
}

/* Second pass: parents and object references exist. */
static gboolean check_links(GraphCheck *c, guint i, GError **error)
{
	const MemJsonValue *rec = mem_json_array_get(c->records, i);
	const MemJsonValue *objs = mem_json_object_get(rec, "objects");
	const char *parent = rec_string(rec, "parent");
	g_autoptr(GHashTable) seen = NULL;   /* the object ids of this process's parts */
	guint p;

	c->parent[i] = G_MAXUINT;
	c->depth[i] = -1;
	if (parent[0] != '\0') {
		p = lookup(c, parent);
		if (p == 0)
			return refuse(c, i, error, "its parent \"%s\" is not a record", parent);
		if (strcmp(rec_string(mem_json_array_get(c->records, p - 1), "type"), "__META") == 0)
			return refuse(c, i, error, "the __META record is not a parent");
		c->parent[i] = p - 1;
	}
	if (objs)
		seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint k = 0; objs && k < mem_json_array_length(objs); k++) {
		const char *oid = rec_string(mem_json_array_get(objs, k), "id");
		guint o = lookup(c, oid);

		if (o == 0 || strcmp(rec_string(mem_json_array_get(c->records, o - 1), "type"), "o") != 0)
			return refuse(c, i, error, "\"objects\" entry %u names \"%s\", which is no object record", k + 1,
			              oid);
		if (!g_hash_table_add(seen, (gpointer)oid))   /* one part per object: each is one box */
			return refuse(c, i, error, "\"objects\" entry %u names \"%s\" again", k + 1, oid);
	}
	return TRUE;
}

/* Third pass: no cycle, no chain deeper than GRAPH_MAX_DEPTH.  Iterative: each record is walked up to
 * the first ancestor of known depth, once, so the whole pass is linear in the records. */
static gboolean check_depths(GraphCheck *c, GError **error)
{
	g_autoptr(GArray) path = g_array_new(FALSE, FALSE, sizeof(guint));

	for (guint i = 0; i < c->n; i++) {
		guint at = i;
		gint base;

		g_array_set_size(path, 0);
		while (at != G_MAXUINT && c->depth[at] == -1) {
			c->depth[at] = -2;
			g_array_append_val(path, at);
			at = c->parent[at];
		}
		if (at != G_MAXUINT && c->depth[at] == -2)
			return refuse(c, at, error, "its parent links form a cycle (it is its own ancestor)");
		base = at == G_MAXUINT ? -1 : c->depth[at];
		if ((gint64)base + path->len > GRAPH_MAX_DEPTH)
			return refuse(c, i, error, "its chain of parents is deeper than %d levels", GRAPH_MAX_DEPTH);
		for (guint k = path->len; k-- > 0;)
			c->depth[g_array_index(path, guint, k)] = ++base;
	}
	return TRUE;
}

static gboolean check_graph(GraphCheck *c, GError **error)
{
	gboolean seen_meta = FALSE;

	if (mem_json_type(c->records) != MEM_JSON_ARRAY) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: memgraph JSON is an array of records, not %s",
		            c->what, a_type(c->records));
		return FALSE;
	}
	if (c->n == 0) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: no records", c->what);
		return FALSE;
	}
	for (guint i = 0; i < c->n; i++)
		if (!check_record(c, i, &seen_meta, error))
			return FALSE;
	c->parent = g_new(guint, c->n);
	c->depth = g_new(gint, c->n);
	for (guint i = 0; i < c->n; i++)
		if (!check_links(c, i, error))
			return FALSE;
	return check_depths(c, error);
}

/* The bytes of U+2028 or U+2029 at p (JavaScript line terminators before ES2019), when len allows. */
static gboolean is_line_sep(const unsigned char *p, gsize len)
{
	return len >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9);
}

/* JSON inside <script type="application/json">: a string holding "</script>" or "<!--" must not end
 * or change the element, so < > & and U+2028/9 become \uXXXX.  In place, from `from` to the end of
 * `out`: a first pass counts, then the text is moved back from its end (no second copy of the data;
 * valid UTF-8, as our writer's, reads the same both ways). */
static void escape_for_script(GString *out, gsize from)
{
	gsize extra = 0, end = out->len, i, j;
	unsigned char *s;

	for (i = from; i < end; i++) {
		s = (unsigned char *)out->str;
		if (s[i] == '<' || s[i] == '>' || s[i] == '&') {
			extra += 5;
		} else if (is_line_sep(s + i, end - i)) {
			extra += 3;
			i += 2;
		}
	}
	if (extra == 0)
		return;
	g_string_set_size(out, end + extra);
	s = (unsigned char *)out->str;
	for (i = end, j = end + extra; i > from;) {
		unsigned char ch = s[--i];
		char esc[7];

		if (ch == '<' || ch == '>' || ch == '&') {
			g_snprintf(esc, sizeof(esc), "\\u%04x", ch);
		} else if (i >= from + 2 && is_line_sep(s + i - 2, 3)) {
			g_snprintf(esc, sizeof(esc), "\\u%04x", ch == 0xa8 ? 0x2028 : 0x2029);
			i -= 2;
		} else {
			s[--j] = ch;
			continue;
		}
		j -= 6;
		memcpy(s + j, esc, 6);
	}
	g_assert(j == i);
}

/* 'sha256-...' for the Content-Security-Policy: the page runs its own script and style and nothing else. */
static void append_csp_hash(GString *out, const char *text, gsize len)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	guint8 digest[32];
	gsize dlen = sizeof(digest);
	g_autofree char *b64 = NULL;

	g_checksum_update(sum, (const guchar *)text, (gssize)len);
	g_checksum_get_digest(sum, digest, &dlen);
	b64 = g_base64_encode(digest, dlen);
	g_string_append_printf(out, "'sha256-%s'", b64);
}

static void write_page(GString *out, const MemJsonValue *records, guint n)
{
	g_autoptr(MemJsonWriter) w = NULL;
	const char *stamp = NULL;
	gsize data;

	for (guint i = 0; i < n; i++) {
		const MemJsonValue *rec = mem_json_array_get(records, i);

		if (strcmp(rec_string(rec, "type"), "__META") == 0)
			stamp = mem_json_get_string(mem_json_object_get(rec, "timestamp"), NULL);
	}

	g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src ");
	append_csp_hash(out, mem_treemap_js, mem_treemap_js_len);
	g_string_append(out, "; style-src ");
	append_csp_hash(out, mem_treemap_css, mem_treemap_css_len);
	g_string_append(out, "; base-uri 'none'; form-action 'none'\">\n"
	                "<meta name=\"referrer\" content=\"no-referrer\">\n"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                "<meta name=\"generator\" content=\"memgraph " PACKAGE_VERSION "\">\n<title>memgraph treemap");
	if (stamp) {
		g_string_append(out, " ");
		mem_escape_html(out, stamp, strlen(stamp));
	}
	g_string_append(out, "</title>\n<style>");
	g_string_append_len(out, mem_treemap_css, mem_treemap_css_len);
	g_string_append(out, "</style>\n</head>\n<body>\n"
	                "<noscript><p>This page draws its treemap with JavaScript: allow it to see the map.</p></noscript>\n"
	                "<div id=\"app\"></div>\n<script type=\"application/json\" id=\"memgraph-data\">");
	data = out->len;
	w = mem_json_writer_new(out, FALSE);
	mem_json_begin_array(w);
	for (guint i = 0; i < n; i++) {
		mem_json_value(w, mem_json_array_get(records, i));
		if (i % 4096 == 4095)   /* one line per 4096 records keeps editors and diff tools usable */
			g_string_append_c(out, '\n');
	}
	mem_json_end_array(w);
	escape_for_script(out, data);
	g_string_append(out, "</script>\n<script>");
	g_string_append_len(out, mem_treemap_js, mem_treemap_js_len);
	g_string_append(out, "</script>\n</body>\n</html>\n");
}

gboolean mem_graph_html(const char *json, gsize len, const char *what, GString *out, GError **error)
{
	g_autoptr(GHashTable) index = NULL;
	g_autoptr(GHashTable) sums = NULL;
	MemJsonDoc *doc;
	GraphCheck c = { 0 };
	gboolean ok;

	if (len == 0) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: empty input, no memgraph records", what);
		return FALSE;
	}
	doc = mem_json_parse(json, len, what, error);
	if (!doc)
		return FALSE;
	index = g_hash_table_new(g_str_hash, g_str_equal);
	sums = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	c.what = what;
	c.records = mem_json_doc_root(doc);
	c.n = mem_json_array_length(c.records);
	c.index = index;
	c.sums = sums;
	ok = check_graph(&c, error);
	if (ok)
		write_page(out, c.records, c.n);
	g_free(c.parent);
	g_free(c.depth);
	mem_json_doc_free(doc);
	return ok;
}
