#include "sdkddkver.h"
