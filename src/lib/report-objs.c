/* report-objs.c: (placeholder) */
#include "config.h"
