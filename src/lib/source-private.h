/* source-private.h: (placeholder) */
#pragma once
