// revocation_store over PostgreSQL.
#include "store/postgres/postgres_store.hpp"

namespace warden::store {

result<void> postgres_store::revoke_jti(std::string_view jti, std::int64_t expires_at) {
    if (jti.empty()) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::revoked_insert, jti, expires_at);
    if (!r) return r.error();
    return {};
}

result<bool> postgres_store::is_revoked(std::string_view jti) {
    auto c = pool_.acquire();
    if (!c) return {boost::system::in_place_error, c.error()};
    auto r = run(**c, sql_pg::revoked_get, jti);
    if (!r) {
        // A jti no row can hold (NUL, invalid UTF-8) was never revoked.
        if (r.error() == errc::invalid_argument) return false;
        return {boost::system::in_place_error, r.error()};
    }
    return r->rows() != 0;
}

result<std::int64_t> postgres_store::purge_expired_revocations(std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::revoked_purge, now);
    if (!r) return r.error();
    return r->affected();
}

}  // namespace warden::store
