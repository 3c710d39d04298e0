#pragma once
// A map that holds at most `capacity` entries and drops the least recently used one to make
// room. Not thread-safe: the cache keeps one per shard under the shard's mutex.
#include <cstddef>
#include <list>
#include <unordered_map>
#include <utility>

namespace warden::auth {

template <class Key, class Value>
class lru_map {
  public:
    explicit lru_map(std::size_t capacity) : capacity_(capacity) {}

    /// The value of `key`, now the most recently used; nullptr if absent.
    Value const* find(Key const& key) {
        auto const at = index_.find(key);
        if (at == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, at->second);
        return &at->second->second;
    }

    /// Inserts or replaces `key`'s value, dropping the least recently used entry when full.
    void put(Key const& key, Value value) {
        if (capacity_ == 0) return;
        if (auto const at = index_.find(key); at != index_.end()) {
            at->second->second = std::move(value);
            order_.splice(order_.begin(), order_, at->second);
            return;
        }
        if (index_.size() == capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
        order_.emplace_front(key, std::move(value));
        index_.emplace(key, order_.begin());
    }

    /// True if `key` was there.
    bool erase(Key const& key) {
        auto const at = index_.find(key);
        if (at == index_.end()) return false;
        order_.erase(at->second);
        index_.erase(at);
        return true;
    }

    [[nodiscard]] bool contains(Key const& key) const { return index_.contains(key); }

    /// Drops the least recently used entry, if any.
    void pop_oldest() {
        if (order_.empty()) return;
        index_.erase(order_.back().first);
        order_.pop_back();
    }

    void clear() {
        index_.clear();
        order_.clear();
    }

    [[nodiscard]] std::size_t size() const noexcept { return index_.size(); }

  private:
    using entry_list = std::list<std::pair<Key, Value>>;
    std::size_t capacity_;
    entry_list order_;  // most recently used first
    std::unordered_map<Key, typename entry_list::iterator> index_;
};

}  // namespace warden::auth
