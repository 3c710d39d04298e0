// Strict JSON parsing of untrusted bytes: never crashes, and what it accepts serializes to text it
// accepts again (no duplicate member or depth it let through). Doubles are not compared: Boost.JSON
// 1.81 parses them without correct rounding, so a round trip may move the last bit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json/serialize.hpp>

#include <warden/core/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const text{reinterpret_cast<char const*>(data), size};
    auto const parsed = warden::parse_json_strict(text);
    if (!parsed) return 0;
    auto const again = warden::parse_json_strict(boost::json::serialize(*parsed));
    if (!again || again->kind() != parsed->kind()) std::abort();
    return 0;
}
