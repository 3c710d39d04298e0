#pragma once
// Test names with a number in them, built by appending: GCC 12 at -O3 reports a bogus
// -Wrestrict overlap for `"literal" + std::to_string(n)`.
#include <string>
#include <string_view>

namespace warden::test {

/// `prefix` + `n` + `suffix`.
inline std::string numbered(std::string prefix, long long n, std::string_view suffix = {}) {
    prefix += std::to_string(n);
    prefix += suffix;
    return prefix;
}

}  // namespace warden::test
