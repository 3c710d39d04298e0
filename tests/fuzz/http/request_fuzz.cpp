// Whole HTTP requests from untrusted bytes: the server's own head reader and framing checks
// (http::parse_head), Beast's body parsing, and http::dispatch into wardend's real route table
// with the real guard over the fake store — the path a connection takes, minus the socket.
// Invariants: nothing crashes or leaks, no handler throws (no 500 but the admin list, which the
// fake store refuses by design), every JSON response parses,
// and the access-log fields stay plain ASCII.
// A literal `@TOKEN@` in the input becomes a valid admin access token, so guarded handlers are
// reached too.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <warden/auth.hpp>
#include <warden/core/work_pool.hpp>
#include <warden/http/dispatch.hpp>
#include <warden/http/framing.hpp>
#include <warden/http/limits.hpp>
#include <warden/jwt/key_set.hpp>
#include <warden/password/hash_pool.hpp>

#include "app/config/config.hpp"
#include "app/log_safe.hpp"
#include "app/routes/routes.hpp"
#include "app/services.hpp"
#include "auth/fake_store.hpp"

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace warden;

constexpr std::string_view secret = "0123456789abcdef0123456789abcdef-fuzz-secret";

/// The threads of wardend's pools, started once and never stopped: OpenSSL keeps per-thread
/// state that LeakSanitizer reports once a thread has exited.
struct pools {
    pools() {
        password::options opts;
        opts.default_scheme = password::scheme::bcrypt;
        opts.bcrypt_rounds = 4;          // the cheapest legal cost keeps logins fuzzable
        opts.minimum.bcrypt_rounds = 4;  // far below wardend's floor: a test-only cost
        hashes = std::make_unique<password::hash_pool>(
            password::context::create(opts).value(),
            password::hash_pool::options{.threads = 1, .queue_limit = 8});
    }
    work_pool store{{.threads = 1, .queue_limit = 64}};
    work_pool lookups{{.threads = 1, .queue_limit = 64}};
    std::unique_ptr<password::hash_pool> hashes;
};
pools* const threads = new pools;  // reachable for the whole run, by design

/// wardend's services over a fresh fake store with one admin, and its route table, wired as
/// app::build_services wires them (which opens a real store from a URL).
struct world {
    world() {
        settings.password_scheme = app::password_scheme::bcrypt;
        settings.bcrypt_rounds = 4;
        svc = std::make_unique<app::services>(settings);
        auto const key = jwt::key::from_utf8_secret(jwt::algorithm::hs256, secret).value();
        auto signer = jwt::signer::create(key).value();
        auto verifier =
            jwt::verifier::create(jwt::key_set::from_keys({key}).value(), {}, svc->clock).value();
        svc->db = std::make_unique<auth::database>(store->backends(store), threads->store,
                                                   threads->lookups);
        svc->hashes.reset(threads->hashes.get());  // lent: released in ~world
        svc->tokens = std::make_unique<auth::token_service>(std::move(signer), std::move(verifier),
                                                            auth::token_settings{}, svc->clock);
        svc->sessions = std::make_unique<auth::session_service>(*svc->tokens, *svc->db);
        svc->logins = std::make_unique<auth::login_service>(*svc->db, *svc->hashes, *svc->sessions,
                                                            auth::lockout_policy{}, svc->clock,
                                                            svc->login_floor);
        svc->accounts = std::make_unique<auth::account_service>(
            *svc->db, *svc->hashes, svc->logins->limiter(), auth::account_policy{}, svc->clock);
        svc->account_mail = std::make_unique<auth::account_mail_service>(
            *svc->db, *svc->hashes, svc->logins->limiter(), auth::account_mail_policy{}, svc->clock,
            auth::send_account_mail{});
        svc->stored_subjects = std::make_unique<auth::store_subjects>(*svc->db);
        svc->guard = std::make_unique<auth::guard>(*svc->tokens, *svc->stored_subjects);
        routes = app::make_router(*svc);
        auto const now = to_unix_seconds(svc->clock.now());
        auto const admin =
            store->create_user({"admin@example.com", "not-a-hash", "Admin", true, {"admin"}}, now)
                .value();
        token = svc->tokens->issue_access(admin, {"admin"}, "fuzz-family").value().token;
    }
    ~world() { (void)svc->hashes.release(); }  // owned by `threads`
    world(world const&) = delete;
    world& operator=(world const&) = delete;

    app::config settings;
    std::shared_ptr<test::fake_store> store = std::make_shared<test::fake_store>();
    std::unique_ptr<app::services> svc;
    http::router routes;
    http::cors_policy cors{{"https://app.example"}};
    std::string token;
};

asio::io_context io;
auto const work = asio::make_work_guard(io);
world* current = nullptr;  // reachable for the whole run, by design
std::size_t runs = 0;

void check(bool ok, std::string_view what = {}) {
    if (ok) return;
    std::fprintf(stderr, "invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
    std::abort();
}

bool plain_ascii(std::string_view s) {
    for (char const c : s) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return false;
    }
    return true;
}

/// `listing`: the request was the admin user list, which the fake store answers with a backend
/// error (500 by design); any other 500 means a handler threw.
void check_response(http::response const& res, bool listing = false) {
    check(res.result_int() >= 100 && res.result_int() < 600, "status");
    check(listing || res.result() != http::status::internal_server_error, res.body());
    if (res[http::field::content_type] == "application/json" && !res.body().empty()) {
        boost::system::error_code ec;
        (void)boost::json::parse(res.body(), ec);
        check(!ec, res.body());
    }
}

/// Runs one parsed request through dispatch to completion on this thread.
void serve(http::request req) {
    http::request_context ctx{std::move(req), {}, "127.0.0.1", "fuzz", {}, {}};
    check(plain_ascii(app::log_safe(ctx.req.method_string())) &&
          plain_ascii(app::log_safe(ctx.path())));
    bool done = false;
    http::response res;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            res = co_await http::dispatch(current->routes, current->cors, ctx);
            done = true;
        },
        asio::detached);
    while (!done) io.run_one();
    check_response(res, ctx.path() == "/api/users");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    // A fresh store now and then, so registrations do not pile up over a long run.
    if (current == nullptr || ++runs % 4096 == 0) {
        delete current;
        current = new world;
    }
    std::string input{reinterpret_cast<char const*>(data), size};
    if (auto const at = input.find("@TOKEN@"); at != std::string::npos)
        input.replace(at, 7, current->token);

    http::limits const lim;
    boost::beast::flat_buffer buffer;
    if (!input.empty()) {
        auto const space = buffer.prepare(input.size());
        std::memcpy(space.data(), input.data(), input.size());
        buffer.commit(input.size());
    }

    // As a connection: pipelined requests until one cannot be read or does not keep alive.
    for (int i = 0; i < 8 && buffer.size() > 0; ++i) {
        http::request_parser parser;
        parser.body_limit(lim.max_body_bytes);
        auto ec = http::parse_head(parser, buffer, lim.max_header_bytes);
        if (ec == bhttp::error::need_more) break;  // the server would wait for the rest
        if (!ec) {
            parser.eager(true);
            while (!parser.is_done() &&
                   buffer.size() > 0) {  // as Beast's read loop, minus the reads
                auto const used = parser.put(buffer.data(), ec);
                buffer.consume(used);
                if (ec == bhttp::error::need_more) ec = {};
                if (ec || used == 0) break;
            }
            if (!parser.is_done() && !ec) break;  // body incomplete: the server would wait
        }
        if (ec) {
            auto const res = http::read_error_response(ec);
            if (res) check_response(*res);
            break;  // the server answers and closes
        }
        bool const keep_alive = parser.get().keep_alive();
        serve(parser.release());
        if (!keep_alive) break;
    }
    return 0;
}
