/* table.h: (placeholder) */
#pragma once
