/* report-maps.c: (placeholder) */
#include "config.h"
