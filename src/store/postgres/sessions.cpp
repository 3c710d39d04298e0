// session_store over PostgreSQL: refresh-token families, refresh tokens, access-token records,
// and the session use cases (login grant, rotation, revocation), each one transaction. Row locks
// are always taken in the order token, user, family, so racing use cases wait and never deadlock.
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/steps.hpp"

namespace warden::store {
namespace {

struct family_state {
    user_id user = 0;
    bool revoked = false;
};

result<family_state> find_family(pg_connection& c, std::string_view family_id) {
    auto q = first_row(c, sql_pg::family_get, family_id);
    if (!q) return q.error();
    return family_state{q->int64(0, 0), q->boolean(0, 1)};
}

// A row of sql_pg::refresh_get as a record.
refresh_token read_refresh(pg_result const& r, std::string_view token_hash) {
    refresh_token t;
    t.token_hash = token_hash;
    t.family_id = r.text(0, 0);
    t.user = r.int64(0, 1);
    t.scope = r.text(0, 2);
    t.issued_at = r.int64(0, 3);
    t.expires_at = r.int64(0, 4);
    return t;
}

jti_list read_jtis(pg_result const& r) {
    jti_list out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
        out.emplace_back(std::string{r.text(row, 0)}, r.int64(row, 1));
    }
    return out;
}

template <class Key>
result<std::string> lookup_family(pg_connection& c, sql_pg q_id, Key const& key) {
    auto q = first_row(c, q_id, key);
    if (!q) return q.error() == errc::invalid_argument ? errc::not_found : q.error();
    return std::string{q->text(0, 0)};
}

result<void> execute(pg_connection& c, sql_pg q_id, auto const&... args) {
    auto r = run(c, q_id, args...);
    if (!r) return r.error();
    return {};
}

// Within a transaction: records a refresh token, creating its family if new.
result<void> insert_refresh(pg_connection& c, refresh_token const& t) {
    auto family = find_family(c, t.family_id);
    if (family) {
        if (family->user != t.user) return errc::invalid_argument;
        // A reuse elsewhere revoked the family after this caller's rotation won: the new token
        // must not be handed out (its family is dead).
        if (family->revoked) return errc::family_revoked;
        // Keeps the family until its last token has expired (purge relies on it).
        if (auto r = execute(c, sql_pg::family_extend, t.family_id, t.expires_at); !r) return r;
    } else if (family.error() == errc::not_found) {
        // A missing user fails the foreign key: not_found.
        if (auto r =
                execute(c, sql_pg::family_insert, t.family_id, t.user, t.issued_at, t.expires_at);
            !r)
            return r;
    } else {
        return family.error();
    }
    // A duplicate hash: invalid_argument.
    return execute(c, sql_pg::refresh_insert, pg_bytes{t.token_hash}, t.family_id, t.scope,
                   t.issued_at, t.expires_at);
}

result<void> insert_access(pg_connection& c, std::string_view family_id, std::string_view jti,
                           std::int64_t expires_at) {
    auto family = find_family(c, family_id);
    if (!family) return family.error();
    // Recording a jti in a family already revoked would leave a live token nobody revokes.
    if (family->revoked) return errc::family_revoked;
    if (auto r = execute(c, sql_pg::access_insert, jti, family_id, expires_at); !r) return r;
    return execute(c, sql_pg::family_extend, family_id, expires_at);
}

bool valid(grant const& g) noexcept {
    return !g.refresh.token_hash.empty() && !g.refresh.family_id.empty() && !g.access_jti.empty();
}

// What consuming a token found, reading it with a lock held to the caller's commit (so racing
// consumers take turns and the second sees the first one's spend).
result<consumed_refresh> read_token_state(pg_connection& c, std::string_view token_hash,
                                          std::int64_t now) {
    consumed_refresh out;
    auto q = run(c, sql_pg::refresh_get_locked, pg_bytes{token_hash});
    if (!q) return q.error();
    if (q->rows() == 0) return out;  // unknown
    out.token = read_refresh(*q, token_hash);
    if (q->boolean(0, 6)) {
        out.state = refresh_state::family_revoked;
    } else if (q->boolean(0, 5)) {
        out.state = refresh_state::spent;
    } else if (out.token.expires_at <= now) {
        out.state = refresh_state::expired;
    } else {
        out.state = refresh_state::fresh;
    }
    return out;
}

// Puts `jtis` on the revocation list: on `external` (before the caller's commit, so a failure
// there rolls the use case back), or in the database by `in_database`.
result<void> put_on_revocation_list(pg_connection& c, revocation_store* external,
                                    jti_list const& jtis, sql_pg in_database, auto const&... args) {
    if (external != nullptr) return jtis.empty() ? result<void>{} : external->revoke_jtis(jtis);
    return execute(c, in_database, args...);
}

}  // namespace

namespace pg_steps {

result<void> insert_grant(pg_connection& c, grant const& g) {
    if (auto r = insert_refresh(c, g.refresh); !r) return r;
    return insert_access(c, g.refresh.family_id, g.access_jti, g.access_expires_at);
}

result<jti_list> revoke_family(pg_connection& c, revocation_store* external,
                               std::string_view family_id, std::int64_t now) {
    auto revoked = run(c, sql_pg::family_revoke, family_id, now);
    if (!revoked)
        return revoked.error() == errc::invalid_argument ? errc::not_found : revoked.error();
    if (revoked->affected() == 0) return errc::not_found;
    auto q = run(c, sql_pg::family_jtis, family_id);
    if (!q) return q.error();
    auto jtis = read_jtis(*q);
    if (auto r = put_on_revocation_list(c, external, jtis, sql_pg::family_revoke_jtis, family_id);
        !r)
        return r.error();
    return jtis;
}

result<jti_list> revoke_user_families(pg_connection& c, revocation_store* external, user_id user,
                                      std::string_view keep_family, std::int64_t now) {
    // "" matches no family: every family is swept. The UPDATE locks the families first, so a
    // grant racing into one of them waits and then finds it revoked.
    if (auto r = execute(c, sql_pg::user_families_revoke, user, keep_family, now); !r)
        return r.error();
    auto q = run(c, sql_pg::user_families_jtis, user, keep_family);
    if (!q) return q.error();
    auto jtis = read_jtis(*q);
    if (auto r = put_on_revocation_list(c, external, jtis, sql_pg::user_families_revoke_jtis, user,
                                        keep_family);
        !r)
        return r.error();
    return jtis;
}

}  // namespace pg_steps

result<void> postgres_store::add_refresh_token(refresh_token const& t) {
    if (t.token_hash.empty() || t.family_id.empty()) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    if (auto r = insert_refresh(**c, t); !r) return r.error();
    return tx->commit();
}

result<void> postgres_store::add_grant(refresh_token const& t, std::string_view jti,
                                       std::int64_t access_expires_at) {
    grant const g{t, std::string{jti}, access_expires_at};
    if (!valid(g)) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    if (auto r = pg_steps::insert_grant(**c, g); !r) return r.error();
    return tx->commit();
}

result<void> postgres_store::start_session(credential_check const& seen, grant const& g,
                                           std::string_view rehash, std::int64_t now) {
    if (!valid(g) || g.refresh.user != seen.user) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    // The check locks the user's row: a password change, deactivation or session sweep commits
    // either before (this login fails) or after (it revokes this session).
    if (auto r = pg_steps::check_credentials(**c, seen); !r) return r.error();
    if (!rehash.empty()) {
        if (auto r =
                execute(**c, sql_pg::user_replace_hash, seen.user, seen.password_hash, rehash, now);
            !r) {
            return r.error();
        }
    }
    if (auto r = pg_steps::insert_grant(**c, g); !r) return r.error();
    return tx->commit();
}

result<rotation> postgres_store::rotate_refresh(std::string_view spent_hash,
                                                credential_check const& seen, grant const& next,
                                                std::int64_t now) {
    if (!valid(next) || next.refresh.user != seen.user) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    // The token's row is locked as it is read: of N callers racing on one hash (in any number of
    // processes) exactly one sees it fresh; the others wait and see it spent once the winner's
    // grant is committed.
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    auto found = read_token_state(**c, spent_hash, now);
    if (!found) return found.error();
    rotation out{found->state, std::move(found->token), {}};
    if (out.state == refresh_state::spent) {
        // Reuse (RFC 9700 §4.14): the whole family goes, with its access tokens.
        auto revoked = pg_steps::revoke_family(**c, external_.get(), out.token.family_id, now);
        if (!revoked) return revoked.error();
        out.revoked = std::move(*revoked);
    } else if (out.state == refresh_state::fresh) {
        if (out.token.user != seen.user || next.refresh.family_id != out.token.family_id) {
            return errc::invalid_argument;
        }
        if (auto r = pg_steps::check_credentials(**c, seen); !r) return r.error();
        if (auto r = execute(**c, sql_pg::refresh_spend, pg_bytes{spent_hash}, now); !r)
            return r.error();
        if (auto r = pg_steps::insert_grant(**c, next); !r) return r.error();
    } else {
        return out;  // nothing to write
    }
    if (auto r = tx->commit(); !r) return r.error();  // `fresh` only once it is durable
    return out;
}

result<consumed_refresh> postgres_store::refresh_token_state(std::string_view token_hash,
                                                             std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    // Outside a transaction the row lock of the locking read ends with the statement.
    return read_token_state(**c, token_hash, now);
}

result<refresh_token> postgres_store::find_refresh_token(std::string_view token_hash) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql_pg::refresh_get, pg_bytes{token_hash});
    if (!q) return q.error();
    return read_refresh(*q, token_hash);
}

result<consumed_refresh> postgres_store::consume_refresh_token(std::string_view token_hash,
                                                               std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    auto out = read_token_state(**c, token_hash, now);
    if (!out) return out.error();
    if (out->state != refresh_state::fresh) return out;  // nothing written
    if (auto r = execute(**c, sql_pg::refresh_spend, pg_bytes{token_hash}, now); !r)
        return r.error();
    if (auto r = tx->commit(); !r) return r.error();  // `fresh` only once the spend is durable
    return out;
}

result<void> postgres_store::add_access_token(std::string_view family_id, std::string_view jti,
                                              std::int64_t expires_at) {
    if (jti.empty() || family_id.empty()) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    if (auto r = insert_access(**c, family_id, jti, expires_at); !r) return r.error();
    return tx->commit();
}

result<jti_list> postgres_store::revoke_family(std::string_view family_id, std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    auto jtis = pg_steps::revoke_family(**c, external_.get(), family_id, now);
    if (!jtis) return jtis.error();
    if (auto r = tx->commit(); !r) return r.error();
    return jtis;
}

result<jti_list> postgres_store::revoke_user_families(user_id user, std::string_view keep_family,
                                                      std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    auto jtis = pg_steps::revoke_user_families(**c, external_.get(), user, keep_family, now);
    if (!jtis) return jtis.error();
    if (auto r = tx->commit(); !r) return r.error();
    return jtis;
}

result<std::string> postgres_store::family_of_refresh_token(std::string_view token_hash) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    return lookup_family(**c, sql_pg::refresh_family, pg_bytes{token_hash});
}

result<std::string> postgres_store::family_of_access_token(std::string_view jti) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    return lookup_family(**c, sql_pg::access_family, jti);
}

result<std::int64_t> postgres_store::purge_expired_sessions(std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    std::int64_t removed = 0;
    // Children first, so the count is of rows this call chose, not of cascades.
    for (sql_pg const q_id :
         {sql_pg::purge_access, sql_pg::purge_refresh, sql_pg::purge_families}) {
        auto r = run(**c, q_id, now);
        if (!r) return r.error();
        removed += r->affected();
    }
    if (auto r = tx->commit(); !r) return r.error();
    return removed;
}

}  // namespace warden::store
