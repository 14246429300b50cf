/* cgroups-sys.h: memsys --cgroups, each cgroup v2's charged memory (memory.current, memory.stat) beside the PSS of its processes, the difference named term by term (accounting layer)
 *
 * One row per cgroup of the v2 hierarchy (those holding a process, from the processes' job in the
 * unified hierarchy, and every other one the walk of the filesystem finds: at most 100 000), parents
 * before children.  memory.current and memory.stat count
 * the cgroup and its descendants, so a row's PSS sums the processes in it and below.  The identity
 * shown, exact when every term is known:
 *   current - pss = anon_gap + file_gap + kernel + sock + other
 *   anon_gap = anon - Σ Pss_Anon           anonymous memory charged here not in these processes' PSS
 *   file_gap = file - (Σ Pss - Σ Pss_Anon) page cache and shmem charged here and not mapped by them
 *                                          (the cgroup that first touched a page is charged); Pss - Pss_Anon
 *                                          is Pss_File + Pss_Shmem but for the kernel's rounding of each
 *                                          to kB, which this takes in so that the identity is exact
 *   kernel   = memory.stat kernel, else kernel_stack + pagetables + sec_pagetables + percpu + vmalloc
 *              + slab (those present)
 *   sock     = memory.stat sock (network buffers)
 *   other    = current - anon - file - kernel - sock (charged, not broken down; may be negative)
 * A term is unknown when one of its inputs is (a file that cannot be read, a key the kernel lacks,
 * a process whose PSS cannot be read: its PSS is then a lower bound). */
#pragma once

#include <glib.h>

#include "model.h"
#include "parse-memstat.h"
#include "source-cgmem.h"

typedef struct {
	char *path;             /* "/", "/a/b" (untrusted bytes) */
	guint depth;            /* 0 for "/" */
	guint procs;            /* processes in it or below whose memory counts (not kernel threads, zombies, vanished) */
	guint unreadable;       /* of those, PSS unknown */
	gboolean split;         /* Pss_Anon, Pss_File, Pss_Shmem known in every readable one */
	gint64 pss, pss_anon, pss_file, pss_shmem; /* sums over the readable ones */
	int current_err, stat_err; /* 0, an errno, or -1 for malformed content */
	guint64 current;        /* valid when current_err == 0 */
	MemCgStat stat;         /* valid when stat_err == 0 */
} MemSysCgroup;

typedef enum {
	MEM_CG_CURRENT,
	MEM_CG_ANON,
	MEM_CG_FILE,
	MEM_CG_SHMEM,
	MEM_CG_KERNEL,
	MEM_CG_SOCK,
	MEM_CG_OTHER,
	MEM_CG_PSS,
	MEM_CG_ANON_GAP,
	MEM_CG_FILE_GAP,
	MEM_CG_N
} MemSysCgroupFigure;

/* The figure's name ("current", "anon_gap"). */
const char *mem_sys_cgroup_figure_name(MemSysCgroupFigure f);

/* A figure of a row as signed bytes; FALSE when unknown.  PSS is given (a lower bound) even when some
 * process is unreadable. */
gboolean mem_sys_cgroup_figure(const MemSysCgroup *c, MemSysCgroupFigure f, gint64 *v);

/* The rows for the v2 jobs of snap's processes, each cgroup's files read from fs.  *malformed gets
 * the first malformed file's message (or stays NULL); *no_job counts the processes whose memory
 * counts but whose cgroup v2 path is unknown. */
GPtrArray *mem_sys_cgroups(MemSnapshot *snap, MemCgroupFs *fs, char **malformed, guint *no_job);

/* Whether fs's root offers the memory controller (its cgroup.controllers names it); FALSE with
 * MEM_ERROR_NOT_FOUND (say, a host whose memory controller is on cgroup v1) or the read's error. */
gboolean mem_sys_cgroups_check(MemCgroupFs *fs, GError **error);
