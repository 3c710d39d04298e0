#include <warden/auth/totp.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

#include <warden/auth/errc.hpp>
#include <warden/core/constant_time.hpp>
#include <warden/core/digest.hpp>
#include <warden/core/random.hpp>
#include <warden/core/sealed_box.hpp>
#include <warden/core/totp.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {

namespace asio = boost::asio;

namespace {

constexpr std::size_t secret_size = 20;          // 160 bits, RFC 4226 §4's recommendation
constexpr std::size_t recovery_code_bytes = 10;  // 80 bits: 16 base32 characters

/// What the sealed secret is bound to: its user.
std::string associated_data(store::user_id user) {
    std::string bound = "totp|";
    bound += std::to_string(user);  // appended: GCC 12 -O3 warns wrongly on literal + to_string
    return bound;
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string percent_encoded(std::string_view text) {
    static constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    for (char const c : text) {
        auto const b = static_cast<unsigned char>(c);
        if (std::isalnum(b) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[b >> 4U];
            out += hex[b & 0x0FU];
        }
    }
    return out;
}

/// The Key Uri authenticator apps read: issuer and account in the label and the issuer again
/// as a parameter, as Google Authenticator's format asks.
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret) {
    auto const name = percent_encoded(issuer);
    return "otpauth://totp/" + name + ":" + percent_encoded(account) +
           "?secret=" + std::string{secret} + "&issuer=" + name +
           "&algorithm=SHA1&digits=6&period=30";
}

/// `text` without spaces and dashes, in lower case: how codes are compared.
std::string normal_form(std::string_view text) {
    std::string out;
    for (char const c : text) {
        if (c == ' ' || c == '-') continue;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool is_six_digits(std::string_view code) {
    return code.size() == totp_digits && std::all_of(code.begin(), code.end(), [](char c) {
               return std::isdigit(static_cast<unsigned char>(c)) != 0;
           });
}

/// A recovery code as the user sees it: four groups of four base32 characters.
std::string readable_recovery_code(std::string_view random) {
    auto const plain = normal_form(base32_encode(random));
    std::string out;
    for (std::size_t i = 0; i < plain.size(); ++i) {
        if (i > 0 && i % 4 == 0) out += '-';
        out += plain[i];
    }
    return out;
}

std::string recovery_code_hash(std::string_view code) { return sha256(normal_form(code)); }

/// The time step within one of `now`'s whose code is `code`; every candidate is compared, in
/// constant time.
std::optional<std::int64_t> matching_step(secret_bytes const& secret, std::string_view code,
                                          std::int64_t now) {
    std::optional<std::int64_t> matched;
    auto const current = totp_step(now);
    for (auto step = current - 1; step <= current + 1; ++step) {
        if (constant_time_equal(hotp_code(secret, step), code) && !matched) matched = step;
    }
    return matched;
}

/// Whether `code` is a current code of `record`'s secret not accepted before; records its step.
result<bool> accept_code(database& db, secret_bytes const& kek, store::user_id user,
                         store::totp_record const& record, std::string_view code,
                         std::int64_t now) {
    auto const secret = open_sealed(kek, record.sealed_secret, associated_data(user));
    if (!secret) return result<bool>{boost::system::in_place_error, secret.error()};
    auto const step = matching_step(*secret, code, now);
    if (!step) return false;
    // A conditional write: of two requests with one code, one is accepted.
    return db.totp().accept_totp_step(user, *step);
}

}  // namespace

asio::awaitable<result<totp_enrolment>> totp_service::enrol(store::user_id user,
                                                            std::string account) {
    auto const secret = random_bytes(secret_size);
    if (!secret) co_return secret.error();
    auto sealed = seal(kek_, *secret, associated_data(user));
    if (!sealed) co_return sealed.error();
    totp_enrolment enrolment;
    enrolment.secret = base32_encode(*secret);
    enrolment.otpauth_uri = otpauth_uri(issuer_, account, enrolment.secret);
    std::vector<std::string> hashes;
    for (std::size_t i = 0; i < recovery_code_count; ++i) {
        auto const random = random_bytes(recovery_code_bytes);
        if (!random) co_return random.error();
        enrolment.recovery_codes.push_back(readable_recovery_code(*random));
        hashes.push_back(recovery_code_hash(enrolment.recovery_codes.back()));
    }
    auto const at = now();
    auto const begun = co_await db_.write(
        [&]() { return db_.totp().begin_totp_enrolment(user, *sealed, hashes, at); });
    if (!begun) {
        if (begun.error() == store::errc::wrong_state)
            co_return make_error_code(errc::totp_already_enabled);
        if (begun.error() == store::errc::not_found) co_return make_error_code(errc::user_gone);
        co_return begun.error();
    }
    co_return enrolment;
}

asio::awaitable<result<void>> totp_service::confirm(store::user_id user, std::string_view code) {
    auto const at = now();
    auto const typed = normal_form(code);
    co_return co_await db_.write([&]() -> result<void> {
        auto const record = db_.totp().totp_of(user);
        if (!record) {
            if (record.error() == store::errc::not_found)
                return make_error_code(errc::totp_not_enrolled);
            return record.error();
        }
        if (record->confirmed) return make_error_code(errc::totp_already_enabled);
        if (!is_six_digits(typed)) return make_error_code(errc::wrong_totp_code);
        auto const accepted = accept_code(db_, kek_, user, *record, typed, at);
        if (!accepted) return accepted.error();
        if (!*accepted) return make_error_code(errc::wrong_totp_code);
        auto const confirmed = db_.totp().confirm_totp(user, at);
        // Confirmed meanwhile by a request with another current code: on, as asked.
        if (!confirmed && confirmed.error() == store::errc::wrong_state) return {};
        return confirmed;
    });
}

asio::awaitable<result<void>> totp_service::disable(store::user_id user) {
    auto const disabled = co_await db_.write([&]() { return db_.totp().disable_totp(user); });
    if (!disabled && disabled.error() == store::errc::not_found)
        co_return make_error_code(errc::totp_not_enabled);
    co_return disabled;
}

result<void> totp_service::check_key() const {
    auto const user = db_.totp().first_totp_user();
    if (!user) return user.error() == store::errc::not_found ? result<void>{} : user.error();
    auto const record = db_.totp().totp_of(*user);
    // Turned off since: nothing to open.
    if (!record) return record.error() == store::errc::not_found ? result<void>{} : record.error();
    auto const secret = open_sealed(kek_, record->sealed_secret, associated_data(*user));
    if (!secret) return secret.error();
    return {};
}

result<second_factor> totp_service::check(store::user_id user, std::string_view otp,
                                          std::int64_t now) const {
    auto const record = db_.totp().totp_of(user);
    if (!record) {
        if (record.error() == store::errc::not_found) return second_factor::not_enabled;
        return result<second_factor>{boost::system::in_place_error, record.error()};
    }
    if (!record->confirmed) return second_factor::not_enabled;
    auto const typed = normal_form(otp);
    if (typed.empty()) return second_factor::missing;
    auto const accepted = is_six_digits(typed)
                              ? accept_code(db_, kek_, user, *record, typed, now)
                              : db_.totp().use_recovery_code(user, recovery_code_hash(typed), now);
    if (!accepted) return result<second_factor>{boost::system::in_place_error, accepted.error()};
    return *accepted ? second_factor::accepted : second_factor::refused;
}

}  // namespace warden::auth
