#include "app/log_safe.hpp"

namespace warden::app {

std::string log_safe(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (char const c : text) {
        auto const byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f && c != '\\') {
            out += c;
            continue;
        }
        out += "\\x";
        out += hex[byte >> 4U];
        out += hex[byte & 0x0fU];
    }
    return out;
}

}  // namespace warden::app
