/* crosscheck.c: (placeholder) */
#include "config.h"
