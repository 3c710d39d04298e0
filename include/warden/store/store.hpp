#pragma once
// The store (SPEC §4): one header per interface, and `open`. Calls are blocking and
// thread-safe: callers run them on a work_pool, never on I/O threads. Every write is committed
// (durably) before the call returns. Every call may also fail with `errc::unavailable` (busy
// beyond the timeout, disk full, I/O error) or `errc::backend_error` (an unexpected database
// error); each interface's comments name the rest.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/store/change_feed.hpp>
#include <warden/store/client_store.hpp>
#include <warden/store/counter_store.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/one_time_token_store.hpp>
#include <warden/store/records.hpp>
#include <warden/store/revocation_store.hpp>
#include <warden/store/session_store.hpp>
#include <warden/store/signing_key_store.hpp>
#include <warden/store/totp_store.hpp>
#include <warden/store/transfer_store.hpp>
#include <warden/store/user_store.hpp>

namespace warden::store {

/// One backend's implementations of the interfaces (a backend may implement several).
struct backends {
    std::shared_ptr<user_store> users;
    std::shared_ptr<session_store> sessions;
    std::shared_ptr<revocation_store> revocations;
    std::shared_ptr<counter_store> counters;
    std::shared_ptr<transfer_store> transfer;  ///< the database's rows, for `warden db copy`
    /// The changes of users and revocations, wherever they are kept (with Redis: both).
    std::shared_ptr<change_feed> feed;
    /// The signing keys and the OAuth2 clients: always in the database (Redis or not).
    std::shared_ptr<signing_key_store> keys;
    std::shared_ptr<client_store> clients;
    /// The e-mail verification and password-reset tokens, and TOTP: always in the database.
    std::shared_ptr<one_time_token_store> one_time_tokens;
    std::shared_ptr<totp_store> totp;
};

/// How to open a store; the defaults suit a single process.
struct open_options {
    /// `redis://[:password@]host:port[/N]` or `unix:///path[?db=N]`: Redis then holds the revoked
    /// jtis and the login-failure counters, shared by every process. Empty: the database does.
    std::string redis_url;
    /// The most database connections open at once; 0: the backend's default.
    std::size_t max_connections = 0;
    /// How long `open` keeps retrying (with back-off) a server that does not answer yet.
    std::chrono::milliseconds connect_timeout{30'000};
};

/// Opens `sqlite:///path` (creating the file, not its directory) or `postgresql://...` /
/// `postgres://...` (a libpq URI; a server that does not answer yet is retried for
/// `connect_timeout`), and Redis when `options.redis_url` is set, and runs pending migrations.
/// Errors: `errc::bad_url`, `errc::unavailable` (cannot open or connect in time, not writable,
/// not a database), `errc::migration_failed` (schema newer than this build, or not a warden
/// database). On failure `*why`, if given, receives a one-line explanation for the operator
/// (URLs in it have their password redacted).
[[nodiscard]] result<backends> open(std::string_view url, open_options const& options,
                                    std::string* why = nullptr);
/// `open` with the default options.
[[nodiscard]] inline result<backends> open(std::string_view url, std::string* why = nullptr) {
    return open(url, open_options{}, why);
}

}  // namespace warden::store
