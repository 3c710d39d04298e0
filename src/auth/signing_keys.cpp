#include <warden/auth/signing_keys.hpp>

#include <algorithm>

#include <boost/json/serialize.hpp>

#include <warden/core/sealed_box.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {
namespace {

signing_key_state state_of(store::signing_key_record const& key, std::int64_t now) noexcept {
    if (key.retired_at) {
        return key.expires_at && *key.expires_at < now ? signing_key_state::expired
                                                       : signing_key_state::retired;
    }
    return key.activated_at ? signing_key_state::current : signing_key_state::pending;
}

signing_key_summary summary_of(store::signing_key_record const& key, std::int64_t now) {
    return {key.kid,          key.algorithm,  state_of(key, now), key.created_at,
            key.activated_at, key.retired_at, key.expires_at};
}

/// The private key sealed in `record`, checked to be the key its kid names; none when it does
/// not open (another key-encryption key) or is not that key.
std::optional<jwt::key> open_key(store::signing_key_record const& record, secret_bytes const& kek) {
    auto const alg = jwt::algorithm_from_string(record.algorithm);
    if (!alg || jwt::is_symmetric(*alg)) return std::nullopt;
    auto const pem = open_sealed(kek, record.sealed_private_key,
                                 signing_keys::associated_data(record.kid, record.algorithm));
    if (!pem) return std::nullopt;
    auto key = jwt::key::from_pem(*alg, pem->view(), {.kid = record.kid});
    if (!key) return std::nullopt;
    auto const thumbprint = key->thumbprint();
    if (!thumbprint || *thumbprint != record.kid) return std::nullopt;
    return std::move(*key);
}

}  // namespace

std::string_view to_string(signing_key_state state) noexcept {
    switch (state) {
        case signing_key_state::pending:
            return "pending";
        case signing_key_state::current:
            return "current";
        case signing_key_state::retired:
            return "retired";
        case signing_key_state::expired:
            return "expired";
    }
    return "unknown";
}

result<std::vector<jwt::key>> published_keys(store::signing_key_store& store, std::int64_t now) {
    auto records = store.signing_keys();
    if (!records) return records.error();
    std::vector<jwt::key> out;
    for (auto const& record : *records) {
        if (state_of(record, now) == signing_key_state::expired) continue;
        auto key = jwt::key::from_jwk(std::string_view{record.public_jwk});
        if (!key) return key.error();
        out.push_back(std::move(*key));
    }
    return out;
}

signing_keys::signing_keys(store::signing_key_store& store, secret_bytes kek,
                           key_lifetimes lifetimes, warden::clock const& clock)
    : store_(store), kek_(std::move(kek)), lifetimes_(lifetimes), clock_(clock) {}

std::string signing_keys::associated_data(std::string_view kid, std::string_view algorithm) {
    std::string out{"warden signing key\n"};
    out += kid;
    out += '\n';
    out += algorithm;
    return out;
}

result<loaded_keys> signing_keys::load() const {
    // The revision first: a change made while the keys are read moves it again, and the next
    // poll reloads.
    auto revision = store_.key_set_revision();
    if (!revision) return revision.error();
    auto records = store_.signing_keys();
    if (!records) return records.error();
    loaded_keys out;
    out.revision = *revision;
    auto const at = now();
    std::optional<std::int64_t> current_since;
    for (auto const& record : *records) {
        auto const state = state_of(record, at);
        if (state == signing_key_state::expired) continue;
        auto key = open_key(record, kek_);
        if (!key) {
            out.unreadable.push_back(record.kid);
            continue;
        }
        auto public_key = key->public_key();
        if (!public_key) return public_key.error();
        out.public_keys.push_back(std::move(*public_key));
        if (state == signing_key_state::retired && record.expires_at) {
            out.next_expiry =
                std::min(out.next_expiry.value_or(*record.expires_at), *record.expires_at);
        }
        // One key is current; should the store ever show two, the later activation signs.
        if (state == signing_key_state::current &&
            (!current_since || *record.activated_at >= *current_since)) {
            current_since = record.activated_at;
            out.current = std::move(*key);
        }
    }
    return out;
}

result<store::signing_key_record> signing_keys::sealed_record(jwt::key const& key) const {
    auto kid = key.thumbprint();
    if (!kid) return kid.error();
    auto pem = key.private_pem();
    if (!pem) return pem.error();
    auto public_key = key.public_key();
    if (!public_key) return public_key.error();
    auto jwk = public_key->public_jwk();
    if (!jwk) return jwk.error();
    (*jwk)["kid"] = *kid;
    store::signing_key_record record;
    record.algorithm = std::string{jwt::to_string(key.alg())};
    auto sealed = seal(kek_, pem->view(), associated_data(*kid, record.algorithm));
    if (!sealed) return sealed.error();
    record.kid = std::move(*kid);
    record.public_jwk = boost::json::serialize(*jwk);
    record.sealed_private_key = std::move(*sealed);
    record.created_at = now();
    return record;
}

result<void> signing_keys::check_key_encryption_key() const {
    auto const loaded = load();
    if (!loaded) return loaded.error();
    if (!loaded->unreadable.empty()) return make_error_code(seal_errc::not_authentic);
    return {};
}

result<bool> signing_keys::add_first(jwt::key const& key) const {
    auto record = sealed_record(key);
    if (!record) return {boost::system::in_place_error, record.error()};
    return store_.add_first_signing_key(*record);
}

result<store::signing_key_record> signing_keys::add_generated(jwt::algorithm alg) const {
    if (jwt::is_symmetric(alg)) return make_error_code(jwt::errc::not_exportable);
    if (auto const ok = check_key_encryption_key(); !ok) return ok.error();
    auto key = jwt::key::generate(alg);
    if (!key) return key.error();
    auto record = sealed_record(*key);
    if (!record) return record.error();
    if (auto const added = store_.add_signing_key(*record); !added) return added.error();
    return record;
}

result<signing_key_summary> signing_keys::generate(jwt::algorithm alg) const {
    auto record = add_generated(alg);
    if (!record) return record.error();
    return summary_of(*record, now());
}

result<signing_key_summary> signing_keys::rotate(std::optional<jwt::algorithm> only,
                                                 jwt::algorithm fallback) const {
    if (auto const ok = check_key_encryption_key(); !ok) return ok.error();
    auto records = store_.signing_keys();
    if (!records) return records.error();
    auto const at = now();
    std::optional<std::string> promoted;
    // Oldest first: the last match is the newest pending key.
    for (auto const& record : *records) {
        if (state_of(record, at) != signing_key_state::pending) continue;
        if (only && record.algorithm != jwt::to_string(*only)) continue;
        promoted = record.kid;
    }
    if (!promoted) {
        auto added = add_generated(only.value_or(fallback));
        if (!added) return added.error();
        promoted = added->kid;
    }
    auto const previous_expires_at = at + lifetimes_.access_ttl.count() + lifetimes_.leeway.count();
    if (auto const done = store_.activate_signing_key(*promoted, at, previous_expires_at); !done)
        return done.error();
    auto const after = store_.signing_keys();
    if (!after) return after.error();
    for (auto const& record : *after) {
        if (record.kid == *promoted) return summary_of(record, at);
    }
    return make_error_code(store::errc::not_found);
}

result<void> signing_keys::retire(std::string_view kid) const {
    auto const at = now();
    return store_.retire_signing_key(kid, at, at);
}

result<std::vector<signing_key_summary>> signing_keys::list() const {
    auto records = store_.signing_keys();
    if (!records) return records.error();
    auto const at = now();
    std::vector<signing_key_summary> out;
    out.reserve(records->size());
    for (auto const& record : *records) out.push_back(summary_of(record, at));
    return out;
}

result<std::int64_t> signing_keys::purge_expired() const {
    return store_.purge_expired_signing_keys(now());
}

result<std::int64_t> signing_keys::revision() const { return store_.key_set_revision(); }

}  // namespace warden::auth
