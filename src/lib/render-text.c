/* render-text.c: (placeholder) */
#include "config.h"
