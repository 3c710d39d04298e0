#pragma once
// Why a mail could not be composed or sent. Composing errors mean the input was refused (nothing
// is sent); sending errors come from the SMTP transport.
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::app {

enum class mail_errc {
    bad_address = 1,      ///< not an acceptable e-mail address (or display name)
    bad_header_text,      ///< a subject with control characters or invalid UTF-8
    bad_body,             ///< a body that is not valid UTF-8
    bad_template,         ///< a template override that is unreadable, not UTF-8 or malformed
    unknown_placeholder,  ///< a template names a `{{placeholder}}` that does not exist
    send_failed,          ///< the SMTP server could not be reached or refused for now (retried)
    rejected,             ///< the SMTP server refused the mail for good (5xx; not retried)
    aborted,              ///< the sending was stopped (shutdown)
};

/// The category of `mail_errc`; composing errors map onto `condition::invalid_request`,
/// sending errors onto `condition::unavailable`.
[[nodiscard]] boost::system::error_category const& mail_category() noexcept;

[[nodiscard]] inline error_code make_error_code(mail_errc e) noexcept {
    return {static_cast<int>(e), mail_category()};
}

}  // namespace warden::app

template <>
struct boost::system::is_error_code_enum<warden::app::mail_errc> : std::true_type {};
