/* crosscheck.h: (placeholder) */
#pragma once
