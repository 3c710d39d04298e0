#pragma once
// The change feed's cursor on a database: the decimal position of the last entry read (0 before
// the first). Parsed strictly: only a cursor the feed itself wrote is accepted.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warden::store {

/// The position in `cursor`: digits only, no sign, no leading zero (but "0"), within int64.
[[nodiscard]] inline std::optional<std::int64_t> parse_feed_position(
    std::string_view cursor) noexcept {
    if (cursor.empty() || (cursor.size() > 1 && cursor.front() == '0')) return std::nullopt;
    for (char const ch : cursor) {
        if (ch < '0' || ch > '9') return std::nullopt;
    }
    std::int64_t position = 0;
    auto const [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), position);
    if (ec != std::errc{} || end != cursor.data() + cursor.size()) return std::nullopt;
    return position;
}

/// A page size as a SQL LIMIT (the largest int64 for anything above it).
[[nodiscard]] inline std::int64_t feed_limit(std::size_t limit) noexcept {
    constexpr auto most = static_cast<std::size_t>(INT64_MAX);
    return static_cast<std::int64_t>(limit > most ? most : limit);
}

}  // namespace warden::store
