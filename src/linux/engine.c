/* Engine selection by IOCPCOMPAT_BACKEND. People A/B test with it, so an
 * unknown or unusable choice is an error, never a silent fallback. */
#include "engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

unsigned engine_create(struct engine **out)
{
    const char *choice = getenv("IOCPCOMPAT_BACKEND");
    if (choice == NULL || *choice == '\0')
        choice = "auto";
    if (strcmp(choice, "auto") != 0 && strcmp(choice, "io_uring") != 0) {
        fprintf(stderr, "iocpcompat: IOCPCOMPAT_BACKEND=%s is not an engine; valid values: auto, io_uring\n",
                choice);
        return ERROR_INVALID_PARAMETER;
    }
    int rc = engine_uring_create(out);
    if (rc == 0)
        return ERROR_SUCCESS;
    fprintf(stderr, "iocpcompat: io_uring is not usable (%s)\n", strerror(-rc));
    return rc == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER;
}
