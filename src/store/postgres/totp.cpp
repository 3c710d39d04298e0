// totp_store over PostgreSQL: each call one transaction. Enrolments lock the user's row first
// (two of one user take turns); acceptances and recovery codes are conditional UPDATEs, re-checked
// after a concurrent writer's commit, so of racers exactly one wins.
#include <warden/store/totp_store.hpp>

#include "store/postgres/postgres_store.hpp"

namespace warden::store {
namespace {

// A failed call of a result<bool> (an error code would read as a bool otherwise).
result<bool> failed(error_code ec) { return {boost::system::in_place_error, ec}; }

// Whether the user has TOTP (`errc::not_found` if not) and whether it is confirmed.
result<bool> confirmed(pg_connection& c, user_id user) {
    auto q = first_row(c, sql_pg::totp_state, user);
    if (!q) return failed(q.error());
    return q->boolean(0, 0);
}

}  // namespace

result<void> postgres_store::begin_totp_enrolment(
    user_id user, std::string_view sealed_secret,
    std::vector<std::string> const& recovery_code_hashes, std::int64_t now) {
    if (sealed_secret.empty()) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    auto state = first_row(**c, sql_pg::totp_lock_state, user);  // no row: no such user
    if (!state) return state.error();
    if (!state->is_null(0, 0) && state->boolean(0, 0)) return errc::wrong_state;
    // An unconfirmed enrolment goes with its codes (ON DELETE CASCADE).
    if (auto r = run(**c, sql_pg::totp_delete, user); !r) return r.error();
    if (auto r = run(**c, sql_pg::totp_insert, user, pg_bytes{sealed_secret},
                     std::optional<std::int64_t>{}, std::int64_t{0}, now);
        !r)
        return r.error();
    for (auto const& code : recovery_code_hashes) {
        // An empty hash fails the CHECK, a repeated one the primary key: invalid_argument.
        if (auto r = run(**c, sql_pg::recovery_insert, user, pg_bytes{code},
                         std::optional<std::int64_t>{});
            !r)
            return r.error();
    }
    return tx->commit();
}

result<void> postgres_store::confirm_totp(user_id user, std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    auto changed = run(**c, sql_pg::totp_confirm, user, now);
    if (!changed) return changed.error();
    if (changed->affected() == 0) {
        auto state = confirmed(**c, user);
        if (!state) return state.error();
        return errc::wrong_state;
    }
    return tx->commit();
}

result<totp_record> postgres_store::totp_of(user_id user) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql_pg::totp_get, user);
    if (!q) return q.error();
    totp_record out;
    out.sealed_secret = q->bytes(0, 0);
    out.confirmed = !q->is_null(0, 1);
    if (out.confirmed) out.confirmed_at = q->int64(0, 1);
    out.last_accepted_step = q->int64(0, 2);
    out.created_at = q->int64(0, 3);
    out.recovery_codes_left = q->int64(0, 4);
    return out;
}

result<user_id> postgres_store::first_totp_user() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql_pg::totp_first_user);
    if (!q) return q.error();
    return q->int64(0, 0);
}

result<bool> postgres_store::accept_totp_step(user_id user, std::int64_t step) {
    auto c = pool_.acquire();
    if (!c) return failed(c.error());
    auto tx = pg_transaction::begin(**c);
    if (!tx) return failed(tx.error());
    auto changed = run(**c, sql_pg::totp_accept, user, step);
    if (!changed) return failed(changed.error());
    if (changed->affected() == 0) {
        auto state = confirmed(**c, user);
        if (!state) return failed(state.error());
        return false;  // a replay: that step or a later one was accepted
    }
    if (auto r = tx->commit(); !r) return failed(r.error());
    return true;
}

result<bool> postgres_store::use_recovery_code(user_id user, std::string_view code_hash,
                                               std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return failed(c.error());
    // One statement: its own transaction.
    auto r = run(**c, sql_pg::recovery_use, user, pg_bytes{code_hash}, now);
    if (!r) return failed(r.error());
    return r->affected() == 1;
}

result<void> postgres_store::disable_totp(user_id user) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    // The recovery codes go with it (ON DELETE CASCADE), in the same statement.
    auto r = run(**c, sql_pg::totp_delete, user);
    if (!r) return r.error();
    if (r->affected() == 0) return errc::not_found;
    return {};
}

}  // namespace warden::store
