#pragma once
// Reading the users to import from a CSV file (SPEC §5): a header row naming `email` and `hash`,
// optionally `scopes`, `full_name` and `is_active`, in any order.
#include <cstddef>
#include <string>
#include <vector>
#include <warden/core/result.hpp>

#include "app/cli/import_rows.hpp"

namespace warden::app::cli {

/// Reads and parses `path` (`-`: standard input). Errors (with `*why`): `errc::io_error` when
/// it cannot be read (bad usage); `errc::invalid_argument` for CSV syntax ("FILE:LINE: ..."),
/// a header without `email` or `hash`, an unknown or repeated column name, more than
/// `max_rows` rows after the header.
[[nodiscard]] result<std::vector<import_row>> read_csv_rows(std::string const& path,
                                                            std::size_t max_rows, std::string* why);

}  // namespace warden::app::cli
