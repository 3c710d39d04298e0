#pragma once
// The mails wardend sends ("verify your e-mail", "reset your password"): a subject, a text and an
// HTML template each, built in, and optionally overridden by files of a directory
// (`--mail-templates DIR`: verify.subject, verify.txt, verify.html, reset.subject, reset.txt,
// reset.html; each file present replaces that one part).
#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>

#include "app/mail/template_text.hpp"

namespace warden::app {

enum class mail_kind { verify_email, reset_password };
inline constexpr std::array all_mail_kinds{mail_kind::verify_email, mail_kind::reset_password};

/// The template name, also the file stem: `verify` or `reset`.
[[nodiscard]] std::string_view to_string(mail_kind kind) noexcept;

/// One mail's three parts, filled in.
struct rendered_mail {
    std::string subject;
    std::string text;
    std::string html;
};

class mail_templates {
  public:
    /// The built-in templates.
    [[nodiscard]] static mail_templates built_in();

    /// The built-in templates with the files of `directory` in place of the parts they name. A
    /// file absent: the built-in part. Errors (start-up errors: `*why` names the file):
    /// `mail_errc::bad_template` for a directory that cannot be read, a file that cannot be read,
    /// is over 64 KiB, not UTF-8, an empty subject or a subject of more than one line, or a file
    /// `NAME.subject|txt|html` whose NAME is not a template (a misspelt override would otherwise
    /// be ignored); `mail_errc::unknown_placeholder`. Other files are ignored.
    [[nodiscard]] static result<mail_templates> load(std::filesystem::path const& directory,
                                                     std::string* why);

    /// The mail of `kind` with `values` filled in (HTML-escaped in the HTML part).
    [[nodiscard]] rendered_mail render(mail_kind kind, mail_values const& values) const;

  private:
    struct parts {
        template_text subject;
        template_text text;
        template_text html;
    };
    explicit mail_templates(std::array<parts, 2> templates) : templates_(std::move(templates)) {}
    std::array<parts, 2> templates_;
};

}  // namespace warden::app
