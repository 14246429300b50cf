/* fuzz-smaps.c: libFuzzer harness for /proc/PID/smaps through mem_parse_smaps and mem_parse_smaps_more (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"
#include "window-drip.h"

typedef struct {
	const char *buf;      /* the whole input, or NULL: the drip's window */
	gsize len;
	const WindowDrip *drip;
	guint n;
	MemCounters sum;
	guint32 hash;         /* over every name, VmFlags and other field the parser returned */
} Seen;

static guint32 hash_bytes(guint32 h, const char *p, gsize n)
{
	for (gsize i = 0; i < n; i++)
		h = h * 31 + (unsigned char)p[i];
	return h * 31 + 0xff;
}

static gboolean on_vma(const MemVma *vma, gpointer user_data, GError **error)
{
	Seen *s = user_data;
	const char *buf = s->drip ? s->drip->win : s->buf;
	gsize len = s->drip ? s->drip->len : s->len;

	check_inside(vma->map.name, vma->map.name_len, buf, len);
	s->hash = hash_bytes(s->hash, vma->map.name, vma->map.name_len);
	if (vma->vmflags) {
		check_inside(vma->vmflags, vma->vmflags_len, buf, len);
		s->hash = hash_bytes(s->hash, vma->vmflags, vma->vmflags_len);
	}
	if (vma->n_extra > MEM_VMA_MAX_EXTRA || vma->map.end < vma->map.start)
		abort();
	for (guint i = 0; i < vma->n_extra; i++) {
		check_inside(vma->extra[i].key, vma->extra[i].key_len, buf, len);
		check_inside(vma->extra[i].value, vma->extra[i].value_len, buf, len);
		s->hash = hash_bytes(s->hash, vma->extra[i].key, vma->extra[i].key_len);
		s->hash = hash_bytes(s->hash, vma->extra[i].value, vma->extra[i].value_len);
	}
	s->hash = s->hash * 31 + vma->line + vma->n_extra_dropped;
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
	WindowDrip d;
	Seen whole = { (const char *)data, size, NULL, 0, { { 0 }, 0 }, 0 };
	Seen drip = { NULL, 0, &d, 0, { { 0 }, 0 }, 0 };
	GError *err = NULL, *err2 = NULL;
	gboolean ok = mem_parse_smaps((const char *)data, size, on_vma, &whole, &err), ok2;

	/* The window moves by a step of 1 to 61 bytes, chosen by the input. */
	window_drip_init(&d, (const char *)data, size, size ? (gsize)data[0] % 61 + 1 : 1, 0);
	ok2 = mem_parse_smaps_more((const char *)data, 0, window_drip_more, &d, on_vma, &drip, &err2);
	window_drip_clear(&d);
	/* Parsing while the file arrives must give exactly what parsing it whole gives. */
	if (ok != ok2 || whole.n != drip.n || memcmp(&whole.sum, &drip.sum, sizeof whole.sum) != 0 ||
	    whole.hash != drip.hash)
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
