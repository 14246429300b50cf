/* workload.c: a process family with known kinds of memory for the live and golden tests (test layer) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Layout (sizes are multiples of the page size so the figures are easy to reason about):
 *   parent "workload": private anon (touched), its half of the shared anon area, the memfd, the COW
 *     area, a MAP_SHARED file mapping, a private mapping of a file whose name has spaces, a mapping
 *     of a file deleted while mapped, SysV segment A, two small files mapped privately whose names
 *     hold an ESC sequence ("esc\033[31mname.bin") and a newline ("new\nline.bin"), and one extra
 *     thread (its stack: a ---p guard page then the rw-p stack, memmaps's stack region).
 *   child "wl\033[31mesc": the shared anon area (MAP_SHARED|MAP_ANONYMOUS) and SysV segment A.
 *   children "wl memfd one" and "wl\nnl\xff\xfe": the memfd, read through.
 *   children "wl-cow" x3: the COW area, each writing to its first half.
 *   SysV segment B is created and attached by nobody.
 * Every child signals readiness on a pipe; the parent then prints one pid per line (its own first)
 * and sleeps until SIGTERM/SIGINT, when it kills the children and removes what it created.
 *
 * `workload grow MIB STEPS MS [TAG]` is another mode: one process that prints its pid, then every MS
 * milliseconds maps and touches MIB MiB of private anonymous memory, STEPS times (0: never), and then
 * sleeps until killed: a process whose PSS grows by known steps, for memps -w.  TAG only marks its
 * command line (a test selects its processes by it).
 */

#define KIB 1024UL
#define MIB (1024UL * KIB)

#define PRIVATE_ANON_SIZE (6 * MIB)
#define SHARED_ANON_SIZE (4 * MIB)
#define SHARED_FILE_SIZE (2 * MIB)
#define MEMFD_SIZE (3 * MIB)
#define COW_SIZE (4 * MIB)
#define SHM_A_SIZE (1 * MIB)
#define SHM_B_SIZE (512 * KIB)
#define SMALL_FILE_SIZE (64 * KIB)

#define MAX_CHILDREN 8

static pid_t children[MAX_CHILDREN];
static int n_children;
static int shm_a = -1, shm_b = -1;
static char tmpdir[256];
static char path_shared[320], path_spaces[320], path_deleted[320], path_esc[320], path_nl[320];
static volatile sig_atomic_t stop_requested;
static sigset_t saved_mask;

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void touch(volatile unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i += 4096)
		p[i] = v;
}

static unsigned long read_through(const volatile unsigned char *p, size_t len)
{
	unsigned long sum = 0;

	for (size_t i = 0; i < len; i += 4096)
		sum += p[i];
	return sum;
}

static void *map_anon(size_t len, int shared)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	               (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap anon");
	return p;
}

static void make_file(const char *path, size_t len)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	char block[4096];

	if (fd < 0)
		die(path);
	memset(block, 'w', sizeof(block));
	for (size_t off = 0; off < len; off += sizeof(block))
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			die("write");
	close(fd);
}

static void *map_file(const char *path, size_t len, int shared)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	void *p;

	if (fd < 0)
		die(path);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	close(fd);
	return p;
}

/* The end of a child's life: readiness byte, then sleep until killed (or orphaned). */
static void child_wait(int ready_fd)
{
	char c = 'r';

	if (write(ready_fd, &c, 1) != 1)
		_exit(1);
	close(ready_fd);
	for (;;)
		pause();
}

/* Forks a child that runs setup(arg) then waits; the parent records its pid. */
static void spawn(int ready_fd, const char *comm, void (*setup)(void *), void *arg)
{
	pid_t pid;

	if (n_children == MAX_CHILDREN) {
		fprintf(stderr, "workload: too many children\n");
		exit(1);
	}
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &saved_mask, NULL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		if (prctl(PR_SET_NAME, comm) != 0)
			_exit(1);
		setup(arg);
		child_wait(ready_fd);
	}
	children[n_children++] = pid;
}

struct area {
	unsigned char *p;
	size_t len;
};

static void setup_shared_anon(void *arg)
{
	struct area *a = arg;
	unsigned char *seg;

	(void)read_through(a->p, a->len);
	seg = shmat(shm_a, NULL, 0);
	if (seg == (void *)-1)
		_exit(1);
	(void)read_through(seg, SHM_A_SIZE);
}

static void setup_reader(void *arg)
{
	struct area *a = arg;

	(void)read_through(a->p, a->len);
}

static void setup_cow(void *arg)
{
	struct area *a = arg;

	touch(a->p, a->len / 2, 0xc0);
}

static void cleanup(void)
{
	for (int i = 0; i < n_children; i++)
		kill(children[i], SIGTERM);
	for (int i = 0; i < n_children; i++)
		while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR)
			;
	if (shm_a >= 0)
		shmctl(shm_a, IPC_RMID, NULL);
	if (shm_b >= 0)
		shmctl(shm_b, IPC_RMID, NULL);
	if (path_shared[0])
		unlink(path_shared);
	if (path_spaces[0])
		unlink(path_spaces);
	if (path_deleted[0])
		unlink(path_deleted);
	if (path_esc[0])
		unlink(path_esc);
	if (path_nl[0])
		unlink(path_nl);
	if (tmpdir[0])
		rmdir(tmpdir);
}

/* The extra thread: it touches its frame, says so on the pipe fd arg points to, then only waits; its
 * stack is what the fixture wants.  The parent prints the pids only after that byte: until then the
 * thread's start (and a sanitizer's set-up of it) still moves the process's RSS and mappings. */
static void *idle_thread(void *arg)
{
	volatile unsigned char frame[16 * 1024];
	char c = 't';

	touch(frame, sizeof(frame), 0x55);
	if (write(*(int *)arg, &c, 1) != 1)
		_exit(1);
	for (;;)
		pause();
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static unsigned long grow_arg(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v > 4096) {
		fprintf(stderr, "workload grow: '%s' is not a number up to 4096\n", s);
		exit(2);
	}
	return v;
}

static int grow(int argc, char **argv)
{
	unsigned long mib, steps, ms;

	if (argc < 5) {
		fprintf(stderr, "usage: workload grow MIB STEPS MS [TAG]\n");
		return 2;
	}
	mib = grow_arg(argv[2]);
	steps = grow_arg(argv[3]);
	ms = grow_arg(argv[4]);
	printf("%ld\n", (long)getpid());
	fflush(stdout);
	for (unsigned long i = 0; i < steps; i++) {
		struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		touch(map_anon(mib * MIB, 0), mib * MIB, 0x77);
	}
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block;
	const char *base = getenv("TMPDIR");
	int ready[2], thread_ready[2];
	struct area shared_anon, memfd_area, cow;
	unsigned char *priv, *shared_file, *spaces, *deleted, *seg, *esc, *nl;
	pthread_t thread;
	int mfd;
	char c;

	if (argc > 1 && strcmp(argv[1], "grow") == 0)
		return grow(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Signals are blocked during setup and delivered in sigsuspend() below, so a SIGTERM that comes
	 * early still cleans up everything. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &saved_mask);

	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/memps-workload.XXXXXX", base);
	if (mkdtemp(tmpdir) == NULL) {
		tmpdir[0] = '\0';
		die("mkdtemp");
	}
	snprintf(path_shared, sizeof(path_shared), "%s/shared.bin", tmpdir);
	snprintf(path_spaces, sizeof(path_spaces), "%s/file with spaces.bin", tmpdir);
	snprintf(path_deleted, sizeof(path_deleted), "%s/deleted.bin", tmpdir);
	make_file(path_shared, SHARED_FILE_SIZE);
	make_file(path_spaces, SMALL_FILE_SIZE);
	make_file(path_deleted, SMALL_FILE_SIZE);
	snprintf(path_esc, sizeof(path_esc), "%s/esc\033[31mname.bin", tmpdir);
	snprintf(path_nl, sizeof(path_nl), "%s/new\nline.bin", tmpdir);
	make_file(path_esc, SMALL_FILE_SIZE);
	make_file(path_nl, SMALL_FILE_SIZE);

	if (pipe2(ready, O_CLOEXEC) != 0)
		die("pipe");

	shm_a = shmget(IPC_PRIVATE, SHM_A_SIZE, IPC_CREAT | 0600);
	if (shm_a < 0)
		die("shmget A");
	shm_b = shmget(IPC_PRIVATE, SHM_B_SIZE, IPC_CREAT | 0600);
	if (shm_b < 0)
		die("shmget B");

	/* Shared anon: the parent writes it, one child reads it.  Later children do not inherit it. */
	shared_anon.p = map_anon(SHARED_ANON_SIZE, 1);
	shared_anon.len = SHARED_ANON_SIZE;
	touch(shared_anon.p, shared_anon.len, 0x5a);
	spawn(ready[1], "wl\033[31mesc", setup_shared_anon, &shared_anon);
	if (madvise(shared_anon.p, shared_anon.len, MADV_DONTFORK) != 0)
		die("madvise");

	/* memfd: written by the parent, read by two children. */
	mfd = memfd_create("memps workload", MFD_CLOEXEC);
	if (mfd < 0)
		die("memfd_create");
	if (ftruncate(mfd, MEMFD_SIZE) != 0)
		die("ftruncate memfd");
	memfd_area.p = mmap(NULL, MEMFD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (memfd_area.p == MAP_FAILED)
		die("mmap memfd");
	memfd_area.len = MEMFD_SIZE;
	touch(memfd_area.p, memfd_area.len, 0x3d);
	spawn(ready[1], "wl memfd one", setup_reader, &memfd_area);
	spawn(ready[1], "wl\nnl\xff\xfe", setup_reader, &memfd_area);
	if (madvise(memfd_area.p, memfd_area.len, MADV_DONTFORK) != 0)
		die("madvise");

	/* COW: the parent writes all of it, three children write their first half. */
	cow.p = map_anon(COW_SIZE, 0);
	cow.len = COW_SIZE;
	touch(cow.p, cow.len, 0xc0);
	for (int i = 0; i < 3; i++)
		spawn(ready[1], "wl-cow", setup_cow, &cow);

	/* Parent-only mappings, made after the forks. */
	priv = map_anon(PRIVATE_ANON_SIZE, 0);
	touch(priv, PRIVATE_ANON_SIZE, 0x11);
	shared_file = map_file(path_shared, SHARED_FILE_SIZE, 1);
	touch(shared_file, SHARED_FILE_SIZE, 0x22);
	spaces = map_file(path_spaces, SMALL_FILE_SIZE, 0);
	(void)read_through(spaces, SMALL_FILE_SIZE);
	deleted = map_file(path_deleted, SMALL_FILE_SIZE, 1);
	touch(deleted, SMALL_FILE_SIZE, 0x33);
	if (unlink(path_deleted) != 0)
		die("unlink");
	path_deleted[0] = '\0';
	seg = shmat(shm_a, NULL, 0);
	if (seg == (void *)-1)
		die("shmat");
	touch(seg, SHM_A_SIZE, 0x44);
	esc = map_file(path_esc, SMALL_FILE_SIZE, 0);
	(void)read_through(esc, SMALL_FILE_SIZE / 2);
	nl = map_file(path_nl, SMALL_FILE_SIZE, 0);
	(void)read_through(nl, SMALL_FILE_SIZE);
	/* Signals stay blocked in the thread (it inherits the mask): the main thread takes them. */
	if (pipe2(thread_ready, O_CLOEXEC) != 0)
		die("pipe");
	if (pthread_create(&thread, NULL, idle_thread, &thread_ready[1]) != 0)
		die("pthread_create");
	if (read(thread_ready[0], &c, 1) != 1)
		die("the thread did not start");
	close(thread_ready[0]);
	close(thread_ready[1]);

	close(ready[1]);
	for (int i = 0; i < n_children; i++) {
		ssize_t r = read(ready[0], &c, 1);

		if (r != 1) {
			fprintf(stderr, "workload: a child failed to start\n");
			cleanup();
			return 1;
		}
	}
	close(ready[0]);

	printf("%ld\n", (long)getpid());
	for (int i = 0; i < n_children; i++)
		printf("%ld\n", (long)children[i]);
	fflush(stdout);

	while (!stop_requested)
		sigsuspend(&saved_mask);
	cleanup();
	return 0;
}
