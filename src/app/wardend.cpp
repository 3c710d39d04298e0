// wardend: the auth service (SPEC §3-§5). `wardend --help` documents every setting.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <warden/auth/maintenance.hpp>
#include <warden/core/network_range.hpp>
#include <warden/http/server.hpp>
#include <warden/http/tls.hpp>
#include <warden/password/memory.hpp>

#include "app/config/parse_config.hpp"
#include "app/descriptor_limit.hpp"
#include "app/keys.hpp"
#include "app/logging.hpp"
#include "app/mail/configured_mailer.hpp"
#include "app/metrics/registry.hpp"
#include "app/metrics/request_metrics.hpp"
#include "app/metrics/wardend_metrics.hpp"
#include "app/routes/routes.hpp"
#include "app/services.hpp"

namespace {

namespace asio = boost::asio;
using namespace warden;

/// Flushes the buffered log every second until `timer` is cancelled.
/// The periodic jobs' timers, on one strand with the flag that stops them: a stop that comes
/// before a job's first wait (a SIGTERM during start-up) is seen by the job, not missed by a
/// cancel() with nothing to cancel yet (the job would then wait out a whole period).
struct housekeeping {
    explicit housekeeping(asio::io_context& io) : strand(asio::make_strand(io)) {}
    asio::strand<asio::io_context::executor_type> strand;
    asio::steady_timer flush_timer{strand};
    asio::steady_timer purge_timer{strand};
    asio::steady_timer trim_timer{strand};
    asio::steady_timer key_timer{strand};
    bool stopping = false;  // read and written on `strand` only

    void stop() {
        asio::post(strand, [this] {
            stopping = true;
            flush_timer.cancel();
            purge_timer.cancel();
            trim_timer.cancel();
            key_timer.cancel();
        });
    }
};

asio::awaitable<void> flush_log(housekeeping& jobs, spdlog::logger& log) {
    auto& timer = jobs.flush_timer;
    for (;;) {
        if (jobs.stopping) {
            log.flush();
            co_return;
        }
        timer.expires_after(std::chrono::seconds{1});
        auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        log.flush();
        if (ec) co_return;
    }
}

/// Runs `auth::purge_expired` every minute until housekeeping stops.
asio::awaitable<void> purge_every_minute(app::services& svc, housekeeping& jobs,
                                         spdlog::logger& log) {
    auto& timer = jobs.purge_timer;
    for (;;) {
        if (jobs.stopping) co_return;
        timer.expires_after(std::chrono::minutes{1});
        auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        auto const purged = co_await auth::purge_expired(
            *svc.db, svc.tokens->now(),
            std::max<std::chrono::seconds>(svc.settings.login_lockout, auth::mail_limit_window));
        if (!purged)
            log.warn("purge of expired rows failed: {}", purged.error().message());
        else if (*purged > 0)
            log.debug("purged {} expired rows", *purged);
        if (svc.signing_keys) {
            auto const keys =
                co_await svc.db->run([&svc] { return svc.signing_keys->purge_expired(); });
            if (!keys) log.warn("purge of expired signing keys failed: {}", keys.error().message());
        }
    }
}

/// argon2's working memory (19 MiB per hash thread at the default cost) stays cached after a
/// login, ready for the next one. Every 10 s without a hash in progress it is handed back, with
/// what the allocator holds free, so a server at rest stays small (SPEC §6: idle RSS) while a
/// login burst keeps its memory warm; the first login after a pause pays the page faults again.
asio::awaitable<void> release_memory_when_idle(app::services& svc, housekeeping& jobs) {
    auto& timer = jobs.trim_timer;
    for (;;) {
        if (jobs.stopping) co_return;
        timer.expires_after(std::chrono::seconds{10});
        auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        if (svc.hashes->pending() != 0) continue;
        password::release_hash_memory();
        malloc_trim(0);
    }
}

std::string quoted_if_json(app::config const& settings, std::string const& text) {
    return settings.log_format == app::log_format::json
               ? boost::json::serialize(boost::json::string{text})
               : text;
}

/// A rotation made anywhere (the CLI, another wardend) reaches this process within
/// --sync-interval: the key set's revision is read every interval (off the I/O threads) and the
/// keys reloaded when it moved or a retired key expired; requests switch to them at their next
/// token. A key set that cannot be used leaves the keys in use as they are, and says why.
asio::awaitable<void> follow_key_set(app::services& svc, housekeeping& jobs, spdlog::logger& log) {
    auto& timer = jobs.key_timer;
    bool failing = false;  // said once per outage, not every interval
    for (;;) {
        if (jobs.stopping) co_return;
        timer.expires_after(svc.settings.sync_interval);
        auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        auto const polled = co_await svc.db->run([&svc] { return svc.key_follower->poll(); });
        if (!polled) {
            if (failing) continue;
            failing = true;
            auto const& unreadable = svc.key_follower->unreadable();
            log.error(quoted_if_json(
                svc.settings,
                unreadable.empty()
                    ? fmt::format("cannot reload the signing keys (the keys in use stay): {}",
                                  polled.error().message())
                    : app::unreadable_keys_message(svc.settings, unreadable)));
            continue;
        }
        if (failing) log.info(quoted_if_json(svc.settings, "the signing keys are readable again"));
        failing = false;
        if (*polled) {
            log.info(quoted_if_json(svc.settings,
                                    fmt::format("signing keys reloaded (key set revision {})",
                                                svc.key_follower->revision())));
        }
    }
}

/// Reads the Swagger UI's files once. Without them wardend serves all the same, says so here
/// once, and /docs answers 503.
void load_swagger_ui(app::services& svc, spdlog::logger& log) {
    auto const directory = app::docs_ui_directory();
    auto ui = directory ? app::docs_ui::load(*directory) : result<app::docs_ui>{directory.error()};
    if (ui) {
        svc.swagger_ui = std::make_unique<app::docs_ui const>(std::move(*ui));
        return;
    }
    log.warn(quoted_if_json(
        svc.settings,
        fmt::format("/docs is not available: the Swagger UI's files are not in {} ({}); "
                    "/openapi.json is served all the same",
                    directory ? directory->string() : "wardend's share directory",
                    ui.error().message())));
}

/// --trusted-proxy's ranges (canonical CIDR text: the configuration checked them).
http::trusted_proxies trusted_proxies(app::config const& settings) {
    std::vector<network_range> ranges;
    ranges.reserve(settings.trusted_proxies.size());
    for (auto const& cidr : settings.trusted_proxies)
        ranges.push_back(network_range::parse(cidr).value());
    return http::trusted_proxies{std::move(ranges)};
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = app::parse_config(argc, argv, app::process_environment);
    if (parsed.next == app::parse_outcome::action::show_help ||
        parsed.next == app::parse_outcome::action::show_version) {
        std::fputs(parsed.message.c_str(), stdout);
        return parsed.exit_code();
    }
    if (parsed.next == app::parse_outcome::action::fail) {
        std::fprintf(stderr, "wardend: %s\n", parsed.message.c_str());
        return parsed.exit_code();
    }
    app::config const settings = std::move(parsed.settings);
    // SIGINT/SIGTERM stay pending until the handler below is installed (every thread started
    // meanwhile inherits the mask): a stop right after the "listening" line is a clean stop,
    // not a kill by the default action.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    auto const log = app::make_logger(settings);
    auto const say = [&](std::string const& text) { log->info(quoted_if_json(settings, text)); };

    // The TLS files are checked first: a bad one stops the start before anything is opened.
    std::optional<http::tls_context> tls;
    if (!settings.tls_cert.empty()) {
        try {
            tls = http::tls_context::load({settings.tls_cert, settings.tls_key});
        } catch (http::tls_error const& e) {
            std::fprintf(stderr, "wardend: %s\n", e.what());
            return 1;
        }
    }

    std::unique_ptr<app::services> svc;
    {
        // Opening the store may wait up to --connect-timeout for PostgreSQL or Redis: a stop
        // meanwhile ends the process at once (nothing has been served yet) instead of after it.
        std::jthread const stop_during_start{[&stop_signals](std::stop_token const& done) {
            timespec const tick{0, 100'000'000};
            while (!done.stop_requested()) {
                if (int const sig = sigtimedwait(&stop_signals, nullptr, &tick); sig > 0) {
                    std::fprintf(stderr, "wardend: signal %d during start-up: not started\n", sig);
                    std::_Exit(1);
                }
            }
        }};
        try {
            svc = app::build_services(settings, [&](std::string_view notice) {
                log->warn(quoted_if_json(settings, std::string{notice}));
            });
        } catch (app::startup_error const& e) {
            std::fprintf(stderr, "wardend: %s\n", e.what());
            return 1;
        }
    }

    if (settings.docs) load_swagger_ui(*svc, *log);

    // The failed-login floor needs the cost of the slowest accepted verification: measured off
    // the start-up path (a few hundred ms of one core), while the server already answers.
    std::jthread calibration{
        [&svc] { svc->login_floor.calibrate(svc->hashes->hashing_context().settings()); }};

    http::limits limits;
    limits.max_connections = settings.max_connections;
    limits.max_header_bytes = settings.max_header_bytes;
    limits.max_body_bytes = settings.max_body_bytes;
    limits.header_timeout = settings.header_timeout;
    limits.body_timeout = settings.body_timeout;
    limits.idle_timeout = settings.idle_timeout;
    limits.write_timeout = settings.write_timeout;
    if (auto const notice = app::raise_descriptor_limit(limits.max_connections)) {
        log->warn(quoted_if_json(settings, *notice));
    }
    auto routes = app::make_router(*svc);
    // /metrics: on the main listener, or alone on --metrics-listen with a router of its own;
    // with --metrics off, neither the route nor any counting.
    app::metrics_registry metrics;
    http::router metrics_routes;
    if (settings.metrics) {
        app::add_metrics_route(settings.metrics_listen ? metrics_routes : routes, metrics);
    }
    app::request_metrics requests{app::route_templates({&routes, &metrics_routes})};
    // Each server's access log counts its requests for /metrics, then writes the line.
    auto const access_log = [&]() -> http::access_logger {
        auto write = app::make_access_logger(log, settings.log_format);
        if (!settings.metrics) return write;
        return app::counting_requests(requests, std::move(write));
    };
    // One event loop per I/O thread; loop 0 also runs the housekeeping timers and the signal set.
    http::server server{settings.threads, routes, limits, access_log(),
                        http::server_options{.cors = http::cors_policy{settings.cors_origins},
                                             .proxies = trusted_proxies(settings),
                                             .tls = std::move(tls)}};
    if (settings.metrics) app::add_wardend_metrics(metrics, requests, server, *svc);
    asio::io_context& io = server.loop(0);
    // A host name (e.g. localhost) resolves to its first address.
    boost::system::error_code ec;
    asio::ip::tcp::resolver resolver{io};
    auto const found = resolver.resolve(settings.listen.host, std::to_string(settings.listen.port),
                                        asio::ip::tcp::resolver::passive, ec);
    if (ec || found.empty()) {
        std::fprintf(stderr, "wardend: cannot resolve --listen host %s\n",
                     settings.listen.host.c_str());
        return 2;
    }
    auto const bound = server.listen(found.begin()->endpoint());
    if (!bound) {
        std::fprintf(stderr, "wardend: cannot listen on %s: %s\n",
                     app::to_string(settings.listen).c_str(), bound.error().message().c_str());
        return 1;
    }
    // --metrics-listen: a second server with one loop, loop 0, serving /metrics alone.
    std::optional<http::server> metrics_server;
    std::optional<app::listen_address> metrics_address;
    if (settings.metrics_listen) {
        auto const& at = *settings.metrics_listen;
        auto const resolved = resolver.resolve(at.host, std::to_string(at.port),
                                               asio::ip::tcp::resolver::passive, ec);
        if (ec || resolved.empty()) {
            std::fprintf(stderr, "wardend: cannot resolve --metrics-listen host %s\n",
                         at.host.c_str());
            return 2;
        }
        metrics_server.emplace(io, metrics_routes, limits, access_log());
        auto const metrics_bound = metrics_server->listen(resolved.begin()->endpoint());
        if (!metrics_bound) {
            std::fprintf(stderr, "wardend: cannot listen on %s: %s\n", app::to_string(at).c_str(),
                         metrics_bound.error().message().c_str());
            return 1;
        }
        metrics_address = app::listen_address{at.host, metrics_bound->port()};
    }
    // Scripts and tests read these lines (with port 0 they name the port picked).
    std::printf("wardend listening on %s://%s\n", settings.tls_cert.empty() ? "http" : "https",
                app::to_string(app::listen_address{settings.listen.host, bound->port()}).c_str());
    if (metrics_address) {
        std::printf("wardend metrics on http://%s/metrics\n",
                    app::to_string(*metrics_address).c_str());
    }
    std::fflush(stdout);
    say(fmt::format("serving on {} with {} threads, algorithm {}, database {}",
                    app::to_string(app::listen_address{settings.listen.host, bound->port()}),
                    settings.threads, settings.algorithm, app::redact_url(settings.database)));

    // Mail: links under --public-url (default: the address just bound); lines to the log.
    if (svc->mailer) {
        svc->mailer->start(
            app::effective_public_url(settings, bound->port()),
            [log, &settings](spdlog::level::level_enum level, std::string const& text) {
                log->log(level, quoted_if_json(settings, text));
            });
    } else {
        say("no --smtp-url: no mail will be sent");
    }

    housekeeping jobs{io};
    asio::co_spawn(jobs.strand, purge_every_minute(*svc, jobs, *log), asio::detached);
    asio::co_spawn(jobs.strand, release_memory_when_idle(*svc, jobs), asio::detached);
    if (svc->key_follower)
        asio::co_spawn(jobs.strand, follow_key_set(*svc, jobs, *log), asio::detached);
    asio::co_spawn(jobs.strand, flush_log(jobs, *log), asio::detached);
    asio::signal_set signals{io, SIGINT, SIGTERM};
    signals.async_wait([&](boost::system::error_code const& error, int signal) {
        if (error) return;
        say(fmt::format("signal {}: stopping (finishing in-flight requests)", signal));
        server.stop();
        if (metrics_server) metrics_server->stop();
        jobs.stop();
    });
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);  // a pending stop is handled now
    server.start();
    if (metrics_server) metrics_server->start();

    server.run();  // loop 0 here, the others on threads of their own; returns when all are done
    // The pools' threads may still be dropping their copies of the I/O executors: let them finish
    // while the io_context exists (ThreadSanitizer saw a destroyed strand mutex locked otherwise).
    svc->hashes->join();
    svc->store_pool->join();
    svc->lookup_pool->join();
    // Mails still due get a short grace period (docs/mail.md), then the rest is dropped.
    if (svc->mailer) svc->mailer->stop();
    say("stopped");
    log->flush();
    return 0;
}
