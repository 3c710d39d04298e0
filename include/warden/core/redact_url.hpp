#pragma once
// Connection URLs in logs and error messages, without their secrets.
#include <string>
#include <string_view>

namespace warden {

/// The URL with the password of its user-info (`scheme://user:PASSWORD@host`) and the value of
/// any `password=` query parameter replaced by `***`, for logs (SPEC §5: logs never hold one).
[[nodiscard]] std::string redact_url(std::string_view url);

}  // namespace warden
