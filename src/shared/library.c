#include <iocpcompat.h>

#include "engine.h"
#include "port.h"

#define STR2(x) #x
#define STR(x) STR2(x)

const char *iocpcompat_version(void)
{
    return STR(IOCPCOMPAT_VERSION_MAJOR) "." STR(IOCPCOMPAT_VERSION_MINOR) "." STR(
        IOCPCOMPAT_VERSION_PATCH);
}

const char *iocpcompat_port_engine(HANDLE h)
{
    struct port *p = port_get(h);
    if (p == NULL)
        return NULL;
    const char *name = port_engine(p)->vt->name;
    port_release(p);
    return name;
}
