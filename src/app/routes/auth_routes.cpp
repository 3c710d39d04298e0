// POST /api/auth/register, /login (OAuth2 token endpoint), /logout, /revoke, /introspect.
#include <memory>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <warden/auth/email.hpp>
#include <warden/auth/errc.hpp>
#include <warden/http/form.hpp>
#include <warden/http/json_body.hpp>
#include <warden/http/json_fields.hpp>
#include <warden/http/openapi.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>

#include "app/routes/client_authentication.hpp"
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

response token_error(error_code ec, std::int64_t retry_after = 0) {
    auto p = http::problem_for(ec);
    if (retry_after > 0) p.retry_after = retry_after;
    // The second factor's answers say what to send next, in the 401 of wrong credentials.
    if (ec == auth::errc::mfa_required || ec == auth::errc::wrong_second_factor) {
        p.detail = ec.message();
        p.error_description = ec.message();
        if (ec == auth::errc::mfa_required) p.oauth_error = "mfa_required";
    }
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

struct registration_body {
    std::string email;
    std::string password;
    std::string full_name;
};

http::json_fields<registration_body> registration_fields(password::context const& passwords) {
    return {"Registration",
            {email_field(&registration_body::email, true),
             new_password_field("password", &registration_body::password, passwords),
             full_name_field(&registration_body::full_name)}};
}

asio::awaitable<response> register_user(services& svc,
                                        http::json_fields<registration_body> const& fields,
                                        request_context& ctx) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto input = fields.read(*body, errors);
    if (!input) co_return errors.to_response();
    // Named, not braced in the call: GCC 12 destroys a braced coroutine argument twice.
    auth::registration request{std::move(input->email), secret_bytes{std::move(input->password)},
                               std::move(input->full_name)};
    auto created = co_await svc.accounts->register_user(std::move(request));
    if (!created) co_return http::render(http::problem_for(created.error()));
    // With a mailer, the verification mail; the user exists whatever happens to it.
    (void)co_await svc.account_mail->welcome(*created);
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
    // counter (the login service refuses one longer than any address at once).
    auto account = auth::normalize_email(*username).value_or(std::string{*username});
    auth::password_login request{std::move(account), secret_bytes{*password}, std::move(scope),
                                 ctx.client_address, secret_bytes{form.get("otp").value_or("")}};
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

/// RFC 6749 §4.4.3: no refresh token.
response client_token_success(auth::client_token const& t) {
    auto res = http::json_response(status::ok, boost::json::object{
                                                   {"access_token", t.access_token},
                                                   {"token_type", "bearer"},
                                                   {"expires_in", t.expires_in},
                                                   {"scope", t.scope},
                                               });
    http::set_no_store(res);
    return res;
}

response client_credentials_grant(services& svc, auth::client const& client,
                                  http::form const& form) {
    std::optional<auth::scope_list> scope;
    if (auto const text = form.get("scope"); text && !text->empty()) {
        auto parsed = auth::parse_scopes(*text);
        if (!parsed) return token_error(parsed.error());
        scope = std::move(*parsed);
    }
    auto const issued = svc.clients->issue_token(client, scope);
    if (!issued) return token_error(issued.error());
    return client_token_success(*issued);
}

/// The client a request authenticates (RFC 6749 §2.3.1), none when it presents no client
/// credentials, or the response that refuses it (bad or ambiguous credentials, a failing store).
struct client_check {
    std::optional<auth::client> client;
    std::optional<response> refusal;
};

asio::awaitable<client_check> check_client(services& svc, request_context& ctx,
                                           http::form const& form) {
    auto presented = read_client_authentication(ctx.header(http::field::authorization), form);
    using kind = presented_client::kind;
    client_check out;
    switch (presented.presented) {
        case kind::none:
            co_return out;
        case kind::ambiguous:
            out.refusal = ambiguous_client_response();
            co_return out;
        case kind::malformed:
            out.refusal = invalid_client_response();
            co_return out;
        case kind::credentials:
            break;
    }
    auto authenticated = co_await svc.clients->authenticate(std::move(presented.client_id),
                                                            std::move(presented.secret));
    if (authenticated) {
        out.client = std::move(*authenticated);
    } else if (authenticated.error() == auth::errc::invalid_client) {
        out.refusal = invalid_client_response();
    } else {
        out.refusal = token_error(authenticated.error());
    }
    co_return out;
}

asio::awaitable<response> login(services& svc, request_context& ctx) {
    auto form = http::read_form(ctx.req);
    if (!form) co_return http::body_error_response(form.error());
    // Client credentials, when presented, must be a registered client's whatever the grant, and
    // are checked before it (RFC 6749 §5.2): a refresh token is not spent for a bad client.
    auto checked = co_await check_client(svc, ctx, *form);
    if (checked.refusal) co_return std::move(*checked.refusal);
    auto const grant = form->get("grant_type");
    if (!grant || *grant == "password") co_return co_await password_grant(svc, ctx, *form);
    if (*grant == "refresh_token") co_return co_await refresh_grant(svc, *form);
    if (*grant == "client_credentials") {
        if (!checked.client) co_return invalid_client_response();
        co_return client_credentials_grant(svc, *checked.client, *form);
    }
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

boost::json::object introspection_json(auth::token_introspection const& t) {
    if (!t.active) return {{"active", false}};
    boost::json::object out{{"active", true},     {"scope", t.scope},
                            {"sub", t.sub},       {"exp", t.expires_at},
                            {"iat", t.issued_at}, {"token_type", t.token_type}};
    if (!t.client_id.empty()) out["client_id"] = t.client_id;
    if (!t.jti.empty()) out["jti"] = t.jti;
    return out;
}

asio::awaitable<response> introspect(services& svc, request_context& ctx) {
    auto form = http::read_form(ctx.req);
    if (!form) co_return http::body_error_response(form.error());
    // RFC 7662 §2.1: only an authenticated client may ask.
    auto checked = co_await check_client(svc, ctx, *form);
    if (checked.refusal) co_return std::move(*checked.refusal);
    if (!checked.client) co_return invalid_client_response();
    auto const token = form->get("token");
    if (!token) {
        http::validation_errors errors;
        errors.missing("token");
        co_return errors.to_response();
    }
    // `token_type_hint` is only a hint (§2.1): every kind is looked for whatever it says.
    auto const found = co_await svc.introspection->introspect(std::string{*token});
    if (!found) co_return http::render(http::problem_for(found.error()));
    auto res = http::json_response(status::ok, introspection_json(*found));
    http::set_no_store(res);
    co_return res;
}

/// A form field's schema: a string, a secret one shown as `format: password`.
boost::json::object form_field(std::string_view description, bool secret = false) {
    boost::json::object field{{"type", "string"}, {"description", description}};
    if (secret) field["format"] = "password";
    return field;
}

/// The token endpoint's form, as FastAPI's `OAuth2PasswordRequestForm` (plus the refresh
/// grant's fields). What `login` reads.
http::body_descriptor login_form() {
    boost::json::object grant_type{
        {"type", "string"},
        {"enum", boost::json::array{"password", "refresh_token", "client_credentials"}},
        {"default", "password"},
        {"description", "Absent: password"}};
    boost::json::object properties{
        {"grant_type", std::move(grant_type)},
        {"username", form_field("The account's e-mail address (grant_type=password)")},
        {"password", form_field("The account's password (grant_type=password)", true)},
        {"otp", form_field("A current TOTP code or an unused recovery code, for users with TOTP "
                           "on (grant_type=password)",
                           true)},
        {"scope", form_field("Space-separated scopes to ask for; absent: all the user (or the "
                             "client) holds")},
        {"client_id", form_field("A registered client's id (client_secret_post, with "
                                 "client_secret), or a public client's id alone")},
        {"client_secret", form_field("A registered client's secret (client_secret_post; or "
                                     "send both as HTTP Basic credentials)",
                                     true)},
        {"refresh_token",
         form_field("The refresh token to rotate (grant_type=refresh_token)", true)},
    };
    return {"application/x-www-form-urlencoded",
            {"LoginForm", {{"type", "object"}, {"properties", std::move(properties)}}},
            true};
}

/// The token endpoint's 200 body.
http::named_schema token_schema() {
    boost::json::object properties{
        {"access_token", {{"type", "string"}}},
        {"token_type", {{"type", "string"}, {"const", "bearer"}}},
        {"expires_in", {{"type", "integer"}, {"description", "Seconds"}}},
        {"refresh_token",
         {{"type", "string"}, {"description", "Absent for grant_type=client_credentials"}}},
        {"scope", {{"type", "string"}, {"description", "Space-separated granted scopes"}}},
    };
    boost::json::array required;
    for (auto const& p : properties) {
        // The client_credentials grant gives no refresh token (RFC 6749 §4.4.3).
        if (p.key() != "refresh_token") required.emplace_back(p.key());
    }
    return {"Token",
            {{"type", "object"},
             {"properties", std::move(properties)},
             {"required", std::move(required)}}};
}

/// The token endpoint's errors (RFC 6749 §5.2 fields next to FastAPI's `detail`).
http::named_schema token_error_schema() {
    boost::json::object properties{
        {"detail", {{"type", "string"}}},
        {"error", {{"type", "string"}}},
        {"error_description", {{"type", "string"}}},
    };
    return {"TokenError",
            {{"type", "object"},
             {"properties", std::move(properties)},
             {"required", boost::json::array{"detail"}}}};
}

http::body_descriptor revoke_form() {
    boost::json::object properties{
        {"token", form_field("An access or refresh token", true)},
        {"token_type_hint",
         {{"type", "string"},
          {"enum", boost::json::array{"access_token", "refresh_token"}},
          {"description", "Where to look first (RFC 7009 §2.1)"}}},
    };
    return {"application/x-www-form-urlencoded",
            {"RevokeForm",
             {{"type", "object"},
              {"properties", std::move(properties)},
              {"required", boost::json::array{"token"}}}},
            true};
}

http::body_descriptor introspect_form() {
    boost::json::object properties{
        {"token", form_field("An access or refresh token", true)},
        {"token_type_hint",
         {{"type", "string"},
          {"enum", boost::json::array{"access_token", "refresh_token"}},
          {"description", "A hint only (RFC 7662 §2.1): every kind is looked for"}}},
        {"client_id", form_field("The calling client's id (client_secret_post)")},
        {"client_secret", form_field("The calling client's secret (client_secret_post)", true)},
    };
    return {"application/x-www-form-urlencoded",
            {"IntrospectionForm",
             {{"type", "object"},
              {"properties", std::move(properties)},
              {"required", boost::json::array{"token"}}}},
            true};
}

/// RFC 7662 §2.2: only `active` when the token is not live.
http::named_schema introspection_schema() {
    auto const text = [](std::string_view description) {
        return boost::json::object{{"type", "string"}, {"description", description}};
    };
    auto const seconds = [](std::string_view description) {
        return boost::json::object{{"type", "integer"}, {"description", description}};
    };
    boost::json::object properties{
        {"active", {{"type", "boolean"}}},
        {"scope", text("Space-separated scopes")},
        {"client_id", text("The client of a client_credentials token")},
        {"sub", text("The user id, or the client id")},
        {"exp", seconds("Expiry, Unix seconds")},
        {"iat", seconds("Issued at, Unix seconds")},
        {"jti", text("Access tokens: the token's id")},
        {"token_type",
         {{"type", "string"}, {"enum", boost::json::array{"access_token", "refresh_token"}}}},
    };
    return {"Introspection",
            {{"type", "object"},
             {"properties", std::move(properties)},
             {"required", boost::json::array{"active"}}}};
}

}  // namespace

void add_auth_routes(http::router& routes, services& svc) {
    using http::verb;
    auto const registration = std::make_shared<http::json_fields<registration_body> const>(
        registration_fields(svc.hashes->hashing_context()));
    routes.add({.method = verb::post,
                .pattern = "/api/auth/register",
                .summary = "Register a user",
                .tag = "auth",
                .body = registration->body(),
                .responses = {json_answer(201, "The new user", user_schema()),
                              error_answer(403, "Registration is closed"),
                              error_answer(409, "Email already registered")}},
               [&svc, registration](request_context& ctx) {
                   return register_user(svc, *registration, ctx);
               });
    auto const token_error = [](unsigned status, std::string description) {
        return json_answer(status, std::move(description), token_error_schema());
    };
    routes.add({.method = verb::post,
                .pattern = "/api/auth/login",
                .summary = "Log in: the OAuth2 token endpoint (password, refresh_token and "
                           "client_credentials grants)",
                .tag = "auth",
                .body = login_form(),
                .responses = {json_answer(200, "Tokens (Cache-Control: no-store)", token_schema()),
                              token_error(400,
                                          "invalid_grant (a spent, revoked or expired refresh "
                                          "token), invalid_scope, unsupported_grant_type, "
                                          "invalid_request (client credentials given twice), "
                                          "or inactive user"),
                              token_error(401,
                                          "Incorrect email or password (invalid_grant), "
                                          "Second factor required (mfa_required: send otp), "
                                          "Invalid second factor (invalid_grant), or bad client "
                                          "credentials (invalid_client, WWW-Authenticate: "
                                          "Basic)"),
                              token_error(429, "Too many failed logins (Retry-After)")}},
               [&svc](request_context& ctx) { return login(svc, ctx); });
    add_guarded(routes, *svc.guard,
                {.method = verb::post,
                 .pattern = "/api/auth/logout",
                 .summary = "Log out: revoke this session's refresh tokens and access token",
                 .tag = "auth",
                 .scopes = auth::scope_list{},
                 .responses = {empty_answer(204, "Logged out")}},
                [&svc](request_context&, auth::principal caller) {
                    return logout(svc, std::move(caller));
                });
    routes.add({.method = verb::post,
                .pattern = "/api/auth/revoke",
                .summary = "Revoke a token (RFC 7009)",
                .tag = "auth",
                .body = revoke_form(),
                .responses = {empty_answer(200, "Revoked, or nothing to revoke")}},
               [&svc](request_context& ctx) { return revoke(svc, ctx); });
    routes.add({.method = verb::post,
                .pattern = "/api/auth/introspect",
                .summary = "Introspect a token (RFC 7662), for registered clients (HTTP Basic or "
                           "client_id and client_secret in the form)",
                .tag = "auth",
                .body = introspect_form(),
                .responses = {json_answer(200,
                                          "{\"active\": false} for any token that is not live "
                                          "(Cache-Control: no-store)",
                                          introspection_schema()),
                              token_error(400, "Client credentials given twice (invalid_request)"),
                              token_error(401,
                                          "No or bad client credentials (invalid_client, "
                                          "WWW-Authenticate: Basic)")}},
               [&svc](request_context& ctx) { return introspect(svc, ctx); });
}

}  // namespace warden::app
