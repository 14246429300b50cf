/* table.c: (placeholder) */
#include "config.h"
