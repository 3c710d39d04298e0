#pragma once
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::store {

enum class errc {
    not_found = 1,     ///< condition::not_found
    email_taken,       ///< condition::conflict
    bad_url,           ///< condition::invalid_configuration
    unavailable,       ///< cannot open/connect, busy beyond the timeout: condition::unavailable
    migration_failed,  ///< condition::invalid_configuration
    backend_error,     ///< an unexpected database error: condition::internal
};

[[nodiscard]] boost::system::error_category const& store_category() noexcept;

[[nodiscard]] inline error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), store_category()};
}

}  // namespace warden::store

template <>
struct boost::system::is_error_code_enum<warden::store::errc> : std::true_type {};
