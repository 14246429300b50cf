/* parse-smaps.c: (placeholder) */
#include "config.h"
