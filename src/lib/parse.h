/* parse.h: parsers for /proc files, each over an in-memory buffer (parser layer; no I/O, no printing)
 *
 * Every parser takes (buf, len) — the whole file as read — and never reads past len; buf need not be
 * NUL-terminated and may contain NUL bytes.  On malformed input it returns FALSE with a MEM_ERROR_PARSE
 * (or MEM_ERROR_TRUNCATED) error whose message starts with "line N: "; the caller prefixes the path.
 * Unknown keys are skipped (newer and vendor kernels add fields); missing mandatory ones are errors.
 * Sizes given in kB are converted to bytes; a value whose byte count overflows 64 bits is an error. */
#pragma once

#include <glib.h>

#include "counters.h"
#include "stream.h"

/* ---- maps: one line "start-end perms offset major:minor inode   name" ---- */
typedef struct {
	guint64 start, end;   /* end > start is NOT checked here; the caller decides */
	guint64 offset;
	guint64 inode;
	guint32 dev_major, dev_minor;
	char perms[5];        /* "r-xp", NUL-terminated */
	const char *name;     /* points into the input; may be empty; not NUL-terminated */
	gsize name_len;
} MemMapsLine;

/* Parses one maps line (without its newline). */
gboolean mem_parse_maps_line(const char *line, gsize len, MemMapsLine *out, GError **error);

/* Called once per line of a maps file (lineno 1-based); returning FALSE (with error set) stops the parse. */
typedef gboolean (*MemMapsFunc)(const MemMapsLine *line, guint lineno, gpointer user_data, GError **error);

/* Parses a whole maps file, a line at a time (the model and memobjs's sharer scan both read maps
 * through it).  A last line without '\n' is TRUNCATED.  An empty buffer is valid (no mm). */
gboolean mem_parse_maps(const char *buf, gsize len, MemMapsFunc func, gpointer user_data, GError **error);

/* ---- smaps: a header line per mapping followed by "Key:   N kB" lines and "VmFlags: ..." ---- */
#define MEM_VMA_MAX_EXTRA 16

/* A field the parser does not know (or that is not in kB, such as THPeligible, ProtectionKey). */
typedef struct {
	const char *key;      /* points into the input, without the colon */
	gsize key_len;
	const char *value;    /* the text after the colon, leading spaces skipped, trailing ones kept */
	gsize value_len;
} MemExtraField;

typedef struct {
	MemMapsLine map;
	MemCounters c;
	const char *vmflags;  /* text after "VmFlags:", or NULL when absent */
	gsize vmflags_len;
	MemExtraField extra[MEM_VMA_MAX_EXTRA];
	guint n_extra;        /* extra fields beyond MEM_VMA_MAX_EXTRA are dropped, counted here: */
	guint n_extra_dropped;
	guint line;           /* 1-based line number of the header */
} MemVma;

/* Called once per complete mapping record; returning FALSE (with error set) stops the parse. */
typedef gboolean (*MemVmaFunc)(const MemVma *vma, gpointer user_data, GError **error);

/* Parses a whole smaps file.  Every record must carry Size and Rss; every record must carry the same
 * set of known fields as the first one (a shorter last record means the read was cut: TRUNCATED).
 * A last line without '\n' is TRUNCATED.  An empty buffer is valid (no mm: kernel thread or zombie). */
gboolean mem_parse_smaps(const char *buf, gsize len, MemVmaFunc func, gpointer user_data, GError **error);

/* mem_parse_smaps() over a file that is still being read: (buf, len) is the first window and `more`
 * moves it on (stream.h), so parsing runs while the kernel produces the file.  The parser keeps only
 * the record it is filling (from its header line on) and hands more() everything before it; when the
 * window moves, that record's pointers (map.name, vmflags, extra[].key and .value) move with it.  The
 * pointers in a MemVma given to func are valid during that call only. */
gboolean mem_parse_smaps_more(const char *buf, gsize len, MemMoreFunc more, gpointer more_data,
                              MemVmaFunc func, gpointer user_data, GError **error);

/* Parses smaps_rollup (a "[rollup]" header then fields).  Rss and Pss are mandatory.
 * Sets out->known for fields present.  An empty buffer is an error (MEM_ERROR_PARSE). */
gboolean mem_parse_smaps_rollup(const char *buf, gsize len, MemCounters *out, GError **error);

/* Names (stat's comm, status's Name) are cut to MEM_NAME_MAX bytes: the kernel writes at most 64
 * (a kernel thread's full name), so only a hostile file is cut, and a name costs bounded memory in
 * every row that shows it. */
#define MEM_NAME_MAX 256

/* ---- status ---- */
typedef enum {
	MEM_STATUS_NAME = 1 << 0,
	MEM_STATUS_STATE = 1 << 1,
	MEM_STATUS_PPID = 1 << 2,
	MEM_STATUS_UID = 1 << 3,
	MEM_STATUS_VM_SIZE = 1 << 4,
	MEM_STATUS_VM_RSS = 1 << 5,
	MEM_STATUS_RSS_ANON = 1 << 6,
	MEM_STATUS_RSS_FILE = 1 << 7,
	MEM_STATUS_RSS_SHMEM = 1 << 8,
	MEM_STATUS_VM_SWAP = 1 << 9,
	MEM_STATUS_KTHREAD = 1 << 10,  /* the "Kthread:" line (6.x) was present */
	MEM_STATUS_TGID = 1 << 11,
} MemStatusBits;

typedef struct {
	guint32 known;        /* MemStatusBits */
	const char *name;     /* "Name:" value as the kernel escaped it (\n and \\); points into input;
	                       * at most MEM_NAME_MAX bytes */
	gsize name_len;
	char state;           /* first letter of "State:" */
	gint64 tgid, ppid;
	guint32 uid_real, uid_effective;
	guint64 vm_size, vm_rss, rss_anon, rss_file, rss_shmem, vm_swap;  /* bytes */
	gboolean kthread;     /* valid with MEM_STATUS_KTHREAD */
} MemStatus;

/* Parses status.  Name and Uid are mandatory; a Name with a newline in it is impossible (escaped). */
gboolean mem_parse_status(const char *buf, gsize len, MemStatus *out, GError **error);

/* ---- stat: "pid (comm) S ppid ..." ; comm may contain ')' spaces and any byte ---- */
#define MEM_PF_KTHREAD 0x00200000u

typedef struct {
	gint64 pid;
	const char *comm;     /* raw bytes between the first '(' and the LAST ')'; points into input;
	                       * at most MEM_NAME_MAX bytes (the rest is left out) */
	gsize comm_len;
	char state;
	gint64 ppid;
	guint64 flags;        /* field 9; MEM_PF_KTHREAD marks kernel threads */
	guint64 starttime;    /* field 22, clock ticks */
	guint64 vsize;        /* field 23, bytes */
	gint64 rss_pages;     /* field 24, pages */
	gboolean has_flags;   /* fields up to 24 were present (always on Linux >= 2.6) */
} MemStat;

gboolean mem_parse_stat(const char *buf, gsize len, MemStat *out, GError **error);

/* ---- comm: the name as stat has it (the same bytes, unescaped), then a newline ---- */
/* The length of the name in comm's content: all of it but the final newline, at most MEM_NAME_MAX. */
gsize mem_parse_comm(const char *buf, gsize len);

/* ---- cmdline: NUL-separated; a final argument without a NUL is kept (processes rewrite argv) ---- */
/* Limits applied before anything is allocated, so that a hostile cmdline (64 MiB of NULs: 64 Mi empty
 * arguments) costs a bounded amount of memory: at most MEM_CMDLINE_MAX_ARGS arguments are kept, each
 * cut to MEM_CMDLINE_MAX_ARG bytes (the kernel's own MAX_ARG_STRLEN, so no real argument is cut), and
 * no more than MEM_CMDLINE_MAX_BYTES bytes in all. */
#define MEM_CMDLINE_MAX_ARGS 4096
#define MEM_CMDLINE_MAX_ARG (128 * 1024)
#define MEM_CMDLINE_MAX_BYTES (1024 * 1024)

/* What the limits left out: arguments dropped whole (after the last one kept), and bytes left out
 * (of dropped arguments and of cut ones, separators not counted).  Both 0: the command line is whole. */
typedef struct {
	guint64 args_dropped;
	guint64 bytes_dropped;
} MemCmdlineCut;

/* Returns a new GPtrArray of newly allocated NUL-terminated strings (free func set); never NULL.
 * An empty buffer gives an empty array.  `cut` (may be NULL) receives what the limits left out. */
GPtrArray *mem_parse_cmdline(const char *buf, gsize len, MemCmdlineCut *cut);

/* ---- cgroup: "hierarchy-ID:controllers:path" lines ---- */
/* Returns the job path of a process (newly allocated, starts with '/').  Rule: among the cgroup v2 line
 * ("0::"), the v1 "name=systemd" line and the v1 line whose controllers include "memory", take the first
 * whose path is not "/", in that order; if all are "/" (or absent) the result is "/".  A line without
 * two ':' separators is a parse error.  An empty buffer gives "/". */
/* Which cgroup hierarchy a job path comes from (hybrid v1/v2 hosts have several). */
typedef enum {
	MEM_JOB_NONE,         /* no cgroup line: the root job by default, or unknown */
	MEM_JOB_V2,           /* the unified hierarchy, "0::" */
	MEM_JOB_V1_SYSTEMD,   /* v1 "name=systemd" */
	MEM_JOB_V1_MEMORY,    /* v1, the hierarchy holding the memory controller */
} MemJobHierarchy;

char *mem_parse_cgroup(const char *buf, gsize len, GError **error);

/* mem_parse_cgroup(), also saying which hierarchy the path comes from (the line it was taken from; when
 * every path is "/", the first of v2, name=systemd, memory present; MEM_JOB_NONE without any). */
char *mem_parse_cgroup_hierarchy(const char *buf, gsize len, MemJobHierarchy *hierarchy, GError **error);

/* ---- meminfo: "Key:   N kB" (or a bare number, e.g. HugePages_Total) ---- */
typedef struct {
	char *key;            /* newly allocated */
	guint64 value;        /* bytes when has_kb, else the bare number */
	gboolean has_kb;
} MemMeminfoEntry;

/* Returns a GArray of MemMeminfoEntry in file order (clear func set), or NULL with error.
 * MemTotal is mandatory. */
GArray *mem_parse_meminfo(const char *buf, gsize len, GError **error);

/* Finds a key in the array returned above; returns FALSE when absent. */
gboolean mem_meminfo_get(GArray *entries, const char *key, guint64 *value);

/* ---- passwd (a snapshot's user table): "name:x:uid:gid:..." ---- */
/* Fills `users` (guint uid -> char *name; the caller created it with g_free for values).
 * Malformed lines are skipped (it is a convenience table, not a measurement). */
void mem_parse_passwd(const char *buf, gsize len, GHashTable *users);

/* ---- sysvipc/shm: a header line naming the columns, then one line per SysV shared memory segment ----
 * "key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap"; rss and swap
 * (bytes, not kB) appeared in 4.x kernels and are absent before.  Columns are found by their header
 * name, so an unknown extra column is skipped and the order may change. */
typedef struct {
	gint64 key;           /* signed: the kernel prints it with %d */
	guint64 shmid;        /* also the inode of the segment's mappings ("/SYSV%08x") */
	guint32 perms;        /* octal mode bits */
	guint64 size;         /* bytes */
	guint32 cpid, lpid;
	guint64 nattch;       /* attaches: 0 means no process maps it */
	guint32 uid, gid;
	gboolean has_rss_swap;
	guint64 rss, swap;    /* bytes; valid with has_rss_swap */
	guint line;           /* 1-based line in the file */
} MemShmSegment;

/* Parses the whole file.  The header must name key, shmid, perms, size, cpid, lpid, nattch, uid and
 * gid; rss and swap are optional (both or neither).  A row with more or fewer fields than the header,
 * a number out of range or a last line without '\n' is an error (PARSE or TRUNCATED).  An empty buffer
 * (no header) is a parse error.  Returns a GArray of MemShmSegment in file order. */
GArray *mem_parse_sysvipc_shm(const char *buf, gsize len, GError **error);

/* ---- a recording's fds and dev-shm files (memcap; format in doc/DECISIONS.md, "recfds") ----
 * <pid>/fds: "FD DEV INODE MODE SIZE BLOCKS BLKSIZE TARGET" per line; dev-shm: the same without FD,
 * the first line the directory itself (NAME "."), then one line per regular file.  DEV is st_dev as a
 * decimal (Linux's encoding: major (dev >> 8) & 0xfff | (dev >> 32) & ~0xfff, minor dev & 0xff |
 * (dev >> 12) & ~0xff), MODE st_mode in hex, BLOCKS in units of BLKSIZE; TARGET/NAME run to the end of
 * the line with "\\" for a backslash and "\n" for a newline.  One space between fields, every line
 * ends in '\n'.  Bounded: at most MEM_REC_MAX_LINES lines of at most MEM_REC_MAX_LINE bytes. */
#define MEM_REC_MAX_LINES 1048576u
#define MEM_REC_MAX_LINE 16384u
typedef struct {
	gint64 fd;            /* -1 in dev-shm */
	guint32 dev_major, dev_minor;
	guint64 inode;
	guint32 mode;         /* st_mode */
	guint64 size;         /* st_size, bytes */
	guint64 alloc;        /* BLOCKS * BLKSIZE, bytes (a product above 64 bits is an error) */
	char *name;           /* owned, decoded (may hold any byte but NUL), NUL-terminated */
	gsize name_len;
	guint line;
} MemRecFile;

/* Parses <pid>/fds (with_fd) or dev-shm (!with_fd): a GArray of MemRecFile (clear func set), or NULL
 * with a PARSE / TRUNCATED error naming the line.  An empty buffer is an empty list (for dev-shm: no
 * "." line, which the caller must then do without). */
GArray *mem_parse_rec_files(const char *buf, gsize len, gboolean with_fd, GError **error);

/* ---- memcap.info: "KEY VALUE" lines (format, tool, time, pagesize, cmdline, uid, pids) ---- */
typedef struct {
	gboolean has_format, has_time, has_pagesize, has_uid;
	guint64 format;
	gint64 time;          /* seconds since the epoch */
	guint64 pagesize;     /* bytes, a power of two from 512 to 1 GiB */
	guint32 uid;
	char *tool;           /* owned, "memcap 1.0"; NULL when absent (raw bytes, no NUL, no newline) */
	char *cmdline;        /* "scrubbed", "full" or another word as written; NULL when absent */
	char *pids;           /* "all", "selected" ...; NULL when absent */
} MemRecInfo;

/* Parses memcap.info into info (cleared first).  Unknown keys are skipped; a known key with a bad value,
 * a line above MEM_REC_MAX_LINE bytes or a last line without '\n' is an error (the info is then
 * cleared).  Free the strings with mem_rec_info_clear(). */
gboolean mem_parse_memcap_info(const char *buf, gsize len, MemRecInfo *info, GError **error);
void mem_rec_info_clear(MemRecInfo *info);
