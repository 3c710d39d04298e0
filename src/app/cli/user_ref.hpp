#pragma once
// `ID|EMAIL`: how the commands name a user.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>
#include <warden/auth/database.hpp>
#include <warden/core/result.hpp>
#include <warden/store/records.hpp>

namespace warden::app::cli {

/// A user named by id (decimal digits) or by email (contains `@`).
struct user_ref {
    store::user_id id = 0;  ///< when `email` is empty
    std::string email;
};

/// Parses `ID|EMAIL`: a positive decimal id, or a text with an `@` (looked up case-insensitively).
/// Errors: `errc::invalid_argument` with `*why` set, for anything else.
[[nodiscard]] result<user_ref> parse_user_ref(std::string_view text, std::string* why);

/// The user `ref` names. Errors: `store::errc::not_found`, store errors.
[[nodiscard]] boost::asio::awaitable<result<store::user>> find_user(auth::database& db,
                                                                    user_ref ref);

/// `user 12` or `user a@b.c` for messages.
[[nodiscard]] std::string describe(user_ref const& ref);

}  // namespace warden::app::cli
