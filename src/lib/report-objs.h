/* report-objs.h: (placeholder) */
#pragma once
