/* object-id.h: which memory object a mapping belongs to, and that object's id, shared by memobjs and memmaps (model layer)
 *
 * A private anonymous mapping (no device and no inode: heap, stack, [anon:NAME], unnamed, [vdso] and
 * the other special mappings) is an object of its own, owned by its process.  Every other mapping
 * belongs to the object (dev, inode), whatever the inode: a SysV segment with shmid 0 maps as
 * "/SYSV00000000 (deleted)" with inode 0 on 00:01, and is still one object for all its attachers.
 *
 * The id names the object in text and JSON, unique in a source and stable across runs over the same
 * recording:
 *   f:MAJ:MIN:INODE   a file or shmem object (device in hex as maps writes it, inode in decimal)
 *   a:PID:ADDR        a private anonymous object (its process, the start address in hex)
 * A forked child's copy of its parent's heap is another object (a:CHILD:ADDR), as its pages are its
 * own once written. */
#pragma once

#include <glib.h>

/* TRUE when a mapping with this device and inode is private anonymous memory. */
gboolean mem_object_is_private_anon(guint32 dev_major, guint32 dev_minor, guint64 inode);

/* "f:" 8+1+8 hex ":" 20 decimal, or "a:" 10 decimal ":" 16 hex, and the NUL. */
#define MEM_OBJECT_ID_LEN 48

/* The id of the object a mapping (dev, inode, start) of process pid belongs to, into buf; returns its
 * length. */
gsize mem_object_id(char buf[MEM_OBJECT_ID_LEN], guint32 dev_major, guint32 dev_minor, guint64 inode,
                    guint32 pid, guint64 start);
