/* parse-cmdline.c: (placeholder) */
#include "config.h"
