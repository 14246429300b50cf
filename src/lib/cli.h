/* cli.h: (placeholder) */
#pragma once
