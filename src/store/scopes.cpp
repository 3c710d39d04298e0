#include "store/scopes.hpp"

#include <algorithm>

#include <warden/store/errc.hpp>

namespace warden::store {

bool is_scope_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [](char ch) {
        auto const c = static_cast<unsigned char>(ch);
        return c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
    });
}

result<std::string> encode_scopes(std::vector<std::string> const& scopes) {
    std::vector<std::string_view> sorted;
    sorted.reserve(scopes.size());
    for (auto const& s : scopes) {
        if (!is_scope_token(s)) return errc::invalid_argument;
        sorted.emplace_back(s);
    }
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::string out;
    for (auto s : sorted) {
        if (!out.empty()) out += ' ';
        out += s;
    }
    return out;
}

std::vector<std::string> decode_scopes(std::string_view stored) {
    std::vector<std::string> out;
    while (!stored.empty()) {
        auto const space = stored.find(' ');
        out.emplace_back(stored.substr(0, space));
        if (space == std::string_view::npos) break;
        stored.remove_prefix(space + 1);
    }
    return out;
}

}  // namespace warden::store
