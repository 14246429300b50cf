/* escape.h: making untrusted bytes (process and file names) safe for each output (rendering support) */
#pragma once

#include <glib.h>

/* Terminal and plain text: valid UTF-8 printable characters pass through; C0 controls, DEL, C1
 * controls (U+0080..U+009F) and every byte of an invalid UTF-8 sequence become "\xHH" (one per byte);
 * '\n' '\t' '\r' ESC come out as "\x0a" etc. as well.  A backslash is doubled ("\\\\"), so the
 * output reads back unambiguously: "\\x1b" is the four bytes of the name, "\x1b" the ESC byte.
 * Appends to out and returns the display width added (columns; wide CJK characters count 2). */
gsize mem_escape_text(GString *out, const char *s, gsize len);

/* TRUE when mem_escape_text() would copy s unchanged (printable ASCII without a backslash): its
 * width is then len.  For writers that copy such text straight into their own buffer. */
gboolean mem_escape_text_is_plain(const char *s, gsize len);

/* Display width that mem_escape_text() would produce, without building it. */
gsize mem_escape_text_width(const char *s, gsize len);

/* mem_escape_text() within max_width display columns: a value wider than that is cut at a character
 * (or \xHH escape) boundary and ends with ellipsis ("\u2026", or "..." where the charset is not
 * UTF-8), the whole at most max_width wide (max_width >= the ellipsis's width).  Returns the width
 * written.  mem_escape_text_width_max() returns the same width without writing (the walk stops at
 * max_width, so measuring a 1 MB value costs max_width columns, not 1 MB). */
gsize mem_escape_text_max(GString *out, const char *s, gsize len, gsize max_width, const char *ellipsis);
gsize mem_escape_text_width_max(const char *s, gsize len, gsize max_width, const char *ellipsis);

/* JSON string contents (without the quotes): '"' and '\\' escaped, C0 and DEL as \u00XX (\n \t \r
 * \b \f as their short forms), C1 controls as \u0080..\u009f, invalid UTF-8 bytes replaced by
 * U+FFFD (JSON must be valid UTF-8).  The result is always valid JSON string text. */
void mem_escape_json(GString *out, const char *s, gsize len);

/* CSV field (RFC 4180, always quoted): '"' doubled; backslash, control characters and invalid UTF-8
 * escaped as in mem_escape_text() so that a field never spans lines and reads back unambiguously. */
void mem_escape_csv(GString *out, const char *s, gsize len);

/* OpenMetrics label value contents (without the quotes), as the text format writes them: '"' as \",
 * a backslash as \\; C0 controls (newline included), DEL, C1 controls, other unprintable characters
 * and every byte of an invalid UTF-8 sequence become the text "\xHH" (written \\xHH), as
 * mem_escape_text() shows them.  The value is always valid UTF-8 without a control character; a
 * backslash of the name stays one backslash (systemd's "\x2d" in unit names reads as usual), so the
 * name "a\x1b" (four bytes) and "a" ESC give the same value. */
void mem_escape_openmetrics(GString *out, const char *s, gsize len);

/* HTML text and attribute values: & < > " ' as entities; backslash, controls and invalid UTF-8 as
 * in mem_escape_text(). */
void mem_escape_html(GString *out, const char *s, gsize len);
