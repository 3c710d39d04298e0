#include "app/cli/user_ref.hpp"

#include <fmt/format.h>

#include <boost/system/errc.hpp>
#include <charconv>
#include <warden/auth/email.hpp>

#include "app/config/values.hpp"

namespace warden::app::cli {

result<user_ref> parse_user_ref(std::string_view text, std::string* why) {
    // Looked up in its stored form, so any spelling of the address finds the user.
    if (text.find('@') != std::string_view::npos) {
        return user_ref{0, auth::normalize_email(text).value_or(std::string{text})};
    }
    store::user_id id = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (!text.empty() && ec == std::errc{} && end == text.data() + text.size() && id > 0) {
        return user_ref{id, {}};
    }
    if (why != nullptr) {
        *why =
            fmt::format("expected a user id (a positive number) or an email, got {}", quote(text));
    }
    return make_error_code(boost::system::errc::invalid_argument);
}

boost::asio::awaitable<result<store::user>> find_user(auth::database& db, user_ref ref) {
    if (ref.email.empty())
        co_return co_await db.run([&]() { return db.users().find_user(ref.id); });
    co_return co_await db.run([&]() { return db.users().find_user_by_email(ref.email); });
}

std::string describe(user_ref const& ref) {
    return ref.email.empty() ? fmt::format("user {}", ref.id) : fmt::format("user {}", ref.email);
}

}  // namespace warden::app::cli
