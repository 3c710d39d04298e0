// signing_key_store over SQLite. Each change is one BEGIN IMMEDIATE transaction: its checks and
// writes see no other writer, of this process or another. The triggers of migration 3 bump the
// key-set revision in that transaction.
#include <optional>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/steps.hpp"
#include "store/values.hpp"

namespace warden::store {
namespace {

std::optional<std::int64_t> optional_time(sqlite_statement const& s, int col) {
    if (s.column_is_null(col)) return std::nullopt;
    return s.column_int64(col);
}

// A key's state as two flags, read under the caller's write lock.
struct key_state {
    bool activated = false;
    bool retired = false;
    [[nodiscard]] bool pending() const noexcept { return !activated && !retired; }
    [[nodiscard]] bool current() const noexcept { return activated && !retired; }
};

result<key_state> state_of(sqlite_connection& c, std::string_view kid) {
    auto q = first_row(c, sql::key_state, kid);
    if (!q) return q.error();
    return key_state{(*q)->column_int64(0) != 0, (*q)->column_int64(1) != 0};
}

}  // namespace

namespace sqlite_steps {

signing_key_record read_signing_key(sqlite_statement const& s) {
    signing_key_record key;
    key.kid = s.column_text(0);
    key.algorithm = s.column_text(1);
    key.public_jwk = s.column_text(2);
    key.sealed_private_key = s.column_blob(3);
    key.created_at = s.column_int64(4);
    key.activated_at = optional_time(s, 5);
    key.retired_at = optional_time(s, 6);
    key.expires_at = optional_time(s, 7);
    return key;
}

result<void> insert_signing_key(sqlite_connection& c, signing_key_record const& key) {
    if (auto ok = check_signing_key(key); !ok) return ok;
    auto q = bound(c, sql::key_insert, key.kid, key.algorithm, key.public_jwk,
                   sqlite_blob{key.sealed_private_key}, key.created_at, key.activated_at,
                   key.retired_at, key.expires_at);
    if (!q) return q.error();
    if (auto r = run_to_end(**q); !r) {
        // The primary key; the one-current index cannot fail here for the callers that hold the
        // write lock and checked, and a copied row that breaks it is invalid.
        return (*q)->rc() == SQLITE_CONSTRAINT_PRIMARYKEY ? errc::already_exists : r.error();
    }
    return {};
}

}  // namespace sqlite_steps

result<std::vector<signing_key_record>> sqlite_store::signing_keys() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = bound(**c, sql::key_list);
    if (!q) return q.error();
    std::vector<signing_key_record> keys;
    for (;;) {
        auto row = (*q)->step();
        if (!row) return row.error();
        if (!*row) return keys;
        keys.push_back(sqlite_steps::read_signing_key(**q));
    }
}

result<std::int64_t> sqlite_store::key_set_revision() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql::key_revision);
    if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
    return (*q)->column_int64(0);
}

result<void> sqlite_store::add_signing_key(signing_key_record const& key) {
    if (auto ok = check_new_signing_key(key); !ok) return ok;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    return sqlite_steps::insert_signing_key(**c, key);  // one statement: its own transaction
}

result<bool> sqlite_store::add_first_signing_key(signing_key_record const& key) {
    // result<bool> does not convert from an error code implicitly (bool would).
    auto const failed = [](error_code ec) {
        return result<bool>{boost::system::in_place_error, ec};
    };
    if (auto ok = check_new_signing_key(key); !ok) return failed(ok.error());
    auto c = pool_.acquire_writer();
    if (!c) return failed(c.error());
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return failed(tx.error());
    if (auto current = first_row(**c, sql::key_current); current) {
        return false;  // rolled back: nothing written
    } else if (current.error() != errc::not_found) {
        return failed(current.error());
    }
    auto first = key;
    first.activated_at = key.created_at;
    if (auto r = sqlite_steps::insert_signing_key(**c, first); !r) return failed(r.error());
    if (auto r = tx->commit(); !r) return failed(r.error());
    return true;
}

result<void> sqlite_store::activate_signing_key(std::string_view kid, std::int64_t now,
                                                std::int64_t previous_expires_at) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto state = state_of(**c, kid);
    if (!state) return state.error();
    if (!state->pending()) return errc::wrong_state;
    // The previous key first: the one-current index holds after each statement.
    if (auto r = execute(**c, sql::key_retire_current, now, previous_expires_at); !r) return r;
    if (auto r = execute(**c, sql::key_activate, kid, now); !r) return r;
    return tx->commit();
}

result<void> sqlite_store::retire_signing_key(std::string_view kid, std::int64_t now,
                                              std::int64_t expires_at) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto state = state_of(**c, kid);
    if (!state) return state.error();
    if (state->current()) return errc::wrong_state;
    if (auto r = execute(**c, sql::key_retire, kid, now, expires_at); !r) return r;
    return tx->commit();
}

result<std::int64_t> sqlite_store::purge_expired_signing_keys(std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    if (auto r = execute(**c, sql::key_purge, now); !r) return r.error();
    return (*c)->changes();  // the keys deleted (not the trigger's revision updates)
}

}  // namespace warden::store
