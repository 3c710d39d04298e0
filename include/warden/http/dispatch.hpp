#pragma once
// One parsed request -> its response: the same path for the server and the whole-request fuzzer.
#include <boost/asio/awaitable.hpp>
#include <warden/http/cors.hpp>
#include <warden/http/message.hpp>
#include <warden/http/router.hpp>

namespace warden::http {

/// Answers a CORS preflight for an existing path, 404/405 for unknown ones, else the route's
/// handler (500 if it throws); adds the CORS headers for allowed origins. Never throws.
[[nodiscard]] boost::asio::awaitable<response> dispatch(router const& routes,
                                                        cors_policy const& cors,
                                                        request_context& ctx);

}  // namespace warden::http
