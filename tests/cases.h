/*
 * The main() of every cmocka test program, conformance and unit alike.
 * tests/CMakeLists.txt registers each case as its own ctest test, which runs
 * the program with the case's name; without an argument the program runs
 * every case, as by hand. Plain C and cmocka only, so that the conformance
 * sources still build against the Windows SDK.
 */
#ifndef TESTS_CASES_H
#define TESTS_CASES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

/* One table of cases and the fixture that wraps all of them. A case run alone
 * still runs inside its group's setup and teardown, so that it sees the
 * state (WSAStartup...) it sees in a full run. */
typedef struct case_group {
    const char *name;
    const struct CMUnitTest *tests;
    size_t count;
    CMFixtureFunction setup;
    CMFixtureFunction teardown;
} case_group;

#define CASE_GROUP(tests, setup, teardown) \
    { #tests, (tests), sizeof(tests) / sizeof((tests)[0]), (setup), (teardown) }

/* Runs every case of the groups, or only the one named by argv[1]. A name
 * that matches no case fails, so that a typo in a registration cannot pass
 * by running nothing. before, when not NULL, runs once the arguments are
 * known to be good; a non-zero result is the exit status, and no case runs.
 * The exit status is otherwise 0 or 1, never cmocka's count of failures: a
 * count of 77 would read as "skipped" to ctest. */
static inline int run_case_groups(int argc, char **argv, const case_group *groups, size_t ngroups,
                                  int (*before)(void))
{
    size_t g, i;
    int failed = 0, status;
    if (argc > 2) {
        fprintf(stderr, "usage: %s [case]\n", argv[0]);
        return 1;
    }
    if (argc == 2) {
        for (g = 0; g < ngroups; g++) {
            for (i = 0; i < groups[g].count; i++) {
                const struct CMUnitTest *t = &groups[g].tests[i];
                /* An exact name, not cmocka_set_test_filter()'s pattern:
                 * test_a5_x must not also run test_a5_x_with_data. */
                if (t->name == NULL || strcmp(t->name, argv[1]) != 0)
                    continue;
                if (before != NULL && (status = before()) != 0)
                    return status;
                return _cmocka_run_group_tests(groups[g].name, t, 1, groups[g].setup,
                                               groups[g].teardown) != 0;
            }
        }
        fprintf(stderr, "%s: no case is named '%s'; the cases are:\n", argv[0], argv[1]);
        for (g = 0; g < ngroups; g++)
            for (i = 0; i < groups[g].count; i++)
                fprintf(stderr, "  %s\n", groups[g].tests[i].name);
        return 1;
    }
    if (before != NULL && (status = before()) != 0)
        return status;
    for (g = 0; g < ngroups; g++)
        failed |= _cmocka_run_group_tests(groups[g].name, groups[g].tests, groups[g].count,
                                          groups[g].setup, groups[g].teardown) != 0;
    return failed;
}

/* The usual program: one table, one group fixture. */
#define run_cases(argc, argv, tests, setup, teardown)                                   \
    run_case_groups((argc), (argv), (const case_group[]){CASE_GROUP(tests, setup, teardown)}, 1, \
                    NULL)

#endif
