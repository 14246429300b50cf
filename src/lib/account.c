/* account.c: (placeholder) */
#include "config.h"
