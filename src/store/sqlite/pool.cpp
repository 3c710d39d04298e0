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
    auto const generation = generation_;
    lock.unlock();
    auto c = sqlite_connection::open(path_, opts_.busy_timeout_ms, nullptr);
    if (!c) {
        lock.lock();
        --open_;
        lock.unlock();
        idle_available_.notify_one();
        return c.error();
    }
    (*c)->set_generation(generation);
    return lease{this, std::move(*c)};
}

result<sqlite_pool::lease> sqlite_pool::acquire_writer() {
    {
        std::unique_lock lock{mutex_};
        if (!writer_turn_free_.wait_for(lock, std::chrono::milliseconds{opts_.busy_timeout_ms},
                                        [this] { return !writer_turn_taken_; })) {
            return errc::unavailable;
        }
        writer_turn_taken_ = true;
    }
    auto l = acquire();
    if (!l) {
        end_writer_turn();
        return l.error();
    }
    l->writer_ = true;
    return l;
}

void sqlite_pool::end_writer_turn() noexcept {
    {
        std::lock_guard lock{mutex_};
        writer_turn_taken_ = false;
    }
    writer_turn_free_.notify_one();
}

void sqlite_pool::give_back(std::unique_ptr<sqlite_connection> c, bool writer) noexcept {
    std::vector<std::unique_ptr<sqlite_connection>> closing;  // closed below, outside the lock
    {
        std::lock_guard lock{mutex_};
        if (c->broken()) {
            // The file failed under this connection: every other one goes too (when idle).
            ++generation_;
            for (auto& idle : idle_) closing.push_back(std::move(idle));
            open_ -= idle_.size();
            idle_.clear();
        }
        // A read-only connection (opened while the disk took no writes) serves one call only,
        // so it never outlives the fault; the next acquire opens the file again.
        if (c->broken() || c->read_only() || c->generation() != generation_) {
            closing.push_back(std::move(c));
            --open_;
        } else {
            idle_.push_back(std::move(c));
        }
        if (writer) writer_turn_taken_ = false;
    }
    if (!closing.empty()) {
        closing.clear();
        idle_available_.notify_all();  // waiters may open new connections now
    }
    idle_available_.notify_one();
    if (writer) writer_turn_free_.notify_one();
}

}  // namespace warden::store
