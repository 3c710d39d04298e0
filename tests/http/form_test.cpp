#include <warden/http/form.hpp>

#include <gtest/gtest.h>

#include <warden/http/errc.hpp>

namespace warden::http {
namespace {

request form_request(std::string body,
                     std::string_view content_type = "application/x-www-form-urlencoded") {
    request req{verb::post, "/api/auth/login", 11};
    if (!content_type.empty()) req.set(field::content_type, content_type);
    req.body() = std::move(body);
    return req;
}

TEST(form_parse, decodes_plus_as_space_and_percent_escapes) {
    auto const f = form::parse("username=a%40b.c&password=p+w%2Bd%20x&scope=read+write");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->get("username"), "a@b.c");
    EXPECT_EQ(f->get("password"), "p w+d x");
    EXPECT_EQ(f->get("scope"), "read write");
    EXPECT_EQ(f->size(), 3U);
}

TEST(form_parse, distinguishes_empty_from_absent) {
    auto const f = form::parse("a=&b");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->get("a"), "");
    EXPECT_EQ(f->get("b"), "");
    EXPECT_FALSE(f->get("c").has_value());
}

TEST(form_parse, accepts_an_empty_body_and_stray_ampersands) {
    auto const empty = form::parse("");
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(empty->size(), 0U);
    auto const stray = form::parse("&a=1&&b=2&");
    ASSERT_TRUE(stray.has_value());
    EXPECT_EQ(stray->get("a"), "1");
    EXPECT_EQ(stray->get("b"), "2");
}

TEST(form_parse, rejects_repeated_parameters) {
    EXPECT_EQ(form::parse("username=a&username=b").error(), errc::repeated_parameter);
    EXPECT_EQ(form::parse("a=1&a=1").error(), errc::repeated_parameter);
}

TEST(form_parse, rejects_bad_escapes) {
    EXPECT_EQ(form::parse("a=%zz").error(), errc::malformed_form);
    EXPECT_EQ(form::parse("a=%4").error(), errc::malformed_form);
    EXPECT_EQ(form::parse("a=b c").error(), errc::malformed_form);
}

TEST(form_parse, stops_at_the_end_of_the_view) {
    std::string const target = "limit=2&offset=0 HTTP/1.1\r\nContent-Length: 40\r\n";
    auto const f = form::parse(std::string_view{target}.substr(0, 16));
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->get("limit"), "2");
    EXPECT_EQ(f->get("offset"), "0");
    EXPECT_EQ(f->size(), 2U);
}

TEST(form_parse, keeps_decoded_bytes_as_they_are) {
    auto const f = form::parse("p=%00x&q=%C3%A9");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->get("p"), std::string_view("\0x", 2));
    EXPECT_EQ(f->get("q"), "\xc3\xa9");
}

TEST(read_form, needs_the_form_content_type) {
    EXPECT_TRUE(read_form(form_request("a=1")).has_value());
    EXPECT_TRUE(read_form(form_request("a=1", "Application/X-WWW-Form-Urlencoded; charset=UTF-8"))
                    .has_value());
    EXPECT_EQ(read_form(form_request("a=1", "application/json")).error(), errc::expected_form);
    EXPECT_EQ(read_form(form_request("a=1", "")).error(), errc::expected_form);
    EXPECT_EQ(read_form(form_request("", "")).value().size(), 0U);  // no body, no type: empty form
    EXPECT_EQ(read_form(form_request("a=1", "multipart/form-data; boundary=x")).error(),
              errc::malformed_multipart);
    EXPECT_EQ(read_form(form_request("a=1", "multipart/form-data")).error(),
              errc::expected_form_data);
    EXPECT_EQ(read_form(form_request("a=1", "multipart/mixed; boundary=x")).error(),
              errc::expected_form);
    EXPECT_EQ(read_form(form_request("a=1", "application/x-www-form-urlencodedx")).error(),
              errc::expected_form);
}

}  // namespace
}  // namespace warden::http
