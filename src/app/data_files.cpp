#include "app/data_files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>

namespace warden::app {
namespace {

/// Creates `path` empty with `mode`, never through a symlink. Returns errno, 0 on success.
int create_exclusive(std::filesystem::path const& path, mode_t mode) {
    int const fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) return errno;
    ::close(fd);
    return 0;
}

/// The permission bits of `path` (of a symlink's target), or nullopt when it does not exist.
std::optional<mode_t> permissions_of(std::filesystem::path const& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return st.st_mode & 07777;
}

bool is_sqlite_scheme(std::string_view url) {
    constexpr std::string_view scheme = "sqlite:///";
    if (url.size() <= scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        auto const c = static_cast<char>(std::tolower(static_cast<unsigned char>(url[i])));
        if (c != scheme[i]) return false;
    }
    return true;
}

}  // namespace

void notice_if_readable_by_others(std::filesystem::path const& path, std::string_view what,
                                  notice_sink const& notice) {
    auto const mode = permissions_of(path);
    if (!mode || (*mode & (S_IRGRP | S_IROTH)) == 0) return;
    notice(fmt::format("{} {} is readable by group or others (mode {:04o}); chmod 600 it", what,
                       path.string(), *mode));
}

void prepare_data_dir(std::filesystem::path const& dir, notice_sink const& notice) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
        if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ec);
        if (!ec && ::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
            ec = std::error_code{errno, std::generic_category()};
        }
        if (ec) {
            throw startup_error(
                fmt::format("cannot create the data directory {}: {}", dir.string(), ec.message()));
        }
    } else if (auto const mode = permissions_of(dir); mode && (*mode & (S_IRWXG | S_IRWXO)) != 0) {
        notice(fmt::format(
            "the data directory {} is open to group or others (mode {:04o}); chmod 700 it",
            dir.string(), *mode));
    }
    auto const probe = dir / ".warden-write-test";
    int error = create_exclusive(probe, 0600);
    if (error == EEXIST) {
        // A leftover of a crash, or a planted link: unlink removes the link itself, never its
        // target.
        ::unlink(probe.c_str());
        error = create_exclusive(probe, 0600);
    }
    if (error != 0) {
        throw startup_error(fmt::format("the data directory {} is not writable: {}", dir.string(),
                                        std::strerror(error)));
    }
    ::unlink(probe.c_str());
}

void prepare_database_file(std::string_view database_url, notice_sink const& notice) {
    if (!is_sqlite_scheme(database_url)) return;
    std::filesystem::path const path{std::string{database_url.substr(10)}};
    std::error_code ec;
    auto const parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path{"."};
    if (!std::filesystem::is_directory(parent, ec)) return;  // the store reports it
    if (create_exclusive(path, 0600) == EEXIST)
        notice_if_readable_by_others(path, "the database", notice);
}

}  // namespace warden::app
