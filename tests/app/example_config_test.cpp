// packaging/debian/wardend.toml, which the Debian package installs as /etc/warden/wardend.toml:
// as shipped it serves on loopback from the service's state directory, and each commented-out
// example, uncommented, is a setting wardend accepts (a renamed key or a changed value format
// fails here, not on an operator's machine).
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "app/config/parse_config.hpp"
#include "support/temp_dir.hpp"

namespace warden::app {
namespace {

using action = parse_outcome::action;

std::vector<std::string> example_lines() {
    std::ifstream in{WARDEN_EXAMPLE_CONFIG};
    EXPECT_TRUE(in) << "cannot read " << WARDEN_EXAMPLE_CONFIG;
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// "# key = value", an example, gives "key = value"; prose comments never have that shape.
// (No std::regex: GCC 12 warns inside it under the asan preset.)
std::optional<std::string> uncommented_example(std::string_view line) {
    if (!line.starts_with("# ")) return std::nullopt;
    line.remove_prefix(2);
    auto const key_end = line.find_first_not_of("abcdefghijklmnopqrstuvwxyz_");
    if (key_end == 0 || key_end == std::string_view::npos) return std::nullopt;
    if (line.substr(key_end, 3) != " = " || line.size() == key_end + 3) return std::nullopt;
    return std::string{line};
}

parse_outcome parse_file(std::string const& path) {
    std::vector<char const*> argv{"wardend", "--config", path.c_str()};
    return parse_config(static_cast<int>(argv.size()), argv.data(), fixed_environment({}));
}

TEST(example_config, as_shipped_serves_on_loopback_from_the_state_directory) {
    auto const outcome = parse_file(WARDEN_EXAMPLE_CONFIG);
    ASSERT_EQ(outcome.next, action::run) << outcome.message;
    EXPECT_EQ(to_string(outcome.settings.listen), "127.0.0.1:8000");
    EXPECT_EQ(outcome.settings.data_dir, "/var/lib/warden");  // the unit's StateDirectory=warden
    EXPECT_EQ(outcome.settings.database, "sqlite:////var/lib/warden/warden.db");
    EXPECT_EQ(outcome.settings.secret_file, "/var/lib/warden/secret.key");
}

TEST(example_config, every_commented_out_block_of_examples_is_accepted) {
    // A block (consecutive example lines, such as tls_cert with tls_key) is uncommented at once,
    // as an operator would, in the shipped file.
    auto const lines = example_lines();
    test::temp_dir const dir;
    auto const path = (dir.path() / "wardend.toml").string();
    int examples = 0;
    int blocks = 0;
    for (std::size_t first = 0; first < lines.size(); ++first) {
        if (!uncommented_example(lines[first])) continue;
        std::vector<std::string> edited = lines;
        std::size_t end = first;
        for (; end < lines.size(); ++end) {
            auto setting = uncommented_example(lines[end]);
            if (!setting) break;
            edited[end] = std::move(*setting);
            ++examples;
        }
        ++blocks;
        std::ofstream out{path, std::ios::trunc};
        for (auto const& line : edited) out << line << '\n';
        out.close();
        auto const outcome = parse_file(path);
        EXPECT_EQ(outcome.next, action::run) << lines[first] << ": " << outcome.message;
        first = end;
    }
    EXPECT_GE(examples, 20) << "the examples were not recognised";
    EXPECT_GE(blocks, 8);
}

TEST(example_config, a_misspelt_example_would_be_caught) {
    // The check above can fail: an unknown key in the same file is refused.
    test::temp_dir const dir;
    auto const path = (dir.path() / "wardend.toml").string();
    std::ostringstream edited;
    for (auto const& line : example_lines()) edited << line << '\n';
    edited << "max_connection = 10\n";
    std::ofstream{path} << edited.str();
    auto const outcome = parse_file(path);
    EXPECT_EQ(outcome.next, action::fail);
    EXPECT_NE(outcome.message.find("max_connection"), std::string::npos) << outcome.message;
}

}  // namespace
}  // namespace warden::app
