#pragma once
// RFC 4180 CSV: records of comma-separated fields; a field in double quotes may hold commas,
// line breaks and doubled quotes (`""` for `"`). Lines end in CRLF or LF.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>
#include <warden/core/result.hpp>

namespace warden::app::cli {

struct csv_record {
    std::size_t line = 0;  ///< the line the record starts on (1-based)
    std::vector<std::string> fields;
};

/// Parses `text` strictly: every record has as many fields as the first one; a UTF-8 byte order
/// mark at the start and lines that are completely empty are skipped. Errors
/// (`errc::invalid_argument`, `*why` = "line N: ...", never quoting field contents): a quote
/// inside an unquoted field, anything but a comma or line end after a closing quote, a quoted
/// field still open at the end, a record with the wrong number of fields.
[[nodiscard]] result<std::vector<csv_record>> parse_csv(std::string_view text, std::string* why);

}  // namespace warden::app::cli
