/* parse-smaps.c: /proc/PID/smaps (a record per mapping) and smaps_rollup (parser layer) */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "error.h"
#include "parse-util.h"

#define MANDATORY_FIELDS (MEM_FIELD_BIT(MEM_F_SIZE) | MEM_FIELD_BIT(MEM_F_RSS))
/* VmFlags takes part in the consistency check as a pseudo field. */
#define VMFLAGS_BIT (1u << 31)
G_STATIC_ASSERT(MEM_F_COUNT < 31);
#define ROLLUP_MANDATORY (MEM_FIELD_BIT(MEM_F_RSS) | MEM_FIELD_BIT(MEM_F_PSS))

static inline gboolean is_xdigit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A mapping header starts with hex digits and a '-'; a field line starts with a key and a ':'. */
static gboolean is_header(const char *p, const char *le)
{
	const char *q = p;

	while (q < le && is_xdigit(*q))
		q++;
	return q > p && q < le && *q == '-';
}

/* Lowest field set in `bits`, by name. */
static const char *first_field_name(guint32 bits)
{
	if (bits == VMFLAGS_BIT)
		return "VmFlags";
	for (int f = 0; f < MEM_F_COUNT; f++)
		if (bits & MEM_FIELD_BIT(f))
			return mem_field_name((MemField)f);
	return "?";
}

typedef enum {
	LINE_ERROR,
	LINE_KNOWN,
	LINE_OTHER,
} LineKind;

/* Parses one "Key: value" line.  A known kB field is stored in c; any other key is returned in
 * *key and *value (value: after the colon and its blanks, up to the end of the line).
 * `hint` is the field the previous record had at this position (the kernel prints every record in
 * the same order), or -1: when the line starts with that name and a colon, no search is needed.
 * *field receives the field found, or -1. */
static LineKind parse_field_line(const char *p, const char *le, guint lineno, MemCounters *c,
                                 MemExtraField *other, int hint, int *field, GError **error)
{
	const char *colon = NULL;
	int f = -1;

	if (hint >= 0) {
		const char *name = mem_field_name((MemField)hint);
		gsize n = mem_field_name_len((MemField)hint);
		if ((gsize)(le - p) > n && p[n] == ':' && memcmp(p, name, n) == 0) {
			colon = p + n;
			f = hint;
		}
	}
	if (!colon) {
		colon = memchr(p, ':', (gsize)(le - p));
		if (colon == NULL || colon == p) {
			g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));
			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "expected 'Key: value', got '%s'", ex);
			return LINE_ERROR;
		}
		f = mem_field_lookup(p, (gsize)(colon - p));
	}
	*field = f;
	if (f >= 0) {
		guint64 v;
		MemNumStatus st;

		if (c->known & MEM_FIELD_BIT(f)) {
			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "%s: field repeated in one record",
			               mem_field_name((MemField)f));
			return LINE_ERROR;
		}
		/* Fast path for the kernel's own form: blanks, at most 19 digits (no overflow), " kB". */
		{
			const char *q = colon + 1, *d;
			v = 0;
			/* The kernel pads values to a column: skip blanks eight at a time. */
			while (le - q >= 8) {
				guint64 w;
				memcpy(&w, q, 8);
				if (w != 0x2020202020202020ull)
					break;
				q += 8;
			}
			while (q < le && *q == ' ')
				q++;
			d = q;
			while (q < le && q - d < 19 && (unsigned char)(*q - '0') < 10)
				v = v * 10 + (guint64)(*q++ - '0');
			if (q > d && le - q == 3 && q[0] == ' ' && q[1] == 'k' && q[2] == 'B' && v <= G_MAXUINT64 / 1024) {
				c->v[f] = v * 1024;
				c->known |= MEM_FIELD_BIT(f);
				return LINE_KNOWN;
			}
		}
		st = mem_parse_kb_value(colon + 1, le, FALSE, &v, NULL);
		if (st != MEM_NUM_OK) {
			mem_parse_fail_number(error, lineno, p, (gsize)(colon - p), st, colon + 1, le);
			return LINE_ERROR;
		}
		c->v[f] = v;
		c->known |= MEM_FIELD_BIT(f);
		return LINE_KNOWN;
	}
	other->key = p;
	other->key_len = (gsize)(colon - p);
	other->value = mem_skip_blanks(colon + 1, le);
	other->value_len = (gsize)(le - other->value);
	return LINE_OTHER;
}

static gboolean fail_unterminated(GError **error, guint lineno)
{
	mem_parse_fail(error, MEM_ERROR_TRUNCATED, lineno, "last line has no newline (the read was cut short)");
	return FALSE;
}

typedef struct {
	MemVma vma;
	gboolean open;     /* a record is being filled */
	gboolean have_ref; /* ref_known holds the first record's field set */
	guint32 ref_known;
} SmapsState;

/* Checks a finished record against the first one and hands it to func.  A record is whole when it has
 * the first record's known fields (Size and Rss at least) and VmFlags where the first one had it: the
 * kernel writes VmFlags last, so a cut record lacks it.  Other lines may come and go from record to
 * record (Android kernels write "Name:" only in named anonymous records), so they are not counted. */
static gboolean finish_record(SmapsState *st, gboolean last, MemVmaFunc func, gpointer user_data,
                              GError **error)
{
	guint32 k = st->vma.c.known | (st->vma.vmflags != NULL ? VMFLAGS_BIT : 0);

	if (!st->have_ref) {
		guint32 missing = MANDATORY_FIELDS & ~k;
		if (missing) {
			if (last)
				mem_parse_fail(error, MEM_ERROR_TRUNCATED, st->vma.line,
				               "last mapping is cut short (no %s field)", first_field_name(missing));
			else
				mem_parse_fail(error, MEM_ERROR_PARSE, st->vma.line, "mapping has no %s field",
				               first_field_name(missing));
			return FALSE;
		}
		st->ref_known = k;
		st->have_ref = TRUE;
	} else if (k != st->ref_known) {
		guint32 missing = st->ref_known & ~k, added = k & ~st->ref_known;
		if (last && added == 0)
			mem_parse_fail(error, MEM_ERROR_TRUNCATED, st->vma.line,
			               "last mapping is cut short (no %s field)", first_field_name(missing));
		else if (missing)
			mem_parse_fail(error, MEM_ERROR_PARSE, st->vma.line,
			               "mapping has no %s field, unlike the first mapping", first_field_name(missing));
		else
			mem_parse_fail(error, MEM_ERROR_PARSE, st->vma.line,
			               "mapping has a %s field, unlike the first mapping", first_field_name(added));
		return FALSE;
	}
	st->open = FALSE;
	return func(&st->vma, user_data, error);
}

/* The fields of the previous record in order, as hints for the next one. */
#define MAX_HINTS 64

typedef struct {
	signed char field[MAX_HINTS];
	guint n;          /* lines of the previous record */
	guint pos;        /* line index in the current record */
} Hints;

/* The kernel writes every kB field of smaps in one layout: the name and its colon padded with blanks to
 * 16 columns, the value right-aligned in 8, then " kB\n" (28 bytes; a value of 10^8 kB or more makes
 * the line longer).  When the line at p is that, for the field the previous record had at this
 * position, it is taken here in a few comparisons, without looking for its end or its key: this runs
 * for nearly every line of every smaps.  Anything else (another field, a repeated one, a longer or odd
 * line) is left to smaps_field(), which takes the same values. */
#define FIELD_LINE 28
#define FIELD_HEAD 16

/* Each field's first 16 bytes in that layout ("Rss:" and 12 blanks), as two words. */
static guint64 field_head[MEM_F_COUNT][2];

static void fill_field_heads(void)
{
	for (int f = 0; f < MEM_F_COUNT; f++) {
		char head[FIELD_HEAD];
		gsize n = mem_field_name_len((MemField)f);

		memset(head, ' ', sizeof head);
		if (n < FIELD_HEAD) { /* every kB field's name is shorter; a longer one never matches */
			memcpy(head, mem_field_name((MemField)f), n);
			head[n] = ':';
		} else {
			head[0] = '\0';
		}
		memcpy(field_head[f], head, sizeof head);
	}
}

/* pthread_once rather than g_once: ThreadSanitizer sees its ordering (glib's is linked statically,
 * outside its sight), and memps parses on several threads. */
static void init_field_heads(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, fill_field_heads);
}

/* The value in bytes of the line at p (FIELD_LINE bytes available) when it is field f in that layout
 * and f is not in c yet; FALSE otherwise. */
static gboolean fast_value(const MemCounters *c, int f, const char *p, guint64 *bytes)
{
	guint64 v = 0, head[2];
	guint i;

	if (f < 0 || p[FIELD_LINE - 1] != '\n' || p[FIELD_LINE - 4] != ' ' || p[FIELD_LINE - 3] != 'k' ||
	    p[FIELD_LINE - 2] != 'B' || (c->known & MEM_FIELD_BIT(f)))
		return FALSE;
	memcpy(head, p, sizeof head);
	if (head[0] != field_head[f][0] || head[1] != field_head[f][1])
		return FALSE;
	/* The value is right-aligned in bytes 16 to 23: its digits from the end, then blanks only (one
	 * word compare on little-endian machines, where p[16] is the word's low byte). */
	{
		guint64 pow = 1, word;
		int digits = 0;

		for (i = 23; i >= FIELD_HEAD && (unsigned char)(p[i] - '0') < 10; i--, digits++) {
			v += (guint64)(p[i] - '0') * pow;
			pow *= 10;
		}
		if (digits == 0)
			return FALSE;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
		memcpy(&word, p + FIELD_HEAD, sizeof word);
		if (digits < 8 && ((word ^ 0x2020202020202020ull) & (G_MAXUINT64 >> (8 * digits))) != 0)
			return FALSE;
#else
		(void)word;
		for (guint j = FIELD_HEAD; j < 24 - (guint)digits; j++)
			if (p[j] != ' ')
				return FALSE;
#endif
	}
	*bytes = v * 1024;
	return TRUE;
}

static gboolean fast_field(MemVma *vma, Hints *h, const char *p)
{
	int f = h->pos < h->n ? h->field[h->pos] : -1;
	guint64 v;

	if (!fast_value(&vma->c, f, p, &v))
		return FALSE;
	vma->c.v[f] = v;
	vma->c.known |= MEM_FIELD_BIT(f);
	h->pos++;
	return TRUE;
}

/* The line at h->pos, taken the general way, was field f (-1: another line); `hint` was the field
 * expected there.  Vendor kernels write some lines in some records only (Android's "Name:"), so
 * records need not line up: a line the previous record did not have at this position is passed over
 * (the hints stay where they are), and a known field the previous record had further on moves the
 * hints there.  Otherwise f becomes the hint for this position.  Hints are only hints: a wrong one
 * costs the fast path, never a value. */
static G_GNUC_NO_INLINE void hints_follow(Hints *h, int hint, int f)
{
	if (f < 0 && hint >= 0)
		return;
	if (f >= 0 && f != hint) {
		for (guint j = h->pos + 1; j < h->n; j++)
			if (h->field[j] == f) {
				h->pos = j + 1;
				return;
			}
	}
	if (h->pos < MAX_HINTS)
		h->field[h->pos] = (signed char)f;
	h->pos++;
}

static gboolean smaps_field(MemVma *vma, Hints *h, const char *p, const char *le, guint lineno, GError **error)
{
	MemExtraField other;
	int hint = h->pos < h->n ? h->field[h->pos] : -1, f = -1;
	LineKind kind = parse_field_line(p, le, lineno, &vma->c, &other, hint, &f, error);

	if (G_LIKELY(f == hint)) {
		if (h->pos < MAX_HINTS)
			h->field[h->pos] = (signed char)f;
		h->pos++;
	} else {
		hints_follow(h, hint, f);
	}
	switch (kind) {
	case LINE_ERROR:
		return FALSE;
	case LINE_KNOWN:
		return TRUE;
	case LINE_OTHER:
		break;
	}
	if (other.key_len == 7 && memcmp(other.key, "VmFlags", 7) == 0) {
		if (vma->vmflags != NULL) {
			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "VmFlags: field repeated in one record");
			return FALSE;
		}
		vma->vmflags = other.value;
		vma->vmflags_len = other.value_len;
	} else if (vma->n_extra < MEM_VMA_MAX_EXTRA) {
		vma->extra[vma->n_extra++] = other;
	} else {
		vma->n_extra_dropped++;
	}
	return TRUE;
}

/* What the parser sees of the file: all of it, or a window of a file still being read (stream.h). */
typedef struct {
	const char *buf;
	gsize len;
	MemMoreFunc more;     /* NULL once the end of the file is known, or for a whole buffer */
	gpointer more_data;
} Window;

/* Where the open record's pointers lie, as offsets from a base, while the window moves. */
typedef struct {
	gsize name, vmflags;
	gsize key[MEM_VMA_MAX_EXTRA], value[MEM_VMA_MAX_EXTRA];
} RecordOffsets;

static void record_save(const MemVma *vma, const char *base, RecordOffsets *o)
{
	o->name = (gsize)(vma->map.name - base);
	o->vmflags = vma->vmflags ? (gsize)(vma->vmflags - base) : 0;
	for (guint i = 0; i < vma->n_extra; i++) {
		o->key[i] = (gsize)(vma->extra[i].key - base);
		o->value[i] = (gsize)(vma->extra[i].value - base);
	}
}

static void record_restore(MemVma *vma, const char *base, const RecordOffsets *o)
{
	vma->map.name = base + o->name;
	if (vma->vmflags)
		vma->vmflags = base + o->vmflags;
	for (guint i = 0; i < vma->n_extra; i++) {
		vma->extra[i].key = base + o->key[i];
		vma->extra[i].value = base + o->value[i];
	}
}

/* Moves the window on: the bytes before offset `keep` are dropped, what has arrived since is added.
 * The open record (which starts at or after keep) is rebased onto the new window.  *old_len receives
 * the length the kept part has in the new window. */
static gboolean window_more(Window *w, gsize keep, SmapsState *st, gsize *old_len, GError **error)
{
	RecordOffsets o = { 0 };
	gsize kept = w->len - keep;

	if (st->open)
		record_save(&st->vma, w->buf + keep, &o);
	if (!w->more(w->more_data, keep, &w->buf, &w->len, error))
		return FALSE;
	if (w->len < kept) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "the reader dropped bytes it was told to keep");
		return FALSE;
	}
	if (w->len == kept)
		w->more = NULL; /* the end of the file */
	if (st->open)
		record_restore(&st->vma, w->buf, &o);
	*old_len = kept;
	return TRUE;
}

/* Finds the end of the line at offset *pos (the offset of its '\n', or of the end of the file when the
 * last line is unterminated), asking for more of a file still being read while the line is not
 * complete.  When the window moves, *pos and *rec (the open record's header) move with it. */
static gboolean line_end(Window *w, SmapsState *st, gsize *pos, gsize *rec, gsize *end, GError **error)
{
	gsize from = *pos;

	for (;;) {
		const char *nl = from < w->len ? memchr(w->buf + from, '\n', w->len - from) : NULL;
		gsize keep;

		if (nl || !w->more) {
			*end = nl ? (gsize)(nl - w->buf) : w->len;
			return TRUE;
		}
		/* Keep the open record (its name, VmFlags and other fields point into it), else the line. */
		keep = st->open ? *rec : *pos;
		if (!window_more(w, keep, st, &from, error))
			return FALSE;
		*pos -= keep;
		if (st->open)
			*rec -= keep;
	}
}

gboolean mem_parse_smaps(const char *buf, gsize len, MemVmaFunc func, gpointer user_data, GError **error)
{
	return mem_parse_smaps_more(buf, len, NULL, NULL, func, user_data, error);
}

gboolean mem_parse_smaps_more(const char *buf, gsize len, MemMoreFunc more, gpointer more_data,
                              MemVmaFunc func, gpointer user_data, GError **error)
{
	Window w = { buf, len, more, more_data };
	gsize pos = 0, rec = 0; /* offsets in the window: the line being parsed, the open record's header */
	guint lineno = 0;
	SmapsState st;
	Hints hints;

	init_field_heads();
	hints.n = 0;
	hints.pos = 0;
	st.open = FALSE;
	st.have_ref = FALSE;
	st.ref_known = 0;
	for (;;) {
		const char *p, *le;
		gsize end;

		if (st.open && w.len - pos >= FIELD_LINE && fast_field(&st.vma, &hints, w.buf + pos)) {
			lineno++;
			pos += FIELD_LINE;
			continue;
		}
		if (!line_end(&w, &st, &pos, &rec, &end, error))
			return FALSE;
		if (pos >= w.len)
			break;
		p = w.buf + pos;
		le = w.buf + end;
		lineno++;
		if (end == w.len)
			return fail_unterminated(error, lineno);
		if (is_header(p, le)) {
			MemVma *vma = &st.vma;

			if (st.open && !finish_record(&st, FALSE, func, user_data, error))
				return FALSE;
			hints.n = MIN(hints.pos, MAX_HINTS);
			hints.pos = 0;
			memset(&vma->c, 0, sizeof vma->c);
			vma->vmflags = NULL;
			vma->vmflags_len = 0;
			vma->n_extra = 0;
			vma->n_extra_dropped = 0;
			vma->line = lineno;
			if (!mem_parse_maps_line_at(p, (gsize)(le - p), lineno, &vma->map, error))
				return FALSE;
			if (vma->map.end < vma->map.start) {
				mem_parse_fail(error, MEM_ERROR_PARSE, lineno,
				               "mapping end %" G_GINT64_MODIFIER "x is below its start %" G_GINT64_MODIFIER
				               "x",
				               vma->map.end, vma->map.start);
				return FALSE;
			}
			st.open = TRUE;
			rec = pos;
		} else {
			if (!st.open) {
				g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));
				mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "field line before any mapping header: '%s'",
				               ex);
				return FALSE;
			}
			if (!smaps_field(&st.vma, &hints, p, le, lineno, error))
				return FALSE;
		}
		pos = end + 1;
	}
	if (st.open)
		return finish_record(&st, TRUE, func, user_data, error);
	return TRUE;
}

/* Whether the line [p, le) is the header the kernel writes for smaps_rollup: two addresses of 8 to 16 hex
 * digits, " ---p 00000000 00:00 0 ", blanks, "[rollup]".  A line the general maps parser takes too, in
 * a few comparisons instead of its five numbers (~850 instructions a process in memps). */
static gboolean kernel_rollup_header(const char *p, const char *le)
{
	static const char mid[] = " ---p 00000000 00:00 0 ", tag[] = "[rollup]";
	const char *q = p;

	for (int part = 0; part < 2; part++) {
		const char *digits = q;

		while (q < le && is_xdigit(*q))
			q++;
		if (q - digits < 8 || q - digits > 16 || q >= le || *q != (part == 0 ? '-' : ' '))
			return FALSE;
		if (part == 0)
			q++;
	}
	if ((gsize)(le - q) < sizeof mid - 1 + sizeof tag - 1 || memcmp(q, mid, sizeof mid - 1) != 0)
		return FALSE;
	for (q += sizeof mid - 1; q < le && *q == ' '; q++)
		;
	return (gsize)(le - q) == sizeof tag - 1 && memcmp(q, tag, sizeof tag - 1) == 0;
}

gboolean mem_parse_smaps_rollup(const char *buf, gsize len, MemCounters *out, GError **error)
{
	const char *p = buf, *limit = buf + len;
	guint lineno = 0, fields = 0;
	guint32 missing;
	int next = MEM_F_RSS; /* the field expected next: the kernel writes them in MemField's order */

	init_field_heads();
	memset(out, 0, sizeof *out);
	if (len == 0) {
		mem_parse_fail(error, MEM_ERROR_PARSE, 1, "empty smaps_rollup");
		return FALSE;
	}
	while (p < limit) {
		const char *le;
		guint64 v;

		/* the kernel's 28-byte lines, as in smaps (fast_field), with the next field in order as hint */
		if (lineno > 0 && next < MEM_F_COUNT && (gsize)(limit - p) >= FIELD_LINE && fast_value(out, next, p, &v)) {
			out->v[next] = v;
			out->known |= MEM_FIELD_BIT(next);
			next++;
			fields++;
			lineno++;
			p += FIELD_LINE;
			continue;
		}
		le = mem_line_end(p, limit);
		lineno++;
		if (le == limit)
			return fail_unterminated(error, lineno);
		if (lineno == 1 || is_header(p, le)) {
			MemMapsLine hdr;

			if (lineno > 1) {
				mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "a second header in smaps_rollup");
				return FALSE;
			}
			if (!is_header(p, le)) {
				g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));
				mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "expected the [rollup] header, got '%s'", ex);
				return FALSE;
			}
			if (!kernel_rollup_header(p, le) && !mem_parse_maps_line_at(p, (gsize)(le - p), lineno, &hdr, error))
				return FALSE;
		} else {
			MemExtraField other;

			int f;

			if (parse_field_line(p, le, lineno, out, &other, -1, &f, error) == LINE_ERROR)
				return FALSE;
			if (f >= 0)
				next = f + 1;
			fields++;
		}
		p = le + 1;
	}
	missing = ROLLUP_MANDATORY & ~out->known;
	if (missing) {
		if (fields == 0)
			mem_parse_fail(error, MEM_ERROR_TRUNCATED, lineno, "smaps_rollup ends after its header");
		else
			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "smaps_rollup has no %s field",
			               first_field_name(missing));
		return FALSE;
	}
	return TRUE;
}
