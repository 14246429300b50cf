/* fuzz-tar.c: libFuzzer harness for the tar recording reader: an archive scanned through the tar backend with every file wanted (source layer fuzzing) */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "fuzz-common.h"
#include "source-private.h"
#include "source.h"

#define WANT_ALL (MEM_FILE_PER_PID_MASK | MEM_FILE_MEMINFO | MEM_FILE_VERSION | MEM_FILE_SYSVIPC_SHM | \
                  MEM_FILE_PASSWD | MEM_FILE_DEV_SHM | MEM_FILE_MEMCAP_INFO)
#define MAX_MEMBER 65536

/* What a consumer may rely on for every delivery. */
static gboolean check_file(const MemFile *f, gpointer user_data, GError **error)
{
	guint *n = user_data;

	(void)error;
	if (!f->data || !mem_file_path(f) || f->data[f->len] != '\0' || f->len > MAX_MEMBER || f->more || f->thread)
		abort();
	if (f->err && f->len)
		abort();
	if (f->pid == 0 && (f->file & MEM_FILE_PER_PID_MASK))
		abort();
	if (f->pid != 0 && !(f->file & MEM_FILE_PER_PID_MASK))
		abort();
	if (!mem_source_file_name(f->file))
		abort();
	for (const char *p = mem_file_path(f); *p; p++)
		if ((unsigned char)*p < 0x20)
			abort();
	(*n)++;
	return TRUE;
}

/* A failed scan says why in our domain, with one of the codes the tar reader documents. */
static void check_scan_error(GError *err)
{
	if (!err || err->domain != MEM_ERROR)
		abort();
	switch (err->code) {
	case MEM_ERROR_PARSE:
	case MEM_ERROR_UNSAFE:
	case MEM_ERROR_TOO_LARGE:
	case MEM_ERROR_NOT_FOUND:
		break;
	default:
		abort();
	}
	g_error_free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const MemScanFlags flags[] = { 0, MEM_SCAN_SMAPS_FALLBACK };
	static const guint32 some[] = { 1, 42, 100 };
	int fd = memfd_create("fuzz-tar", MFD_CLOEXEC);
	GError *err = NULL;
	MemSource *src;

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	mem_source_set_max_file_size(MAX_MEMBER);
	src = mem_source_tar_open("fuzz.tar", fd, &err);
	if (!src)
		abort(); /* libarchive is there: opening never reads */
	for (gsize i = 0; i < G_N_ELEMENTS(flags); i++) {
		guint n = 0;

		if (lseek(fd, 0, SEEK_SET) != 0)
			abort();
		if (!mem_source_scan(src, WANT_ALL, flags[i], i ? some : NULL, i ? G_N_ELEMENTS(some) : 0, check_file,
		                     &n, &err))
			check_scan_error(g_steal_pointer(&err));
	}
	mem_source_free(src);
	return 0;
}
