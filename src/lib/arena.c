/* arena.c: bump allocation from malloc'd, then huge-page-sized chunks (base layer) */
#include "config.h"

#include <string.h>
#include <sys/mman.h>

#include "arena.h"

#define SMALL_CHUNK ((gsize)64 * 1024)
#define SMALL_TOTAL ((gsize)256 * 1024) /* malloc'd chunks up to this much, then huge ones */
#define HUGE_CHUNK ((gsize)2 * 1024 * 1024)
#define ALIGN 16

typedef struct {
	char *base;
	gsize size;
	gboolean mapped;      /* mmap'd (munmap), else malloc'd (g_free) */
} Chunk;

struct _MemArena {
	GArray *chunks;       /* Chunk */
	char *next, *end;     /* free space in the last chunk */
	gsize used;           /* bytes handed out */
	gsize small;          /* bytes in malloc'd chunks */
};

MemArena *mem_arena_new(void)
{
	MemArena *a = g_new0(MemArena, 1);

	a->chunks = g_array_new(FALSE, FALSE, sizeof(Chunk));
	return a;
}

/* A chunk of `size` bytes mapped at a 2 MiB boundary, so that the kernel can back it with one huge
 * page; NULL when mmap fails. */
static char *map_huge(gsize size)
{
	gsize span = size + HUGE_CHUNK;
	char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *base;

	if (raw == MAP_FAILED)
		return NULL;
	base = (char *)(((guintptr)raw + HUGE_CHUNK - 1) & ~(guintptr)(HUGE_CHUNK - 1));
	if (base > raw)
		munmap(raw, (gsize)(base - raw));
	if (base + size < raw + span)
		munmap(base + size, (gsize)(raw + span - (base + size)));
#ifdef MADV_HUGEPAGE
	madvise(base, size, MADV_HUGEPAGE); /* a hint: ignored where huge pages are off */
#endif
	return base;
}

static void add_chunk(MemArena *a, gsize need)
{
	Chunk c = { NULL, 0, FALSE };

	if (a->small + SMALL_CHUNK <= SMALL_TOTAL && need <= SMALL_CHUNK) {
		c.size = SMALL_CHUNK;
		c.base = g_malloc0(c.size);
		a->small += c.size;
	} else {
		c.size = (need + HUGE_CHUNK - 1) / HUGE_CHUNK * HUGE_CHUNK;
		c.base = map_huge(c.size);
		c.mapped = c.base != NULL;
		if (!c.base)
			c.base = g_malloc0(c.size);
	}
	g_array_append_val(a->chunks, c);
	a->next = c.base;
	a->end = c.base + c.size;
}

gpointer mem_arena_alloc0(MemArena *a, gsize size)
{
	gsize need = (size + ALIGN - 1) / ALIGN * ALIGN;
	char *p;

	if (need == 0)
		need = ALIGN;
	if ((gsize)(a->end - a->next) < need)
		add_chunk(a, need);
	p = a->next;
	a->next += need;
	a->used += need;
	return p; /* fresh from g_malloc0 or an anonymous mapping: zeroed */
}

gsize mem_arena_used(const MemArena *a)
{
	return a->used;
}

void mem_arena_free(MemArena *a)
{
	if (!a)
		return;
	for (guint i = 0; i < a->chunks->len; i++) {
		Chunk *c = &g_array_index(a->chunks, Chunk, i);
		if (c->mapped)
			munmap(c->base, c->size);
		else
			g_free(c->base);
	}
	g_array_unref(a->chunks);
	g_free(a);
}
