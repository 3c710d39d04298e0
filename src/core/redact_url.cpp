#include <warden/core/redact_url.hpp>

#include <algorithm>

namespace warden {

std::string redact_url(std::string_view url) {
    std::string out{url};
    auto const scheme_end = out.find("://");
    if (scheme_end != std::string::npos) {
        auto const authority = scheme_end + 3;
        auto const authority_end = std::min(out.find_first_of("/?#", authority), out.size());
        auto const at = out.rfind('@', authority_end);
        if (at != std::string::npos && at >= authority) {
            auto const colon = out.find(':', authority);
            if (colon != std::string::npos && colon < at)
                out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    for (auto pos = out.find("password="); pos != std::string::npos;
         pos = out.find("password=", pos + 1)) {
        if (pos != 0 && out[pos - 1] != '?' && out[pos - 1] != '&') continue;
        auto const value = pos + 9;
        auto const end = std::min(out.find('&', value), out.size());
        out.replace(value, end - value, "***");
    }
    return out;
}

}  // namespace warden
