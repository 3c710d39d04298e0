#include "app/services.hpp"

#include <thread>

#include <fmt/format.h>

#include <warden/jwt/algorithm.hpp>
#include <warden/jwt/key_set.hpp>

#include "app/data_files.hpp"
#include "app/keys.hpp"

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

}  // namespace

std::unique_ptr<services> build_services(config const& settings, notice_sink const& notice) {
    auto svc = std::make_unique<services>(settings);
    prepare_data_dir(settings.data_dir, notice);

    svc->signing_key = std::make_unique<jwt::key>(load_signing_key(settings, notice));
    auto signer = jwt::signer::create(*svc->signing_key);
    if (!signer) throw startup_error("the signing key cannot sign: " + signer.error().message());
    // The verifier trusts the public half only (the secret itself for HS*).
    auto public_key = svc->signing_key->is_symmetric() ? result<jwt::key>{*svc->signing_key}
                                                       : svc->signing_key->public_key();
    if (!public_key)
        throw startup_error("cannot derive the verification key: " + public_key.error().message());
    auto keys = jwt::key_set::from_keys({std::move(*public_key)});
    if (!keys) throw startup_error("cannot build the key set: " + keys.error().message());
    jwt::verifier_options verify_opts;
    if (settings.issuer) verify_opts.issuer = *settings.issuer;
    if (settings.audience) verify_opts.audiences = {*settings.audience};
    auto verifier = jwt::verifier::create(std::move(*keys), verify_opts, svc->clock);
    if (!verifier)
        throw startup_error("cannot build the token verifier: " + verifier.error().message());

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
    svc->db =
        std::make_unique<auth::database>(std::move(*stores), *svc->store_pool, *svc->lookup_pool);
    svc->db->count_failures_in(svc->events);

    auto context = password::context::create(password_options(settings));
    if (!context)
        throw startup_error("invalid password hashing settings: " + context.error().message());
    svc->hashes = std::make_unique<password::hash_pool>(
        std::move(*context), password::hash_pool::options{.threads = cores, .queue_limit = 64});

    auth::token_settings token_opts{settings.access_token_ttl, settings.refresh_token_ttl,
                                    settings.issuer.value_or(""), settings.audience.value_or("")};
    svc->tokens = std::make_unique<auth::token_service>(std::move(*signer), std::move(*verifier),
                                                        token_opts, svc->clock);
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
    return svc;
}

}  // namespace warden::app
