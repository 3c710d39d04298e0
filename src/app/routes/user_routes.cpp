// /api/users/me (the current user) and the admin API /api/users, /api/users/{id}.
#include <array>
#include <charconv>
#include <memory>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <warden/http/form.hpp>
#include <warden/http/json_body.hpp>
#include <warden/http/openapi.hpp>
#include <warden/http/path_pattern.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>
#include <warden/store/errc.hpp>

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

constexpr std::int64_t default_page_size = 50;
constexpr std::int64_t max_page_size = 500;

response failure(error_code ec) {
    if (ec == store::errc::not_found)
        return http::detail_response(status::not_found, "User not found");
    return http::render(http::problem_for(ec));
}

/// A non-negative decimal integer (no sign, no spaces).
std::optional<std::int64_t> parse_count(std::string_view text) {
    std::int64_t value = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

/// A 422 at `["<where>", name]`, as FastAPI reports path and query parameters.
response parameter_error(std::string_view where, std::string_view name, std::string_view msg,
                         std::string_view input) {
    boost::json::array detail{boost::json::object{{"type", "int_parsing"},
                                                  {"loc", boost::json::array{where, name}},
                                                  {"msg", msg},
                                                  {"input", input}}};
    return http::json_response(status::unprocessable_entity,
                               boost::json::object{{"detail", detail}});
}

/// The bodies these routes read, one field table each (built once: the password policy is
/// configuration).
struct user_bodies {
    explicit user_bodies(password::context const& passwords)
        : own_change{"UserSelfUpdate",
                     {email_field(&auth::account_change::email, false),
                      full_name_field(&auth::account_change::full_name)}},
          admin_change{"UserAdminUpdate",
                       {email_field(&auth::account_change::email, false),
                        full_name_field(&auth::account_change::full_name),
                        is_active_field(&auth::account_change::is_active),
                        is_verified_field(&auth::account_change::is_verified),
                        scopes_field(&auth::account_change::scopes)}},
          password_change{
              "PasswordChange",
              {current_password_field("current_password", &password_change_body::current_password),
               new_password_field("new_password", &password_change_body::new_password,
                                  passwords)}} {}

    struct password_change_body {
        std::string current_password;
        std::string new_password;
    };
    http::json_fields<auth::account_change> own_change;
    http::json_fields<auth::account_change> admin_change;
    http::json_fields<password_change_body> password_change;
};

asio::awaitable<response> show_me(auth::principal caller) {
    co_return http::json_response(status::ok, user_json(*caller.user));
}

asio::awaitable<response> update_me(services& svc, user_bodies const& bodies, request_context& ctx,
                                    auth::principal caller) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto change = bodies.own_change.read(*body, errors);
    if (!change) co_return errors.to_response();
    auto updated = co_await svc.accounts->update(caller.user->id, std::move(*change));
    if (!updated) co_return failure(updated.error());
    co_return http::json_response(status::ok, user_json(*updated));
}

asio::awaitable<response> change_password(services& svc, user_bodies const& bodies,
                                          request_context& ctx, auth::principal caller) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto input = bodies.password_change.read(*body, errors);
    if (!input) co_return errors.to_response();
    auto const changed = co_await svc.accounts->change_password(
        std::move(caller), secret_bytes{std::move(input->current_password)},
        secret_bytes{std::move(input->new_password)}, std::string{ctx.client_address});
    if (!changed.done) {
        auto problem = http::problem_for(changed.done.error());
        if (changed.retry_after > 0) problem.retry_after = changed.retry_after;
        co_return http::render(problem);
    }
    co_return http::empty_response(status::no_content);
}

asio::awaitable<response> list_users(services& svc, request_context& ctx) {
    std::int64_t limit = default_page_size;
    std::int64_t offset = 0;
    // A query string has the syntax of a urlencoded form.
    auto const query = http::form::parse(ctx.query());
    if (!query) co_return http::detail_response(status::bad_request, "Malformed query string");
    // A named array, not a braced list: GCC 12 does not extend range-for temporaries in coroutines.
    static constexpr std::array<std::string_view, 2> names{"limit", "offset"};
    for (std::string_view const name : names) {
        auto const text = query->get(name);
        if (!text) continue;
        auto const value = parse_count(*text);
        bool const is_limit = name == "limit";
        if (!value || (is_limit && (*value < 1 || *value > max_page_size))) {
            co_return parameter_error("query", name,
                                      is_limit ? "Input should be an integer from 1 to 500"
                                               : "Input should be a non-negative integer",
                                      *text);
        }
        (is_limit ? limit : offset) = *value;
    }
    auto page = co_await svc.accounts->list(limit, offset);
    if (!page) co_return failure(page.error());
    boost::json::array items;
    for (auto const& u : page->items) items.emplace_back(user_json(u));
    co_return http::json_response(status::ok, boost::json::object{
                                                  {"items", std::move(items)},
                                                  {"total", page->total},
                                                  {"limit", limit},
                                                  {"offset", offset},
                                              });
}

/// The `{id:int}` path parameter (the router matched only positive integers).
store::user_id user_id_of(request_context const& ctx) { return http::integer_parameter(ctx, "id"); }

asio::awaitable<response> show_user(services& svc, request_context& ctx) {
    auto user = co_await svc.accounts->find(user_id_of(ctx));
    if (!user) co_return failure(user.error());
    co_return http::json_response(status::ok, user_json(*user));
}

asio::awaitable<response> update_user(services& svc, user_bodies const& bodies,
                                      request_context& ctx) {
    auto const id = user_id_of(ctx);
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto change = bodies.admin_change.read(*body, errors);
    if (!change) co_return errors.to_response();
    auto updated = co_await svc.accounts->update(id, std::move(*change));
    if (!updated) co_return failure(updated.error());
    co_return http::json_response(status::ok, user_json(*updated));
}

asio::awaitable<response> delete_user(services& svc, request_context& ctx) {
    auto const removed = co_await svc.accounts->remove(user_id_of(ctx));
    if (!removed) co_return failure(removed.error());
    co_return http::empty_response(status::no_content);
}

/// `{"items": [User...], "total", "limit", "offset"}`.
http::named_schema user_page_schema() {
    boost::json::object count{{"type", "integer"}, {"minimum", 0}};
    return {"UserPage",
            {{"type", "object"},
             {"properties",
              {{"items", {{"type", "array"}, {"items", http::schema_ref("User")}}},
               {"total", count},
               {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", max_page_size}}},
               {"offset", count}}},
             {"required", boost::json::array{"items", "total", "limit", "offset"}}}};
}

std::vector<http::query_parameter> page_parameters() {
    return {
        {"limit",
         "Users per page",
         {{"type", "integer"},
          {"minimum", 1},
          {"maximum", max_page_size},
          {"default", default_page_size}},
         false},
        {"offset", "Users to skip", {{"type", "integer"}, {"minimum", 0}, {"default", 0}}, false}};
}

}  // namespace

void add_user_routes(http::router& routes, services& svc) {
    using http::verb;
    auto const& guard = *svc.guard;
    auto const bodies = std::make_shared<user_bodies const>(svc.hashes->hashing_context());
    auto const user = json_answer(200, "The user", user_schema());
    auto const not_found = error_answer(404, "User not found");
    auto const conflict = error_answer(409, "Email already registered");
    auto const any_user = auth::scope_list{};
    auto const admin = auth::scope_list{"admin"};
    add_guarded(
        routes, guard,
        {.method = verb::get,
         .pattern = "/api/users/me",
         .summary = "The current user",
         .tag = "users",
         .scopes = any_user,
         .responses = {user}},
        [](request_context&, auth::principal caller) { return show_me(std::move(caller)); });
    add_guarded(routes, guard,
                {.method = verb::patch,
                 .pattern = "/api/users/me",
                 .summary = "Change the current user's e-mail address or full name",
                 .tag = "users",
                 .scopes = any_user,
                 .body = bodies->own_change.body(),
                 .responses = {user, conflict}},
                [&svc, bodies](request_context& ctx, auth::principal caller) {
                    return update_me(svc, *bodies, ctx, std::move(caller));
                });
    add_guarded(
        routes, guard,
        {.method = verb::post,
         .pattern = "/api/users/me/password",
         .summary = "Change the current user's password (ends the user's other sessions)",
         .tag = "users",
         .scopes = any_user,
         .body = bodies->password_change.body(),
         .responses = {empty_answer(204, "Changed"),
                       error_answer(400, "Incorrect current password, or inactive user"),
                       error_answer(429, "Too many wrong current passwords (Retry-After)")}},
        [&svc, bodies](request_context& ctx, auth::principal caller) {
            return change_password(svc, *bodies, ctx, std::move(caller));
        });
    add_guarded(routes, guard,
                {.method = verb::get,
                 .pattern = "/api/users",
                 .summary = "List users",
                 .tag = "admin",
                 .scopes = admin,
                 .query = page_parameters(),
                 .responses = {json_answer(200, "A page of users", user_page_schema())}},
                [&svc](request_context& ctx, auth::principal) { return list_users(svc, ctx); });
    add_guarded(routes, guard,
                {.method = verb::get,
                 .pattern = "/api/users/{id:int}",
                 .summary = "Read a user",
                 .tag = "admin",
                 .scopes = admin,
                 .responses = {user, not_found}},
                [&svc](request_context& ctx, auth::principal) { return show_user(svc, ctx); });
    add_guarded(routes, guard,
                {.method = verb::patch,
                 .pattern = "/api/users/{id:int}",
                 .summary = "Change a user (deactivating one ends its sessions)",
                 .tag = "admin",
                 .scopes = admin,
                 .body = bodies->admin_change.body(),
                 .responses = {user, not_found, conflict}},
                [&svc, bodies](request_context& ctx, auth::principal) {
                    return update_user(svc, *bodies, ctx);
                });
    add_guarded(routes, guard,
                {.method = verb::delete_,
                 .pattern = "/api/users/{id:int}",
                 .summary = "Delete a user",
                 .tag = "admin",
                 .scopes = admin,
                 .responses = {empty_answer(204, "Deleted"), not_found}},
                [&svc](request_context& ctx, auth::principal) { return delete_user(svc, ctx); });
}

}  // namespace warden::app
