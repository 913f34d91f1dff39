/*
 * SetConsoleCtrlHandler over POSIX signals: SIGINT is CTRL_C_EVENT; SIGTERM
 * and SIGHUP (the terminal went away) are CTRL_CLOSE_EVENT, what Windows
 * sends when the console is closed or the task ended.
 *
 * As on Windows the handlers run on a thread of their own, never inside a
 * signal handler: the signal handler only writes the signal number to a
 * pipe; a dispatcher thread reads it and starts one thread per event, which
 * calls the handlers last-registered first until one returns TRUE. When
 * none does, the default handler ends the process with
 * STATUS_CONTROL_C_EXIT. After CTRL_CLOSE_EVENT the process ends whatever
 * the handlers return, as Windows ends it once they are done.
 *
 * Nothing is installed until the first SetConsoleCtrlHandler call, so a
 * program that never calls it keeps Linux's default signal behaviour.
 */
#include "error.h"
#include "platform.h"

#include <windows.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;
static PHANDLER_ROUTINE *handlers;   /* in registration order */
static size_t handler_count, handler_capacity;
static bool ignore_ctrl_c;           /* SetConsoleCtrlHandler(NULL, TRUE) */
static bool installed;
static int signal_pipe[2] = {-1, -1};

static const int caught_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char byte = (unsigned char)sig;
    /* Non-blocking: if the pipe were ever full, the event is already pending. */
    ssize_t rc = write(signal_pipe[1], &byte, 1);
    (void)rc;
    errno = saved;
}

static DWORD event_of(int sig) { return sig == SIGINT ? CTRL_C_EVENT : CTRL_CLOSE_EVENT; }

static void *run_handlers(void *arg)
{
    DWORD event = (DWORD)(ULONG_PTR)arg;

    pthread_mutex_lock(&console_lock);
    bool ignored = event == CTRL_C_EVENT && ignore_ctrl_c;
    /* A copy, so that handlers may add or remove handlers while they run. */
    size_t count = handler_count;
    PHANDLER_ROUTINE *chain = count ? malloc(count * sizeof *chain) : NULL;
    if (chain != NULL)
        for (size_t i = 0; i < count; i++)
            chain[i] = handlers[i];
    else
        count = 0;
    pthread_mutex_unlock(&console_lock);
    if (ignored) {
        free(chain);
        return NULL;
    }

    bool handled = false;
    for (size_t i = count; i-- > 0 && !handled;)
        handled = chain[i](event) != FALSE;
    free(chain);
    if (!handled || event == CTRL_CLOSE_EVENT)
        ExitProcess(STATUS_CONTROL_C_EXIT);
    return NULL;
}

static void *dispatcher(void *arg)
{
    (void)arg;
    for (;;) {
        unsigned char sig;
        ssize_t n = read(signal_pipe[0], &sig, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != 1)
            return NULL;
        void *event = (void *)(ULONG_PTR)event_of(sig);
        pthread_attr_t attr;
        pthread_t thread;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &attr, run_handlers, event) != 0)
            run_handlers(event);   /* no thread to spare: run them here */
        pthread_attr_destroy(&attr);
    }
}

/* Installs the signal handlers and starts the dispatcher. Lock held. */
static bool install(void)
{
    if (installed)
        return true;
    if (pipe2(signal_pipe, O_CLOEXEC) != 0)
        return false;
    fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);

    /* The dispatcher never runs a signal handler itself. */
    if (os_thread_start_detached(dispatcher, NULL, NULL) != 0) {
        close(signal_pipe[0]);
        close(signal_pipe[1]);
        signal_pipe[0] = signal_pipe[1] = -1;
        return false;
    }

    struct sigaction sa;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < sizeof caught_signals / sizeof caught_signals[0]; i++)
        sigaction(caught_signals[i], &sa, NULL);
    installed = true;
    return true;
}

BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE routine, BOOL add)
{
    BOOL ok = TRUE;
    pthread_mutex_lock(&console_lock);
    if (!install()) {
        pthread_mutex_unlock(&console_lock);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    if (routine == NULL) {
        ignore_ctrl_c = add != FALSE;
    } else if (add) {
        if (handler_count == handler_capacity) {
            size_t capacity = handler_capacity ? handler_capacity * 2 : 8;
            PHANDLER_ROUTINE *grown = realloc(handlers, capacity * sizeof *grown);
            if (grown == NULL) {
                pthread_mutex_unlock(&console_lock);
                error_set(ERROR_NOT_ENOUGH_MEMORY);
                return FALSE;
            }
            handlers = grown;
            handler_capacity = capacity;
        }
        handlers[handler_count++] = routine;
    } else {
        /* The most recent registration of the routine goes. */
        size_t i = handler_count;
        while (i > 0 && handlers[i - 1] != routine)
            i--;
        if (i == 0) {
            ok = FALSE;
        } else {
            for (; i < handler_count; i++)
                handlers[i - 1] = handlers[i];
            handler_count--;
        }
    }
    pthread_mutex_unlock(&console_lock);
    if (!ok)
        error_set(ERROR_INVALID_PARAMETER);
    return ok;
}

void WINAPI ExitProcess(UINT code)
{
    /* Windows ends the other threads before anything else runs, so no
     * atexit handler or C++ destructor runs under threads still at work;
     * _exit is the nearest. What was printed still reaches its file. */
    fflush(NULL);
    _exit((int)code);
}
