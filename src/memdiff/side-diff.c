/* side-diff.c: one side of a comparison from a snapshot or a saved memps --json report (accounting layer) */
#include "config.h"

#include <string.h>

#include "account.h"
#include "error.h"
#include "side-diff.h"

static const struct {
	const char *id;
	MemMetric metric;
	const char *json_key;  /* in a memps/1 report's processes */
} figures[MEM_DIFF_N_FIGURES] = {
	[MEM_DIFF_PSS] = { "pss", MEM_M_PSS, "pss_bytes" },
	[MEM_DIFF_USS] = { "uss", MEM_M_USS, "uss_bytes" },
	[MEM_DIFF_SWAP_PSS] = { "swap_pss", MEM_M_SWAP_PSS, "swap_pss_bytes" },
};

const char *mem_diff_figure_id(MemDiffFigure f)
{
	return figures[f].id;
}

gboolean mem_diff_figure_lookup(const char *id, gsize len, MemDiffFigure *f)
{
	for (int i = 0; i < MEM_DIFF_N_FIGURES; i++)
		if (strlen(figures[i].id) == len && g_ascii_strncasecmp(figures[i].id, id, len) == 0) {
			*f = (MemDiffFigure)i;
			return TRUE;
		}
	return FALSE;
}

guint32 mem_diff_load_fields(void)
{
	guint32 fields = 0;

	for (int i = 0; i < MEM_DIFF_N_FIGURES; i++)
		fields |= mem_metric_fields(figures[i].metric);
	return fields;
}

guint32 mem_diff_load_files(void)
{
	return MEM_FILE_CMDLINE | MEM_FILE_CGROUP;
}

static void proc_free(gpointer data)
{
	MemDiffProc *p = data;

	g_free(p->job);
	g_free(p->name);
	if (p->argv)
		g_ptr_array_unref(p->argv);
	g_free(p);
}

static MemDiffSide *side_new(const char *arg, MemDiffInput input)
{
	MemDiffSide *s = g_new0(MemDiffSide, 1);

	s->arg = g_strdup(arg);
	s->input = input;
	s->procs = g_ptr_array_new_with_free_func(proc_free);
	return s;
}

void mem_diff_side_free(MemDiffSide *s)
{
	if (!s)
		return;
	g_free(s->arg);
	g_free(s->kernel);
	g_ptr_array_unref(s->procs);
	if (s->snap)
		mem_snapshot_free(s->snap);
	if (s->doc)
		mem_json_doc_free(s->doc);
	g_free(s);
}

MemDiffSide *mem_diff_side_from_snapshot(const char *arg, MemSnapshot *snap)
{
	MemDiffSide *s = side_new(arg, snap->live ? MEM_DIFF_INPUT_LIVE : MEM_DIFF_INPUT_RECORDING);

	s->snap = snap;
	s->kernel = g_strdup(snap->kernel);
	s->argv0_only = snap->recorded && g_strcmp0(snap->recorded->cmdline, "scrubbed") == 0;
	s->n_problems = snap->n_problems;
	for (guint i = 0; i < snap->procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(snap->procs, i);
		MemDiffProc *d;
		MemMetrics m;

		if (p->state == MEM_PROC_VANISHED)
			s->n_vanished++;
		if (p->state == MEM_PROC_KERNEL || p->state == MEM_PROC_ZOMBIE || p->state == MEM_PROC_VANISHED)
			continue;
		d = g_new0(MemDiffProc, 1);
		d->pid = p->pid;
		d->job = g_strdup(p->job);
		d->name = g_strdup(p->name);
		if (p->cmdline) {
			d->argv = g_ptr_array_new_full(p->cmdline->len, g_free);
			for (guint a = 0; a < p->cmdline->len; a++)
				g_ptr_array_add(d->argv, g_strdup(g_ptr_array_index(p->cmdline, a)));
		}
		d->measured = p->state == MEM_PROC_OK;
		mem_process_metrics(p, &m);
		for (int f = 0; d->measured && f < MEM_DIFF_N_FIGURES; f++)
			if (mem_metrics_has(&m, figures[f].metric)) {
				d->known |= 1u << f;
				d->v[f] = m.v[figures[f].metric];
			}
		g_ptr_array_add(s->procs, d);
	}
	return s;
}

static MemDiffProc *map_entry(const char *name, gsize len)
{
	MemDiffProc *d = g_new0(MemDiffProc, 1);

	d->name = g_strndup(name, len);
	return d;
}

MemDiffSide *mem_diff_side_maps(const char *arg, MemSnapshot *snap, const guint32 *pids, guint n_pids)
{
	MemDiffSide *s = side_new(arg, snap->live ? MEM_DIFF_INPUT_LIVE : MEM_DIFF_INPUT_RECORDING);

	s->snap = snap;
	s->kernel = g_strdup(snap->kernel);
	s->n_problems = snap->n_problems;
	guint n = pids ? n_pids : snap->procs->len;

	for (guint i = 0; i < n; i++) {
		const MemProcess *p = pids ? mem_snapshot_find(snap, pids[i]) : g_ptr_array_index(snap->procs, i);

		if (!p || p->state == MEM_PROC_KERNEL || p->state == MEM_PROC_ZOMBIE || p->state == MEM_PROC_VANISHED) {
			s->n_vanished += p && p->state == MEM_PROC_VANISHED;
			continue;
		}
		if (p->state != MEM_PROC_OK || !p->maps) {
			g_autofree char *what = g_strdup_printf("[pid %u not measured]", p->pid);
			g_ptr_array_add(s->procs, map_entry(what, strlen(what)));
			continue;
		}
		for (guint m = 0; m < p->maps->len; m++) {
			const MemMapping *map = &g_array_index(p->maps, MemMapping, m);
			MemDiffProc *d = map->name_len ? map_entry(map->name, map->name_len) : map_entry("[anon]", 6);
			static const MemField fields[MEM_DIFF_N_FIGURES][2] = {
				[MEM_DIFF_PSS] = { MEM_F_PSS, MEM_F_PSS },
				[MEM_DIFF_USS] = { MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY },
				[MEM_DIFF_SWAP_PSS] = { MEM_F_SWAP_PSS, MEM_F_SWAP_PSS },
			};

			d->pid = p->pid;
			d->measured = TRUE;
			for (int f = 0; f < MEM_DIFF_N_FIGURES; f++) {
				MemField a = fields[f][0], b = fields[f][1];
				if (!mem_mapping_has(map, a) || !mem_mapping_has(map, b))
					continue;
				d->known |= 1u << f;
				d->v[f] = mem_mapping_value(map, a) + (a != b ? mem_mapping_value(map, b) : 0);
			}
			g_ptr_array_add(s->procs, d);
		}
	}
	return s;
}

guint mem_diff_side_drop_pid(MemDiffSide *s, guint32 pid)
{
	guint n = 0;

	for (guint i = s->procs->len; i-- > 0;)
		if (((const MemDiffProc *)g_ptr_array_index(s->procs, i))->pid == pid) {
			g_ptr_array_remove_index(s->procs, i);
			n++;
		}
	return n;
}

GArray *mem_diff_program_pids(const MemSnapshot *snap, const char *name)
{
	GArray *pids = g_array_new(FALSE, FALSE, sizeof(guint32));

	for (guint i = 0; i < snap->procs->len; i++) { /* snap->procs is sorted by pid */
		const MemProcess *p = g_ptr_array_index(snap->procs, i);
		gsize len = 0;
		const char *prog = mem_program_name(p->cmdline && p->cmdline->len ? g_ptr_array_index(p->cmdline, 0) : NULL,
		                                    p->name, &len);
		if (len == strlen(name) && memcmp(prog, name, len) == 0)
			g_array_append_val(pids, p->pid);
	}
	return pids;
}

/* ---- a saved report ---- */

static gboolean bad(GError **error, const char *arg, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static gboolean bad(GError **error, const char *arg, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: %s", arg, msg);
	return FALSE;
}

/* A string member, or NULL (absent or null); FALSE with an error for another type.  The string must
 * hold no NUL (names and paths are C strings throughout). */
static gboolean get_opt_string(const MemJsonValue *obj, const char *key, const char **out, const char *arg,
                               const char *where, GError **error)
{
	const MemJsonValue *v = mem_json_object_get(obj, key);
	gsize len = 0;

	*out = NULL;
	if (!v || mem_json_type(v) == MEM_JSON_NULL)
		return TRUE;
	if (!(*out = mem_json_get_string(v, &len)) || memchr(*out, '\0', len))
		return bad(error, arg, "%s.%s: expected a string without NUL, not %s", where, key,
		           mem_json_type_name(mem_json_type(v)));
	return TRUE;
}

static gboolean proc_from_json(MemDiffSide *s, const MemJsonValue *jp, const char *where, GError **error)
{
	g_autoptr(GPtrArray) argv = NULL;
	const MemJsonValue *v;
	const char *state, *job, *name;
	gint64 pid;
	MemDiffProc *d;

	if (mem_json_type(jp) != MEM_JSON_OBJECT)
		return bad(error, s->arg, "%s: expected an object", where);
	if (!(v = mem_json_object_get(jp, "pid")) || !mem_json_get_int(v, &pid) || pid <= 0 || pid > G_MAXUINT32)
		return bad(error, s->arg, "%s.pid: expected a pid", where);
	if (!get_opt_string(jp, "state", &state, s->arg, where, error) || !get_opt_string(jp, "job", &job, s->arg, where, error) ||
	    !get_opt_string(jp, "name", &name, s->arg, where, error))
		return FALSE;
	if (!state)
		return bad(error, s->arg, "%s.state: missing", where);
	if (strcmp(state, "vanished") == 0)
		s->n_vanished++;
	if (strcmp(state, "kernel") == 0 || strcmp(state, "zombie") == 0 || strcmp(state, "vanished") == 0)
		return TRUE;
	if ((v = mem_json_object_get(jp, "cmdline")) && mem_json_type(v) != MEM_JSON_NULL) {
		if (mem_json_type(v) != MEM_JSON_ARRAY)
			return bad(error, s->arg, "%s.cmdline: expected an array", where);
		argv = g_ptr_array_new_with_free_func(g_free);
		for (guint a = 0; a < mem_json_array_length(v); a++) {
			gsize len = 0;
			const char *arg = mem_json_get_string(mem_json_array_get(v, a), &len);
			if (!arg || memchr(arg, '\0', len))
				return bad(error, s->arg, "%s.cmdline[%u]: expected a string without NUL", where, a);
			g_ptr_array_add(argv, g_strndup(arg, len));
		}
		if (argv->len == 0) /* memps writes [] for an unknown command line too */
			g_clear_pointer(&argv, g_ptr_array_unref);
	}
	d = g_new0(MemDiffProc, 1);
	d->pid = (guint32)pid;
	d->job = g_strdup(job);
	d->name = g_strdup(name ? name : "");
	d->argv = g_steal_pointer(&argv);
	d->measured = strcmp(state, "ok") == 0;
	g_ptr_array_add(s->procs, d);
	for (int f = 0; d->measured && f < MEM_DIFF_N_FIGURES; f++) {
		v = mem_json_object_get(jp, figures[f].json_key);
		if (!v || mem_json_type(v) == MEM_JSON_NULL)
			continue;
		if (!mem_json_get_bytes(v, &d->v[f]))
			return bad(error, s->arg, "%s.%s: expected a byte count", where, figures[f].json_key);
		d->known |= 1u << f;
	}
	return TRUE;
}

MemDiffSide *mem_diff_side_from_report(const char *arg, MemJsonDoc *doc, GError **error)
{
	g_autoptr(MemDiffSide) s = side_new(arg, MEM_DIFF_INPUT_REPORT);
	const MemJsonValue *root = mem_json_doc_root(doc), *src, *rec, *procs;
	const char *schema = NULL, *kernel = NULL, *cmdline = NULL;

	s->doc = doc;
	if (mem_json_type(root) != MEM_JSON_OBJECT)
		return bad(error, arg, "not a memps --json report (expected an object)"), NULL;
	if (!get_opt_string(root, "schema", &schema, arg, "$", error))
		return NULL;
	if (g_strcmp0(schema, "memps/1") != 0)
		return bad(error, arg, "not a memps --json report (schema %s, expected memps/1)", schema ? schema : "absent"), NULL;
	if ((src = mem_json_object_get(root, "source")) && mem_json_type(src) == MEM_JSON_OBJECT) {
		if (!get_opt_string(src, "kernel", &kernel, arg, "source", error))
			return NULL;
		if ((rec = mem_json_object_get(src, "recorded")) && mem_json_type(rec) == MEM_JSON_OBJECT &&
		    !get_opt_string(rec, "cmdline", &cmdline, arg, "source.recorded", error))
			return NULL;
	}
	s->kernel = g_strdup(kernel);
	s->argv0_only = g_strcmp0(cmdline, "scrubbed") == 0;
	if (!(procs = mem_json_object_get(root, "processes")) || mem_json_type(procs) != MEM_JSON_ARRAY)
		return bad(error, arg, "processes: expected an array"), NULL;
	for (guint i = 0; i < mem_json_array_length(procs); i++) {
		g_autofree char *where = g_strdup_printf("processes[%u]", i);
		if (!proc_from_json(s, mem_json_array_get(procs, i), where, error))
			return NULL;
	}
	return g_steal_pointer(&s);
}
