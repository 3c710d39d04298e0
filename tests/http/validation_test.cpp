#include <warden/http/validation.hpp>

#include <gtest/gtest.h>

#include <string>

#include <boost/json/parse.hpp>

#include <warden/core/errc.hpp>
#include <warden/http/errc.hpp>

#include "support/numbered.hpp"

namespace warden::http {
namespace {

TEST(validation_errors, renders_fastapi_shaped_422) {
    validation_errors errors;
    EXPECT_TRUE(errors.empty());
    errors.missing("username");
    errors.add("email", "value_error", "value is not a valid email address",
               std::string_view{"nope"});
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

TEST(validation_errors, keeps_at_most_max_errors) {
    validation_errors errors;
    for (int i = 0; i < 6000; ++i)
        errors.add(test::numbered("k", i), "extra_forbidden", "Extra inputs are not permitted");
    auto const res = errors.to_response();
    auto const detail = boost::json::parse(res.body()).at("detail").as_array();
    ASSERT_EQ(detail.size(), validation_errors::max_errors);
    EXPECT_EQ(detail.front().at("loc").at(1), "k0");
    EXPECT_LT(res.body().size(), 8U * 1024U);
}

TEST(validation_errors, cuts_long_names_and_inputs_at_a_utf8_boundary) {
    validation_errors errors;
    std::string utf8 = "x";
    for (int i = 0; i < 1000; ++i) utf8 += "\xc3\xa9";  // "é" x 1000: the cut must not split one
    errors.add(utf8, "string_type", "Input should be a valid string", std::string_view{utf8});
    boost::json::array big;
    for (int i = 0; i < 1000; ++i) big.push_back(i);
    errors.add("scopes", "list_type", "Input should be a valid list", boost::json::value(big));
    errors.add("small", "list_type", "Input should be a valid list",
               boost::json::value(boost::json::array{1, 2}));
    auto const detail = boost::json::parse(errors.to_response().body()).at("detail");
    auto const name = detail.at(0).at("loc").at(1).as_string();
    auto const input = detail.at(0).at("input").as_string();
    EXPECT_EQ(input.size(),
              validation_errors::max_echo_bytes - 1);  // 1 + 2k bytes, cut before the split
    EXPECT_EQ(name, input);
    EXPECT_TRUE(detail.at(1).at("input").is_null());
    EXPECT_EQ(detail.at(2).at("input"), (boost::json::array{1, 2}));
}

TEST(validation_errors, echoed_bytes_that_are_not_utf8_still_make_valid_json) {
    validation_errors errors;
    std::string const raw = "me\xff\xfe\xc3\x28\xed\xa0\x80\xf4\x90\x80\x80\xc3\xa9";
    errors.add(raw, "int_parsing", "Input should be a valid positive integer",
               std::string_view{raw});
    auto const res = errors.to_response();
    boost::system::error_code ec;
    auto const body = boost::json::parse(res.body(), ec);
    ASSERT_FALSE(ec) << res.body();
    auto const fffd = [](int n) {
        std::string out;
        for (int i = 0; i < n; ++i) out += "\xef\xbf\xbd";
        return out;
    };
    // ff, fe, c3: 3; then "(" ; a surrogate's 3 bytes and a code point past U+10FFFF's 4: 7.
    EXPECT_EQ(body.at("detail").at(0).at("input").as_string(),
              "me" + fffd(3) + "(" + fffd(7) + "\xc3\xa9");
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
    EXPECT_EQ(body_error_response(make_error_code(errc::repeated_parameter)).result(),
              status::bad_request);
    EXPECT_EQ(body_error_response(make_error_code(errc::malformed_form)).result(),
              status::bad_request);
}

}  // namespace
}  // namespace warden::http
