#include <warden/core/work_pool.hpp>

#include <thread>

namespace warden {
namespace {

std::size_t thread_count(std::size_t requested) {
    if (requested != 0) return requested;
    auto const cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : cores;
}

}  // namespace

work_pool::work_pool(options opts)
    : threads_(thread_count(opts.threads)),
      capacity_(threads_ + opts.queue_limit),
      pool_(threads_) {}

work_pool::~work_pool() { pool_.join(); }

void work_pool::join() { pool_.join(); }

bool work_pool::try_acquire() noexcept {
    auto current = pending_.load();
    do {
        if (current >= capacity_) {
            rejected_.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
    } while (!pending_.compare_exchange_weak(current, current + 1));
    return true;
}

}  // namespace warden
