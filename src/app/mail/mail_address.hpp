#pragma once
// A mailbox for the From and To fields: an address that passes the e-mail rule
// (<warden/auth/email.hpp>) and is plain enough to stand in a header on its own, and an optional
// display name.
#include <string>
#include <string_view>

#include <warden/core/result.hpp>

namespace warden::app {

struct mail_address {
    std::string display_name;  ///< may be empty; any UTF-8 without control characters
    std::string address;       ///< `local@domain`, checked

    /// The part after the `@` (what logs show instead of the address).
    [[nodiscard]] std::string_view domain() const noexcept;
};

/// Checks a bare address: the e-mail rule, and a local part and domain of atext, dots and
/// non-ASCII UTF-8 only (no `:`, quotes, spaces or controls that a header could misread).
/// Errors: `mail_errc::bad_address`.
[[nodiscard]] result<mail_address> parse_address(std::string_view text);

/// Parses `local@domain` or `Display Name <local@domain>` (as `--mail-from` takes it).
/// Errors: `mail_errc::bad_address` (also for a display name with control characters).
[[nodiscard]] result<mail_address> parse_mailbox(std::string_view text);

/// The mailbox as a From/To field value: `local@domain`, or `Name <local@domain>` with the name
/// RFC 2047-encoded when it is not plain.
[[nodiscard]] std::string format_mailbox(mail_address const& mailbox);

}  // namespace warden::app
