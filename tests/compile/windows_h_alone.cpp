/* windows_h_alone.c as C++17. */
#include "windows_h_alone.c"
