/* cli.c: (placeholder) */
#include "config.h"
