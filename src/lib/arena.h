/* arena.h: bump allocation of many small zeroed records that live until the arena is freed (base layer)
 *
 * memobjs keeps ~15 000 objects and a table row for each: allocated one by one, every fresh page is a
 * page fault, and in a virtual machine a fault costs microseconds.  An arena hands records out of
 * chunks: small malloc'd ones first (256 KiB in all), so that a small run (memps, one process) stays
 * small, then 2 MiB chunks aligned for transparent huge pages (one fault instead of 512 where the
 * kernel allows them on request: /sys/kernel/mm/transparent_hugepage/enabled is "madvise" or
 * "always").
 * Not thread-safe: one arena per thread. */
#pragma once

#include <glib.h>

typedef struct _MemArena MemArena;

MemArena *mem_arena_new(void);
/* Zeroed memory for `size` bytes, aligned for any record (16 bytes); never NULL. */
gpointer mem_arena_alloc0(MemArena *a, gsize size);
/* Bytes handed out so far. */
gsize mem_arena_used(const MemArena *a);
void mem_arena_free(MemArena *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemArena, mem_arena_free)
