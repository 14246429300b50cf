/* parse-util.c: (placeholder) */
#include "config.h"
