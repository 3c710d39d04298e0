#include <warden/auth/account_mail.hpp>

#include <algorithm>
#include <optional>
#include <utility>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <warden/auth/errc.hpp>
#include <warden/core/base64url.hpp>
#include <warden/core/digest.hpp>
#include <warden/core/random.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {

namespace asio = boost::asio;
using steady = std::chrono::steady_clock;

namespace {

/// The longest token text looked up; longer is refused unread (a real one has 43 characters).
constexpr std::size_t max_token_length = 256;

/// The soonest a request answers, whatever the floor measured so far: after a quiet while (the
/// floor decays) the first request for a known address must not stand out by its store write.
constexpr std::chrono::milliseconds min_answer_time{25};

std::string lower_ascii(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char const c : text) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}

/// A new token and its SHA-256.
struct drawn_token {
    secret_bytes token;
    std::string hash;
};

result<drawn_token> draw_token() {
    auto raw = random_bytes(32);
    if (!raw) return raw.error();
    secret_bytes const wiped_raw{std::move(*raw)};
    secret_bytes token{base64url_encode(wiped_raw.view())};
    auto hash = sha256(token.view());
    return drawn_token{std::move(token), std::move(hash)};
}

store::one_time_token_kind store_kind(account_mail kind) noexcept {
    return kind == account_mail::verify_email ? store::one_time_token_kind::verify
                                              : store::one_time_token_kind::reset;
}

}  // namespace

std::string mail_email_key(std::string_view email) { return "mail-email:" + lower_ascii(email); }
std::string mail_client_key(std::string_view client_address) {
    return "mail-client:" + std::string{client_address};
}

asio::awaitable<result<void>> account_mail_service::request(account_mail kind, std::string email,
                                                            std::string client_address) {
    auto const start = steady::now();
    auto const now = to_unix_seconds(clock_.now());
    auto const window = policy_.limit_window.count();
    auto const ttl =
        kind == account_mail::verify_email ? policy_.verify_token_ttl : policy_.reset_token_ttl;
    // The same steps whatever the address: the counters, a token, the lookup.
    struct outcome {
        bool issued = false;
        std::optional<store::user> user;
        std::optional<drawn_token> token;
    };
    auto done = co_await db_.run([&]() -> result<outcome> {
        outcome out;
        auto const by_client = db_.counters().reserve_attempt(
            {mail_client_key(client_address)}, now, window, policy_.limit_per_client);
        if (!by_client) return by_client.error();
        bool allowed = by_client->admitted;
        if (allowed) {
            auto const by_email = db_.counters().reserve_attempt({mail_email_key(email)}, now,
                                                                 window, policy_.limit_per_email);
            if (!by_email) return by_email.error();
            allowed = by_email->admitted;
        }
        auto drawn = draw_token();
        if (!drawn) return drawn.error();
        auto found = db_.users().find_user_by_email(email);
        if (!found) {
            if (found.error() != store::errc::not_found) return found.error();
            return out;
        }
        bool const eligible =
            found->is_active && (kind == account_mail::reset_password || !found->is_verified);
        // Stores without one-time tokens (test fakes) keep no token: nothing to mail.
        if (!eligible || !allowed || !db_.has_one_time_tokens()) return out;
        auto const issued = db_.one_time_tokens().issue_one_time_token(
            store_kind(kind), found->id, drawn->hash, now, now + ttl.count());
        if (!issued) {
            // Deleted since it was read: as if it never existed.
            if (issued.error() == store::errc::not_found) return out;
            return issued.error();
        }
        out.issued = true;
        out.user = std::move(*found);
        out.token = std::move(*drawn);
        return out;
    });
    if (!done) co_return done.error();
    if (done->issued) {
        if (send_) send_(kind, done->user->email, done->token->token.view(), ttl);
        floor_.observe(steady::now() - start);
    }
    // Every request answers no sooner than a known user's recently took, nor than the minimum.
    auto const wait = std::max<steady::duration>(floor_.floor(), min_answer_time);
    asio::steady_timer floor{co_await asio::this_coro::executor, start + wait};
    boost::system::error_code cancelled;  // shutting down: answer at once
    co_await floor.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
    co_return result<void>{};
}

asio::awaitable<result<void>> account_mail_service::request_verification(
    std::string email, std::string client_address) {
    co_return co_await request(account_mail::verify_email, std::move(email),
                               std::move(client_address));
}

asio::awaitable<result<void>> account_mail_service::forgot_password(std::string email,
                                                                    std::string client_address) {
    co_return co_await request(account_mail::reset_password, std::move(email),
                               std::move(client_address));
}

asio::awaitable<result<void>> account_mail_service::welcome(store::user const& user) {
    if (!send_ || user.is_verified || !user.is_active || !db_.has_one_time_tokens())
        co_return result<void>{};
    auto const now = to_unix_seconds(clock_.now());
    auto const ttl = policy_.verify_token_ttl;
    auto drawn = draw_token();
    if (!drawn) co_return drawn.error();
    struct issue_outcome {
        bool issued = false;
    };
    auto const issued = co_await db_.run([&]() -> result<issue_outcome> {
        auto const by_email =
            db_.counters().reserve_attempt({mail_email_key(user.email)}, now,
                                           policy_.limit_window.count(), policy_.limit_per_email);
        if (!by_email) return by_email.error();
        if (!by_email->admitted) return issue_outcome{};
        auto const stored = db_.one_time_tokens().issue_one_time_token(
            store::one_time_token_kind::verify, user.id, drawn->hash, now, now + ttl.count());
        if (!stored) return stored.error();
        return issue_outcome{true};
    });
    if (!issued) co_return issued.error();
    if (issued->issued) send_(account_mail::verify_email, user.email, drawn->token.view(), ttl);
    co_return result<void>{};
}

asio::awaitable<result<store::user>> account_mail_service::verify(std::string token) {
    if (token.empty() || token.size() > max_token_length || !db_.has_one_time_tokens())
        co_return make_error_code(errc::invalid_mail_token);
    auto const hash = sha256(token);
    auto const now = to_unix_seconds(clock_.now());
    // A write: the user changed, and the guard's cache must see it.
    auto redeemed =
        co_await db_.write([&]() { return db_.one_time_tokens().redeem_verification(hash, now); });
    if (!redeemed) {
        if (redeemed.error() == store::errc::not_found)
            co_return make_error_code(errc::invalid_mail_token);
        co_return redeemed.error();
    }
    co_return redeemed;
}

asio::awaitable<result<void>> account_mail_service::reset_password(std::string token,
                                                                   secret_bytes password) {
    auto const allowed = hashes_.hashing_context().check_new_password(password.view());
    if (!allowed) co_return allowed.error();
    if (token.empty() || token.size() > max_token_length || !db_.has_one_time_tokens())
        co_return make_error_code(errc::invalid_mail_token);
    auto const hash = sha256(token);
    auto new_hash = co_await hashes_.hash(std::move(password));
    if (!new_hash) co_return new_hash.error();
    auto const now = to_unix_seconds(clock_.now());
    auto reset = co_await db_.write([&]() -> result<store::password_reset> {
        auto done = db_.one_time_tokens().redeem_password_reset(hash, *new_hash, now);
        if (!done) return done;
        // The owner proved themselves: the account's lockout goes with the old password.
        // Best effort: the reset itself has committed.
        (void)limiter_.clear_account(done->row.email);
        return done;
    });
    if (!reset) {
        if (reset.error() == store::errc::not_found)
            co_return make_error_code(errc::invalid_mail_token);
        co_return reset.error();
    }
    co_return result<void>{};
}

}  // namespace warden::auth
