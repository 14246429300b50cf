/* account.c: derived metrics (PSS, USS, shared/private clean/dirty) and group sums (accounting layer) */
#include "config.h"

#include <string.h>

#include "account.h"

/* metric i = field f */
static void set1(MemMetrics *m, MemMetric i, const MemCounters *c, MemField f)
{
	if (!mem_counters_has(c, f))
		return;
	m->v[i] = c->v[f];
	m->known |= 1u << i;
}

/* metric i = field a + field b (saturating) */
static void set2(MemMetrics *m, MemMetric i, const MemCounters *c, MemField a, MemField b)
{
	guint64 s;

	if (!mem_counters_has(c, a) || !mem_counters_has(c, b))
		return;
	s = c->v[a] + c->v[b];
	m->v[i] = s < c->v[a] ? G_MAXUINT64 : s;
	m->known |= 1u << i;
}

void mem_process_metrics(const MemProcess *p, MemMetrics *out)
{
	const MemCounters *c = &p->mem;

	memset(out, 0, sizeof *out);
	if (p->has_vss && p->state != MEM_PROC_KERNEL) {
		out->v[MEM_M_VSS] = p->vss;
		out->known |= 1u << MEM_M_VSS;
	}
	if (p->state != MEM_PROC_OK)
		return;
	set1(out, MEM_M_PSS, c, MEM_F_PSS);
	set2(out, MEM_M_PRIVATE, c, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY);
	set2(out, MEM_M_USS, c, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY);
	set2(out, MEM_M_SHARED, c, MEM_F_SHARED_CLEAN, MEM_F_SHARED_DIRTY);
	set1(out, MEM_M_RSS, c, MEM_F_RSS);
	set1(out, MEM_M_SWAP, c, MEM_F_SWAP);
	set1(out, MEM_M_SWAP_PSS, c, MEM_F_SWAP_PSS);
	set1(out, MEM_M_PSS_ANON, c, MEM_F_PSS_ANON);
	set1(out, MEM_M_PSS_FILE, c, MEM_F_PSS_FILE);
	set1(out, MEM_M_PSS_SHMEM, c, MEM_F_PSS_SHMEM);
	set1(out, MEM_M_PSS_DIRTY, c, MEM_F_PSS_DIRTY);
	set1(out, MEM_M_PRIVATE_CLEAN, c, MEM_F_PRIVATE_CLEAN);
	set1(out, MEM_M_PRIVATE_DIRTY, c, MEM_F_PRIVATE_DIRTY);
	set1(out, MEM_M_SHARED_CLEAN, c, MEM_F_SHARED_CLEAN);
	set1(out, MEM_M_SHARED_DIRTY, c, MEM_F_SHARED_DIRTY);
	if (mem_counters_hugetlb(c, &out->v[MEM_M_HUGETLB]))
		out->known |= 1u << MEM_M_HUGETLB;
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
