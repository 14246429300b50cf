/* account.c: derived metrics (PSS, USS, shared/private clean/dirty) and group sums (accounting layer) */
#include "config.h"

#include <string.h>

#include "account.h"

static gboolean field(const MemCounters *c, MemField f, guint64 *out)
{
	if (!mem_counters_has(c, f))
		return FALSE;
	*out = c->v[f];
	return TRUE;
}

static gboolean field_sum(const MemCounters *c, MemField a, MemField b, guint64 *out)
{
	if (!mem_counters_has(c, a) || !mem_counters_has(c, b))
		return FALSE;
	*out = c->v[a] + c->v[b];
	if (*out < c->v[a])
		*out = G_MAXUINT64;
	return TRUE;
}

static void set(MemMetrics *m, MemMetric i, gboolean ok, guint64 v)
{
	if (!ok)
		return;
	m->v[i] = v;
	m->known |= 1u << i;
}

void mem_process_metrics(const MemProcess *p, MemMetrics *out)
{
	const MemCounters *c = &p->mem;
	guint64 v = 0;

	memset(out, 0, sizeof *out);
	if (p->has_vss && p->state != MEM_PROC_KERNEL)
		set(out, MEM_M_VSS, TRUE, p->vss);
	if (p->state != MEM_PROC_OK)
		return;
	set(out, MEM_M_PSS, field(c, MEM_F_PSS, &v), v);
	set(out, MEM_M_PRIVATE, field_sum(c, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY, &v), v);
	set(out, MEM_M_USS, field_sum(c, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY, &v), v);
	set(out, MEM_M_SHARED, field_sum(c, MEM_F_SHARED_CLEAN, MEM_F_SHARED_DIRTY, &v), v);
	set(out, MEM_M_RSS, field(c, MEM_F_RSS, &v), v);
	set(out, MEM_M_SWAP, field(c, MEM_F_SWAP, &v), v);
	set(out, MEM_M_SWAP_PSS, field(c, MEM_F_SWAP_PSS, &v), v);
	set(out, MEM_M_PSS_ANON, field(c, MEM_F_PSS_ANON, &v), v);
	set(out, MEM_M_PSS_FILE, field(c, MEM_F_PSS_FILE, &v), v);
	set(out, MEM_M_PSS_SHMEM, field(c, MEM_F_PSS_SHMEM, &v), v);
	set(out, MEM_M_PSS_DIRTY, field(c, MEM_F_PSS_DIRTY, &v), v);
	set(out, MEM_M_PRIVATE_CLEAN, field(c, MEM_F_PRIVATE_CLEAN, &v), v);
	set(out, MEM_M_PRIVATE_DIRTY, field(c, MEM_F_PRIVATE_DIRTY, &v), v);
	set(out, MEM_M_SHARED_CLEAN, field(c, MEM_F_SHARED_CLEAN, &v), v);
	set(out, MEM_M_SHARED_DIRTY, field(c, MEM_F_SHARED_DIRTY, &v), v);
}

gboolean mem_metric_additive(MemMetric m)
{
	switch (m) {
	case MEM_M_PSS:
	case MEM_M_PRIVATE:
	case MEM_M_USS:
	case MEM_M_SWAP_PSS:
	case MEM_M_PSS_ANON:
	case MEM_M_PSS_FILE:
	case MEM_M_PSS_SHMEM:
	case MEM_M_PSS_DIRTY:
	case MEM_M_PRIVATE_CLEAN:
	case MEM_M_PRIVATE_DIRTY:
		return TRUE;
	default:
		return FALSE;
	}
}

void mem_tally_init(MemTally *t)
{
	memset(t, 0, sizeof *t);
	t->sum.known = (1u << MEM_M_COUNT) - 1;
}

static void add_metrics(MemMetrics *dst, const MemMetrics *src)
{
	for (int i = 0; i < MEM_M_COUNT; i++) {
		guint64 s = dst->v[i] + src->v[i];
		dst->v[i] = s < dst->v[i] ? G_MAXUINT64 : s;
	}
	dst->known &= src->known;
}

void mem_tally_add(MemTally *t, const MemProcess *p)
{
	MemMetrics m;

	switch (p->state) {
	case MEM_PROC_OK:
		mem_process_metrics(p, &m);
		add_metrics(&t->sum, &m);
		t->n_ok++;
		break;
	case MEM_PROC_KERNEL:
		t->n_kernel++;
		break;
	default:
		t->n_missing++;
		break;
	}
}

void mem_tally_merge(MemTally *t, const MemTally *other)
{
	add_metrics(&t->sum, &other->sum);
	t->n_ok += other->n_ok;
	t->n_missing += other->n_missing;
	t->n_kernel += other->n_kernel;
}
