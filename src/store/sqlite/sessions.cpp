// session_store over SQLite: refresh-token families, refresh tokens, access-token records.
#include "store/sqlite/sqlite_store.hpp"

namespace warden::store {
namespace {

struct family_state {
    user_id user = 0;
    bool revoked = false;
};

// The family's owner and state, or `errc::not_found`.
result<family_state> find_family(sqlite_connection& c, std::string_view family_id) {
    auto q = c.query(sql::family_get);
    if (!q) return q.error();
    auto& s = **q;
    s.bind(1, family_id);
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return errc::not_found;
    return family_state{s.column_int64(0), s.column_int64(1) != 0};
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

// Keeps the family until its last token, refresh or access, has expired (purge relies on it).
result<void> extend_family(sqlite_connection& c, std::string_view family_id,
                           std::int64_t expires_at) {
    auto q = c.query(sql::family_extend);
    if (!q) return q.error();
    (*q)->bind(1, family_id);
    (*q)->bind(2, expires_at);
    return run_to_end(**q);
}

// Runs a jti query (already bound) and collects its rows.
result<sqlite_store::jti_list> collect_jtis(sqlite_statement& s) {
    sqlite_store::jti_list out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) return out;
        out.emplace_back(std::string{s.column_text(0)}, s.column_int64(1));
    }
}

// A single-column text lookup by one key (family of a token).
result<std::string> lookup_family(sqlite_connection& c, sql q_id, std::string_view key, bool blob) {
    auto q = c.query(q_id);
    if (!q) return q.error();
    auto& s = **q;
    if (blob) {
        s.bind_blob(1, key);
    } else {
        s.bind(1, key);
    }
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return errc::not_found;
    return std::string{s.column_text(0)};
}

// Within a write transaction: records a refresh token, creating its family if new.
result<void> insert_refresh(sqlite_connection& c, refresh_token const& t) {
    auto family = find_family(c, t.family_id);
    if (family) {
        if (family->user != t.user) return errc::invalid_argument;
        // A reuse elsewhere revoked the family after this caller's rotation won: the new token
        // must not be handed out (its family is dead).
        if (family->revoked) return errc::family_revoked;
        if (auto r = extend_family(c, t.family_id, t.expires_at); !r) return r.error();
    } else if (family.error() == errc::not_found) {
        auto q = c.query(sql::family_insert);
        if (!q) return q.error();
        auto& s = **q;
        s.bind(1, t.family_id);
        s.bind(2, t.user);
        s.bind(3, t.issued_at);
        s.bind(4, t.expires_at);
        if (auto r = run_to_end(s); !r) {
            return s.rc() == SQLITE_CONSTRAINT_FOREIGNKEY ? errc::not_found : r.error();
        }
    } else {
        return family.error();
    }
    auto q = c.query(sql::refresh_insert);
    if (!q) return q.error();
    auto& s = **q;
    s.bind_blob(1, t.token_hash);  // exact bytes: hex or raw digests alike
    s.bind(2, t.family_id);
    s.bind(3, t.scope);
    s.bind(4, t.issued_at);
    s.bind(5, t.expires_at);
    return run_to_end(s);  // a duplicate hash: invalid_argument
}

// Within a write transaction: records an access token's jti in a live family.
result<void> insert_access(sqlite_connection& c, std::string_view family_id, std::string_view jti,
                           std::int64_t expires_at) {
    auto family = find_family(c, family_id);
    if (!family) return family.error();
    // Recording a jti in a family already revoked would leave a live token nobody revokes.
    if (family->revoked) return errc::family_revoked;
    {
        auto q = c.query(sql::access_insert);
        if (!q) return q.error();
        auto& s = **q;
        s.bind(1, jti);
        s.bind(2, family_id);
        s.bind(3, expires_at);
        if (auto r = run_to_end(s); !r) return r.error();  // a duplicate jti: invalid_argument
    }
    return extend_family(c, family_id, expires_at);
}

}  // namespace

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
    if (t.token_hash.empty() || t.family_id.empty() || jti.empty()) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    if (auto r = insert_refresh(**c, t); !r) return r.error();
    if (auto r = insert_access(**c, t.family_id, jti, access_expires_at); !r) return r.error();
    return tx->commit();  // one commit (one WAL sync) for the whole token response
}

result<refresh_token> sqlite_store::find_refresh_token(std::string_view token_hash) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = (*c)->query(sql::refresh_get);
    if (!q) return q.error();
    auto& s = **q;
    s.bind_blob(1, token_hash);
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return errc::not_found;
    return read_refresh(s, token_hash);
}

result<consumed_refresh> sqlite_store::consume_refresh_token(std::string_view token_hash,
                                                             std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    // The write lock is taken before the read, so the read and the spend are one atomic step:
    // of N callers racing on one hash exactly one sees it unspent.
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    consumed_refresh out;
    bool spent = false;
    bool revoked = false;
    {
        auto q = (*c)->query(sql::refresh_get);
        if (!q) return q.error();
        auto& s = **q;
        s.bind_blob(1, token_hash);
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) return out;  // unknown; nothing written
        out.token = read_refresh(s, token_hash);
        spent = s.column_int64(5) != 0;
        revoked = s.column_int64(6) != 0;
    }
    if (revoked) {
        out.state = refresh_state::family_revoked;
    } else if (spent) {
        out.state = refresh_state::spent;
    } else if (out.token.expires_at <= now) {
        out.state = refresh_state::expired;
    } else {
        auto q = (*c)->query(sql::refresh_spend);
        if (!q) return q.error();
        (*q)->bind_blob(1, token_hash);
        (*q)->bind(2, now);
        if (auto r = run_to_end(**q); !r) return r.error();
        out.state = (*c)->changes() == 1 ? refresh_state::fresh : refresh_state::spent;
    }
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

result<sqlite_store::jti_list> sqlite_store::revoke_family(std::string_view family_id,
                                                           std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    {
        auto q = (*c)->query(sql::family_revoke);
        if (!q) return q.error();
        (*q)->bind(1, family_id);
        (*q)->bind(2, now);
        if (auto r = run_to_end(**q); !r) return r.error();
        if ((*c)->changes() == 0) return errc::not_found;
    }
    jti_list jtis;
    {
        auto q = (*c)->query(sql::family_jtis);
        if (!q) return q.error();
        (*q)->bind(1, family_id);
        auto r = collect_jtis(**q);
        if (!r) return r.error();
        jtis = std::move(*r);
    }
    if (auto r = tx->commit(); !r) return r.error();
    return jtis;
}

result<sqlite_store::jti_list> sqlite_store::revoke_user_families(user_id user,
                                                                  std::string_view keep_family,
                                                                  std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    jti_list jtis;
    {
        auto q = (*c)->query(sql::user_families_jtis);
        if (!q) return q.error();
        (*q)->bind(1, user);
        (*q)->bind(2, keep_family);  // "" matches no family: every family is swept
        auto r = collect_jtis(**q);
        if (!r) return r.error();
        jtis = std::move(*r);
    }
    {
        auto q = (*c)->query(sql::user_families_revoke);
        if (!q) return q.error();
        (*q)->bind(1, user);
        (*q)->bind(2, keep_family);
        (*q)->bind(3, now);
        if (auto r = run_to_end(**q); !r) return r.error();
    }
    if (auto r = tx->commit(); !r) return r.error();
    return jtis;
}

result<std::string> sqlite_store::family_of_refresh_token(std::string_view token_hash) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    return lookup_family(**c, sql::refresh_family, token_hash, true);
}

result<std::string> sqlite_store::family_of_access_token(std::string_view jti) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    return lookup_family(**c, sql::access_family, jti, false);
}

result<std::int64_t> sqlite_store::purge_expired_sessions(std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    std::int64_t removed = 0;
    // Children first, so the count is of rows this call chose, not of cascades.
    for (sql const q_id : {sql::purge_access, sql::purge_refresh, sql::purge_families}) {
        auto q = (*c)->query(q_id);
        if (!q) return q.error();
        (*q)->bind(1, now);
        if (auto r = run_to_end(**q); !r) return r.error();
        removed += (*c)->changes();
    }
    if (auto r = tx->commit(); !r) return r.error();
    return removed;
}

}  // namespace warden::store
