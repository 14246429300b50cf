/* source-zram.c: the live source's "zram" file, made from /sys/block/zram<N>/mm_stat (source layer) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "source-private.h"

/* zram<N>: the devices /sys/block lists (links into /sys/devices/virtual/block). */
static gboolean is_zram(const char *name, guint64 *n)
{
	char *end;

	if (strncmp(name, "zram", 4) != 0 || !g_ascii_isdigit(name[4]) || (name[4] == '0' && name[5]))
		return FALSE;
	*n = g_ascii_strtoull(name + 4, &end, 10);
	return *end == '\0';
}

static gint compare_u64(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;

	return x < y ? -1 : x > y;
}

static gboolean on_entry(const char *name, gpointer data)
{
	guint64 dev;

	if (is_zram(name, &dev) && dev <= G_MAXUINT32)
		g_array_append_val((GArray *)data, dev);
	return TRUE;
}

/* The device numbers in the block directory, ascending: 0 or an errno. */
static int list_devices(int blockfd, GArray *devs)
{
	int err = mem_source_each_entry(blockfd, on_entry, devs);

	g_array_sort(devs, compare_u64);
	return err;
}

/* One device's "zramN MM_STAT\n" appended to out: 0, or an errno (ENOENT when the device went away
 * between the listing and the open: it is left out). */
static int read_device(MemSource *src, int blockfd, guint64 n, GString *out)
{
	char name[32];
	gsize len;
	int dfd, err;

	g_snprintf(name, sizeof name, "zram%" G_GUINT64_FORMAT, n);
	/* The entry is the kernel's link to the device's directory: followed (the only link the source
	 * follows; O_DIRECTORY refuses anything else).  The real /sys's mm_stat is one show() of the
	 * kernel: one open of "zramN/mm_stat" and one read. */
	if (src->trusted) {
		char path[48];
		int fd;

		g_snprintf(path, sizeof path, "%s/mm_stat", name);
		if ((fd = mem_source_open_retry(blockfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			err = errno;
			/* gone since the listing: left out; a device without mm_stat (Linux < 4.1): unknown */
			return err == ENOENT && faccessat(blockfd, name, F_OK, 0) != 0 ? 0 : err;
		}
		err = mem_source_read_fd(src, fd, 0, TRUE, &len);
		close(fd);
	} else {
		if ((dfd = mem_source_open_retry(blockfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			return errno == ENOENT ? 0 : errno;
		err = mem_source_read_file(src, dfd, "mm_stat", FALSE, &len);
		close(dfd);
	}
	if (err)
		return err; /* unreadable, or no mm_stat (Linux < 4.1): the sum is unknown */
	g_string_append_printf(out, "%s ", name);
	g_string_append_len(out, src->buf, (gssize)len);
	if (!len || src->buf[len - 1] != '\n')
		g_string_append_c(out, '\n');
	return 0;
}

int mem_source_read_zram(MemSource *src, gsize *len)
{
	g_autofree char *dir = src->trusted ? g_strdup("/sys/block") : g_build_filename(src->path, "..", "sys", "block", NULL);
	g_autoptr(GArray) devs = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_autoptr(GString) out = g_string_new(NULL);
	int blockfd, err;

	*len = 0;
	if ((blockfd = mem_source_open_retry(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno;
	err = list_devices(blockfd, devs);
	for (guint i = 0; !err && i < devs->len; i++)
		err = read_device(src, blockfd, g_array_index(devs, guint64, i), out);
	close(blockfd);
	if (err)
		return err;
	if (out->len > mem_source_max_file_size())
		return EFBIG;
	mem_source_reserve(src, out->len);
	memcpy(src->buf, out->str, out->len);
	src->buf[out->len] = '\0';
	*len = out->len;
	return 0;
}
