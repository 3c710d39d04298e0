#include "app/services.hpp"

#include <thread>

#include <fmt/format.h>

#include <warden/core/sealed_box.hpp>
#include <warden/jwt/algorithm.hpp>
#include <warden/jwt/key_set.hpp>

#include "app/data_files.hpp"
#include "app/keys.hpp"
#include "app/mail/configured_mailer.hpp"

namespace warden::app {
namespace {

password::options password_options(config const& settings) {
    password::options opts;
    opts.default_scheme = settings.password_scheme == password_scheme::bcrypt
                              ? password::scheme::bcrypt
                              : password::scheme::argon2id;
    opts.bcrypt_rounds = settings.bcrypt_rounds;
    opts.argon2 = {settings.argon2.memory_kib, settings.argon2.iterations,
                   settings.argon2.parallelism};
    return opts;
}

/// The key that signs first and the keys that verify.
struct first_keys {
    jwt::key signing;
    std::vector<jwt::key> verifying;
};

/// HS*: the secret signs and verifies. Otherwise the store's current key signs and every key
/// not expired verifies (their public halves); on first start the signing key file is imported
/// or a key generated. Sets `svc.signing_keys` then.
first_keys initial_keys(services& svc, std::shared_ptr<store::signing_key_store> const& store,
                        secret_bytes const& kek, notice_sink const& notice) {
    auto const& settings = svc.settings;
    auto const alg = jwt::algorithm_from_string(settings.algorithm);
    if (!alg) throw startup_error(fmt::format("unknown algorithm {}", settings.algorithm));
    if (jwt::is_symmetric(*alg)) {
        auto secret = load_secret_key(settings, notice);
        return {secret, {secret}};
    }
    if (!store) {
        throw startup_error(
            fmt::format("the database {} cannot hold signing keys yet: use an HS* "
                        "--algorithm with it",
                        redact_url(settings.database)));
    }
    svc.key_store = store;
    svc.signing_keys = std::make_unique<auth::signing_keys>(*store, kek.clone(),
                                                            key_lifetimes(settings), svc.clock);
    ensure_current_signing_key(*svc.signing_keys, settings, notice);
    auto loaded = svc.signing_keys->load();
    if (!loaded) throw startup_error("cannot read the signing keys: " + loaded.error().message());
    if (!loaded->unreadable.empty())
        throw startup_error(unreadable_keys_message(settings, loaded->unreadable));
    if (!loaded->current) throw startup_error("the store has no current signing key");
    return {std::move(*loaded->current), std::move(loaded->public_keys)};
}

}  // namespace

std::unique_ptr<services> build_services(config const& settings, notice_sink const& notice) {
    auto svc = std::make_unique<services>(settings);
    prepare_data_dir(settings.data_dir, notice);
    // The mail settings and templates are checked before the store is opened.
    if (settings.smtp_url) {
        std::string mail_problem;
        svc->mailer = configured_mailer(settings, svc->clock, &mail_problem);
        if (!svc->mailer) throw startup_error(mail_problem);
    }

    std::string why;
    prepare_database_file(settings.database, notice);
    store::open_options const store_options{.redis_url = settings.redis.value_or(""),
                                            .max_connections = settings.database_pool,
                                            .connect_timeout = settings.connect_timeout};
    auto stores = store::open(settings.database, store_options, &why);
    if (!stores) {
        // With Redis the failure may be Redis's: `why` says which.
        throw startup_error(fmt::format(
            "cannot open the {} {}: {}", settings.redis ? "store (with Redis) on" : "database",
            redact_url(settings.database), why.empty() ? stores.error().message() : why));
    }
    auto const cores = std::max(1U, std::thread::hardware_concurrency());
    svc->store_pool = std::make_unique<work_pool>(
        work_pool::options{.threads = std::max(2U, cores), .queue_limit = 4096});
    // One thread: a guard read takes microseconds; with 2 cores and 2 I/O threads one lookup
    // thread kept busy beat two that sleep and wake per request (docs/benchmarks.md).
    svc->lookup_pool =
        std::make_unique<work_pool>(work_pool::options{.threads = 1, .queue_limit = 4096});
    auto const key_store = stores->keys;
    svc->db =
        std::make_unique<auth::database>(std::move(*stores), *svc->store_pool, *svc->lookup_pool);
    svc->db->count_failures_in(svc->events);

    // Private signing keys and TOTP secrets are sealed under it: every deployment has one.
    auto const kek = load_key_encryption_key(settings, notice);
    // HS*: the secret. Otherwise the store's key set, sealed under --kek-file; a key that does
    // not open refuses the start (not a failure at the first login).
    auto const first = initial_keys(*svc, key_store, kek, notice);
    auto signer = jwt::signer::create(first.signing);
    if (!signer) throw startup_error("the signing key cannot sign: " + signer.error().message());
    auto keys = jwt::key_set::from_keys(first.verifying);
    if (!keys) throw startup_error("cannot build the key set: " + keys.error().message());
    jwt::verifier_options verify_opts;
    if (settings.issuer) verify_opts.issuer = *settings.issuer;
    if (settings.audience) verify_opts.audiences = {*settings.audience};
    verify_opts.leeway = settings.token_leeway;
    auto verifier = jwt::verifier::create(std::move(*keys), verify_opts, svc->clock);
    if (!verifier)
        throw startup_error("cannot build the token verifier: " + verifier.error().message());

    auto context = password::context::create(password_options(settings));
    if (!context)
        throw startup_error("invalid password hashing settings: " + context.error().message());
    svc->hashes = std::make_unique<password::hash_pool>(
        std::move(*context), password::hash_pool::options{.threads = cores, .queue_limit = 64});

    auth::token_settings token_opts{settings.access_token_ttl, settings.refresh_token_ttl,
                                    settings.issuer.value_or(""), settings.audience.value_or("")};
    svc->tokens = std::make_unique<auth::token_service>(std::move(*signer), std::move(*verifier),
                                                        token_opts, svc->clock);
    if (svc->signing_keys) {
        svc->key_follower =
            std::make_unique<auth::key_set_follower>(*svc->signing_keys, *svc->tokens);
        if (auto const followed = svc->key_follower->reload(); !followed) {
            throw startup_error(
                svc->key_follower->unreadable().empty()
                    ? "cannot use the signing keys: " + followed.error().message()
                    : unreadable_keys_message(settings, svc->key_follower->unreadable()));
        }
    }
    svc->sessions = std::make_unique<auth::session_service>(*svc->tokens, *svc->db, &svc->events);
    svc->logins = std::make_unique<auth::login_service>(
        *svc->db, *svc->hashes, *svc->sessions,
        auth::lockout_policy{settings.login_max_failures, settings.login_lockout}, svc->clock,
        svc->login_floor, &svc->events);
    svc->accounts = std::make_unique<auth::account_service>(
        *svc->db, *svc->hashes, svc->logins->limiter(),
        auth::account_policy{settings.registration == registration_policy::open,
                             settings.default_scopes},
        svc->clock);
    svc->logins->require_verified_email(settings.require_verified_email);
    if (svc->db->has_totp()) {
        svc->totp = std::make_unique<auth::totp_service>(*svc->db, kek.clone(),
                                                         settings.totp_issuer, svc->clock);
        svc->logins->check_second_factor_with(svc->totp.get());
        if (auto const opens = svc->totp->check_key(); !opens) {
            throw startup_error(
                opens.error() == seal_errc::not_authentic
                    ? fmt::format("the TOTP secrets in the store do not open with the "
                                  "key-encryption key in {}: every process of a deployment "
                                  "(wardend and the warden CLI) needs the same --kek-file",
                                  settings.kek_file.string())
                    : "cannot read the TOTP secrets: " + opens.error().message());
        }
    }
    auth::send_account_mail send;
    if (svc->mailer) {
        send = [mailer = svc->mailer.get()](auth::account_mail kind, std::string_view to,
                                            std::string_view token,
                                            std::chrono::seconds valid_for) {
            (void)mailer->send(kind == auth::account_mail::verify_email ? mail_kind::verify_email
                                                                        : mail_kind::reset_password,
                               to, token, valid_for);
        };
    }
    svc->account_mail = std::make_unique<auth::account_mail_service>(
        *svc->db, *svc->hashes, svc->logins->limiter(),
        auth::account_mail_policy{.verify_token_ttl = settings.verify_token_ttl,
                                  .reset_token_ttl = settings.reset_token_ttl,
                                  .limit_per_email = settings.mail_limit_per_email,
                                  .limit_per_client = settings.mail_limit_per_client},
        svc->clock, std::move(send));
    svc->stored_subjects = std::make_unique<auth::store_subjects>(*svc->db);
    auth::subject_source* subjects = svc->stored_subjects.get();
    if (settings.cache_size > 0 && svc->db->feed() != nullptr) {
        svc->cache = std::make_unique<auth::subject_cache>(
            *svc->stored_subjects, *svc->db->feed(), svc->clock,
            auth::cache_options{.capacity = settings.cache_size,
                                .sync_interval = settings.sync_interval});
        if (auto started = svc->cache->start(); !started) {
            throw startup_error("cannot read the change feed: " + started.error().message());
        }
        svc->db->observe_changes([cache = svc->cache.get()] { (void)cache->catch_up(); });
        subjects = svc->cache.get();
    }
    svc->guard = std::make_unique<auth::guard>(*svc->tokens, *subjects, &svc->events);
    svc->clients = std::make_unique<auth::client_service>(*svc->db, *svc->tokens);
    svc->introspection = std::make_unique<auth::introspection_service>(*svc->tokens, *svc->guard,
                                                                       *svc->clients, *svc->db);
    return svc;
}

}  // namespace warden::app
