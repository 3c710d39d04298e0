#include "password/input.hpp"

#include <warden/password/errc.hpp>

#include "password/bcrypt.hpp"
#include "password/codec.hpp"

namespace warden::password {

result<void> check_candidate(std::string_view password, input_policy const& policy) {
    // The length first: it bounds the scans below and every hash function's work.
    if (password.size() > policy.max_length) return make_error_code(errc::password_too_long);
    if (password.find('\0') != std::string_view::npos) {
        return make_error_code(errc::password_contains_nul);
    }
    if (!is_utf8(password)) return make_error_code(errc::password_not_utf8);
    return {};
}

result<void> check_new(std::string_view password, input_policy const& policy, scheme target) {
    if (auto r = check_candidate(password, policy); !r) return r;
    if (password.size() < policy.min_length) return make_error_code(errc::password_too_short);
    // Never a silent truncation: bcrypt would ignore everything after byte 72.
    if (target == scheme::bcrypt && password.size() > bcrypt_max_password) {
        return make_error_code(errc::password_too_long_for_bcrypt);
    }
    return {};
}

}  // namespace warden::password
