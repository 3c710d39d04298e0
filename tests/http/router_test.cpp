#include <warden/http/router.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

#include <boost/json/parse.hpp>

#include <warden/core/condition.hpp>
#include <warden/http/responses.hpp>
#include "support/run.hpp"

namespace warden::http {
namespace {

namespace asio = boost::asio;

handler replying(std::string text) {
    return [text](request_context&) -> asio::awaitable<response> {
        co_return detail_response(status::ok, text);
    };
}

TEST(router, matches_exact_paths_by_method) {
    router r;
    r.add(verb::get, "/api/users/me", replying("get me"));
    r.add(verb::patch, "/api/users/me", replying("patch me"));
    auto const m = r.find(verb::patch, "/api/users/me");
    ASSERT_NE(m.target, nullptr);
    request_context ctx;
    EXPECT_NE(test::run((*m.target)(ctx)).body().find("patch me"), std::string::npos);
}

TEST(router, extracts_path_parameters) {
    router r;
    r.add(verb::get, "/api/users/me", replying("me"));
    r.add(verb::get, "/api/users/{id}", replying("by id"));
    auto const m = r.find(verb::get, "/api/users/42");
    ASSERT_NE(m.target, nullptr);
    ASSERT_EQ(m.params.size(), 1U);
    EXPECT_EQ(m.params[0].first, "id");
    EXPECT_EQ(m.params[0].second, "42");
    // The first matching route wins: the literal one added first.
    EXPECT_TRUE(r.find(verb::get, "/api/users/me").params.empty());
}

TEST(router, unknown_path_is_not_found) {
    router r;
    r.add(verb::get, "/healthz", replying("ok"));
    for (auto const path :
         {"/", "/healthz/", "/healthzz", "/health", "", "healthz", "/api/users//"}) {
        auto const m = r.find(verb::get, path);
        EXPECT_EQ(m.target, nullptr) << path;
        EXPECT_TRUE(m.allow.empty()) << path;
    }
}

TEST(router, parameters_never_match_empty_segments) {
    router r;
    r.add(verb::get, "/api/users/{id}", replying("by id"));
    EXPECT_EQ(r.find(verb::get, "/api/users/").target, nullptr);
    EXPECT_EQ(r.find(verb::get, "/api/users/1/2").target, nullptr);
}

TEST(router, wrong_method_lists_the_allowed_ones) {
    router r;
    r.add(verb::get, "/api/users/{id}", replying("get"));
    r.add(verb::patch, "/api/users/{id}", replying("patch"));
    r.add(verb::delete_, "/api/users/{id}", replying("delete"));
    auto const m = r.find(verb::post, "/api/users/7");
    EXPECT_EQ(m.target, nullptr);
    EXPECT_EQ(m.allow, "GET, PATCH, DELETE");
}

TEST(router, integer_parameters_match_positive_integers_only) {
    router r;
    r.add(verb::get, "/api/users/{id:int}", replying("by id"));
    for (auto const path :
         {"/api/users/1", "/api/users/42", "/api/users/007", "/api/users/9223372036854775807"}) {
        auto const m = r.find(verb::get, path);
        ASSERT_NE(m.target, nullptr) << path;
        EXPECT_EQ(m.pattern, "/api/users/{id}") << path;
    }
    for (auto const path : {"/api/users/abc", "/api/users/0", "/api/users/00", "/api/users/-1",
                            "/api/users/+1", "/api/users/1.5", "/api/users/1e3", "/api/users/ 1",
                            "/api/users/9223372036854775808", "/api/users/", "/api/users/me"}) {
        auto const m = r.find(verb::get, path);
        EXPECT_EQ(m.target, nullptr) << path;
        EXPECT_TRUE(m.allow.empty()) << path;  // no route has this path: 404, not 405
    }
}

TEST(router, integer_parameter_reads_the_matched_value) {
    router r;
    r.add(verb::get, "/api/users/{id:int}", replying("by id"));
    request_context ctx;
    ctx.params = r.find(verb::get, "/api/users/0042").params;
    EXPECT_EQ(integer_parameter(ctx, "id"), 42);
    EXPECT_THROW((void)integer_parameter(ctx, "other"), std::logic_error);
}

TEST(router, a_literal_segment_wins_over_a_parameter_whatever_the_order) {
    router r;
    r.add(verb::get, "/api/users/{name}", replying("by name"));
    r.add(verb::delete_, "/api/users/{name}", replying("delete by name"));
    r.add(verb::get, "/api/users/me", replying("me"));
    r.add(verb::patch, "/api/users/me", replying("patch me"));
    auto const me = r.find(verb::get, "/api/users/me");
    ASSERT_NE(me.target, nullptr);
    EXPECT_EQ(me.pattern, "/api/users/me");
    EXPECT_TRUE(me.params.empty());
    // The parameter route has DELETE, but `me` is the literal's path: 405 with its methods.
    auto const del = r.find(verb::delete_, "/api/users/me");
    EXPECT_EQ(del.target, nullptr);
    EXPECT_EQ(del.allow, "GET, PATCH");
    auto const other = r.find(verb::delete_, "/api/users/jo");
    ASSERT_NE(other.target, nullptr);
    EXPECT_EQ(other.pattern, "/api/users/{name}");
}

TEST(router, an_integer_parameter_wins_over_a_text_one) {
    router r;
    r.add(verb::get, "/files/{name}", replying("by name"));
    r.add(verb::get, "/files/{id:int}", replying("by id"));
    EXPECT_EQ(r.find(verb::get, "/files/7").pattern, "/files/{id}");
    EXPECT_EQ(r.find(verb::get, "/files/seven").pattern, "/files/{name}");
    // Specificity is decided from the left: a literal first segment beats a parameter there.
    r.add(verb::get, "/{any}/special", replying("any special"));
    r.add(verb::get, "/files/{name}/special", replying("never this shape"));
    EXPECT_EQ(r.find(verb::get, "/files/special").pattern, "/files/{name}");
    EXPECT_EQ(r.find(verb::get, "/files/x/special").pattern, "/files/{name}/special");
    EXPECT_EQ(r.find(verb::get, "/other/special").pattern, "/{any}/special");
}

TEST(router, the_users_table_answers_405_for_delete_me) {
    router r;
    r.add(verb::get, "/api/users/me", replying("me"));
    r.add(verb::patch, "/api/users/me", replying("patch me"));
    r.add(verb::get, "/api/users/{id:int}", replying("get"));
    r.add(verb::patch, "/api/users/{id:int}", replying("patch"));
    r.add(verb::delete_, "/api/users/{id:int}", replying("delete"));
    auto const m = r.find(verb::delete_, "/api/users/me");
    EXPECT_EQ(m.target, nullptr);
    EXPECT_EQ(m.allow, "GET, PATCH");
    EXPECT_TRUE(m.pattern.empty());
    EXPECT_EQ(r.find(verb::post, "/api/users/3").allow, "GET, PATCH, DELETE");
    auto const abc = r.find(verb::delete_, "/api/users/abc");
    EXPECT_EQ(abc.target, nullptr);
    EXPECT_TRUE(abc.allow.empty());
}

TEST(router, refuses_malformed_patterns_and_a_second_route_of_one_shape) {
    router r;
    for (auto const pattern :
         {"", "api", "/a/{}", "/a/{id:float}", "/a/{id", "/a/b}c", "/{:int}"}) {
        EXPECT_THROW(r.add(verb::get, pattern, replying("x")), std::invalid_argument) << pattern;
    }
    r.add(verb::get, "/api/users/{id:int}", replying("x"));
    EXPECT_THROW(r.add(verb::get, "/api/users/{user:int}", replying("y")), std::logic_error);
    r.add(verb::get, "/api/users/{name}", replying("a text shape is another shape"));
    r.add(verb::post, "/api/users/{id:int}", replying("another method"));
    EXPECT_EQ(r.declarations().size(), 3U);
}

TEST(router, keeps_every_declaration_in_order) {
    router r;
    r.add({.method = verb::get,
           .pattern = "/a/{id:int}",
           .summary = "Read an a",
           .tag = "a",
           .responses = {{200, "An a", std::nullopt}}},
          replying("a"));
    r.add({.method = verb::get, .pattern = "/hidden", .in_schema = false}, replying("h"));
    auto const d = r.declarations();
    ASSERT_EQ(d.size(), 2U);
    EXPECT_EQ(d[0].pattern, "/a/{id:int}");
    EXPECT_EQ(d[0].summary, "Read an a");
    EXPECT_TRUE(d[0].in_schema);
    EXPECT_FALSE(d[0].scopes.has_value());
    EXPECT_FALSE(d[1].in_schema);
}

// A stand-in guard: accepts "Bearer good", rejects everything else.
struct fake_check {
    using principal_type = std::string;
    std::string scope;
    error_code failure;
    [[nodiscard]] asio::awaitable<result<std::string>> authenticate(
        std::string_view authorization) const {
        if (authorization == "Bearer good") co_return std::string{"user-7"};
        co_return failure;
    }
    [[nodiscard]] std::string required_scope() const { return scope; }
    [[nodiscard]] std::string log_identity(std::string const& p) const { return p; }
};
static_assert(bearer_check<fake_check>);

class guard_category final : public boost::system::error_category {
  public:
    [[nodiscard]] char const* name() const noexcept override { return "guard"; }
    [[nodiscard]] std::string message(int) const override { return "guard"; }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int v) const noexcept override {
        return make_error_condition(static_cast<condition>(v));
    }
};
guard_category const guard_errors;

router guarded_router(error_code failure) {
    router r;
    r.add(verb::get, "/me", fake_check{"admin", failure},
          [](request_context&, std::string principal) -> asio::awaitable<response> {
              co_return detail_response(status::ok, "hello " + principal);
          });
    return r;
}

TEST(router_guarded, the_declared_scopes_are_the_checks) {
    auto const h = [](request_context&, std::string) -> asio::awaitable<response> {
        co_return detail_response(status::ok, "ok");
    };
    router r;
    r.add(verb::get, "/read", fake_check{"read write", {}}, h);  // read from the check
    EXPECT_EQ(r.declarations()[0].scopes, (std::vector<std::string>{"read", "write"}));
    r.add({.method = verb::get, .pattern = "/any", .scopes = std::vector<std::string>{}},
          fake_check{"", {}}, h);
    EXPECT_EQ(r.declarations()[1].scopes, std::vector<std::string>{});
    r.add({.method = verb::get,
           .pattern = "/either-order",
           .scopes = std::vector<std::string>{"write", "read"}},
          fake_check{"read write", {}}, h);
    EXPECT_THROW(
        r.add(
            {.method = verb::get, .pattern = "/admin", .scopes = std::vector<std::string>{"admin"}},
            fake_check{"read", {}}, h),
        std::logic_error);
    // Scopes with no check to enforce them are a mistake, not a public route.
    EXPECT_THROW(r.add({.method = verb::get,
                        .pattern = "/unchecked",
                        .scopes = std::vector<std::string>{"admin"}},
                       replying("x")),
                 std::logic_error);
    EXPECT_EQ(r.declarations().size(), 3U);
}

TEST(router_guarded, handler_receives_the_principal) {
    auto const r = guarded_router({});
    request_context ctx;
    ctx.req.set(field::authorization, "Bearer good");
    auto const res = test::run((*r.find(verb::get, "/me").target)(ctx));
    EXPECT_EQ(res.result(), status::ok);
    EXPECT_EQ(boost::json::parse(res.body()).at("detail"), "hello user-7");
    EXPECT_EQ(ctx.user_id, "user-7");
}

TEST(router_guarded, failure_is_mapped_and_the_handler_never_runs) {
    auto const r = guarded_router({static_cast<int>(condition::unauthenticated), guard_errors});
    request_context ctx;
    auto const res = test::run((*r.find(verb::get, "/me").target)(ctx));
    EXPECT_EQ(res.result(), status::unauthorized);
    EXPECT_EQ(res[field::www_authenticate], "Bearer");
    EXPECT_TRUE(ctx.user_id.empty());
}

TEST(router_guarded, insufficient_scope_names_the_required_scope) {
    auto const r = guarded_router({static_cast<int>(condition::insufficient_scope), guard_errors});
    request_context ctx;
    ctx.req.set(field::authorization, "Bearer other");
    auto const res = test::run((*r.find(verb::get, "/me").target)(ctx));
    EXPECT_EQ(res.result(), status::forbidden);
    EXPECT_EQ(res[field::www_authenticate], "Bearer error=\"insufficient_scope\", scope=\"admin\"");
}

}  // namespace
}  // namespace warden::http
