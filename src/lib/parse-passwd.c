/* parse-passwd.c: (placeholder) */
#include "config.h"
