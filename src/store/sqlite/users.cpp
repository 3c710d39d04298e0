// user_store over SQLite.
#include <optional>

#include "store/scopes.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/steps.hpp"
#include "store/values.hpp"

namespace warden::store {
namespace {

// A failed insert/update of a user: the unique email index is the only UNIQUE constraint.
error_code user_write_error(sqlite_statement const& s, error_code ec) noexcept {
    if (s.rc() == SQLITE_CONSTRAINT_UNIQUE) return errc::email_taken;
    return ec;
}

// Reads the one row a RETURNING statement gives, then steps to the end: in autocommit mode the
// commit (and its error, if any) happens there, so a returned user is a committed user.
result<user> returned_user(sqlite_statement& s, errc none) {
    auto row = s.step();
    if (!row) return user_write_error(s, row.error());
    if (!*row) return none;
    user u = sqlite_steps::read_user(s);
    if (auto r = run_to_end(s); !r) return user_write_error(s, r.error());
    return u;
}

}  // namespace

namespace sqlite_steps {

user read_user(sqlite_statement const& s) {
    user u;
    u.id = s.column_int64(0);
    u.email = s.column_text(1);
    u.password_hash = s.column_text(2);
    u.full_name = s.column_text(3);
    u.is_active = s.column_int64(4) != 0;
    u.scopes = decode_scopes(s.column_text(5));
    u.created_at = s.column_int64(6);
    u.updated_at = s.column_int64(7);
    u.token_version = s.column_int64(8);
    u.is_verified = s.column_int64(9) != 0;
    return u;
}

result<void> check_credentials(sqlite_connection& c, credential_check const& seen) {
    auto q = first_row(c, sql::user_credentials, seen.user);
    if (!q) return q.error();
    bool const same = (*q)->column_int64(0) == seen.token_version && (*q)->column_int64(1) != 0 &&
                      (seen.password_hash.empty() || (*q)->column_text(2) == seen.password_hash);
    if (!same) return errc::credentials_changed;
    return {};
}

}  // namespace sqlite_steps

namespace {

// Inserts one user on `c` (in autocommit mode: committed when this returns).
result<user> insert_user(sqlite_connection& c, new_user const& u, std::int64_t now) {
    if (auto ok = check_user(u); !ok) return ok.error();
    auto scopes = encode_scopes(u.scopes);
    if (!scopes) return scopes.error();
    auto q =
        bound(c, sql::user_insert, u.email, u.password_hash, u.full_name,
              std::int64_t{u.is_active ? 1 : 0}, *scopes, now, std::int64_t{u.is_verified ? 1 : 0});
    if (!q) return q.error();
    return returned_user(**q, errc::backend_error);
}

}  // namespace

result<user> sqlite_store::create_user(new_user const& u, std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    return insert_user(**c, u, now);
}

result<std::vector<user>> sqlite_store::create_users(std::vector<new_user> const& users,
                                                     std::int64_t now, std::size_t* failed_at) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
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

result<user> sqlite_store::find_user(user_id id) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql::user_by_id, id);
    if (!q) return q.error();
    return sqlite_steps::read_user(**q);
}

result<token_subject> sqlite_store::find_token_subject(user_id id, std::string_view jti) {
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
    // One statement, so one read transaction: half the WAL lock traffic of two lookups.
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql::user_for_token, id, jti);
    if (!q) return q.error();
    return token_subject{sqlite_steps::read_user(**q), (*q)->column_int64(10) != 0};
}

result<user> sqlite_store::find_user_by_email(std::string_view email) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql::user_by_email, email);
    if (!q) return q.error();
    return sqlite_steps::read_user(**q);
}

result<user> sqlite_store::update_user(user_id id, user_update const& change, std::int64_t now) {
    if (auto ok = check_update(change); !ok) return ok.error();
    std::optional<std::string> scopes;
    if (change.scopes) {
        auto encoded = encode_scopes(*change.scopes);
        if (!encoded) return encoded.error();
        scopes = std::move(*encoded);
    }
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    // One transaction: a version bump also revokes every session, in the same commit.
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    // Unset fields bind NULL and coalesce() keeps the stored value.
    auto text = [](std::optional<std::string> const& v) -> std::optional<std::string_view> {
        if (v) return std::string_view{*v};
        return std::nullopt;
    };
    std::optional<std::int64_t> active;
    if (change.is_active) active = *change.is_active ? 1 : 0;
    std::optional<std::int64_t> verified;
    if (change.is_verified) verified = *change.is_verified ? 1 : 0;
    auto q = bound(**c, sql::user_update, id, text(change.email), text(change.password_hash),
                   text(change.full_name), active, text(scopes),
                   std::int64_t{change.bump_token_version ? 1 : 0}, now, verified);
    if (!q) return q.error();
    auto updated = returned_user(**q, errc::not_found);
    if (!updated) return updated.error();
    if (change.bump_token_version) {
        auto revoked = sqlite_steps::revoke_user_families(**c, external_.get(), id, {}, now);
        if (!revoked) return revoked.error();
    }
    if (auto r = tx->commit(); !r) return r.error();
    return updated;
}

result<jti_list> sqlite_store::replace_password(user_id id, std::string_view verified_hash,
                                                std::string_view new_hash,
                                                std::string_view keep_family, std::int64_t now) {
    if (verified_hash.empty() || new_hash.empty()) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    // Compare-and-set: a login's re-hash or another change that committed since the current
    // password was checked makes this one fail rather than be undone or undo it.
    if (auto r = execute(**c, sql::user_replace_hash, id, verified_hash, new_hash, now); !r)
        return r.error();
    if ((*c)->changes() == 0) {
        auto exists = first_row(**c, sql::user_credentials, id);
        return exists ? errc::credentials_changed : exists.error();
    }
    auto revoked = sqlite_steps::revoke_user_families(**c, external_.get(), id, keep_family, now);
    if (!revoked) return revoked.error();
    if (auto r = tx->commit(); !r) return r.error();
    return revoked;
}

result<void> sqlite_store::delete_user(user_id id) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    // ON DELETE CASCADE removes the families, their refresh tokens and access-token records.
    if (auto r = execute(**c, sql::user_delete, id); !r) return r.error();
    if ((*c)->changes() == 0) return errc::not_found;
    return {};
}

result<user_page> sqlite_store::list_users(std::int64_t limit, std::int64_t offset) {
    if (limit < 0 || offset < 0) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    // One read snapshot, so the total and the page agree.
    auto tx = sqlite_transaction::begin_read(**c);
    if (!tx) return tx.error();
    user_page page;
    {
        auto q = first_row(**c, sql::user_count);
        if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
        page.total = (*q)->column_int64(0);
    }
    if (limit > 0) {
        auto q = bound(**c, sql::user_page, limit, offset);
        if (!q) return q.error();
        for (;;) {
            auto row = (*q)->step();
            if (!row) return row.error();
            if (!*row) break;
            page.items.push_back(sqlite_steps::read_user(**q));
        }
    }
    if (auto r = tx->commit(); !r) return r.error();
    return page;
}

}  // namespace warden::store
