/* render.h: (placeholder) */
#pragma once
