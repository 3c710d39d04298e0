#include <warden/auth/live_keys.hpp>

namespace warden::auth {
namespace {

std::uint64_t next_instance_id() noexcept {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

/// Each thread's copy of the material it read last, and whose and which generation it is.
struct thread_copy {
    std::uint64_t owner = 0;
    std::uint64_t generation = 0;
    std::shared_ptr<signing_material const> material;
};

thread_local thread_copy copy;

}  // namespace

live_keys::live_keys(signing_material first)
    : id_(next_instance_id()),
      current_(std::make_shared<signing_material const>(std::move(first))) {}

signing_material const& live_keys::get() const {
    auto const generation = generation_.load(std::memory_order_acquire);
    if (copy.owner != id_ || copy.generation != generation) {
        std::lock_guard const lock{mutex_};
        copy.material = current_;
        // Read under the lock: the generation that goes with `current_`.
        copy.generation = generation_.load(std::memory_order_relaxed);
        copy.owner = id_;
    }
    return *copy.material;
}

void live_keys::replace(signing_material next) {
    auto material = std::make_shared<signing_material const>(std::move(next));
    std::lock_guard const lock{mutex_};
    current_ = std::move(material);
    generation_.fetch_add(1, std::memory_order_release);
}

}  // namespace warden::auth
