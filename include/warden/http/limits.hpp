#pragma once
// Every limit of the HTTP layer in one runtime struct (SPEC §5), so tests can shrink them.
#include <chrono>
#include <cstddef>

namespace warden::http {

struct limits {
    std::size_t max_header_bytes = 16 * 1024;  ///< request line + headers; beyond: 431
    std::size_t max_body_bytes = 64 * 1024;    ///< beyond: 413
    std::size_t max_json_depth = 16;
    std::size_t max_connections = 10'000;  ///< beyond: new connections are closed at once
    std::chrono::milliseconds header_timeout{10'000};  ///< first byte to end of headers
    std::chrono::milliseconds body_timeout{30'000};    ///< end of headers to end of body
    std::chrono::milliseconds idle_timeout{60'000};    ///< keep-alive wait for the next request
    std::chrono::milliseconds write_timeout{30'000};
};

}  // namespace warden::http
