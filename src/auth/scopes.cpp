#include <warden/auth/scopes.hpp>

#include <algorithm>
#include <iterator>

#include <warden/auth/errc.hpp>

namespace warden::auth {
namespace {

bool is_scope_char(char c) {
    auto const u = static_cast<unsigned char>(c);
    return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

}  // namespace

result<scope_list> parse_scopes(std::string_view text) {
    scope_list scopes;
    while (!text.empty()) {
        auto const space = text.find(' ');
        auto const token = text.substr(0, space);
        if (!token.empty()) {
            if (!std::all_of(token.begin(), token.end(), is_scope_char)) {
                return make_error_code(errc::invalid_scope_syntax);
            }
            scopes.emplace_back(token);
        }
        if (space == std::string_view::npos) break;
        text.remove_prefix(space + 1);
    }
    std::sort(scopes.begin(), scopes.end());
    scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    return scopes;
}

bool is_grantable(scope_list const& scopes) noexcept {
    return scopes.size() <= max_granted_scopes &&
           std::all_of(scopes.begin(), scopes.end(),
                       [](auto const& s) { return s.size() <= max_scope_length; });
}

std::string join_scopes(scope_list const& scopes) {
    std::string out;
    for (auto const& s : scopes) {
        if (!out.empty()) out += ' ';
        out += s;
    }
    return out;
}

bool includes_all(scope_list const& held, scope_list const& wanted) {
    return std::includes(held.begin(), held.end(), wanted.begin(), wanted.end());
}

scope_list intersect(scope_list const& a, scope_list const& b) {
    scope_list out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

}  // namespace warden::auth
