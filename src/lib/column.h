/* column.h: (placeholder) */
#pragma once
