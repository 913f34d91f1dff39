/*
 * A minimal stand-in for <cmocka.h>, for building the conformance suite with
 * mingw-w64 against the real Windows SDK headers, where cmocka is not
 * packaged. tests/conformance/mingw_compile.sh puts this directory on the
 * include path and links every test_*.c with cmocka.c beside this header;
 * the .exe files it makes are the ones the suite will be run as under Wine
 * (and on Windows), so this is a working runner, not a set of empty stubs.
 *
 * It implements exactly what the suite uses, with cmocka 1.1's meaning:
 * struct CMUnitTest, cmocka_unit_test*(), _cmocka_run_group_tests() (each
 * case inside the group's setup/teardown, the case's own setup/teardown
 * around it, [ RUN ] / [ OK ] / [ FAILED ] / [ SKIPPED ] lines, the number of
 * failed cases returned), the assert_*() macros the suite calls (integers and
 * pointers compared as uintmax_t, as cmocka's LargestIntegralType), fail(),
 * fail_msg(), skip(), print_message() and print_error(). A failed assertion
 * ends its case through longjmp back to the runner, as in cmocka.
 *
 * Not implemented (the suite does not use them): mocks (will_return, mock,
 * expect_*), test_malloc and its leak checks, cmocka's signal handlers (a
 * crash ends the process, which ctest runs once per case anyway), output
 * formats other than the default and cmocka_set_test_filter().
 *
 * Assertions must run on the thread that runs the case, as with cmocka; one
 * that fails on another thread ends the process with a message instead of
 * jumping across threads.
 */
#ifndef IOCPCOMPAT_MINGW_CMOCKA_SHIM_H
#define IOCPCOMPAT_MINGW_CMOCKA_SHIM_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uintmax_t LargestIntegralType;

#define cast_to_largest_integral_type(value) ((LargestIntegralType)(value))
#define cast_to_pointer_integral_type(value) ((uintptr_t)((size_t)(value)))
#define cast_ptr_to_largest_integral_type(value) \
    cast_to_largest_integral_type(cast_to_pointer_integral_type(value))

/* The format checking of the C library the suite is built with (mingw-w64's
 * C99 printf under -std=c11, the MSVCRT one otherwise). */
#if defined(__GNUC__) && defined(__MINGW_PRINTF_FORMAT)
#define CMOCKA_PRINTF_ATTRIBUTE(a, b) __attribute__((__format__(__MINGW_PRINTF_FORMAT, a, b)))
#elif defined(__GNUC__)
#define CMOCKA_PRINTF_ATTRIBUTE(a, b) __attribute__((__format__(__printf__, a, b)))
#else
#define CMOCKA_PRINTF_ATTRIBUTE(a, b)
#endif

#if defined(__GNUC__)
#define CMOCKA_NORETURN __attribute__((__noreturn__))
#else
#define CMOCKA_NORETURN
#endif

typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
    const char *name;
    CMUnitTestFunction test_func;
    CMFixtureFunction setup_func;
    CMFixtureFunction teardown_func;
    void *initial_state;
};

#define cmocka_unit_test(f) { #f, f, NULL, NULL, NULL }
#define cmocka_unit_test_setup(f, setup) { #f, f, setup, NULL, NULL }
#define cmocka_unit_test_teardown(f, teardown) { #f, f, NULL, teardown, NULL }
#define cmocka_unit_test_setup_teardown(f, setup, teardown) { #f, f, setup, teardown, NULL }
#define cmocka_unit_test_prestate(f, state) { #f, f, NULL, NULL, state }
#define cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, state) \
    { #f, f, setup, teardown, state }

int _cmocka_run_group_tests(const char *group_name, const struct CMUnitTest *const tests,
                            const size_t num_tests, CMFixtureFunction group_setup,
                            CMFixtureFunction group_teardown);

#define cmocka_run_group_tests(group_tests, group_setup, group_teardown)                       \
    _cmocka_run_group_tests(#group_tests, group_tests, sizeof(group_tests) / sizeof((group_tests)[0]), \
                            group_setup, group_teardown)
#define cmocka_run_group_tests_name(group_name, group_tests, group_setup, group_teardown)      \
    _cmocka_run_group_tests(group_name, group_tests, sizeof(group_tests) / sizeof((group_tests)[0]), \
                            group_setup, group_teardown)

void print_message(const char *const format, ...) CMOCKA_PRINTF_ATTRIBUTE(1, 2);
void print_error(const char *const format, ...) CMOCKA_PRINTF_ATTRIBUTE(1, 2);

void _assert_true(const LargestIntegralType result, const char *const expression,
                  const char *const file, const int line);
void _assert_int_equal(const LargestIntegralType a, const LargestIntegralType b,
                       const char *const file, const int line);
void _assert_int_not_equal(const LargestIntegralType a, const LargestIntegralType b,
                           const char *const file, const int line);
void _assert_string_equal(const char *a, const char *b, const char *const file, const int line);
void _assert_string_not_equal(const char *a, const char *b, const char *file, const int line);
void _assert_memory_equal(const void *const a, const void *const b, const size_t size,
                          const char *const file, const int line);
void _assert_memory_not_equal(const void *const a, const void *const b, const size_t size,
                              const char *const file, const int line);
void _assert_in_range(const LargestIntegralType value, const LargestIntegralType minimum,
                      const LargestIntegralType maximum, const char *const file, const int line);
void _assert_not_in_range(const LargestIntegralType value, const LargestIntegralType minimum,
                          const LargestIntegralType maximum, const char *const file, const int line);
CMOCKA_NORETURN void _fail(const char *const file, const int line);
CMOCKA_NORETURN void _skip(const char *const file, const int line);

#define assert_true(c) _assert_true(cast_to_largest_integral_type(c), #c, __FILE__, __LINE__)
#define assert_false(c) _assert_true(!(cast_to_largest_integral_type(c)), #c, __FILE__, __LINE__)
#define assert_non_null(c) _assert_true(cast_ptr_to_largest_integral_type(c), #c, __FILE__, __LINE__)
#define assert_null(c) _assert_true(!(cast_ptr_to_largest_integral_type(c)), #c, __FILE__, __LINE__)
#define assert_ptr_equal(a, b)                                                               \
    _assert_int_equal(cast_ptr_to_largest_integral_type(a), cast_ptr_to_largest_integral_type(b), \
                      __FILE__, __LINE__)
#define assert_ptr_not_equal(a, b)                                                               \
    _assert_int_not_equal(cast_ptr_to_largest_integral_type(a), cast_ptr_to_largest_integral_type(b), \
                          __FILE__, __LINE__)
#define assert_int_equal(a, b) \
    _assert_int_equal(cast_to_largest_integral_type(a), cast_to_largest_integral_type(b), __FILE__, __LINE__)
#define assert_int_not_equal(a, b)                                                          \
    _assert_int_not_equal(cast_to_largest_integral_type(a), cast_to_largest_integral_type(b), \
                          __FILE__, __LINE__)
#define assert_string_equal(a, b) \
    _assert_string_equal((const char *)(a), (const char *)(b), __FILE__, __LINE__)
#define assert_string_not_equal(a, b) \
    _assert_string_not_equal((const char *)(a), (const char *)(b), __FILE__, __LINE__)
#define assert_memory_equal(a, b, size) \
    _assert_memory_equal((const void *)(a), (const void *)(b), size, __FILE__, __LINE__)
#define assert_memory_not_equal(a, b, size) \
    _assert_memory_not_equal((const void *)(a), (const void *)(b), size, __FILE__, __LINE__)
#define assert_in_range(value, minimum, maximum)                                             \
    _assert_in_range(cast_to_largest_integral_type(value), cast_to_largest_integral_type(minimum), \
                     cast_to_largest_integral_type(maximum), __FILE__, __LINE__)
#define assert_not_in_range(value, minimum, maximum)                                             \
    _assert_not_in_range(cast_to_largest_integral_type(value), cast_to_largest_integral_type(minimum), \
                         cast_to_largest_integral_type(maximum), __FILE__, __LINE__)

#define fail() _fail(__FILE__, __LINE__)
#define skip() _skip(__FILE__, __LINE__)
/* cmocka's own form needs GNU's ", ##__VA_ARGS__"; this one is plain C11
 * (msg is always a string literal, as in cmocka). */
#define fail_msg(...)                  \
    do {                               \
        print_error("ERROR: " __VA_ARGS__); \
        print_error("\n");             \
        fail();                        \
    } while (0)

#ifdef __cplusplus
}
#endif

#endif
