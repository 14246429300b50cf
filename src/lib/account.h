/* account.h: (placeholder) */
#pragma once
