#pragma once
// The link a mail carries: `<public-url>/verify-email?token=T` or
// `<public-url>/reset-password?token=T`, the token percent-encoded.
#include <string>
#include <string_view>

#include "app/mail/mail_templates.hpp"

namespace warden::app {

/// The link for `kind` under `public_url` (a trailing `/` of it is not doubled).
[[nodiscard]] std::string mail_link(std::string_view public_url, mail_kind kind,
                                    std::string_view token);

}  // namespace warden::app
