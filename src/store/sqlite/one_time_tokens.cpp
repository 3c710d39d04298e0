// one_time_token_store over SQLite: each call one write transaction.
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/steps.hpp"
#include "store/token_kind.hpp"
#include "store/values.hpp"

namespace warden::store {
namespace {

// Spends the unspent, unexpired token of `kind` with this hash; its user, or `errc::not_found`.
result<user_id> spend_token(sqlite_connection& c, std::string_view token_hash,
                            one_time_token_kind kind, std::int64_t now) {
    auto q = first_row(c, sql::ott_spend, sqlite_blob{token_hash}, kind_text(kind), now);
    if (!q) return q.error();
    user_id const user = (*q)->column_int64(0);
    if (auto r = run_to_end(**q); !r) return r.error();
    return user;
}

}  // namespace

result<void> sqlite_store::issue_one_time_token(one_time_token_kind kind, user_id user,
                                                std::string_view token_hash, std::int64_t now,
                                                std::int64_t expires_at) {
    if (token_hash.empty() || expires_at <= now) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    if (auto r = execute(**c, sql::ott_delete_older, user, kind_text(kind)); !r) return r;
    auto q = bound(**c, sql::ott_insert, sqlite_blob{token_hash}, kind_text(kind), user, now,
                   expires_at);
    if (!q) return q.error();
    if (auto r = run_to_end(**q); !r) {
        return (*q)->rc() == SQLITE_CONSTRAINT_FOREIGNKEY ? errc::not_found : r.error();
    }
    return tx->commit();
}

result<user> sqlite_store::redeem_verification(std::string_view token_hash, std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto owner = spend_token(**c, token_hash, one_time_token_kind::verify, now);
    if (!owner) return owner.error();
    // An inactive user's token stays unspent: the rollback undoes the spending.
    auto q = first_row(**c, sql::user_verify, *owner, now);
    if (!q) return q.error();
    user verified = sqlite_steps::read_user(**q);
    if (auto r = run_to_end(**q); !r) return r.error();
    if (auto r = tx->commit(); !r) return r.error();
    return verified;
}

result<password_reset> sqlite_store::redeem_password_reset(std::string_view token_hash,
                                                           std::string_view new_password_hash,
                                                           std::int64_t now) {
    if (new_password_hash.empty() || !storable_text(new_password_hash))
        return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto owner = spend_token(**c, token_hash, one_time_token_kind::reset, now);
    if (!owner) return owner.error();
    password_reset out;
    {
        // The version bump outdates every access token; the families' revocation below puts
        // them on the revocation list too, as "revoke every session" does.
        auto q = first_row(**c, sql::user_reset_password, *owner, new_password_hash, now);
        if (!q) return q.error();
        out.row = sqlite_steps::read_user(**q);
        if (auto r = run_to_end(**q); !r) return r.error();
    }
    auto revoked = sqlite_steps::revoke_user_families(**c, external_.get(), *owner, {}, now);
    if (!revoked) return revoked.error();
    out.revoked = std::move(*revoked);
    if (auto r = tx->commit(); !r) return r.error();
    return out;
}

result<std::int64_t> sqlite_store::purge_expired_one_time_tokens(std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    if (auto r = execute(**c, sql::ott_purge, now); !r) return r.error();
    return (*c)->changes();
}

}  // namespace warden::store
