/* source-cgmem.c: a cgroup v2 filesystem's memory files, opened below its root without following links (source layer) */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "source-cgmem.h"
#include "source-private.h"

struct _MemCgroupFs {
	MemSource *src;       /* a reference */
	int rootfd;
	char *root;
};

MemCgroupFs *mem_cgroup_fs_open(MemSource *src, GError **error)
{
	g_autofree char *root = NULL;
	MemCgroupFs *fs;
	int fd;

	if (src->kind != MEM_SOURCE_LIVE) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_NOT_FOUND,
		            "%s: a recording holds no cgroup files (memory.current, memory.stat): cgroups are read live",
		            src->display);
		return NULL;
	}
	if (src->trusted) {
		if (!(root = mem_source_cgroup2_mount(src))) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_NOT_FOUND,
			            "no cgroup v2 filesystem mounted at its root (/proc/self/mountinfo)");
			return NULL;
		}
	} else {
		root = g_build_filename(src->path, "..", "sys", "fs", "cgroup", NULL);
	}
	do
		fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		int err = errno;

		g_set_error(error, MEM_ERROR, mem_error_from_errno(err), "%s: %s%s", root, g_strerror(err),
		            src->trusted ? "" : " (--proc-root DIR reads the cgroups at DIR/../sys/fs/cgroup)");
		return NULL;
	}
	fs = g_new0(MemCgroupFs, 1);
	fs->src = mem_source_ref(src);
	fs->rootfd = fd;
	fs->root = g_steal_pointer(&root);
	return fs;
}

void mem_cgroup_fs_free(MemCgroupFs *fs)
{
	if (!fs)
		return;
	close(fs->rootfd);
	mem_source_free(fs->src);
	g_free(fs->root);
	g_free(fs);
}

const char *mem_cgroup_fs_root(const MemCgroupFs *fs)
{
	return fs->root;
}

/* The directory of the cgroup at `path`, opened one component at a time below the root: an fd (the
 * caller closes it; a dup of the root for "/") or -errno. */
static int open_cgroup(MemCgroupFs *fs, const char *path)
{
	int dfd;

	if (path[0] != '/')
		return -EINVAL;
	if ((dfd = fcntl(fs->rootfd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -errno;
	for (const char *p = path + 1; *p;) {
		const char *slash = strchr(p, '/');
		g_autofree char *comp = slash ? g_strndup(p, (gsize)(slash - p)) : g_strdup(p);
		int next = mem_source_open_dir(dfd, comp); /* EINVAL for "", "." and ".." */

		close(dfd);
		if (next < 0)
			return next;
		dfd = next;
		p = slash ? slash + 1 : p + strlen(p);
	}
	return dfd;
}

int mem_cgroup_fs_read(MemCgroupFs *fs, const char *path, const char *name, const char **data, gsize *len)
{
	int dfd = open_cgroup(fs, path), err;

	*data = NULL;
	if (dfd < 0)
		return -dfd;
	err = mem_source_read_file(fs->src, dfd, name, FALSE, len);
	close(dfd);
	if (!err)
		*data = fs->src->buf;
	return err;
}

int mem_cgroup_fs_children(MemCgroupFs *fs, const char *path, GPtrArray *names)
{
	int dfd = open_cgroup(fs, path);
	DIR *dir;
	struct dirent *d;

	if (dfd < 0)
		return -dfd;
	if (!(dir = fdopendir(dfd))) {
		int err = errno;

		close(dfd);
		return err;
	}
	while ((d = readdir(dir)) != NULL) {
		struct stat st;

		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (d->d_type == DT_DIR ||
		    (d->d_type == DT_UNKNOWN && fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		     S_ISDIR(st.st_mode)))
			g_ptr_array_add(names, g_strdup(d->d_name));
	}
	closedir(dir);
	return 0;
}
