/* report-maps.h: (placeholder) */
#pragma once
