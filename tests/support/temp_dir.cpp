#include "support/temp_dir.hpp"

#include <stdexcept>
#include <string>

#include <stdlib.h>

namespace warden::test {

temp_dir::temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "warden-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

temp_dir::~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

}  // namespace warden::test
