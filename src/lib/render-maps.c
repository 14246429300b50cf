/* render-maps.c: (placeholder) */
#include "config.h"
