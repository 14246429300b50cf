/* render-om.c: memps's metric families in the OpenMetrics text format (rendering layer) */
#include "config.h"

#include <string.h>

#include "escape.h"
#include "model.h"
#include "openmetrics.h"
#include "render-om.h"

/* The per-process families, in output order. */
static const struct {
	MemMetric metric;
	const char *name, *help;
} proc_families[] = {
	{ MEM_M_PSS, "memps_pss_bytes", "Proportional set size of the process (Pss): each page divided among its sharers" },
	{ MEM_M_PRIVATE, "memps_private_bytes", "Resident pages of the process that no other process maps (Private_Clean + Private_Dirty)" },
	{ MEM_M_RSS, "memps_rss_bytes", "Resident set size of the process (Rss): shared pages counted whole" },
	{ MEM_M_SWAP_PSS, "memps_swap_pss_bytes", "Proportional swap use of the process (SwapPss)" },
	{ MEM_M_HUGETLB, "memps_hugetlb_bytes", "HugeTLB pages the process maps (Shared_Hugetlb + Private_Hugetlb), outside Rss and Pss" },
};

/* The families of sums (jobs and totals): the additive metrics only. */
static const struct {
	MemMetric metric;
	const char *job, *total, *what;
} sum_families[] = {
	{ MEM_M_PSS, "memps_job_pss_bytes", "memps_total_pss_bytes", "PSS" },
	{ MEM_M_PRIVATE, "memps_job_private_bytes", "memps_total_private_bytes", "private memory" },
	{ MEM_M_SWAP_PSS, "memps_job_swap_pss_bytes", "memps_total_swap_pss_bytes", "swap PSS" },
};

guint32 mem_ps_om_files(void)
{
	return MEM_FILE_CGROUP | MEM_FILE_CMDLINE;
}

guint32 mem_ps_om_fields(void)
{
	guint32 f = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(proc_families); i++)
		f |= mem_metric_fields(proc_families[i].metric);
	return f;
}

/* A process with its own series, and its job's canonical path (the node above it). */
typedef struct {
	const MemProcess *p;
	const MemPsNode *job;
	MemMetrics m;
} TopProc;

static gint compare_top(gconstpointer a, gconstpointer b)
{
	const TopProc *x = a, *y = b;
	guint64 px = x->m.v[MEM_M_PSS], py = y->m.v[MEM_M_PSS];

	if (px != py)
		return px > py ? -1 : 1;
	return x->p->pid < y->p->pid ? -1 : x->p->pid > y->p->pid;
}

/* The measured processes of largest PSS, at most top of them. */
static GArray *top_processes(const MemPsReport *r, guint top)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(TopProc));

	for (guint i = 0; i < r->nodes->len; i++) {
		const MemPsNode *n = g_ptr_array_index(r->nodes, i);
		TopProc t = { 0 };

		if (n->kind != MEM_PS_PROC || n->proc->state != MEM_PROC_OK)
			continue;
		t.p = n->proc;
		t.job = n->parent && n->parent->kind == MEM_PS_JOB ? n->parent : NULL;
		mem_process_metrics(t.p, &t.m);
		if (mem_metrics_has(&t.m, MEM_M_PSS))
			g_array_append_val(a, t);
	}
	g_array_sort(a, compare_top);
	if (a->len > top)
		g_array_set_size(a, top);
	return a;
}

/* A job series: the label of one or more jobs (see render-om.h) and their sums. */
typedef struct {
	const char *id;
	gsize id_len;
	MemTally tally;
} JobSeries;

static GArray *job_series(const MemPsReport *r)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(JobSeries));
	g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GString) key = g_string_new(NULL);

	for (guint i = 0; i < r->jobs->len; i++) {
		const MemPsNode *j = g_ptr_array_index(r->jobs, i);
		gpointer at;

		g_string_truncate(key, 0);
		mem_escape_openmetrics(key, j->id, j->id_len);
		if (g_hash_table_lookup_extended(index, key->str, NULL, &at)) {
			mem_tally_merge(&g_array_index(a, JobSeries, GPOINTER_TO_UINT(at)).tally, j->tally);
		} else {
			JobSeries s = { j->id, j->id_len, *j->tally };
			g_hash_table_insert(index, g_strdup(key->str), GUINT_TO_POINTER(a->len));
			g_array_append_val(a, s);
		}
	}
	return a;
}

static void proc_labels(MemOmWriter *w, const TopProc *t)
{
	gsize len;
	const char *prog = mem_ps_program_name(t->p, &len);

	mem_om_label_uint(w, "pid", t->p->pid);
	if (*t->p->name)
		mem_om_label(w, "comm", t->p->name, strlen(t->p->name));
	if (len)
		mem_om_label(w, "program", prog, MIN(len, MEM_PS_OM_PROGRAM_MAX));
	if (t->job)
		mem_om_label(w, "job", t->job->id, t->job->id_len);
}

void mem_render_ps_om(const MemPsReport *r, guint top, const MemFlush *flush, GString *out)
{
	g_auto(MemOmWriter) w;
	g_autoptr(GArray) procs = top_processes(r, top);
	g_autoptr(GArray) jobs = job_series(r);
	MemMetrics tm;

	mem_om_writer_init(&w, out, flush);
	for (gsize f = 0; f < G_N_ELEMENTS(proc_families); f++) {
		mem_om_gauge(&w, proc_families[f].name, "bytes", proc_families[f].help);
		for (guint i = 0; i < procs->len; i++) {
			const TopProc *t = &g_array_index(procs, TopProc, i);

			if (!mem_metrics_has(&t->m, proc_families[f].metric))
				continue;
			mem_om_sample(&w);
			proc_labels(&w, t);
			mem_om_value_uint(&w, t->m.v[proc_families[f].metric]);
		}
	}
	for (gsize f = 0; f < G_N_ELEMENTS(sum_families); f++) {
		g_autofree char *help = g_strdup_printf("Sum of the %s of the processes in the job (cgroup) and the jobs below it",
		                                        sum_families[f].what);

		mem_om_gauge(&w, sum_families[f].job, "bytes", help);
		for (guint i = 0; i < jobs->len; i++) {
			const JobSeries *s = &g_array_index(jobs, JobSeries, i);
			MemMetrics m;

			mem_ps_sum_metrics(&s->tally, &m);
			if (!mem_metrics_has(&m, sum_families[f].metric))
				continue;
			mem_om_sample(&w);
			mem_om_label(&w, "job", s->id, s->id_len);
			mem_om_value_uint(&w, m.v[sum_families[f].metric]);
		}
	}
	mem_om_gauge(&w, "memps_job_unmeasured_processes", NULL,
	             "Processes of the job and the jobs below it left out of its sums (unreadable, vanished, skipped)");
	for (guint i = 0; i < jobs->len; i++) {
		const JobSeries *s = &g_array_index(jobs, JobSeries, i);

		mem_om_sample(&w);
		mem_om_label(&w, "job", s->id, s->id_len);
		mem_om_value_uint(&w, s->tally.n_missing);
	}
	mem_ps_sum_metrics(&r->totals, &tm);
	for (gsize f = 0; f < G_N_ELEMENTS(sum_families); f++) {
		g_autofree char *help = g_strdup_printf("Sum of the %s of every process shown", sum_families[f].what);

		mem_om_gauge(&w, sum_families[f].total, "bytes", help);
		if (mem_metrics_has(&tm, sum_families[f].metric)) {
			mem_om_sample(&w);
			mem_om_value_uint(&w, tm.v[sum_families[f].metric]);
		}
	}
	mem_om_gauge(&w, "memps_processes", NULL,
	             "Processes selected, by state: ok (measured), unreadable, vanished, kernel, zombie, skipped");
	for (guint s = 0; s <= MEM_PROC_SKIPPED; s++) {
		mem_om_sample(&w);
		mem_om_label(&w, "state", mem_proc_state_name(s), strlen(mem_proc_state_name(s)));
		mem_om_value_uint(&w, r->states.n[s]);
	}
	mem_om_end(&w);
}
