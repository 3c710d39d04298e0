#include "password/argon2_memory.hpp"

#include <argon2.h>
#include <sys/mman.h>

#include <mutex>
#include <utility>
#include <vector>
#include <warden/password/memory.hpp>

namespace warden::password {
namespace {

// One block per hash thread is the steady state; a few more cover a burst at mixed costs.
constexpr std::size_t max_cached_blocks = 16;

struct block_cache {
    std::mutex mutex;
    std::vector<std::pair<void*, std::size_t>> blocks;  // not in use
};

block_cache& cache() {
    static block_cache instance;  // never destroyed before the hash threads are joined
    return instance;
}

}  // namespace

int take_hash_memory(std::uint8_t** memory, std::size_t bytes) {
    {
        auto& c = cache();
        std::lock_guard const lock{c.mutex};
        for (auto it = c.blocks.begin(); it != c.blocks.end(); ++it) {
            if (it->second == bytes) {
                *memory = static_cast<std::uint8_t*>(it->first);
                c.blocks.erase(it);
                return ARGON2_OK;
            }
        }
    }
    void* fresh = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fresh == MAP_FAILED) return ARGON2_MEMORY_ALLOCATION_ERROR;
    *memory = static_cast<std::uint8_t*>(fresh);
    return ARGON2_OK;
}

void return_hash_memory(std::uint8_t* memory, std::size_t bytes) {
    {
        auto& c = cache();
        std::lock_guard const lock{c.mutex};
        if (c.blocks.size() < max_cached_blocks) {
            c.blocks.emplace_back(memory, bytes);
            return;
        }
    }
    munmap(memory, bytes);
}

std::size_t release_hash_memory() noexcept {
    std::vector<std::pair<void*, std::size_t>> released;
    {
        auto& c = cache();
        std::lock_guard const lock{c.mutex};
        released.swap(c.blocks);
    }
    std::size_t bytes = 0;
    for (auto const& [memory, size] : released) {
        munmap(memory, size);
        bytes += size;
    }
    return bytes;
}

std::size_t cached_hash_memory() noexcept {
    auto& c = cache();
    std::lock_guard const lock{c.mutex};
    std::size_t bytes = 0;
    for (auto const& block : c.blocks) bytes += block.second;
    return bytes;
}

}  // namespace warden::password
