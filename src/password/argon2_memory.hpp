#pragma once
// libargon2's allocate/free callbacks over the block cache of <warden/password/memory.hpp>.
#include <cstddef>
#include <cstdint>

namespace warden::password {

/// Takes a cached block of exactly `bytes`, or maps a new one. Returns ARGON2_OK or
/// ARGON2_MEMORY_ALLOCATION_ERROR (libargon2's allocate_fptr contract).
int take_hash_memory(std::uint8_t** memory, std::size_t bytes);

/// Puts a block back in the cache (libargon2 has already wiped it); beyond the cache's bound
/// it is unmapped at once.
void return_hash_memory(std::uint8_t* memory, std::size_t bytes);

}  // namespace warden::password
