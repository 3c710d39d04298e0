// session_store over SQLite: refresh-token families, refresh tokens, access-token records, and
// the session use cases (login grant, rotation, revocation), each one write transaction.
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/steps.hpp"

namespace warden::store {
namespace {

struct family_state {
    user_id user = 0;
    bool revoked = false;
};

// The family's owner and state, or `errc::not_found`.
result<family_state> find_family(sqlite_connection& c, std::string_view family_id) {
    auto q = first_row(c, sql::family_get, family_id);
    if (!q) return q.error();
    return family_state{(*q)->column_int64(0), (*q)->column_int64(1) != 0};
}

// A row of sql::refresh_get as a record.
refresh_token read_refresh(sqlite_statement const& s, std::string_view token_hash) {
    refresh_token t;
    t.token_hash = token_hash;
    t.family_id = s.column_text(0);
    t.user = s.column_int64(1);
    t.scope = s.column_text(2);
    t.issued_at = s.column_int64(3);
    t.expires_at = s.column_int64(4);
    return t;
}

// Runs a jti query (already bound) and collects its rows.
result<jti_list> collect_jtis(sqlite_statement& s) {
    jti_list out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) return out;
        out.emplace_back(std::string{s.column_text(0)}, s.column_int64(1));
    }
}

// A single-column text lookup by one key (family of a token).
template <class Key>
result<std::string> lookup_family(sqlite_connection& c, sql q_id, Key const& key) {
    auto q = first_row(c, q_id, key);
    if (!q) return q.error();
    return std::string{(*q)->column_text(0)};
}

// Within a write transaction: records a refresh token, creating its family if new.
result<void> insert_refresh(sqlite_connection& c, refresh_token const& t) {
    auto family = find_family(c, t.family_id);
    if (family) {
        if (family->user != t.user) return errc::invalid_argument;
        // A reuse elsewhere revoked the family after this caller's rotation won: the new token
        // must not be handed out (its family is dead).
        if (family->revoked) return errc::family_revoked;
        // Keeps the family until its last token has expired (purge relies on it).
        if (auto r = execute(c, sql::family_extend, t.family_id, t.expires_at); !r) return r;
    } else if (family.error() == errc::not_found) {
        auto q = bound(c, sql::family_insert, t.family_id, t.user, t.issued_at, t.expires_at);
        if (!q) return q.error();
        if (auto r = run_to_end(**q); !r) {
            return (*q)->rc() == SQLITE_CONSTRAINT_FOREIGNKEY ? errc::not_found : r.error();
        }
    } else {
        return family.error();
    }
    // A duplicate hash: invalid_argument.
    return execute(c, sql::refresh_insert, sqlite_blob{t.token_hash}, t.family_id, t.scope,
                   t.issued_at, t.expires_at);
}

// Within a write transaction: records an access token's jti in a live family.
result<void> insert_access(sqlite_connection& c, std::string_view family_id, std::string_view jti,
                           std::int64_t expires_at) {
    auto family = find_family(c, family_id);
    if (!family) return family.error();
    // Recording a jti in a family already revoked would leave a live token nobody revokes.
    if (family->revoked) return errc::family_revoked;
    // A duplicate jti: invalid_argument.
    if (auto r = execute(c, sql::access_insert, jti, family_id, expires_at); !r) return r;
    return execute(c, sql::family_extend, family_id, expires_at);
}

bool valid(grant const& g) noexcept {
    return !g.refresh.token_hash.empty() && !g.refresh.family_id.empty() && !g.access_jti.empty();
}

// What consuming a token found, read inside the caller's write transaction (nothing written).
result<consumed_refresh> read_token_state(sqlite_connection& c, std::string_view token_hash,
                                          std::int64_t now) {
    consumed_refresh out;
    auto q = bound(c, sql::refresh_get, sqlite_blob{token_hash});
    if (!q) return q.error();
    auto row = (*q)->step();
    if (!row) return row.error();
    if (!*row) return out;  // unknown
    out.token = read_refresh(**q, token_hash);
    if ((*q)->column_int64(6) != 0) {
        out.state = refresh_state::family_revoked;
    } else if ((*q)->column_int64(5) != 0) {
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
result<void> put_on_revocation_list(sqlite_connection& c, revocation_store* external,
                                    jti_list const& jtis, sql in_database, auto const&... args) {
    if (external != nullptr) return jtis.empty() ? result<void>{} : external->revoke_jtis(jtis);
    return execute(c, in_database, args...);
}

}  // namespace

namespace sqlite_steps {

result<void> insert_grant(sqlite_connection& c, grant const& g) {
    if (auto r = insert_refresh(c, g.refresh); !r) return r;
    return insert_access(c, g.refresh.family_id, g.access_jti, g.access_expires_at);
}

result<jti_list> revoke_family(sqlite_connection& c, revocation_store* external,
                               std::string_view family_id, std::int64_t now) {
    if (auto r = execute(c, sql::family_revoke, family_id, now); !r) return r.error();
    if (c.changes() == 0) return errc::not_found;
    jti_list jtis;
    {
        auto q = bound(c, sql::family_jtis, family_id);
        if (!q) return q.error();
        auto r = collect_jtis(**q);
        if (!r) return r.error();
        jtis = std::move(*r);
    }
    if (auto r = put_on_revocation_list(c, external, jtis, sql::family_revoke_jtis, family_id); !r)
        return r.error();
    return jtis;
}

result<jti_list> revoke_user_families(sqlite_connection& c, revocation_store* external,
                                      user_id user, std::string_view keep_family,
                                      std::int64_t now) {
    // "" matches no family: every family is swept.
    jti_list jtis;
    {
        auto q = bound(c, sql::user_families_jtis, user, keep_family);
        if (!q) return q.error();
        auto r = collect_jtis(**q);
        if (!r) return r.error();
        jtis = std::move(*r);
    }
    if (auto r = execute(c, sql::user_families_revoke, user, keep_family, now); !r)
        return r.error();
    if (auto r = put_on_revocation_list(c, external, jtis, sql::user_families_revoke_jtis, user,
                                        keep_family);
        !r)
        return r.error();
    return jtis;
}

}  // namespace sqlite_steps

result<void> sqlite_store::add_refresh_token(refresh_token const& t) {
    if (t.token_hash.empty() || t.family_id.empty()) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    if (auto r = insert_refresh(**c, t); !r) return r.error();
    return tx->commit();
}

result<void> sqlite_store::add_grant(refresh_token const& t, std::string_view jti,
                                     std::int64_t access_expires_at) {
    grant const g{t, std::string{jti}, access_expires_at};
    if (!valid(g)) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    if (auto r = sqlite_steps::insert_grant(**c, g); !r) return r.error();
    return tx->commit();  // one commit (one WAL sync) for the whole token response
}

result<void> sqlite_store::start_session(credential_check const& seen, grant const& g,
                                         std::string_view rehash, std::int64_t now) {
    if (!valid(g) || g.refresh.user != seen.user) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    // The check and the grant in one transaction: a password change, deactivation or session
    // sweep commits either before (this login fails) or after (it revokes this session).
    if (auto r = sqlite_steps::check_credentials(**c, seen); !r) return r.error();
    if (!rehash.empty()) {
        if (auto r =
                execute(**c, sql::user_replace_hash, seen.user, seen.password_hash, rehash, now);
            !r) {
            return r.error();
        }
    }
    if (auto r = sqlite_steps::insert_grant(**c, g); !r) return r.error();
    return tx->commit();
}

result<rotation> sqlite_store::rotate_refresh(std::string_view spent_hash,
                                              credential_check const& seen, grant const& next,
                                              std::int64_t now) {
    if (!valid(next) || next.refresh.user != seen.user) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    // The write lock is taken before the read, so the read, the spend and the new grant are one
    // atomic step: of N callers racing on one hash exactly one sees it fresh, and the others see
    // it spent only once the winner's grant is committed.
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto found = read_token_state(**c, spent_hash, now);
    if (!found) return found.error();
    rotation out{found->state, std::move(found->token), {}};
    if (out.state == refresh_state::spent) {
        // Reuse (RFC 9700 §4.14): the whole family goes, with its access tokens.
        auto revoked = sqlite_steps::revoke_family(**c, external_.get(), out.token.family_id, now);
        if (!revoked) return revoked.error();
        out.revoked = std::move(*revoked);
    } else if (out.state == refresh_state::fresh) {
        if (out.token.user != seen.user || next.refresh.family_id != out.token.family_id) {
            return errc::invalid_argument;
        }
        if (auto r = sqlite_steps::check_credentials(**c, seen); !r) return r.error();
        if (auto r = execute(**c, sql::refresh_spend, sqlite_blob{spent_hash}, now); !r)
            return r.error();
        if (auto r = sqlite_steps::insert_grant(**c, next); !r) return r.error();
    } else {
        return out;  // nothing to write
    }
    if (auto r = tx->commit(); !r) return r.error();  // `fresh` only once it is durable
    return out;
}

result<consumed_refresh> sqlite_store::refresh_token_state(std::string_view token_hash,
                                                           std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    return read_token_state(**c, token_hash, now);
}

result<refresh_token> sqlite_store::find_refresh_token(std::string_view token_hash) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql::refresh_get, sqlite_blob{token_hash});
    if (!q) return q.error();
    return read_refresh(**q, token_hash);
}

result<consumed_refresh> sqlite_store::consume_refresh_token(std::string_view token_hash,
                                                             std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    // The write lock is taken before the read, so the read and the spend are one atomic step:
    // of N callers racing on one hash exactly one sees it unspent.
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto out = read_token_state(**c, token_hash, now);
    if (!out) return out.error();
    if (out->state != refresh_state::fresh) return out;  // nothing written
    if (auto r = execute(**c, sql::refresh_spend, sqlite_blob{token_hash}, now); !r)
        return r.error();
    if (auto r = tx->commit(); !r) return r.error();  // `fresh` only once the spend is durable
    return out;
}

result<void> sqlite_store::add_access_token(std::string_view family_id, std::string_view jti,
                                            std::int64_t expires_at) {
    if (jti.empty() || family_id.empty()) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    if (auto r = insert_access(**c, family_id, jti, expires_at); !r) return r.error();
    return tx->commit();
}

result<jti_list> sqlite_store::revoke_family(std::string_view family_id, std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto jtis = sqlite_steps::revoke_family(**c, external_.get(), family_id, now);
    if (!jtis) return jtis.error();
    if (auto r = tx->commit(); !r) return r.error();
    return jtis;
}

result<jti_list> sqlite_store::revoke_user_families(user_id user, std::string_view keep_family,
                                                    std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto jtis = sqlite_steps::revoke_user_families(**c, external_.get(), user, keep_family, now);
    if (!jtis) return jtis.error();
    if (auto r = tx->commit(); !r) return r.error();
    return jtis;
}

result<std::string> sqlite_store::family_of_refresh_token(std::string_view token_hash) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    return lookup_family(**c, sql::refresh_family, sqlite_blob{token_hash});
}

result<std::string> sqlite_store::family_of_access_token(std::string_view jti) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    return lookup_family(**c, sql::access_family, jti);
}

result<std::int64_t> sqlite_store::purge_expired_sessions(std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    std::int64_t removed = 0;
    // Children first, so the count is of rows this call chose, not of cascades.
    for (sql const q_id : {sql::purge_access, sql::purge_refresh, sql::purge_families}) {
        if (auto r = execute(**c, q_id, now); !r) return r.error();
        removed += (*c)->changes();
    }
    if (auto r = tx->commit(); !r) return r.error();
    return removed;
}

}  // namespace warden::store
