/* window-drip.h: a file handed over a few bytes at a time through a moving window, as a MemMoreFunc does (test support, shared by the smaps fuzz harness and unit tests) */
#pragma once

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "error.h"

/* Every call copies what the consumer kept plus the next `step` bytes of the file into a fresh
 * allocation and frees the old window, so a pointer the consumer failed to rebase is a use after free
 * (and reads other bytes than it should).  A consumer that hands back anything but the window it was
 * given aborts. */
typedef struct {
	const char *file;
	gsize total, step;
	gsize fail_at;        /* a file offset: more() fails once the window reaches it (0: never) */
	gsize start;          /* the file offset of the window */
	char *win;
	gsize len;
	gsize max_len;        /* the largest window handed out */
	guint calls;
} WindowDrip;

G_GNUC_UNUSED static void window_drip_init(WindowDrip *d, const char *file, gsize total, gsize step,
                                           gsize fail_at)
{
	memset(d, 0, sizeof *d);
	d->file = file;
	d->total = total;
	d->step = step;
	d->fail_at = fail_at;
}

G_GNUC_UNUSED static gboolean window_drip_more(gpointer data, gsize done, const char **buf, gsize *len,
                                               GError **error)
{
	WindowDrip *d = data;
	gsize end = d->start + d->len, kept, add;
	char *win;

	d->calls++;
	if (*len != d->len || done > d->len || (d->len && *buf != d->win))
		abort();
	if (d->fail_at && end >= d->fail_at) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_IO, "read failed");
		return FALSE;
	}
	kept = d->len - done;
	add = MIN(d->total - end, d->step);
	win = g_malloc(kept + add + 1);
	if (kept)
		memcpy(win, d->win + done, kept);
	memcpy(win + kept, d->file + end, add);
	g_free(d->win);
	d->win = win;
	d->start += done;
	d->len = kept + add;
	d->max_len = MAX(d->max_len, d->len);
	*buf = d->win;
	*len = d->len;
	return TRUE;
}

G_GNUC_UNUSED static void window_drip_clear(WindowDrip *d)
{
	g_free(d->win);
	d->win = NULL;
	d->len = 0;
}
