#pragma once
// Strict JSON for untrusted input: one RFC 8259 text, valid UTF-8, bounded depth, and no object
// with the same member name twice (RFC 8725 §3.5 / RFC 7515 §5.2: duplicates are ambiguous).
#include <cstddef>
#include <string_view>

#include <boost/json/value.hpp>

#include <warden/core/result.hpp>

namespace warden {

struct json_limits {
    std::size_t max_depth = 16;
};

/// Parses `text` strictly. Errors: `core_errc::invalid_json` (syntax, trailing data, invalid
/// UTF-8, comments, a number beyond the double range), `core_errc::duplicate_member`,
/// `core_errc::json_too_deep`.
[[nodiscard]] result<boost::json::value> parse_json_strict(std::string_view text,
                                                           json_limits limits = {});

}  // namespace warden
