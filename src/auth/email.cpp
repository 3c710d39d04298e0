#include <warden/auth/email.hpp>

#include <algorithm>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <warden/core/utf8.hpp>

namespace warden::auth {
namespace {

// Generous bound on the input before any work: decomposed forms are longer than the stored one.
constexpr std::size_t max_input_bytes = 1024;
constexpr std::size_t max_email_bytes = 254;
constexpr std::size_t max_local_bytes = 64;

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

/// Unicode full case folding, then NFC, as UTF-16. Input: valid UTF-8. A buffer that is too
/// small fails (and so refuses the address): the bounds are ICU's documented worst cases.
std::optional<std::u16string> fold_and_compose(std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    std::u16string source(utf8.size(), u'\0');
    int32_t source_length = 0;
    u_strFromUTF8(source.data(), static_cast<int32_t>(source.size()), &source_length, utf8.data(),
                  static_cast<int32_t>(utf8.size()), &status);
    // Full folding maps one code unit to at most three (U+0390 -> U+03B9 U+0308 U+0301).
    std::u16string folded(static_cast<std::size_t>(source_length) * 3, u'\0');
    auto const folded_length =
        u_strFoldCase(folded.data(), static_cast<int32_t>(folded.size()), source.data(),
                      source_length, U_FOLD_CASE_DEFAULT, &status);
    UNormalizer2 const* nfc = unorm2_getNFCInstance(&status);
    // NFC expands by at most 3x in UTF-16 (the Unicode normalization FAQ's bound).
    std::u16string composed(static_cast<std::size_t>(folded_length) * 3, u'\0');
    auto const composed_length =
        unorm2_normalize(nfc, folded.data(), folded_length, composed.data(),
                         static_cast<int32_t>(composed.size()), &status);
    if (U_FAILURE(status)) return std::nullopt;
    composed.resize(static_cast<std::size_t>(composed_length));
    return composed;
}

std::optional<std::string> to_utf8(std::u16string const& text) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(text.size() * 3, '\0');
    int32_t length = 0;
    u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &length, text.data(),
                static_cast<int32_t>(text.size()), &status);
    if (U_FAILURE(status)) return std::nullopt;
    out.resize(static_cast<std::size_t>(length));
    return out;
}

/// Invisible, bidi-control, separator, private-use or unassigned: nothing an address may hold.
bool is_refused_code_point(UChar32 c) {
    switch (u_charType(c)) {
        case U_CONTROL_CHAR:         // Cc, includes U+0085
        case U_FORMAT_CHAR:          // Cf: U+200B, U+202E, U+FEFF, ...
        case U_SPACE_SEPARATOR:      // Zs: U+00A0, U+3000, ...
        case U_LINE_SEPARATOR:       // Zl
        case U_PARAGRAPH_SEPARATOR:  // Zp
        case U_PRIVATE_USE_CHAR:     // Co
        case U_SURROGATE:            // Cs
        case U_UNASSIGNED:           // Cn: its folding could change with a later Unicode
            return true;
        default:
            return false;
    }
}

/// The byte-level syntax of the stored form (ASCII punctuation, lengths, labels).
bool has_address_syntax(std::string_view email) {
    if (email.empty() || email.size() > max_email_bytes) return false;
    auto const at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at > max_local_bytes ||
        email.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    for (char const ch : email) {
        auto const c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c == 0x7F || ch == '"' || ch == '<' || ch == '>' || ch == '\\' ||
            ch == ',' || ch == ';' || ch == '(' || ch == ')' || ch == '[' || ch == ']') {
            return false;
        }
    }
    auto const domain = email.substr(at + 1);
    if (domain.find('.') == std::string_view::npos) return false;
    // Labels: non-empty, not starting or ending with '-'.
    std::size_t start = 0;
    while (start <= domain.size()) {
        auto const dot = domain.find('.', start);
        auto const label = domain.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return email.front() != '.' && email.substr(0, at).back() != '.';
}

}  // namespace

std::optional<std::string> normalize_email(std::string_view email) {
    if (email.empty() || email.size() > max_input_bytes || !is_valid_utf8(email))
        return std::nullopt;
    // ASCII stays as written: the store already matches it ignoring ASCII case.
    if (is_ascii(email)) {
        if (!has_address_syntax(email)) return std::nullopt;
        return std::string{email};
    }
    auto const folded = fold_and_compose(email);
    if (!folded) return std::nullopt;
    for (std::size_t i = 0; i < folded->size();) {
        UChar32 c = 0;
        U16_NEXT(folded->data(), i, folded->size(), c);
        if (is_refused_code_point(c)) return std::nullopt;
    }
    auto stored = to_utf8(*folded);
    if (!stored || !has_address_syntax(*stored)) return std::nullopt;
    return stored;
}

bool is_valid_email(std::string_view email) { return normalize_email(email).has_value(); }

}  // namespace warden::auth
