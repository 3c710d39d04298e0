#include <warden/store/errc.hpp>

#include <string>

namespace warden::store {
namespace {

class store_category_impl final : public boost::system::error_category {
  public:
    // A fixed id so codes compare equal across shared-library boundaries.
    constexpr store_category_impl() noexcept : error_category(0x9a6e3d1c5b7f2070ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.store"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
            case errc::not_found:
                return "not found";
            case errc::email_taken:
                return "the email is already registered";
            case errc::bad_url:
                return "not a database URL this build can open";
            case errc::unavailable:
                return "the database is unavailable";
            case errc::migration_failed:
                return "the database schema cannot be used by this build";
            case errc::backend_error:
                return "unexpected database error";
            case errc::invalid_argument:
                return "a value the store cannot keep";
            case errc::family_revoked:
                return "the refresh-token family is revoked";
            case errc::credentials_changed:
                return "the user's credentials changed meanwhile";
            case errc::already_exists:
                return "the id is already taken";
            case errc::wrong_state:
                return "the signing key is not in the state this needs";
        }
        return "unknown store error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        switch (static_cast<errc>(value)) {
            case errc::not_found:
                return condition::not_found;
            case errc::email_taken:
                return condition::conflict;
            case errc::bad_url:
                return condition::invalid_configuration;
            case errc::unavailable:
                return condition::unavailable;
            case errc::migration_failed:
                return condition::invalid_configuration;
            case errc::backend_error:
                return condition::internal;
            case errc::invalid_argument:
                return condition::invalid_request;
            case errc::family_revoked:
                return condition::invalid_grant;
            case errc::credentials_changed:
            case errc::already_exists:
            case errc::wrong_state:
                return condition::conflict;
        }
        return {value, *this};
    }
};

}  // namespace

boost::system::error_category const& store_category() noexcept {
    static constexpr store_category_impl instance;
    return instance;
}

}  // namespace warden::store
