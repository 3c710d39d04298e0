// POST /api/users/me/totp, POST /api/users/me/totp/confirm, DELETE /api/users/me/totp
// (issue 13): the current user's TOTP second factor, over auth::totp_service.
#include <memory>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <warden/http/json_body.hpp>
#include <warden/http/json_fields.hpp>
#include <warden/http/openapi.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>

#include "app/routes/route_table.hpp"
#include "app/routes/routes.hpp"
#include "app/routes/user_fields.hpp"

namespace warden::app {
namespace {

namespace asio = boost::asio;
using http::request_context;
using http::response;
using http::status;

struct code_body {
    std::string code;
};
struct password_body {
    std::string password;
};

struct totp_bodies {
    totp_bodies()
        : code{"TotpConfirm",
               {{"code", http::json_kind::string, true, false,
                 boost::json::object{{"description", "A current code of the new secret"}},
                 [](code_body& body, boost::json::value const& v, http::validation_errors&) {
                     body.code = std::string{v.get_string()};
                 }}}},
          password{"TotpDisable", {current_password_field("password", &password_body::password)}} {}

    http::json_fields<code_body> code;
    http::json_fields<password_body> password;
};

/// `{secret, otpauth_uri, recovery_codes}`: shown once.
http::named_schema enrolment_schema() {
    boost::json::object text{{"type", "string"}};
    return {"TotpEnrolment",
            {{"type", "object"},
             {"properties",
              {{"secret", {{"type", "string"}, {"description", "Base32, for typing into an app"}}},
               {"otpauth_uri",
                {{"type", "string"}, {"description", "The same as an otpauth:// URI (QR code)"}}},
               {"recovery_codes",
                {{"type", "array"},
                 {"items", text},
                 {"description", "Single-use codes that stand in for a TOTP code at login"}}}}},
             {"required", boost::json::array{"secret", "otpauth_uri", "recovery_codes"}}}};
}

asio::awaitable<response> enrol(services& svc, auth::principal caller) {
    auto enrolment = co_await svc.totp->enrol(caller.user->id, caller.user->email);
    if (!enrolment) co_return http::render(http::problem_for(enrolment.error()));
    boost::json::array codes;
    for (auto const& code : enrolment->recovery_codes) codes.emplace_back(code);
    auto res =
        http::json_response(status::ok, boost::json::object{{"secret", enrolment->secret},
                                                            {"otpauth_uri", enrolment->otpauth_uri},
                                                            {"recovery_codes", std::move(codes)}});
    http::set_no_store(res);
    co_return res;
}

asio::awaitable<response> confirm(services& svc, totp_bodies const& bodies, request_context& ctx,
                                  auth::principal caller) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto input = bodies.code.read(*body, errors);
    if (!input) co_return errors.to_response();
    auto const confirmed = co_await svc.totp->confirm(caller.user->id, input->code);
    if (!confirmed) co_return http::render(http::problem_for(confirmed.error()));
    co_return http::empty_response(status::no_content);
}

asio::awaitable<response> disable(services& svc, totp_bodies const& bodies, request_context& ctx,
                                  auth::principal caller) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto input = bodies.password.read(*body, errors);
    if (!input) co_return errors.to_response();
    auto const checked = co_await svc.accounts->check_current_password(
        caller.user->id, secret_bytes{std::move(input->password)}, std::string{ctx.client_address});
    if (!checked.user) {
        auto problem = http::problem_for(checked.user.error());
        if (checked.retry_after > 0) problem.retry_after = checked.retry_after;
        co_return http::render(problem);
    }
    auto const disabled = co_await svc.totp->disable(caller.user->id);
    if (!disabled) co_return http::render(http::problem_for(disabled.error()));
    co_return http::empty_response(status::no_content);
}

}  // namespace

void add_totp_routes(http::router& routes, services& svc) {
    if (!svc.totp) return;  // a store without TOTP (a test's fake)
    using http::verb;
    auto const& guard = *svc.guard;
    auto const bodies = std::make_shared<totp_bodies const>();
    auto const any_user = auth::scope_list{};
    add_guarded(
        routes, guard,
        {.method = verb::post,
         .pattern = "/api/users/me/totp",
         .summary = "Start TOTP enrolment: a new secret and recovery codes, shown once (not "
                    "active until confirmed)",
         .tag = "users",
         .scopes = any_user,
         .responses = {json_answer(200, "The secret and the recovery codes (no-store)",
                                   enrolment_schema()),
                       error_answer(409, "TOTP is already enabled")}},
        [&svc](request_context&, auth::principal caller) { return enrol(svc, std::move(caller)); });
    add_guarded(routes, guard,
                {.method = verb::post,
                 .pattern = "/api/users/me/totp/confirm",
                 .summary = "Turn TOTP on with a current code of the new secret",
                 .tag = "users",
                 .scopes = any_user,
                 .body = bodies->code.body(),
                 .responses = {empty_answer(204, "TOTP is on"),
                               error_answer(400, "Invalid TOTP code, or no enrolment started"),
                               error_answer(409, "TOTP is already enabled")}},
                [&svc, bodies](request_context& ctx, auth::principal caller) {
                    return confirm(svc, *bodies, ctx, std::move(caller));
                });
    add_guarded(routes, guard,
                {.method = verb::delete_,
                 .pattern = "/api/users/me/totp",
                 .summary = "Turn TOTP off (the password confirms it)",
                 .tag = "users",
                 .scopes = any_user,
                 .body = bodies->password.body(),
                 .responses = {empty_answer(204, "TOTP is off"),
                               error_answer(400,
                                            "Incorrect current password, or TOTP is not "
                                            "enabled"),
                               error_answer(429, "Too many wrong passwords (Retry-After)")}},
                [&svc, bodies](request_context& ctx, auth::principal caller) {
                    return disable(svc, *bodies, ctx, std::move(caller));
                });
}

}  // namespace warden::app
