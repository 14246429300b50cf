/* fuzz-maps.c: libFuzzer harness for /proc/PID/maps, line by line through mem_parse_maps_line and whole through mem_parse_maps, with each line's object id (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "object-id.h"
#include "parse.h"

static gboolean count_line(const MemMapsLine *line, guint lineno, gpointer user_data, GError **error)
{
	guint *n = user_data;
	char id[MEM_OBJECT_ID_LEN];
	gsize len = mem_object_id(id, line->dev_major, line->dev_minor, line->inode, 1, line->start);

	(void)error;
	if (len == 0 || len >= MEM_OBJECT_ID_LEN || strlen(id) != len || lineno != *n + 1)
		abort();
	(*n)++;
	return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *p = buf, *limit = buf + size;
	guint good = 0, walked = 0;
	gboolean all_good = TRUE, whole;
	GError *werr = NULL;

	while (p < limit) {
		const char *nl = memchr(p, '\n', (gsize)(limit - p));
		const char *le = nl ? nl : limit;
		MemMapsLine m;
		GError *err = NULL;
		gboolean ok = mem_parse_maps_line(p, (gsize)(le - p), &m, &err);

		if (ok) {
			check_inside(m.name, m.name_len, p, (gsize)(le - p));
			if (m.perms[4] != '\0')
				abort();
			/* a line the walk delivers: whole, and before any bad one */
			if (all_good && nl)
				good++;
		} else {
			check_error(err);
		}
		if (!ok || !nl)
			all_good = FALSE;
		p = nl ? nl + 1 : limit;
	}
	/* The whole-file walk delivers exactly the whole lines before the first bad or cut one, and
	 * succeeds only when there is none. */
	whole = mem_parse_maps(buf, size, count_line, &walked, &werr);
	if (walked != good || whole != all_good || (!whole && !werr))
		abort();
	if (werr)
		check_error(werr);
	return 0;
}
