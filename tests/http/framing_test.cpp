#include <gtest/gtest.h>

#include <boost/beast/http/error.hpp>
#include <cstring>
#include <string>
#include <warden/http/errc.hpp>
#include <warden/http/framing.hpp>

namespace warden::http {
namespace {

namespace bhttp = boost::beast::http;

/// Parses `bytes` as a request head under `limit`; the error of parse_head.
error_code parse(std::string_view bytes, std::size_t limit = 16 * 1024) {
    boost::beast::flat_buffer buffer;
    auto const out = buffer.prepare(bytes.size());
    std::memcpy(out.data(), bytes.data(), bytes.size());
    buffer.commit(bytes.size());
    request_parser parser;
    return parse_head(parser, buffer, limit);
}

TEST(head_size, counts_the_request_line_headers_and_the_empty_line) {
    std::string_view const head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    EXPECT_EQ(head_size(std::string{head} + "next request", 1024).value(), head.size());
    EXPECT_EQ(head_size(head, head.size()).value(), head.size());
}

TEST(head_size, refuses_a_head_one_byte_over_the_limit_complete_or_not) {
    std::string_view const head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    EXPECT_EQ(head_size(head, head.size() - 1).error(), bhttp::error::header_limit);
    EXPECT_EQ(head_size(head.substr(0, 10), 10).error(), bhttp::error::header_limit);
}

TEST(head_size, asks_for_more_while_the_head_could_still_fit) {
    EXPECT_EQ(head_size("GET / HTTP/1.1\r\nHost: x\r\n\r", 1024).error(), bhttp::error::need_more);
    EXPECT_EQ(head_size("", 1024).error(), bhttp::error::need_more);
}

TEST(parse_head, holds_the_limit_for_the_request_line_and_headers_together) {
    std::string head = "GET /" + std::string(500, 'p') + " HTTP/1.1\r\nHost: x\r\n";
    while (head.size() < 1000) head += "X-Pad: " + std::string(40, 'a') + "\r\n";
    head += "\r\n";
    EXPECT_FALSE(parse(head, head.size()));
    EXPECT_EQ(parse(head, head.size() - 1), bhttp::error::header_limit);
}

TEST(parse_head, refuses_transfer_codings_other_than_chunked_alone) {
    for (std::string_view te :
         {"identity", "compress", "xchunked", "chunked, identity", "identity, chunked",
          "chunked, chunked", "gzip, chunked", "", "chunked;x=1"}) {
        std::string const head =
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + std::string{te} + "\r\n\r\n";
        EXPECT_EQ(parse(head), errc::unsupported_transfer_coding) << te;
    }
    EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                    "identity\r\nTransfer-Encoding: chunked\r\n\r\n"),
              errc::unsupported_transfer_coding);
    EXPECT_FALSE(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"));
    EXPECT_FALSE(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: , chunked ,\r\n\r\n"));
}

TEST(parse_head, refuses_transfer_encoding_in_http_1_0) {
    EXPECT_EQ(
        parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"),
        errc::transfer_encoding_in_http10);
}

TEST(parse_head, refuses_transfer_encoding_with_content_length_in_either_order) {
    EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\nContent-Length: "
                    "5\r\n\r\n"),
              errc::transfer_encoding_with_content_length);
    EXPECT_TRUE(parse(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"));
    EXPECT_TRUE(parse(
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"));
}

TEST(parse_head, needs_exactly_one_host_in_http_1_1_and_never_two) {
    EXPECT_EQ(parse("GET / HTTP/1.1\r\n\r\n"), errc::bad_host);
    EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), errc::bad_host);
    EXPECT_EQ(parse("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n"), errc::bad_host);
    EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n"));
    EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
}

TEST(parse_head, refuses_a_host_that_is_not_host_and_port) {
    for (std::string_view host :
         {"lo\x9f\x8a\x8b\x9dost", "a b", "a/b", "a@b", "\"x\"", "a\\b", "<script>"}) {
        EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: " + std::string{host} + "\r\n\r\n"),
                  errc::bad_host)
            << host;
    }
    for (std::string_view host :
         {"localhost:8000", "127.0.0.1", "[::1]:8000", "api.example.com", ""}) {
        EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: " + std::string{host} + "\r\n\r\n")) << host;
    }
}

TEST(read_error_response, framing_faults_are_400_with_their_reason) {
    auto const res = read_error_response(errc::unsupported_transfer_coding);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result(), status::bad_request);
    EXPECT_NE(res->body().find("Transfer-Encoding"), std::string::npos);
    EXPECT_EQ(read_error_response(bhttp::error::header_limit)->result(),
              status::request_header_fields_too_large);
}

}  // namespace
}  // namespace warden::http
