/* parse-stat.c: (placeholder) */
#include "config.h"
