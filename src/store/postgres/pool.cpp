#include "store/postgres/pool.hpp"

namespace warden::store {

pg_pool::pg_pool(std::string conninfo, options opts, std::unique_ptr<pg_connection> first)
    : conninfo_(std::move(conninfo)), opts_(opts) {
    idle_.reserve(opts_.max_connections);
    if (first) {
        first->set_reply_timeout(opts_.reply_timeout);
        idle_.push_back(std::move(first));
        open_ = 1;
    }
}

bool pg_pool::refused_while_down() const noexcept {
    return down_ &&
           (probing_ || std::chrono::steady_clock::now() - down_since_ < opts_.retry_interval);
}

void pg_pool::trip() noexcept {
    down_ = true;
    probing_ = false;
    down_since_ = std::chrono::steady_clock::now();
}

result<pg_pool::lease> pg_pool::acquire() {
    std::unique_lock lock{mutex_};
    if (refused_while_down()) return errc::unavailable;
    auto const ready = [this] { return !idle_.empty() || open_ < opts_.max_connections; };
    if (!ready() && !idle_available_.wait_for(lock, opts_.wait_timeout, ready)) {
        return errc::unavailable;
    }
    if (refused_while_down()) return errc::unavailable;
    if (down_) probing_ = true;  // this caller finds out; give_back or a failed connect settles it
    while (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        if (c->alive()) return lease{this, std::move(c)};
        --open_;  // closed by the server while idle: connect anew below
    }
    // Connect outside the lock: it is a network round trip (bounded by connect_timeout).
    ++open_;
    lock.unlock();
    auto c = pg_connection::connect(conninfo_, nullptr);
    if (!c) {
        lock.lock();
        --open_;
        trip();
        lock.unlock();
        idle_available_.notify_one();
        return c.error();
    }
    (*c)->set_reply_timeout(opts_.reply_timeout);
    return lease{this, std::move(*c)};
}

void pg_pool::give_back(std::unique_ptr<pg_connection> c) noexcept {
    std::vector<std::unique_ptr<pg_connection>> closing;  // closed below, outside the lock
    {
        std::lock_guard lock{mutex_};
        if (c->usable()) {
            idle_.push_back(std::move(c));
            down_ = probing_ = false;  // the server answered
        } else {
            trip();
            // The server went away (or restarted): the idle connections are dead as well.
            closing.push_back(std::move(c));
            for (auto& idle : idle_) closing.push_back(std::move(idle));
            open_ -= closing.size();
            idle_.clear();
        }
    }
    if (!closing.empty()) {
        closing.clear();
        idle_available_.notify_all();  // waiters may connect anew
        return;
    }
    idle_available_.notify_one();
}

}  // namespace warden::store
