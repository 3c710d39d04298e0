#pragma once
// The Swagger UI wardend serves at /docs: swagger-ui-dist's files and our page, installed in
// `<wardend's directory>/../share/warden/swagger-ui` (the build tree mirrors that layout) and read
// into memory once at start-up. Only the files named here are ever served.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>

namespace warden::app {

class docs_ui {
  public:
    struct file {
        std::string_view content_type;
        std::string body;
        std::string etag;  ///< a strong validator: the quoted base64url SHA-256 of the body
    };

    /// The page served at `/docs` itself.
    static constexpr std::string_view page = "index.html";

    /// Reads every served file from `directory`. Fails with the first file's error (e.g.
    /// `no_such_file_or_directory`) when one is missing or unreadable: a partial UI is not served.
    [[nodiscard]] static result<docs_ui> load(std::filesystem::path const& directory);

    /// A served file by name (`swagger-ui.css`), or null for any other name (a path, `..`, ...).
    [[nodiscard]] file const* find(std::string_view name) const;

  private:
    std::map<std::string, file, std::less<>> files_;
};

/// Where wardend looks for the files: the installed layout's path relative to the running
/// executable (`/proc/self/exe`), so a relocated install and the build tree both work. Fails
/// only when the executable's path cannot be read.
[[nodiscard]] result<std::filesystem::path> docs_ui_directory();

}  // namespace warden::app
