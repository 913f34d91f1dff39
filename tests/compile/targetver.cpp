/* targetver.c as C++17. */
#include "targetver.c"
