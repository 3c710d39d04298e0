#pragma once
// An in-memory signing_key_store with the contract of store/signing_key_store.hpp, simple
// enough to trust by reading.
#include <algorithm>
#include <mutex>
#include <vector>

#include <warden/store/errc.hpp>
#include <warden/store/signing_key_store.hpp>

namespace warden::test {

class fake_key_store final : public store::signing_key_store {
  public:
    result<std::vector<store::signing_key_record>> signing_keys() override {
        std::lock_guard const lock{mutex_};
        ++reads;
        return keys_;
    }
    result<std::int64_t> key_set_revision() override {
        std::lock_guard const lock{mutex_};
        return revision_;
    }
    result<void> add_signing_key(store::signing_key_record const& key) override {
        std::lock_guard const lock{mutex_};
        if (auto const ok = check(key); !ok) return ok;
        keys_.push_back(key);
        ++revision_;
        return {};
    }
    result<bool> add_first_signing_key(store::signing_key_record const& key) override {
        std::lock_guard const lock{mutex_};
        if (auto const ok = check(key); !ok) return {boost::system::in_place_error, ok.error()};
        if (current_locked() != nullptr) return false;
        keys_.push_back(key);
        keys_.back().activated_at = key.created_at;
        ++revision_;
        return true;
    }
    result<void> activate_signing_key(std::string_view kid, std::int64_t now,
                                      std::int64_t previous_expires_at) override {
        std::lock_guard const lock{mutex_};
        auto* const key = find_locked(kid);
        if (key == nullptr) return store::errc::not_found;
        if (key->activated_at || key->retired_at) return store::errc::wrong_state;
        if (auto* const previous = current_locked()) {
            previous->retired_at = now;
            previous->expires_at = previous_expires_at;
        }
        key->activated_at = now;
        ++revision_;
        return {};
    }
    result<void> retire_signing_key(std::string_view kid, std::int64_t now,
                                    std::int64_t expires_at) override {
        std::lock_guard const lock{mutex_};
        auto* const key = find_locked(kid);
        if (key == nullptr) return store::errc::not_found;
        if (key->activated_at && !key->retired_at) return store::errc::wrong_state;
        if (!key->retired_at) key->retired_at = now;
        key->expires_at = std::min(key->expires_at.value_or(expires_at), expires_at);
        ++revision_;
        return {};
    }
    result<std::int64_t> purge_expired_signing_keys(std::int64_t now) override {
        std::lock_guard const lock{mutex_};
        auto const before = keys_.size();
        std::erase_if(keys_, [&](store::signing_key_record const& k) {
            return k.retired_at && k.expires_at && *k.expires_at < now;
        });
        auto const purged = static_cast<std::int64_t>(before - keys_.size());
        if (purged > 0) ++revision_;
        return purged;
    }

    /// Direct access for tests that tamper with rows.
    std::vector<store::signing_key_record>& rows() { return keys_; }
    int reads = 0;

  private:
    result<void> check(store::signing_key_record const& key) const {
        if (key.kid.empty() || key.algorithm.empty() || key.activated_at || key.retired_at ||
            key.expires_at)
            return store::errc::invalid_argument;
        if (std::any_of(keys_.begin(), keys_.end(),
                        [&](auto const& k) { return k.kid == key.kid; }))
            return store::errc::already_exists;
        return {};
    }
    store::signing_key_record* find_locked(std::string_view kid) {
        auto const it =
            std::find_if(keys_.begin(), keys_.end(), [&](auto const& k) { return k.kid == kid; });
        return it == keys_.end() ? nullptr : &*it;
    }
    store::signing_key_record* current_locked() {
        auto const it = std::find_if(keys_.begin(), keys_.end(),
                                     [](auto const& k) { return k.activated_at && !k.retired_at; });
        return it == keys_.end() ? nullptr : &*it;
    }

    std::mutex mutex_;
    std::vector<store::signing_key_record> keys_;
    std::int64_t revision_ = 1;
};

}  // namespace warden::test
