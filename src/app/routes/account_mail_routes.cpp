// POST /api/auth/request-verify-token, /verify, /forgot-password, /reset-password (issue 13):
// fastapi-users' verify and reset routers, over auth::account_mail_service.
#include <memory>

#include <boost/json/object.hpp>

#include <warden/auth/errc.hpp>
#include <warden/http/json_body.hpp>
#include <warden/http/json_fields.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>

#include "app/routes/route_table.hpp"
#include "app/routes/routes.hpp"
#include "app/routes/user_fields.hpp"
#include "app/routes/user_json.hpp"

namespace warden::app {
namespace {

namespace asio = boost::asio;
using http::request_context;
using http::response;
using http::status;

struct email_body {
    std::string email;
};
struct token_body {
    std::string token;
};
struct reset_body {
    std::string token;
    std::string password;
};

/// `token`: the string a mail carried (never echoed in a 422).
template <class Body>
http::json_field<Body> token_field(std::string Body::*member) {
    return {"token",
            http::json_kind::string,
            true,
            false,
            boost::json::object{{"description", "The token from the mail"}},
            [member](Body& body, boost::json::value const& v, http::validation_errors&) {
                body.*member = std::string{v.get_string()};
            }};
}

struct account_mail_bodies {
    explicit account_mail_bodies(password::context const& passwords)
        : email{"EmailRequest", {email_field(&email_body::email, true)}},
          token{"VerifyRequest", {token_field(&token_body::token)}},
          reset{"ResetPassword",
                {token_field(&reset_body::token),
                 new_password_field("password", &reset_body::password, passwords)}} {}

    http::json_fields<email_body> email;
    http::json_fields<token_body> token;
    http::json_fields<reset_body> reset;
};

response accepted() { return http::empty_response(status::accepted); }

asio::awaitable<response> request_verify_token(services& svc, account_mail_bodies const& bodies,
                                               request_context& ctx) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto input = bodies.email.read(*body, errors);
    if (!input) co_return errors.to_response();
    auto const done = co_await svc.account_mail->request_verification(
        std::move(input->email), std::string{ctx.client_address});
    if (!done) co_return http::render(http::problem_for(done.error()));
    co_return accepted();
}

asio::awaitable<response> verify(services& svc, account_mail_bodies const& bodies,
                                 request_context& ctx) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto input = bodies.token.read(*body, errors);
    if (!input) co_return errors.to_response();
    auto verified = co_await svc.account_mail->verify(std::move(input->token));
    if (!verified) co_return http::render(http::problem_for(verified.error()));
    co_return http::json_response(status::ok, user_json(*verified));
}

asio::awaitable<response> forgot_password(services& svc, account_mail_bodies const& bodies,
                                          request_context& ctx) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto input = bodies.email.read(*body, errors);
    if (!input) co_return errors.to_response();
    auto const done = co_await svc.account_mail->forgot_password(std::move(input->email),
                                                                 std::string{ctx.client_address});
    if (!done) co_return http::render(http::problem_for(done.error()));
    co_return accepted();
}

asio::awaitable<response> reset_password(services& svc, account_mail_bodies const& bodies,
                                         request_context& ctx) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto input = bodies.reset.read(*body, errors);
    if (!input) co_return errors.to_response();
    auto const done = co_await svc.account_mail->reset_password(
        std::move(input->token), secret_bytes{std::move(input->password)});
    if (!done) co_return http::render(http::problem_for(done.error()));
    co_return http::empty_response(status::no_content);
}

}  // namespace

void add_account_mail_routes(http::router& routes, services& svc) {
    using http::verb;
    auto const bodies = std::make_shared<account_mail_bodies const>(svc.hashes->hashing_context());
    auto const bad_token = [] {
        return error_answer(400, "Invalid or expired token (unknown, used or expired)");
    };
    routes.add(
        {.method = verb::post,
         .pattern = "/api/auth/request-verify-token",
         .summary = "Mail a verification token to an unverified user's address",
         .tag = "auth",
         .body = bodies->email.body(),
         .responses = {empty_answer(202,
                                    "Accepted, whatever the address (a mail goes out only "
                                    "to a registered, unverified address within the rate "
                                    "limits)")}},
        [&svc, bodies](request_context& ctx) { return request_verify_token(svc, *bodies, ctx); });
    routes.add(
        {.method = verb::post,
         .pattern = "/api/auth/verify",
         .summary = "Verify an e-mail address with the token mailed to it",
         .tag = "auth",
         .body = bodies->token.body(),
         .responses = {json_answer(200, "The user, now verified", user_schema()), bad_token()}},
        [&svc, bodies](request_context& ctx) { return verify(svc, *bodies, ctx); });
    routes.add({.method = verb::post,
                .pattern = "/api/auth/forgot-password",
                .summary = "Mail a password reset token",
                .tag = "auth",
                .body = bodies->email.body(),
                .responses = {empty_answer(202,
                                           "Accepted, whatever the address and in the same time "
                                           "(a mail goes out only to a registered address within "
                                           "the rate limits)")}},
               [&svc, bodies](request_context& ctx) { return forgot_password(svc, *bodies, ctx); });
    routes.add(
        {.method = verb::post,
         .pattern = "/api/auth/reset-password",
         .summary = "Set a new password with a reset token; ends every session of the user",
         .tag = "auth",
         .body = bodies->reset.body(),
         .responses = {empty_answer(204, "Password reset; every session revoked"), bad_token()}},
        [&svc, bodies](request_context& ctx) { return reset_password(svc, *bodies, ctx); });
}

}  // namespace warden::app
