#pragma once
#include <cstddef>
#include <string>

#include <warden/core/result.hpp>

namespace warden {

/// `n` bytes from the OS CSPRNG (OpenSSL RAND_bytes); `core_errc::random_failed` if it fails.
[[nodiscard]] result<std::string> random_bytes(std::size_t n);

}  // namespace warden
