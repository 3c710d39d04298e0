#include <warden/http/problem.hpp>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <warden/core/errc.hpp>

namespace warden::http {
namespace {

// A category standing in for a module's errc, mapping each value onto the same condition.
class fake_category final : public boost::system::error_category {
  public:
    [[nodiscard]] char const* name() const noexcept override { return "fake"; }
    [[nodiscard]] std::string message(int) const override { return "the module's message"; }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        return make_error_condition(static_cast<condition>(value));
    }
};
fake_category const fake;

error_code code_for(condition c) { return {static_cast<int>(c), fake}; }

boost::json::object body_of(response const& res) {
    return boost::json::parse(res.body()).as_object();
}

TEST(problem_for, missing_credentials_is_401_not_authenticated) {
    auto const res = render(problem_for(code_for(condition::unauthenticated)));
    EXPECT_EQ(res.result(), status::unauthorized);
    EXPECT_EQ(res[field::www_authenticate], "Bearer");
    EXPECT_EQ(body_of(res).at("detail"), "Not authenticated");
}

TEST(problem_for, bad_token_is_401_invalid_token_without_details) {
    auto const res = render(problem_for(code_for(condition::invalid_token)));
    EXPECT_EQ(res.result(), status::unauthorized);
    EXPECT_EQ(res[field::www_authenticate], "Bearer error=\"invalid_token\"");
    EXPECT_EQ(body_of(res), (boost::json::object{{"detail", "Could not validate credentials"}}));
}

TEST(problem_for, wrong_password_is_401_with_invalid_grant) {
    auto const res = render(problem_for(code_for(condition::invalid_credentials)));
    EXPECT_EQ(res.result(), status::unauthorized);
    EXPECT_EQ(res[field::www_authenticate], "Bearer");
    EXPECT_EQ(body_of(res).at("detail"), "Incorrect email or password");
    EXPECT_EQ(body_of(res).at("error"), "invalid_grant");
}

TEST(problem_for, inactive_user_is_400) {
    auto const res = render(problem_for(code_for(condition::inactive_user)));
    EXPECT_EQ(res.result(), status::bad_request);
    EXPECT_EQ(body_of(res), (boost::json::object{{"detail", "Inactive user"}}));
    EXPECT_EQ(res.count(field::www_authenticate), 0U);
}

TEST(problem_for, missing_scope_is_403_with_the_scope_challenge) {
    auto const res =
        render(problem_for(code_for(condition::insufficient_scope), "admin users:write"));
    EXPECT_EQ(res.result(), status::forbidden);
    EXPECT_EQ(res[field::www_authenticate],
              "Bearer error=\"insufficient_scope\", scope=\"admin users:write\"");
    EXPECT_EQ(body_of(res).at("detail"), "Not enough permissions");
}

TEST(problem_for, token_endpoint_errors_carry_rfc6749_fields) {
    for (auto [c, error] :
         {std::pair{condition::invalid_grant, "invalid_grant"},
          std::pair{condition::invalid_scope, "invalid_scope"},
          std::pair{condition::unsupported_grant_type, "unsupported_grant_type"}}) {
        auto const res = render(problem_for(code_for(c)));
        EXPECT_EQ(res.result(), status::bad_request) << error;
        EXPECT_EQ(body_of(res).at("error"), error);
        EXPECT_TRUE(body_of(res).contains("error_description"));
        EXPECT_TRUE(body_of(res).contains("detail"));
    }
}

TEST(problem_for, plain_conditions_map_to_their_status_and_message) {
    EXPECT_EQ(render(problem_for(code_for(condition::not_found))).result(), status::not_found);
    EXPECT_EQ(render(problem_for(code_for(condition::conflict))).result(), status::conflict);
    EXPECT_EQ(render(problem_for(code_for(condition::forbidden))).result(), status::forbidden);
    EXPECT_EQ(render(problem_for(code_for(condition::invalid_request))).result(),
              status::bad_request);
    EXPECT_EQ(body_of(render(problem_for(code_for(condition::conflict)))).at("detail"),
              "the module's message");
}

TEST(problem_for, throttling_sets_retry_after) {
    auto const limited = render(problem_for(code_for(condition::rate_limited)));
    EXPECT_EQ(limited.result(), status::too_many_requests);
    EXPECT_FALSE(limited[field::retry_after].empty());
    auto const busy = render(problem_for(code_for(condition::unavailable)));
    EXPECT_EQ(busy.result(), status::service_unavailable);
    EXPECT_EQ(busy[field::retry_after], "1");
}

TEST(problem_for, unknown_and_internal_errors_are_500_without_details) {
    error_code const foreign{5, boost::system::generic_category()};
    auto const res = render(problem_for(foreign));
    EXPECT_EQ(res.result(), status::internal_server_error);
    EXPECT_EQ(body_of(res), (boost::json::object{{"detail", "Internal Server Error"}}));
    EXPECT_EQ(render(problem_for(code_for(condition::internal))).result(),
              status::internal_server_error);
    EXPECT_EQ(render(problem_for(make_error_code(core_errc::random_failed))).result(),
              status::internal_server_error);
}

}  // namespace
}  // namespace warden::http
