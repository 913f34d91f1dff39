#include "basetsd.h"
