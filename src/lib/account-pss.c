/* account-pss.c: Σ PSS over processes as signed bytes, with its anon/file/shmem split and what was left out (accounting layer) */
#include "config.h"

#include <string.h>

#include "account-pss.h"

gboolean mem_process_figure(const MemProcess *p, MemField f, gint64 *v)
{
	guint64 u;

	if (!mem_process_value(p, f, &u) || u > (guint64)G_MAXINT64)
		return FALSE;
	*v = (gint64)u;
	return TRUE;
}

void mem_pss_sum_init(MemPssSum *s)
{
	memset(s, 0, sizeof *s);
	s->split = TRUE;
}

static gint64 add(MemPssSum *s, gint64 x, gint64 y)
{
	gint64 r;

	if (__builtin_add_overflow(x, y, &r))
		s->overflow = TRUE;
	return r;
}

void mem_pss_sum_add(MemPssSum *s, const MemProcess *p)
{
	gint64 pss, anon, file, shmem;

	if (p->state == MEM_PROC_OK && mem_process_figure(p, MEM_F_PSS, &pss)) {
		s->readable++;
		s->pss = add(s, s->pss, pss);
		if (!mem_process_figure(p, MEM_F_PSS_ANON, &anon) || !mem_process_figure(p, MEM_F_PSS_FILE, &file) ||
		    !mem_process_figure(p, MEM_F_PSS_SHMEM, &shmem)) {
			s->split = FALSE;
			return;
		}
		s->anon = add(s, s->anon, anon);
		s->file = add(s, s->file, file);
		s->shmem = add(s, s->shmem, shmem);
	} else if (p->state == MEM_PROC_UNREADABLE || p->state == MEM_PROC_SKIPPED || p->state == MEM_PROC_OK) {
		s->unreadable++;
		if (p->has_status_rss && p->status_rss <= (guint64)G_MAXINT64) {
			s->unreadable_rss = add(s, s->unreadable_rss, (gint64)p->status_rss);
			s->unreadable_rss_n++;
		}
	} else {
		s->other++;
	}
}
