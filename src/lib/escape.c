/* escape.c: (placeholder) */
#include "config.h"
