/* parse-sysvipc.c: (placeholder) */
#include "config.h"
