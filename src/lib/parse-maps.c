/* parse-maps.c: one /proc/PID/maps line, also the header line of each smaps record (parser layer) */
#include "config.h"

#include "error.h"
#include "parse-util.h"

static gboolean maps_fail(GError **error, guint lineno, const char *what, const char *line, gsize len)
{
	g_autofree char *ex = mem_parse_excerpt(line, len);

	mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "bad mapping line (%s): '%s'", what, ex);
	return FALSE;
}

gboolean mem_parse_maps_line_at(const char *line, gsize len, guint lineno, MemMapsLine *out,
                                GError **error)
{
	const char *p = line, *limit = line + len, *e;
	guint64 major, minor;

	if (!mem_parse_x64(p, limit, &out->start, &e))
		return maps_fail(error, lineno, e > p ? "start address too large" : "no start address", line,
		                 len);
	p = e;
	if (p == limit || *p != '-')
		return maps_fail(error, lineno, "no '-' after the start address", line, len);
	p++;
	if (!mem_parse_x64(p, limit, &out->end, &e))
		return maps_fail(error, lineno, e > p ? "end address too large" : "no end address", line, len);
	p = e;
	if (limit - p < 6 || p[0] != ' ' || p[5] != ' ')
		return maps_fail(error, lineno, "no permissions", line, len);
	if ((p[1] != 'r' && p[1] != '-') || (p[2] != 'w' && p[2] != '-') || (p[3] != 'x' && p[3] != '-') ||
	    (p[4] != 'p' && p[4] != 's'))
		return maps_fail(error, lineno, "bad permissions", line, len);
	memcpy(out->perms, p + 1, 4);
	out->perms[4] = '\0';
	p += 6;
	if (!mem_parse_x64(p, limit, &out->offset, &e))
		return maps_fail(error, lineno, e > p ? "offset too large" : "no offset", line, len);
	p = e;
	if (p == limit || *p != ' ')
		return maps_fail(error, lineno, "no space after the offset", line, len);
	p++;
	if (!mem_parse_x64(p, limit, &major, &e) || major > G_MAXUINT32)
		return maps_fail(error, lineno, "bad device major", line, len);
	p = e;
	if (p == limit || *p != ':')
		return maps_fail(error, lineno, "no ':' in the device", line, len);
	p++;
	if (!mem_parse_x64(p, limit, &minor, &e) || minor > G_MAXUINT32)
		return maps_fail(error, lineno, "bad device minor", line, len);
	p = e;
	if (p == limit || *p != ' ')
		return maps_fail(error, lineno, "no space after the device", line, len);
	p++;
	if (p < limit && *p == '-')
		return maps_fail(error, lineno, "negative inode", line, len);
	if (!mem_parse_u64(p, limit, &out->inode, &e))
		return maps_fail(error, lineno, e > p ? "inode too large" : "no inode", line, len);
	p = e;
	if (p < limit && *p != ' ')
		return maps_fail(error, lineno, "junk after the inode", line, len);
	while (p < limit && *p == ' ')
		p++;
	out->dev_major = (guint32)major;
	out->dev_minor = (guint32)minor;
	out->name = p;
	out->name_len = (gsize)(limit - p);
	return TRUE;
}

gboolean mem_parse_maps_line(const char *line, gsize len, MemMapsLine *out, GError **error)
{
	return mem_parse_maps_line_at(line, len, 1, out, error);
}

gboolean mem_parse_maps(const char *buf, gsize len, MemMapsFunc func, gpointer user_data, GError **error)
{
	const char *p = buf, *end = buf + len;
	guint lineno = 0;

	while (p < end) {
		const char *le = mem_line_end(p, end);
		MemMapsLine line;

		lineno++;
		if (le == end) {
			mem_parse_fail(error, MEM_ERROR_TRUNCATED, lineno, "last line has no newline");
			return FALSE;
		}
		if (!mem_parse_maps_line_at(p, (gsize)(le - p), lineno, &line, error) ||
		    !func(&line, lineno, user_data, error))
			return FALSE;
		p = le + 1;
	}
	return TRUE;
}
