#pragma once
// Errors raised by `core` itself.
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden {

enum class core_errc {
    invalid_base64url = 1,  ///< not exact base64url (padding, foreign alphabet, stray bits)
    random_failed,          ///< the OS CSPRNG did not deliver
    pool_full,              ///< a work_pool's queue is at its limit; retry later
    task_failed,            ///< a work_pool task threw (a bug or out of memory)
    invalid_json,           ///< not one well-formed JSON text (RFC 8259), or invalid UTF-8
    duplicate_member,       ///< an object names the same member twice
    json_too_deep,          ///< nesting beyond the configured depth
};

[[nodiscard]] boost::system::error_category const& core_category() noexcept;

[[nodiscard]] inline error_code make_error_code(core_errc e) noexcept {
    return {static_cast<int>(e), core_category()};
}

}  // namespace warden

template <>
struct boost::system::is_error_code_enum<warden::core_errc> : std::true_type {};
