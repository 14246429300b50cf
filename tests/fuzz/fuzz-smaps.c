/* fuzz-smaps.c: libFuzzer harness for /proc/PID/smaps through mem_parse_smaps (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

typedef struct {
	const char *buf;
	gsize len;
	guint n;
	MemCounters sum;
} Seen;

static gboolean on_vma(const MemVma *vma, gpointer user_data, GError **error)
{
	Seen *s = user_data;

	check_inside(vma->map.name, vma->map.name_len, s->buf, s->len);
	if (vma->vmflags)
		check_inside(vma->vmflags, vma->vmflags_len, s->buf, s->len);
	if (vma->n_extra > MEM_VMA_MAX_EXTRA || vma->map.end < vma->map.start)
		abort();
	for (guint i = 0; i < vma->n_extra; i++) {
		check_inside(vma->extra[i].key, vma->extra[i].key_len, s->buf, s->len);
		check_inside(vma->extra[i].value, vma->extra[i].value_len, s->buf, s->len);
	}
	if (!mem_counters_has(&vma->c, MEM_F_SIZE) || !mem_counters_has(&vma->c, MEM_F_RSS))
		abort();
	mem_counters_add(&s->sum, &vma->c);
	s->n++;
	/* stop now and then, as a consumer may */
	if (vma->map.start == 0xdead000) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "line %u: stop", vma->line);
		return FALSE;
	}
	return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Seen s = { (const char *)data, size, 0, { { 0 }, 0 } };
	GError *err = NULL;

	if (!mem_parse_smaps((const char *)data, size, on_vma, &s, &err))
		check_error(err);
	else if (err != NULL)
		abort();
	return 0;
}
