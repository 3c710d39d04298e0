#include "app/mail/mail_address.hpp"

#include <warden/auth/email.hpp>

#include "app/mail/header_text.hpp"
#include "app/mail/mail_errc.hpp"

namespace warden::app {
namespace {

// RFC 5322 atext, the dot between atoms, and RFC 6532's UTF-8 (any byte >= 0x80; the e-mail
// rule has already refused invalid UTF-8 and non-ASCII controls and spaces).
bool is_address_char(unsigned char c) noexcept {
    if (c >= 0x80) return true;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    return std::string_view{".!#$%&'*+-/=?^_`{|}~@"}.find(static_cast<char>(c)) !=
           std::string_view::npos;
}

}  // namespace

std::string_view mail_address::domain() const noexcept {
    auto const at = address.rfind('@');
    return at == std::string::npos ? std::string_view{} : std::string_view{address}.substr(at + 1);
}

result<mail_address> parse_address(std::string_view text) {
    if (!auth::is_valid_email(text)) return mail_errc::bad_address;
    for (char const c : text) {
        if (!is_address_char(static_cast<unsigned char>(c))) return mail_errc::bad_address;
    }
    return mail_address{{}, std::string{text}};
}

result<mail_address> parse_mailbox(std::string_view text) {
    if (text.empty() || text.back() != '>') return parse_address(text);
    auto const open = text.rfind('<');
    if (open == std::string_view::npos) return mail_errc::bad_address;
    auto name = text.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    // A quoted display name is taken without its quotes (no escapes inside).
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
        name = name.substr(1, name.size() - 2);
        if (name.find('"') != std::string_view::npos) return mail_errc::bad_address;
    }
    if (name.empty() || !is_header_safe(name)) return mail_errc::bad_address;
    auto parsed = parse_address(text.substr(open + 1, text.size() - open - 2));
    if (!parsed) return parsed.error();
    parsed->display_name = std::string{name};
    return parsed;
}

std::string format_mailbox(mail_address const& mailbox) {
    if (mailbox.display_name.empty()) return mailbox.address;
    auto name = encode_phrase(mailbox.display_name);
    // parse_mailbox checked the name; a name set by hand that fails is left out, never raw.
    if (!name) return mailbox.address;
    return *name + " <" + mailbox.address + ">";
}

}  // namespace warden::app
