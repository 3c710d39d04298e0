#include <warden/http/validation.hpp>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <warden/core/errc.hpp>
#include <warden/http/errc.hpp>

namespace warden::http {
namespace {

TEST(validation_errors, renders_fastapi_shaped_422) {
    validation_errors errors;
    EXPECT_TRUE(errors.empty());
    errors.missing("username");
    errors.add("email", "value_error", "value is not a valid email address", std::string_view{"nope"});
    EXPECT_FALSE(errors.empty());
    auto const res = errors.to_response();
    EXPECT_EQ(res.result(), status::unprocessable_entity);
    EXPECT_EQ(res[field::content_type], "application/json");
    auto const body = boost::json::parse(res.body());
    auto const expected = boost::json::parse(R"({"detail":[
        {"type":"missing","loc":["body","username"],"msg":"Field required","input":null},
        {"type":"value_error","loc":["body","email"],"msg":"value is not a valid email address","input":"nope"}]})");
    EXPECT_EQ(body, expected);
}

TEST(body_error_response, wrong_content_type_is_415) {
    auto const res = body_error_response(make_error_code(errc::expected_json));
    EXPECT_EQ(res.result(), status::unsupported_media_type);
    EXPECT_NE(res.body().find("application/json"), std::string::npos);
}

TEST(body_error_response, malformed_json_is_422_json_invalid) {
    auto const res = body_error_response(make_error_code(core_errc::invalid_json));
    EXPECT_EQ(res.result(), status::unprocessable_entity);
    auto const body = boost::json::parse(res.body());
    EXPECT_EQ(body.at("detail").at(0).at("type"), "json_invalid");
}

TEST(body_error_response, non_object_is_422) {
    auto const res = body_error_response(make_error_code(errc::body_not_object));
    EXPECT_EQ(res.result(), status::unprocessable_entity);
}

TEST(body_error_response, bad_form_is_400) {
    EXPECT_EQ(body_error_response(make_error_code(errc::repeated_parameter)).result(), status::bad_request);
    EXPECT_EQ(body_error_response(make_error_code(errc::malformed_form)).result(), status::bad_request);
}

}  // namespace
}  // namespace warden::http
