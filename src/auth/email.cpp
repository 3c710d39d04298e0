#include <warden/auth/email.hpp>

#include <warden/core/utf8.hpp>

namespace warden::auth {

bool is_valid_email(std::string_view email) noexcept {
    if (email.empty() || email.size() > 254 || !is_valid_utf8(email)) return false;
    auto const at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || email.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    for (char const ch : email) {
        auto const c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c == 0x7F || ch == '"' || ch == '<' || ch == '>' || ch == '\\' || ch == ',' ||
            ch == ';' || ch == '(' || ch == ')' || ch == '[' || ch == ']') {
            return false;
        }
    }
    auto const domain = email.substr(at + 1);
    if (domain.find('.') == std::string_view::npos) return false;
    // Labels: non-empty, not starting or ending with '-'.
    std::size_t start = 0;
    while (start <= domain.size()) {
        auto const dot = domain.find('.', start);
        auto const label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return email.substr(0, at).front() != '.' && email.substr(0, at).back() != '.';
}

}  // namespace warden::auth
