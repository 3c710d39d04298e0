#include <warden/auth/tokens.hpp>

#include <charconv>

#include <boost/json/array.hpp>
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

/// The public JWK Set of `keys`; `{"keys": []}` when they cannot be exported (HS*).
boost::json::object public_jwks_of(jwt::key_set const& keys) {
    auto jwks = keys.public_jwks();
    if (jwks) return std::move(*jwks);
    return {{"keys", boost::json::array{}}};
}

signing_material material_of(jwt::signer signer, jwt::verifier verifier) {
    auto jwks = public_jwks_of(verifier.keys());
    return {std::move(signer), std::move(verifier), std::move(jwks)};
}

}  // namespace

token_service::token_service(jwt::signer signer, jwt::verifier verifier, token_settings settings,
                             warden::clock const& clock)
    : keys_(material_of(std::move(signer), std::move(verifier))),
      settings_(std::move(settings)),
      clock_(clock) {}

result<void> token_service::use_keys(jwt::key const& current,
                                     std::vector<jwt::key> verification_keys) {
    auto signer = jwt::signer::create(current);
    if (!signer) return signer.error();
    auto keys = jwt::key_set::from_keys(std::move(verification_keys));
    if (!keys) return keys.error();
    auto jwks = keys->public_jwks();
    if (!jwks) return jwks.error();
    auto verifier = jwt::verifier::create(std::move(*keys), keys_.get().verifier.options(), clock_);
    if (!verifier) return verifier.error();
    keys_.replace({std::move(*signer), std::move(*verifier), std::move(*jwks)});
    return {};
}

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
    auto token = keys_.get().signer.sign(claims);
    if (!token) return token.error();
    return issued_access_token{std::move(*token), std::move(*jti), expires_at};
}

result<issued_access_token> token_service::issue_client_access(std::string_view client_id,
                                                               scope_list const& scopes) const {
    auto jti = random_id(16);
    if (!jti) return jti.error();
    auto const issued_at = now();
    auto const expires_at = issued_at + settings_.access_ttl.count();
    boost::json::object claims{
        {"sub", client_id}, {"client_id", client_id},       {"exp", expires_at}, {"iat", issued_at},
        {"jti", *jti},      {"scope", join_scopes(scopes)},
    };
    if (!settings_.issuer.empty()) claims["iss"] = settings_.issuer;
    if (!settings_.audience.empty()) claims["aud"] = settings_.audience;
    auto token = keys_.get().signer.sign(claims);
    if (!token) return token.error();
    return issued_access_token{std::move(*token), std::move(*jti), expires_at};
}

result<access_claims> token_service::read_access(std::string_view token) const {
    auto const verified = keys_.get().verifier.verify(token);
    if (!verified) {
        // The verifier's code says which check refused the token (for the operator's counts);
        // its condition is invalid_token, so the client learns no more than for any bad token.
        // Anything else (an OpenSSL failure on hostile input) is a bad token as well.
        if (verified.error() == condition::invalid_token) return verified.error();
        return make_error_code(errc::invalid_token);
    }
    access_claims out;
    auto const sub = verified->sub();
    if (verified->contains("client_id")) {
        // A client's token names the client twice; one that disagrees with itself is refused.
        auto const client = verified->get_string("client_id");
        if (!client || client->empty() || !sub || *sub != *client)
            return make_error_code(errc::invalid_token);
        out.client_id = *client;
    } else {
        auto const user = sub ? parse_user_id(*sub) : std::nullopt;
        if (!user) return make_error_code(errc::invalid_token);
        out.user = *user;
    }
    out.expires_at = verified->exp().value_or(0);
    out.issued_at = verified->iat().value_or(0);
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
