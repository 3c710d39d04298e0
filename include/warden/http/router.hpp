#pragma once
// Routes: method + path pattern with `{name}` segments -> handler. Guarded routes state their
// requirement once (a `bearer_check`, e.g. the auth guard) and their handler receives the
// authenticated principal; it never parses headers itself.
#include <concepts>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include <warden/core/result.hpp>
#include <warden/http/message.hpp>
#include <warden/http/problem.hpp>

namespace warden::http {

/// A handler. The context is passed by reference: the server owns it and awaits the handler
/// directly, so it outlives the call.
using handler = std::function<boost::asio::awaitable<response>(request_context&)>;

/// What a guard must offer: authenticate an `Authorization` header value into a principal (or
/// an error whose condition the HTTP layer maps), name the scopes it requires (for the
/// `insufficient_scope` challenge), and give a principal's id for the access log.
template <class C>
concept bearer_check = requires(C const& c, std::string_view authorization,
                                typename C::principal_type const& p) {
    {
        c.authenticate(authorization)
        } -> std::same_as<boost::asio::awaitable<result<typename C::principal_type>>>;
    { c.required_scope() } -> std::convertible_to<std::string>;
    { c.log_identity(p) } -> std::convertible_to<std::string>;
};

class router {
  public:
    struct match {
        handler const* target = nullptr;  ///< null: 404 or 405
        std::string_view pattern;         ///< the matched route's template; empty when none
        std::vector<std::pair<std::string, std::string>> params;
        std::string allow;  ///< for 405: the methods the path has, comma-separated
    };

    /// Adds a route. A pattern is `/`-separated segments; `{name}` matches one non-empty segment.
    void add(verb method, std::string_view pattern, handler h);

    /// Adds a guarded route: `check` runs first; on failure the client gets the mapped problem,
    /// on success `h(ctx, principal)` runs.
    template <bearer_check Check, class Handler>
    requires std::invocable<Handler const&, request_context&, typename Check::principal_type>
    void add(verb method, std::string_view pattern, Check check, Handler h) {
        add(method, pattern, [check = std::move(check), h = std::move(h)](request_context& ctx) {
            return call_guarded(check, h, ctx);
        });
    }

    /// The route for a method and path (no query).
    [[nodiscard]] match find(verb method, std::string_view path) const;

  private:
    template <class Check, class Handler>
    static boost::asio::awaitable<response> call_guarded(Check const& check, Handler const& h,
                                                         request_context& ctx) {
        auto principal = co_await check.authenticate(ctx.header(field::authorization));
        if (!principal) co_return render(problem_for(principal.error(), check.required_scope()));
        ctx.user_id = check.log_identity(*principal);
        co_return co_await h(ctx, std::move(*principal));
    }

    struct route {
        verb method;
        std::string pattern;
        std::vector<std::string> segments;
        handler target;
    };
    std::vector<route> routes_;
};

}  // namespace warden::http
