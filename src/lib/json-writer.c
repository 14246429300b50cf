/* json-writer.c: (placeholder) */
#include "config.h"
