/* model.h: (placeholder) */
#pragma once
