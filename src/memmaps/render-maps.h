/* render-maps.h: memmaps's renderers: the vmaps-style tree, the pmap-style flat list, JSON (rendering layer) */
#pragma once

#include <glib.h>

#include "render.h"
#include "report-maps.h"

/* The Zircon vmaps-style tree: /A, R and M rows with :tag sizes; a blank line between processes and a
 * total row when there are several. */
void mem_maps_render_text(const MemMapsReport *r, const MemTextOptions *o, GString *out);

/* pmap -X-like plain list: one row per mapping and a total row per process. */
void mem_maps_render_flat(const MemMapsReport *r, const MemTextOptions *o, GString *out);

/* JSON, schema memmaps/1 (see memmaps(1)). */
void mem_maps_render_json(const MemMapsReport *r, gboolean pretty, const MemFlush *flush, GString *out);

/* The snake_case JSON key stem of a known field: "shared_clean" for Shared_Clean. */
const char *mem_maps_field_key(MemField f);
