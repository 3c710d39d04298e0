// transfer_store over PostgreSQL: a whole deployment read from one snapshot, written in one
// transaction.
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/steps.hpp"
#include "store/scopes.hpp"
#include "store/token_kind.hpp"
#include "store/values.hpp"

namespace warden::store {
namespace {

std::optional<std::int64_t> optional_int(pg_result const& r, int row, int col) {
    if (r.is_null(row, col)) return std::nullopt;
    return r.int64(row, col);
}

template <class Row, class Read>
result<void> read_rows(pg_connection& c, sql_pg q, std::vector<Row>& out, Read read) {
    auto r = run(c, q);
    if (!r) return r.error();
    out.reserve(out.size() + static_cast<std::size_t>(r->rows()));
    for (int row = 0; row < r->rows(); ++row) out.push_back(read(*r, row));
    return {};
}

// A whole table in one statement may take longer than a request's reply timeout: no limit, for
// the lease's duration.
class unlimited_replies {
  public:
    explicit unlimited_replies(pg_connection& c)
        : c_(c), saved_(c.set_reply_timeout(std::chrono::milliseconds{0})) {}
    unlimited_replies(unlimited_replies const&) = delete;
    unlimited_replies& operator=(unlimited_replies const&) = delete;
    ~unlimited_replies() { c_.set_reply_timeout(saved_); }

  private:
    pg_connection& c_;
    std::chrono::milliseconds saved_;
};

result<void> execute(pg_connection& c, sql_pg q, auto const&... args) {
    auto r = run(c, q, args...);
    if (!r) return r.error();
    return {};
}

}  // namespace

result<store_rows> postgres_store::read_all() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    unlimited_replies const patient{**c};
    auto tx = pg_transaction::begin_snapshot(**c);  // one snapshot for every table
    if (!tx) return tx.error();
    store_rows out;
    if (auto r = read_rows(**c, sql_pg::export_users, out.users, pg_steps::read_user); !r)
        return r.error();
    {
        auto q = first_row(**c, sql_pg::export_last_user_id);
        if (!q) return q.error();
        out.last_user_id = q->int64(0, 0);
    }
    auto family = [](pg_result const& r, int row) {
        return family_row{std::string{r.text(row, 0)}, r.int64(row, 1), r.int64(row, 2),
                          r.int64(row, 3), optional_int(r, row, 4)};
    };
    if (auto r = read_rows(**c, sql_pg::export_families, out.families, family); !r)
        return r.error();
    auto refresh = [](pg_result const& r, int row) {
        return refresh_row{r.bytes(row, 0),
                           std::string{r.text(row, 1)},
                           std::string{r.text(row, 2)},
                           r.int64(row, 3),
                           r.int64(row, 4),
                           optional_int(r, row, 5)};
    };
    if (auto r = read_rows(**c, sql_pg::export_refresh, out.refresh_tokens, refresh); !r)
        return r.error();
    auto access = [](pg_result const& r, int row) {
        return access_row{std::string{r.text(row, 0)}, std::string{r.text(row, 1)},
                          r.int64(row, 2)};
    };
    if (auto r = read_rows(**c, sql_pg::export_access, out.access_tokens, access); !r)
        return r.error();
    auto revoked = [](pg_result const& r, int row) {
        return std::pair{std::string{r.text(row, 0)}, r.int64(row, 1)};
    };
    if (auto r = read_rows(**c, sql_pg::export_revoked, out.revoked, revoked); !r) return r.error();
    if (auto r = read_rows(**c, sql_pg::key_list, out.signing_keys, pg_steps::read_signing_key); !r)
        return r.error();
    if (auto r = read_rows(**c, sql_pg::client_list, out.clients, pg_steps::read_client); !r)
        return r.error();
    auto token = [](pg_result const& r, int row) {
        return one_time_token_row{r.bytes(row, 0), kind_of_text(r.text(row, 1)),
                                  r.int64(row, 2), r.int64(row, 3),
                                  r.int64(row, 4), optional_int(r, row, 5)};
    };
    if (auto r = read_rows(**c, sql_pg::export_one_time_tokens, out.one_time_tokens, token); !r)
        return r.error();
    auto totp = [](pg_result const& r, int row) {
        return totp_row{r.int64(row, 0), r.bytes(row, 1), optional_int(r, row, 2), r.int64(row, 3),
                        r.int64(row, 4)};
    };
    if (auto r = read_rows(**c, sql_pg::export_totp, out.totp, totp); !r) return r.error();
    auto code = [](pg_result const& r, int row) {
        return recovery_code_row{r.int64(row, 0), r.bytes(row, 1), optional_int(r, row, 2)};
    };
    if (auto r = read_rows(**c, sql_pg::export_recovery_codes, out.recovery_codes, code); !r)
        return r.error();
    if (auto r = tx->commit(); !r) return r.error();
    return out;
}

result<bool> postgres_store::empty() {
    auto c = pool_.acquire();
    if (!c) return {boost::system::in_place_error, c.error()};
    auto q = first_row(**c, sql_pg::count_rows);
    if (!q) return {boost::system::in_place_error, q.error()};
    return q->int64(0, 0) == 0;
}

result<void> postgres_store::write_all(store_rows const& rows, bool replace) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    unlimited_replies const patient{**c};
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    // Before any signing-key row, as every key change does.
    if (auto r = pg_steps::lock_key_set(**c); !r) return r;
    if (replace) {
        if (auto r =
                (*c)->exec("TRUNCATE users, refresh_families, refresh_tokens, access_tokens,"
                           " revoked_jtis, login_failures, oauth_clients, one_time_tokens, totp,"
                           " totp_recovery_codes");
            !r)
            return r.error();
        // Deleted, not truncated: TRUNCATE fires no row trigger, and the revision must move.
        if (auto r = (*c)->exec("DELETE FROM signing_keys"); !r) return r.error();
    }
    for (auto const& u : rows.users) {
        if (auto ok = check_user({u.email, u.password_hash, u.full_name, u.is_active, u.scopes});
            !ok)
            return ok;
        auto scopes = encode_scopes(u.scopes);
        if (!scopes) return scopes.error();
        if (auto r = execute(**c, sql_pg::import_user, u.id, u.email, u.password_hash, u.full_name,
                             u.is_active, *scopes, u.created_at, u.updated_at, u.token_version,
                             u.is_verified);
            !r)
            return r;
    }
    if (auto r = execute(**c, sql_pg::raise_sequence, rows.last_user_id); !r) return r;
    for (auto const& f : rows.families) {
        if (auto r = execute(**c, sql_pg::import_family, f.id, f.user, f.created_at, f.expires_at,
                             f.revoked_at);
            !r)
            return r;
    }
    for (auto const& t : rows.refresh_tokens) {
        if (auto r = execute(**c, sql_pg::import_refresh, pg_bytes{t.token_hash}, t.family_id,
                             t.scope, t.issued_at, t.expires_at, t.spent_at);
            !r)
            return r;
    }
    for (auto const& a : rows.access_tokens) {
        if (auto r = execute(**c, sql_pg::import_access, a.jti, a.family_id, a.expires_at); !r)
            return r;
    }
    for (auto const& [jti, expires_at] : rows.revoked) {
        if (auto r = execute(**c, sql_pg::revoked_insert, jti, expires_at); !r) return r;
    }
    // Keys and clients as they are (the sealed bytes exactly); a taken kid or id is a key that
    // exists already.
    for (auto const& key : rows.signing_keys) {
        if (auto r = pg_steps::insert_signing_key(**c, key); !r) return taken_as_invalid(r);
    }
    for (auto const& client : rows.clients) {
        if (auto r = pg_steps::insert_client(**c, client); !r) return taken_as_invalid(r);
    }
    // One-time tokens and TOTP as they are (hashes and sealed secrets exactly).
    for (auto const& t : rows.one_time_tokens) {
        if (auto r = execute(**c, sql_pg::import_one_time_token, pg_bytes{t.token_hash},
                             kind_text(t.kind), t.user, t.created_at, t.expires_at, t.used_at);
            !r)
            return r;
    }
    for (auto const& t : rows.totp) {
        if (auto r = execute(**c, sql_pg::totp_insert, t.user, pg_bytes{t.sealed_secret},
                             t.confirmed_at, t.last_accepted_step, t.created_at);
            !r)
            return r;
    }
    for (auto const& code : rows.recovery_codes) {
        if (auto r = execute(**c, sql_pg::recovery_insert, code.user, pg_bytes{code.code_hash},
                             code.used_at);
            !r)
            return r;
    }
    return tx->commit();
}

}  // namespace warden::store
