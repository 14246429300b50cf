/* source.c: (placeholder) */
#include "config.h"
