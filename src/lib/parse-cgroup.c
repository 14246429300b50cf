/* parse-cgroup.c: /proc/PID/cgroup, picking the job path of a process (parser layer) */
#include "config.h"

#include "error.h"
#include "parse-util.h"

enum {
	SLOT_V2,
	SLOT_SYSTEMD,
	SLOT_MEMORY,
	N_SLOTS
};

/* TRUE when the comma-separated list p..limit holds exactly `name`. */
static gboolean has_controller(const char *p, const char *limit, const char *name)
{
	gsize n = strlen(name);

	while (p < limit) {
		const char *comma = memchr(p, ',', (gsize)(limit - p));
		const char *end = comma ? comma : limit;

		if ((gsize)(end - p) == n && memcmp(p, name, n) == 0)
			return TRUE;
		p = comma ? comma + 1 : limit;
	}
	return FALSE;
}

static char *cgroup_fail(GError **error, guint lineno, const char *what, const char *p, const char *le)
{
	g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));

	mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "%s: '%s'", what, ex);
	return NULL;
}

char *mem_parse_cgroup(const char *buf, gsize len, GError **error)
{
	MemJobHierarchy h;

	return mem_parse_cgroup_hierarchy(buf, len, &h, error);
}

char *mem_parse_cgroup_hierarchy(const char *buf, gsize len, MemJobHierarchy *hierarchy, GError **error)
{
	static const MemJobHierarchy slot_hierarchy[N_SLOTS] = { MEM_JOB_V2, MEM_JOB_V1_SYSTEMD, MEM_JOB_V1_MEMORY };
	const char *p = buf, *limit = buf + len;
	const char *path[N_SLOTS] = { NULL };
	gsize path_len[N_SLOTS] = { 0 };
	guint lineno = 0;

	*hierarchy = MEM_JOB_NONE;
	while (p < limit) {
		const char *le = mem_line_end(p, limit), *c1, *c2, *e, *ctl, *pth;
		guint64 id;
		int slot;

		lineno++;
		c1 = memchr(p, ':', (gsize)(le - p));
		c2 = c1 ? memchr(c1 + 1, ':', (gsize)(le - c1 - 1)) : NULL;
		if (c2 == NULL)
			return cgroup_fail(error, lineno, "expected 'id:controllers:path'", p, le);
		if (!mem_parse_u64(p, c1, &id, &e) || e != c1)
			return cgroup_fail(error, lineno, "bad hierarchy id", p, le);
		ctl = c1 + 1;
		pth = c2 + 1;
		if (pth == le || *pth != '/')
			return cgroup_fail(error, lineno, "cgroup path does not start with '/'", p, le);
		if (memchr(pth, '\0', (gsize)(le - pth)) != NULL)
			return cgroup_fail(error, lineno, "NUL byte in the cgroup path", p, le);
		if (id == 0 && ctl == c2)
			slot = SLOT_V2;
		else if (has_controller(ctl, c2, "name=systemd"))
			slot = SLOT_SYSTEMD;
		else if (has_controller(ctl, c2, "memory"))
			slot = SLOT_MEMORY;
		else
			slot = -1;
		if (slot >= 0 && path[slot] == NULL) {
			path[slot] = pth;
			path_len[slot] = (gsize)(le - pth);
		}
		p = le < limit ? le + 1 : limit;
	}
	*hierarchy = MEM_JOB_NONE;
	for (int s = 0; s < N_SLOTS; s++)
		if (path[s] != NULL && !(path_len[s] == 1 && path[s][0] == '/')) {
			*hierarchy = slot_hierarchy[s];
			return g_strndup(path[s], path_len[s]);
		}
	for (int s = 0; s < N_SLOTS && *hierarchy == MEM_JOB_NONE; s++)
		if (path[s] != NULL)
			*hierarchy = slot_hierarchy[s];
	return g_strdup("/");
}
