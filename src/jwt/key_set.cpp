#include <boost/json/array.hpp>
#include <warden/core/errc.hpp>
#include <warden/core/json.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/key_set.hpp>

namespace warden::jwt {

namespace json = boost::json;

result<key_set> key_set::from_keys(std::vector<key> keys) {
    key_set set;
    set.keys_.reserve(keys.size());
    for (auto& k : keys) {
        if (auto added = set.add(std::move(k)); !added) return added.error();
    }
    return set;
}

result<key_set> key_set::from_jwks(json::object const& jwks) {
    auto const* list = jwks.if_contains("keys");
    if (list == nullptr || !list->is_array()) return make_error_code(errc::invalid_key);
    std::vector<key> keys;
    keys.reserve(list->get_array().size());
    for (auto const& jwk : list->get_array()) {
        if (!jwk.is_object()) return make_error_code(errc::invalid_key);
        auto k = key::from_jwk(jwk.get_object());
        if (!k) return k.error();
        keys.push_back(std::move(*k));
    }
    return from_keys(std::move(keys));
}

result<key_set> key_set::from_jwks(std::string_view jwks_json) {
    auto parsed = parse_json_strict(jwks_json);
    if (!parsed) {
        if (parsed.error() == core_errc::duplicate_member) {
            return make_error_code(errc::duplicate_member);
        }
        if (parsed.error() == core_errc::json_too_deep) return make_error_code(errc::too_deep);
        return make_error_code(errc::bad_json);
    }
    if (!parsed->is_object()) return make_error_code(errc::invalid_key);
    return from_jwks(parsed->get_object());
}

result<void> key_set::add(key k) {
    for (auto const& existing : keys_) {
        // Wycheproof "MixedKeySet": a secret next to public keys makes key choice ambiguous.
        if (existing.is_symmetric() != k.is_symmetric()) {
            return make_error_code(errc::mixed_key_set);
        }
        // Wycheproof "DuplicateKid": a kid must name one key.
        if (!k.kid().empty() && existing.kid() == k.kid()) {
            return make_error_code(errc::duplicate_kid);
        }
    }
    keys_.push_back(std::move(k));
    return {};
}

key const* key_set::find(std::string_view kid) const noexcept {
    for (auto const& k : keys_) {
        if (!k.kid().empty() && k.kid() == kid) return &k;
    }
    return nullptr;
}

result<json::object> key_set::public_jwks() const {
    json::array list;
    for (auto const& k : keys_) {
        if (k.is_symmetric()) continue;
        auto jwk = k.public_jwk();
        if (!jwk) return jwk.error();
        list.emplace_back(std::move(*jwk));
    }
    json::object out;
    out["keys"] = std::move(list);
    return out;
}

}  // namespace warden::jwt
