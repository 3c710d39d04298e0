#include "app/cli/field_rules.hpp"

#include <fmt/format.h>

#include <warden/auth/full_name.hpp>
#include <warden/auth/scopes.hpp>

#include "app/config/errc.hpp"
#include "app/config/values.hpp"

namespace warden::app::cli {

std::string full_name_problem(std::string_view name) {
    switch (auth::check_full_name(name)) {
        case auth::full_name_check::ok:
            return {};
        case auth::full_name_check::too_long:
            return fmt::format("at most {} characters", auth::max_full_name_length);
        case auth::full_name_check::invalid_text:
            return "UTF-8 text without control characters, bidi controls or line breaks";
    }
    return {};
}

result<std::vector<std::string>> parse_grantable_scopes(std::string_view text, std::string* why) {
    auto scopes = parse_scopes(text, why);
    if (!scopes) return scopes.error();
    if (!auth::is_grantable(*scopes)) {
        if (why != nullptr) {
            *why = fmt::format("at most {} scopes of at most {} bytes each, got {}",
                               auth::max_granted_scopes, auth::max_scope_length, scopes->size());
        }
        return make_error_code(config_errc::bad_value);
    }
    return scopes;
}

}  // namespace warden::app::cli
