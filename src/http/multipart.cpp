#include <boost/beast/core/string.hpp>
#include <warden/http/errc.hpp>
#include <warden/http/multipart.hpp>

#include "http/content_type.hpp"

namespace warden::http {
namespace {

using boost::beast::iequals;

bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_tchar(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
}

/// One `; key=value` parameter list (RFC 9110 §5.6.6), read one parameter at a time.
class parameters {
  public:
    explicit parameters(std::string_view text) : rest_(text) {}

    /// The next parameter; false at the end or on bad syntax (then `failed()`).
    bool next(std::string_view& key, std::string& value) {
        rest_ = trim(rest_);
        if (rest_.empty()) return false;
        if (rest_.front() != ';') return fail();
        rest_ = trim(rest_.substr(1));
        auto const eq = rest_.find('=');
        if (eq == std::string_view::npos) return fail();
        key = rest_.substr(0, eq);
        if (key.empty()) return fail();
        for (char const c : key) {
            if (!is_tchar(c)) return fail();
        }
        rest_.remove_prefix(eq + 1);
        value.clear();
        if (!rest_.empty() && rest_.front() == '"') {  // quoted-string, `\` escapes one character
            std::size_t i = 1;
            for (; i < rest_.size() && rest_[i] != '"'; ++i) {
                if (rest_[i] == '\\' && ++i == rest_.size()) return fail();
                if (rest_[i] == '\r' || rest_[i] == '\n') return fail();
                value += rest_[i];
            }
            if (i == rest_.size()) return fail();
            rest_.remove_prefix(i + 1);
        } else {
            std::size_t i = 0;
            while (i < rest_.size() && is_tchar(rest_[i])) value += rest_[i++];
            if (value.empty()) return fail();
            rest_.remove_prefix(i);
        }
        return true;
    }

    [[nodiscard]] bool failed() const noexcept { return failed_; }

  private:
    bool fail() {
        failed_ = true;
        return false;
    }
    std::string_view rest_;
    bool failed_ = false;
};

bool valid_boundary(std::string_view b) noexcept {
    if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
    for (char const c : b) {
        bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') ||
                        std::string_view{"'()+_,-./:=? "}.find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

/// The field name of a part from its header block (the lines between the delimiter and the
/// empty line). Empty on any fault: no or two Content-Disposition, not form-data, no name, a
/// filename, a multipart Content-Type, an encoding other than the identity ones.
std::string part_name(std::string_view headers) {
    std::string name;
    bool disposition = false;
    while (!headers.empty()) {
        auto const eol = headers.find("\r\n");
        std::string_view const line = headers.substr(0, eol);
        headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
        auto const colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0 || is_space(line[colon - 1])) return {};
        std::string_view const key = line.substr(0, colon);
        std::string_view const value = trim(line.substr(colon + 1));
        if (iequals(key, "Content-Disposition")) {
            if (disposition) return {};
            disposition = true;
            auto const semi = value.find(';');
            if (!iequals(trim(value.substr(0, semi)), "form-data") ||
                semi == std::string_view::npos)
                return {};
            parameters params{value.substr(semi)};
            std::string_view param;
            std::string text;
            bool named = false;
            while (params.next(param, text)) {
                if (iequals(param, "filename") || iequals(param, "filename*")) return {};
                if (iequals(param, "name")) {
                    if (named) return {};
                    named = true;
                    name = text;
                }
            }
            if (params.failed() || !named || name.empty()) return {};
        } else if (iequals(key, "Content-Type")) {
            if (iequals(trim(value.substr(0, value.find('/'))), "multipart")) return {};
        } else if (iequals(key, "Content-Transfer-Encoding")) {
            // RFC 7578 §4.7: deprecated; only the identity encodings have a meaning we keep.
            if (!iequals(value, "binary") && !iequals(value, "8bit") && !iequals(value, "7bit"))
                return {};
        }
        // RFC 7578 §4.8: other header fields are ignored.
    }
    return disposition ? name : std::string{};
}

}  // namespace

result<std::string> form_data_boundary(std::string_view content_type) {
    auto const semi = content_type.find(';');
    if (!has_media_type(content_type, "multipart/form-data") || semi == std::string_view::npos) {
        return make_error_code(errc::expected_form_data);
    }
    parameters params{content_type.substr(semi)};
    std::string_view key;
    std::string value;
    std::string boundary;
    bool found = false;
    while (params.next(key, value)) {
        if (!iequals(key, "boundary")) continue;
        if (found) return make_error_code(errc::expected_form_data);
        found = true;
        boundary = value;
    }
    if (params.failed() || !found || !valid_boundary(boundary))
        return make_error_code(errc::expected_form_data);
    return boundary;
}

result<form> parse_form_data(std::string_view body, std::string_view boundary) {
    auto const malformed = make_error_code(errc::malformed_multipart);
    if (!valid_boundary(boundary)) return malformed;
    std::string const delimiter = "--" + std::string{boundary};
    std::string const next_delimiter = "\r\n" + delimiter;
    // No preamble: the body starts with the first delimiter.
    if (!body.starts_with(delimiter)) return malformed;
    std::size_t pos = delimiter.size();
    form out;
    while (true) {
        if (body.substr(pos, 2) == "--") {  // the close delimiter; nothing but a CRLF may follow
            auto const epilogue = body.substr(pos + 2);
            if (!epilogue.empty() && epilogue != "\r\n") return malformed;
            return out;
        }
        while (pos < body.size() && is_space(body[pos])) ++pos;  // RFC 2046 transport padding
        if (body.substr(pos, 2) != "\r\n") return malformed;
        pos += 2;
        auto const headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos || headers_end == pos) return malformed;
        auto const name = part_name(body.substr(pos, headers_end - pos));
        if (name.empty()) return malformed;
        auto const content = headers_end + 4;
        auto const end = body.find(next_delimiter, content);
        if (end == std::string_view::npos) return malformed;
        if (auto const added = out.add(name, body.substr(content, end - content)); added)
            return added;
        pos = end + next_delimiter.size();
    }
}

}  // namespace warden::http
