#pragma once
// A small reader of the messages the mail code writes, for the tests: unfolded header fields,
// the multipart/alternative parts decoded (quoted-printable), RFC 2047 Q words decoded.
#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::test {

inline bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

inline int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw std::runtime_error("bad hex digit");
}

/// Quoted-printable to bytes; hard line breaks come out as CRLF.
inline std::string decode_quoted_printable(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '=') {
            out += text[i];
            continue;
        }
        if (text.substr(i + 1, 2) == "\r\n") {
            i += 2;
            continue;
        }
        if (i + 2 >= text.size()) throw std::runtime_error("truncated =XX");
        out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
        i += 2;
    }
    return out;
}

/// An unfolded header value with its `=?UTF-8?Q?...?=` words decoded (the space between two
/// words dropped, as RFC 2047 §6.2 says).
inline std::string decode_header_value(std::string_view value) {
    std::string out;
    bool previous_word = false;
    std::size_t word_end = 0;
    std::size_t i = 0;
    while (i < value.size()) {
        if (value.substr(i, 10) == "=?UTF-8?Q?") {
            auto const end = value.find("?=", i + 10);
            if (end == std::string_view::npos) throw std::runtime_error("open encoded word");
            auto const payload = value.substr(i + 10, end - i - 10);
            if (previous_word) out.resize(word_end);  // drop the folding space between words
            for (std::size_t k = 0; k < payload.size(); ++k) {
                if (payload[k] == '_') {
                    out += ' ';
                } else if (payload[k] == '=') {
                    out += static_cast<char>(hex_value(payload[k + 1]) * 16 +
                                             hex_value(payload[k + 2]));
                    k += 2;
                } else {
                    out += payload[k];
                }
            }
            i = end + 2;
            previous_word = true;
            word_end = out.size();
            continue;
        }
        if (value[i] != ' ') previous_word = false;
        out += value[i++];
    }
    return out;
}

struct parsed_headers {
    std::vector<std::pair<std::string, std::string>> fields;  // unfolded, raw values

    [[nodiscard]] std::size_t count(std::string_view name) const {
        return static_cast<std::size_t>(std::count_if(
            fields.begin(), fields.end(), [&](auto const& f) { return iequals(f.first, name); }));
    }
    /// The first field's raw value, "" when absent.
    [[nodiscard]] std::string raw(std::string_view name) const {
        for (auto const& f : fields) {
            if (iequals(f.first, name)) return f.second;
        }
        return {};
    }
    /// The decoded value.
    [[nodiscard]] std::string get(std::string_view name) const {
        return decode_header_value(raw(name));
    }
};

/// Header fields up to the empty line; throws on a line without a colon.
inline parsed_headers parse_headers(std::string_view block) {
    parsed_headers out;
    std::size_t at = 0;
    while (at < block.size()) {
        auto end = block.find("\r\n", at);
        if (end == std::string_view::npos) end = block.size();
        auto const line = block.substr(at, end - at);
        at = end + 2;
        if (line.empty()) break;
        if (line.front() == ' ' || line.front() == '\t') {
            if (out.fields.empty()) throw std::runtime_error("continuation first");
            out.fields.back().second += std::string{line};
            continue;
        }
        auto const colon = line.find(':');
        if (colon == std::string_view::npos) throw std::runtime_error("header without colon");
        auto value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        out.fields.emplace_back(std::string{line.substr(0, colon)}, std::string{value});
    }
    return out;
}

struct parsed_mail {
    parsed_headers headers;
    std::string text;  // decoded text/plain part
    std::string html;  // decoded text/html part
};

inline parsed_mail parse_mail(std::string_view raw) {
    auto const split = raw.find("\r\n\r\n");
    if (split == std::string_view::npos) throw std::runtime_error("no empty line");
    parsed_mail mail{parse_headers(raw.substr(0, split + 2)), {}, {}};
    auto const type = mail.headers.raw("Content-Type");
    auto const b = type.find("boundary=\"");
    if (b == std::string::npos) throw std::runtime_error("no boundary");
    auto const boundary = "--" + type.substr(b + 10, type.find('"', b + 10) - b - 10);
    auto body = raw.substr(split + 4);
    std::size_t at = 0;
    for (;;) {
        auto const start = body.find(boundary, at);
        if (start == std::string_view::npos) throw std::runtime_error("no closing boundary");
        auto const after = start + boundary.size();
        if (body.substr(after, 2) == "--") break;
        auto const next = body.find(boundary, after);
        auto const part = body.substr(after + 2, next - after - 2);
        auto const part_split = part.find("\r\n\r\n");
        auto const part_headers = parse_headers(part.substr(0, part_split + 2));
        auto content = part.substr(part_split + 4);
        if (content.size() >= 2 && content.substr(content.size() - 2) == "\r\n")
            content.remove_suffix(2);
        auto const decoded = decode_quoted_printable(content);
        auto const part_type = part_headers.raw("Content-Type");
        if (part_type.rfind("text/plain", 0) == 0) mail.text = decoded;
        if (part_type.rfind("text/html", 0) == 0) mail.html = decoded;
        at = next;
    }
    return mail;
}

}  // namespace warden::test
