#include "store/sqlite/pool.hpp"

#include <utility>

namespace warden::store {

sqlite_pool::sqlite_pool(std::string path, options opts, std::unique_ptr<sqlite_connection> first)
    : path_(std::move(path)), opts_(opts) {
    idle_.reserve(opts_.max_connections);
    if (first) {
        idle_.push_back(std::move(first));
        open_ = 1;
    }
}

result<sqlite_pool::lease> sqlite_pool::acquire() {
    std::unique_lock lock{mutex_};
    auto const ready = [this] { return !idle_.empty() || open_ < opts_.max_connections; };
    if (!ready() &&
        !idle_available_.wait_for(lock, std::chrono::milliseconds{opts_.busy_timeout_ms}, ready)) {
        return errc::unavailable;
    }
    if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return lease{this, std::move(c)};
    }
    // Open a new connection outside the lock: it touches the file system.
    ++open_;
    lock.unlock();
    auto c = sqlite_connection::open(path_, opts_.busy_timeout_ms, nullptr);
    if (!c) {
        lock.lock();
        --open_;
        lock.unlock();
        idle_available_.notify_one();
        return c.error();
    }
    return lease{this, std::move(*c)};
}

result<sqlite_pool::lease> sqlite_pool::acquire_writer() {
    std::unique_lock write_lock{writer_, std::chrono::milliseconds{opts_.busy_timeout_ms}};
    if (!write_lock.owns_lock()) return errc::unavailable;
    auto l = acquire();
    if (!l) return l.error();
    l->write_lock_ = std::move(write_lock);
    return l;
}

void sqlite_pool::give_back(std::unique_ptr<sqlite_connection> c) noexcept {
    {
        std::lock_guard lock{mutex_};
        idle_.push_back(std::move(c));
    }
    idle_available_.notify_one();
}

}  // namespace warden::store
