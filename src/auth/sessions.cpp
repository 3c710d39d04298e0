#include <warden/auth/sessions.hpp>

#include <warden/auth/errc.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {

namespace asio = boost::asio;

result<token_response> session_service::issue_pair(store::user const& user, scope_list const& scopes,
                                                   std::string const& family,
                                                   std::string const& refresh_scope) const {
    auto refresh = tokens_.issue_refresh();
    if (!refresh) return refresh.error();
    auto access = tokens_.issue_access(user, scopes, family);
    if (!access) return access.error();
    // Both tokens in one durable commit.
    auto added = db_.sessions().add_grant(
        store::refresh_token{refresh->hash, family, user.id, refresh_scope, tokens_.now(), refresh->expires_at},
        access->jti, access->expires_at);
    if (!added) {
        // A family revoked meanwhile (logout racing a refresh) is a dead grant, not a failure.
        if (added.error() == store::errc::family_revoked) return make_error_code(errc::invalid_refresh_token);
        return added.error();
    }
    return token_response{std::move(access->token), tokens_.settings().access_ttl.count(),
                          std::move(refresh->token), join_scopes(scopes)};
}

asio::awaitable<result<token_response>> session_service::start(store::user user, scope_list scopes) {
    auto family = token_service::new_session_id();
    if (!family) co_return family.error();
    co_return co_await db_.run([&]() { return issue_pair(user, scopes, *family, join_scopes(scopes)); });
}

asio::awaitable<result<token_response>> session_service::refresh(std::string refresh_token,
                                                                 std::optional<scope_list> requested) {
    auto const hash = token_service::refresh_token_hash(refresh_token);
    auto const now = tokens_.now();
    co_return co_await db_.run([&]() -> result<token_response> {
        std::lock_guard const rotating{rotation_};
        // The scope check comes before spending the token, so a bad request costs no session.
        if (requested) {
            auto const known = db_.sessions().find_refresh_token(hash);
            if (!known) {
                if (known.error() == store::errc::not_found) return make_error_code(errc::invalid_refresh_token);
                return known.error();
            }
            auto const granted = parse_scopes(known->scope);
            if (!granted || !includes_all(*granted, *requested)) return make_error_code(errc::scope_not_granted);
        }
        auto consumed = db_.sessions().consume_refresh_token(hash, now);
        if (!consumed) return consumed.error();
        switch (consumed->state) {
            case store::refresh_state::fresh: break;
            case store::refresh_state::spent: {
                auto jtis = db_.sessions().revoke_family(consumed->token.family_id, now);
                if (!jtis) return jtis.error();
                auto revoked = db_.revoke_jtis(*jtis);
                if (!revoked) return revoked.error();
                return make_error_code(errc::refresh_token_reused);
            }
            case store::refresh_state::expired:
            case store::refresh_state::family_revoked:
            case store::refresh_state::unknown: return make_error_code(errc::invalid_refresh_token);
        }
        auto const user = db_.users().find_user(consumed->token.user);
        if (!user) {
            if (user.error() == store::errc::not_found) return make_error_code(errc::user_not_eligible);
            return user.error();
        }
        if (!user->is_active) return make_error_code(errc::user_not_eligible);
        auto const granted = parse_scopes(consumed->token.scope);
        if (!granted) return make_error_code(errc::invalid_refresh_token);
        // Scopes the user has lost since the login are not handed out again.
        auto scopes = intersect(requested ? *requested : *granted, user->scopes);
        return issue_pair(*user, scopes, consumed->token.family_id, consumed->token.scope);
    });
}

asio::awaitable<result<void>> session_service::end(std::string session_id, std::string jti,
                                                   std::int64_t expires_at) {
    auto const now = tokens_.now();
    co_return co_await db_.run([&]() -> result<void> {
        if (!session_id.empty()) {
            auto jtis = db_.sessions().revoke_family(session_id, now);
            if (!jtis && jtis.error() != store::errc::not_found) return jtis.error();
            if (jtis) {
                auto revoked = db_.revoke_jtis(*jtis);
                if (!revoked) return revoked;
            }
        }
        if (!jti.empty()) {
            return db_.revocations().revoke_jti(jti, expires_at);  // idempotent
        }
        return {};
    });
}

asio::awaitable<result<void>> session_service::revoke(std::string token, std::string hint) {
    auto const now = tokens_.now();
    // Revokes the family of `token` if it is one of our refresh tokens; says whether it was.
    auto revoke_refresh = [&](bool& found) -> result<void> {
        found = false;
        auto family = db_.sessions().family_of_refresh_token(token_service::refresh_token_hash(token));
        if (!family) return family.error() == store::errc::not_found ? result<void>{} : family.error();
        found = true;
        auto jtis = db_.sessions().revoke_family(*family, now);
        if (!jtis) return jtis.error();
        return db_.revoke_jtis(*jtis);
    };
    // An access token is verified first: only a genuine token of ours may put a jti on the list.
    auto const access = tokens_.read_access(token);
    co_return co_await db_.run([&]() -> result<void> {
        bool found = false;
        if (hint != "access_token") {
            auto done = revoke_refresh(found);
            if (!done || found) return done;
        }
        if (access && !access->jti.empty()) return db_.revocations().revoke_jti(access->jti, access->expires_at);
        if (hint == "access_token") return revoke_refresh(found);
        return {};
    });
}

asio::awaitable<result<void>> session_service::revoke_user_sessions(store::user_id user,
                                                                    std::string keep_session) {
    auto const now = tokens_.now();
    co_return co_await db_.run([&]() -> result<void> {
        auto jtis = db_.sessions().revoke_user_families(user, keep_session, now);
        if (!jtis) return jtis.error();
        return db_.revoke_jtis(*jtis);
    });
}

}  // namespace warden::auth
