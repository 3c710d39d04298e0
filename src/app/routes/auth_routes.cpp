// POST /api/auth/register, /login (OAuth2 token endpoint), /logout, /revoke.
#include <boost/json/object.hpp>

#include <warden/auth/email.hpp>
#include <warden/auth/errc.hpp>
#include <warden/http/form.hpp>
#include <warden/http/json_body.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>

#include "app/routes/body_reader.hpp"
#include "app/routes/client_authentication.hpp"
#include "app/routes/password_errors.hpp"
#include "app/routes/routes.hpp"
#include "app/routes/user_fields.hpp"
#include "app/routes/user_json.hpp"

namespace warden::app {
namespace {

namespace asio = boost::asio;
using http::request_context;
using http::response;
using http::status;

response token_error(error_code ec, std::int64_t retry_after = 0) {
    auto p = http::problem_for(ec);
    if (retry_after > 0) p.retry_after = retry_after;
    auto res = http::render(p);
    http::set_no_store(res);
    return res;
}

response token_success(auth::token_response const& t) {
    auto res = http::json_response(status::ok, boost::json::object{
                                                   {"access_token", t.access_token},
                                                   {"token_type", "bearer"},
                                                   {"expires_in", t.expires_in},
                                                   {"refresh_token", t.refresh_token},
                                                   {"scope", t.scope},
                                               });
    http::set_no_store(res);
    return res;
}

/// A form field that must be present and non-empty (FastAPI treats an empty form value as missing).
std::optional<std::string_view> required_field(http::form const& form, std::string_view name,
                                               http::validation_errors& errors) {
    auto const value = form.get(name);
    if (!value || value->empty()) {
        errors.missing(name);
        return std::nullopt;
    }
    return value;
}

asio::awaitable<response> register_user(services& svc, request_context& ctx) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    body_reader fields{*body, {"email", "password", "full_name"}, errors};
    auto email = fields.required_string("email");
    auto password = fields.required_string("password");
    auto full_name = fields.optional_string("full_name", true);
    normalize_email_field(email, errors);
    check_full_name_field(full_name, errors);
    auto const& policy = svc.hashes->hashing_context().settings().policy;
    if (password) {
        auto const allowed = svc.hashes->hashing_context().check_new_password(*password);
        if (!allowed)
            add_password_error(errors, "password", allowed.error(), policy.min_length,
                               policy.max_length);
    }
    if (!errors.empty()) co_return errors.to_response();
    // Named, not braced in the call: GCC 12 destroys a braced coroutine argument twice.
    auth::registration request{std::move(*email), secret_bytes{std::move(*password)},
                               full_name.value_or("")};
    auto created = co_await svc.accounts->register_user(std::move(request));
    if (!created) co_return http::render(http::problem_for(created.error()));
    co_return http::json_response(status::created, user_json(*created));
}

asio::awaitable<response> password_grant(services& svc, request_context& ctx,
                                         http::form const& form) {
    http::validation_errors errors;
    auto const username = required_field(form, "username", errors);
    auto const password = required_field(form, "password", errors);
    if (!errors.empty()) co_return errors.to_response();
    std::optional<auth::scope_list> scope;
    if (auto const text = form.get("scope"); text && !text->empty()) {
        auto parsed = auth::parse_scopes(*text);
        if (!parsed) co_return token_error(parsed.error());
        scope = std::move(*parsed);
    }
    // The stored form of the address, so every spelling of it logs in and shares one failure
    // counter. Beyond any address's length it is a wrong login at once, never a counter key.
    if (username->size() > auth::max_login_username) {
        co_return token_error(make_error_code(auth::errc::wrong_credentials));
    }
    auto account = auth::normalize_email(*username).value_or(std::string{*username});
    auth::password_login request{std::move(account), secret_bytes{*password}, std::move(scope),
                                 ctx.client_address};
    auto outcome = co_await svc.logins->password_grant(std::move(request));
    if (!outcome.tokens) co_return token_error(outcome.tokens.error(), outcome.retry_after);
    co_return token_success(*outcome.tokens);
}

asio::awaitable<response> refresh_grant(services& svc, http::form const& form) {
    http::validation_errors errors;
    auto const token = required_field(form, "refresh_token", errors);
    if (!errors.empty()) co_return errors.to_response();
    std::optional<auth::scope_list> scope;
    if (auto const text = form.get("scope"); text && !text->empty()) {
        auto parsed = auth::parse_scopes(*text);
        if (!parsed) co_return token_error(parsed.error());
        scope = std::move(*parsed);
    }
    auto tokens = co_await svc.sessions->refresh(std::string{*token}, std::move(scope));
    if (!tokens) co_return token_error(tokens.error());
    co_return token_success(*tokens);
}

asio::awaitable<response> login(services& svc, request_context& ctx) {
    auto form = http::read_form(ctx.req);
    if (!form) co_return http::body_error_response(form.error());
    // No client is registered: credentials for one are wrong whatever the grant (RFC 6749 §5.2).
    if (presents_client_credentials(ctx.header(http::field::authorization), *form))
        co_return invalid_client_response();
    auto const grant = form->get("grant_type");
    if (!grant || *grant == "password") co_return co_await password_grant(svc, ctx, *form);
    if (*grant == "refresh_token") co_return co_await refresh_grant(svc, *form);
    co_return token_error(make_error_code(auth::errc::unsupported_grant_type));
}

asio::awaitable<response> logout(services& svc, auth::principal caller) {
    auto const ended = co_await svc.sessions->end(caller.token.session_id, caller.token.jti,
                                                  caller.token.expires_at);
    if (!ended) co_return http::render(http::problem_for(ended.error()));
    co_return http::empty_response(status::no_content);
}

asio::awaitable<response> revoke(services& svc, request_context& ctx) {
    auto form = http::read_form(ctx.req);
    if (!form) co_return http::body_error_response(form.error());
    http::validation_errors errors;
    auto const token = required_field(*form, "token", errors);
    if (!errors.empty()) co_return errors.to_response();
    auto const hint = form->get("token_type_hint").value_or("");
    // RFC 7009 §2.2: 200 whatever the token was; only a failing store is reported.
    auto const revoked = co_await svc.sessions->revoke(std::string{*token}, std::string{hint});
    if (!revoked) co_return http::render(http::problem_for(revoked.error()));
    auto res = http::empty_response(status::ok);
    http::set_no_store(res);
    co_return res;
}

}  // namespace

void add_auth_routes(http::router& routes, services& svc) {
    using http::verb;
    routes.add(verb::post, "/api/auth/register",
               [&svc](request_context& ctx) { return register_user(svc, ctx); });
    routes.add(verb::post, "/api/auth/login",
               [&svc](request_context& ctx) { return login(svc, ctx); });
    routes.add(verb::post, "/api/auth/logout", svc.guard->require(),
               [&svc](request_context&, auth::principal caller) {
                   return logout(svc, std::move(caller));
               });
    routes.add(verb::post, "/api/auth/revoke",
               [&svc](request_context& ctx) { return revoke(svc, ctx); });
}

}  // namespace warden::app
