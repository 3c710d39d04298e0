#include "app/mail/mail_templates.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

#include <fmt/format.h>

#include "app/log_safe.hpp"
#include "app/mail/header_text.hpp"
#include "app/mail/mail_errc.hpp"

namespace warden::app {
namespace {

constexpr std::uintmax_t max_template_bytes = 64 * 1024;

struct built_in_text {
    std::string_view subject;
    std::string_view text;
    std::string_view html;
};

constexpr built_in_text verify_text{"Verify your e-mail address",
                                    R"(Hello,

please confirm that {{email}} is your e-mail address by opening this link:

{{link}}

An application may ask you for this code instead:

{{token}}

The link and the code expire in {{expires_in}}. If you did not ask for this, ignore this mail.
)",
                                    R"(<!DOCTYPE html>
<html><body>
<p>Hello,</p>
<p>please confirm that {{email}} is your e-mail address:</p>
<p><a href="{{link}}">Verify my e-mail address</a></p>
<p>An application may ask you for this code instead:<br><code>{{token}}</code></p>
<p>The link and the code expire in {{expires_in}}. If you did not ask for this, ignore this mail.</p>
</body></html>
)"};

constexpr built_in_text reset_text{"Reset your password",
                                   R"(Hello,

someone asked to reset the password of the account {{email}}. To choose a new password, open
this link:

{{link}}

An application may ask you for this code instead:

{{token}}

The link and the code expire in {{expires_in}}. If you did not ask for this, ignore this mail:
your password stays as it is.
)",
                                   R"(<!DOCTYPE html>
<html><body>
<p>Hello,</p>
<p>someone asked to reset the password of the account {{email}}.</p>
<p><a href="{{link}}">Choose a new password</a></p>
<p>An application may ask you for this code instead:<br><code>{{token}}</code></p>
<p>The link and the code expire in {{expires_in}}. If you did not ask for this, ignore this mail:
your password stays as it is.</p>
</body></html>
)"};

template_text parse_built_in(std::string_view text) {
    // The built-in texts name known placeholders only (tests render every one).
    return template_text::parse(text, nullptr).value();
}

std::size_t index_of(mail_kind kind) noexcept { return kind == mail_kind::verify_email ? 0 : 1; }

// Reads an override file; errors name it.
result<std::string> read_template_file(std::filesystem::path const& file, std::string* why) {
    std::error_code ec;
    auto const size = std::filesystem::file_size(file, ec);
    if (ec || !std::filesystem::is_regular_file(file, ec)) {
        if (why != nullptr) *why = fmt::format("{}: not a readable file", file.string());
        return mail_errc::bad_template;
    }
    if (size > max_template_bytes) {
        if (why != nullptr)
            *why = fmt::format("{}: {} bytes; at most {}", file.string(), size, max_template_bytes);
        return mail_errc::bad_template;
    }
    std::ifstream in{file, std::ios::binary};
    std::string text{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
    if (!in && !in.eof()) {
        if (why != nullptr) *why = fmt::format("{}: cannot be read", file.string());
        return mail_errc::bad_template;
    }
    return text;
}

// A subject file holds one line; its final line break (LF or CRLF) is not part of it.
result<std::string> subject_line(std::string text, std::filesystem::path const& file,
                                 std::string* why) {
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty() || !is_header_safe(text)) {
        if (why != nullptr) {
            *why = fmt::format("{}: a subject is one line of text without control characters",
                               file.string());
        }
        return mail_errc::bad_template;
    }
    return text;
}

}  // namespace

std::string_view to_string(mail_kind kind) noexcept {
    return kind == mail_kind::verify_email ? "verify" : "reset";
}

mail_templates mail_templates::built_in() {
    std::array<parts, 2> templates{
        parts{parse_built_in(verify_text.subject), parse_built_in(verify_text.text),
              parse_built_in(verify_text.html)},
        parts{parse_built_in(reset_text.subject), parse_built_in(reset_text.text),
              parse_built_in(reset_text.html)}};
    return mail_templates{std::move(templates)};
}

result<mail_templates> mail_templates::load(std::filesystem::path const& directory,
                                            std::string* why) {
    auto loaded = built_in();
    std::error_code ec;
    std::filesystem::directory_iterator entries{directory, ec};
    if (ec) {
        if (why != nullptr) {
            *why = fmt::format("--mail-templates {}: cannot read the directory ({})",
                               directory.string(), ec.message());
        }
        return mail_errc::bad_template;
    }
    for (auto const& entry : entries) {
        auto const file = entry.path();
        auto const extension = file.extension().string();
        if (extension != ".subject" && extension != ".txt" && extension != ".html") continue;
        auto const stem = file.stem().string();
        auto const kind = std::find_if(all_mail_kinds.begin(), all_mail_kinds.end(),
                                       [&](mail_kind k) { return to_string(k) == stem; });
        if (kind == all_mail_kinds.end()) {
            if (why != nullptr) {
                *why = fmt::format("{}: no template is called {} (the templates: verify, reset)",
                                   file.string(), log_safe(stem));
            }
            return mail_errc::bad_template;
        }
        auto text = read_template_file(file, why);
        if (!text) return text.error();
        if (extension == ".subject") {
            text = subject_line(std::move(*text), file, why);
            if (!text) return text.error();
        }
        std::string detail;
        auto parsed = template_text::parse(*text, &detail);
        if (!parsed) {
            if (why != nullptr) *why = fmt::format("{}: {}", file.string(), detail);
            return parsed.error();
        }
        auto& target = loaded.templates_[index_of(*kind)];
        (extension == ".subject" ? target.subject
         : extension == ".txt"   ? target.text
                                 : target.html) = std::move(*parsed);
    }
    return loaded;
}

rendered_mail mail_templates::render(mail_kind kind, mail_values const& values) const {
    auto const& chosen = templates_[index_of(kind)];
    return {chosen.subject.render(values, template_text::escaping::none),
            chosen.text.render(values, template_text::escaping::none),
            chosen.html.render(values, template_text::escaping::html)};
}

}  // namespace warden::app
