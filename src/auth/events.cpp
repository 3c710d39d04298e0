#include <warden/auth/events.hpp>

#include <warden/auth/errc.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {
namespace {

/// The reason a verifier's error stands for (read_access passes them on).
std::optional<token_rejection> verifier_rejection(jwt::errc e) noexcept {
    switch (e) {
        case jwt::errc::token_too_large:
        case jwt::errc::malformed:
        case jwt::errc::bad_base64:
        case jwt::errc::bad_json:
        case jwt::errc::duplicate_member:
        case jwt::errc::too_deep:
        case jwt::errc::not_an_object:
        case jwt::errc::bad_header:
        case jwt::errc::unknown_crit:
        case jwt::errc::wrong_typ:
            return token_rejection::malformed;
        case jwt::errc::alg_none:
        case jwt::errc::alg_not_allowed:
        case jwt::errc::key_not_found:
        case jwt::errc::bad_signature:
            return token_rejection::bad_signature;
        case jwt::errc::expired:
            return token_rejection::expired;
        case jwt::errc::claim_wrong_type:
        case jwt::errc::missing_claim:
        case jwt::errc::not_yet_valid:
        case jwt::errc::issued_in_future:
        case jwt::errc::wrong_issuer:
        case jwt::errc::wrong_audience:
            return token_rejection::invalid_claims;
        default:
            return std::nullopt;  // key and configuration errors, OpenSSL failures
    }
}

std::optional<token_rejection> guard_rejection(errc e) noexcept {
    switch (e) {
        case errc::missing_credentials:
            return token_rejection::missing;
        case errc::invalid_token:
            return token_rejection::invalid_claims;  // `sub`, `sid`, `ver` or `scope` unreadable
        case errc::token_revoked:
            return token_rejection::revoked;
        case errc::token_outdated:
            return token_rejection::outdated;
        case errc::user_gone:
            return token_rejection::user_gone;
        case errc::inactive_user:
            return token_rejection::inactive_user;
        case errc::insufficient_scope:
            return token_rejection::insufficient_scope;
        default:
            return std::nullopt;
    }
}

}  // namespace

std::string_view to_string(login_outcome o) noexcept {
    switch (o) {
        case login_outcome::success:
            return "success";
        case login_outcome::bad_credentials:
            return "bad_credentials";
        case login_outcome::locked:
            return "locked";
        case login_outcome::inactive:
            return "inactive";
        case login_outcome::unverified:
            return "unverified";
        case login_outcome::mfa_required:
            return "mfa_required";
        case login_outcome::invalid_scope:
            return "invalid_scope";
        case login_outcome::error:
            return "error";
    }
    return "error";
}

std::string_view to_string(token_rejection r) noexcept {
    switch (r) {
        case token_rejection::missing:
            return "missing";
        case token_rejection::malformed:
            return "malformed";
        case token_rejection::bad_signature:
            return "bad_signature";
        case token_rejection::expired:
            return "expired";
        case token_rejection::invalid_claims:
            return "invalid_claims";
        case token_rejection::revoked:
            return "revoked";
        case token_rejection::outdated:
            return "outdated";
        case token_rejection::user_gone:
            return "user_gone";
        case token_rejection::inactive_user:
            return "inactive_user";
        case token_rejection::insufficient_scope:
            return "insufficient_scope";
    }
    return "malformed";
}

std::string_view to_string(refresh_outcome o) noexcept {
    switch (o) {
        case refresh_outcome::success:
            return "success";
        case refresh_outcome::invalid_token:
            return "invalid_token";
        case refresh_outcome::reused:
            return "reused";
        case refresh_outcome::user_not_eligible:
            return "user_not_eligible";
        case refresh_outcome::invalid_scope:
            return "invalid_scope";
        case refresh_outcome::error:
            return "error";
    }
    return "error";
}

login_outcome login_outcome_of(error_code ec) noexcept {
    if (!ec) return login_outcome::success;
    if (ec == errc::wrong_credentials || ec == errc::wrong_second_factor)
        return login_outcome::bad_credentials;
    if (ec == errc::mfa_required) return login_outcome::mfa_required;
    if (ec == errc::locked_out) return login_outcome::locked;
    if (ec == errc::inactive_user) return login_outcome::inactive;
    if (ec == errc::email_not_verified) return login_outcome::unverified;
    if (ec == errc::scope_not_granted) return login_outcome::invalid_scope;
    return login_outcome::error;
}

std::optional<token_rejection> token_rejection_of(error_code ec) noexcept {
    if (ec.category() == jwt::jwt_category()) return verifier_rejection(jwt::errc(ec.value()));
    if (ec.category() == auth_category()) return guard_rejection(errc(ec.value()));
    return std::nullopt;
}

refresh_outcome refresh_outcome_of(error_code ec) noexcept {
    if (!ec) return refresh_outcome::success;
    if (ec == errc::invalid_refresh_token) return refresh_outcome::invalid_token;
    if (ec == errc::refresh_token_reused) return refresh_outcome::reused;
    if (ec == errc::user_not_eligible) return refresh_outcome::user_not_eligible;
    if (ec == errc::scope_not_granted) return refresh_outcome::invalid_scope;
    return refresh_outcome::error;
}

bool is_store_failure(error_code ec) noexcept {
    return ec == store::errc::unavailable || ec == store::errc::backend_error;
}

}  // namespace warden::auth
