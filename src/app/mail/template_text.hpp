#pragma once
// One template's text with `{{placeholder}}`s, parsed once (an unknown placeholder is an error at
// start-up, not a surprise in a mail) and filled per mail, HTML-escaped for the HTML part.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>

namespace warden::app {

/// What a mail template may name: `{{email}}`, `{{link}}`, `{{token}}`, `{{expires_in}}`.
struct mail_values {
    std::string email;       ///< the recipient's address
    std::string link;        ///< the link under --public-url that carries the token
    std::string token;       ///< the token itself, for API clients
    std::string expires_in;  ///< how long the token is valid, in words (`expires_in_text`)
};

/// `24 hours`, `1 hour`, `30 minutes`, `3 days`, `45 seconds`: the largest unit that divides
/// the duration exactly (days only from 2 days on).
[[nodiscard]] std::string expires_in_text(std::chrono::seconds duration);

/// `&`, `<`, `>`, `"` and `'` as HTML character references.
[[nodiscard]] std::string html_escape(std::string_view text);

class template_text {
  public:
    enum class escaping { none, html };

    /// Parses `text`: literal text and placeholders written `{{name}}` (spaces inside the braces
    /// allowed). Errors: `mail_errc::unknown_placeholder` (an unknown name; `*why` names it),
    /// `mail_errc::bad_template` (a `{{` without `}}`, invalid UTF-8).
    [[nodiscard]] static result<template_text> parse(std::string_view text, std::string* why);

    /// The text with every placeholder replaced by its value (HTML-escaped with `html`).
    [[nodiscard]] std::string render(mail_values const& values, escaping mode) const;

  private:
    enum class placeholder { email, link, token, expires_in };
    struct segment {
        std::string literal;
        std::optional<placeholder> value;  // after the literal
    };
    std::vector<segment> segments_;
};

}  // namespace warden::app
