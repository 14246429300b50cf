/* render-ps.h: memps's JSON renderer (rendering layer) */
#pragma once

#include <glib.h>

#include "render.h"
#include "report-ps.h"

/* The memps report as JSON (schema memps/1, see memps(1)); flush may be NULL. */
void mem_render_ps_json(const MemPsReport *r, gboolean pretty, const MemFlush *flush, GString *out);
