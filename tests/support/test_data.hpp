#pragma once
// Locates and reads the files under tests/data.
#include <filesystem>
#include <string>

#include <boost/json/value.hpp>

namespace warden::test {

/// tests/data/<relative> (the `WARDEN_TEST_DATA` directory when that is set).
[[nodiscard]] std::filesystem::path data_path(std::string const& relative);

/// The whole file as bytes; throws if it cannot be read.
[[nodiscard]] std::string read_file(std::filesystem::path const& path);

/// The file parsed as JSON; throws if it cannot be read or parsed.
[[nodiscard]] boost::json::value read_json(std::filesystem::path const& path);

/// Bytes from a lowercase hex string (Wycheproof inputs).
[[nodiscard]] std::string from_hex(std::string_view hex);

}  // namespace warden::test
