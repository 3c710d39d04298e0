#include <exception>
#include <warden/http/dispatch.hpp>
#include <warden/http/responses.hpp>

namespace warden::http {
namespace {

boost::asio::awaitable<response> route(router const& routes, cors_policy const& cors,
                                       request_context& ctx) {
    auto found = routes.find(ctx.req.method(), ctx.path());
    // A CORS preflight: OPTIONS from an allowed origin for a path that exists.
    auto const origin = ctx.header(field::origin);
    if (ctx.req.method() == verb::options && !found.allow.empty() && cors.allows(origin) &&
        !ctx.header(field::access_control_request_method).empty()) {
        co_return cors.preflight(origin, found.allow);
    }
    if (found.target == nullptr) {
        if (found.allow.empty()) co_return detail_response(status::not_found, "Not Found");
        response res = detail_response(status::method_not_allowed, "Method Not Allowed");
        res.set(field::allow, found.allow);
        co_return res;
    }
    ctx.params = std::move(found.params);
    ctx.route = found.pattern;
    try {
        co_return co_await (*found.target)(ctx);
    } catch (std::exception const&) {
        // A bug in a handler: answer 500 below and keep serving.
    }
    co_return detail_response(status::internal_server_error, "Internal Server Error");
}

}  // namespace

boost::asio::awaitable<response> dispatch(router const& routes, cors_policy const& cors,
                                          request_context& ctx) {
    response res = co_await route(routes, cors, ctx);
    if (auto const origin = ctx.header(field::origin); cors.allows(origin))
        cors.decorate(res, origin);
    co_return res;
}

}  // namespace warden::http
