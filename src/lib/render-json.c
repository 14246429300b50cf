/* render-json.c: (placeholder) */
#include "config.h"
