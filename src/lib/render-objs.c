/* render-objs.c: (placeholder) */
#include "config.h"
