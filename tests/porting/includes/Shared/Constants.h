/* Reached as "..\Shared\Constants.h" and as "../shared/constants.h". */
#ifndef CONSTANTS_H
#define CONSTANTS_H
#include "version.h"
#include "Exact.h"
#define DEFAULT_PORT 6001
#endif
