// A resource server: your own API, accepting the access tokens wardend issues. It trusts
// wardend's published JWK Set (fetched over HTTPS, cached, fetched again for a rotated-in key):
// no shared secret, no database. NO REVOCATION CHECK: a token revoked in wardend stays valid here
// until it expires (keep access tokens short, or ask wardend's /api/auth/introspect).
//
//   resource_server --jwks-uri https://auth.example.com/.well-known/jwks.json [--ca-file ca.pem]
//       [--issuer URL] [--audience AUD] [--listen 127.0.0.1:8081] [--min-refetch-interval 30]
//
// GET /items needs a valid token with scope items:read: 401 without one, 403 without the scope.
#include <iostream>
#include <map>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <warden/auth/token_guard.hpp>
#include <warden/http.hpp>

namespace asio = boost::asio;
using namespace warden;

asio::awaitable<http::response> list_items(http::request_context&, auth::token_principal caller) {
    co_return http::json_response(http::status::ok,
                                  {{"owner", caller.subject}, {"items", {"apple", "pear"}}});
}

/// The key set's fetch function, over warden's HTTP(S) client (auth itself knows no HTTP).
auth::jwks_fetch fetch_with(http::fetch_client const& client) {
    return [&client](std::string url) -> asio::awaitable<result<auth::jwks_document>> {
        auto got = co_await client.get(std::move(url));
        if (!got) co_return got.error();
        co_return auth::jwks_document{got->status, std::move(got->body), got->max_age};
    };
}

int main(int argc, char** argv) {
    std::map<std::string, std::string> flags{{"--listen", "127.0.0.1:8081"},
                                             {"--min-refetch-interval", "30"}};
    for (int i = 1; i + 1 < argc; i += 2) flags[argv[i]] = argv[i + 1];
    if (flags["--jwks-uri"].empty()) {
        std::cerr << "usage: resource_server --jwks-uri URL [--ca-file FILE] [--issuer URL] "
                     "[--audience AUD] [--listen HOST:PORT] [--min-refetch-interval SECONDS]\n";
        return 2;
    }
    system_clock const clock;
    // HTTPS with the system's CAs, or the given CA file; no redirects; 1 MiB at most.
    http::fetch_client const client{{.ca_file = flags["--ca-file"]}};
    auth::remote_key_set_options options;
    options.min_refetch_interval = std::chrono::seconds{std::stoi(flags["--min-refetch-interval"])};
    options.verifier.issuer = flags["--issuer"];
    if (!flags["--audience"].empty()) options.verifier.audiences = {flags["--audience"]};
    options.on_fetch_failed = [](error_code ec) {
        std::cerr << "resource_server: JWK Set not refreshed (" << ec.message() << ")\n";
    };
    auth::remote_key_set keys{flags["--jwks-uri"], fetch_with(client), clock, options};
    auth::token_guard const guard{keys};

    http::router routes;
    routes.add(http::verb::get, "/items", guard.require({"items:read"}),
               list_items);  // 401/403 handled

    auto const& listen = flags["--listen"];
    auto const colon = listen.rfind(':');
    asio::ip::tcp::endpoint const at{
        asio::ip::make_address(listen.substr(0, colon)),
        static_cast<unsigned short>(std::stoi(listen.substr(colon + 1)))};
    asio::io_context io;
    http::server server{io, routes, {}, {}};
    auto const bound = server.listen(at);
    if (!bound) {
        std::cerr << "resource_server: cannot listen on " << listen << "\n";
        return 1;
    }
    std::cout << "resource_server listening on http://" << *bound << std::endl;
    server.start();
    asio::signal_set signals{io, SIGINT, SIGTERM};
    signals.async_wait([&](auto, int) { server.stop(); });
    io.run();
}
