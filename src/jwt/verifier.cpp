#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstring>
#include <optional>
#include <span>
#include <vector>
#include <warden/core/base64url.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/verifier.hpp>

#include "jwt/base64url.hpp"
#include "jwt/claims_access.hpp"
#include "jwt/claims_parser.hpp"
#include "jwt/compact.hpp"
#include "jwt/header.hpp"
#include "jwt/key_impl.hpp"

namespace warden::jwt {
namespace {

namespace json = boost::json;

using candidates = std::vector<key::impl const*>;
using candidate_span = std::span<key::impl const* const>;

// Signatures are at most 512 bytes (RSA-4096); 16384-bit RSA keys need 2048.
constexpr std::size_t max_signature_size = 2048;

struct claim_rules {
    std::array<bool, claims::c_count> required_registered{};
    std::vector<std::string> required_other;
};

}  // namespace

struct verifier::state {
    key_set keys;
    std::vector<key::impl const*> impls;
    verifier_options options;
    warden::clock const* clock = nullptr;
    claim_rules rules;
    double leeway = 0;

    // Headers seen in practice (those this library and PyJWT write for the configured keys),
    // parsed once at creation by the same code as any other header. A token whose header segment
    // is byte-identical skips decoding and parsing it: a pure memo of parse_header.
    struct known_header {
        std::string b64;
        header_info info;
        bool typ_ok = false;
        result<candidates> keys = make_error_code(errc::key_not_found);
    };
    std::vector<known_header> known;

    // The known header that `token` starts with, followed by its '.', if any.
    [[nodiscard]] known_header const* find_known_prefix(std::string_view token) const noexcept {
        for (auto const& k : known) {
            std::size_t const n = k.b64.size();
            if (token.size() > n && token[n] == '.' &&
                std::memcmp(k.b64.data(), token.data(), n) == 0) {
                return &k;
            }
        }
        return nullptr;
    }

    [[nodiscard]] known_header const* find_known(std::string_view b64) const noexcept {
        for (auto const& k : known) {
            if (k.b64.size() == b64.size() &&
                std::memcmp(k.b64.data(), b64.data(), b64.size()) == 0) {
                return &k;
            }
        }
        return nullptr;
    }

    // RFC 8725 §3.1: the token's alg must be the algorithm of the key that checks it; `kid`
    // only chooses among configured keys.
    [[nodiscard]] result<candidates> select(header_info const& h) const {
        candidates out;
        if (h.has_kid) {
            key const* k = keys.find(h.kid);
            if (k == nullptr) return make_error_code(errc::key_not_found);
            auto const& impl = key_access::impl(*k);
            if (impl.alg != h.alg) return make_error_code(errc::alg_not_allowed);
            out.push_back(&impl);
            return out;
        }
        for (auto const* impl : impls) {
            if (impl->alg == h.alg) out.push_back(impl);
        }
        if (out.empty()) return make_error_code(errc::alg_not_allowed);
        return out;
    }

    [[nodiscard]] bool typ_ok(header_info const& h) const noexcept {
        if (options.typ.empty()) return true;
        return h.has_typ && typ_matches(h.typ, options.typ);
    }

    // The rest of a verification once the header is known good: signature, then the payload.
    [[nodiscard]] error_code verify_with(compact_parts const& parts, header_info const& h,
                                         candidate_span chosen, claims& out) const;
    // A header that is not one of the known ones: parsed and checked for this call.
    [[nodiscard]] error_code verify_unknown_header(compact_parts const& parts, claims& out) const;

    // The key among `chosen` whose signature over `signing_input` is `signature_b64`, or an error.
    [[nodiscard]] result<key::impl const*> check_signature(candidate_span chosen,
                                                           std::string_view signing_input,
                                                           std::string_view signature_b64) const {
        if (signature_b64.size() > base64url_encoded_max()) {
            if (signature_b64.find('.') != std::string_view::npos)
                return make_error_code(errc::malformed);
            return make_error_code(errc::bad_signature);
        }
        std::array<char, max_signature_size> sig;  // not zeroed: only the decoded bytes are read
        auto const size = detail::base64url_decode(signature_b64, sig.data());
        if (!size) {
            // The fast path splits at two dots only: a third one lands here (not a compact JWS).
            if (signature_b64.find('.') != std::string_view::npos)
                return make_error_code(errc::malformed);
            return make_error_code(errc::bad_base64);
        }
        std::string_view const sig_view{sig.data(), *size};
        for (auto const* k : chosen) {
            if (k->verify(signing_input, sig_view)) return k;
        }
        return make_error_code(errc::bad_signature);
    }

    static constexpr std::size_t base64url_encoded_max() noexcept {
        return detail::base64url_encoded_size(max_signature_size);
    }

    [[nodiscard]] error_code check_claims(claims const& c, bool aud_is_valid) const;
    [[nodiscard]] error_code verify_into(std::string_view token, claims& out) const;
    [[nodiscard]] result<verified_jws> verify_jws(std::string_view token,
                                                  std::optional<std::string_view> detached) const;
};

namespace {

// NumericDate (RFC 7519 §2) as seconds; nullopt when not a finite JSON number.
std::optional<double> numeric_date(claims_access::member const& m) noexcept {
    switch (m.kind) {
        case json::kind::int64:
            return static_cast<double>(m.value.i);
        case json::kind::uint64:
            return static_cast<double>(m.value.u);
        case json::kind::double_:
            if (!std::isfinite(m.value.d)) return std::nullopt;
            return m.value.d;
        default:
            return std::nullopt;
    }
}

}  // namespace

error_code verifier::state::check_claims(claims const& c, bool aud_is_valid) const {
    using r = claims;
    auto const& index = claims_access::registered(c);
    auto const& members = claims_access::members(c);
    auto get = [&](r::registered_claim id) -> claims_access::member const* {
        auto const i = index[id];
        return i < 0 ? nullptr : &members[static_cast<std::size_t>(i)];
    };
    auto const* iss = get(r::c_iss);
    auto const* aud = get(r::c_aud);
    auto const* exp = get(r::c_exp);
    auto const* nbf = get(r::c_nbf);
    auto const* iat = get(r::c_iat);
    auto const* sub = get(r::c_sub);
    auto const* jti = get(r::c_jti);
    auto const* scope = get(r::c_scope);

    // Types first: a registered claim of the wrong type is never interpreted.
    auto not_string = [](claims_access::member const* m) {
        return m != nullptr && m->kind != json::kind::string;
    };
    if (not_string(iss) || not_string(sub) || not_string(jti) || not_string(scope)) {
        return make_error_code(errc::claim_wrong_type);
    }
    // RFC 7519 §4.1.4: NumericDate is a JSON number; "1700000000" (a string) is refused.
    std::optional<double> const exp_s = exp != nullptr ? numeric_date(*exp) : std::nullopt;
    std::optional<double> const nbf_s = nbf != nullptr ? numeric_date(*nbf) : std::nullopt;
    std::optional<double> const iat_s = iat != nullptr ? numeric_date(*iat) : std::nullopt;
    if ((exp != nullptr && !exp_s) || (nbf != nullptr && !nbf_s) || (iat != nullptr && !iat_s)) {
        return make_error_code(errc::claim_wrong_type);
    }
    if (aud != nullptr && aud->kind != json::kind::string &&
        !(aud->kind == json::kind::array && aud_is_valid)) {
        return make_error_code(errc::claim_wrong_type);
    }

    for (std::size_t i = 0; i < r::c_count; ++i) {
        if (rules.required_registered[i] && index[i] < 0)
            return make_error_code(errc::missing_claim);
    }
    for (auto const& name : rules.required_other) {
        if (!c.contains(name)) return make_error_code(errc::missing_claim);
    }

    if (exp_s || nbf_s || iat_s) {
        double const now = std::chrono::duration<double>(clock->now().time_since_epoch()).count();
        // RFC 7519 §4.1.4: the current time must be before exp (plus leeway).
        if (exp_s && now >= *exp_s + leeway) return make_error_code(errc::expired);
        if (nbf_s && now + leeway < *nbf_s) return make_error_code(errc::not_yet_valid);
        if (iat_s && *iat_s > now + leeway) return make_error_code(errc::issued_in_future);
    }

    if (!options.issuer.empty()) {
        if (iss == nullptr) return make_error_code(errc::missing_claim);
        if (claims_access::view(c, iss->value.s) != options.issuer) {
            return make_error_code(errc::wrong_issuer);
        }
    }
    if (aud != nullptr || !options.audiences.empty()) {
        // RFC 7519 §4.1.3: a recipient that is not named in aud must reject the token.
        if (aud == nullptr) return make_error_code(errc::missing_claim);
        bool const named = std::any_of(options.audiences.begin(), options.audiences.end(),
                                       [&](std::string const& a) { return c.has_audience(a); });
        if (!named) return make_error_code(errc::wrong_audience);
    }
    return {};
}

error_code verifier::state::verify_into(std::string_view token, claims& out) const {
    // The size limit comes before any decoding.
    if (token.size() > options.limits.max_token_size) return make_error_code(errc::token_too_large);
    compact_parts parts;
    if (auto const* k = find_known_prefix(token)) {
        // A known header: only the payload's end is left to find. A dot inside the signature
        // segment is found when the signature is decoded (malformed).
        std::size_t const dot1 = k->b64.size();
        auto const* dot2 = static_cast<char const*>(
            std::memchr(token.data() + dot1 + 1, '.', token.size() - dot1 - 1));
        if (dot2 == nullptr) return make_error_code(errc::malformed);
        auto const end2 = static_cast<std::size_t>(dot2 - token.data());
        parts.header = token.substr(0, dot1);
        parts.payload = token.substr(dot1 + 1, end2 - dot1 - 1);
        parts.signature = token.substr(end2 + 1);
        parts.signing_input = token.substr(0, end2);
        if (!k->typ_ok) return make_error_code(errc::wrong_typ);
        if (!k->keys) return k->keys.error();
        return verify_with(parts, k->info, *k->keys, out);
    }
    if (!split_compact(token, parts)) return make_error_code(errc::malformed);
    return verify_unknown_header(parts, out);
}

error_code verifier::state::verify_unknown_header(compact_parts const& parts, claims& out) const {
    auto h = parse_header(parts.header, options.limits.max_json_depth);
    if (!h) return h.error();
    if (!typ_ok(*h)) return make_error_code(errc::wrong_typ);
    auto chosen = select(*h);
    if (!chosen) return chosen.error();
    return verify_with(parts, *h, *chosen, out);
}

error_code verifier::state::verify_with(compact_parts const& parts, header_info const& h,
                                        candidate_span chosen, claims& out) const {
    // Decoding is exact and bounded; interpreting the payload waits for a valid signature.
    if (auto ec = decode_claims_payload(parts.payload, h.kid.size() + h.typ.size(), out)) return ec;
    auto signer_key = check_signature(chosen, parts.signing_input, parts.signature);
    if (!signer_key) return signer_key.error();
    auto const parsed = parse_claims_payload(options.limits.max_json_depth, out);
    if (parsed.error) return parsed.error;
    if (auto ec = check_claims(out, parsed.aud_is_valid)) return ec;
    set_claims_header(out, (*signer_key)->alg, h.kid, h.typ);
    return {};
}

result<verified_jws> verifier::state::verify_jws(std::string_view token,
                                                 std::optional<std::string_view> detached) const {
    if (token.size() > options.limits.max_token_size) return make_error_code(errc::token_too_large);
    compact_parts parts;
    if (!split_compact(token, parts)) return make_error_code(errc::malformed);
    header_info parsed_header;
    header_info const* h = nullptr;
    candidates parsed_keys;
    candidate_span chosen;
    if (auto const* k = find_known(parts.header)) {
        if (!k->keys) return k->keys.error();
        h = &k->info;
        chosen = *k->keys;
    } else {
        auto parsed = parse_header(parts.header, options.limits.max_json_depth);
        if (!parsed) return parsed.error();
        parsed_header = std::move(*parsed);
        auto selected = select(parsed_header);
        if (!selected) return selected.error();
        parsed_keys = std::move(*selected);
        h = &parsed_header;
        chosen = parsed_keys;
    }
    std::string detached_input;
    std::string_view signing_input = parts.signing_input;
    if (detached) {
        // RFC 7515 Appendix F: the payload segment is empty and the content travels apart.
        if (!parts.payload.empty()) return make_error_code(errc::malformed);
        detached_input.reserve(parts.header.size() + 1 +
                               detail::base64url_encoded_size(detached->size()));
        detached_input.append(parts.header);
        detached_input += '.';
        detached_input.append(base64url_encode(*detached));
        signing_input = detached_input;
    }
    std::string payload;
    if (detached) {
        payload = std::string{*detached};
    } else {
        auto decoded = base64url_decode(parts.payload);
        if (!decoded) return make_error_code(errc::bad_base64);
        payload = std::move(*decoded);
    }
    auto signer_key = check_signature(chosen, signing_input, parts.signature);
    if (!signer_key) return signer_key.error();
    verified_jws out{h->object, std::move(payload), (*signer_key)->alg};
    return out;
}

result<verifier> verifier::create(key_set keys, verifier_options options,
                                  warden::clock const& clock) {
    if (keys.empty()) return make_error_code(errc::empty_key_set);
    if (options.leeway.count() < 0 || options.limits.max_token_size == 0 ||
        options.limits.max_json_depth == 0) {
        return make_error_code(errc::invalid_options);
    }
    for (auto const& k : keys) {
        if (!k.can_verify()) return make_error_code(errc::key_use_mismatch);
    }
    auto s = std::make_shared<state>();
    s->keys = std::move(keys);
    s->options = std::move(options);
    s->clock = &clock;
    s->leeway = static_cast<double>(s->options.leeway.count());
    for (auto const& k : s->keys) s->impls.push_back(&key_access::impl(k));
    for (auto const& name : s->options.required_claims) {
        static constexpr std::array<std::string_view, claims::c_count> names{
            "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "scope"};
        auto const it = std::find(names.begin(), names.end(), name);
        if (it != names.end()) {
            s->rules.required_registered[static_cast<std::size_t>(it - names.begin())] = true;
        } else {
            s->rules.required_other.push_back(name);
        }
    }

    // The headers the configured keys are most often presented with: {"alg"} plus optional
    // "kid" and "typ" ("JWT" or the expected typ), members sorted as PyJWT and our signer write.
    for (auto const* impl : s->impls) {
        std::vector<std::string> kids{std::string{}};
        if (!impl->kid.empty()) kids.push_back(impl->kid);
        std::vector<std::string> typs{std::string{}, "JWT"};
        if (!s->options.typ.empty() && s->options.typ != "JWT") typs.push_back(s->options.typ);
        for (auto const& kid : kids) {
            for (auto const& typ : typs) {
                json::object header;
                header["alg"] = to_string(impl->alg);
                if (!kid.empty()) header["kid"] = kid;
                if (!typ.empty()) header["typ"] = typ;
                std::string const b64 = base64url_encode(json::serialize(header));
                if (s->find_known(b64) != nullptr) continue;
                auto parsed = parse_header(b64, s->options.limits.max_json_depth);
                if (!parsed) continue;
                state::known_header k;
                k.b64 = b64;
                k.typ_ok = s->typ_ok(*parsed);
                k.keys = s->select(*parsed);
                k.info = std::move(*parsed);
                s->known.push_back(std::move(k));
            }
        }
    }
    return verifier{std::move(s)};
}

result<claims> verifier::verify(std::string_view token) const {
    result<claims> out{boost::system::in_place_value};
    if (auto ec = state_->verify_into(token, *out)) out = result<claims>{ec};
    return out;
}

result<verified_jws> verifier::verify_jws(std::string_view token) const {
    return state_->verify_jws(token, std::nullopt);
}

result<verified_jws> verifier::verify_detached(std::string_view token,
                                               std::string_view payload) const {
    return state_->verify_jws(token, payload);
}

key_set const& verifier::keys() const noexcept { return state_->keys; }
verifier_options const& verifier::options() const noexcept { return state_->options; }

}  // namespace warden::jwt
