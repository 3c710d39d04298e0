#pragma once
// argon2's working memory (m KiB per hash: 19 MiB at the default cost) is kept between hashes,
// so a stream of logins does not page-fault it in again each time (that costs several times the
// hash itself). A server at rest hands it back with `release_hash_memory` (wardend does so every
// 10 s without a hash in progress); blocks in use are never touched.
#include <cstddef>

namespace warden::password {

/// Unmaps every cached argon2 block not in use; returns the bytes given back. Thread-safe.
std::size_t release_hash_memory() noexcept;

/// Bytes of argon2 memory cached right now (not in use).
[[nodiscard]] std::size_t cached_hash_memory() noexcept;

}  // namespace warden::password
