#include <string>
#include <warden/password/errc.hpp>

namespace warden::password {
namespace {

class password_category_impl final : public boost::system::error_category {
  public:
    constexpr password_category_impl() noexcept : error_category(0x9a6e3d1c5b7f2060ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.password"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
            case errc::password_too_short:
                return "the password is too short";
            case errc::password_too_long:
                return "the password is too long";
            case errc::password_not_utf8:
                return "the password is not valid UTF-8";
            case errc::password_contains_nul:
                return "the password contains a NUL byte";
            case errc::password_too_long_for_bcrypt:
                return "bcrypt uses only the first 72 bytes of a password and this one is longer; "
                       "use a shorter password or the argon2id scheme";
            case errc::malformed_hash:
                return "the stored password hash is malformed";
            case errc::unknown_scheme:
                return "the stored password hash is of an unknown scheme";
            case errc::scheme_not_accepted:
                return "the stored password hash is of a scheme that is not accepted";
            case errc::cost_exceeds_limit:
                return "the stored password hash has a cost above the configured limit";
            case errc::hash_failed:
                return "the password hash function failed";
            case errc::unknown_scheme_name:
                return "unknown password scheme name";
            case errc::invalid_scheme_settings:
                return "the default password scheme must be argon2id or bcrypt, accepted and not "
                       "deprecated";
            case errc::invalid_costs:
                return "a password hashing cost is out of range";
            case errc::invalid_policy:
                return "the password policy or limits are inconsistent";
        }
        return "unknown password error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        switch (static_cast<errc>(value)) {
            case errc::password_too_short:
            case errc::password_too_long:
            case errc::password_not_utf8:
            case errc::password_contains_nul:
            case errc::password_too_long_for_bcrypt:
                return condition::invalid_request;
            case errc::malformed_hash:
            case errc::unknown_scheme:
            case errc::scheme_not_accepted:
            case errc::cost_exceeds_limit:
            case errc::hash_failed:
                return condition::internal;
            case errc::unknown_scheme_name:
            case errc::invalid_scheme_settings:
            case errc::invalid_costs:
            case errc::invalid_policy:
                return condition::invalid_configuration;
        }
        return {value, *this};
    }
};

}  // namespace

boost::system::error_category const& password_category() noexcept {
    static constexpr password_category_impl instance;
    return instance;
}

}  // namespace warden::password
