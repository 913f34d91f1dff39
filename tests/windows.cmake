# The test suite of the Windows build (included by tests/CMakeLists.txt):
# the conformance suite, the same sources as on Linux, linked against
# iocpcompat.dll, so every call of the renamed names goes through it, and
# the Windows build's own tests (tests/windows/). Each case is a ctest test
# per mode, <program>.<case>.<mode>; when cross-compiling they run under
# Wine (the toolchain's emulator) in a throwaway prefix in the build tree.
#
# Wine is not Windows: cases that fail under Wine because Wine differs from
# Windows are listed, each with its spec row and the reason, in
# tests/windows/wine-deviations.txt, and registered as expected to fail
# there (WILL_FAIL), as Wine's own tests mark theirs todo_wine: when Wine
# changes, they show. Cases that pass or fail from run to run under Wine
# are listed there too, and not run under Wine (ctest reports them as
# Disabled).

set(IOCPCOMPAT_WINDOWS_MODES iocp)

add_library(cmocka_standin STATIC ${CMAKE_CURRENT_SOURCE_DIR}/conformance/mingw/cmocka.c)
target_include_directories(cmocka_standin PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/conformance/mingw)

set(windows_test_environment)
set(under_wine OFF)
if(CMAKE_CROSSCOMPILING)
  if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
    message(FATAL_ERROR "The Windows build's tests run under Wine, which was not found: "
      "install wine and wine64 (scripts/install-deps does), or configure with -DIOCPCOMPAT_BUILD_TESTS=OFF")
  endif()
  set(under_wine ON)
  set(wine_prefix ${CMAKE_CURRENT_BINARY_DIR}/wineprefix)
  set(windows_test_environment
    WINEPREFIX=${wine_prefix} WINEDEBUG=-all WINEDLLOVERRIDES=mscoree,mshtml=)
  # The prefix is made once, before any case, and its wineserver kept
  # running until the last case ends: a case that started the server itself
  # would leave it holding ctest's pipe for seconds after the case ended.
  # Their output goes to a file, for the same reason.
  get_filename_component(wine_dir ${CMAKE_CROSSCOMPILING_EMULATOR} DIRECTORY)
  find_program(IOCPCOMPAT_WINESERVER NAMES wineserver64 wineserver HINTS ${wine_dir}
    NO_CMAKE_FIND_ROOT_PATH REQUIRED)
  set(wine_log ${wine_prefix}.log)
  add_test(NAME wine.prefix
    COMMAND ${CMAKE_COMMAND} -E env ${windows_test_environment} sh -c
      "mkdir -p '${wine_prefix}' && { '${IOCPCOMPAT_WINESERVER}' -k; '${IOCPCOMPAT_WINESERVER}' -p 120; } </dev/null >'${wine_log}' 2>&1 && '${CMAKE_CROSSCOMPILING_EMULATOR}' wineboot --init </dev/null >>'${wine_log}' 2>&1")
  add_test(NAME wine.server_stop
    COMMAND ${CMAKE_COMMAND} -E env ${windows_test_environment} sh -c
      "'${IOCPCOMPAT_WINESERVER}' -k </dev/null >>'${wine_log}' 2>&1; true")
  set_tests_properties(wine.server_stop PROPERTIES FIXTURES_CLEANUP wine TIMEOUT 60)
  set_tests_properties(wine.prefix PROPERTIES FIXTURES_SETUP wine TIMEOUT 300)
endif()

file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/windows/wine-deviations.txt deviation_lines
  REGEX "^[A-Za-z]")
set(deviations)
set(unstable)
foreach(line ${deviation_lines})
  string(REGEX MATCH "^[^ \t]+" name "${line}")
  list(APPEND deviations ${name})
  if(line MATCHES "[ \t]unstable:")
    list(APPEND unstable ${name})
  elseif(NOT line MATCHES "[ \t]fails")
    message(FATAL_ERROR "tests/windows/wine-deviations.txt: '${line}' says neither fails: nor unstable:")
  endif()
endforeach()

# windows_program(NAME SOURCE): a test program of the suite, registered
# case by case in every mode. The RIO rows run a second time over the
# overlapped RIO provider (<case>.iocp-overlapped_rio), which is what
# serves RIO under Wine.
function(windows_program name source)
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE iocpcompat::iocpcompat cmocka_standin winmm)
  target_compile_options(${name} PRIVATE ${IOCPCOMPAT_WARNINGS})
  iocpcompat_add_cases(${name} ${source} ENGINES ${IOCPCOMPAT_WINDOWS_MODES}
    ENVIRONMENT ${windows_test_environment} TIMEOUT 120)
  if(name STREQUAL "test_rio")
    iocpcompat_add_cases(${name} ${source} ENGINES iocp SUFFIX -overlapped_rio
      ENVIRONMENT ${windows_test_environment} IOCPCOMPAT_RIO_PROVIDER=overlapped TIMEOUT 120)
  endif()
endfunction()

file(GLOB conformance_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/conformance/test_*.c)
file(GLOB windows_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/windows/test_*.c
  ${CMAKE_CURRENT_SOURCE_DIR}/windows/test_*.cpp)
foreach(source ${conformance_sources} ${windows_sources})
  get_filename_component(name ${source} NAME_WE)
  windows_program(${name} ${source})
endforeach()

# The Windows build installed and used by a consumer (find_package and
# pkg-config, each run under Wine).
if(under_wine)
  add_test(NAME packaging.windows
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/packaging/windows-packaging-test.sh
      --cmake=${CMAKE_COMMAND} --build-dir=${PROJECT_BINARY_DIR}
      --work-dir=${CMAKE_CURRENT_BINARY_DIR}/packaging-work --version=${PROJECT_VERSION}
      --toolchain=${CMAKE_TOOLCHAIN_FILE} --emulator=${CMAKE_CROSSCOMPILING_EMULATOR}
      --cc=${CMAKE_C_COMPILER})
  set_tests_properties(packaging.windows PROPERTIES TIMEOUT 300
    ENVIRONMENT "${windows_test_environment}")
endif()

# Every test needs the prefix; the listed deviations are expected to fail
# under Wine, and a listed name that names no test is an error, so that
# the list stays true.
get_property(windows_tests DIRECTORY PROPERTY TESTS)
foreach(test ${windows_tests})
  if(test MATCHES "^wine\\.")
    continue()
  endif()
  if(under_wine)
    set_tests_properties(${test} PROPERTIES FIXTURES_REQUIRED wine)
    if(test IN_LIST unstable)
      set_tests_properties(${test} PROPERTIES DISABLED TRUE)
    elseif(test IN_LIST deviations)
      set_tests_properties(${test} PROPERTIES WILL_FAIL TRUE)
    endif()
  endif()
endforeach()
foreach(name ${deviations})
  if(NOT name IN_LIST windows_tests)
    message(FATAL_ERROR "tests/windows/wine-deviations.txt lists ${name}, which is no test")
  endif()
endforeach()
