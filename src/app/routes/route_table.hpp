#pragma once
// wardend's routes are added from their declarations: a guarded route's check is built from the
// scopes it declares (the document's `security` reads the same list), and what the guard may
// answer is added to its documented responses.
#include <stdexcept>
#include <string>
#include <utility>

#include <warden/auth/guard.hpp>
#include <warden/http/route_declaration.hpp>
#include <warden/http/router.hpp>

namespace warden::app {

/// A documented response with a `{"detail": "..."}` body.
[[nodiscard]] http::response_descriptor error_answer(unsigned status, std::string description);
/// A documented response with a JSON body of `schema`.
[[nodiscard]] http::response_descriptor json_answer(unsigned status, std::string description,
                                                    http::named_schema schema);
/// A documented response with no body.
[[nodiscard]] http::response_descriptor empty_answer(unsigned status, std::string description);

/// Adds the guard's answers (401, 400 inactive user, 403 when scopes are required) to a guarded
/// route's responses.
void add_guard_answers(http::route_declaration& declaration);

/// Adds a guarded route: the guard requires exactly the declared scopes (which must be set:
/// an empty list is "any valid token"; `std::logic_error` otherwise).
template <class Handler>
void add_guarded(http::router& routes, auth::guard const& guard,
                 http::route_declaration declaration, Handler h) {
    if (!declaration.scopes) throw std::logic_error{"a guarded route declares its scopes"};
    auto check = guard.require(*declaration.scopes);
    add_guard_answers(declaration);
    routes.add(std::move(declaration), std::move(check), std::move(h));
}

}  // namespace warden::app
