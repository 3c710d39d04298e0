#include <warden/http/router.hpp>

#include <gtest/gtest.h>

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
