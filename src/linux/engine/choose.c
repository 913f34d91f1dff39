/*
 * Engine selection by IOCPCOMPAT_BACKEND: auto (default), io_uring or epoll.
 * People A/B test with it, so an explicit choice that cannot be honoured, or
 * an unknown value, is an error naming the valid values, never a silent
 * fallback. auto takes io_uring when the kernel allows it, else epoll, and
 * says once why.
 */
#include "engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VALID_VALUES "valid values: auto, io_uring, epoll"

enum choice { CHOICE_AUTO, CHOICE_URING, CHOICE_EPOLL, CHOICE_INVALID };

static pthread_once_t fallback_once = PTHREAD_ONCE_INIT;
static int fallback_error;

static enum choice read_choice(void)
{
    const char *value = getenv("IOCPCOMPAT_BACKEND");
    if (value == NULL || *value == '\0' || strcmp(value, "auto") == 0)
        return CHOICE_AUTO;
    if (strcmp(value, "io_uring") == 0)
        return CHOICE_URING;
    if (strcmp(value, "epoll") == 0)
        return CHOICE_EPOLL;
    return CHOICE_INVALID;
}

static int read_sysctl(const char *path)
{
    FILE *f = fopen(path, "r");
    int value = -1;
    if (f != NULL) {
        if (fscanf(f, "%d", &value) != 1)
            value = -1;
        fclose(f);
    }
    return value;
}

/* Why io_uring_setup failed with err, in terms an operator can act on. */
static const char *uring_refusal(int err)
{
    switch (err) {
    case ENOSYS:
        return "the kernel has no io_uring (ENOSYS)";
    case ENOMEM:
        return "RLIMIT_MEMLOCK is too low for the rings (ENOMEM)";
    case EPERM:
    case EACCES: {
        int disabled = read_sysctl("/proc/sys/kernel/io_uring_disabled");
        if (disabled == 2)
            return "the sysctl kernel.io_uring_disabled is 2 (EPERM)";
        if (disabled == 1)
            return "the sysctl kernel.io_uring_disabled is 1 and this process is not in "
                   "kernel.io_uring_group (EPERM)";
        return "a seccomp filter refused io_uring_setup, as Docker's default profile does (EPERM)";
    }
    default:
        return strerror(err);
    }
}

static void say_fallback(void)
{
    fprintf(stderr, "iocpcompat: engine epoll: io_uring is not usable: %s\n",
            uring_refusal(fallback_error));
}

enum engine_failure engine_create(struct engine **out)
{
    enum choice choice = read_choice();
    int rc;
    switch (choice) {
    case CHOICE_INVALID:
        fprintf(stderr, "iocpcompat: IOCPCOMPAT_BACKEND=%s is not an engine; " VALID_VALUES "\n",
                getenv("IOCPCOMPAT_BACKEND"));
        return ENGINE_REFUSED;
    case CHOICE_EPOLL:
        rc = engine_epoll_create(out);
        break;
    case CHOICE_URING:
        rc = engine_uring_create(out);
        if (rc != 0) {
            fprintf(stderr, "iocpcompat: IOCPCOMPAT_BACKEND=io_uring, but io_uring is not usable: %s; "
                    VALID_VALUES "\n", uring_refusal(-rc));
            return ENGINE_REFUSED;
        }
        break;
    default:
        rc = engine_uring_create(out);
        if (rc != 0) {
            fallback_error = -rc;
            pthread_once(&fallback_once, say_fallback);
            rc = engine_epoll_create(out);
        }
        break;
    }
    if (rc == 0)
        return ENGINE_OK;
    return rc == -ENOMEM ? ENGINE_NO_MEMORY : ENGINE_REFUSED;
}
