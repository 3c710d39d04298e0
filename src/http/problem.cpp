#include <warden/http/problem.hpp>

#include <string>

#include <boost/json/object.hpp>

#include <warden/core/condition.hpp>
#include <warden/http/responses.hpp>

namespace warden::http {

problem problem_for(error_code ec, std::string_view required_scope) {
    auto const is = [&](condition c) { return ec == c; };
    // Conditions whose module messages are written for clients carry them as the detail;
    // token, credential and internal failures get fixed texts that reveal nothing.
    if (is(condition::unauthenticated)) {
        return {status::unauthorized, "Not authenticated", {}, {}, "Bearer", {}};
    }
    if (is(condition::invalid_token)) {
        return {status::unauthorized,
                "Could not validate credentials",
                {},
                {},
                "Bearer error=\"invalid_token\"",
                {}};
    }
    if (is(condition::invalid_credentials)) {
        return {status::unauthorized,
                "Incorrect email or password",
                "invalid_grant",
                "Incorrect email or password",
                "Bearer",
                {}};
    }
    if (is(condition::inactive_user)) return {status::bad_request, "Inactive user", {}, {}, {}, {}};
    if (is(condition::insufficient_scope)) {
        return {
            status::forbidden,
            "Not enough permissions",
            {},
            {},
            "Bearer error=\"insufficient_scope\", scope=\"" + std::string{required_scope} + "\"",
            {}};
    }
    if (is(condition::invalid_grant)) {
        return {status::bad_request, ec.message(), "invalid_grant", ec.message(), {}, {}};
    }
    if (is(condition::invalid_scope)) {
        return {status::bad_request, ec.message(), "invalid_scope", ec.message(), {}, {}};
    }
    if (is(condition::unsupported_grant_type)) {
        return {status::bad_request,
                "Unsupported grant type",
                "unsupported_grant_type",
                ec.message(),
                {},
                {}};
    }
    if (is(condition::invalid_request)) return {status::bad_request, ec.message(), {}, {}, {}, {}};
    if (is(condition::forbidden)) return {status::forbidden, ec.message(), {}, {}, {}, {}};
    if (is(condition::not_found)) return {status::not_found, ec.message(), {}, {}, {}, {}};
    if (is(condition::conflict)) return {status::conflict, ec.message(), {}, {}, {}, {}};
    if (is(condition::rate_limited)) {
        return {
            status::too_many_requests, "Too many failed attempts, try again later", {}, {}, {}, 60};
    }
    if (is(condition::unavailable)) {
        return {status::service_unavailable, "Service unavailable", {}, {}, {}, 1};
    }
    return {status::internal_server_error, "Internal Server Error", {}, {}, {}, {}};
}

response render(problem const& p) {
    boost::json::object body{{"detail", p.detail}};
    if (!p.oauth_error.empty()) body["error"] = p.oauth_error;
    if (!p.error_description.empty()) body["error_description"] = p.error_description;
    response res = json_response(p.code, body);
    if (!p.www_authenticate.empty()) res.set(field::www_authenticate, p.www_authenticate);
    if (p.retry_after) res.set(field::retry_after, std::to_string(*p.retry_after));
    return res;
}

}  // namespace warden::http
