#include <warden/auth/store_subjects.hpp>

#include <warden/auth/errc.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {

subject subject::of(store::user const& row) {
    return {row.id,         row.email,      row.full_name,     row.is_active,  row.scopes,
            row.created_at, row.updated_at, row.token_version, row.is_verified};
}

boost::asio::awaitable<result<subject_read>> store_subjects::find(store::user_id id,
                                                                  std::string jti,
                                                                  std::int64_t /*expires_at*/) {
    co_return co_await db_.lookup([&]() -> result<subject_read> {
        auto found = db_.users().find_token_subject(id, jti);
        if (!found) {
            if (found.error() == store::errc::not_found) return make_error_code(errc::user_gone);
            return found.error();
        }
        return subject_read{std::make_shared<subject const>(subject::of(found->row)),
                            found->jti_revoked};
    });
}

}  // namespace warden::auth
