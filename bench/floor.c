/* floor.c: the bench's parallel floor (bench layer): reads files of every /proc pid on N threads */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <mntent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * floor [-j THREADS] [-c] NAME...
 *
 * Lists /proc once, then THREADS threads (default: one per CPU) take the pids in turn from a shared
 * counter and read /proc/PID/NAME, for each NAME in turn, whole into a buffer of their own,
 * discarding it.  This is the least any tool that reads those files for every process can cost on
 * this machine when it reads on every CPU: the kernel's work (for smaps_rollup, one page-table walk
 * per process) plus one open/read/close per file.  A file that cannot be read (permission, a process
 * gone) is skipped, as the tools skip it.
 *
 * With -c, one more thread reads, while the others read the pids, every cgroup.procs of the cgroup
 * hierarchies memps's job rule reads (cgroup2, and v1 name=systemd and memory, as /proc/self/mounts
 * lists them), but for a hierarchy with no cgroup below its root, where every process is in the root:
 * the least that learning every process's cgroup costs.  `floor -c smaps_rollup comm` is the kernel's
 * share of what memps reads for its default view.
 */

static int *pids;
static size_t n_pids;
static atomic_size_t next_pid;
static char **names;
static int n_names;

static void slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, buf, cap);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	close(fd);
}

static void *reader(void *arg)
{
	char path[300];
	size_t cap = 65536;
	char *buf = malloc(cap);

	(void)arg;
	if (!buf)
		return NULL;
	for (;;) {
		size_t i = atomic_fetch_add(&next_pid, 1);

		if (i >= n_pids)
			break;
		for (int k = 0; k < n_names; k++) {
			snprintf(path, sizeof path, "/proc/%d/%s", pids[i], names[k]);
			slurp(path, buf, cap);
		}
	}
	free(buf);
	return NULL;
}

static char *procs_buf;

static int read_procs(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)st;
	(void)ftw;
	if (flag == FTW_F && n >= 13 && strcmp(path + n - 13, "/cgroup.procs") == 0)
		slurp(path, procs_buf, 1 << 20);
	return 0;
}

/* Whether the directory holds a directory (a child cgroup). */
static int has_subdir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d)))
		found = de->d_type == DT_DIR && strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return found;
}

static void *cgroup_walker(void *arg)
{
	struct mntent *m;
	FILE *f = setmntent("/proc/self/mounts", "r");

	(void)arg;
	if (!f || !(procs_buf = malloc(1 << 20)))
		return NULL;
	while ((m = getmntent(f)))
		if ((strcmp(m->mnt_type, "cgroup2") == 0 ||
		     (strcmp(m->mnt_type, "cgroup") == 0 &&
		      (hasmntopt(m, "memory") || hasmntopt(m, "name=systemd")))) &&
		    has_subdir(m->mnt_dir))
			nftw(m->mnt_dir, read_procs, 16, FTW_PHYS | FTW_MOUNT);
	endmntent(f);
	free(procs_buf);
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	size_t cap = 1024;
	pthread_t tid[64], walker;
	int cgroups = 0, walking = 0;
	struct dirent *de;
	DIR *d;
	int opt;

	while ((opt = getopt(argc, argv, "j:c")) != -1) {
		if (opt == 'j')
			threads = strtol(optarg, NULL, 10);
		else if (opt == 'c')
			cgroups = 1;
		else
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	names = argv + optind;
	n_names = argc - optind;
	if (threads < 1)
		threads = 1;
	if (threads > 64)
		threads = 64;
	if (cgroups)
		walking = pthread_create(&walker, NULL, cgroup_walker, NULL) == 0;

	pids = malloc(cap * sizeof *pids);
	d = opendir("/proc");
	if (!pids || !d) {
		perror("floor");
		return 1;
	}
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		if (n_pids == cap) {
			int *more = realloc(pids, 2 * cap * sizeof *pids);
			if (!more) {
				perror("floor");
				return 1;
			}
			pids = more;
			cap *= 2;
		}
		pids[n_pids++] = (int)pid;
	}
	closedir(d);

	for (long t = 1; t < threads; t++)
		if (pthread_create(&tid[t], NULL, reader, NULL) != 0) {
			threads = t;
			break;
		}
	reader(NULL);
	for (long t = 1; t < threads; t++)
		pthread_join(tid[t], NULL);
	if (walking)
		pthread_join(walker, NULL);
	free(pids);
	return 0;

usage:
	fputs("usage: floor [-j THREADS] [-c] NAME...\n", stderr);
	return 2;
}
