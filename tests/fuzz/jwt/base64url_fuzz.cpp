// base64url: the verifier's buffer decoder against core's, and encode/decode round trips.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <warden/core/base64url.hpp>

#include "jwt/base64url.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const in{reinterpret_cast<char const*>(data), size};

    // Decoding arbitrary text: same verdict and bytes; the output buffer is exactly the size the
    // contract promises, so AddressSanitizer catches any write past it.
    auto const core = warden::base64url_decode(in);
    std::size_t const room = warden::base64url_decoded_size(size);
    std::unique_ptr<char[]> out{new char[room == 0 ? 1 : room]};
    auto const fast = warden::jwt::detail::base64url_decode(in, out.get());
    if (core.has_value() != fast.has_value()) __builtin_trap();
    if (core && (core->size() != *fast || std::memcmp(core->data(), out.get(), *fast) != 0)) {
        __builtin_trap();
    }

    // Encoding arbitrary bytes: both encoders agree and both decoders give the bytes back.
    std::string const encoded = warden::base64url_encode(in);
    std::size_t const enc_room = warden::jwt::detail::base64url_encoded_size(size);
    std::unique_ptr<char[]> enc{new char[enc_room == 0 ? 1 : enc_room]};
    if (warden::jwt::detail::base64url_encode(in, enc.get()) != encoded.size() ||
        std::memcmp(enc.get(), encoded.data(), encoded.size()) != 0) {
        __builtin_trap();
    }
    auto const back = warden::base64url_decode(encoded);
    if (!back || *back != in) __builtin_trap();
    std::unique_ptr<char[]> round{new char[size == 0 ? 1 : size]};  // exactly the original size
    auto const fast_back = warden::jwt::detail::base64url_decode(encoded, round.get());
    if (!fast_back || *fast_back != size || std::memcmp(round.get(), data, size) != 0)
        __builtin_trap();
    return 0;
}
