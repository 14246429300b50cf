/* parse-recording.c: what memcap adds to a recording: <pid>/fds, dev-shm and memcap.info (parser layer) */
#include "config.h"

#include "error.h"
#include "parse-util.h"

static void rec_file_clear(gpointer data)
{
	MemRecFile *f = data;

	g_free(f->name);
	f->name = NULL;
}

/* One decimal field followed by exactly one space; *p moves past the space. */
static gboolean dec_field(const char **p, const char *le, guint64 *v)
{
	const char *e;

	if (!mem_parse_u64(*p, le, v, &e) || e >= le || *e != ' ')
		return FALSE;
	*p = e + 1;
	return TRUE;
}

static gboolean hex_field(const char **p, const char *le, guint64 *v)
{
	const char *e;

	if (!mem_parse_x64(*p, le, v, &e) || e >= le || *e != ' ')
		return FALSE;
	*p = e + 1;
	return TRUE;
}

/* Decodes "\\" and "\n" of p..le into a new string; FALSE on another escape, a lone backslash or a NUL. */
static gboolean unescape_name(const char *p, const char *le, char **out, gsize *out_len)
{
	GString *s = g_string_sized_new((gsize)(le - p) + 1);

	for (; p < le; p++) {
		char c = *p;

		if (c == '\0')
			goto bad;
		if (c == '\\') {
			if (p + 1 >= le || (p[1] != '\\' && p[1] != 'n'))
				goto bad;
			c = p[1] == 'n' ? '\n' : '\\';
			p++;
		}
		g_string_append_c(s, c);
	}
	*out_len = s->len;
	*out = g_string_free(s, FALSE);
	return TRUE;
bad:
	g_string_free(s, TRUE);
	return FALSE;
}

/* Linux's st_dev encoding (new_decode_dev of a 64-bit dev_t, as glibc's major()/minor()). */
static void split_dev(guint64 dev, guint32 *maj, guint32 *min)
{
	*maj = (guint32)(((dev >> 8) & 0xfffu) | ((dev >> 32) & ~(guint64)0xfffu));
	*min = (guint32)((dev & 0xffu) | ((dev >> 12) & ~(guint64)0xffu));
}

static gboolean parse_rec_line(const char *p, const char *le, gboolean with_fd, guint line, MemRecFile *f,
                               GError **error)
{
	const char *start = p;
	guint64 fd = 0, dev, mode, blocks, blksize;
	const char *what;

	f->fd = -1;
	f->line = line;
	if (with_fd && !dec_field(&p, le, &fd)) {
		what = "FD";
		goto bad;
	}
	if (fd > G_MAXINT32) {
		what = "FD";
		goto bad;
	}
	if (!dec_field(&p, le, &dev)) {
		what = "DEV";
		goto bad;
	}
	if (!dec_field(&p, le, &f->inode)) {
		what = "INODE";
		goto bad;
	}
	if (!hex_field(&p, le, &mode) || mode > G_MAXUINT32) {
		what = "MODE";
		goto bad;
	}
	if (!dec_field(&p, le, &f->size)) {
		what = "SIZE";
		goto bad;
	}
	if (!dec_field(&p, le, &blocks)) {
		what = "BLOCKS";
		goto bad;
	}
	if (!dec_field(&p, le, &blksize)) {
		what = "BLKSIZE";
		goto bad;
	}
	if (!g_uint64_checked_mul(&f->alloc, blocks, blksize)) {
		mem_parse_fail(error, MEM_ERROR_PARSE, line, "BLOCKS x BLKSIZE overflows 64 bits");
		return FALSE;
	}
	if (!unescape_name(p, le, &f->name, &f->name_len)) {
		g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));
		mem_parse_fail(error, MEM_ERROR_PARSE, line, "%s: a NUL or an escape other than \\\\ and \\n: '%s'",
		               with_fd ? "TARGET" : "NAME", ex);
		return FALSE;
	}
	if (f->name_len == 0) {
		g_clear_pointer(&f->name, g_free);
		what = with_fd ? "TARGET" : "NAME";
		goto bad;
	}
	f->fd = with_fd ? (gint64)fd : -1;
	split_dev(dev, &f->dev_major, &f->dev_minor);
	f->mode = (guint32)mode;
	return TRUE;
bad: {
	g_autofree char *ex = mem_parse_excerpt(start, (gsize)(le - start));
	mem_parse_fail(error, MEM_ERROR_PARSE, line, "%s missing or malformed in '%s'", what, ex);
	return FALSE;
}
}

/* A line of p..le (le the '\n' or limit) within the bounds, ended by a newline. */
static gboolean line_ok(const char *p, const char *le, const char *limit, guint line, GError **error)
{
	if ((gsize)(le - p) > MEM_REC_MAX_LINE) {
		mem_parse_fail(error, MEM_ERROR_PARSE, line, "line longer than %u bytes", MEM_REC_MAX_LINE);
		return FALSE;
	}
	if (le == limit) {
		mem_parse_fail(error, MEM_ERROR_TRUNCATED, line, "last line without a newline");
		return FALSE;
	}
	return TRUE;
}

GArray *mem_parse_rec_files(const char *buf, gsize len, gboolean with_fd, GError **error)
{
	g_autoptr(GArray) files = g_array_new(FALSE, TRUE, sizeof(MemRecFile));
	const char *p = buf, *limit = buf + len;
	guint line = 0;

	g_array_set_clear_func(files, rec_file_clear);
	while (p < limit) {
		const char *le = mem_line_end(p, limit);
		MemRecFile f = { 0 };

		if (++line > MEM_REC_MAX_LINES) {
			mem_parse_fail(error, MEM_ERROR_PARSE, line, "more than %u lines", MEM_REC_MAX_LINES);
			return NULL;
		}
		if (!line_ok(p, le, limit, line, error) || !parse_rec_line(p, le, with_fd, line, &f, error))
			return NULL;
		g_array_append_val(files, f);
		p = le + 1;
	}
	return g_steal_pointer(&files);
}

void mem_rec_info_clear(MemRecInfo *info)
{
	g_free(info->tool);
	g_free(info->cmdline);
	g_free(info->pids);
	memset(info, 0, sizeof *info);
}

/* A text value: any bytes but NUL (the line ends at '\n'), at least one. */
static gboolean text_value(const char *p, const char *le, char **out)
{
	if (p >= le || memchr(p, '\0', (gsize)(le - p)))
		return FALSE;
	g_free(*out);
	*out = g_strndup(p, (gsize)(le - p));
	return TRUE;
}

static gboolean number_value(const char *p, const char *le, guint64 max, guint64 *v)
{
	const char *e;

	return mem_parse_u64(p, le, v, &e) && e == le && *v <= max;
}

gboolean mem_parse_memcap_info(const char *buf, gsize len, MemRecInfo *info, GError **error)
{
	const char *p = buf, *limit = buf + len;
	guint line = 0;

	memset(info, 0, sizeof *info);
	while (p < limit) {
		const char *le = mem_line_end(p, limit), *sp;
		gsize klen;
		gboolean ok = TRUE;
		guint64 v;

		if (!line_ok(p, le, limit, ++line, error))
			goto fail;
		sp = memchr(p, ' ', (gsize)(le - p));
		klen = (gsize)((sp ? sp : le) - p);
#define KEY_IS(k) (klen == sizeof(k) - 1 && memcmp(p, k, klen) == 0)
		if (!sp) {
			ok = !(KEY_IS("format") || KEY_IS("tool") || KEY_IS("time") || KEY_IS("pagesize") ||
			       KEY_IS("cmdline") || KEY_IS("uid") || KEY_IS("pids"));
		} else if (KEY_IS("format")) {
			ok = info->has_format = number_value(sp + 1, le, G_MAXUINT32, &info->format);
		} else if (KEY_IS("time")) {
			ok = info->has_time = number_value(sp + 1, le, G_MAXINT64, &v);
			info->time = (gint64)v;
		} else if (KEY_IS("pagesize")) {
			ok = info->has_pagesize = number_value(sp + 1, le, (guint64)1 << 30, &info->pagesize) &&
			                          info->pagesize >= 512 && (info->pagesize & (info->pagesize - 1)) == 0;
		} else if (KEY_IS("uid")) {
			ok = info->has_uid = number_value(sp + 1, le, G_MAXUINT32, &v);
			info->uid = (guint32)v;
		} else if (KEY_IS("tool")) {
			ok = text_value(sp + 1, le, &info->tool);
		} else if (KEY_IS("cmdline")) {
			ok = text_value(sp + 1, le, &info->cmdline);
		} else if (KEY_IS("pids")) {
			ok = text_value(sp + 1, le, &info->pids);
		}
#undef KEY_IS
		if (!ok) {
			g_autofree char *ex = mem_parse_excerpt(p, (gsize)(le - p));
			mem_parse_fail(error, MEM_ERROR_PARSE, line, "malformed value in '%s'", ex);
			goto fail;
		}
		p = le + 1;
	}
	return TRUE;
fail:
	mem_rec_info_clear(info);
	return FALSE;
}
