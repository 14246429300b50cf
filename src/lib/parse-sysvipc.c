/* parse-sysvipc.c: /proc/sysvipc/shm, SysV shared memory segments, columns found by header name (parser layer) */
#include "config.h"

#include "error.h"
#include "parse-util.h"

/* More columns than any kernel prints (16 today): a header beyond this is not sysvipc/shm. */
#define MAX_COLUMNS 32

typedef enum {
	COL_KEY, COL_SHMID, COL_PERMS, COL_SIZE, COL_CPID, COL_LPID, COL_NATTCH, COL_UID, COL_GID,
	COL_RSS, COL_SWAP, COL_KNOWN, COL_OTHER = COL_KNOWN
} Column;

static const char *const column_names[COL_KNOWN] = {
	"key", "shmid", "perms", "size", "cpid", "lpid", "nattch", "uid", "gid", "rss", "swap",
};

/* The next blank-separated word in p..limit, or FALSE at the end of the line. */
static gboolean next_word(const char **p, const char *limit, const char **w, gsize *wlen)
{
	const char *s = mem_skip_blanks(*p, limit), *e = s;

	while (e < limit && *e != ' ' && *e != '\t')
		e++;
	*p = e;
	*w = s;
	*wlen = (gsize)(e - s);
	return e > s;
}

static Column column_lookup(const char *w, gsize len)
{
	for (int c = 0; c < COL_KNOWN; c++)
		if (strlen(column_names[c]) == len && memcmp(column_names[c], w, len) == 0)
			return (Column)c;
	return COL_OTHER;
}

static gboolean parse_header(const char *p, const char *le, Column *cols, guint *n_cols, GError **error)
{
	gboolean seen[COL_KNOWN] = { FALSE };
	const char *w;
	gsize wlen;

	*n_cols = 0;
	while (next_word(&p, le, &w, &wlen)) {
		Column c = column_lookup(w, wlen);
		if (*n_cols == MAX_COLUMNS) {
			mem_parse_fail(error, MEM_ERROR_PARSE, 1, "header has more than %d columns", MAX_COLUMNS);
			return FALSE;
		}
		if (c != COL_OTHER) {
			if (seen[c]) {
				mem_parse_fail(error, MEM_ERROR_PARSE, 1, "column '%s' appears twice in the header",
				               column_names[c]);
				return FALSE;
			}
			seen[c] = TRUE;
		}
		cols[(*n_cols)++] = c;
	}
	for (int c = 0; c < COL_RSS; c++)
		if (!seen[c]) {
			mem_parse_fail(error, MEM_ERROR_PARSE, 1, "header lacks the '%s' column", column_names[c]);
			return FALSE;
		}
	if (seen[COL_RSS] != seen[COL_SWAP]) {
		mem_parse_fail(error, MEM_ERROR_PARSE, 1, "header has one of 'rss' and 'swap' without the other");
		return FALSE;
	}
	return TRUE;
}

/* An unsigned number filling the word exactly, in base 10 or (perms) 8. */
static MemNumStatus word_u64(const char *w, gsize len, gboolean octal, guint64 *out)
{
	const char *end;

	if (len && *w == '-')
		return MEM_NUM_NEGATIVE;
	if (!octal) {
		gsize digits = 0;
		while (digits < len && g_ascii_isdigit(w[digits]))
			digits++;
		if (digits == 0 || digits != len)
			return MEM_NUM_SYNTAX;
		return mem_parse_u64(w, w + len, out, &end) && end == w + len ? MEM_NUM_OK : MEM_NUM_OVERFLOW;
	}
	*out = 0;
	if (len == 0)
		return MEM_NUM_SYNTAX;
	for (gsize i = 0; i < len; i++) {
		if (w[i] < '0' || w[i] > '7')
			return MEM_NUM_SYNTAX;
		if (*out > G_MAXUINT32 >> 3)
			return MEM_NUM_NARROW;
		*out = (*out << 3) | (guint64)(w[i] - '0');
	}
	return MEM_NUM_OK;
}

static MemNumStatus word_value(Column c, const char *w, gsize len, MemShmSegment *s)
{
	guint64 v;
	MemNumStatus st;

	if (c == COL_KEY) {
		/* The key is an int printed with %d: the one signed column. */
		gboolean neg = len > 0 && *w == '-';
		st = word_u64(w + neg, len - neg, FALSE, &v);
		if (st != MEM_NUM_OK)
			return st;
		if (v > (neg ? (guint64)G_MAXINT32 + 1 : (guint64)G_MAXUINT32))
			return MEM_NUM_NARROW;
		s->key = neg ? -(gint64)v : (gint64)v;
		return MEM_NUM_OK;
	}
	st = word_u64(w, len, c == COL_PERMS, &v);
	if (st != MEM_NUM_OK)
		return st;
	switch (c) {
	case COL_SHMID: s->shmid = v; break;
	case COL_PERMS: s->perms = (guint32)v; break;
	case COL_SIZE: s->size = v; break;
	case COL_NATTCH: s->nattch = v; break;
	case COL_RSS: s->rss = v; break;
	case COL_SWAP: s->swap = v; break;
	case COL_CPID: case COL_LPID: case COL_UID: case COL_GID:
		if (v > G_MAXUINT32)
			return MEM_NUM_NARROW;
		if (c == COL_CPID)
			s->cpid = (guint32)v;
		else if (c == COL_LPID)
			s->lpid = (guint32)v;
		else if (c == COL_UID)
			s->uid = (guint32)v;
		else
			s->gid = (guint32)v;
		break;
	default:
		break;
	}
	return MEM_NUM_OK;
}

static gboolean parse_row(const char *p, const char *le, guint lineno, const Column *cols, guint n_cols,
                          MemShmSegment *s, GError **error)
{
	const char *w;
	gsize wlen;
	guint i = 0;

	memset(s, 0, sizeof *s);
	s->line = lineno;
	for (; next_word(&p, le, &w, &wlen); i++) {
		MemNumStatus st;
		if (i == n_cols) {
			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "more fields than the header's %u", n_cols);
			return FALSE;
		}
		if (cols[i] == COL_OTHER)
			continue;
		st = word_value(cols[i], w, wlen, s);
		if (st != MEM_NUM_OK) {
			mem_parse_fail_number(error, lineno, column_names[cols[i]], strlen(column_names[cols[i]]), st,
			                      w, w + wlen);
			return FALSE;
		}
	}
	if (i < n_cols) {
		mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "%u fields, the header has %u", i, n_cols);
		return FALSE;
	}
	for (guint c = 0; c < n_cols; c++)
		if (cols[c] == COL_RSS)
			s->has_rss_swap = TRUE;
	return TRUE;
}

GArray *mem_parse_sysvipc_shm(const char *buf, gsize len, GError **error)
{
	g_autoptr(GArray) segs = g_array_new(FALSE, FALSE, sizeof(MemShmSegment));
	const char *p = buf, *limit = buf + len;
	Column cols[MAX_COLUMNS];
	guint n_cols = 0, lineno = 0;

	if (len == 0) {
		mem_parse_fail(error, MEM_ERROR_PARSE, 1, "empty file: no header line");
		return NULL;
	}
	while (p < limit) {
		const char *le = mem_line_end(p, limit);

		lineno++;
		if (le == limit) {
			mem_parse_fail(error, MEM_ERROR_TRUNCATED, lineno, "last line has no newline (the read was cut short)");
			return NULL;
		}
		if (memchr(p, '\0', (gsize)(le - p))) {
			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "NUL byte in the line");
			return NULL;
		}
		if (lineno == 1) {
			if (!parse_header(p, le, cols, &n_cols, error))
				return NULL;
		} else {
			MemShmSegment s;
			if (!parse_row(p, le, lineno, cols, n_cols, &s, error))
				return NULL;
			g_array_append_val(segs, s);
		}
		p = le + 1;
	}
	return g_steal_pointer(&segs);
}
