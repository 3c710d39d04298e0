#include "app/routes/route_table.hpp"

#include <warden/http/openapi.hpp>

namespace warden::app {

http::response_descriptor error_answer(unsigned status, std::string description) {
    return {status, std::move(description), http::detail_error_schema()};
}

http::response_descriptor json_answer(unsigned status, std::string description,
                                      http::named_schema schema) {
    return {status, std::move(description), std::move(schema)};
}

http::response_descriptor empty_answer(unsigned status, std::string description) {
    return {status, std::move(description), std::nullopt};
}

void add_guard_answers(http::route_declaration& declaration) {
    auto& responses = declaration.responses;
    auto const documented = [&](unsigned status) {
        for (auto const& r : responses) {
            if (r.status == status) return true;
        }
        return false;
    };
    if (!documented(401)) {
        responses.push_back(error_answer(
            401,
            "Not authenticated, or the token is invalid, expired or revoked, or its user "
            "is gone (`WWW-Authenticate: Bearer`)"));
    }
    if (!documented(400)) responses.push_back(error_answer(400, "Inactive user"));
    if (declaration.scopes && !declaration.scopes->empty() && !documented(403)) {
        responses.push_back(error_answer(
            403,
            "Not enough permissions (`WWW-Authenticate: Bearer error=\"insufficient_scope\"`)"));
    }
}

}  // namespace warden::app
