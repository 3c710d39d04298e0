#pragma once
// Every limit the JWT module applies to untrusted input, in one place so tests can shrink them.
#include <cstddef>

namespace warden::jwt {

struct token_limits {
    std::size_t max_token_size =
        std::size_t{8} * 1024;        ///< bytes of compact token, checked before decoding
    std::size_t max_json_depth = 16;  ///< nesting of header and payload JSON
};

}  // namespace warden::jwt
