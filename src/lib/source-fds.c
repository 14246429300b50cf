/* source-fds.c: (placeholder) */
#include "config.h"
