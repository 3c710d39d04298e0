#pragma once
#include <string_view>

namespace warden::http {

/// True if the Content-Type's media type (before any `;` parameters, ignoring case and
/// surrounding spaces) is `expected`.
[[nodiscard]] bool has_media_type(std::string_view content_type,
                                  std::string_view expected) noexcept;

}  // namespace warden::http
