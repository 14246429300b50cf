/* parse-stat.c: /proc/PID/stat, "pid (comm) S ppid ..." with a comm that may hold any byte (parser layer) */
#include "config.h"

#include "error.h"
#include "parse-util.h"

/* Field numbers as in proc(5). */
enum {
	FIELD_PPID = 4,
	FIELD_FLAGS = 9,
	FIELD_STARTTIME = 22,
	FIELD_VSIZE = 23,
	FIELD_RSS = 24,
};

static gboolean stat_fail_number(GError **error, int field, MemNumStatus st, const char *v, const char *limit)
{
	char key[32];

	g_snprintf(key, sizeof key, "stat field %d", field);
	mem_parse_fail_number(error, 1, key, strlen(key), st, v, limit);
	return FALSE;
}

/* Parses the space-separated decimal at *pp (after its separator).  Negative values are accepted only
 * where allow_negative (fields the kernel prints signed); the magnitude must fit 64 bits. */
static MemNumStatus stat_number(const char **pp, const char *limit, gboolean allow_negative, guint64 *out,
                                gboolean *negative)
{
	const char *p = *pp, *e;

	*negative = FALSE;
	if (p < limit && *p == '-') {
		if (!allow_negative)
			return MEM_NUM_NEGATIVE;
		*negative = TRUE;
		p++;
	}
	if (!mem_parse_u64(p, limit, out, &e))
		return e > p ? MEM_NUM_OVERFLOW : MEM_NUM_SYNTAX;
	if (e < limit && *e != ' ')
		return MEM_NUM_SYNTAX;
	*pp = e;
	return MEM_NUM_OK;
}

gboolean mem_parse_stat(const char *buf, gsize len, MemStat *out, GError **error)
{
	const char *p = buf, *limit = buf + len, *e, *open, *close;
	guint64 n;
	gboolean neg;
	MemNumStatus st;
	int field;

	memset(out, 0, sizeof *out);
	if (len > 0 && limit[-1] == '\n')
		limit--;
	if (p < limit && *p == '-')
		return stat_fail_number(error, 1, MEM_NUM_NEGATIVE, p, limit);
	if (!mem_parse_u64(p, limit, &n, &e) || n > G_MAXINT64)
		return stat_fail_number(error, 1, e > p ? MEM_NUM_OVERFLOW : MEM_NUM_SYNTAX, p, limit);
	out->pid = (gint64)n;
	p = e;
	if (limit - p < 2 || p[0] != ' ' || p[1] != '(') {
		g_autofree char *ex = mem_parse_excerpt(buf, (gsize)(limit - buf));
		mem_parse_fail(error, MEM_ERROR_PARSE, 1, "expected ' (' after the pid: '%s'", ex);
		return FALSE;
	}
	open = p + 1;
	/* The command name may hold ')' itself: it ends at the last ')' of the line. */
	close = limit - 1;
	while (close > open && *close != ')')
		close--;
	if (close == open) {
		g_autofree char *ex = mem_parse_excerpt(buf, (gsize)(limit - buf));
		mem_parse_fail(error, MEM_ERROR_PARSE, 1, "no ')' after the command name: '%s'", ex);
		return FALSE;
	}
	out->comm = open + 1;
	out->comm_len = MIN((gsize)(close - open - 1), MEM_NAME_MAX);
	p = close + 1;
	if (limit - p < 2 || p[0] != ' ' || p[1] == ' ' || (limit - p > 2 && p[2] != ' ')) {
		g_autofree char *ex = mem_parse_excerpt(p, (gsize)(limit - p));
		mem_parse_fail(error, MEM_ERROR_PARSE, 1, "expected a one-letter state after the command name: '%s'",
		               ex);
		return FALSE;
	}
	out->state = p[1];
	p += 2;
	for (field = FIELD_PPID; field <= FIELD_RSS; field++) {
		gboolean is_kept = field == FIELD_PPID || field == FIELD_FLAGS || field == FIELD_STARTTIME ||
		                   field == FIELD_VSIZE || field == FIELD_RSS;

		if (p == limit || (p + 1 == limit && *p == ' '))
			break;
		p++; /* the separating space */
		st = stat_number(&p, limit, !is_kept, &n, &neg);
		if (st == MEM_NUM_OK && field == FIELD_PPID && n > G_MAXINT64)
			st = MEM_NUM_OVERFLOW;
		if (st == MEM_NUM_OK && field == FIELD_RSS && n > G_MAXINT64)
			st = MEM_NUM_OVERFLOW;
		if (st != MEM_NUM_OK)
			return stat_fail_number(error, field, st, p, limit);
		switch (field) {
		case FIELD_PPID:
			out->ppid = (gint64)n;
			break;
		case FIELD_FLAGS:
			out->flags = n;
			break;
		case FIELD_STARTTIME:
			out->starttime = n;
			break;
		case FIELD_VSIZE:
			out->vsize = n;
			break;
		case FIELD_RSS:
			out->rss_pages = (gint64)n;
			break;
		default:
			break;
		}
	}
	if (field <= FIELD_PPID) {
		mem_parse_fail(error, MEM_ERROR_TRUNCATED, 1, "stat ends before the parent pid");
		return FALSE;
	}
	out->has_flags = field > FIELD_RSS;
	return TRUE;
}

gsize mem_parse_comm(const char *buf, gsize len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	return MIN(len, MEM_NAME_MAX);
}
