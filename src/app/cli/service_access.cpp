#include "app/cli/service_access.hpp"

#include <string_view>

#include "app/cli/exit_status.hpp"

namespace warden::app::cli {

std::unique_ptr<services> open_services(config const& settings) {
    try {
        return build_services(settings, [](std::string_view text) { note(text); });
    } catch (startup_error const& e) {
        fail(exit_status::failed, e.what());
        return nullptr;
    }
}

password::options password_options(config const& settings) {
    password::options opts;
    opts.default_scheme = settings.password_scheme == password_scheme::bcrypt
                              ? password::scheme::bcrypt
                              : password::scheme::argon2id;
    opts.bcrypt_rounds = settings.bcrypt_rounds;
    opts.argon2 = {settings.argon2.memory_kib, settings.argon2.iterations,
                   settings.argon2.parallelism};
    return opts;
}

result<password::context> password_context(config const& settings) {
    return password::context::create(password_options(settings));
}

}  // namespace warden::app::cli
