/*
 * The standard headers that MSVC's own standard headers include, for C++
 * written against them: with MSVC, <unordered_map> brings std::vector,
 * std::list and std::string (its hash table is a list with a vector of
 * iterators), <string> brings the stream and exception classes, and
 * <memory>, <map> and <algorithm> bring <utility>, <iterator>, <tuple> and
 * <functional>'s function objects; libstdc++ declares only what each header
 * names. Force-include it (-include iocpcompat_msvc_std.h, or the
 * MSVC_STD_INCLUDES option of iocpcompat_windows_sources()).
 *
 * The set is what the commonly included MSVC headers reach, not every
 * standard header: <thread>, <mutex>, <atomic>, <chrono>, <fstream>,
 * <sstream>, <iostream>'s std::cout and the like are not brought by them on
 * MSVC either, so code that uses them includes them. C sees nothing here.
 */
#ifndef IOCPCOMPAT_MSVC_STD_H
#define IOCPCOMPAT_MSVC_STD_H
#ifdef __cplusplus
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <exception>
#include <functional>
#include <istream>
#include <iterator>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <new>
#include <ostream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>
#endif
#endif
