/*
 * <basetsd.h>: the fixed-width and pointer-precision integer types, with
 * their Win64 sizes (checked in windows.h). It stands alone, as the SDK's
 * does, and <windows.h> includes it.
 *
 * The 64-bit and pointer-sized types are the <stdint.h> ones (long on LP64),
 * where the SDK has __int64 (long long): the same size and layout, so only
 * C++ overloads written for both long and long long can tell them apart.
 */
#ifndef IOCPCOMPAT_BASETSD_H
#define IOCPCOMPAT_BASETSD_H

#include <stdint.h>

/* Pointer annotations of 32/64-bit interop; pointers have one size here. */
#define POINTER_32
#define POINTER_64
#define POINTER_SIGNED
#define POINTER_UNSIGNED
#define SPOINTER_32 POINTER_SIGNED POINTER_32
#define UPOINTER_32 POINTER_UNSIGNED POINTER_32
#define FIRMWARE_PTR
#ifndef _W64
#define _W64
#endif
/* The integer of pointer size in MIDL-generated code (__int64: iocpcompat_crt.h). */
#define __int3264 __int64
#define ADDRESS_TAG_BIT 0x40000000000ULL

typedef signed char  INT8, *PINT8;
typedef int16_t      INT16, *PINT16;
typedef int32_t      INT32, *PINT32;
typedef int64_t      INT64, *PINT64;
typedef unsigned char UINT8, *PUINT8;
typedef uint16_t     UINT16, *PUINT16;
typedef uint32_t     UINT32, *PUINT32;
typedef uint64_t     UINT64, *PUINT64;
typedef int32_t      LONG32, *PLONG32;
typedef uint32_t     ULONG32, *PULONG32;
typedef uint32_t     DWORD32, *PDWORD32;
typedef int64_t      LONG64, *PLONG64;
typedef uint64_t     ULONG64, *PULONG64;
typedef uint64_t     DWORD64, *PDWORD64;
typedef uint64_t     POINTER_64_INT;

typedef intptr_t     INT_PTR, *PINT_PTR;
typedef uintptr_t    UINT_PTR, *PUINT_PTR;
typedef intptr_t     LONG_PTR, *PLONG_PTR;
typedef uintptr_t    ULONG_PTR, *PULONG_PTR;
typedef ULONG_PTR    DWORD_PTR, *PDWORD_PTR;
typedef ULONG_PTR    SIZE_T, *PSIZE_T;
typedef LONG_PTR     SSIZE_T, *PSSIZE_T;
typedef int32_t      HALF_PTR, *PHALF_PTR;
typedef uint32_t     UHALF_PTR, *PUHALF_PTR;
typedef intptr_t     SHANDLE_PTR;
typedef uintptr_t    HANDLE_PTR;
typedef ULONG_PTR    KAFFINITY, *PKAFFINITY;

#define MAXUINT_PTR  (~((UINT_PTR)0))
#define MAXINT_PTR   ((INT_PTR)(MAXUINT_PTR >> 1))
#define MININT_PTR   (~MAXINT_PTR)
#define MAXULONG_PTR (~((ULONG_PTR)0))
#define MAXLONG_PTR  ((LONG_PTR)(MAXULONG_PTR >> 1))
#define MINLONG_PTR  (~MAXLONG_PTR)
#define MAXUHALF_PTR ((UHALF_PTR)~0)
#define MAXHALF_PTR  ((HALF_PTR)(MAXUHALF_PTR >> 1))
#define MINHALF_PTR  (~MAXHALF_PTR)

#define MAXUINT8     ((UINT8)~((UINT8)0))
#define MAXINT8      ((INT8)(MAXUINT8 >> 1))
#define MININT8      ((INT8)~MAXINT8)
#define MAXUINT16    ((UINT16)~((UINT16)0))
#define MAXINT16     ((INT16)(MAXUINT16 >> 1))
#define MININT16     ((INT16)~MAXINT16)
#define MAXUINT32    ((UINT32)~((UINT32)0))
#define MAXINT32     ((INT32)(MAXUINT32 >> 1))
#define MININT32     ((INT32)~MAXINT32)
#define MAXUINT64    ((UINT64)~((UINT64)0))
#define MAXINT64     ((INT64)(MAXUINT64 >> 1))
#define MININT64     ((INT64)~MAXINT64)
#define MAXULONG32   ((ULONG32)~((ULONG32)0))
#define MAXLONG32    ((LONG32)(MAXULONG32 >> 1))
#define MINLONG32    ((LONG32)~MAXLONG32)
#define MAXULONG64   ((ULONG64)~((ULONG64)0))
#define MAXLONG64    ((LONG64)(MAXULONG64 >> 1))
#define MINLONG64    ((LONG64)~MAXLONG64)
#define MAXULONGLONG ((uint64_t)~((uint64_t)0))
#define MINLONGLONG  ((int64_t)~MAXLONGLONG)   /* MAXLONGLONG: <winnt.h> */
#define MAXSIZE_T    ((SIZE_T)~((SIZE_T)0))
#define MAXSSIZE_T   ((SSIZE_T)(MAXSIZE_T >> 1))
#define MINSSIZE_T   ((SSIZE_T)~MAXSSIZE_T)
#define MAXUINT      ((unsigned int)~((unsigned int)0))
#define MAXINT       ((int)(MAXUINT >> 1))
#define MININT       ((int)~MAXINT)
#define MAXDWORD32   ((DWORD32)~((DWORD32)0))
#define MAXDWORD64   ((DWORD64)~((DWORD64)0))

/* Handles and pointers carried in 32-bit integers and back (thread
 * parameters, completion keys): truncating or extending as on Win64. */
static inline uint32_t HandleToULong(const void *h) { return (uint32_t)(ULONG_PTR)h; }
static inline int32_t HandleToLong(const void *h) { return (int32_t)(LONG_PTR)h; }
static inline void *ULongToHandle(const uint32_t h) { return (void *)(UINT_PTR)h; }
static inline void *LongToHandle(const int32_t h) { return (void *)(INT_PTR)h; }
static inline uint32_t PtrToUlong(const void *p) { return (uint32_t)(ULONG_PTR)p; }
static inline unsigned int PtrToUint(const void *p) { return (unsigned int)(UINT_PTR)p; }
static inline unsigned short PtrToUshort(const void *p) { return (unsigned short)(ULONG_PTR)p; }
static inline int32_t PtrToLong(const void *p) { return (int32_t)(LONG_PTR)p; }
static inline int PtrToInt(const void *p) { return (int)(INT_PTR)p; }
static inline short PtrToShort(const void *p) { return (short)(LONG_PTR)p; }
static inline void *IntToPtr(const int i) { return (void *)(INT_PTR)i; }
static inline void *UIntToPtr(const unsigned int ui) { return (void *)(UINT_PTR)ui; }
static inline void *LongToPtr(const int32_t l) { return (void *)(LONG_PTR)l; }
static inline void *ULongToPtr(const uint32_t ul) { return (void *)(ULONG_PTR)ul; }
/* 32-bit pointers of WOW64 interop: the low half, zero-extended back for
 * pointers and sign-extended for handles. */
#define PtrToPtr64(p)       ((void *POINTER_64)(p))
#define Ptr64ToPtr(p)       ((void *)(p))
#define HandleToHandle64(h) PtrToPtr64(h)
#define Handle64ToHandle(h) Ptr64ToPtr(h)
#define Ptr32ToPtr(p)       ((void *)(ULONG_PTR)(uint32_t)(ULONG_PTR)(p))
#define Handle32ToHandle(h) ((void *)(LONG_PTR)(int32_t)(ULONG_PTR)(h))
#define PtrToPtr32(p)       ((void *POINTER_32)(ULONG_PTR)(uint32_t)(ULONG_PTR)(p))
#define HandleToHandle32(h) PtrToPtr32(h)
#define HandleToUlong(h)  HandleToULong(h)
#define UlongToHandle(ul) ULongToHandle(ul)
#define UlongToPtr(ul)    ULongToPtr(ul)
#define UintToPtr(ui)     UIntToPtr(ui)

#endif
