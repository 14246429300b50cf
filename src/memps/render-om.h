/* render-om.h: memps as OpenMetrics text, for node_exporter's textfile collector (rendering layer)
 *
 * Families (gauges, bytes unless said; see memps(1), OPENMETRICS):
 *   memps_{pss,private,rss,swap_pss,hugetlb}_bytes{pid,comm,program,job}   the `top` processes of
 *       largest PSS (ties: lower pid first), each figure it has;
 *   memps_job_{pss,private,swap_pss}_bytes{job}   every job (cgroup): the sums of its processes and
 *       those of the jobs below (RSS, hugetlb do not add up: none);
 *   memps_job_unmeasured_processes{job}            its processes left out of those sums;
 *   memps_total_{pss,private,swap_pss}_bytes       the sums over every process shown;
 *   memps_processes{state}                          the selected processes by state.
 * An unknown figure (a field the kernel lacks; a sum with no measured member) has no sample: never 0.
 * Two jobs whose label values read the same (a name holding "\x1b" as text beside one holding the
 * byte, see mem_escape_openmetrics()) are one series, their sums added (such jobs are never nested, so
 * the sum counts no process twice): a series is never written twice, which would void the file. */
#pragma once

#include <glib.h>

#include "render.h"
#include "proctree.h"

/* The default of --top: processes with their own series. */
#define MEM_PS_OM_TOP 10

/* The program label holds at most this many bytes of the name: an executable's name is at most
 * NAME_MAX; a longer one is a process title (up to 128 KiB), which a scrape's label_value_length_limit
 * would refuse with every other series of the machine. */
#define MEM_PS_OM_PROGRAM_MAX 255

/* What the report needs loaded per process (MemLoadOptions files and fields). */
guint32 mem_ps_om_files(void);
guint32 mem_ps_om_fields(void);

/* The report (built with tree cgroup, no group) as OpenMetrics; flush may be NULL. */
void mem_render_ps_om(const MemPsReport *r, guint top, const MemFlush *flush, GString *out);
