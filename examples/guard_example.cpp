// Protect routes of your own Beast service with the warden guard: a route states what it needs
// once, and its handler receives the authenticated principal (FastAPI's Depends(get_current_user)).
// Serves 127.0.0.1:8080 with wardend's users and secret: pass wardend's data directory.
#include <fstream>
#include <iostream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <warden/auth.hpp>
#include <warden/http.hpp>
#include <warden/jwt.hpp>
#include <warden/store.hpp>

namespace asio = boost::asio;
using namespace warden;

asio::awaitable<http::response> list_things(http::request_context&, auth::principal caller) {
    co_return http::json_response(http::status::ok,
                                  {{"owner", caller.user->email}, {"things", {"a", "b"}}});
}

int main(int argc, char** argv) {
    std::string const dir = argc > 1 ? argv[1] : "./warden-data";
    std::string secret;
    if (!std::getline(std::ifstream{dir + "/secret.key"}, secret)) {
        std::cerr << "run wardend once with --data-dir " << dir << " first\n";
        return 1;
    }
    system_clock const clock;
    auto const key = jwt::key::from_utf8_secret(jwt::algorithm::hs256, secret).value();
    auto verifier =
        jwt::verifier::create(jwt::key_set::from_keys({key}).value(), {}, clock).value();
    work_pool pool{{.threads = 2}};
    auth::database db{store::open("sqlite:///" + dir + "/warden.db").value(), pool};
    auth::token_service const tokens{
        jwt::signer::create(key).value(), std::move(verifier), {}, clock};
    // The guard reads users from memory, following the store's change feed (a change made by
    // wardend or the CLI is enforced within a second); `stored` alone reads the store per request.
    auth::store_subjects stored{db};
    auth::subject_cache cache{stored, *db.feed(), clock, {}};
    if (!cache.start()) return 1;
    auth::guard const guard{tokens, cache};

    http::router routes;
    routes.add(http::verb::get, "/things", guard.require({"read"}),
               list_things);  // 401/403 handled

    asio::io_context io;
    http::server server{io, routes, {}, {}};
    if (!server.listen({asio::ip::make_address("127.0.0.1"), 8080})) return 1;
    server.start();
    asio::signal_set signals{io, SIGINT, SIGTERM};
    signals.async_wait([&](auto, int) { server.stop(); });
    io.run();
}
