#include <limits>
#include <warden/password/errc.hpp>
#include <warden/password/options.hpp>

#include "password/codec.hpp"

namespace warden::password {
namespace {

std::optional<std::uint32_t> field(std::string_view& text, std::string_view key, bool last) {
    if (!text.starts_with(key)) return std::nullopt;
    text.remove_prefix(key.size());
    auto const end = last ? text.size() : text.find(',');
    if (end == std::string_view::npos) return std::nullopt;
    auto const value =
        parse_decimal(text.substr(0, end), std::numeric_limits<std::uint32_t>::max());
    text.remove_prefix(last ? end : end + 1);
    if (!value) return std::nullopt;
    return static_cast<std::uint32_t>(*value);
}

}  // namespace

result<argon2_params> parse_argon2_params(std::string_view text) {
    auto const m = field(text, "m=", false);
    auto const t = m ? field(text, "t=", false) : std::nullopt;
    auto const p = t ? field(text, "p=", true) : std::nullopt;
    if (!p) return make_error_code(errc::invalid_costs);
    return argon2_params{.memory_kib = *m, .iterations = *t, .parallelism = *p};
}

std::string to_string(argon2_params const& params) {
    return "m=" + std::to_string(params.memory_kib) + ",t=" + std::to_string(params.iterations) +
           ",p=" + std::to_string(params.parallelism);
}

}  // namespace warden::password
