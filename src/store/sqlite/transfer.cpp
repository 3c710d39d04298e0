// transfer_store over SQLite: a whole deployment read from one snapshot, written in one
// transaction.
#include "store/scopes.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/steps.hpp"
#include "store/token_kind.hpp"
#include "store/values.hpp"

namespace warden::store {
namespace {

std::optional<std::int64_t> optional_int(sqlite_statement const& s, int col) {
    if (s.column_is_null(col)) return std::nullopt;
    return s.column_int64(col);
}

// Runs query `q` and appends `read(statement)` for each row to `out`.
template <class Row, class Read>
result<void> read_rows(sqlite_connection& c, sql q, std::vector<Row>& out, Read read) {
    auto query = bound(c, q);
    if (!query) return query.error();
    for (;;) {
        auto row = (*query)->step();
        if (!row) return row.error();
        if (!*row) return {};
        out.push_back(read(**query));
    }
}

}  // namespace

result<store_rows> sqlite_store::read_all() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_read(**c);  // one snapshot for every table
    if (!tx) return tx.error();
    store_rows out;
    if (auto r = read_rows(**c, sql::export_users, out.users, sqlite_steps::read_user); !r)
        return r.error();
    {
        auto q = first_row(**c, sql::export_last_user_id);
        if (!q) return q.error();
        out.last_user_id = (*q)->column_int64(0);
    }
    auto family = [](sqlite_statement const& s) {
        return family_row{std::string{s.column_text(0)}, s.column_int64(1), s.column_int64(2),
                          s.column_int64(3), optional_int(s, 4)};
    };
    if (auto r = read_rows(**c, sql::export_families, out.families, family); !r) return r.error();
    auto refresh = [](sqlite_statement const& s) {
        return refresh_row{std::string{s.column_blob(0)},
                           std::string{s.column_text(1)},
                           std::string{s.column_text(2)},
                           s.column_int64(3),
                           s.column_int64(4),
                           optional_int(s, 5)};
    };
    if (auto r = read_rows(**c, sql::export_refresh, out.refresh_tokens, refresh); !r)
        return r.error();
    auto access = [](sqlite_statement const& s) {
        return access_row{std::string{s.column_text(0)}, std::string{s.column_text(1)},
                          s.column_int64(2)};
    };
    if (auto r = read_rows(**c, sql::export_access, out.access_tokens, access); !r)
        return r.error();
    auto revoked = [](sqlite_statement const& s) {
        return std::pair{std::string{s.column_text(0)}, s.column_int64(1)};
    };
    if (auto r = read_rows(**c, sql::export_revoked, out.revoked, revoked); !r) return r.error();
    if (auto r = read_rows(**c, sql::key_list, out.signing_keys, sqlite_steps::read_signing_key);
        !r)
        return r.error();
    if (auto r = read_rows(**c, sql::client_list, out.clients, sqlite_steps::read_client); !r)
        return r.error();
    auto token = [](sqlite_statement const& s) {
        return one_time_token_row{std::string{s.column_blob(0)},
                                  kind_of_text(s.column_text(1)),
                                  s.column_int64(2),
                                  s.column_int64(3),
                                  s.column_int64(4),
                                  optional_int(s, 5)};
    };
    if (auto r = read_rows(**c, sql::export_one_time_tokens, out.one_time_tokens, token); !r)
        return r.error();
    auto totp = [](sqlite_statement const& s) {
        return totp_row{s.column_int64(0), std::string{s.column_blob(1)}, optional_int(s, 2),
                        s.column_int64(3), s.column_int64(4)};
    };
    if (auto r = read_rows(**c, sql::export_totp, out.totp, totp); !r) return r.error();
    auto code = [](sqlite_statement const& s) {
        return recovery_code_row{s.column_int64(0), std::string{s.column_blob(1)},
                                 optional_int(s, 2)};
    };
    if (auto r = read_rows(**c, sql::export_recovery_codes, out.recovery_codes, code); !r)
        return r.error();
    if (auto r = tx->commit(); !r) return r.error();
    return out;
}

result<bool> sqlite_store::empty() {
    auto c = pool_.acquire();
    if (!c) return {boost::system::in_place_error, c.error()};
    auto q = first_row(**c, sql::count_rows);
    if (!q) return {boost::system::in_place_error, q.error()};
    return (*q)->column_int64(0) == 0;
}

result<void> sqlite_store::write_all(store_rows const& rows, bool replace) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    if (replace) {
        // Users cascade to their families, refresh tokens and access-token records.
        if (auto r = (*c)->exec("DELETE FROM users; DELETE FROM revoked_jtis; "
                                "DELETE FROM login_failures; DELETE FROM signing_keys; "
                                "DELETE FROM oauth_clients;");
            !r)
            return r;
    }
    for (auto const& u : rows.users) {
        if (auto ok = check_user({u.email, u.password_hash, u.full_name, u.is_active, u.scopes});
            !ok)
            return ok;
        auto scopes = encode_scopes(u.scopes);
        if (!scopes) return scopes.error();
        auto q = bound(**c, sql::import_user, u.id, u.email, u.password_hash, u.full_name,
                       std::int64_t{u.is_active ? 1 : 0}, *scopes, u.created_at, u.updated_at,
                       u.token_version, std::int64_t{u.is_verified ? 1 : 0});
        if (!q) return q.error();
        if (auto r = run_to_end(**q); !r) {
            return (*q)->rc() == SQLITE_CONSTRAINT_UNIQUE ? errc::email_taken : r.error();
        }
    }
    if (auto r = execute(**c, sql::import_sequence); !r) return r;
    if (auto r = execute(**c, sql::raise_sequence, rows.last_user_id); !r) return r;
    for (auto const& f : rows.families) {
        if (auto r = execute(**c, sql::import_family, f.id, f.user, f.created_at, f.expires_at,
                             f.revoked_at);
            !r)
            return r;
    }
    for (auto const& t : rows.refresh_tokens) {
        if (auto r = execute(**c, sql::import_refresh, sqlite_blob{t.token_hash}, t.family_id,
                             t.scope, t.issued_at, t.expires_at, t.spent_at);
            !r)
            return r;
    }
    for (auto const& a : rows.access_tokens) {
        if (auto r = execute(**c, sql::import_access, a.jti, a.family_id, a.expires_at); !r)
            return r;
    }
    for (auto const& [jti, expires_at] : rows.revoked) {
        if (auto r = execute(**c, sql::revoked_insert, jti, expires_at); !r) return r;
    }
    // Keys and clients as they are (the sealed bytes exactly); a taken kid or id is a key that
    // exists already.
    for (auto const& key : rows.signing_keys) {
        if (auto r = sqlite_steps::insert_signing_key(**c, key); !r) return taken_as_invalid(r);
    }
    for (auto const& client : rows.clients) {
        if (auto r = sqlite_steps::insert_client(**c, client); !r) return taken_as_invalid(r);
    }
    // One-time tokens and TOTP as they are (hashes and sealed secrets exactly).
    for (auto const& t : rows.one_time_tokens) {
        if (auto r = execute(**c, sql::import_one_time_token, sqlite_blob{t.token_hash},
                             kind_text(t.kind), t.user, t.created_at, t.expires_at, t.used_at);
            !r)
            return r;
    }
    for (auto const& t : rows.totp) {
        if (auto r = execute(**c, sql::totp_insert, t.user, sqlite_blob{t.sealed_secret},
                             t.confirmed_at, t.last_accepted_step, t.created_at);
            !r)
            return r;
    }
    for (auto const& code : rows.recovery_codes) {
        if (auto r = execute(**c, sql::recovery_insert, code.user, sqlite_blob{code.code_hash},
                             code.used_at);
            !r)
            return r;
    }
    return tx->commit();
}

}  // namespace warden::store
