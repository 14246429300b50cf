/* format.c: (placeholder) */
#include "config.h"
