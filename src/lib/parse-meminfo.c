/* parse-meminfo.c: (placeholder) */
#include "config.h"
