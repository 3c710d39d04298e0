#include "app/mail/header_text.hpp"

#include <warden/core/utf8.hpp>

#include "app/mail/mail_errc.hpp"

namespace warden::app {
namespace {

constexpr std::size_t max_line = 78;
// "=?UTF-8?Q?" + payload + "?=": 12 characters around at most 56 of payload keeps each word at
// 68 and a line with "Subject: " in front under 78.
constexpr std::string_view word_prefix = "=?UTF-8?Q?";
constexpr std::string_view word_suffix = "?=";
constexpr std::size_t max_payload = 56;

// RFC 2047 §5 (3): the characters an encoded-word in a phrase may carry literally; the same set
// is safe in unstructured text, so one encoder serves both.
bool is_literal_in_word(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' ||
           c == '*' || c == '+' || c == '-' || c == '/';
}

// RFC 5322 atext plus the space: what a display name may hold without quoting.
bool is_plain_phrase_char(unsigned char c) noexcept {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    return std::string_view{" !#$%&'*+-/=?^_`{|}~"}.find(static_cast<char>(c)) !=
           std::string_view::npos;
}

// The length of the UTF-8 sequence starting with `lead` (the text is known to be valid).
std::size_t sequence_length(unsigned char lead) noexcept {
    if (lead < 0x80) return 1;
    if (lead < 0xE0) return 2;
    if (lead < 0xF0) return 3;
    return 4;
}

// Encoded-words for `text`, each holding whole characters, separated by a folding "\r\n ".
std::string encoded_words(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    std::string payload;
    auto const flush = [&] {
        if (payload.empty()) return;
        if (!out.empty()) out += "\r\n ";
        out += word_prefix;
        out += payload;
        out += word_suffix;
        payload.clear();
    };
    for (std::size_t i = 0; i < text.size();) {
        auto const length = sequence_length(static_cast<unsigned char>(text[i]));
        std::string piece;
        for (std::size_t k = 0; k < length; ++k) {
            auto const c = static_cast<unsigned char>(text[i + k]);
            if (c == ' ') {
                piece += '_';
            } else if (is_literal_in_word(c)) {
                piece += static_cast<char>(c);
            } else {
                piece += '=';
                piece += hex[c >> 4U];
                piece += hex[c & 0x0FU];
            }
        }
        if (payload.size() + piece.size() > max_payload) flush();
        payload += piece;
        i += length;
    }
    flush();
    return out;
}

}  // namespace

bool is_header_safe(std::string_view text) noexcept {
    if (!is_valid_utf8(text)) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto const c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F) return false;
        // C1 controls U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8.
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            return false;
        }
    }
    return true;
}

result<std::string> encode_unstructured(std::string_view text, std::size_t name_length) {
    if (!is_header_safe(text)) return mail_errc::bad_header_text;
    if (text.empty()) return std::string{};
    bool plain = text.find("=?") == std::string_view::npos &&
                 name_length + 2 + text.size() <= max_line && text.front() != ' ';
    for (char const c : text) plain = plain && static_cast<unsigned char>(c) < 0x80;
    if (plain) return std::string{text};
    return encoded_words(text);
}

result<std::string> encode_phrase(std::string_view text) {
    if (text.empty() || !is_header_safe(text)) return mail_errc::bad_header_text;
    bool plain = text.find("=?") == std::string_view::npos && text.front() != ' ' &&
                 text.back() != ' ' && text.find("  ") == std::string_view::npos &&
                 text.size() <= max_payload;
    for (char const c : text) plain = plain && is_plain_phrase_char(static_cast<unsigned char>(c));
    if (plain) return std::string{text};
    return encoded_words(text);
}

}  // namespace warden::app
