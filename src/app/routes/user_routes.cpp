// /api/users/me (the current user) and the admin API /api/users, /api/users/{id}.
#include <array>
#include <charconv>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <warden/http/form.hpp>
#include <warden/http/json_body.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>
#include <warden/store/errc.hpp>

#include "app/routes/body_reader.hpp"
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

/// Reads the fields a user may change: `email` and `full_name`, plus for admins `is_active`
/// and `scopes`. Adds 422 entries for bad values.
auth::account_change read_change(boost::json::object const& body, bool admin,
                                 http::validation_errors& errors) {
    body_reader fields =
        admin ? body_reader{body, {"email", "full_name", "is_active", "scopes"}, errors}
              : body_reader{body, {"email", "full_name"}, errors};
    auth::account_change change;
    change.email = fields.optional_string("email");
    normalize_email_field(change.email, errors);
    change.full_name = fields.optional_string("full_name", true);
    if (body.contains("full_name") && body.at("full_name").is_null()) change.full_name = "";
    check_full_name_field(change.full_name, errors);
    if (admin) {
        change.is_active = fields.optional_bool("is_active");
        if (auto scopes = fields.optional_string_list("scopes")) {
            std::string joined;
            for (auto const& s : *scopes) {
                if (s.empty() || s.find(' ') != std::string::npos) {
                    errors.add("scopes", "value_error",
                               "Value error, each scope must be one scope-token",
                               std::string_view{s});
                }
                joined += s + ' ';
            }
            auto parsed = auth::parse_scopes(joined);
            if (!parsed) {
                errors.add("scopes", "value_error", "Value error, invalid scope-token");
            } else {
                check_scopes_field(*parsed, errors);
                change.scopes = std::move(*parsed);
            }
        }
    }
    return change;
}

asio::awaitable<response> show_me(auth::principal caller) {
    co_return http::json_response(status::ok, user_json(*caller.user));
}

asio::awaitable<response> update_me(services& svc, request_context& ctx, auth::principal caller) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto change = read_change(*body, false, errors);
    if (!errors.empty()) co_return errors.to_response();
    auto updated = co_await svc.accounts->update(caller.user->id, std::move(change));
    if (!updated) co_return failure(updated.error());
    co_return http::json_response(status::ok, user_json(*updated));
}

asio::awaitable<response> change_password(services& svc, request_context& ctx,
                                          auth::principal caller) {
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    body_reader fields{*body, {"current_password", "new_password"}, errors};
    auto current = fields.required_string("current_password");
    auto replacement = fields.required_string("new_password");
    auto const& context = svc.hashes->hashing_context();
    if (replacement) {
        auto const allowed = context.check_new_password(*replacement);
        auto const& policy = context.settings().policy;
        if (!allowed)
            add_password_error(errors, "new_password", allowed.error(), policy.min_length,
                               policy.max_length);
    }
    if (!errors.empty()) co_return errors.to_response();
    auto const changed = co_await svc.accounts->change_password(
        std::move(caller), secret_bytes{std::move(*current)}, secret_bytes{std::move(*replacement)},
        std::string{ctx.client_address});
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

/// The `{id}` path parameter, or a 422 response.
std::variant<store::user_id, response> user_id_of(request_context const& ctx) {
    auto const text = ctx.param("id");
    auto const id = parse_count(text);
    if (!id || *id == 0)
        return parameter_error("path", "id", "Input should be a valid positive integer", text);
    return *id;
}

asio::awaitable<response> show_user(services& svc, request_context& ctx) {
    auto id = user_id_of(ctx);
    if (auto* bad = std::get_if<response>(&id)) co_return std::move(*bad);
    auto user = co_await svc.accounts->find(std::get<store::user_id>(id));
    if (!user) co_return failure(user.error());
    co_return http::json_response(status::ok, user_json(*user));
}

asio::awaitable<response> update_user(services& svc, request_context& ctx) {
    auto id = user_id_of(ctx);
    if (auto* bad = std::get_if<response>(&id)) co_return std::move(*bad);
    auto body = http::read_json_object(ctx.req, 16);
    if (!body) co_return http::body_error_response(body.error());
    http::validation_errors errors;
    auto change = read_change(*body, true, errors);
    if (!errors.empty()) co_return errors.to_response();
    auto updated = co_await svc.accounts->update(std::get<store::user_id>(id), std::move(change));
    if (!updated) co_return failure(updated.error());
    co_return http::json_response(status::ok, user_json(*updated));
}

asio::awaitable<response> delete_user(services& svc, request_context& ctx) {
    auto id = user_id_of(ctx);
    if (auto* bad = std::get_if<response>(&id)) co_return std::move(*bad);
    auto const removed = co_await svc.accounts->remove(std::get<store::user_id>(id));
    if (!removed) co_return failure(removed.error());
    co_return http::empty_response(status::no_content);
}

}  // namespace

void add_user_routes(http::router& routes, services& svc) {
    using http::verb;
    auto const& guard = *svc.guard;
    routes.add(verb::get, "/api/users/me", guard.require(),
               [](request_context&, auth::principal caller) { return show_me(std::move(caller)); });
    routes.add(verb::patch, "/api/users/me", guard.require(),
               [&svc](request_context& ctx, auth::principal caller) {
                   return update_me(svc, ctx, std::move(caller));
               });
    routes.add(verb::post, "/api/users/me/password", guard.require(),
               [&svc](request_context& ctx, auth::principal caller) {
                   return change_password(svc, ctx, std::move(caller));
               });
    auto const admin = guard.require({"admin"});
    routes.add(verb::get, "/api/users", admin,
               [&svc](request_context& ctx, auth::principal) { return list_users(svc, ctx); });
    routes.add(verb::get, "/api/users/{id}", admin,
               [&svc](request_context& ctx, auth::principal) { return show_user(svc, ctx); });
    routes.add(verb::patch, "/api/users/{id}", admin,
               [&svc](request_context& ctx, auth::principal) { return update_user(svc, ctx); });
    routes.add(verb::delete_, "/api/users/{id}", admin,
               [&svc](request_context& ctx, auth::principal) { return delete_user(svc, ctx); });
}

}  // namespace warden::app
