/* parse-cgroup.c: (placeholder) */
#include "config.h"
