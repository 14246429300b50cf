/* source-tasks.c: the threads of a process, PID/task/TID/stat of the live /proc or --proc-root, read after a scan (source layer) */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "source-private.h"

/* The tids listed in the task directory taskfd (not closed), ascending. */
static GArray *list_tids(int taskfd)
{
	GArray *tids = g_array_new(FALSE, FALSE, sizeof(guint32));
	int fd = dup(taskfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return tids;
	}
	while ((e = readdir(d))) {
		guint32 tid;
		if (mem_source_parse_pid(e->d_name, strlen(e->d_name), &tid))
			g_array_append_val(tids, tid);
	}
	closedir(d);
	qsort(tids->data, tids->len, sizeof(guint32), mem_pid_compare);
	return tids;
}

gboolean mem_source_tasks(MemSource *src, guint32 pid, MemTaskFunc func, gpointer data, GError **error)
{
	g_autoptr(GArray) tids = NULL;
	char name[16];
	int piddir, taskfd;

	if (src->kind != MEM_SOURCE_LIVE) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_NOT_FOUND, "a recording holds no threads");
		return FALSE;
	}
	g_snprintf(name, sizeof name, "%" G_GUINT32_FORMAT, pid);
	piddir = mem_source_open_dir(src->rootfd, name);
	if (piddir < 0)
		return TRUE; /* gone: no threads to tell */
	taskfd = mem_source_open_dir(piddir, "task");
	close(piddir);
	if (taskfd < 0)
		return TRUE;
	tids = list_tids(taskfd);
	for (guint i = 0; i < tids->len; i++) {
		guint32 tid = g_array_index(tids, guint32, i);
		int tdir, fd, err = 0;
		gsize len = 0;
		gboolean go;

		g_snprintf(name, sizeof name, "%" G_GUINT32_FORMAT, tid);
		tdir = mem_source_open_dir(taskfd, name);
		if (tdir < 0)
			continue; /* the thread ended since the listing */
		fd = mem_source_open_file(src, tdir, "stat");
		close(tdir);
		if (fd < 0)
			err = -fd;
		else {
			err = mem_source_read_fd(src, fd, 0, mem_source_one_shot(src, MEM_FILE_STAT), &len);
			close(fd);
		}
		if (err == ENOENT || err == ESRCH)
			continue;
		go = func(pid, tid, err ? NULL : src->buf, err ? 0 : len, err, data);
		mem_source_release_big(src);
		if (!go)
			break;
	}
	close(taskfd);
	return TRUE;
}
