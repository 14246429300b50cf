/* fuzz-diff.c: libFuzzer harness for memdiff's inputs from outside: a budget file and a saved memps --json report (fuzzing)
 *
 * The first byte chooses: odd ("1") a budget, even ("0") a report.  Budget: every limit parsed from
 * a line parses again from its own spec to the same limit, and a failure is MEM_ERROR_INVALID naming
 * "budget:LINE".  Report: a document that json-glib parses either becomes a side whose processes are
 * consistent (figures only when measured) or fails with MEM_ERROR_PARSE naming the argument; the
 * comparison of the side with itself has every known delta 0. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "json-reader.h"
#include "../../src/memdiff/compare-diff.h"
#include "../../src/memdiff/gate-diff.h"
#include "../../src/memdiff/load-diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

static void fuzz_budget(const char *text, gsize len)
{
	g_autoptr(GPtrArray) gates = g_ptr_array_new_with_free_func((GDestroyNotify)mem_diff_gate_free);
	GError *err = NULL;

	if (!mem_diff_budget_parse("budget", text, len, gates, &err)) {
		FUZZ_ASSERT(err && err->domain == MEM_ERROR && err->code == MEM_ERROR_INVALID);
		FUZZ_ASSERT(g_str_has_prefix(err->message, "budget:"));
		g_error_free(err);
	}
	for (guint i = 0; i < gates->len; i++) {
		const MemDiffGate *g = g_ptr_array_index(gates, i);
		g_autoptr(MemDiffGate) again = mem_diff_gate_parse(g->spec, "again", NULL);

		FUZZ_ASSERT(again);
		FUZZ_ASSERT(again->kind == g->kind && again->figure == g->figure && again->percent == g->percent);
		FUZZ_ASSERT(again->bytes == g->bytes && again->ppm == g->ppm && g_strcmp0(again->target, g->target) == 0);
		FUZZ_ASSERT((g->kind == MEM_DIFF_TOTAL) == (g->target == NULL));
	}
}

static void fuzz_report(const char *text, gsize len)
{
	GError *err = NULL;
	MemJsonDoc *doc = mem_json_parse(text, len, "report.json", &err);
	g_autoptr(MemDiffSide) side = NULL;
	g_autoptr(GPtrArray) news = g_ptr_array_new();
	g_autoptr(MemDiffReport) r = NULL;

	if (!doc) {
		g_clear_error(&err);
		return;
	}
	if (!(side = mem_diff_side_from_report("report.json", doc, &err))) {
		FUZZ_ASSERT(err && err->domain == MEM_ERROR && err->code == MEM_ERROR_PARSE);
		FUZZ_ASSERT(g_str_has_prefix(err->message, "report.json: "));
		g_error_free(err);
		return;
	}
	for (guint i = 0; i < side->procs->len; i++) {
		const MemDiffProc *p = g_ptr_array_index(side->procs, i);
		FUZZ_ASSERT(p->measured || p->known == 0);
		FUZZ_ASSERT(p->name != NULL);
	}
	g_ptr_array_add(news, side);
	r = mem_diff_report_new(side, news);
	for (guint i = 0; i < r->rows->len; i++) {
		const MemDiffRow *row = g_ptr_array_index(r->rows, i);
		for (int f = 0; f < MEM_DIFF_N_FIGURES; f++) {
			gint64 d;
			if (mem_diff_row_delta(row, (MemDiffFigure)f, &d))
				FUZZ_ASSERT(d == 0);
		}
		FUZZ_ASSERT(row->old.present && row->new.present);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_budget((const char *)data + 1, size - 1);
	else
		fuzz_report((const char *)data + 1, size - 1);
	return 0;
}
