#include "app/mail/quoted_printable.hpp"

namespace warden::app {
namespace {

constexpr std::size_t max_line = 76;

// Encodes one line (no line break in it) onto `out`, with soft breaks.
void encode_line(std::string_view line, std::string& out) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        auto const c = static_cast<unsigned char>(line[i]);
        bool const last = i + 1 == line.size();
        bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
        std::size_t width = literal ? 1 : 3;
        // Room for the piece and, unless it ends the line, the soft break's '='.
        if (column + width > (last ? max_line : max_line - 1)) {
            out += "=\r\n";
            column = 0;
        }
        // A '.' opening a line would be SMTP's end of data to a careless relay.
        if (c == '.' && column == 0) {
            literal = false;
            width = 3;
        }
        if (literal) {
            out += static_cast<char>(c);
        } else {
            out += '=';
            out += hex[c >> 4U];
            out += hex[c & 0x0FU];
        }
        column += width;
    }
}

}  // namespace

std::string quoted_printable(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != '\r' && text[i] != '\n') continue;
        encode_line(text.substr(start, i - start), out);
        if (i == text.size()) break;
        out += "\r\n";
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        start = i + 1;
    }
    return out;
}

}  // namespace warden::app
