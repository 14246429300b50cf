/* treemap-assets.h: the treemap page's own script and style, embedded at build time by embed-assets.sh (renderers layer) */
#pragma once

#include <glib.h>

extern const char mem_treemap_js[];     /* treemap.js */
extern const gsize mem_treemap_js_len;
extern const char mem_treemap_css[];    /* treemap.css */
extern const gsize mem_treemap_css_len;
