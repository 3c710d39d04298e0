#include <gtest/gtest.h>

#include <string>
#include <warden/http/errc.hpp>
#include <warden/http/multipart.hpp>

namespace warden::http {
namespace {

/// A body as curl and requests write it: one part per field, CRLF everywhere.
std::string body_of(std::initializer_list<std::pair<std::string_view, std::string_view>> fields,
                    std::string_view boundary = "XyZ") {
    std::string out;
    for (auto const& [name, value] : fields) {
        out += "--" + std::string{boundary} + "\r\nContent-Disposition: form-data; name=\"" +
               std::string{name} + "\"\r\n\r\n" + std::string{value} + "\r\n";
    }
    return out + "--" + std::string{boundary} + "--\r\n";
}

TEST(form_data_boundary, reads_a_token_or_quoted_boundary) {
    EXPECT_EQ(
        form_data_boundary("multipart/form-data; boundary=------------------------d74496d66958873e")
            .value(),
        "------------------------d74496d66958873e");
    EXPECT_EQ(form_data_boundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\"").value(),
              "a b:c");
}

TEST(form_data_boundary, refuses_missing_repeated_and_invalid_boundaries) {
    for (std::string_view ct :
         {"multipart/form-data", "multipart/form-data;", "multipart/form-data; boundary=",
          "multipart/form-data; boundary=\"\"", "multipart/form-data; boundary=a; boundary=b",
          "multipart/form-data; boundary=\"ends in space \"",
          "multipart/form-data; boundary=\"a\r\nb\"", "multipart/form-data; boundary=\"a\\",
          "multipart/form-data; boundary=a{b}", "multipart/mixed; boundary=a"}) {
        EXPECT_EQ(form_data_boundary(ct).error(), errc::expected_form_data) << ct;
    }
    EXPECT_TRUE(form_data_boundary("multipart/form-data; boundary=" + std::string(70, 'b')));
    EXPECT_FALSE(form_data_boundary("multipart/form-data; boundary=" + std::string(71, 'b')));
}

TEST(parse_form_data, reads_text_fields) {
    auto const f = parse_form_data(
        body_of({{"username", "jo@example.com"}, {"password", "correct horse"}, {"scope", ""}}),
        "XyZ");
    ASSERT_TRUE(f.has_value()) << f.error().message();
    EXPECT_EQ(f->get("username"), "jo@example.com");
    EXPECT_EQ(f->get("password"), "correct horse");
    EXPECT_EQ(f->get("scope"), "");
    EXPECT_EQ(f->size(), 3U);
}

TEST(parse_form_data, keeps_values_byte_for_byte_up_to_the_crlf_delimiter) {
    std::string const value = std::string{"a\r\n-XyZ --XyZ\0\xff\r", 16} + "\nend";
    auto const f = parse_form_data(body_of({{"p", value}}), "XyZ");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->get("p"), value);
}

TEST(parse_form_data, accepts_other_part_headers_padding_and_no_final_crlf) {
    std::string const body =
        "--b  \r\ncontent-disposition: form-data; name=a; foo=\"x\"\r\nContent-Type: text/plain; "
        "charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\nX-Other: 1\r\n\r\n1\r\n--b--";
    auto const f = parse_form_data(body, "b");
    ASSERT_TRUE(f.has_value()) << f.error().message();
    EXPECT_EQ(f->get("a"), "1");
}

TEST(parse_form_data, accepts_a_body_without_parts) {
    EXPECT_EQ(parse_form_data("--b--\r\n", "b").value().size(), 0U);
}

TEST(parse_form_data, refuses_repeated_names_as_urlencoded_forms_do) {
    EXPECT_EQ(parse_form_data(body_of({{"username", "a"}, {"username", "b"}}), "XyZ").error(),
              errc::repeated_parameter);
}

TEST(parse_form_data, refuses_files_nested_multipart_and_parts_without_a_name) {
    for (std::string_view headers :
         {"Content-Disposition: form-data; name=\"f\"; filename=\"x.txt\"",
          "Content-Disposition: form-data; name=\"f\"; filename*=utf-8''x.txt",
          "Content-Disposition: form-data; name=\"f\"\r\nContent-Type: multipart/mixed; boundary=c",
          "Content-Disposition: form-data", "Content-Disposition: form-data; name=\"\"",
          "Content-Disposition: attachment; name=\"f\"", "Content-Type: text/plain",
          "Content-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; "
          "name=\"b\"",
          "Content-Disposition: form-data; name=\"a\"; name=\"b\"",
          "Content-Disposition: form-data; name=\"a",
          "Content-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64",
          "Content-Disposition : form-data; name=\"a\"", "No colon here"}) {
        std::string const body = "--b\r\n" + std::string{headers} + "\r\n\r\nvalue\r\n--b--\r\n";
        EXPECT_EQ(parse_form_data(body, "b").error(), errc::malformed_multipart) << headers;
    }
}

TEST(parse_form_data, refuses_broken_framing) {
    for (std::string_view body :
         {"", "preamble\r\n--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--",
          "--b\nContent-Disposition: form-data; name=a\n\n1\n--b--",     // bare LF
          "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n",  // no close delimiter
          "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1",      // truncated
          "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--junk",  // epilogue
          "--b\r\nContent-Disposition: form-data; name=a",  // headers never end
          "--b\r\n\r\n1\r\n--b--",                          // no headers
          "--bx\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--", "--b", "--b-"}) {
        EXPECT_EQ(parse_form_data(body, "b").error(), errc::malformed_multipart) << body;
    }
}

TEST(read_form, reads_multipart_and_urlencoded_alike) {
    request req{verb::post, "/api/auth/login", 11};
    req.set(field::content_type, "multipart/form-data; boundary=XyZ");
    req.body() = body_of({{"username", "a@b.co"}, {"password", "p w"}});
    auto const multipart = read_form(req);
    ASSERT_TRUE(multipart.has_value());
    EXPECT_EQ(multipart->get("username"), "a@b.co");
    EXPECT_EQ(multipart->get("password"), "p w");
}

}  // namespace
}  // namespace warden::http
