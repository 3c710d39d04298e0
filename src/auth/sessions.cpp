#include <warden/auth/sessions.hpp>

#include <warden/auth/errc.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {

namespace asio = boost::asio;

result<session_service::minted> session_service::mint(store::user const& user,
                                                      scope_list const& scopes,
                                                      std::string const& family,
                                                      std::string const& refresh_scope) const {
    auto refresh = tokens_.issue_refresh();
    if (!refresh) return refresh.error();
    auto access = tokens_.issue_access(user, scopes, family);
    if (!access) return access.error();
    store::grant record{store::refresh_token{refresh->hash, family, user.id, refresh_scope,
                                             tokens_.now(), refresh->expires_at},
                        access->jti, access->expires_at};
    return minted{token_response{std::move(access->token), tokens_.settings().access_ttl.count(),
                                 std::move(refresh->token), join_scopes(scopes)},
                  std::move(record)};
}

asio::awaitable<result<token_response>> session_service::start(store::user user, scope_list scopes,
                                                               std::string rehash) {
    auto family = token_service::new_session_id();
    if (!family) co_return family.error();
    auto pair = mint(user, scopes, *family, join_scopes(scopes));
    if (!pair) co_return pair.error();
    auto const now = tokens_.now();
    // The user's row as it was read is part of the grant: see store::credential_check.
    store::credential_check const seen{user.id, user.token_version, user.password_hash};
    auto const recorded = co_await db_.run(
        [&]() { return db_.sessions().start_session(seen, pair->record, rehash, now); });
    if (!recorded) co_return recorded.error();
    co_return std::move(pair->response);
}

asio::awaitable<result<token_response>> session_service::refresh(
    std::string refresh_token, std::optional<scope_list> requested) {
    auto outcome = co_await rotate(std::move(refresh_token), std::move(requested));
    if (events_ != nullptr)
        events_->refresh(refresh_outcome_of(outcome ? error_code{} : outcome.error()));
    co_return outcome;
}

asio::awaitable<result<token_response>> session_service::rotate(
    std::string refresh_token, std::optional<scope_list> requested) {
    auto const hash = token_service::refresh_token_hash(refresh_token);
    auto const now = tokens_.now();
    co_return co_await db_.write([&]() -> result<token_response> {
        // A read first: the scope check (before anything is spent, so a bad request costs no
        // session), the user and the new pair need the token's record. The rotation re-checks
        // all of it in its own transaction.
        auto const known = db_.sessions().find_refresh_token(hash);
        if (!known) {
            if (known.error() == store::errc::not_found)
                return make_error_code(errc::invalid_refresh_token);
            return known.error();
        }
        auto const granted = parse_scopes(known->scope);
        if (!granted) return make_error_code(errc::invalid_refresh_token);
        if (requested && !includes_all(*granted, *requested))
            return make_error_code(errc::scope_not_granted);
        auto const user = db_.users().find_user(known->user);
        if (!user) {
            if (user.error() == store::errc::not_found)
                return make_error_code(errc::user_not_eligible);
            return user.error();
        }
        if (!user->is_active) return make_error_code(errc::user_not_eligible);
        // Scopes the user has lost since the login are not handed out again.
        auto const scopes = intersect(requested ? *requested : *granted, user->scopes);
        auto pair = mint(*user, scopes, known->family_id, known->scope);
        if (!pair) return pair.error();
        auto const rotated = db_.sessions().rotate_refresh(
            hash, store::credential_check{user->id, user->token_version, {}}, pair->record, now);
        if (!rotated) {
            // Deactivated, deleted or every session revoked since the read.
            if (rotated.error() == store::errc::credentials_changed ||
                rotated.error() == store::errc::not_found) {
                return make_error_code(errc::user_not_eligible);
            }
            if (rotated.error() == store::errc::family_revoked)
                return make_error_code(errc::invalid_refresh_token);
            return rotated.error();
        }
        switch (rotated->state) {
            case store::refresh_state::fresh:
                return std::move(pair->response);
            case store::refresh_state::spent:
                return make_error_code(errc::refresh_token_reused);
            case store::refresh_state::expired:
            case store::refresh_state::family_revoked:
            case store::refresh_state::unknown:
                break;
        }
        return make_error_code(errc::invalid_refresh_token);
    });
}

asio::awaitable<result<void>> session_service::end(std::string session_id, std::string jti,
                                                   std::int64_t expires_at) {
    auto const now = tokens_.now();
    co_return co_await db_.write([&]() -> result<void> {
        if (!session_id.empty()) {
            // The family and every access token issued in it, in one transaction.
            auto jtis = db_.sessions().revoke_family(session_id, now);
            if (!jtis && jtis.error() != store::errc::not_found) return jtis.error();
        }
        // The presented token too, also when it was minted outside a recorded family.
        if (!jti.empty()) return db_.revocations().revoke_jti(jti, expires_at);  // idempotent
        return {};
    });
}

asio::awaitable<result<void>> session_service::revoke(std::string token, std::string hint) {
    auto const now = tokens_.now();
    // Revokes the family of `token` if it is one of our refresh tokens; says whether it was.
    auto revoke_refresh = [&](bool& found) -> result<void> {
        found = false;
        auto family =
            db_.sessions().family_of_refresh_token(token_service::refresh_token_hash(token));
        if (!family)
            return family.error() == store::errc::not_found ? result<void>{} : family.error();
        found = true;
        auto jtis = db_.sessions().revoke_family(*family, now);
        if (!jtis && jtis.error() != store::errc::not_found)
            return jtis.error();  // purged meanwhile
        return {};
    };
    // An access token is verified first: only a genuine token of ours may put a jti on the list.
    auto const access = tokens_.read_access(token);
    co_return co_await db_.write([&]() -> result<void> {
        bool found = false;
        if (hint != "access_token") {
            auto done = revoke_refresh(found);
            if (!done || found) return done;
        }
        if (access && !access->jti.empty())
            return db_.revocations().revoke_jti(access->jti, access->expires_at);
        if (hint == "access_token") return revoke_refresh(found);
        return {};
    });
}

asio::awaitable<result<void>> session_service::revoke_user_sessions(store::user_id user,
                                                                    std::string keep_session) {
    auto const now = tokens_.now();
    co_return co_await db_.write([&]() -> result<void> {
        auto jtis = db_.sessions().revoke_user_families(user, keep_session, now);
        if (!jtis) return jtis.error();
        return {};
    });
}

}  // namespace warden::auth
