// revocation_store over SQLite.
#include "store/sqlite/sqlite_store.hpp"

namespace warden::store {

result<void> sqlite_store::revoke_jti(std::string_view jti, std::int64_t expires_at) {
    if (jti.empty()) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    return execute(**c, sql::revoked_insert, jti, expires_at);
}

result<bool> sqlite_store::is_revoked(std::string_view jti) {
    // The hot path: one lookup in a WITHOUT ROWID primary-key b-tree, nothing allocated.
    auto c = pool_.acquire();
    if (!c) return {boost::system::in_place_error, c.error()};
    auto q = bound(**c, sql::revoked_get, jti);
    if (!q) return {boost::system::in_place_error, q.error()};
    return (*q)->step();  // a row: revoked
}

result<std::int64_t> sqlite_store::purge_expired_revocations(std::int64_t now) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    if (auto r = execute(**c, sql::revoked_purge, now); !r) return r.error();
    return (*c)->changes();
}

}  // namespace warden::store
