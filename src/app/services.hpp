#pragma once
// Everything wardend runs, built once from the configuration and passed to the routes by
// reference (no globals). Members are declared in dependency order, so destruction joins the
// pools before the services their tasks use go away.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string_view>

#include <warden/auth.hpp>
#include <warden/core/clock.hpp>
#include <warden/core/work_pool.hpp>
#include <warden/jwt/key.hpp>
#include <warden/password/hash_pool.hpp>
#include <warden/store/store.hpp>

#include "app/config/config.hpp"
#include "app/docs_ui.hpp"
#include "app/mail/mailer.hpp"

namespace warden::app {

/// A start-up failure, with a message for the operator (never a secret).
class startup_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Receives one-line notices for the operator (e.g. "generated a new secret in ...").
using notice_sink = std::function<void(std::string_view)>;

struct services {
    explicit services(app::config const& cfg) : settings(cfg) {}
    services(services const&) = delete;
    services& operator=(services const&) = delete;

    app::config const& settings;
    warden::system_clock clock;
    /// What the services count for /metrics (logins, refused tokens, refreshes, store failures).
    auth::events events;
    /// The store's signing keys (asymmetric algorithms; null with HS*), and what keeps the token
    /// service in step with them (wardend polls it every --sync-interval).
    std::shared_ptr<store::signing_key_store> key_store;
    std::unique_ptr<auth::signing_keys> signing_keys;
    std::unique_ptr<work_pool> store_pool;
    std::unique_ptr<work_pool> lookup_pool;  ///< the guard's reads (auth::database::lookup)
    std::unique_ptr<auth::database> db;
    std::unique_ptr<password::hash_pool> hashes;
    std::unique_ptr<auth::token_service> tokens;
    std::unique_ptr<auth::key_set_follower> key_follower;  ///< null with HS*
    std::unique_ptr<auth::session_service> sessions;
    /// How soon failed logins answer; wardend calibrates it at start-up (`calibrate`).
    auth::verification_floor login_floor;
    std::unique_ptr<auth::login_service> logins;
    std::unique_ptr<auth::account_service> accounts;
    std::unique_ptr<auth::store_subjects> stored_subjects;
    /// The guard's reads from memory; null with `--cache-size 0`.
    std::unique_ptr<auth::subject_cache> cache;
    std::unique_ptr<auth::guard> guard;
    std::unique_ptr<auth::client_service> clients;  ///< OAuth2 clients (client_credentials)
    std::unique_ptr<auth::introspection_service> introspection;  ///< RFC 7662
    /// E-mail verification and password reset; sends through `mailer` (when there is one).
    std::unique_ptr<auth::account_mail_service> account_mail;
    /// The TOTP second factor; its secrets are sealed under the key-encryption key.
    std::unique_ptr<auth::totp_service> totp;
    /// The Swagger UI's files, loaded by wardend at start-up; null when not found (/docs: 503).
    std::unique_ptr<docs_ui const> swagger_ui;
    /// Sends the account mails (docs/mail.md); null without --smtp-url: nothing is sent, and
    /// the routes answer the same. wardend starts it once listening; last, so stopped first.
    std::unique_ptr<app::mailer> mailer;
};

/// Builds the services: prepares the data directory, opens the store (running migrations),
/// loads or generates the signing key, prepares the password context and the pools.
/// Throws `startup_error` with a clear message when something cannot be used.
[[nodiscard]] std::unique_ptr<services> build_services(app::config const& settings,
                                                       notice_sink const& notice);

}  // namespace warden::app
