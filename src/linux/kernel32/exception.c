/*
 * SetUnhandledExceptionFilter over the synchronous fault signals (see
 * errhandlingapi.h). The handler turns the signal into the exception
 * record and x64 CONTEXT a Windows filter expects, calls the filter, and
 * acts on its answer. Everything here is async-signal-safe once installed.
 */
#include "error.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
#define NSIGNALS (sizeof fault_signals / sizeof fault_signals[0])

static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
static LPTOP_LEVEL_EXCEPTION_FILTER filter;   /* atomic */
static struct sigaction previous[NSIGNALS];   /* what handled them before us */
static bool installed;
static UINT error_mode;                       /* atomic */

static int signal_index(int sig)
{
    for (size_t i = 0; i < NSIGNALS; i++)
        if (fault_signals[i] == sig)
            return (int)i;
    return -1;
}

static DWORD code_of(int sig, int si_code)
{
    switch (sig) {
    case SIGSEGV:
        return EXCEPTION_ACCESS_VIOLATION;
    case SIGBUS:
        return si_code == BUS_ADRALN ? EXCEPTION_DATATYPE_MISALIGNMENT : EXCEPTION_IN_PAGE_ERROR;
    case SIGILL:
        return si_code == ILL_PRVOPC || si_code == ILL_PRVREG ? EXCEPTION_PRIV_INSTRUCTION
                                                              : EXCEPTION_ILLEGAL_INSTRUCTION;
    default:
        switch (si_code) {
        case FPE_INTDIV: return EXCEPTION_INT_DIVIDE_BY_ZERO;
        case FPE_INTOVF: return EXCEPTION_INT_OVERFLOW;
        case FPE_FLTDIV: return EXCEPTION_FLT_DIVIDE_BY_ZERO;
        case FPE_FLTOVF: return EXCEPTION_FLT_OVERFLOW;
        case FPE_FLTUND: return EXCEPTION_FLT_UNDERFLOW;
        case FPE_FLTRES: return EXCEPTION_FLT_INEXACT_RESULT;
        case FPE_FLTSUB: return EXCEPTION_ARRAY_BOUNDS_EXCEEDED;
        default:         return EXCEPTION_FLT_INVALID_OPERATION;
        }
    }
}

#if defined(__x86_64__)
static void context_from(CONTEXT *c, const ucontext_t *uc)
{
    const greg_t *g = uc->uc_mcontext.gregs;
    c->ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS;
    c->Rax = (DWORD64)g[REG_RAX]; c->Rcx = (DWORD64)g[REG_RCX];
    c->Rdx = (DWORD64)g[REG_RDX]; c->Rbx = (DWORD64)g[REG_RBX];
    c->Rsp = (DWORD64)g[REG_RSP]; c->Rbp = (DWORD64)g[REG_RBP];
    c->Rsi = (DWORD64)g[REG_RSI]; c->Rdi = (DWORD64)g[REG_RDI];
    c->R8 = (DWORD64)g[REG_R8];   c->R9 = (DWORD64)g[REG_R9];
    c->R10 = (DWORD64)g[REG_R10]; c->R11 = (DWORD64)g[REG_R11];
    c->R12 = (DWORD64)g[REG_R12]; c->R13 = (DWORD64)g[REG_R13];
    c->R14 = (DWORD64)g[REG_R14]; c->R15 = (DWORD64)g[REG_R15];
    c->Rip = (DWORD64)g[REG_RIP];
    c->EFlags = (DWORD)g[REG_EFL];
    /* cs, gs, fs (and ss on newer kernels), 16 bits each. */
    c->SegCs = (WORD)g[REG_CSGSFS];
    c->SegGs = (WORD)(g[REG_CSGSFS] >> 16);
    c->SegFs = (WORD)(g[REG_CSGSFS] >> 32);
    c->SegSs = (WORD)(g[REG_CSGSFS] >> 48);
    if (uc->uc_mcontext.fpregs != NULL)
        c->MxCsr = uc->uc_mcontext.fpregs->mxcsr;
}

/* EXCEPTION_CONTINUE_EXECUTION resumes with the filter's registers. */
static void context_to(ucontext_t *uc, const CONTEXT *c)
{
    greg_t *g = uc->uc_mcontext.gregs;
    g[REG_RAX] = (greg_t)c->Rax; g[REG_RCX] = (greg_t)c->Rcx;
    g[REG_RDX] = (greg_t)c->Rdx; g[REG_RBX] = (greg_t)c->Rbx;
    g[REG_RSP] = (greg_t)c->Rsp; g[REG_RBP] = (greg_t)c->Rbp;
    g[REG_RSI] = (greg_t)c->Rsi; g[REG_RDI] = (greg_t)c->Rdi;
    g[REG_R8] = (greg_t)c->R8;   g[REG_R9] = (greg_t)c->R9;
    g[REG_R10] = (greg_t)c->R10; g[REG_R11] = (greg_t)c->R11;
    g[REG_R12] = (greg_t)c->R12; g[REG_R13] = (greg_t)c->R13;
    g[REG_R14] = (greg_t)c->R14; g[REG_R15] = (greg_t)c->R15;
    g[REG_RIP] = (greg_t)c->Rip;
    g[REG_EFL] = (greg_t)c->EFlags;
}

static bool fault_was_write(const ucontext_t *uc)
{
    /* The page-fault error code: bit 1 is a write, bit 4 an instruction fetch. */
    return (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
}

static bool fault_was_fetch(const ucontext_t *uc)
{
    return (uc->uc_mcontext.gregs[REG_ERR] & 16) != 0;
}

static PVOID instruction_of(const ucontext_t *uc)
{
    return (PVOID)uc->uc_mcontext.gregs[REG_RIP];
}
#else
static void context_from(CONTEXT *c, const ucontext_t *uc) { (void)c; (void)uc; }
static void context_to(ucontext_t *uc, const CONTEXT *c) { (void)uc; (void)c; }
static bool fault_was_write(const ucontext_t *uc) { (void)uc; return false; }
static bool fault_was_fetch(const ucontext_t *uc) { (void)uc; return false; }
static PVOID instruction_of(const ucontext_t *uc) { (void)uc; return NULL; }
#endif

/* Hands the signal back to whoever had it before us: their handler, or
 * the default action (the faulting instruction runs again and faults). */
static void pass_on(int sig, siginfo_t *info, void *ucontext)
{
    int i = signal_index(sig);
    struct sigaction *old = &previous[i];
    if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction != NULL) {
        old->sa_sigaction(sig, info, ucontext);
        return;
    }
    if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN && old->sa_handler != NULL) {
        old->sa_handler(sig);
        return;
    }
    signal(sig, SIG_DFL);
    /* A signal sent by kill() or raise() does not come back by itself. */
    if (info->si_code <= 0)
        raise(sig);
}

static void on_fault(int sig, siginfo_t *info, void *ucontext)
{
    int saved = errno;
    ucontext_t *uc = ucontext;
    LPTOP_LEVEL_EXCEPTION_FILTER f = __atomic_load_n(&filter, __ATOMIC_ACQUIRE);
    if (f == NULL) {
        pass_on(sig, info, ucontext);
        errno = saved;
        return;
    }
    EXCEPTION_RECORD record;
    CONTEXT context;
    memset(&record, 0, sizeof record);
    memset(&context, 0, sizeof context);
    record.ExceptionCode = code_of(sig, info->si_code);
    record.ExceptionAddress = instruction_of(uc) != NULL ? instruction_of(uc) : info->si_addr;
    if (sig == SIGSEGV || (sig == SIGBUS && record.ExceptionCode == EXCEPTION_IN_PAGE_ERROR)) {
        /* 0 read, 1 write, 8 execute; then the address that faulted. */
        record.NumberParameters = 2;
        record.ExceptionInformation[0] = fault_was_fetch(uc) ? 8 : fault_was_write(uc) ? 1 : 0;
        record.ExceptionInformation[1] = (ULONG_PTR)info->si_addr;
    }
    context_from(&context, uc);
    EXCEPTION_POINTERS pointers = { &record, &context };
    LONG answer = f(&pointers);
    if (answer == EXCEPTION_EXECUTE_HANDLER)
        _exit((int)(record.ExceptionCode & 0xff));
    if (answer == EXCEPTION_CONTINUE_EXECUTION)
        context_to(uc, &context);
    else
        pass_on(sig, info, ucontext);
    errno = saved;
}

/* The filter must run even when the fault is a stack overflow. */
static void add_alternate_stack(void)
{
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE))
        return;
    size_t size = 64 * 1024;
    void *stack = malloc(size);
    if (stack == NULL)
        return;
    stack_t ss = { .ss_sp = stack, .ss_flags = 0, .ss_size = size };
    if (sigaltstack(&ss, NULL) != 0)
        free(stack);
}

LPTOP_LEVEL_EXCEPTION_FILTER WINAPI SetUnhandledExceptionFilter(LPTOP_LEVEL_EXCEPTION_FILTER f)
{
    pthread_mutex_lock(&install_lock);
    LPTOP_LEVEL_EXCEPTION_FILTER old = __atomic_exchange_n(&filter, f, __ATOMIC_ACQ_REL);
    if (f != NULL && !installed) {
        add_alternate_stack();
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_fault;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < NSIGNALS; i++)
            sigaction(fault_signals[i], &sa, &previous[i]);
        installed = true;
    } else if (f == NULL && installed) {
        for (size_t i = 0; i < NSIGNALS; i++)
            sigaction(fault_signals[i], &previous[i], NULL);
        installed = false;
    }
    pthread_mutex_unlock(&install_lock);
    return old;
}

UINT WINAPI SetErrorMode(UINT mode)
{
    return __atomic_exchange_n(&error_mode, mode, __ATOMIC_RELAXED);
}

UINT WINAPI GetErrorMode(void)
{
    return __atomic_load_n(&error_mode, __ATOMIC_RELAXED);
}
