/*
 * Ordering that passes through the kernel (an SQE submitted on one thread,
 * its CQE reaped on another) is invisible to ThreadSanitizer; these mark it
 * so that TSan checks the library's own synchronisation and nothing else.
 */
#ifndef IOCPCOMPAT_TSAN_H
#define IOCPCOMPAT_TSAN_H

#if defined(__SANITIZE_THREAD__)
#define IOCPCOMPAT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define IOCPCOMPAT_TSAN 1
#endif
#endif

#ifdef IOCPCOMPAT_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
#define tsan_handoff_release(p) __tsan_release(p)
#define tsan_handoff_acquire(p) __tsan_acquire(p)
#else
#define tsan_handoff_release(p) ((void)(p))
#define tsan_handoff_acquire(p) ((void)(p))
#endif

#endif
