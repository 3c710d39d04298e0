// transfer_store: a whole deployment read from one backend and written to another (both ways),
// ids, hashes, sessions and revocations kept; the target never reuses a deleted user's id.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace warden::store {
namespace {

class transfer : public test::store_test {
  protected:
    // A deployment with a deleted user, a live and a revoked session, a spent refresh token, a
    // binary token hash and a revocation.
    void fill() {
        auto const ada = add_user("ada@x.io");
        auto const gone = add_user("gone@x.io");
        ASSERT_TRUE(s_.users->update_user(
            ada.id, {.full_name = "Ada L\xc3\xb6we", .scopes = std::vector<std::string>{"admin"}},
            1500));
        ASSERT_TRUE(s_.users->delete_user(gone.id));
        auto const bob = add_user("Bob@X.io");
        std::string const binary_hash{"\x00\xff\x10h", 4};
        grant const live{refresh_token{binary_hash, "f-live", ada.id, "admin", 100, 9000}, "j-1",
                         4000};
        ASSERT_TRUE(s_.sessions->start_session({ada.id, 0, ada.password_hash}, live, "", 100));
        grant const next{refresh_token{"h-2", "f-live", ada.id, "admin", 200, 9100}, "j-2", 4100};
        ASSERT_TRUE(s_.sessions->rotate_refresh(binary_hash, {ada.id, 0, ""}, next, 200));
        grant const old{refresh_token{"h-3", "f-old", bob.id, "", 100, 9000}, "j-3", 4000};
        ASSERT_TRUE(s_.sessions->start_session({bob.id, 0, bob.password_hash}, old, "", 100));
        ASSERT_TRUE(s_.sessions->revoke_family("f-old", 300));
        ASSERT_TRUE(s_.revocations->revoke_jti("j-loose", 5000));
        // A retired, a current and a pending signing key (sealed bytes that are not text), and
        // two clients.
        ASSERT_TRUE(*s_.keys->add_first_signing_key(key("k-old", 100)));
        ASSERT_TRUE(s_.keys->add_signing_key(key("k-now", 200)));
        ASSERT_TRUE(s_.keys->activate_signing_key("k-now", 300, 1300));
        ASSERT_TRUE(s_.keys->add_signing_key(key("k-next", 400)));
        ASSERT_TRUE(s_.clients->add_client(client("svc-b", {"items:read", "items:write"})));
        ASSERT_TRUE(s_.clients->add_client(client("svc-a", {})));
        // Ada verified (her token spent), Bob's verification pending (a binary hash); Ada's TOTP
        // confirmed with a step accepted and a code used, Bob's enrolment unconfirmed.
        ASSERT_TRUE(s_.one_time_tokens->issue_one_time_token(one_time_token_kind::verify, ada.id,
                                                             "t-ada", 400, 900));
        ASSERT_TRUE(s_.one_time_tokens->redeem_verification("t-ada", 450));
        ASSERT_TRUE(s_.one_time_tokens->issue_one_time_token(
            one_time_token_kind::verify, bob.id, std::string{"\x00\xfft-bob", 7}, 400, 86400));
        ASSERT_TRUE(s_.totp->begin_totp_enrolment(ada.id, std::string{"\x00\xffsealed", 8},
                                                  {"c-1", "c-2"}, 500));
        ASSERT_TRUE(s_.totp->confirm_totp(ada.id, 510));
        ASSERT_TRUE(s_.totp->accept_totp_step(ada.id, 77));
        ASSERT_TRUE(s_.totp->use_recovery_code(ada.id, "c-2", 520));
        ASSERT_TRUE(s_.totp->begin_totp_enrolment(bob.id, "bob-sealed", {"c-1"}, 600));
    }

    static signing_key_record key(std::string kid, std::int64_t created_at) {
        return {.kid = std::move(kid),
                .algorithm = "EdDSA",
                .public_jwk = R"({"kty":"OKP","crv":"Ed25519","x":"AA"})",
                .sealed_private_key = std::string{"\x00\xffsealed\x80", 9},
                .created_at = created_at};
    }

    static client_record client(std::string id, std::vector<std::string> scopes) {
        return {.client_id = std::move(id),
                .secret_hash = std::string(31, '\xee') + '\0',
                .scopes = std::move(scopes),
                .created_at = 10,
                .updated_at = 20};
    }

    // A fresh empty store of the given kind ("other process": its own connections).
    std::optional<backends> target(test::backend kind) {
        std::string why;
        if (kind == test::backend::postgresql) {
            std::string skip;
            if (test::require_postgres(target_db_, &skip) != test::postgres_outcome::ready) {
                return std::nullopt;
            }
            auto r = open(target_db_->url(), &why);
            EXPECT_TRUE(r.has_value()) << why;
            return r.has_value() ? std::optional{*r} : std::nullopt;
        }
        auto r = open(test::sqlite_url(dir_.path() / "target.db"), &why);
        EXPECT_TRUE(r.has_value()) << why;
        return r.has_value() ? std::optional{*r} : std::nullopt;
    }

    std::optional<test::postgres_database> target_db_;
};

void expect_same(store_rows const& a, store_rows const& b) {
    ASSERT_EQ(a.users.size(), b.users.size());
    for (std::size_t i = 0; i < a.users.size(); ++i) {
        EXPECT_EQ(a.users[i].id, b.users[i].id);
        EXPECT_EQ(a.users[i].email, b.users[i].email);
        EXPECT_EQ(a.users[i].password_hash, b.users[i].password_hash);
        EXPECT_EQ(a.users[i].full_name, b.users[i].full_name);
        EXPECT_EQ(a.users[i].is_active, b.users[i].is_active);
        EXPECT_EQ(a.users[i].scopes, b.users[i].scopes);
        EXPECT_EQ(a.users[i].created_at, b.users[i].created_at);
        EXPECT_EQ(a.users[i].updated_at, b.users[i].updated_at);
        EXPECT_EQ(a.users[i].token_version, b.users[i].token_version);
        EXPECT_EQ(a.users[i].is_verified, b.users[i].is_verified);
    }
    EXPECT_EQ(a.families, b.families);
    EXPECT_EQ(a.refresh_tokens, b.refresh_tokens);
    EXPECT_EQ(a.access_tokens, b.access_tokens);
    EXPECT_EQ(a.revoked, b.revoked);
    EXPECT_EQ(a.signing_keys, b.signing_keys);
    EXPECT_EQ(a.clients, b.clients);
    EXPECT_EQ(a.one_time_tokens, b.one_time_tokens);
    EXPECT_EQ(a.totp, b.totp);
    EXPECT_EQ(a.recovery_codes, b.recovery_codes);
}

TEST_P(transfer, a_deployment_moves_to_either_backend_whole) {
    fill();
    auto const source = s_.transfer->read_all();
    ASSERT_TRUE(source.has_value());
    EXPECT_EQ(source->users.size(), 2U);
    EXPECT_EQ(source->last_user_id, 3);  // the deleted user's id 2 is not handed out again
    EXPECT_EQ(source->refresh_tokens.size(), 3U);
    ASSERT_EQ(source->signing_keys.size(), 3U);
    EXPECT_EQ(source->signing_keys[0].kid, "k-old");
    EXPECT_EQ(source->signing_keys[0].expires_at, 1300);
    ASSERT_EQ(source->clients.size(), 2U);
    EXPECT_EQ(source->clients[0].client_id, "svc-a");
    EXPECT_TRUE(source->users[0].is_verified);
    EXPECT_FALSE(source->users[1].is_verified);
    ASSERT_EQ(source->one_time_tokens.size(), 2U);
    EXPECT_EQ(source->one_time_tokens[0].token_hash, std::string("\x00\xfft-bob", 7));
    EXPECT_EQ(source->one_time_tokens[1].used_at, 450);
    ASSERT_EQ(source->totp.size(), 2U);
    EXPECT_EQ(source->totp[0].sealed_secret, std::string("\x00\xffsealed", 8));
    EXPECT_EQ(source->totp[0].last_accepted_step, 77);
    EXPECT_EQ(source->totp[1].confirmed_at, std::nullopt);
    EXPECT_EQ(source->recovery_codes.size(), 3U);
    for (auto const kind : {test::backend::sqlite, test::backend::postgresql}) {
        SCOPED_TRACE(test::to_string(kind));
        auto to = target(kind);
        if (!to) continue;  // no PostgreSQL here: the SQLite target still ran
        EXPECT_TRUE(*to->transfer->empty());
        ASSERT_TRUE(to->transfer->write_all(*source, false));
        EXPECT_FALSE(*to->transfer->empty());
        auto const copied = to->transfer->read_all();
        ASSERT_TRUE(copied.has_value());
        expect_same(*source, *copied);
        EXPECT_EQ(copied->last_user_id, 3);
        // The copy serves: the live session rotates on, the old one stays revoked, and a new
        // user gets a fresh id.
        auto const state = to->sessions->consume_refresh_token("h-2", 300);
        ASSERT_TRUE(state.has_value());
        EXPECT_EQ(state->state, refresh_state::fresh);
        EXPECT_EQ(to->sessions->consume_refresh_token("h-3", 300)->state,
                  refresh_state::family_revoked);
        EXPECT_EQ(to->users->find_user_by_email("bob@x.io")->id, 3);
        auto const next = to->users->create_user({.email = "new@x.io", .password_hash = "h"}, 9);
        ASSERT_TRUE(next.has_value());
        EXPECT_EQ(next->id, 4);
        // The copy signs with the same key set and knows the same clients.
        EXPECT_EQ(*to->keys->signing_keys(), source->signing_keys);
        EXPECT_EQ(to->clients->find_client("svc-b")->secret_hash, client("svc-b", {}).secret_hash);
        // Verification, reset tokens and TOTP carry over: Bob's pending token works once, Ada's
        // sealed secret is the same bytes, her used code and her accepted step stay so.
        EXPECT_EQ(
            to->one_time_tokens->redeem_verification(std::string{"\x00\xfft-bob", 7}, 700)->email,
            "Bob@X.io");
        EXPECT_EQ(to->one_time_tokens->redeem_verification("t-ada", 700).error(), errc::not_found);
        auto const ada_totp = to->totp->totp_of(1);
        ASSERT_TRUE(ada_totp.has_value());
        EXPECT_EQ(ada_totp->sealed_secret, std::string("\x00\xffsealed", 8));
        EXPECT_TRUE(ada_totp->confirmed);
        EXPECT_EQ(ada_totp->recovery_codes_left, 1);
        EXPECT_FALSE(*to->totp->accept_totp_step(1, 77));
        EXPECT_FALSE(*to->totp->use_recovery_code(1, "c-2", 700));
        EXPECT_TRUE(*to->totp->use_recovery_code(1, "c-1", 700));
        // Into a deployment that has rows: refused unless it is replaced, and then whole.
        EXPECT_FALSE(to->transfer->write_all(*source, false).has_value());
        auto const revision = *to->keys->key_set_revision();
        ASSERT_TRUE(to->transfer->write_all(*source, true));
        expect_same(*source, *to->transfer->read_all());
        EXPECT_GT(*to->keys->key_set_revision(), revision);  // processes on it reload the keys
    }
}

TEST_P(transfer, a_row_the_target_cannot_keep_writes_nothing) {
    store_rows rows;
    rows.users.push_back({.id = 1, .email = "a@x.io", .password_hash = "h"});
    rows.users.push_back({.id = 2, .email = "A@x.io", .password_hash = "h"});  // taken, any case
    EXPECT_EQ(s_.transfer->write_all(rows, false).error(), errc::email_taken);
    rows.users[1] = {.id = 2, .email = std::string{"b\0@x.io", 7}, .password_hash = "h"};
    EXPECT_EQ(s_.transfer->write_all(rows, false).error(), errc::invalid_argument);
    EXPECT_TRUE(*s_.transfer->empty());
}

TEST_P(transfer, a_signing_key_or_a_client_alone_makes_a_store_not_empty) {
    ASSERT_TRUE(s_.keys->add_signing_key(key("k", 1)));
    EXPECT_FALSE(*s_.transfer->empty());
    auto to = target(test::backend::sqlite);
    ASSERT_TRUE(to.has_value());
    ASSERT_TRUE(to->clients->add_client(client("svc", {})));
    EXPECT_FALSE(*to->transfer->empty());
}

TEST_P(transfer, keys_and_clients_the_target_cannot_keep_write_nothing) {
    ASSERT_TRUE(s_.clients->add_client(client("svc", {})));
    store_rows rows;
    rows.users.push_back({.id = 1, .email = "a@x.io", .password_hash = "h"});
    rows.clients.push_back(client("svc", {}));  // exists already, without replace
    EXPECT_EQ(s_.transfer->write_all(rows, false).error(), errc::invalid_argument);
    rows.clients.clear();
    auto current = key("a", 1);
    current.activated_at = 1;
    auto also_current = key("b", 2);
    also_current.activated_at = 2;
    rows.signing_keys = {current, also_current};  // two current keys
    EXPECT_EQ(s_.transfer->write_all(rows, false).error(), errc::invalid_argument);
    auto expiring = key("c", 3);
    expiring.expires_at = 9;  // an expiry without a retirement
    rows.signing_keys = {expiring};
    EXPECT_EQ(s_.transfer->write_all(rows, false).error(), errc::invalid_argument);
    rows.signing_keys = {key("", 4)};
    EXPECT_EQ(s_.transfer->write_all(rows, false).error(), errc::invalid_argument);
    EXPECT_FALSE(s_.users->find_user(1).has_value());
    EXPECT_TRUE(s_.keys->signing_keys()->empty());
    EXPECT_EQ(s_.clients->clients()->size(), 1U);
}

WARDEN_ON_EVERY_BACKEND(transfer);

}  // namespace
}  // namespace warden::store
