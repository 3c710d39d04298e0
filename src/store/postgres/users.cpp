// user_store over PostgreSQL.
#include <optional>

#include "store/postgres/postgres_store.hpp"
#include "store/postgres/steps.hpp"
#include "store/scopes.hpp"
#include "store/values.hpp"

namespace warden::store {
namespace {

// A lookup by a value no row can hold (a NUL byte, invalid UTF-8) finds nothing, as on SQLite.
error_code lookup_error(error_code ec) noexcept {
    return ec == errc::invalid_argument ? error_code{errc::not_found} : ec;
}

result<user> insert_user(pg_connection& c, new_user const& u, std::int64_t now) {
    if (auto ok = check_user(u); !ok) return ok.error();
    auto scopes = encode_scopes(u.scopes);
    if (!scopes) return scopes.error();
    auto q = first_row(c, sql_pg::user_insert, u.email, u.password_hash, u.full_name, u.is_active,
                       *scopes, now, u.is_verified);
    if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
    return pg_steps::read_user(*q);
}

}  // namespace

namespace pg_steps {

user read_user(pg_result const& r, int row) {
    user u;
    u.id = r.int64(row, 0);
    u.email = r.text(row, 1);
    u.password_hash = r.text(row, 2);
    u.full_name = r.text(row, 3);
    u.is_active = r.boolean(row, 4);
    u.scopes = decode_scopes(r.text(row, 5));
    u.created_at = r.int64(row, 6);
    u.updated_at = r.int64(row, 7);
    u.token_version = r.int64(row, 8);
    u.is_verified = r.boolean(row, 9);
    return u;
}

result<void> check_credentials(pg_connection& c, credential_check const& seen) {
    auto q = first_row(c, sql_pg::user_credentials, seen.user);
    if (!q) return q.error();
    bool const same = q->int64(0, 0) == seen.token_version && q->boolean(0, 1) &&
                      (seen.password_hash.empty() || q->text(0, 2) == seen.password_hash);
    if (!same) return errc::credentials_changed;
    return {};
}

}  // namespace pg_steps

result<user> postgres_store::create_user(new_user const& u, std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    return insert_user(**c, u, now);  // autocommit: committed when this returns
}

result<std::vector<user>> postgres_store::create_users(std::vector<new_user> const& users,
                                                       std::int64_t now, std::size_t* failed_at) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    std::vector<user> created;
    created.reserve(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) {
        auto u = insert_user(**c, users[i], now);
        if (!u) {
            if (failed_at != nullptr) *failed_at = i;
            return u.error();  // rolled back: nothing of the batch remains
        }
        created.push_back(std::move(*u));
    }
    if (auto r = tx->commit(); !r) return r.error();
    return created;
}

result<user> postgres_store::find_user(user_id id) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql_pg::user_by_id, id);
    if (!q) return q.error();
    return pg_steps::read_user(*q);
}

result<token_subject> postgres_store::find_token_subject(user_id id, std::string_view jti) {
    if (external_ != nullptr) {
        // The revocation list lives elsewhere (Redis): the row here, the jti there.
        auto row = find_user(id);
        if (!row) return row.error();
        bool revoked = false;
        if (!jti.empty()) {
            auto r = external_->is_revoked(jti);
            if (!r) return r.error();  // fails closed: no answer is not "not revoked"
            revoked = *r;
        }
        return token_subject{std::move(*row), revoked};
    }
    auto c = pool_.acquire();
    if (!c) return c.error();
    // One statement: one round trip, one snapshot.
    auto q = first_row(**c, sql_pg::user_for_token, id, jti);
    if (!q) return q.error() == errc::invalid_argument ? find_token_subject(id, {}) : q.error();
    return token_subject{pg_steps::read_user(*q), q->boolean(0, 10)};
}

result<user> postgres_store::find_user_by_email(std::string_view email) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql_pg::user_by_email, email);
    if (!q) return lookup_error(q.error());
    return pg_steps::read_user(*q);
}

result<user> postgres_store::update_user(user_id id, user_update const& change, std::int64_t now) {
    if (auto ok = check_update(change); !ok) return ok.error();
    std::optional<std::string> scopes;
    if (change.scopes) {
        auto encoded = encode_scopes(*change.scopes);
        if (!encoded) return encoded.error();
        scopes = std::move(*encoded);
    }
    auto c = pool_.acquire();
    if (!c) return c.error();
    // One transaction: a version bump also revokes every session, in the same commit.
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    // Unset fields bind NULL and coalesce() keeps the stored value.
    auto q = first_row(**c, sql_pg::user_update, id, change.email, change.password_hash,
                       change.full_name, change.is_active, scopes,
                       std::int64_t{change.bump_token_version ? 1 : 0}, now, change.is_verified);
    if (!q) return q.error();
    if (change.bump_token_version) {
        auto revoked = pg_steps::revoke_user_families(**c, external_.get(), id, {}, now);
        if (!revoked) return revoked.error();
    }
    if (auto r = tx->commit(); !r) return r.error();
    return pg_steps::read_user(*q);
}

result<jti_list> postgres_store::replace_password(user_id id, std::string_view verified_hash,
                                                  std::string_view new_hash,
                                                  std::string_view keep_family, std::int64_t now) {
    if (verified_hash.empty() || new_hash.empty()) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    // Compare-and-set: a login's re-hash or another change that committed since the current
    // password was checked makes this one fail rather than be undone or undo it.
    auto changed = run(**c, sql_pg::user_replace_hash, id, verified_hash, new_hash, now);
    if (!changed) return changed.error();
    if (changed->affected() == 0) {
        auto exists = first_row(**c, sql_pg::user_by_id, id);
        return exists ? errc::credentials_changed : exists.error();
    }
    auto revoked = pg_steps::revoke_user_families(**c, external_.get(), id, keep_family, now);
    if (!revoked) return revoked.error();
    if (auto r = tx->commit(); !r) return r.error();
    return revoked;
}

result<void> postgres_store::delete_user(user_id id) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    // ON DELETE CASCADE removes the families, their refresh tokens and access-token records.
    auto r = run(**c, sql_pg::user_delete, id);
    if (!r) return r.error();
    if (r->affected() == 0) return errc::not_found;
    return {};
}

result<user_page> postgres_store::list_users(std::int64_t limit, std::int64_t offset) {
    if (limit < 0 || offset < 0) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    // One snapshot, so the total and the page agree.
    auto tx = pg_transaction::begin_snapshot(**c);
    if (!tx) return tx.error();
    user_page page;
    auto total = first_row(**c, sql_pg::user_count);
    if (!total) return total.error() == errc::not_found ? errc::backend_error : total.error();
    page.total = total->int64(0, 0);
    if (limit > 0) {
        auto q = run(**c, sql_pg::user_page, limit, offset);
        if (!q) return q.error();
        for (int row = 0; row < q->rows(); ++row)
            page.items.push_back(pg_steps::read_user(*q, row));
    }
    if (auto r = tx->commit(); !r) return r.error();
    return page;
}

}  // namespace warden::store
