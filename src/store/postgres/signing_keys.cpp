// signing_key_store over PostgreSQL. Each change is one transaction that first locks the key-set
// revision row: key changes of every process take turns, and each one's statements (read
// committed) see the commit of the one before. Taking that lock first, always, also keeps them
// from deadlocking: the trigger of migration 3 takes it again (bumping the revision) after the
// rows, so a change that took row locks first could wait for a holder that waits for its rows.
#include <optional>

#include "store/postgres/postgres_store.hpp"
#include "store/postgres/steps.hpp"
#include "store/values.hpp"

namespace warden::store {
namespace {

std::optional<std::int64_t> optional_time(pg_result const& r, int row, int col) {
    if (r.is_null(row, col)) return std::nullopt;
    return r.int64(row, col);
}

// A key's state as two flags, read under the key-set lock.
struct key_state {
    bool activated = false;
    bool retired = false;
    [[nodiscard]] bool pending() const noexcept { return !activated && !retired; }
    [[nodiscard]] bool current() const noexcept { return activated && !retired; }
};

result<key_state> state_of(pg_connection& c, std::string_view kid) {
    // No row can hold a kid PostgreSQL's text refuses (a NUL byte, invalid UTF-8).
    if (!storable_text(kid)) return errc::not_found;
    auto q = first_row(c, sql_pg::key_state, kid);
    if (!q) return q.error();
    return key_state{q->boolean(0, 0), q->boolean(0, 1)};
}

result<void> execute(pg_connection& c, sql_pg q, auto const&... args) {
    auto r = run(c, q, args...);
    if (!r) return r.error();
    return {};
}

}  // namespace

namespace pg_steps {

result<void> lock_key_set(pg_connection& c) {
    auto r = first_row(c, sql_pg::key_lock);
    if (!r) return r.error() == errc::not_found ? errc::backend_error : r.error();
    return {};
}

signing_key_record read_signing_key(pg_result const& r, int row) {
    signing_key_record key;
    key.kid = r.text(row, 0);
    key.algorithm = r.text(row, 1);
    key.public_jwk = r.text(row, 2);
    key.sealed_private_key = r.bytes(row, 3);
    key.created_at = r.int64(row, 4);
    key.activated_at = optional_time(r, row, 5);
    key.retired_at = optional_time(r, row, 6);
    key.expires_at = optional_time(r, row, 7);
    return key;
}

result<void> insert_signing_key(pg_connection& c, signing_key_record const& key) {
    if (auto ok = check_signing_key(key); !ok) return ok;
    return execute(c, sql_pg::key_insert, key.kid, key.algorithm, key.public_jwk,
                   pg_bytes{key.sealed_private_key}, key.created_at, key.activated_at,
                   key.retired_at, key.expires_at);
}

}  // namespace pg_steps

result<std::vector<signing_key_record>> postgres_store::signing_keys() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::key_list);
    if (!r) return r.error();
    std::vector<signing_key_record> keys;
    keys.reserve(static_cast<std::size_t>(r->rows()));
    for (int row = 0; row < r->rows(); ++row) keys.push_back(pg_steps::read_signing_key(*r, row));
    return keys;
}

result<std::int64_t> postgres_store::key_set_revision() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql_pg::key_revision);
    if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
    return q->int64(0, 0);
}

result<void> postgres_store::add_signing_key(signing_key_record const& key) {
    if (auto ok = check_new_signing_key(key); !ok) return ok;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    if (auto r = pg_steps::lock_key_set(**c); !r) return r;
    if (auto r = pg_steps::insert_signing_key(**c, key); !r) return r;
    return tx->commit();
}

result<bool> postgres_store::add_first_signing_key(signing_key_record const& key) {
    // result<bool> does not convert from an error code implicitly (bool would).
    auto const failed = [](error_code ec) {
        return result<bool>{boost::system::in_place_error, ec};
    };
    if (auto ok = check_new_signing_key(key); !ok) return failed(ok.error());
    auto c = pool_.acquire();
    if (!c) return failed(c.error());
    auto tx = pg_transaction::begin(**c);
    if (!tx) return failed(tx.error());
    if (auto r = pg_steps::lock_key_set(**c); !r) return failed(r.error());
    if (auto current = first_row(**c, sql_pg::key_current); current) {
        return false;  // rolled back: nothing written
    } else if (current.error() != errc::not_found) {
        return failed(current.error());
    }
    auto first = key;
    first.activated_at = key.created_at;
    if (auto r = pg_steps::insert_signing_key(**c, first); !r) return failed(r.error());
    if (auto r = tx->commit(); !r) return failed(r.error());
    return true;
}

result<void> postgres_store::activate_signing_key(std::string_view kid, std::int64_t now,
                                                  std::int64_t previous_expires_at) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    if (auto r = pg_steps::lock_key_set(**c); !r) return r;
    auto state = state_of(**c, kid);
    if (!state) return state.error();
    if (!state->pending()) return errc::wrong_state;
    // The previous key first: the one-current index holds after each statement.
    if (auto r = execute(**c, sql_pg::key_retire_current, now, previous_expires_at); !r) return r;
    if (auto r = execute(**c, sql_pg::key_activate, kid, now); !r) return r;
    return tx->commit();
}

result<void> postgres_store::retire_signing_key(std::string_view kid, std::int64_t now,
                                                std::int64_t expires_at) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    if (auto r = pg_steps::lock_key_set(**c); !r) return r;
    auto state = state_of(**c, kid);
    if (!state) return state.error();
    if (state->current()) return errc::wrong_state;
    if (auto r = execute(**c, sql_pg::key_retire, kid, now, expires_at); !r) return r;
    return tx->commit();
}

result<std::int64_t> postgres_store::purge_expired_signing_keys(std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    if (auto r = pg_steps::lock_key_set(**c); !r) return r.error();
    auto r = run(**c, sql_pg::key_purge, now);
    if (!r) return r.error();
    if (auto done = tx->commit(); !done) return done.error();
    return r->affected();
}

}  // namespace warden::store
