/* render-om.h: memsys's sample as OpenMetrics text, for node_exporter's textfile collector (rendering layer)
 *
 * Families (gauges, bytes; see memsys(1), OPENMETRICS): memsys_total_bytes (MemTotal),
 * memsys_available_bytes (MemAvailable, when the kernel has it), memsys_memory_bytes{category}: each
 * known category, adding up to memsys_total_bytes (`other` includes the unknown ones, which have no
 * sample: never 0; it may be negative). */
#pragma once

#include <glib.h>

#include "render-sys.h"

void mem_sys_render_om(const MemSysSample *s, GString *out);
