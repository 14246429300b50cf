/* fuzz-smaps.c: libFuzzer harness for /proc/PID/smaps through mem_parse_smaps and mem_parse_smaps_more (parser layer fuzzing) */
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

/* The file revealed a few bytes at a time, as a reader thread hands it over. */
typedef struct {
	gsize total, step;
} Drip;

static gboolean drip_more(gpointer data, gsize have, gsize *len, GError **error)
{
	Drip *d = data;

	if (have > d->total)
		abort(); /* the parser never claims more than it was given */
	*len = MIN(d->total, have + d->step);
	return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Seen whole = { (const char *)data, size, 0, { { 0 }, 0 } };
	Seen drip = whole;
	Drip d = { size, size ? (gsize)data[0] % 61 + 1 : 1 };
	GError *err = NULL, *err2 = NULL;
	gboolean ok = mem_parse_smaps((const char *)data, size, on_vma, &whole, &err);
	gboolean ok2 = mem_parse_smaps_more((const char *)data, 0, drip_more, &d, on_vma, &drip, &err2);

	/* Parsing while the file arrives must give exactly what parsing it whole gives. */
	if (ok != ok2 || whole.n != drip.n || memcmp(&whole.sum, &drip.sum, sizeof whole.sum) != 0)
		abort();
	if (!ok) {
		if (err->code != err2->code || strcmp(err->message, err2->message) != 0)
			abort();
		check_error(err);
		g_error_free(err2);
	} else if (err != NULL || err2 != NULL) {
		abort();
	}
	return 0;
}
