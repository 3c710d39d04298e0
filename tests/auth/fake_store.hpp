#pragma once
// In-memory stand-ins for the store interfaces the auth tests need (users, revocations,
// counters, sessions), thread-safe and simple enough to trust by reading.
#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <warden/store/errc.hpp>
#include <warden/store/store.hpp>

namespace warden::test {

class fake_store final : public store::user_store,
                         public store::revocation_store,
                         public store::counter_store,
                         public store::session_store,
                         public store::client_store {
  public:
    // users
    result<store::user> create_user(store::new_user const& u, std::int64_t now) override {
        std::lock_guard const lock{mutex_};
        store::user row{
            next_id_++, u.email, u.password_hash, u.full_name, u.is_active, u.scopes, now, now, 0};
        users_[row.id] = row;
        return row;
    }
    result<std::vector<store::user>> create_users(std::vector<store::new_user> const& batch,
                                                  std::int64_t now, std::size_t*) override {
        std::vector<store::user> out;
        for (auto const& u : batch) out.push_back(create_user(u, now).value());
        return out;
    }
    result<store::user> find_user(store::user_id id) override {
        std::lock_guard const lock{mutex_};
        ++user_lookups;
        auto const it = users_.find(id);
        if (it == users_.end()) return make_error_code(store::errc::not_found);
        return it->second;
    }
    result<store::token_subject> find_token_subject(store::user_id id,
                                                    std::string_view jti) override {
        auto row = find_user(id);
        if (!row) return row.error();
        auto revoked = is_revoked(jti);
        if (!revoked) return revoked.error();
        return store::token_subject{std::move(*row), *revoked};
    }
    result<store::user> find_user_by_email(std::string_view email) override {
        std::lock_guard const lock{mutex_};
        for (auto const& [id, u] : users_) {
            if (u.email == email) return u;
        }
        return make_error_code(store::errc::not_found);
    }
    result<store::user> update_user(store::user_id id, store::user_update const& c,
                                    std::int64_t now) override {
        std::lock_guard const lock{mutex_};
        auto const it = users_.find(id);
        if (it == users_.end()) return make_error_code(store::errc::not_found);
        auto& u = it->second;
        if (c.email) u.email = *c.email;
        if (c.password_hash) u.password_hash = *c.password_hash;
        if (c.full_name) u.full_name = *c.full_name;
        if (c.is_active) u.is_active = *c.is_active;
        if (c.is_verified) u.is_verified = *c.is_verified;
        if (c.scopes) u.scopes = *c.scopes;
        if (c.bump_token_version) {
            ++u.token_version;
            revoke_user_families_locked(id, {});
        }
        u.updated_at = now;
        return u;
    }
    result<store::jti_list> replace_password(store::user_id id, std::string_view verified,
                                             std::string_view hash, std::string_view keep,
                                             std::int64_t now) override {
        std::lock_guard const lock{mutex_};
        auto const it = users_.find(id);
        if (it == users_.end()) return make_error_code(store::errc::not_found);
        if (it->second.password_hash != verified)
            return make_error_code(store::errc::credentials_changed);
        it->second.password_hash = hash;
        it->second.updated_at = now;
        return revoke_user_families_locked(id, keep);
    }
    result<void> delete_user(store::user_id id) override {
        std::lock_guard const lock{mutex_};
        if (users_.erase(id) == 0) return make_error_code(store::errc::not_found);
        return {};
    }
    result<store::user_page> list_users(std::int64_t, std::int64_t) override {
        return make_error_code(store::errc::backend_error);
    }
    result<void> ping() override { return {}; }

    // revocations
    result<void> revoke_jti(std::string_view jti, std::int64_t expires_at) override {
        std::lock_guard const lock{mutex_};
        revoked_[std::string{jti}] = expires_at;
        return {};
    }
    result<bool> is_revoked(std::string_view jti) override {
        std::lock_guard const lock{mutex_};
        return revoked_.count(std::string{jti}) != 0;
    }
    result<std::int64_t> purge_expired_revocations(std::int64_t now) override {
        std::lock_guard const lock{mutex_};
        std::int64_t n = 0;
        for (auto it = revoked_.begin(); it != revoked_.end();) {
            if (it->second <= now) {
                it = revoked_.erase(it);
                ++n;
            } else {
                ++it;
            }
        }
        return n;
    }

    // counters
    result<store::failure_count> add_failure(std::string_view key, std::int64_t now,
                                             std::int64_t window) override {
        std::lock_guard const lock{mutex_};
        auto& c = counters_[std::string{key}];
        if (c.count == 0 || now - c.window_started_at >= window) c = {0, now};
        ++c.count;
        return c;
    }
    result<store::failure_count> failures(std::string_view key, std::int64_t now,
                                          std::int64_t window) override {
        std::lock_guard const lock{mutex_};
        auto const it = counters_.find(std::string{key});
        if (it == counters_.end() || now - it->second.window_started_at >= window)
            return store::failure_count{};
        return it->second;
    }
    result<std::int64_t> purge_expired_failures(std::int64_t, std::int64_t) override { return 0; }
    result<store::attempt_reservation> reserve_attempt(std::vector<std::string> const& keys,
                                                       std::int64_t now, std::int64_t window,
                                                       std::int64_t limit) override {
        std::lock_guard const lock{mutex_};
        for (auto const& key : keys) {
            auto const it = counters_.find(key);
            if (it != counters_.end() && now - it->second.window_started_at < window &&
                it->second.count >= limit) {
                return store::attempt_reservation{false, {it->second}};
            }
        }
        store::attempt_reservation out{true, {}};
        for (auto const& key : keys) {
            auto& c = counters_[key];
            if (c.count == 0 || now - c.window_started_at >= window) c = {0, now};
            ++c.count;
            out.counts.push_back(c);
        }
        return out;
    }
    result<void> release_attempt(std::string_view key, std::int64_t now,
                                 std::int64_t window) override {
        std::lock_guard const lock{mutex_};
        auto const it = counters_.find(key);
        if (it != counters_.end() && now - it->second.window_started_at < window &&
            it->second.count > 0) {
            --it->second.count;
        }
        return {};
    }
    result<void> reset_failures(std::string_view key) override {
        std::lock_guard const lock{mutex_};
        counters_.erase(std::string{key});
        return {};
    }

    // sessions: only what the auth unit tests reach; the SQLite backend has its own tests. One
    // mutex makes every use case one transaction.
    result<void> add_refresh_token(store::refresh_token const& t) override {
        std::lock_guard const lock{mutex_};
        return add_refresh_locked(t);
    }
    result<store::refresh_token> find_refresh_token(std::string_view hash) override {
        std::lock_guard const lock{mutex_};
        auto const it = refresh_.find(std::string{hash});
        if (it == refresh_.end()) return make_error_code(store::errc::not_found);
        return it->second.first;
    }
    result<store::consumed_refresh> consume_refresh_token(std::string_view hash,
                                                          std::int64_t now) override {
        std::lock_guard const lock{mutex_};
        return spend(hash, now);
    }
    result<store::consumed_refresh> refresh_token_state(std::string_view hash,
                                                        std::int64_t now) override {
        std::lock_guard const lock{mutex_};
        return state_locked(hash, now);
    }
    result<void> add_grant(store::refresh_token const& t, std::string_view jti,
                           std::int64_t expires_at) override {
        std::lock_guard const lock{mutex_};
        return add_grant_locked({t, std::string{jti}, expires_at});
    }
    result<void> start_session(store::credential_check const& seen, store::grant const& g,
                               std::string_view rehash, std::int64_t) override {
        std::lock_guard const lock{mutex_};
        if (auto r = check_locked(seen); !r) return r;
        if (!rehash.empty()) users_[seen.user].password_hash = rehash;
        return add_grant_locked(g);
    }
    result<store::rotation> rotate_refresh(std::string_view hash,
                                           store::credential_check const& seen,
                                           store::grant const& next, std::int64_t now) override {
        result<store::rotation> out = make_error_code(store::errc::backend_error);
        {
            std::lock_guard const lock{mutex_};
            auto const it = refresh_.find(std::string{hash});
            if (it != refresh_.end() && !revoked_families_.count(it->second.first.family_id) &&
                !it->second.second && it->second.first.expires_at > now) {
                if (auto r = check_locked(seen); !r) return r.error();
            }
            auto found = spend(hash, now);
            store::rotation r{found.state, found.token, {}};
            if (found.state == store::refresh_state::spent)
                r.revoked = revoke_family_locked(found.token.family_id);
            if (found.state == store::refresh_state::fresh) {
                if (auto added = add_grant_locked(next); !added) return added.error();
            }
            out = std::move(r);
        }
        // A real store's commit ends with a disk sync: let racing callers run meanwhile.
        if (out && out->state == store::refresh_state::fresh)
            std::this_thread::sleep_for(spend_delay);
        return out;
    }
    result<std::string> family_of_access_token(std::string_view jti) override {
        std::lock_guard const lock{mutex_};
        for (auto const& [family, jtis] : access_) {
            for (auto const& [j, e] : jtis) {
                if (j == jti) return family;
            }
        }
        return make_error_code(store::errc::not_found);
    }
    result<void> add_access_token(std::string_view family, std::string_view jti,
                                  std::int64_t expires_at) override {
        std::lock_guard const lock{mutex_};
        return add_access_locked(family, jti, expires_at);
    }
    result<store::jti_list> revoke_family(std::string_view family, std::int64_t) override {
        std::lock_guard const lock{mutex_};
        return revoke_family_locked(std::string{family});
    }
    result<store::jti_list> revoke_user_families(store::user_id user, std::string_view keep,
                                                 std::int64_t) override {
        std::lock_guard const lock{mutex_};
        return revoke_user_families_locked(user, keep);
    }
    result<std::string> family_of_refresh_token(std::string_view hash) override {
        auto const t = find_refresh_token(hash);
        if (!t) return t.error();
        return t->family_id;
    }
    result<std::int64_t> purge_expired_sessions(std::int64_t) override { return 0; }

    // clients
    result<void> add_client(store::client_record const& client) override {
        std::lock_guard const lock{mutex_};
        if (!clients_.emplace(client.client_id, client).second)
            return make_error_code(store::errc::already_exists);
        return {};
    }
    result<store::client_record> find_client(std::string_view client_id) override {
        std::lock_guard const lock{mutex_};
        auto const it = clients_.find(client_id);
        if (it == clients_.end()) return make_error_code(store::errc::not_found);
        return it->second;
    }
    result<std::vector<store::client_record>> clients() override {
        std::lock_guard const lock{mutex_};
        std::vector<store::client_record> out;
        for (auto const& [id, c] : clients_) out.push_back(c);
        return out;
    }
    result<void> set_client_secret(std::string_view client_id, std::string_view secret_hash,
                                   std::int64_t now) override {
        std::lock_guard const lock{mutex_};
        auto const it = clients_.find(client_id);
        if (it == clients_.end()) return make_error_code(store::errc::not_found);
        it->second.secret_hash = secret_hash;
        it->second.updated_at = now;
        return {};
    }
    result<void> delete_client(std::string_view client_id) override {
        std::lock_guard const lock{mutex_};
        auto const it = clients_.find(client_id);
        if (it == clients_.end()) return make_error_code(store::errc::not_found);
        clients_.erase(it);
        return {};
    }

    [[nodiscard]] store::backends backends(std::shared_ptr<fake_store> const& self) const {
        // No transfer_store (nothing here copies), no signing keys and no change feed
        // (subject_cache_test has one).
        store::backends out;
        out.users = self;
        out.sessions = self;
        out.revocations = self;
        out.counters = self;
        out.clients = self;
        return out;
    }

    int user_lookups = 0;
    std::chrono::milliseconds spend_delay{0};  ///< after a successful rotation, outside the lock

  private:
    result<void> check_locked(store::credential_check const& seen) {
        auto const it = users_.find(seen.user);
        if (it == users_.end()) return make_error_code(store::errc::not_found);
        auto const& u = it->second;
        if (u.token_version != seen.token_version || !u.is_active ||
            (!seen.password_hash.empty() && u.password_hash != seen.password_hash)) {
            return make_error_code(store::errc::credentials_changed);
        }
        return {};
    }
    result<void> add_refresh_locked(store::refresh_token const& t) {
        if (revoked_families_.count(t.family_id))
            return make_error_code(store::errc::family_revoked);
        refresh_[t.token_hash] = {t, false};
        return {};
    }
    result<void> add_access_locked(std::string_view family, std::string_view jti,
                                   std::int64_t expires_at) {
        if (revoked_families_.count(std::string{family}))
            return make_error_code(store::errc::family_revoked);
        access_[std::string{family}].emplace_back(std::string{jti}, expires_at);
        return {};
    }
    result<void> add_grant_locked(store::grant const& g) {
        if (auto r = add_refresh_locked(g.refresh); !r) return r;
        return add_access_locked(g.refresh.family_id, g.access_jti, g.access_expires_at);
    }
    store::jti_list revoke_family_locked(std::string const& family) {
        revoked_families_.insert(family);
        auto const& jtis = access_[family];
        for (auto const& [jti, expires_at] : jtis) revoked_[jti] = expires_at;
        return jtis;
    }
    store::jti_list revoke_user_families_locked(store::user_id user, std::string_view keep) {
        std::set<std::string> families;
        for (auto const& [hash, entry] : refresh_) {
            if (entry.first.user == user && entry.first.family_id != keep)
                families.insert(entry.first.family_id);
        }
        store::jti_list all;
        for (auto const& family : families) {
            auto jtis = revoke_family_locked(family);
            all.insert(all.end(), jtis.begin(), jtis.end());
        }
        return all;
    }
    store::consumed_refresh state_locked(std::string_view hash, std::int64_t now) const {
        auto const it = refresh_.find(std::string{hash});
        if (it == refresh_.end()) return store::consumed_refresh{};
        auto const& [token, spent] = it->second;
        if (revoked_families_.count(token.family_id))
            return store::consumed_refresh{store::refresh_state::family_revoked, token};
        if (spent) return store::consumed_refresh{store::refresh_state::spent, token};
        if (token.expires_at <= now)
            return store::consumed_refresh{store::refresh_state::expired, token};
        return store::consumed_refresh{store::refresh_state::fresh, token};
    }
    store::consumed_refresh spend(std::string_view hash, std::int64_t now) {
        auto found = state_locked(hash, now);
        if (found.state == store::refresh_state::fresh) refresh_.find(hash)->second.second = true;
        return found;
    }
    std::mutex mutex_;
    store::user_id next_id_ = 1;
    std::map<store::user_id, store::user> users_;
    std::map<std::string, std::int64_t, std::less<>> revoked_;
    std::map<std::string, store::failure_count, std::less<>> counters_;
    std::map<std::string, std::pair<store::refresh_token, bool>, std::less<>> refresh_;
    std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>, std::less<>> access_;
    std::set<std::string, std::less<>> revoked_families_;
    std::map<std::string, store::client_record, std::less<>> clients_;
};

}  // namespace warden::test
