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
	MemCounters counters;
	const MemCounters *c = &counters;

	memset(out, 0, sizeof *out);
	if (p->has_vss && p->state != MEM_PROC_KERNEL) {
		out->v[MEM_M_VSS] = p->vss;
		out->known |= 1u << MEM_M_VSS;
	}
	if (p->state != MEM_PROC_OK)
		return;
	mem_process_counters(p, &counters);
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

guint32 mem_metric_fields(MemMetric m)
{
	switch (m) {
	case MEM_M_PSS: return MEM_FIELD_BIT(MEM_F_PSS);
	case MEM_M_PRIVATE:
	case MEM_M_USS: return MEM_FIELD_BIT(MEM_F_PRIVATE_CLEAN) | MEM_FIELD_BIT(MEM_F_PRIVATE_DIRTY);
	case MEM_M_SHARED: return MEM_FIELD_BIT(MEM_F_SHARED_CLEAN) | MEM_FIELD_BIT(MEM_F_SHARED_DIRTY);
	case MEM_M_RSS: return MEM_FIELD_BIT(MEM_F_RSS);
	case MEM_M_SWAP: return MEM_FIELD_BIT(MEM_F_SWAP);
	case MEM_M_SWAP_PSS: return MEM_FIELD_BIT(MEM_F_SWAP_PSS);
	case MEM_M_PSS_ANON: return MEM_FIELD_BIT(MEM_F_PSS_ANON);
	case MEM_M_PSS_FILE: return MEM_FIELD_BIT(MEM_F_PSS_FILE);
	case MEM_M_PSS_SHMEM: return MEM_FIELD_BIT(MEM_F_PSS_SHMEM);
	case MEM_M_PSS_DIRTY: return MEM_FIELD_BIT(MEM_F_PSS_DIRTY);
	case MEM_M_PRIVATE_CLEAN: return MEM_FIELD_BIT(MEM_F_PRIVATE_CLEAN);
	case MEM_M_PRIVATE_DIRTY: return MEM_FIELD_BIT(MEM_F_PRIVATE_DIRTY);
	case MEM_M_SHARED_CLEAN: return MEM_FIELD_BIT(MEM_F_SHARED_CLEAN);
	case MEM_M_SHARED_DIRTY: return MEM_FIELD_BIT(MEM_F_SHARED_DIRTY);
	case MEM_M_HUGETLB: return MEM_FIELD_BIT(MEM_F_SHARED_HUGETLB) | MEM_FIELD_BIT(MEM_F_PRIVATE_HUGETLB);
	case MEM_M_VSS:
	case MEM_M_COUNT: break;
	}
	return 0;
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

/* States whose processes have figures, or have no user memory to miss: not in the summary. */
static gboolean counted(int state)
{
	return state == MEM_PROC_OK || state == MEM_PROC_KERNEL;
}

void mem_state_tally_add(MemStateTally *t, const MemProcess *p)
{
	static const char prefix[] = "[unreadable: ";
	const char *note;
	gsize len;
	guint i;

	g_return_if_fail((guint)p->state < MEM_STATE_SLOTS);
	t->n[p->state]++;
	if (p->state != MEM_PROC_UNREADABLE)
		return;
	note = mem_proc_state_note(p);
	if (!note || strncmp(note, prefix, sizeof prefix - 1) != 0 || (len = strlen(note)) < sizeof prefix) {
		t->n_other++;
		return;
	}
	note += sizeof prefix - 1; /* "permission denied]": the reason and the closing bracket */
	len -= sizeof prefix;
	for (i = 0; i < MEM_TALLY_REASONS && t->reason[i]; i++)
		if (t->reason_len[i] == len && memcmp(t->reason[i], note, len) == 0)
			break;
	if (i == MEM_TALLY_REASONS) {
		t->n_other++;
		return;
	}
	t->reason[i] = note; /* notes are static or interned strings */
	t->reason_len[i] = len;
	t->n_reason[i]++;
}

guint mem_state_tally_left_out(const MemStateTally *t)
{
	guint n = 0;

	for (int s = 0; s < MEM_STATE_SLOTS; s++)
		if (!counted(s))
			n += t->n[s];
	return n;
}

static void append_reasons(GString *s, const MemStateTally *t, guint total)
{
	const char *sep = "";

	if (t->n_other == total)
		return;
	g_string_append(s, " (");
	for (int i = 0; i < MEM_TALLY_REASONS && t->reason[i]; i++) {
		if (t->n_reason[i] == total)
			g_string_append_len(s, t->reason[i], (gssize)t->reason_len[i]);
		else
			g_string_append_printf(s, "%s%u %.*s", sep, t->n_reason[i], (int)t->reason_len[i], t->reason[i]);
		sep = ", ";
	}
	if (t->n_other)
		g_string_append_printf(s, "%s%u other", sep, t->n_other);
	g_string_append_c(s, ')');
}

char *mem_state_tally_summary(const MemStateTally *t)
{
	GString *s;

	if (!mem_state_tally_left_out(t))
		return NULL;
	s = g_string_new(NULL);
	for (int st = 0; st < MEM_STATE_SLOTS; st++) {
		guint n = t->n[st];
		if (!n || counted(st))
			continue;
		if (s->len)
			g_string_append_printf(s, ", %u %s", n, mem_proc_state_name(st));
		else
			g_string_append_printf(s, "%u process%s %s", n, n == 1 ? "" : "es", mem_proc_state_name(st));
		if (st == MEM_PROC_UNREADABLE)
			append_reasons(s, t, n);
	}
	g_string_append(s, "; totals exclude them");
	return g_string_free(s, FALSE);
}

const char *mem_program_name(const char *argv0, const char *comm, gsize *len)
{
	const char *start, *end, *slash;

	if (argv0 && *argv0) {
		end = strstr(argv0, ": ");
		if (!end)
			end = argv0 + strlen(argv0);
		start = argv0;
		for (slash = argv0; slash < end; slash++)
			if (*slash == '/')
				start = slash + 1;
		if (start < end && *start == '-')
			start++;
		if (start < end) {
			*len = (gsize)(end - start);
			return start;
		}
	}
	*len = strlen(comm);
	return comm;
}
