#include "app/mail/mail_link.hpp"

namespace warden::app {
namespace {

// RFC 3986 §2.3: unreserved characters stay, every other byte is %XX.
std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char const c : text) {
        auto const u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4U];
            out += hex[u & 0x0FU];
        }
    }
    return out;
}

}  // namespace

std::string mail_link(std::string_view public_url, mail_kind kind, std::string_view token) {
    while (!public_url.empty() && public_url.back() == '/') public_url.remove_suffix(1);
    std::string link{public_url};
    link += kind == mail_kind::verify_email ? "/verify-email?token=" : "/reset-password?token=";
    link += percent_encode(token);
    return link;
}

}  // namespace warden::app
