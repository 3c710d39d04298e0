#pragma once
// OAuth2 clients (RFC 6749 §2) for service-to-service access (SPEC §3, issue 12). A client's
// secret is random and long, so it is kept as its SHA-256, not a slow password hash. See store.hpp
// for the calling rules.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>

namespace warden::store {

struct client_record {
    std::string client_id;
    std::string secret_hash;          ///< SHA-256 of the secret, exact bytes
    std::vector<std::string> scopes;  ///< the scopes it may get, sorted (bytewise), no duplicates
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    bool operator==(client_record const&) const = default;
};

class client_store {
  public:
    virtual ~client_store() = default;
    /// Errors: `errc::already_exists`, `errc::invalid_argument` (empty id or hash, a scope that is
    /// not an RFC 6749 scope-token).
    [[nodiscard]] virtual result<void> add_client(client_record const& client) = 0;
    /// Errors: `errc::not_found`.
    [[nodiscard]] virtual result<client_record> find_client(std::string_view client_id) = 0;
    /// Every client, ordered by id.
    [[nodiscard]] virtual result<std::vector<client_record>> clients() = 0;
    /// Replaces the secret's hash (the old secret stops working at once). Errors: `not_found`,
    /// `errc::invalid_argument` (an empty hash).
    [[nodiscard]] virtual result<void> set_client_secret(std::string_view client_id,
                                                         std::string_view secret_hash,
                                                         std::int64_t now) = 0;
    /// Errors: `errc::not_found`.
    [[nodiscard]] virtual result<void> delete_client(std::string_view client_id) = 0;
};

}  // namespace warden::store
