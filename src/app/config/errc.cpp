#include "app/config/errc.hpp"

#include <string>

namespace warden::app {
namespace {

class config_category_impl final : public boost::system::error_category {
  public:
    // A fixed id so codes compare equal across shared-library boundaries.
    constexpr config_category_impl() noexcept : error_category(0x9a6e3d1c5b7f20a1ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.app.config"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<config_errc>(value)) {
            case config_errc::bad_usage:
                return "bad command line";
            case config_errc::bad_value:
                return "bad configuration value";
            case config_errc::short_secret:
                return "the secret key is shorter than 32 bytes";
            case config_errc::unreadable_file:
                return "the configuration file cannot be read";
            case config_errc::bad_file:
                return "the configuration file is not valid TOML";
            case config_errc::unknown_key:
                return "unknown key in the configuration file";
            case config_errc::wrong_type:
                return "wrong value type in the configuration file";
        }
        return "unknown configuration error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        switch (static_cast<config_errc>(value)) {
            case config_errc::bad_usage:
            case config_errc::bad_value:
            case config_errc::short_secret:
            case config_errc::unreadable_file:
            case config_errc::bad_file:
            case config_errc::unknown_key:
            case config_errc::wrong_type:
                return condition::invalid_configuration;
        }
        return {value, *this};
    }
};

}  // namespace

boost::system::error_category const& config_category() noexcept {
    static constexpr config_category_impl instance;
    return instance;
}

}  // namespace warden::app
