#include <warden/auth/tokens.hpp>

#include <charconv>

#include <boost/json/object.hpp>

#include <warden/auth/errc.hpp>
#include <warden/core/base64url.hpp>
#include <warden/core/condition.hpp>
#include <warden/core/digest.hpp>
#include <warden/core/random.hpp>

namespace warden::auth {
namespace {

result<std::string> random_id(std::size_t bytes) {
    auto raw = random_bytes(bytes);
    if (!raw) return raw.error();
    return base64url_encode(*raw);
}

/// A positive decimal user id without sign, spaces or leading zeros.
std::optional<store::user_id> parse_user_id(std::string_view sub) {
    if (sub.empty() || sub.size() > 19 || sub.front() == '0') return std::nullopt;
    store::user_id id = 0;
    auto const [end, ec] = std::from_chars(sub.data(), sub.data() + sub.size(), id);
    if (ec != std::errc{} || end != sub.data() + sub.size() || id <= 0) return std::nullopt;
    return id;
}

}  // namespace

token_service::token_service(jwt::signer signer, jwt::verifier verifier, token_settings settings,
                             warden::clock const& clock)
    : signer_(std::move(signer)),
      verifier_(std::move(verifier)),
      settings_(std::move(settings)),
      clock_(clock) {}

result<issued_access_token> token_service::issue_access(store::user const& user,
                                                        scope_list const& scopes,
                                                        std::string_view session_id) const {
    auto jti = random_id(16);
    if (!jti) return jti.error();
    auto const issued_at = now();
    auto const expires_at = issued_at + settings_.access_ttl.count();
    boost::json::object claims{
        {"sub", std::to_string(user.id)}, {"exp", expires_at}, {"iat", issued_at}, {"jti", *jti},
        {"scope", join_scopes(scopes)},
    };
    if (!session_id.empty()) claims["sid"] = session_id;
    claims["ver"] = user.token_version;
    if (!settings_.issuer.empty()) claims["iss"] = settings_.issuer;
    if (!settings_.audience.empty()) claims["aud"] = settings_.audience;
    auto token = signer_.sign(claims);
    if (!token) return token.error();
    return issued_access_token{std::move(*token), std::move(*jti), expires_at};
}

result<access_claims> token_service::read_access(std::string_view token) const {
    auto const verified = verifier_.verify(token);
    if (!verified) {
        // The verifier's code says which check refused the token (for the operator's counts);
        // its condition is invalid_token, so the client learns no more than for any bad token.
        // Anything else (an OpenSSL failure on hostile input) is a bad token as well.
        if (verified.error() == condition::invalid_token) return verified.error();
        return make_error_code(errc::invalid_token);
    }
    access_claims out;
    auto const sub = verified->sub();
    auto const user = sub ? parse_user_id(*sub) : std::nullopt;
    if (!user) return make_error_code(errc::invalid_token);
    out.user = *user;
    out.expires_at = verified->exp().value_or(0);
    if (auto const jti = verified->jti()) out.jti = *jti;
    if (verified->contains("sid")) {
        auto const sid = verified->get_string("sid");
        if (!sid) return make_error_code(errc::invalid_token);
        out.session_id = *sid;
    }
    if (verified->contains("ver")) {
        auto const ver = verified->get_int64("ver");
        if (!ver || *ver < 0) return make_error_code(errc::invalid_token);
        out.token_version = *ver;
    }
    if (auto const scope = verified->scope()) {
        auto scopes = parse_scopes(*scope);
        if (!scopes) return make_error_code(errc::invalid_token);
        out.scopes = std::move(*scopes);
    }
    return out;
}

result<issued_refresh_token> token_service::issue_refresh() const {
    auto token = random_id(32);
    if (!token) return token.error();
    auto hash = refresh_token_hash(*token);
    return issued_refresh_token{std::move(*token), std::move(hash),
                                now() + settings_.refresh_ttl.count()};
}

std::string token_service::refresh_token_hash(std::string_view token) { return sha256(token); }

result<std::string> token_service::new_session_id() { return random_id(16); }

}  // namespace warden::auth
