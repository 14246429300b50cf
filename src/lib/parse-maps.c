/* parse-maps.c: (placeholder) */
#include "config.h"
