/* The RIO declarations that mingw-w64's SDK lacks (Windows SDKs have them
 * in <mswsock.h>, and then this declares nothing). */
#include "../iocpcompat_rio.h"
