# Registers each case of a cmocka program as its own ctest test, so that a
# crash in one case hides none of the others and a failure names its case:
# <program>.<case>.<engine><SUFFIX> for each of ENGINES (IOCPCOMPAT_BACKEND=engine,
# with ENVIRONMENT besides, which SUFFIX names when it is not empty),
# or <program>.<case> without ENGINES. <case> is the function's name without
# its test_ prefix; the test runs the program with the function's name. The
# cases are read from the source's tables (cmocka_unit_test(name),
# cmocka_unit_test_setup_teardown(name, ...), ...), and the source is a
# configure dependency, so that a case added or renamed is registered again
# on the next build. On io_uring, exit code 77 is a skip: the machine refuses
# io_uring (see conformance_check_engine in tests/conformance/conformance.h).
function(iocpcompat_add_cases program source)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "TIMEOUT;SUFFIX" "ENGINES;ENVIRONMENT")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
  file(READ ${source} text)
  string(REGEX MATCHALL "cmocka_unit_test[a-z_]*\\([ \t\r\n]*[A-Za-z_][A-Za-z0-9_]*" entries "${text}")
  if(NOT entries)
    message(FATAL_ERROR "${source}: no cmocka_unit_test(...) entry found, so no test to register")
  endif()
  set(cases)
  foreach(entry ${entries})
    string(REGEX REPLACE "^[^(]*\\([ \t\r\n]*" "" function_name "${entry}")
    string(REGEX REPLACE "^test_" "" case "${function_name}")
    if(case IN_LIST cases)
      message(FATAL_ERROR "${source}: case ${function_name} is listed twice")
    endif()
    list(APPEND cases ${case})
    if(arg_ENGINES)
      foreach(engine ${arg_ENGINES})
        set(test ${program}.${case}.${engine}${arg_SUFFIX})
        add_test(NAME ${test} COMMAND ${program} ${function_name})
        set(environment "IOCPCOMPAT_BACKEND=${engine}" ${arg_ENVIRONMENT})
        set_tests_properties(${test} PROPERTIES
          ENVIRONMENT "${environment}"
          TIMEOUT ${arg_TIMEOUT})
        if(engine STREQUAL "io_uring")
          set_tests_properties(${test} PROPERTIES SKIP_RETURN_CODE 77)
        endif()
      endforeach()
    else()
      add_test(NAME ${program}.${case} COMMAND ${program} ${function_name})
      set_tests_properties(${program}.${case} PROPERTIES TIMEOUT ${arg_TIMEOUT})
    endif()
  endforeach()
endfunction()

