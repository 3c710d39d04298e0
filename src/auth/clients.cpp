#include <warden/auth/clients.hpp>

#include <algorithm>

#include <warden/auth/errc.hpp>
#include <warden/core/base64url.hpp>
#include <warden/core/constant_time.hpp>
#include <warden/core/digest.hpp>
#include <warden/core/random.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {
namespace {

namespace asio = boost::asio;

/// RFC 3986 unreserved characters.
bool is_unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '~' || c == '-';
}

client client_of(store::client_record const& row) {
    return {row.client_id, row.scopes, row.created_at, row.updated_at};
}

/// A new secret: 256 random bits as base64url (43 characters, all unreserved).
result<secret_bytes> new_secret() {
    auto raw = random_bytes(32);
    if (!raw) return raw.error();
    secret_bytes const wiped_raw{std::move(*raw)};
    return secret_bytes{base64url_encode(wiped_raw.view())};
}

}  // namespace

bool is_valid_client_id(std::string_view client_id) noexcept {
    if (client_id.empty() || client_id.size() > max_client_id_length) return false;
    if (!std::all_of(client_id.begin(), client_id.end(), is_unreserved)) return false;
    return !std::all_of(client_id.begin(), client_id.end(),
                        [](char c) { return c >= '0' && c <= '9'; });
}

asio::awaitable<result<client_with_secret>> client_service::add(std::string client_id,
                                                                scope_list scopes) {
    if (!is_valid_client_id(client_id)) co_return make_error_code(errc::invalid_client_id);
    // Sorted, unique and each one an RFC 6749 scope-token, as the store keeps them.
    auto checked = parse_scopes(join_scopes(scopes));
    if (!checked) co_return checked.error();
    if (!is_grantable(*checked)) co_return make_error_code(errc::invalid_scope_syntax);
    auto secret = new_secret();
    if (!secret) co_return secret.error();
    auto const now = tokens_.now();
    store::client_record row{client_id, sha256(secret->view()), std::move(*checked), now, now};
    auto const added = co_await db_.run([&]() { return db_.clients().add_client(row); });
    if (!added) co_return added.error();
    co_return client_with_secret{client_of(row), std::move(*secret)};
}

asio::awaitable<result<std::vector<client>>> client_service::list() {
    auto rows = co_await db_.run([&]() { return db_.clients().clients(); });
    if (!rows) co_return rows.error();
    std::vector<client> out;
    out.reserve(rows->size());
    for (auto const& row : *rows) out.push_back(client_of(row));
    co_return out;
}

asio::awaitable<result<void>> client_service::remove(std::string client_id) {
    co_return co_await db_.run([&]() { return db_.clients().delete_client(client_id); });
}

asio::awaitable<result<client_with_secret>> client_service::rotate_secret(std::string client_id) {
    auto secret = new_secret();
    if (!secret) co_return secret.error();
    auto const now = tokens_.now();
    auto const hash = sha256(secret->view());
    auto row = co_await db_.run([&]() -> result<store::client_record> {
        if (auto r = db_.clients().set_client_secret(client_id, hash, now); !r) return r.error();
        return db_.clients().find_client(client_id);
    });
    if (!row) co_return row.error();
    co_return client_with_secret{client_of(*row), std::move(*secret)};
}

asio::awaitable<result<client>> client_service::authenticate(std::string client_id,
                                                             secret_bytes secret) {
    // What an unknown id is compared with: a SHA-256's length, so the comparison costs the same.
    static std::string const no_client_hash(32, '\0');
    auto const presented = sha256(secret.view());
    auto found = co_await db_.lookup([&]() -> result<store::client_record> {
        // An id that cannot be registered is unknown without a round trip to the store.
        if (!is_valid_client_id(client_id)) return make_error_code(store::errc::not_found);
        return db_.clients().find_client(client_id);
    });
    if (!found) {
        if (found.error() != store::errc::not_found) co_return found.error();
        [[maybe_unused]] bool const equal = constant_time_equal(presented, no_client_hash);
        co_return make_error_code(errc::invalid_client);
    }
    if (!constant_time_equal(presented, found->secret_hash))
        co_return make_error_code(errc::invalid_client);
    co_return client_of(*found);
}

result<client_token> client_service::issue_token(client const& authenticated,
                                                 std::optional<scope_list> const& requested) const {
    if (requested && !includes_all(authenticated.scopes, *requested))
        return make_error_code(errc::scope_not_granted);
    auto const& scopes = requested ? *requested : authenticated.scopes;
    auto issued = tokens_.issue_client_access(authenticated.client_id, scopes);
    if (!issued) return issued.error();
    return client_token{std::move(issued->token), tokens_.settings().access_ttl.count(),
                        join_scopes(scopes)};
}

asio::awaitable<result<bool>> client_service::token_is_live(std::string client_id,
                                                            std::string jti) {
    co_return co_await db_.lookup([&]() -> result<bool> {
        auto const found = db_.clients().find_client(client_id);
        if (!found) {
            if (found.error() == store::errc::not_found) return false;
            return {boost::system::in_place_error, found.error()};
        }
        if (jti.empty()) return true;
        auto const revoked = db_.revocations().is_revoked(jti);
        if (!revoked) return {boost::system::in_place_error, revoked.error()};
        return !*revoked;
    });
}

}  // namespace warden::auth
