/* column.c: (placeholder) */
#include "config.h"
