#pragma once
#include <string>

namespace warden::http {

/// Replaces every byte of `text` that is not part of a well-formed UTF-8 sequence (RFC 3629: no
/// overlongs, surrogates or code points past U+10FFFF) by U+FFFD. Valid text is unchanged.
void replace_invalid_utf8(std::string& text);

}  // namespace warden::http
