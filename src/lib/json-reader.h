/* json-reader.h: reading a JSON document (a saved report, a memgraph) into a small read-only tree, through json-glib opened on demand (parsers layer)
 *
 * json-glib (libjson-glib-1.0.so.0) is opened with GModule the first time a document is parsed, so
 * the default path of every tool loads only glib and libc; a missing library is MEM_ERROR_LIBRARY
 * naming the package.  The document is copied into our own tree and json-glib's is freed at once:
 * callers never see a json-glib type.  Bounds checked before json-glib sees the text: at most
 * MEM_JSON_MAX_DEPTH nested arrays/objects, at most MEM_JSON_MAX_SIZE bytes.  Invalid JSON is
 * MEM_ERROR_PARSE with json-glib's line:column message.  Numbers: an integer literal outside gint64
 * is refused (json-glib would wrap it) with MEM_ERROR_PARSE; other integers are MEM_JSON_INT, every
 * other number MEM_JSON_DOUBLE (which may be infinite: 1e999).  Callers that want byte counts use
 * mem_json_get_bytes, which refuses what is not a non-negative integer. */
#pragma once

#include <glib.h>

#define MEM_JSON_MAX_DEPTH 256
#define MEM_JSON_MAX_SIZE ((gsize)1 << 30)

typedef enum {
	MEM_JSON_NULL,
	MEM_JSON_BOOL,
	MEM_JSON_INT,
	MEM_JSON_DOUBLE,
	MEM_JSON_STRING,
	MEM_JSON_ARRAY,
	MEM_JSON_OBJECT,
} MemJsonType;

typedef struct MemJsonValue MemJsonValue;
typedef struct MemJsonDoc MemJsonDoc;

/* Parses `len` bytes (not NUL-terminated necessarily).  `what` names the input in errors
 * ("stdin", a file name).  NULL with `error` set on failure. */
MemJsonDoc *mem_json_parse(const char *data, gsize len, const char *what, GError **error);
void mem_json_doc_free(MemJsonDoc *doc);
const MemJsonValue *mem_json_doc_root(const MemJsonDoc *doc);

MemJsonType mem_json_type(const MemJsonValue *v);
const char *mem_json_type_name(MemJsonType t);   /* "null", "boolean", "integer", ... for messages */

/* Scalars: FALSE when the value is not of that type (the out value is left alone). */
gboolean mem_json_get_bool(const MemJsonValue *v, gboolean *out);
gboolean mem_json_get_int(const MemJsonValue *v, gint64 *out);
gboolean mem_json_get_double(const MemJsonValue *v, double *out);   /* INT or DOUBLE */
/* A byte count: an INT >= 0 (a fraction, a negative number, a string: FALSE). */
gboolean mem_json_get_bytes(const MemJsonValue *v, guint64 *out);
/* A string as parsed: valid UTF-8; json-glib ends a string at an escaped NUL (\u0000). */
const char *mem_json_get_string(const MemJsonValue *v, gsize *len);

/* Arrays. */
guint mem_json_array_length(const MemJsonValue *v);          /* 0 for a non-array */
const MemJsonValue *mem_json_array_get(const MemJsonValue *v, guint i);

/* Objects: members in document order; a duplicated key keeps its last value for lookups. */
guint mem_json_object_size(const MemJsonValue *v);           /* 0 for a non-object */
const char *mem_json_object_key(const MemJsonValue *v, guint i);
const MemJsonValue *mem_json_object_value(const MemJsonValue *v, guint i);
const MemJsonValue *mem_json_object_get(const MemJsonValue *v, const char *key);   /* NULL when absent */

/* Reads a whole JSON file named by the user ("-" is stdin) through the source's bounded reader
 * (mem_source_read_input) and parses it; errors name the path. */
MemJsonDoc *mem_json_load(const char *path, GError **error);
