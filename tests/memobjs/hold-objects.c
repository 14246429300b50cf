/* hold-objects.c: test helper that holds memory no process maps, for the live memobjs --hidden test (test layer)
 *
 * Creates a memfd held by an fd only, a /dev/shm file held open but not mapped, a /dev/shm file nobody
 * holds and a SysV segment with nattch 0 (touched, then detached).  Prints one line describing them,
 * then waits until stdin reaches EOF (or SIGTERM/SIGINT) and removes the files and the segment. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#define MEMFD_SIZE (64 * 1024)
#define HELD_SIZE (32 * 1024)
#define ORPHAN_SIZE (16 * 1024)
#define SYSV_SIZE (128 * 1024)

static char held_path[64], orphan_path[64];
static int shmid = -1;

static void cleanup(void)
{
	if (held_path[0])
		unlink(held_path);
	if (orphan_path[0])
		unlink(orphan_path);
	if (shmid >= 0)
		shmctl(shmid, IPC_RMID, NULL);
}

static void on_signal(int sig)
{
	(void)sig;
	cleanup();
	_exit(0);
}

static void die(const char *what)
{
	fprintf(stderr, "hold-objects: %s: %s\n", what, strerror(errno));
	cleanup();
	exit(1);
}

/* Writes n bytes of non-zero data so that the pages are allocated. */
static void fill(int fd, size_t n)
{
	char buf[4096];

	memset(buf, 0x5a, sizeof buf);
	for (size_t done = 0; done < n; done += sizeof buf)
		if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
			die("write");
}

static unsigned long long inode_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		die("fstat");
	return (unsigned long long)st.st_ino;
}

int main(void)
{
	int memfd, held, orphan;
	char *p, c;
	unsigned long long memfd_ino, held_ino, orphan_ino;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	memfd = memfd_create("memobjs-held", MFD_CLOEXEC);
	if (memfd < 0)
		die("memfd_create");
	fill(memfd, MEMFD_SIZE);
	memfd_ino = inode_of(memfd);

	snprintf(held_path, sizeof held_path, "/dev/shm/memobjs-held-%d", (int)getpid());
	/* Readable by everyone, as many /dev/shm files are: an unprivileged memobjs then sees the file,
	 * but not the fd that holds it (unprivileged-hidden.sh). */
	held = open(held_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (held < 0 || fchmod(held, 0644) != 0)
		die(held_path);
	fill(held, HELD_SIZE);
	held_ino = inode_of(held);

	snprintf(orphan_path, sizeof orphan_path, "/dev/shm/memobjs-orphan-%d", (int)getpid());
	orphan = open(orphan_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (orphan < 0 || fchmod(orphan, 0644) != 0)
		die(orphan_path);
	fill(orphan, ORPHAN_SIZE);
	orphan_ino = inode_of(orphan);
	close(orphan);

	shmid = shmget(IPC_PRIVATE, SYSV_SIZE, IPC_CREAT | 0600);
	if (shmid < 0)
		die("shmget");
	p = shmat(shmid, NULL, 0);
	if (p == (void *)-1)
		die("shmat");
	memset(p, 0x5a, SYSV_SIZE);
	shmdt(p);

	printf("pid=%d memfd_ino=%llu memfd_size=%d held=%s held_ino=%llu held_size=%d "
	       "orphan=%s orphan_ino=%llu orphan_size=%d shmid=%d sysv_size=%d\n",
	       (int)getpid(), memfd_ino, MEMFD_SIZE, held_path, held_ino, HELD_SIZE, orphan_path, orphan_ino,
	       ORPHAN_SIZE, shmid, SYSV_SIZE);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	cleanup();
	return 0;
}
