/* source-peek.c: a look at the first bytes of a path the user named, to tell a JSON report from a recording (source layer) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source-peek.h"
#include "source-private.h"

gboolean mem_source_peek_json(const char *path, gboolean *is_json, GError **error)
{
	unsigned char buf[256];
	struct stat st;
	ssize_t n;
	off_t off;
	gsize i = 0;
	int fd, err;

	*is_json = FALSE;
	if (strcmp(path, "-") == 0) {
		fd = dup(STDIN_FILENO); /* a file (< report.json) can be peeked at with pread; a pipe cannot */
		if (fd < 0)
			return TRUE;
	} else {
		do
			fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		while (fd < 0 && errno == EINTR);
		if (fd < 0)
			goto fail;
	}
	if (fstat(fd, &st) < 0) {
		if (strcmp(path, "-") == 0) {
			close(fd);
			return TRUE;
		}
		goto fail_fd;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return TRUE;
	}
	if ((off = lseek(fd, 0, SEEK_CUR)) < 0) /* stdin: where the reader will start */
		off = 0;
	do
		n = pread(fd, buf, sizeof buf, off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		goto fail_fd;
	close(fd);
	if (n >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf)
		i = 3;
	while (i < (gsize)n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	*is_json = i < (gsize)n && (buf[i] == '{' || buf[i] == '[');
	return TRUE;
fail_fd:
	err = errno;
	close(fd);
	errno = err;
fail:
	mem_source_set_open_error(error, path, errno);
	return FALSE;
}
