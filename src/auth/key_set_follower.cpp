#include <warden/auth/key_set_follower.hpp>

#include <warden/core/sealed_box.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {

result<void> key_set_follower::reload() {
    auto loaded = keys_.load();
    if (!loaded) return loaded.error();
    unreadable_ = loaded->unreadable;
    // A key sealed under another key-encryption key: this process was configured differently
    // from the one that added it. Keep signing as before rather than drop keys silently.
    if (!unreadable_.empty()) return make_error_code(seal_errc::not_authentic);
    if (!loaded->current) return make_error_code(store::errc::not_found);
    if (auto const used = tokens_.use_keys(*loaded->current, std::move(loaded->public_keys)); !used)
        return used.error();
    revision_ = loaded->revision;
    next_expiry_ = loaded->next_expiry;
    return {};
}

result<bool> key_set_follower::poll() {
    auto const revision = keys_.revision();
    if (!revision) return {boost::system::in_place_error, revision.error()};
    bool const expired = next_expiry_ && *next_expiry_ < tokens_.now();
    if (*revision == revision_ && !expired) return false;
    if (auto const done = reload(); !done) return {boost::system::in_place_error, done.error()};
    return true;
}

}  // namespace warden::auth
