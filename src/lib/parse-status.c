/* parse-status.c: /proc/PID/status, "Key:\tvalue" lines (parser layer) */
#include "config.h"

#include "error.h"
#include "parse-util.h"

typedef enum {
	KIND_NAME,
	KIND_STATE,
	KIND_PID,   /* a non-negative decimal into a gint64 */
	KIND_UID,
	KIND_KB,    /* "N kB" into a guint64, in bytes */
	KIND_FLAG,  /* 0 or 1 */
} KeyKind;

#define KEY(name, bit, kind, field) { name, sizeof(name) - 1, bit, kind, G_STRUCT_OFFSET(MemStatus, field) }
static const struct {
	const char *name;
	gsize len;
	MemStatusBits bit;
	KeyKind kind;
	glong offset;
} keys[] = {
	KEY("Name", MEM_STATUS_NAME, KIND_NAME, name),
	KEY("State", MEM_STATUS_STATE, KIND_STATE, state),
	KEY("Tgid", MEM_STATUS_TGID, KIND_PID, tgid),
	KEY("PPid", MEM_STATUS_PPID, KIND_PID, ppid),
	KEY("Uid", MEM_STATUS_UID, KIND_UID, uid_real),
	KEY("VmSize", MEM_STATUS_VM_SIZE, KIND_KB, vm_size),
	KEY("VmRSS", MEM_STATUS_VM_RSS, KIND_KB, vm_rss),
	KEY("RssAnon", MEM_STATUS_RSS_ANON, KIND_KB, rss_anon),
	KEY("RssFile", MEM_STATUS_RSS_FILE, KIND_KB, rss_file),
	KEY("RssShmem", MEM_STATUS_RSS_SHMEM, KIND_KB, rss_shmem),
	KEY("VmSwap", MEM_STATUS_VM_SWAP, KIND_KB, vm_swap),
	KEY("Kthread", MEM_STATUS_KTHREAD, KIND_FLAG, kthread),
};
#undef KEY

/* "Uid:\treal\teffective\tsaved\tfs": four numbers, the first two kept. */
static gboolean parse_uid(const char *v, const char *le, guint lineno, MemStatus *out, GError **error)
{
	const char *p = v;
	guint32 ids[4];

	for (int i = 0; i < 4; i++) {
		const char *start = mem_skip_blanks(p, le), *e;
		guint64 id;
		MemNumStatus st = MEM_NUM_OK;

		if (start < le && *start == '-')
			st = MEM_NUM_NEGATIVE;
		else if (!mem_parse_u64(start, le, &id, &e))
			st = e > start ? MEM_NUM_OVERFLOW : MEM_NUM_SYNTAX;
		else if (id > G_MAXUINT32)
			st = MEM_NUM_NARROW;
		else if (e < le && *e != ' ' && *e != '\t')
			st = MEM_NUM_SYNTAX;
		if (st != MEM_NUM_OK) {
			mem_parse_fail_number(error, lineno, "Uid", 3, st, v, le);
			return FALSE;
		}
		ids[i] = (guint32)id;
		p = e;
	}
	if (mem_skip_blanks(p, le) != le) {
		mem_parse_fail_number(error, lineno, "Uid", 3, MEM_NUM_SYNTAX, v, le);
		return FALSE;
	}
	out->uid_real = ids[0];
	out->uid_effective = ids[1];
	return TRUE;
}

static gboolean parse_value(KeyKind kind, glong offset, const char *key, gsize key_len, const char *v,
                            const char *le, guint lineno, MemStatus *out, GError **error)
{
	gpointer field = G_STRUCT_MEMBER_P(out, offset);
	guint64 n;
	MemNumStatus st = MEM_NUM_OK;

	switch (kind) {
	case KIND_NAME:
		/* The kernel writes one tab; a name may itself begin with a blank. */
		if (v < le && *v == '\t')
			v++;
		else
			v = mem_skip_blanks(v, le);
		out->name = v;
		out->name_len = MIN((gsize)(le - v), MEM_NAME_MAX);
		return TRUE;
	case KIND_STATE:
		v = mem_skip_blanks(v, le);
		if (v == le) {
			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "State: empty value");
			return FALSE;
		}
		out->state = *v;
		return TRUE;
	case KIND_UID:
		return parse_uid(v, le, lineno, out, error);
	case KIND_PID:
		st = mem_parse_dec_value(v, le, &n);
		if (st == MEM_NUM_OK && n > G_MAXINT64)
			st = MEM_NUM_OVERFLOW;
		if (st == MEM_NUM_OK)
			*(gint64 *)field = (gint64)n;
		break;
	case KIND_KB:
		st = mem_parse_kb_value(v, le, FALSE, &n, NULL);
		if (st == MEM_NUM_OK)
			*(guint64 *)field = n;
		break;
	case KIND_FLAG:
		st = mem_parse_dec_value(v, le, &n);
		if (st == MEM_NUM_OK && n > 1)
			st = MEM_NUM_SYNTAX;
		if (st == MEM_NUM_OK)
			*(gboolean *)field = n != 0;
		break;
	}
	if (st != MEM_NUM_OK) {
		mem_parse_fail_number(error, lineno, key, key_len, st, v, le);
		return FALSE;
	}
	return TRUE;
}

gboolean mem_parse_status(const char *buf, gsize len, MemStatus *out, GError **error)
{
	const char *p = buf, *limit = buf + len;
	guint lineno = 0;

	memset(out, 0, sizeof *out);
	while (p < limit) {
		const char *le = mem_line_end(p, limit), *colon;
		gsize key_len;

		lineno++;
		if (le == limit) {
			mem_parse_fail(error, MEM_ERROR_TRUNCATED, lineno, "last line has no newline (the read was cut short)");
			return FALSE;
		}
		colon = memchr(p, ':', (gsize)(le - p));
		if (colon == NULL || colon == p) {
			g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));
			mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "expected 'Key: value', got '%s'", ex);
			return FALSE;
		}
		key_len = (gsize)(colon - p);
		for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
			if (keys[i].len != key_len || memcmp(keys[i].name, p, key_len) != 0)
				continue;
			if (!parse_value(keys[i].kind, keys[i].offset, keys[i].name, key_len, colon + 1, le, lineno, out,
			                 error))
				return FALSE;
			out->known |= keys[i].bit;
			break;
		}
		p = le + 1;
	}
	if (!(out->known & MEM_STATUS_NAME) || !(out->known & MEM_STATUS_UID)) {
		mem_parse_fail(error, MEM_ERROR_PARSE, lineno ? lineno : 1, "no %s field",
		               (out->known & MEM_STATUS_NAME) ? "Uid" : "Name");
		return FALSE;
	}
	return TRUE;
}
