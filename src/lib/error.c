/* error.c: the MEM_ERROR GError domain and errno naming (base layer) */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "error.h"

G_DEFINE_QUARK(mem-error-quark, mem_error)

MemErrorCode mem_error_from_errno(int err)
{
	switch (err) {
	case ENOENT:
	case ESRCH:
		return MEM_ERROR_VANISHED;
	case EACCES:
	case EPERM:
		return MEM_ERROR_PERMISSION;
	case ELOOP:
	case EXDEV:
		return MEM_ERROR_UNSAFE;
	case EFBIG:
		return MEM_ERROR_TOO_LARGE;
	default:
		return MEM_ERROR_IO;
	}
}

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EACCES, "EACCES" }, { EPERM, "EPERM" },   { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
	{ EIO, "EIO" },       { EINVAL, "EINVAL" }, { ELOOP, "ELOOP" },   { EFBIG, "EFBIG" },
	{ ENOMEM, "ENOMEM" }, { EINTR, "EINTR" },   { EBUSY, "EBUSY" },   { ENOTDIR, "ENOTDIR" },
	{ EAGAIN, "EAGAIN" },
};

const char *mem_errno_name(int err)
{
	for (gsize i = 0; i < G_N_ELEMENTS(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return NULL;
}

int mem_errno_from_name(const char *name, gsize len)
{
	for (gsize i = 0; i < G_N_ELEMENTS(errno_names); i++)
		if (strlen(errno_names[i].name) == len && memcmp(errno_names[i].name, name, len) == 0)
			return errno_names[i].err;
	return 0;
}
