#include <warden/http/errc.hpp>

#include <string>

namespace warden::http {
namespace {

class http_category_impl final : public boost::system::error_category {
  public:
    constexpr http_category_impl() noexcept : error_category(0x9a6e3d1c5b7f2080ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.http"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
            case errc::expected_form:
                return "Unsupported media type: send application/x-www-form-urlencoded or "
                       "multipart/form-data";
            case errc::expected_json:
                return "Unsupported media type: send application/json";
            case errc::malformed_form:
                return "Malformed form body";
            case errc::repeated_parameter:
                return "A form parameter is repeated";
            case errc::body_not_object:
                return "The body must be a JSON object";
            case errc::bad_host:
                return "An HTTP/1.1 request needs exactly one valid Host header";
            case errc::unsupported_transfer_coding:
                return "Unsupported Transfer-Encoding: only chunked";
            case errc::transfer_encoding_in_http10:
                return "Transfer-Encoding is not allowed in HTTP/1.0";
            case errc::transfer_encoding_with_content_length:
                return "Transfer-Encoding and Content-Length together";
            case errc::expected_form_data:
                return "multipart/form-data needs a valid boundary parameter";
            case errc::malformed_multipart:
                return "Malformed multipart/form-data body";
        }
        return "unknown http error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        switch (static_cast<errc>(value)) {
            case errc::expected_form:
            case errc::expected_json:
            case errc::malformed_form:
            case errc::repeated_parameter:
            case errc::body_not_object:
            case errc::bad_host:
            case errc::unsupported_transfer_coding:
            case errc::transfer_encoding_in_http10:
            case errc::transfer_encoding_with_content_length:
            case errc::expected_form_data:
            case errc::malformed_multipart:
                return condition::invalid_request;
        }
        return {value, *this};
    }
};

}  // namespace

boost::system::error_category const& http_category() noexcept {
    static constexpr http_category_impl instance;
    return instance;
}

}  // namespace warden::http
