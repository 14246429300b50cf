/* spawn.c: load generator and run-timer for `make bench` (bench layer): many processes, many mappings */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The parent forks N small children and one big child.  Every child makes
 * its mappings, reports ready through a pipe and sleeps until it is killed.
 * Each child's mappings are:
 *   - private anonymous pages, all written (private, dirty);
 *   - a MAP_PRIVATE mapping of a temporary file, written where writable
 *     (copy-on-write pages);
 *   - a MAP_SHARED mapping of the same file, read (shared file pages);
 *   - one MAP_SHARED|MAP_ANONYMOUS region the parent made before forking,
 *     read by every child (shared anonymous, PSS split N+1 ways).
 * Inside each mapping adjacent pages alternate PROT_READ and
 * PROT_READ|PROT_WRITE, so the kernel cannot merge them: one page, one VMA.
 * When everybody is ready the parent writes "PID KIND" lines (KIND is
 * parent, small or big) to the pid file and waits for SIGTERM, SIGINT or
 * SIGHUP; then it kills its children, reaps them, removes the temporary
 * file and exits.  Children also die with the parent (PR_SET_PDEATHSIG).
 *
 * With -r RESULT -- COMMAND..., spawn is instead the bench's run-timer: it
 * forks and execs COMMAND, waits for it with wait4() and writes "STATUS
 * WALL_NS MAXRSS_KB" to RESULT.  The bench cannot take ru_maxrss from its
 * own children: Linux carries the peak RSS of the memory image a process
 * had before execve() into its ru_maxrss, so every command run straight
 * from python3 would report at least the interpreter's RSS.  Forked from
 * this small program, the floor is about 1 MB.
 */

#define SHARED_ANON_PAGES 256

static long page_size;

static void die (const char *fmt, ...) __attribute__ ((format (printf, 1, 2), noreturn));

static void
die (const char *fmt, ...)
{
	va_list ap;

	va_start (ap, fmt);
	fputs ("spawn: ", stderr);
	vfprintf (stderr, fmt, ap);
	va_end (ap);
	if (errno)
		fprintf (stderr, ": %s", strerror (errno));
	fputc ('\n', stderr);
	exit (1);
}

/* Alternate the protection of adjacent pages so no two of them merge. */
static void
split_pages (char *base, long npages)
{
	for (long i = 1; i < npages; i += 2)
		if (mprotect (base + i * page_size, page_size, PROT_READ) != 0)
			die ("mprotect");
}

/* Map NPAGES of anonymous memory, write every page, then split it. */
static void
map_anon (long npages)
{
	char *p;

	if (npages <= 0)
		return;
	p = mmap (NULL, npages * page_size, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die ("mmap anon %ld pages", npages);
	for (long i = 0; i < npages; i++)
		memset (p + i * page_size, (int) (i & 0x7f) + 1, 64);
	split_pages (p, npages);
}

/*
 * Map NPAGES of FD (from offset 0) with FLAGS; read every page, write the
 * even ones when the mapping is private (copy-on-write), then split it.
 */
static void
map_file (int fd, long npages, int flags)
{
	volatile char sink = 0;
	char *p;

	if (npages <= 0)
		return;
	p = mmap (NULL, npages * page_size, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED)
		die ("mmap file %ld pages", npages);
	for (long i = 0; i < npages; i++) {
		sink += p[i * page_size];
		if ((flags & MAP_PRIVATE) && i % 2 == 0)
			p[i * page_size] = (char) i;
	}
	(void) sink;
	split_pages (p, npages);
}

/* The body of one child: make about NMAPS mappings, say ready, sleep. */
static void
child_main (long nmaps, int fd, const char *shared, int ready_fd)
{
	volatile char sink = 0;
	long anon = nmaps / 2;
	long priv = nmaps / 4;
	long shrd = nmaps - anon - priv;
	sigset_t set;
	char c = 'r';

	if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0)
		die ("prctl");
	if (getppid () == 1)
		_exit (0);
	for (long i = 0; i < SHARED_ANON_PAGES; i++)
		sink += shared[i * page_size];
	(void) sink;
	map_anon (anon);
	map_file (fd, priv, MAP_PRIVATE);
	map_file (fd, shrd, MAP_SHARED);
	close (fd);
	if (write (ready_fd, &c, 1) != 1)
		die ("write ready");
	close (ready_fd);

	sigemptyset (&set);
	for (;;)
		sigsuspend (&set);
}

/* -r: run ARGV, write "STATUS WALL_NS MAXRSS_KB" to RESULT; STATUS is
 * the exit status, or 128 + the signal that ended it. */
static int
time_command (const char *result, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, code;
	long long ns;
	pid_t pid;
	FILE *f;

	clock_gettime (CLOCK_MONOTONIC, &t0);
	pid = fork ();
	if (pid < 0)
		die ("fork");
	if (pid == 0) {
		execvp (argv[0], argv);
		_exit (127);
	}
	while (wait4 (pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			die ("wait4");
	clock_gettime (CLOCK_MONOTONIC, &t1);
	ns = (long long) (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	code = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
	f = fopen (result, "w");
	if (!f)
		die ("open %s", result);
	fprintf (f, "%d %lld %ld\n", code, ns, (long) ru.ru_maxrss);
	if (fclose (f) != 0)
		die ("write %s", result);
	return 0;
}

static void
usage (FILE *out, int status)
{
	fprintf (out,
		 "usage: spawn [-n CHILDREN] [-m MAPS] [-b BIGMAPS] [-d DIR] -o PIDFILE\n"
		 "       spawn -r RESULT -- COMMAND [ARG...]\n"
		 "  -n  small children to fork (default 400)\n"
		 "  -m  mappings each small child makes (default 40)\n"
		 "  -b  mappings the big child makes (default 5200; 0: no big child)\n"
		 "  -d  directory for the temporary mapped file (default $TMPDIR or /tmp)\n"
		 "  -o  file that receives \"PID KIND\" lines once every child is ready\n"
		 "  -r  run COMMAND and write \"STATUS WALL_NS MAXRSS_KB\" to RESULT\n");
	exit (status);
}

static long
parse_count (const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol (s, &end, 10);
	if (errno || *end || v < 0 || v > 1000000) {
		errno = 0;
		die ("bad %s: %s", what, s);
	}
	return v;
}

int
main (int argc, char **argv)
{
	long nchildren = 400, nmaps = 40, bigmaps = 5200, filepages;
	const char *dir = getenv ("TMPDIR");
	const char *pidfile = NULL, *result = NULL;
	char *path, *tmp_pidfile, *shared;
	pid_t *pids;
	long total, ready = 0;
	int opt, fd, ready_pipe[2], sig;
	sigset_t set;
	FILE *f;

	while ((opt = getopt (argc, argv, "+n:m:b:d:o:r:h")) != -1) {
		switch (opt) {
		case 'b': bigmaps = parse_count (optarg, "-b"); break;
		case 'd': dir = optarg; break;
		case 'h': usage (stdout, 0); break;
		case 'm': nmaps = parse_count (optarg, "-m"); break;
		case 'n': nchildren = parse_count (optarg, "-n"); break;
		case 'o': pidfile = optarg; break;
		case 'r': result = optarg; break;
		default: usage (stderr, 2);
		}
	}
	if (result) {
		if (optind >= argc)
			usage (stderr, 2);
		return time_command (result, argv + optind);
	}
	if (!pidfile || optind != argc)
		usage (stderr, 2);
	if (!dir || !*dir)
		dir = "/tmp";
	page_size = sysconf (_SC_PAGESIZE);

	/* Block the stop signals now; sigwait collects them later. */
	sigemptyset (&set);
	sigaddset (&set, SIGTERM);
	sigaddset (&set, SIGINT);
	sigaddset (&set, SIGHUP);
	if (sigprocmask (SIG_BLOCK, &set, NULL) != 0)
		die ("sigprocmask");

	/* The temporary file every child maps, large enough for the big child. */
	filepages = (bigmaps > nmaps ? bigmaps : nmaps) / 4 + 2;
	if (asprintf (&path, "%s/spawn-map-XXXXXX", dir) < 0)
		die ("asprintf");
	fd = mkstemp (path);
	if (fd < 0)
		die ("mkstemp %s", path);
	{
		char *page = calloc (1, page_size);

		if (!page)
			die ("calloc");
		for (long i = 0; i < filepages; i++) {
			memset (page, (int) (i & 0x7f) + 1, page_size);
			if (write (fd, page, page_size) != page_size)
				die ("write %s", path);
		}
		free (page);
	}

	shared = mmap (NULL, SHARED_ANON_PAGES * page_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		die ("mmap shared");
	for (long i = 0; i < SHARED_ANON_PAGES; i++)
		shared[i * page_size] = (char) i;

	if (pipe (ready_pipe) != 0)
		die ("pipe");
	total = nchildren + (bigmaps > 0);
	pids = calloc (total, sizeof *pids);
	if (!pids)
		die ("calloc");
	fflush (NULL);
	for (long i = 0; i < total; i++) {
		pid_t pid = fork ();

		if (pid < 0) {
			int saved = errno;

			for (long j = 0; j < i; j++)
				kill (pids[j], SIGKILL);
			unlink (path);
			errno = saved;
			die ("fork (child %ld)", i);
		}
		if (pid == 0) {
			close (ready_pipe[0]);
			sigprocmask (SIG_UNBLOCK, &set, NULL);
			child_main (i < nchildren ? nmaps : bigmaps, fd, shared, ready_pipe[1]);
		}
		pids[i] = pid;
	}
	close (ready_pipe[1]);
	close (fd);

	/* Every child writes one byte when ready; EOF early means one died. */
	while (ready < total) {
		char buf[256];
		ssize_t n = read (ready_pipe[0], buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ready += n;
	}
	close (ready_pipe[0]);

	if (ready == total) {
		/* Write then rename, so a reader never sees half a file. */
		if (asprintf (&tmp_pidfile, "%s.tmp", pidfile) < 0)
			die ("asprintf");
		f = fopen (tmp_pidfile, "w");
		if (!f)
			die ("open %s", tmp_pidfile);
		fprintf (f, "%ld parent\n", (long) getpid ());
		for (long i = 0; i < total; i++)
			fprintf (f, "%ld %s\n", (long) pids[i], i < nchildren ? "small" : "big");
		if (fclose (f) != 0 || rename (tmp_pidfile, pidfile) != 0)
			die ("write %s", pidfile);
		free (tmp_pidfile);
		sigwait (&set, &sig);
	} else {
		fprintf (stderr, "spawn: only %ld of %ld children got ready\n", ready, total);
	}

	for (long i = 0; i < total; i++)
		kill (pids[i], SIGKILL);
	for (long i = 0; i < total; i++)
		while (waitpid (pids[i], NULL, 0) < 0 && errno == EINTR)
			;
	unlink (path);
	free (path);
	free (pids);
	return ready == total ? 0 : 1;
}
