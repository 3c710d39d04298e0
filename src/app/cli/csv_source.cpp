#include "app/cli/csv_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/system/errc.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "app/cli/csv.hpp"
#include "app/config/values.hpp"

namespace warden::app::cli {
namespace {

enum column { c_email, c_hash, c_scopes, c_full_name, c_is_active, c_count };
constexpr std::array<std::string_view, c_count> column_names{"email", "hash", "scopes", "full_name",
                                                             "is_active"};

error_code refuse(std::string* why, std::string text) {
    if (why != nullptr) *why = std::move(text);
    return make_error_code(boost::system::errc::invalid_argument);
}

}  // namespace

result<std::vector<import_row>> read_csv_rows(std::string const& path, std::size_t max_rows,
                                              std::string* why) {
    std::string text;
    if (path == "-") {
        text.assign(std::istreambuf_iterator<char>{std::cin}, std::istreambuf_iterator<char>{});
    } else {
        std::ifstream in{path, std::ios::binary};
        if (!in) {
            if (why != nullptr)
                *why = fmt::format("--csv {}: cannot read: {}", path, std::strerror(errno));
            return make_error_code(boost::system::errc::io_error);
        }
        text.assign(std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{});
    }
    std::string syntax;
    auto records = parse_csv(text, &syntax);
    // "line N: reason" becomes "FILE:N: reason".
    if (!records)
        return refuse(why, fmt::format("{}:{}", path, syntax.substr(syntax.find(' ') + 1)));
    if (records->empty())
        return refuse(why, fmt::format("{}: empty file: expected a header row email,hash", path));

    // Header: which field holds which column.
    std::array<std::optional<std::size_t>, c_count> index{};
    auto const& header = records->front().fields;
    for (std::size_t f = 0; f < header.size(); ++f) {
        auto const* const it = std::find(column_names.begin(), column_names.end(), header[f]);
        if (it == column_names.end()) {
            return refuse(
                why, fmt::format("{}:1: unknown column {} (the columns are email, hash, scopes, "
                                 "full_name, is_active)",
                                 path, quote(header[f])));
        }
        auto& slot = index[static_cast<std::size_t>(it - column_names.begin())];
        if (slot) return refuse(why, fmt::format("{}:1: column {} appears twice", path, *it));
        slot = f;
    }
    if (!index[c_email] || !index[c_hash]) {
        return refuse(why,
                      fmt::format("{}:1: the header must name the columns email and hash", path));
    }
    if (records->size() - 1 > max_rows) {
        return refuse(why, fmt::format("{}: more than {} rows (--max-rows)", path, max_rows));
    }
    std::vector<import_row> rows;
    rows.reserve(records->size() - 1);
    for (std::size_t r = 1; r < records->size(); ++r) {
        auto& record = (*records)[r];
        auto take = [&](column c) -> std::optional<std::string> {
            if (!index[c]) return std::nullopt;
            return std::move(record.fields[*index[c]]);
        };
        import_row row;
        row.where = fmt::format("{}:{}", path, record.line);
        row.email = *take(c_email);
        row.hash = *take(c_hash);
        row.scopes = take(c_scopes);
        row.full_name = take(c_full_name);
        row.is_active = take(c_is_active);
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace warden::app::cli
