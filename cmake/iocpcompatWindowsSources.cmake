# iocpcompat_windows_sources(<target> [SEH] [VOID_MAIN] [MSVC_STD_INCLUDES] [DEFINE_WIN32])
#
# Builds a target's Windows sources unchanged where the language or the file
# system differs from Windows' (README, "Porting a server"). The target must
# link iocpcompat::iocpcompat. Always:
#   - #include lines that Windows resolves but Linux does not (the file's
#     case differs, or the path has backslashes) resolve through a folder of
#     forwarding headers in the build tree, written before each build by
#     iocpcompat-fix-includes from the target's sources and include path;
#   - a source whose extension is .c, .cpp, .cxx or .cc in another case
#     (Worker.Cpp, MAIN.C) is compiled as Visual Studio does: .c as C, the
#     others as C++ (CMake knows no .Cpp, and takes .C for C++).
# Options:
#   SEH                __try/__except/__finally/__leave (iocpcompat_seh.h)
#   VOID_MAIN          the target's main returns void (-Dmain=iocpcompat_void_main)
#   MSVC_STD_INCLUDES  C++ sources see the standard headers that MSVC's own
#                      headers include (iocpcompat_msvc_std.h)
#   DEFINE_WIN32       defines _WIN32 and _WIN64, as MSVC does for x64
include_guard(GLOBAL)

function(iocpcompat_windows_sources target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "SEH;VOID_MAIN;MSVC_STD_INCLUDES;DEFINE_WIN32" "" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "iocpcompat_windows_sources: unknown argument(s) ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "iocpcompat_windows_sources: ${target} is not a target")
  endif()
  # Installed next to this file; in the source tree, in tools/.
  set(fix ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/iocpcompat-fix-includes)
  if(NOT EXISTS ${fix})
    set(fix ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../tools/iocpcompat-fix-includes)
  endif()

  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  get_target_property(binary_dir ${target} BINARY_DIR)
  foreach(source IN LISTS sources)
    get_filename_component(ext "${source}" LAST_EXT)
    string(TOLOWER "${ext}" lower)
    if(ext STREQUAL lower OR source MATCHES "\\$<")
      continue()
    elseif(lower STREQUAL ".c")
      set_source_files_properties(${source} TARGET_DIRECTORY ${target} PROPERTIES LANGUAGE C)
    elseif(lower MATCHES "^\\.(cpp|cxx|cc)$")
      set_source_files_properties(${source} TARGET_DIRECTORY ${target} PROPERTIES LANGUAGE CXX)
    endif()
  endforeach()

  # The sources and include path are known at generation time, and the
  # includes in them may change between builds: the tool runs before each
  # build of the target, and rewrites only what changed. (A second call on
  # the same target adds its options only.)
  if(NOT TARGET ${target}_windows_includes)
    set(dir ${binary_dir}/${target}.windows-includes)
    file(MAKE_DIRECTORY ${dir}/_/_/_/_)
    set(include_path "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
    file(GENERATE OUTPUT ${dir}.args CONTENT
      "-n\n-o\n${dir}\n$<$<BOOL:${include_path}>:-I$<JOIN:${include_path},\n-I>\n>$<JOIN:$<TARGET_PROPERTY:${target},SOURCES>,\n>\n")
    add_custom_target(${target}_windows_includes
      COMMAND bash ${fix} @${dir}.args
      WORKING_DIRECTORY ${source_dir}
      VERBATIM)
    add_dependencies(${target} ${target}_windows_includes)
    target_include_directories(${target} PRIVATE ${dir}/_/_/_/_)
  endif()

  # By name, through the include path iocpcompat::iocpcompat gives.
  if(arg_SEH)
    target_compile_options(${target} PRIVATE "SHELL:-include iocpcompat_seh.h")
  endif()
  if(arg_MSVC_STD_INCLUDES)
    target_compile_options(${target} PRIVATE "SHELL:-include iocpcompat_msvc_std.h")
  endif()
  if(arg_VOID_MAIN)
    target_compile_definitions(${target} PRIVATE main=iocpcompat_void_main)
  endif()
  if(arg_DEFINE_WIN32)
    target_compile_definitions(${target} PRIVATE _WIN32=1 _WIN64=1)
  endif()
endfunction()
