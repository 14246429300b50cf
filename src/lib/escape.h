/* escape.h: making untrusted bytes (process and file names) safe for each output (rendering support) */
#pragma once

#include <glib.h>

/* Terminal and plain text: valid UTF-8 printable characters pass through; C0 controls, DEL, C1
 * controls (U+0080..U+009F) and every byte of an invalid UTF-8 sequence become "\xHH" (one per byte);
 * '\n' '\t' '\r' ESC come out as "\x0a" etc. as well.  Backslash is kept as is.
 * Appends to out and returns the display width added (columns; wide CJK characters count 2). */
gsize mem_escape_text(GString *out, const char *s, gsize len);

/* Display width that mem_escape_text() would produce, without building it. */
gsize mem_escape_text_width(const char *s, gsize len);

/* JSON string contents (without the quotes): '"' and '\\' escaped, C0 and DEL as \u00XX (\n \t \r
 * \b \f as their short forms), C1 controls as \u0080..\u009f, invalid UTF-8 bytes replaced by
 * U+FFFD (JSON must be valid UTF-8).  The result is always valid JSON string text. */
void mem_escape_json(GString *out, const char *s, gsize len);

/* CSV field (RFC 4180, always quoted): '"' doubled; control characters and invalid UTF-8 escaped as
 * in mem_escape_text() so that a field never spans lines. */
void mem_escape_csv(GString *out, const char *s, gsize len);

/* HTML text and attribute values: & < > " ' as entities; controls and invalid UTF-8 as in
 * mem_escape_text(). */
void mem_escape_html(GString *out, const char *s, gsize len);
