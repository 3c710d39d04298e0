// totp_store over SQLite: each call one transaction (the write lock makes them take turns).
#include <warden/store/totp_store.hpp>

#include "store/sqlite/sqlite_store.hpp"

namespace warden::store {
namespace {

// A failed call of a result<bool> (an error code would read as a bool otherwise).
result<bool> failed(error_code ec) { return {boost::system::in_place_error, ec}; }

struct totp_state {
    bool user_exists = false;
    bool enrolled = false;
    bool confirmed = false;
};

result<totp_state> state_of(sqlite_connection& c, user_id user) {
    auto q = first_row(c, sql::totp_lock_state, user);
    if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
    return totp_state{(*q)->column_int64(0) != 0, !(*q)->column_is_null(1),
                      !(*q)->column_is_null(1) && (*q)->column_int64(1) != 0};
}

}  // namespace

result<void> sqlite_store::begin_totp_enrolment(
    user_id user, std::string_view sealed_secret,
    std::vector<std::string> const& recovery_code_hashes, std::int64_t now) {
    if (sealed_secret.empty()) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto state = state_of(**c, user);
    if (!state) return state.error();
    if (!state->user_exists) return errc::not_found;
    if (state->confirmed) return errc::wrong_state;
    // An unconfirmed enrolment goes with its codes (ON DELETE CASCADE).
    if (auto r = execute(**c, sql::totp_delete, user); !r) return r;
    if (auto r = execute(**c, sql::totp_insert, user, sqlite_blob{sealed_secret}, std::nullopt,
                         std::int64_t{0}, now);
        !r)
        return r;
    for (auto const& code : recovery_code_hashes) {
        // An empty hash fails the CHECK, a repeated one the primary key: invalid_argument.
        if (auto r = execute(**c, sql::recovery_insert, user, sqlite_blob{code}, std::nullopt); !r)
            return r;
    }
    return tx->commit();
}

result<void> sqlite_store::confirm_totp(user_id user, std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    if (auto r = execute(**c, sql::totp_confirm, user, now); !r) return r;
    if ((*c)->changes() == 0) {
        auto state = state_of(**c, user);
        if (!state) return state.error();
        return state->enrolled ? errc::wrong_state : errc::not_found;
    }
    return tx->commit();
}

result<totp_record> sqlite_store::totp_of(user_id user) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql::totp_get, user);
    if (!q) return q.error();
    totp_record out;
    out.sealed_secret = (*q)->column_blob(0);
    out.confirmed = !(*q)->column_is_null(1);
    if (out.confirmed) out.confirmed_at = (*q)->column_int64(1);
    out.last_accepted_step = (*q)->column_int64(2);
    out.created_at = (*q)->column_int64(3);
    out.recovery_codes_left = (*q)->column_int64(4);
    return out;
}

result<user_id> sqlite_store::first_totp_user() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql::totp_first_user);
    if (!q) return q.error();
    return (*q)->column_int64(0);
}

result<bool> sqlite_store::accept_totp_step(user_id user, std::int64_t step) {
    auto c = pool_.acquire_writer();
    if (!c) return failed(c.error());
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return failed(tx.error());
    if (auto r = execute(**c, sql::totp_accept, user, step); !r) return failed(r.error());
    if ((*c)->changes() == 0) {
        auto state = state_of(**c, user);
        if (!state) return failed(state.error());
        if (!state->enrolled) return failed(errc::not_found);
        return false;  // a replay: that step or a later one was accepted
    }
    if (auto r = tx->commit(); !r) return failed(r.error());
    return true;
}

result<bool> sqlite_store::use_recovery_code(user_id user, std::string_view code_hash,
                                             std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return failed(c.error());
    // One statement: its own transaction.
    if (auto r = execute(**c, sql::recovery_use, user, sqlite_blob{code_hash}, now); !r)
        return failed(r.error());
    return (*c)->changes() == 1;
}

result<void> sqlite_store::disable_totp(user_id user) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    // The recovery codes go with it (ON DELETE CASCADE), in the same statement.
    if (auto r = execute(**c, sql::totp_delete, user); !r) return r;
    if ((*c)->changes() == 0) return errc::not_found;
    return {};
}

}  // namespace warden::store
