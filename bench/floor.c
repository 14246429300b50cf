/* floor.c: the bench's parallel floor (bench layer): reads one file of every /proc pid on N threads */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * floor [-j THREADS] NAME
 *
 * Lists /proc once, then THREADS threads (default: one per CPU) take the pids in turn from a shared
 * counter and read /proc/PID/NAME whole into a buffer of their own, discarding it.  This is the least
 * any tool that reads NAME for every process can cost on this machine when it reads on every CPU:
 * the kernel's work (for smaps_rollup, one page-table walk per process) plus one open/read/close.
 * A file that cannot be read (permission, a process gone) is skipped, as the tools skip it.
 */

static int *pids;
static size_t n_pids;
static atomic_size_t next_pid;
static const char *name;

static void *reader(void *arg)
{
	char path[64];
	size_t cap = 65536;
	char *buf = malloc(cap);

	(void)arg;
	if (!buf)
		return NULL;
	for (;;) {
		size_t i = atomic_fetch_add(&next_pid, 1);
		int fd;

		if (i >= n_pids)
			break;
		snprintf(path, sizeof path, "/proc/%d/%s", pids[i], name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
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
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	size_t cap = 1024;
	pthread_t tid[64];
	struct dirent *de;
	DIR *d;
	int opt;

	while ((opt = getopt(argc, argv, "j:")) != -1) {
		if (opt != 'j')
			goto usage;
		threads = strtol(optarg, NULL, 10);
	}
	if (optind + 1 != argc)
		goto usage;
	name = argv[optind];
	if (threads < 1)
		threads = 1;
	if (threads > 64)
		threads = 64;

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
	free(pids);
	return 0;

usage:
	fputs("usage: floor [-j THREADS] NAME\n", stderr);
	return 2;
}
