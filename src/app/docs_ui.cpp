#include "app/docs_ui.hpp"

#include <array>
#include <cerrno>
#include <fstream>
#include <iterator>

#include <sys/stat.h>

#include <warden/core/base64url.hpp>
#include <warden/core/digest.hpp>

// From the build (cmake/warden_docs_ui.cmake): the install's path from the programs' directory to
// the UI's, e.g. "../share/warden/swagger-ui".
#ifndef WARDEN_DOCS_UI_RELATIVE_DIR
#error "WARDEN_DOCS_UI_RELATIVE_DIR must be defined by the build"
#endif

namespace warden::app {
namespace {

struct served_file {
    std::string_view name;
    std::string_view content_type;
};

// What the page loads, and nothing else (the package's source maps, README, LICENSE are not
// served). index.html and swagger-initializer.js are ours (web/), the rest swagger-ui-dist's.
constexpr std::array served_files{
    served_file{docs_ui::page, "text/html; charset=utf-8"},
    served_file{"swagger-initializer.js", "text/javascript; charset=utf-8"},
    served_file{"swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
    served_file{"swagger-ui.css", "text/css; charset=utf-8"},
    served_file{"index.css", "text/css; charset=utf-8"},
    served_file{"favicon-32x32.png", "image/png"},
    served_file{"oauth2-redirect.html", "text/html; charset=utf-8"},
    served_file{"oauth2-redirect.js", "text/javascript; charset=utf-8"},
};

error_code errno_code(int value) { return {value, boost::system::generic_category()}; }

/// A regular file's contents (a directory of that name is EISDIR, not an empty file).
result<std::string> read_file(std::filesystem::path const& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return errno_code(errno);
    if (S_ISDIR(info.st_mode)) return errno_code(EISDIR);
    if (!S_ISREG(info.st_mode)) return errno_code(EINVAL);
    errno = 0;
    std::ifstream in{path, std::ios::binary};
    if (!in) return errno_code(errno != 0 ? errno : EIO);
    std::string body{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
    if (in.bad()) return errno_code(EIO);
    return body;
}

}  // namespace

result<docs_ui> docs_ui::load(std::filesystem::path const& directory) {
    docs_ui ui;
    for (auto const& served : served_files) {
        auto body = read_file(directory / served.name);
        if (!body) return body.error();
        std::string etag = "\"";
        etag += base64url_encode(sha256(*body));
        etag += '"';
        ui.files_.emplace(served.name,
                          file{served.content_type, std::move(*body), std::move(etag)});
    }
    return ui;
}

docs_ui::file const* docs_ui::find(std::string_view name) const {
    auto const found = files_.find(name);
    return found == files_.end() ? nullptr : &found->second;
}

result<std::filesystem::path> docs_ui_directory() {
    std::error_code ec;
    auto const executable = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return errno_code(ec.value());
    return (executable.parent_path() / WARDEN_DOCS_UI_RELATIVE_DIR).lexically_normal();
}

}  // namespace warden::app
