#include "app/mail/mail_errc.hpp"

#include <string>

namespace warden::app {
namespace {

class mail_category_impl final : public boost::system::error_category {
  public:
    // A fixed id so codes compare equal across shared-library boundaries.
    constexpr mail_category_impl() noexcept : error_category(0x3c51e0a7d29b4f86ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.app.mail"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<mail_errc>(value)) {
            case mail_errc::bad_address:
                return "not an acceptable e-mail address";
            case mail_errc::bad_header_text:
                return "header text with control characters or invalid UTF-8";
            case mail_errc::bad_body:
                return "mail body is not valid UTF-8";
            case mail_errc::bad_template:
                return "unusable mail template";
            case mail_errc::unknown_placeholder:
                return "unknown placeholder in a mail template";
            case mail_errc::send_failed:
                return "the mail could not be sent (will be retried)";
            case mail_errc::rejected:
                return "the SMTP server refused the mail";
            case mail_errc::aborted:
                return "sending was stopped";
        }
        return "unknown mail error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        switch (static_cast<mail_errc>(value)) {
            case mail_errc::bad_address:
            case mail_errc::bad_header_text:
            case mail_errc::bad_body:
                return condition::invalid_request;
            case mail_errc::bad_template:
            case mail_errc::unknown_placeholder:
                return condition::invalid_configuration;
            case mail_errc::send_failed:
            case mail_errc::rejected:
            case mail_errc::aborted:
                return condition::unavailable;
        }
        return {value, *this};
    }
};

}  // namespace

boost::system::error_category const& mail_category() noexcept {
    static constexpr mail_category_impl instance;
    return instance;
}

}  // namespace warden::app
