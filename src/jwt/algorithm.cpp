#include <array>
#include <utility>
#include <warden/jwt/algorithm.hpp>

namespace warden::jwt {
namespace {

constexpr std::array<std::pair<algorithm, std::string_view>, 13> names{{
    {algorithm::hs256, "HS256"},
    {algorithm::hs384, "HS384"},
    {algorithm::hs512, "HS512"},
    {algorithm::rs256, "RS256"},
    {algorithm::rs384, "RS384"},
    {algorithm::rs512, "RS512"},
    {algorithm::ps256, "PS256"},
    {algorithm::ps384, "PS384"},
    {algorithm::ps512, "PS512"},
    {algorithm::es256, "ES256"},
    {algorithm::es384, "ES384"},
    {algorithm::es512, "ES512"},
    {algorithm::eddsa, "EdDSA"},
}};

}  // namespace

std::string_view to_string(algorithm alg) noexcept {
    for (auto const& [a, name] : names) {
        if (a == alg) return name;
    }
    return "unknown";
}

std::optional<algorithm> algorithm_from_string(std::string_view name) noexcept {
    // Case-sensitive (RFC 7515 §4.1.1): "none", "None", "hs256" are all unknown here.
    for (auto const& [a, n] : names) {
        if (n == name) return a;
    }
    return std::nullopt;
}

key_type key_type_of(algorithm alg) noexcept {
    switch (alg) {
        case algorithm::hs256:
        case algorithm::hs384:
        case algorithm::hs512:
            return key_type::oct;
        case algorithm::rs256:
        case algorithm::rs384:
        case algorithm::rs512:
        case algorithm::ps256:
        case algorithm::ps384:
        case algorithm::ps512:
            return key_type::rsa;
        case algorithm::es256:
        case algorithm::es384:
        case algorithm::es512:
            return key_type::ec;
        case algorithm::eddsa:
            return key_type::okp;
    }
    return key_type::oct;
}

std::size_t hash_size(algorithm alg) noexcept {
    switch (alg) {
        case algorithm::hs256:
        case algorithm::rs256:
        case algorithm::ps256:
        case algorithm::es256:
            return 32;
        case algorithm::hs384:
        case algorithm::rs384:
        case algorithm::ps384:
        case algorithm::es384:
            return 48;
        case algorithm::hs512:
        case algorithm::rs512:
        case algorithm::ps512:
        case algorithm::es512:
        case algorithm::eddsa:
            return 64;
    }
    return 32;
}

}  // namespace warden::jwt
