/* render-om.c: memsys's meminfo categories in the OpenMetrics text format (rendering layer) */
#include "config.h"

#include <string.h>

#include "openmetrics.h"
#include "render-om.h"

void mem_sys_render_om(const MemSysSample *s, GString *out)
{
	g_auto(MemOmWriter) w;
	const MemSysCategories *c = &s->cat;
	const MemSysCategoryInfo *info = mem_sys_category_info();

	mem_om_writer_init(&w, out, NULL);
	mem_om_gauge(&w, "memsys_total_bytes", "bytes", "All the memory the kernel manages (MemTotal)");
	mem_om_sample(&w);
	mem_om_value_uint(&w, c->total);
	mem_om_gauge(&w, "memsys_available_bytes", "bytes",
	             "The kernel's estimate of what can be allocated without swapping (MemAvailable): not a category");
	if (c->has_avail) {
		mem_om_sample(&w);
		mem_om_value_uint(&w, c->avail);
	}
	mem_om_gauge(&w, "memsys_memory_bytes", "bytes",
	             "Physical memory by kind, from meminfo: the categories add up to memsys_total_bytes; other includes "
	             "those this kernel does not report, and may be negative");
	for (guint i = 0; i < MEM_SYS_N; i++) {
		if (!c->known[i])
			continue;
		mem_om_sample(&w);
		mem_om_label(&w, "category", info[i].id, strlen(info[i].id));
		mem_om_value_int(&w, c->bytes[i]);
	}
	mem_om_end(&w);
}
