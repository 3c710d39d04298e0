#pragma once
#include <filesystem>

namespace warden::test {

/// A fresh directory under the system temp dir, removed with everything in it on destruction.
class temp_dir {
  public:
    temp_dir();
    temp_dir(temp_dir const&) = delete;
    temp_dir& operator=(temp_dir const&) = delete;
    ~temp_dir();
    [[nodiscard]] std::filesystem::path const& path() const noexcept { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace warden::test
