#include "app/mail/template_text.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include <warden/core/utf8.hpp>

#include "app/log_safe.hpp"
#include "app/mail/mail_errc.hpp"

namespace warden::app {
namespace {

std::string_view trim_spaces(std::string_view text) noexcept {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

std::string unit_text(long long count, std::string_view unit) {
    return fmt::format("{} {}{}", count, unit, count == 1 ? "" : "s");
}

}  // namespace

std::string expires_in_text(std::chrono::seconds duration) {
    auto const seconds = static_cast<long long>(duration.count());
    constexpr long long minute = 60;
    constexpr long long hour = 60 * minute;
    constexpr long long day = 24 * hour;
    if (seconds >= 2 * day && seconds % day == 0) return unit_text(seconds / day, "day");
    if (seconds >= hour && seconds % hour == 0) return unit_text(seconds / hour, "hour");
    if (seconds >= minute && seconds % minute == 0) return unit_text(seconds / minute, "minute");
    return unit_text(seconds, "second");
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char const c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

result<template_text> template_text::parse(std::string_view text, std::string* why) {
    static constexpr std::array<std::pair<std::string_view, placeholder>, 4> names{{
        {"email", placeholder::email},
        {"link", placeholder::link},
        {"token", placeholder::token},
        {"expires_in", placeholder::expires_in},
    }};
    if (!is_valid_utf8(text)) {
        if (why != nullptr) *why = "the text is not valid UTF-8";
        return mail_errc::bad_template;
    }
    template_text parsed;
    std::size_t at = 0;
    for (;;) {
        auto const open = text.find("{{", at);
        if (open == std::string_view::npos) {
            parsed.segments_.push_back({std::string{text.substr(at)}, std::nullopt});
            return parsed;
        }
        auto const close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            if (why != nullptr) *why = "a {{ without a closing }}";
            return mail_errc::bad_template;
        }
        auto const name = trim_spaces(text.substr(open + 2, close - open - 2));
        auto const known = std::find_if(names.begin(), names.end(),
                                        [&](auto const& entry) { return entry.first == name; });
        if (known == names.end()) {
            if (why != nullptr) {
                *why = fmt::format(
                    "unknown placeholder {{{{{}}}}} (known: {{{{email}}}}, "
                    "{{{{link}}}}, {{{{token}}}}, {{{{expires_in}}}})",
                    log_safe(name.substr(0, 40)));
            }
            return mail_errc::unknown_placeholder;
        }
        parsed.segments_.push_back({std::string{text.substr(at, open - at)}, known->second});
        at = close + 2;
    }
}

std::string template_text::render(mail_values const& values, escaping mode) const {
    std::string out;
    for (auto const& part : segments_) {
        out += part.literal;
        if (!part.value) continue;
        std::string const* value = nullptr;
        switch (*part.value) {
            case placeholder::email:
                value = &values.email;
                break;
            case placeholder::link:
                value = &values.link;
                break;
            case placeholder::token:
                value = &values.token;
                break;
            case placeholder::expires_in:
                value = &values.expires_in;
                break;
        }
        out += mode == escaping::html ? html_escape(*value) : *value;
    }
    return out;
}

}  // namespace warden::app
