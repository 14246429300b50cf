/* crosscheck.c: compares memps's PSS with libproc2's PIDS_SMAP_PSS on the live system (accounting layer) */
#include "config.h"

#include <string.h>

#include <libproc2/pids.h>

#include "crosscheck.h"
#include "dl.h"
#include "error.h"

/* libproc2's functions, resolved on demand; its header gives the types and enum values. */
static int (*p_pids_new)(struct pids_info **, enum pids_item *, int);
static int (*p_pids_unref)(struct pids_info **);
static struct pids_fetch *(*p_pids_reap)(struct pids_info *, enum pids_fetch_type);

static const MemDlSymbol libproc2_symbols[] = {
	{ "procps_pids_new", (gpointer *)&p_pids_new },
	{ "procps_pids_unref", (gpointer *)&p_pids_unref },
	{ "procps_pids_reap", (gpointer *)&p_pids_reap },
	{ NULL, NULL },
};

/* PSS in kB as the kernel printed it (the model keeps bytes). */
static gboolean pss_kb(MemProcess *p, guint64 *kb)
{
	MemCounters c;

	if (!p || p->state != MEM_PROC_OK)
		return FALSE;
	mem_process_counters(p, &c);
	if (!mem_counters_has(&c, MEM_F_PSS))
		return FALSE;
	*kb = c.v[MEM_F_PSS] / 1024;
	return TRUE;
}

gboolean mem_cross_check(MemSource *src, const MemLoadOptions *opts, MemSnapshot *snap,
                         MemCrossCheck *out, GError **error)
{
	g_autoptr(MemSnapshot) after = NULL;
	enum pids_item items[] = { PIDS_ID_PID, PIDS_SMAP_PSS };
	struct pids_info *info = NULL;
	struct pids_fetch *fetch;
	g_autoptr(GHashTable) theirs = g_hash_table_new(g_direct_hash, g_direct_equal);

	memset(out, 0, sizeof *out);
	out->details = g_string_new(NULL);
	if (!snap->live) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--cross-check needs the live /proc (libproc2 reads nothing else)");
		return FALSE;
	}
	if (!mem_dl_open(MEM_LIBPROC2_SONAME, "libproc2-0", libproc2_symbols, error))
		return FALSE;
	if (p_pids_new(&info, items, G_N_ELEMENTS(items)) < 0 || !info) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_LIBRARY, "libproc2: procps_pids_new failed");
		return FALSE;
	}
	fetch = p_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!fetch) {
		p_pids_unref(&info);
		g_set_error(error, MEM_ERROR, MEM_ERROR_LIBRARY, "libproc2: procps_pids_reap failed");
		return FALSE;
	}
	for (int i = 0; fetch->stacks[i]; i++) {
		struct pids_result *head = fetch->stacks[i]->head;
		/* head[0]: PIDS_ID_PID (s_int); head[1]: PIDS_SMAP_PSS (ul_int, kB).  Store kB + 1 so that a
		 * reported 0 is distinguishable from "absent". */
		g_hash_table_insert(theirs, GINT_TO_POINTER(head[0].result.s_int),
		                    GSIZE_TO_POINTER((gsize)head[1].result.ul_int + 1));
	}
	p_pids_unref(&info);
	after = mem_snapshot_load(src, opts, error);
	if (!after)
		return FALSE;

	for (guint i = 0; i < snap->procs->len; i++) {
		MemProcess *p = g_ptr_array_index(snap->procs, i);
		gpointer v;
		guint64 first, second, theirs_kb, lo, hi;

		if (!pss_kb(p, &first)) {
			out->skipped++;
			continue;
		}
		v = g_hash_table_lookup(theirs, GINT_TO_POINTER((gint)p->pid));
		if (!v || !pss_kb(mem_snapshot_find(after, p->pid), &second)) {
			out->only_memps++;
			continue;
		}
		theirs_kb = (guint64)GPOINTER_TO_SIZE(v) - 1;
		lo = MIN(first, second);
		hi = MAX(first, second);
		out->compared++;
		if (theirs_kb >= lo && theirs_kb <= hi) {
			out->agree++;
		} else {
			out->differ++;
			g_string_append_printf(out->details,
			                       "pid %u: memps %" G_GUINT64_FORMAT " kB then %" G_GUINT64_FORMAT
			                       " kB, libproc2 %" G_GUINT64_FORMAT " kB in between\n",
			                       p->pid, first, second, theirs_kb);
		}
	}
	return TRUE;
}

void mem_cross_check_clear(MemCrossCheck *cc)
{
	if (cc->details)
		g_string_free(cc->details, TRUE);
	cc->details = NULL;
}
