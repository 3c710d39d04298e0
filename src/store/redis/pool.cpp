#include "store/redis/pool.hpp"

#include <algorithm>
#include <new>
#include <utility>

#include <warden/store/errc.hpp>

namespace warden::store {

redis_pool::redis_pool(redis_endpoint at, std::size_t max_connections,
                       std::span<std::string_view const> scripts)
    : at_(std::move(at)), max_(std::max<std::size_t>(max_connections, 1)), scripts_(scripts) {
    idle_.reserve(std::min<std::size_t>(max_, 64));
}

redis_pool::~redis_pool() = default;

result<redis_pool::lease> redis_pool::acquire(redis_clock::time_point deadline, std::string* why) {
    std::vector<std::unique_ptr<redis_connection>> closed;  // freed below, outside the lock
    std::unique_lock lock{mutex_};
    auto const ready = [this] { return !idle_.empty() || open_ < max_; };
    if (!available_.wait_until(lock, deadline, ready)) {
        if (why != nullptr) *why = "no Redis connection became free in time";
        return errc::unavailable;
    }
    while (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        if (c->still_open()) return lease{this, std::move(c)};
        closed.push_back(std::move(c));  // the server closed it (restarted): make a new one
        --open_;
    }
    // Connect outside the lock: it waits for the network.
    ++open_;
    lock.unlock();
    closed.clear();
    auto c = redis_connection::connect(at_, scripts_, deadline, why);
    if (!c) {
        lock.lock();
        --open_;
        lock.unlock();
        available_.notify_one();
        return c.error();
    }
    return lease{this, std::move(*c)};
}

void redis_pool::give_back(std::unique_ptr<redis_connection> c) noexcept {
    {
        std::lock_guard lock{mutex_};
        if (c->broken()) {
            --open_;  // freed below, outside the lock; the next caller connects anew
        } else {
            try {
                idle_.push_back(std::move(c));
            } catch (std::bad_alloc const&) {
                --open_;  // closed instead
            }
        }
    }
    available_.notify_one();
}

}  // namespace warden::store
