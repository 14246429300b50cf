/* objects-private.h: what the parts of the memobjs report (sharers, figures, hidden, report) share among themselves (accounting layer) */
#pragma once

#include <glib.h>

#include "objects.h"

/* ---- object keys and pid lists (objects-sharers.c) ---- */
typedef struct {
	guint32 dev_major, dev_minor;
	guint64 inode;
} ObjKey;

guint objs_key_hash(gconstpointer p);
gboolean objs_key_equal(gconstpointer a, gconstpointer b);
/* FALSE for private anonymous memory, which is an object of its own (object-id.h). */
gboolean objs_is_shareable(const MemMapping *m);
void objs_add_pid(GArray *pids, guint32 pid);
GArray *objs_sharers_lookup(const MemObjsSharers *s, guint32 maj, guint32 min, guint64 inode);
/* Checks that a process's mappings go forward and do not overlap; fills *what on failure. */
gboolean objs_order_ok(guint64 start, guint64 end, guint64 prev_end, gboolean first, const char **what);

/* ---- sorting (objects-figures.c) ---- */
typedef struct {
	MemObjsColId col;
	gboolean reverse;
} SortBy;

void objs_sort_objects(GPtrArray *objects, const SortBy *s);

/* ---- the report (objects.c, objects-hidden.c) ---- */
MemObjsReport *objs_report_new(MemObjsView view, const MemObjsOptions *opts);
/* Adds the pids whose mappings only the sharer scan found unknown to r->more_unreadable (and all
 * of them to r->unreadable). */
void objs_note_more_unreadable(MemObjsReport *r, const GArray *pids);
void objs_hidden_free(gpointer data);
