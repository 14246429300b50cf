/* parse-status.c: (placeholder) */
#include "config.h"
