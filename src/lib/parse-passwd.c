/* parse-passwd.c: a snapshot's passwd file, uid -> user name (parser layer) */
#include "config.h"

#include "parse-util.h"

void mem_parse_passwd(const char *buf, gsize len, GHashTable *users)
{
	const char *p = buf, *limit = buf + len;

	while (p < limit) {
		const char *le = mem_line_end(p, limit), *c1, *c2, *c3, *e;
		guint64 uid;

		c1 = memchr(p, ':', (gsize)(le - p));
		c2 = c1 ? memchr(c1 + 1, ':', (gsize)(le - c1 - 1)) : NULL;
		c3 = c2 ? memchr(c2 + 1, ':', (gsize)(le - c2 - 1)) : le;
		if (c3 == NULL)
			c3 = le;
		/* Skipped: comments, NIS "+"/"-" entries, empty names, names with NUL, bad or 33-bit uids. */
		if (c2 != NULL && c1 > p && *p != '#' && *p != '+' && *p != '-' &&
		    memchr(p, '\0', (gsize)(c1 - p)) == NULL && mem_parse_u64(c2 + 1, c3, &uid, &e) && e == c3 &&
		    uid <= G_MAXUINT32 && !g_hash_table_contains(users, GUINT_TO_POINTER((guint)uid)))
			g_hash_table_insert(users, GUINT_TO_POINTER((guint)uid), g_strndup(p, (gsize)(c1 - p)));
		p = le < limit ? le + 1 : limit;
	}
}
