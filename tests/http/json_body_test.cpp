#include <warden/http/json_body.hpp>

#include <gtest/gtest.h>

#include <warden/core/errc.hpp>
#include <warden/http/errc.hpp>

namespace warden::http {
namespace {

request json_request(std::string body, std::string_view content_type = "application/json") {
    request req{verb::post, "/api/auth/register", 11};
    if (!content_type.empty()) req.set(field::content_type, content_type);
    req.body() = std::move(body);
    return req;
}

TEST(read_json_object, reads_an_object) {
    auto const o = read_json_object(json_request(R"({"email":"a@b.c","n":1})"), 16);
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(o->at("email").as_string(), "a@b.c");
}

TEST(read_json_object, accepts_charset_and_json_suffix_types) {
    EXPECT_TRUE(
        read_json_object(json_request("{}", "application/json; charset=utf-8"), 16).has_value());
    EXPECT_TRUE(
        read_json_object(json_request("{}", "application/merge-patch+json"), 16).has_value());
}

TEST(read_json_object, rejects_other_content_types) {
    EXPECT_EQ(read_json_object(json_request("{}", "text/plain"), 16).error(), errc::expected_json);
    EXPECT_EQ(read_json_object(json_request("{}", ""), 16).error(), errc::expected_json);
    EXPECT_EQ(read_json_object(json_request("{}", "application/jsonp"), 16).error(),
              errc::expected_json);
}

TEST(read_json_object, rejects_non_objects) {
    for (char const* body : {"[]", "1", "\"x\"", "null", "true"}) {
        EXPECT_EQ(read_json_object(json_request(body), 16).error(), errc::body_not_object) << body;
    }
}

TEST(read_json_object, rejects_malformed_duplicate_deep_and_bad_utf8) {
    EXPECT_EQ(read_json_object(json_request("{"), 16).error(), core_errc::invalid_json);
    EXPECT_EQ(read_json_object(json_request(""), 16).error(), core_errc::invalid_json);
    EXPECT_EQ(read_json_object(json_request(R"({"a":1,"a":2})"), 16).error(),
              core_errc::duplicate_member);
    EXPECT_EQ(read_json_object(json_request(R"({"a":[[[1]]]})"), 3).error(),
              core_errc::json_too_deep);
    EXPECT_EQ(read_json_object(json_request("{\"a\":\"\xc0\xaf\"}"), 16).error(),
              core_errc::invalid_json);
}

}  // namespace
}  // namespace warden::http
