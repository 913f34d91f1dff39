/*
 * The runner and assertions of the cmocka stand-in (see cmocka.h beside it):
 * plain C11, linked into every conformance .exe that
 * tests/conformance/mingw_compile.sh builds with mingw-w64.
 */
#include "cmocka.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* How the running case (or fixture) ended. */
enum case_end { CASE_RETURNED = 0, CASE_FAILED = 1, CASE_SKIPPED = 2 };

/* Where a failed assertion of the running case jumps to: set by the runner
 * on its own thread only, so NULL on any other thread; and why it jumped. */
static _Thread_local jmp_buf *current_case;
static _Thread_local enum case_end current_end;

void print_message(const char *const format, ...)
{
    va_list args;
    va_start(args, format);
    vfprintf(stdout, format, args);
    va_end(args);
    fflush(stdout);
}

void print_error(const char *const format, ...)
{
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fflush(stderr);
}

static CMOCKA_NORETURN void end_case(enum case_end how)
{
    if (current_case == NULL) {
        /* Outside a case, or on a helper thread: nowhere to jump to. */
        print_error("cmocka shim: an assertion failed outside the thread running the case; "
                    "exiting\n");
        exit(1);
    }
    current_end = how;
    longjmp(*current_case, 1);
}

void _fail(const char *const file, const int line)
{
    print_error("[   LINE   ] --- %s:%d: error: Failure!\n", file, line);
    end_case(CASE_FAILED);
}

void _skip(const char *const file, const int line)
{
    print_error("[   LINE   ] --- %s:%d: Skipped!\n", file, line);
    end_case(CASE_SKIPPED);
}

void _assert_true(const LargestIntegralType result, const char *const expression,
                  const char *const file, const int line)
{
    if (!result) {
        print_error("%s\n", expression);
        _fail(file, line);
    }
}

void _assert_int_equal(const LargestIntegralType a, const LargestIntegralType b,
                       const char *const file, const int line)
{
    if (a != b) {
        print_error("%" PRIuMAX " (%#" PRIxMAX ") != %" PRIuMAX " (%#" PRIxMAX ")\n", a, a, b, b);
        _fail(file, line);
    }
}

void _assert_int_not_equal(const LargestIntegralType a, const LargestIntegralType b,
                           const char *const file, const int line)
{
    if (a == b) {
        print_error("%" PRIuMAX " (%#" PRIxMAX ") == %" PRIuMAX " (%#" PRIxMAX ")\n", a, a, b, b);
        _fail(file, line);
    }
}

void _assert_string_equal(const char *a, const char *b, const char *const file, const int line)
{
    if (a == NULL || b == NULL ? a != b : strcmp(a, b) != 0) {
        print_error("\"%s\" != \"%s\"\n", a != NULL ? a : "(null)", b != NULL ? b : "(null)");
        _fail(file, line);
    }
}

void _assert_string_not_equal(const char *a, const char *b, const char *file, const int line)
{
    if (a == NULL || b == NULL ? a == b : strcmp(a, b) == 0) {
        print_error("\"%s\" == \"%s\"\n", a != NULL ? a : "(null)", b != NULL ? b : "(null)");
        _fail(file, line);
    }
}

void _assert_memory_equal(const void *const a, const void *const b, const size_t size,
                          const char *const file, const int line)
{
    const unsigned char *x = a, *y = b;
    size_t i, differences = 0;
    for (i = 0; i < size; i++) {
        if (x[i] == y[i])
            continue;
        if (differences < 8)
            print_error("difference at offset %zu 0x%02x 0x%02x\n", i, x[i], y[i]);
        differences++;
    }
    if (differences != 0) {
        print_error("%zu bytes of %p and %p differ\n", differences, a, b);
        _fail(file, line);
    }
}

void _assert_memory_not_equal(const void *const a, const void *const b, const size_t size,
                              const char *const file, const int line)
{
    if (memcmp(a, b, size) == 0) {
        print_error("%zu bytes of %p and %p are the same\n", size, a, b);
        _fail(file, line);
    }
}

void _assert_in_range(const LargestIntegralType value, const LargestIntegralType minimum,
                      const LargestIntegralType maximum, const char *const file, const int line)
{
    if (value < minimum || value > maximum) {
        print_error("%" PRIuMAX " is not within the range %" PRIuMAX "-%" PRIuMAX "\n", value, minimum,
                    maximum);
        _fail(file, line);
    }
}

void _assert_not_in_range(const LargestIntegralType value, const LargestIntegralType minimum,
                          const LargestIntegralType maximum, const char *const file, const int line)
{
    if (value >= minimum && value <= maximum) {
        print_error("%" PRIuMAX " is within the range %" PRIuMAX "-%" PRIuMAX "\n", value, minimum,
                    maximum);
        _fail(file, line);
    }
}

/* Runs fn(state) with assertions jumping back here; returns how it ended.
 * The state pointer is the caller's, so that a value the fixture stored in
 * it survives a jump (it lives outside this frame). */
static enum case_end run_guarded(CMUnitTestFunction test, CMFixtureFunction fixture, void **state,
                                 int *fixture_result)
{
    jmp_buf here;
    jmp_buf *const outer = current_case;
    current_end = CASE_RETURNED;
    current_case = &here;
    if (setjmp(here) == 0) {
        if (test != NULL)
            test(state);
        else
            *fixture_result = fixture(state);
    }
    current_case = outer;
    return current_end;
}

/* One fixture: 0 if it returned 0; it failing or skipping is a failure. */
static int run_fixture(CMFixtureFunction fixture, void **state, const char *what, const char *name)
{
    int result = 0;
    enum case_end how;
    if (fixture == NULL)
        return 0;
    how = run_guarded(NULL, fixture, state, &result);
    if (how == CASE_RETURNED && result == 0)
        return 0;
    print_error("[  ERROR   ] --- %s of %s failed\n", what, name);
    return -1;
}

int _cmocka_run_group_tests(const char *group_name, const struct CMUnitTest *const tests,
                            const size_t num_tests, CMFixtureFunction group_setup,
                            CMFixtureFunction group_teardown)
{
    void *group_state = NULL;
    size_t i, passed = 0, failed = 0, skipped = 0;
    const char **failed_names;

    failed_names = calloc(num_tests != 0 ? num_tests : 1, sizeof(*failed_names));
    if (failed_names == NULL) {
        print_error("[  ERROR   ] %s: out of memory\n", group_name);
        return (int)(num_tests != 0 ? num_tests : 1);
    }
    print_message("[==========] Running %zu test(s).\n", num_tests);
    if (run_fixture(group_setup, &group_state, "group setup", group_name) != 0) {
        print_error("[  FAILED  ] GROUP %s: group setup failed; %zu test(s) not run\n", group_name,
                    num_tests);
        free(failed_names);
        return (int)(num_tests != 0 ? num_tests : 1);
    }

    for (i = 0; i < num_tests; i++) {
        const struct CMUnitTest *t = &tests[i];
        void *state = t->initial_state != NULL ? t->initial_state : group_state;
        enum case_end how = CASE_FAILED;
        int ok;
        if (t->name == NULL || t->test_func == NULL)
            continue;
        print_message("[ RUN      ] %s\n", t->name);
        ok = run_fixture(t->setup_func, &state, "setup", t->name) == 0;
        if (ok) {
            how = run_guarded(t->test_func, NULL, &state, NULL);
            /* The teardown runs after a failed or skipped case too. */
            if (run_fixture(t->teardown_func, &state, "teardown", t->name) != 0)
                ok = 0;
        }
        if (ok && how == CASE_SKIPPED) {
            print_message("[  SKIPPED ] %s\n", t->name);
            skipped++;
        } else if (ok && how == CASE_RETURNED) {
            print_message("[       OK ] %s\n", t->name);
            passed++;
        } else {
            print_message("[  FAILED  ] %s\n", t->name);
            failed_names[failed++] = t->name;
        }
    }

    if (run_fixture(group_teardown, &group_state, "group teardown", group_name) != 0) {
        print_error("[  FAILED  ] GROUP %s: group teardown failed\n", group_name);
        if (failed == 0)
            failed = 1;
    }
    print_message("[==========] %zu test(s) run.\n", passed + failed + skipped);
    print_message("[  PASSED  ] %zu test(s).\n", passed);
    if (skipped != 0)
        print_message("[  SKIPPED ] %zu test(s).\n", skipped);
    if (failed != 0) {
        print_message("[  FAILED  ] %zu test(s), listed below:\n", failed);
        for (i = 0; i < failed && failed_names[i] != NULL; i++)
            print_message("[  FAILED  ] %s\n", failed_names[i]);
    }
    free(failed_names);
    return (int)failed;
}
