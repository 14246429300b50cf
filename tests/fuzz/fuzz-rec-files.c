/* fuzz-rec-files.c: libFuzzer harness for a recording's <pid>/fds and dev-shm through mem_parse_rec_files (parser layer fuzzing) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz-common.h"
#include "parse.h"

/* The first byte picks the form (fds or dev-shm); the rest is the file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gboolean with_fd;
	GError *err = NULL;
	GArray *files;

	if (size == 0)
		return 0;
	with_fd = data[0] & 1;
	files = mem_parse_rec_files((const char *)data + 1, size - 1, with_fd, &err);
	if (!files) {
		check_error(err);
		return 0;
	}
	if (err || files->len > MEM_REC_MAX_LINES)
		abort();
	for (guint i = 0; i < files->len; i++) {
		const MemRecFile *f = &g_array_index(files, MemRecFile, i);
		/* a decoded name is never longer than its escaped form, holds no NUL and is terminated */
		if (!f->name || f->name_len == 0 || f->name_len > MEM_REC_MAX_LINE || strlen(f->name) != f->name_len)
			abort();
		if ((f->fd >= 0) != with_fd || f->line != i + 1)
			abort();
	}
	g_array_unref(files);
	return 0;
}
