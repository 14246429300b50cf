/* source-cgmem.h: a cgroup v2 filesystem's memory files (memory.current, memory.stat), read through the source (source layer)
 *
 * Where the cgroup filesystem is: for the real /proc, the cgroup2 mount of this process's mount
 * namespace at its root (/proc/self/mountinfo); for --proc-root DIR, DIR/../sys/fs/cgroup (a copy of
 * a machine's /proc beside its /sys, as a container's or a chroot's root holds them); a recording
 * holds no cgroup files: MEM_ERROR_NOT_FOUND says so.  A cgroup's files are opened below that root
 * one path component at a time, never through a symbolic link (ELOOP), never above the root ("." and
 * ".." components are EINVAL). */
#pragma once

#include <glib.h>

#include "source.h"

typedef struct _MemCgroupFs MemCgroupFs;

/* The cgroup v2 filesystem of src, or NULL with MEM_ERROR_NOT_FOUND (a recording, no cgroup2 mount,
 * no DIR/../sys/fs/cgroup) or another MEM_ERROR. */
MemCgroupFs *mem_cgroup_fs_open(MemSource *src, GError **error);
void mem_cgroup_fs_free(MemCgroupFs *fs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemCgroupFs, mem_cgroup_fs_free)

/* The directory it reads ("/sys/fs/cgroup"), for messages and JSON. */
const char *mem_cgroup_fs_root(const MemCgroupFs *fs);

/* Reads file `name` of the cgroup at `path` ("/", "/a/b" as /proc/PID/cgroup names it): 0 and the
 * content in *data (NUL-terminated, len bytes, valid until the next read of the source), or an errno
 * (ENOENT: no such cgroup or file, e.g. no memory controller there). */
int mem_cgroup_fs_read(MemCgroupFs *fs, const char *path, const char *name, const char **data, gsize *len);

/* The names of the cgroups right below `path` (its subdirectories; links are not cgroups and are
 * left out), appended to `names` (char*, owned by the caller's array): 0 or an errno. */
int mem_cgroup_fs_children(MemCgroupFs *fs, const char *path, GPtrArray *names);
