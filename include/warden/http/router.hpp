#pragma once
// Routes: one declaration each (route_declaration.hpp: method, typed path pattern, summary,
// scopes, request and response shapes) -> handler. Guarded routes state their requirement once
// (a `bearer_check`, e.g. the auth guard, requiring the declared scopes) and their handler
// receives the authenticated principal; it never parses headers itself.
#include <concepts>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include <warden/core/result.hpp>
#include <warden/http/message.hpp>
#include <warden/http/path_pattern.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/route_declaration.hpp>

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

    /// Adds an unguarded route. Throws `std::invalid_argument` for a malformed pattern and
    /// `std::logic_error` for declared scopes (a guarded route needs a check: the overload
    /// below) or a second route of the same method and path shape.
    void add(route_declaration declaration, handler h);

    /// Adds an unguarded route with no more than a method and a pattern.
    void add(verb method, std::string_view pattern, handler h);

    /// Adds a guarded route: `check` runs first; on failure the client gets the mapped problem,
    /// on success `h(ctx, principal)` runs. The declaration's scopes must be the ones `check`
    /// requires (`std::logic_error` otherwise); left unset, they are read from `check`.
    template <bearer_check Check, class Handler>
    requires std::invocable<Handler const&, request_context&, typename Check::principal_type>
    void add(route_declaration declaration, Check check, Handler h) {
        declaration.scopes = checked_scopes(declaration, check.required_scope());
        add_route(std::move(declaration),
                  [check = std::move(check), h = std::move(h)](request_context& ctx) {
                      return call_guarded(check, h, ctx);
                  });
    }

    /// As above with no more than a method and a pattern.
    template <bearer_check Check, class Handler>
    requires std::invocable<Handler const&, request_context&, typename Check::principal_type>
    void add(verb method, std::string_view pattern, Check check, Handler h) {
        add(route_declaration{.method = method, .pattern = std::string{pattern}}, std::move(check),
            std::move(h));
    }

    /// The route for a method and path (no query). Of the routes whose pattern matches the
    /// path, the most specific shape wins (a literal segment over `{name:int}` over `{name}`,
    /// whatever the order they were added in); its method's route is the target, else `allow`
    /// lists that shape's methods (405). No pattern matching: 404.
    [[nodiscard]] match find(verb method, std::string_view path) const;

    /// Every route's declaration, in the order added.
    [[nodiscard]] std::span<route_declaration const> declarations() const noexcept {
        return declarations_;
    }

  private:
    template <class Check, class Handler>
    static boost::asio::awaitable<response> call_guarded(Check const& check, Handler const& h,
                                                         request_context& ctx) {
        auto principal = co_await check.authenticate(ctx.header(field::authorization));
        if (!principal) co_return render(problem_for(principal.error(), check.required_scope()));
        ctx.user_id = check.log_identity(*principal);
        co_return co_await h(ctx, std::move(*principal));
    }

    /// The declaration's scopes, checked against what the check requires (space-separated).
    static std::vector<std::string> checked_scopes(route_declaration const& declaration,
                                                   std::string_view required);
    void add_route(route_declaration declaration, handler h);

    struct route {
        verb method;
        path_pattern pattern;
        handler target;
    };
    std::vector<route> routes_;
    std::vector<route_declaration> declarations_;
};

}  // namespace warden::http
