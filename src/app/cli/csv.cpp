#include "app/cli/csv.hpp"

#include <fmt/format.h>

#include <boost/system/errc.hpp>

namespace warden::app::cli {
namespace {

error_code syntax_error(std::string* why, std::size_t line, std::string_view what) {
    if (why != nullptr) *why = fmt::format("line {}: {}", line, what);
    return make_error_code(boost::system::errc::invalid_argument);
}

/// A line break at `i` (CRLF or LF): its length, else 0.
std::size_t line_break_at(std::string_view text, std::size_t i) noexcept {
    if (text[i] == '\n') return 1;
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') return 2;
    return 0;
}

}  // namespace

result<std::vector<csv_record>> parse_csv(std::string_view text, std::string* why) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<csv_record> records;
    std::size_t line = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        if (auto const n = line_break_at(text, i); n > 0) {  // an empty line: skipped
            i += n;
            ++line;
            continue;
        }
        csv_record record{line, {}};
        bool end_of_record = false;
        while (!end_of_record) {
            std::string field;
            if (i < text.size() && text[i] == '"') {
                std::size_t const opened_on = line;
                ++i;
                for (;;) {
                    if (i == text.size())
                        return syntax_error(why, opened_on, "a quoted field is never closed");
                    if (text[i] == '"') {
                        if (i + 1 < text.size() && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (text[i] == '\n') ++line;
                    field += text[i++];
                }
                if (i < text.size() && text[i] != ',' && line_break_at(text, i) == 0) {
                    return syntax_error(
                        why, line, "a closing quote must be followed by a comma or a line end");
                }
            } else {
                while (i < text.size() && text[i] != ',' && line_break_at(text, i) == 0) {
                    if (text[i] == '"') {
                        return syntax_error(
                            why, line,
                            "a quote inside an unquoted field (quote the whole field "
                            "and double the quote)");
                    }
                    if (text[i] == '\r')
                        return syntax_error(why, line, "a carriage return without a line feed");
                    field += text[i++];
                }
            }
            record.fields.push_back(std::move(field));
            if (i < text.size() && text[i] == ',') {
                ++i;
                continue;
            }
            end_of_record = true;
            if (i < text.size()) {
                i += line_break_at(text, i);
                ++line;
            }
        }
        if (!records.empty() && record.fields.size() != records.front().fields.size()) {
            return syntax_error(why, record.line,
                                fmt::format("{} fields where the header has {}",
                                            record.fields.size(), records.front().fields.size()));
        }
        records.push_back(std::move(record));
    }
    return records;
}

}  // namespace warden::app::cli
