/* source-tar.c: (placeholder) */
#include "config.h"
