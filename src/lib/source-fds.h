/* source-fds.h: (placeholder) */
#pragma once
