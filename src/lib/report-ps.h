/* report-ps.h: (placeholder) */
#pragma once
