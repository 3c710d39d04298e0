// one_time_token_store over PostgreSQL: each call one transaction. Spending is a conditional
// UPDATE: a concurrent redeemer waits for the first one's commit, then finds the token spent.
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/steps.hpp"
#include "store/token_kind.hpp"
#include "store/values.hpp"

namespace warden::store {
namespace {

// Spends the unspent, unexpired token of `kind` with this hash; its user, or `errc::not_found`.
result<user_id> spend_token(pg_connection& c, std::string_view token_hash, one_time_token_kind kind,
                            std::int64_t now) {
    auto q = first_row(c, sql_pg::ott_spend, pg_bytes{token_hash}, kind_text(kind), now);
    if (!q) return q.error();
    return q->int64(0, 0);
}

}  // namespace

result<void> postgres_store::issue_one_time_token(one_time_token_kind kind, user_id user,
                                                  std::string_view token_hash, std::int64_t now,
                                                  std::int64_t expires_at) {
    if (token_hash.empty() || expires_at <= now) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    auto locked = first_row(**c, sql_pg::user_lock, user);  // no row: no such user
    if (!locked) return locked.error();
    auto deleted = run(**c, sql_pg::ott_delete_older, user, kind_text(kind));
    if (!deleted) return deleted.error();
    // A missing user fails the foreign key: errc::not_found; a stored hash: invalid_argument.
    auto inserted =
        run(**c, sql_pg::ott_insert, pg_bytes{token_hash}, kind_text(kind), user, now, expires_at);
    if (!inserted) return inserted.error();
    return tx->commit();
}

result<user> postgres_store::redeem_verification(std::string_view token_hash, std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    auto owner = spend_token(**c, token_hash, one_time_token_kind::verify, now);
    if (!owner) return owner.error();
    // An inactive user's token stays unspent: the rollback undoes the spending.
    auto q = first_row(**c, sql_pg::user_verify, *owner, now);
    if (!q) return q.error();
    if (auto r = tx->commit(); !r) return r.error();
    return pg_steps::read_user(*q);
}

result<password_reset> postgres_store::redeem_password_reset(std::string_view token_hash,
                                                             std::string_view new_password_hash,
                                                             std::int64_t now) {
    if (new_password_hash.empty() || !storable_text(new_password_hash))
        return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    auto owner = spend_token(**c, token_hash, one_time_token_kind::reset, now);
    if (!owner) return owner.error();
    // The version bump outdates every access token; the families' revocation below puts them on
    // the revocation list too, as "revoke every session" does. The UPDATE locks the user's row:
    // a login's compare-and-set (start_session) waits for this commit and then fails.
    auto q = first_row(**c, sql_pg::user_reset_password, *owner, new_password_hash, now);
    if (!q) return q.error();
    password_reset out;
    out.row = pg_steps::read_user(*q);
    auto revoked = pg_steps::revoke_user_families(**c, external_.get(), *owner, {}, now);
    if (!revoked) return revoked.error();
    out.revoked = std::move(*revoked);
    if (auto r = tx->commit(); !r) return r.error();
    return out;
}

result<std::int64_t> postgres_store::purge_expired_one_time_tokens(std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::ott_purge, now);
    if (!r) return r.error();
    return r->affected();
}

}  // namespace warden::store
