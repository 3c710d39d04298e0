#pragma once
// The error model shared by every module (DESIGN.md "Errors are values").
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace warden {

using error_code = boost::system::error_code;

/// A value or an error_code. Boost 1.81 has no `|`/`&` operators: use early returns.
template <class T>
using result = boost::system::result<T, error_code>;

}  // namespace warden
