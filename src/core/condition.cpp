#include <warden/core/condition.hpp>

#include <string>

namespace warden {
namespace {

class condition_category_impl final : public boost::system::error_category {
  public:
    // A fixed id so conditions compare equal across shared-library boundaries.
    constexpr condition_category_impl() noexcept : error_category(0x9a6e3d1c5b7f2041ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.condition"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<condition>(value)) {
            case condition::invalid_request:
                return "invalid request";
            case condition::unauthenticated:
                return "not authenticated";
            case condition::invalid_token:
                return "invalid token";
            case condition::invalid_credentials:
                return "incorrect email or password";
            case condition::inactive_user:
                return "inactive user";
            case condition::insufficient_scope:
                return "insufficient scope";
            case condition::forbidden:
                return "forbidden";
            case condition::invalid_grant:
                return "invalid grant";
            case condition::invalid_scope:
                return "invalid scope";
            case condition::unsupported_grant_type:
                return "unsupported grant type";
            case condition::not_found:
                return "not found";
            case condition::conflict:
                return "conflict";
            case condition::rate_limited:
                return "rate limited";
            case condition::unavailable:
                return "unavailable";
            case condition::invalid_configuration:
                return "invalid configuration";
            case condition::internal:
                return "internal error";
        }
        return "unknown condition";
    }
};

}  // namespace

boost::system::error_category const& condition_category() noexcept {
    static constexpr condition_category_impl instance;
    return instance;
}

}  // namespace warden
