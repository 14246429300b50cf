/* report-ps.c: (placeholder) */
#include "config.h"
